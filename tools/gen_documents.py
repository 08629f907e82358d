"""Regenerate lerconf/data/documents.json (the registry of known published documents).

Reads the index files of the shared data collection (contexts/index.json, schemas/index.json)
and writes only facts: canonical URL -> accepted sha256 digests and the file name under which a
user directory may hold each byte version. The documents themselves are never copied.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def main(shared: Path, out: Path) -> None:
    registry: dict[str, dict] = {}
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
    out.write_text(json.dumps(dict(sorted(registry.items())), indent=1) + "\n")
    print(f"{len(registry)} documents written to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
