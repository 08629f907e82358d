"""Hostile images (issue 15 §2): `lerconf verify` given bombs, huge dimensions, entity expansion,
external entities and DTDs on a loopback canary and a 100 MB file, beside a good credential.

One `lerconf verify --json` process reads them all: it ends in bounded time and memory, fetches
nothing (the canary sees no connection), says for each hostile file why it was not read (its own
error line, the good credential still verified), and exits 2.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hostile.images import HOSTILE_IMAGES, write_huge_file
from hostile.peak import run_lerconf
from hostile.server import HostileServer

from conftest import REPO, shared_env

pytestmark = [pytest.mark.slow]

GOOD = REPO / "vectors" / "credentials" / "ob3-v2.0-eddsa-rdfc-2022.json"
AT = "2026-06-01T00:00:00Z"
#: the whole batch, bombs and all; peak resident memory of the verifying process
MAX_SECONDS = 60.0
MAX_RSS_MB = 300  # lerconf verify alone peaks near 80 MB; an inflated bomb would pass 300
#: what each file's error line must say (lower case)
REASONS = {
    "credential-bomb.png": "compressed",
    "ztxt-bomb.png": "no baked credential",
    "huge-dimensions.png": "no baked credential",
    "many-chunks.png": "more than 10000 chunks",
    "billion-laughs.svg": "declares xml entities",
    "external-entity.svg": "declares xml entities",
    "parameter-entity.svg": "declares xml entities",
    "external-dtd.svg": "not well-formed",
    "links.svg": "neither json nor a compact jwt",
    "huge.png": "larger than 20 mb",
}


@pytest.fixture(scope="module")
def canary() -> Iterator[HostileServer]:
    server = HostileServer(canary=True, lifetime=300).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def verified(canary: HostileServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("hostile-images")
    files = [folder / name for name in HOSTILE_IMAGES]
    for path in files:
        path.write_bytes(HOSTILE_IMAGES[path.name](canary.base_url))
    files.append(write_huge_file(folder / "huge.png"))
    out, err = folder / "out.json", folder / "err.txt"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        # -j 1: one process reads every file, so its peak memory is the bound for all of them
        code, seconds, peak_mb, _ = run_lerconf(["verify", "--json", "--offline", "--at", AT, "-j", "1", str(GOOD),
                                                 *map(str, files)], folder / "peak", shared_env(), stdout=stdout, stderr=stderr)
    return {"code": code, "seconds": seconds, "rss_mb": peak_mb,
            "lines": [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()],
            "stderr": err.read_text(encoding="utf-8"), "files": files}


def test_each_hostile_image_has_its_own_clear_reason(verified: dict[str, Any]) -> None:
    lines, files = verified["lines"], verified["files"]
    assert [line["file"] for line in lines] == [str(GOOD), *map(str, files)], verified["stderr"][-2000:]
    assert lines[0]["outcome"] == "verified", lines[0]
    for line, path in zip(lines[1:], files, strict=True):
        assert line["outcome"] == "error" and line["verified"] is False, line
        assert REASONS[path.name] in line["error"].lower(), line
    assert verified["code"] == 2
    assert "Traceback" not in verified["stderr"]


def test_hostile_images_are_read_in_bounded_time_and_memory(verified: dict[str, Any]) -> None:
    assert verified["seconds"] < MAX_SECONDS, verified["seconds"]
    assert verified["rss_mb"] < MAX_RSS_MB, f"peak resident memory {verified['rss_mb']:.0f} MB"


def test_nothing_is_fetched(canary: HostileServer, verified: dict[str, Any]) -> None:
    assert canary.connections == 0, [r.path for r in canary.requests]
