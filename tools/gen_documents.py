"""Regenerate lerconf/data/documents.json (the registry of known published documents).

Reads the index files of the shared data collection (contexts/index.json, schemas/index.json)
and writes only facts: canonical URL -> accepted sha256 digests and the file name under which a
user directory may hold each byte version. The documents themselves are never copied.

The HR Open LER-RS catalog (schemas/hropen-ler-rs/, ../shared/SOURCES.md §6) has no index file:
it is laid out by the URL path each schema stands for. Only the schemas the LER-RS wrapper, its
provisional base and ``LER-RSType`` need are registered, found by following their ``$ref``s
(relative references, resolved against each schema's own URL) to closure, so a ``$ref`` between
them always names a registered document and never a network fetch.
"""
from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin

#: where HR Open publishes schema version 4.5 (the LER-RS context URL uses this base); the catalog
#: folder ``www.hropenstandards.org/`` holds the same paths
HROPEN_BASE = "http://schema.hropenstandards.org/4.5/"
HROPEN_DIR = Path("hropen-ler-rs") / "www.hropenstandards.org"
#: the LER-RS entry points (LER-01, LER-02); every schema they reference is registered with them
HROPEN_ROOTS = (
    "recruiting/json/VerifiableCredentialLER-RSType.json",
    "recruiting/json/ler-rs/ProvisionalVerifiableCredentialBaseType.json",
    "recruiting/json/LER-RSType.json",
)


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def hropen_closure(schemas: Path) -> dict[str, dict[str, Any]]:
    """URL -> registry entry for the LER-RS roots and every schema they reference, transitively.

    A reference leaving the HR Open base, or to a file the catalog lacks, stops the generator:
    the registry would otherwise promise a $ref it cannot resolve.
    """
    folder = schemas / HROPEN_DIR
    entries: dict[str, dict[str, Any]] = {}
    todo = [HROPEN_BASE + root for root in HROPEN_ROOTS]
    while todo:
        url = todo.pop()
        if url in entries:
            continue
        relative = url.removeprefix(HROPEN_BASE)
        path = folder / relative
        if not url.startswith(HROPEN_BASE) or not path.is_file():
            raise SystemExit(f"LER-RS schema {url} is referenced but not in {folder}")
        data = path.read_bytes()
        entries[url] = {"kind": "schema", "versions": [
            {"file": (HROPEN_DIR / relative).as_posix(), "sha256": hashlib.sha256(data).hexdigest()}]}
        for ref in _refs(json.loads(data)):
            target = urldefrag(urljoin(url, ref)).url
            if target and target != url:
                todo.append(target)
    return entries


def main(shared: Path, out: Path) -> None:
    registry: dict[str, dict[str, Any]] = {}
    ctx = json.loads((shared / "contexts" / "index.json").read_text())
    for url, entry in ctx["by_url"].items():
        files = [{"file": entry["file"], "sha256": entry["sha256"]}]
        files += [{"file": v["file"], "sha256": v["sha256"]} for v in entry.get("variants", [])]
        registry[url] = {"kind": "context", "versions": files}
    sch = json.loads((shared / "schemas" / "index.json").read_text())
    for entry in sch["schemas"]:
        url = entry.get("published_url") or entry["$id"]
        item = registry.setdefault(url, {"kind": "schema", "versions": []})
        item["versions"].append({"file": entry["file"], "sha256": entry["sha256"]})
        if entry["$id"] != url:  # a schema may also be reached by its own $id
            alias = registry.setdefault(entry["$id"], {"kind": "schema", "versions": []})
            alias["versions"].append({"file": entry["file"], "sha256": entry["sha256"]})
    for url, hropen in hropen_closure(shared / "schemas").items():
        if url in registry:
            raise SystemExit(f"{url} is registered twice")
        registry[url] = hropen
    out.write_text(json.dumps(dict(sorted(registry.items())), indent=1) + "\n")
    print(f"{len(registry)} documents written to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
