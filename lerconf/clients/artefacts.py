"""Reading what an issuer delivered (``issuer.artefacts``): files, folders, zip archives and URLs.

Each item becomes one or more :class:`Delivered` artefacts, each with its bytes, where it came
from and, for a URL, the media type it was served with (OB-18) and the exchange (evidence). Reading
is bounded: a vendor's export may be large or hostile (a zip bomb, a folder of thousands of files,
a link into a private address), and one bad item never stops the others: it becomes a
Delivered with a ``problem``.
"""
from __future__ import annotations

import hashlib
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lerconf.clients.http import VendorClient
from lerconf.exchange import Exchange
from lerconf.outcome import Outcome
from lerconf.profile.artefacts import ArtefactSource

__all__ = ["MAX_ARTEFACTS", "MAX_ARTEFACT_BYTES", "Delivered", "collect"]

#: the largest artefact read (a baked badge is a few hundred kB; a bigger file is refused, not read)
MAX_ARTEFACT_BYTES = 16 * 1024 * 1024
#: the most artefacts one folder or archive gives (the rest are named as not read)
MAX_ARTEFACTS = 500
#: the most bytes all members of one archive may inflate to together
MAX_ARCHIVE_BYTES = 128 * 1024 * 1024
#: how deep a folder is walked
MAX_DEPTH = 4


@dataclass
class Delivered:
    """One delivered artefact: its bytes (None when it could not be read, with ``problem``)."""

    label: str
    source: ArtefactSource
    data: bytes | None = None
    #: the file name the artefact had (its extension is judged by OB-17); None for a URL
    file_name: str | None = None
    #: the Content-Type it was served with, for an artefact fetched by URL (OB-18)
    media_type: str | None = None
    exchange: Exchange | None = None
    problem: str | None = None
    #: lerconf got no answer for it (unreachable URL): the artefact cannot be judged, it is not the vendor's fault
    unreached: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def sha256(self) -> str | None:
        return hashlib.sha256(self.data).hexdigest() if self.data is not None else None

    def evidence(self) -> dict[str, object]:
        """What identifies the artefact in a report (never its bytes: they may be large)."""
        return {"artefact": self.label, "from": self.source.where, "sha256": self.sha256,
                "bytes": len(self.data) if self.data is not None else None,
                **({"media_type": self.media_type} if self.media_type is not None else {}),
                **({"problem": self.problem} if self.problem else {}),
                **({"described_as": self.source.described.said()} if self.source.described.said() else {})}


def collect(sources: tuple[ArtefactSource, ...], http: VendorClient) -> list[Delivered]:
    """Every artefact of every source, in the profile's order (a folder's files sorted by name)."""
    out: list[Delivered] = []
    for source in sources:
        if source.url is not None:
            out.append(_fetch(source, source.url, http))
        elif source.path is not None:
            out.extend(_local(source, source.path))
    return out


def _fetch(source: ArtefactSource, url: str, http: VendorClient) -> Delivered:
    """GET the artefact through the vendor client (address guard, limits, recording); Accept
    names every form an artefact may take."""
    kept: list[bytes] = []
    exchange = http.request("GET", url, keep_bytes=kept, headers={
        "Accept": "application/vc+ld+json, application/ld+json;q=0.9, application/json;q=0.8, text/plain;q=0.8, "
                  "application/vc+jwt;q=0.8, image/png;q=0.7, image/svg+xml;q=0.7, */*;q=0.1"})
    media_type = exchange.response_headers.get("content-type") or exchange.response_headers.get("Content-Type")
    delivered = Delivered(url, source, file_name=None, media_type=media_type, exchange=exchange)
    if exchange.outcome is Outcome.TRANSPORT_ERROR or exchange.status is None:
        delivered.problem, delivered.unreached = f"not fetched: {exchange.reason}", True
    elif not 200 <= exchange.status < 300:
        delivered.problem = f"the artefact URL answered HTTP {exchange.status} ({exchange.reason})"
    elif not kept:
        delivered.problem = "the artefact URL answered without a body"
    else:
        delivered.data = kept[0]
    return delivered


def _local(source: ArtefactSource, path: Path) -> Iterator[Delivered]:
    if path.is_dir():
        yield from _folder(source, path)
    elif zipfile.is_zipfile(path):
        yield from _archive(source, path)
    else:
        yield _file(source, path, path.name, str(path))


def _file(source: ArtefactSource, path: Path, name: str, label: str) -> Delivered:
    try:
        size = path.stat().st_size
        if size > MAX_ARTEFACT_BYTES:
            return Delivered(label, source, file_name=name,
                             problem=f"{size:,} bytes: larger than the {MAX_ARTEFACT_BYTES // 2**20} MB lerconf reads")
        return Delivered(label, source, path.read_bytes(), file_name=name)
    except OSError as exc:
        return Delivered(label, source, file_name=name, problem=f"cannot read: {exc.strerror or exc}")


def _folder(source: ArtefactSource, root: Path) -> Iterator[Delivered]:
    """Every regular file under ``root`` (hidden ones and symbolic links skipped), up to
    :data:`MAX_DEPTH` folders deep and :data:`MAX_ARTEFACTS` files."""
    found: list[Path] = []
    for here, dirs, files in os.walk(root, followlinks=False):
        depth = len(Path(here).relative_to(root).parts)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")) if depth < MAX_DEPTH else []
        found.extend(Path(here) / f for f in sorted(files) if not f.startswith("."))
    regular = [p for p in found if p.is_file() and not p.is_symlink()]
    for path in regular[:MAX_ARTEFACTS]:
        yield _file(source, path, path.name, str(path))
    if len(regular) > MAX_ARTEFACTS:
        yield Delivered(f"{root} (+{len(regular) - MAX_ARTEFACTS} files)", source,
                        problem=f"{len(regular)} files: lerconf reads the first {MAX_ARTEFACTS} of a folder")


def _archive(source: ArtefactSource, path: Path) -> Iterator[Delivered]:
    """Each file member of a zip archive, read in memory (never extracted to disk), bounded per
    member and in total by what the members really inflate to, not what the archive claims."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        yield Delivered(str(path), source, file_name=path.name, problem=f"not a readable zip archive: {exc}")
        return
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir() and not Path(m.filename).name.startswith((".", "__MACOSX"))
                   and "__MACOSX/" not in m.filename]
        budget = MAX_ARCHIVE_BYTES
        for member in members[:MAX_ARTEFACTS]:
            label = f"{path}!/{member.filename}"
            name = Path(member.filename).name
            limit = min(MAX_ARTEFACT_BYTES, budget)
            try:
                with archive.open(member) as stream:
                    data = stream.read(limit + 1)
            except (OSError, zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError, ValueError) as exc:
                yield Delivered(label, source, file_name=name, problem=f"cannot read this zip member: {exc}")
                continue
            if len(data) > limit:
                why = (f"inflates to more than {MAX_ARTEFACT_BYTES // 2**20} MB" if limit == MAX_ARTEFACT_BYTES
                       else f"the archive's members inflate to more than {MAX_ARCHIVE_BYTES // 2**20} MB together")
                yield Delivered(label, source, file_name=name, problem=f"not read: {why}")
                if limit < MAX_ARTEFACT_BYTES:
                    return
                continue
            budget -= len(data)
            yield Delivered(label, source, data, file_name=name)
        if len(members) > MAX_ARTEFACTS:
            yield Delivered(f"{path} (+{len(members) - MAX_ARTEFACTS} members)", source,
                            problem=f"{len(members)} members: lerconf reads the first {MAX_ARTEFACTS} of an archive")
