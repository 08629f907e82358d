"""Reading what an issuer delivered (lerconf/clients/artefacts.py): folders, zip archives and links,
bounded against hostile exports, one bad item never stopping the others. Links go to loopback
servers only: a hostile one (bombs, a redirect towards a canary, an HTML page) beside a canary
that must never be contacted."""
from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile.server import HostileServer

from lerconf.clients.artefacts import MAX_ARTEFACT_BYTES, MAX_ARTEFACTS, collect
from lerconf.clients.http import Timeouts, VendorClient
from lerconf.profile.artefacts import ArtefactSource
from lerconf.profile.load import parse_profile


def _source(path: Path) -> ArtefactSource:
    return ArtefactSource("issuer.artefacts[0]", path=path)


def _collect(path: Path) -> list:
    profile = parse_profile({"name": "acme", "issuer": {"artefacts": [{"path": str(path)}]}}, str(path.parent / "p.yaml"))
    http = VendorClient(profile)
    try:
        return collect(profile.artefacts.sources, http)
    finally:
        http.close()


def test_a_folder_gives_each_regular_file_sorted_hidden_and_symlinks_left_out(tmp_path: Path) -> None:
    (tmp_path / "export" / "deep" / "a" / "b" / "c" / "d").mkdir(parents=True)
    (tmp_path / "export" / "b.json").write_text("{}")
    (tmp_path / "export" / "a.jwt").write_text("x.y.z")
    (tmp_path / "export" / ".hidden.json").write_text("{}")
    (tmp_path / "export" / "deep" / "c.png").write_bytes(b"\x89PNG")
    (tmp_path / "export" / "deep" / "a" / "b" / "c" / "d" / "too-deep.json").write_text("{}")
    os.symlink("/etc/hostname", tmp_path / "export" / "link.json")
    labels = [Path(d.label).name for d in _collect(tmp_path / "export")]
    assert labels == ["a.jwt", "b.json", "c.png"]


def test_a_folder_of_too_many_files_is_read_up_to_its_limit_and_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(MAX_ARTEFACTS + 3):
        (folder / f"{i:04}.json").write_text("{}")
    found = _collect(folder)
    assert len(found) == MAX_ARTEFACTS + 1 and found[-1].problem and "+3 files" in found[-1].label


def test_a_file_larger_than_the_limit_is_not_read(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as f:
        f.truncate(MAX_ARTEFACT_BYTES + 1)
    (found,) = _collect(big)
    assert found.data is None and "larger than the 16 MB" in str(found.problem)


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_a_zip_gives_each_member_read_in_memory(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "export.zip", {"badges/one.json": b"{}", "two.jwt": b"a.b.c", "__MACOSX/._one.json": b"x",
                                             "../escape.json": b"{}"})
    found = _collect(archive)
    assert [(d.file_name, d.data) for d in found] == [("one.json", b"{}"), ("two.jwt", b"a.b.c"), ("escape.json", b"{}")]
    assert found[0].label.endswith("export.zip!/badges/one.json")
    assert not (tmp_path / "escape.json").exists()  # nothing is extracted


def test_a_zip_bomb_member_is_refused_by_what_it_inflates_to(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "bomb.zip", {"bomb.json": b"\0" * (MAX_ARTEFACT_BYTES + 1024), "fine.json": b"{}"})
    assert archive.stat().st_size < 100_000
    bomb, fine = _collect(archive)
    assert bomb.data is None and "inflates to more than 16 MB" in str(bomb.problem)
    assert fine.data == b"{}"


def test_a_broken_zip_is_one_artefact_with_a_reason(tmp_path: Path) -> None:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.json", b"{" * 1000)
    broken = bytearray(data.getvalue())
    broken[60:80] = b"\xff" * 20  # the member's compressed bytes
    (tmp_path / "broken.zip").write_bytes(bytes(broken))
    (found,) = _collect(tmp_path / "broken.zip")
    assert found.data is None and found.problem


# -- links ------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[HostileServer, HostileServer]]:
    canary = HostileServer(canary=True, lifetime=120).start()
    hostile = HostileServer(canary_url=canary.base_url, lifetime=120).start()
    hostile.serve("/badge.json", {"type": ["VerifiableCredential"]}, headers={"Content-Type": "text/html"})
    try:
        yield hostile, canary
    finally:
        hostile.stop()
        canary.stop()


def test_links_are_fetched_bounded_and_never_followed_elsewhere(servers: tuple[HostileServer, HostileServer],
                                                                tmp_path: Path) -> None:
    hostile, canary = servers
    # (three transport failures in a row would open lerconf's circuit to the vendor: the good link goes first)
    urls = [f"{hostile.base_url}/badge.json", hostile.url("redirect-canary", "/b.json"), hostile.url("gzip-bomb"),
            hostile.url("huge"), hostile.url("never")]
    profile = parse_profile({"name": "acme", "issuer": {"artefacts": [{"url": u} for u in urls]}}, str(tmp_path / "p.yaml"))
    http = VendorClient(profile, timeouts=Timeouts(connect=2, read=2, total=4))
    try:
        served, redirect, bomb, huge, never = collect(profile.artefacts.sources, http)
    finally:
        http.close()
    assert canary.connections == 0
    assert redirect.data is None and "not followed" in str(redirect.problem)
    assert bomb.data is None and bomb.unreached and "exceeded" in str(bomb.problem)
    assert huge.data is None and huge.unreached
    assert never.data is None and never.unreached and "timeout" in str(never.problem)
    assert served.data is not None and served.media_type == "text/html"  # judged by OB-18, not refused here
