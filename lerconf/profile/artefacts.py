"""``issuer.artefacts``: an issuer described by what it delivered instead of (or besides) an endpoint.

Many issuers never expose a live issuing endpoint on a staging system; what they hand over is what
they issue: badge files, baked PNG/SVG images, links, VC-JWTs, CLR transcripts, LER-RS résumés.
lerconf judges those the way it judges a live issuer's answers (features/artefacts/)::

    issuer:
      id: did:web:badges.acme.example        # optional: when given, every artefact must name it
      artefacts:
        - path: exports/badge.json           # a file, a folder (each file in it) or a .zip (each member)
          is: {type: OpenBadgeCredential, vc_version: "2.0", securing: eddsa-rdfc-2022, status: active}
        - path: exports/badge.png
          is: {baked: png}
        - url: https://badges.acme.example/credentials/123   # fetched; its media type is judged (OB-18)
        - path: exports/revoked/
          is: {status: revoked}                # "the same badge after revocation"

``is`` says what the vendor says the artefact is; every field is optional and each one given is
checked (LCA-01): ``type`` (a credential type, or ``LER-RS``), ``vc_version``, ``securing``,
``status`` (``active``: a status entry, not set; ``revoked``; ``suspended``; ``none``: no status
entry) and ``baked`` (``png``, ``svg``, ``no``). Without ``issue_url`` the issuer has no VC API
role: only the artefact scenarios run for it.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

__all__ = ["DESCRIBED_STATUS", "LER_RS_TYPE", "ArtefactIssuer", "ArtefactSource", "Described", "parse_artefacts"]

#: what ``is.type`` calls an HR Open LER-RS résumé (its credential ``type`` names no LER-RS type)
LER_RS_TYPE = "LER-RS"
DESCRIBED_STATUS = ("active", "revoked", "suspended", "none")
BAKED = ("png", "svg", "no")
_FIELDS = ("type", "vc_version", "securing", "status", "baked")
Fail = Callable[[str, str], Exception]


@dataclass(frozen=True)
class Described:
    """What the vendor says one artefact is (None: not said)."""

    type: str | None = None
    vc_version: str | None = None
    securing: str | None = None
    status: str | None = None
    baked: str | None = None

    def said(self) -> dict[str, str]:
        return {k: v for k in _FIELDS if (v := getattr(self, k)) is not None}


@dataclass(frozen=True)
class ArtefactSource:
    """One ``artefacts`` item: a local path (file, folder, zip) or a URL, and its description."""

    where: str
    path: Path | None = None
    url: str | None = None
    described: Described = field(default_factory=Described)

    @property
    def label(self) -> str:
        return self.url or str(self.path)


@dataclass(frozen=True)
class ArtefactIssuer:
    """An issuer judged by its artefacts: what it delivered and its id (when the profile names one)."""

    sources: tuple[ArtefactSource, ...]
    issuer_id: str | None = None

    @property
    def urls(self) -> dict[str, str]:
        """The artefact URLs: lerconf may contact their hosts (loopback included) like any endpoint."""
        return {s.where: s.url for s in self.sources if s.url}

    def public_view(self) -> dict[str, Any]:
        return {"id": self.issuer_id,
                "artefacts": [{"source": s.label, **({"is": s.described.said()} if s.described.said() else {})}
                              for s in self.sources]}


def parse_artefacts(raw: Any, fail: Fail, base_dir: Path, *, securing: tuple[str, ...], vc_versions: tuple[str, ...],
                    types: tuple[str, ...]) -> tuple[ArtefactSource, ...]:
    """The ``issuer.artefacts`` list; relative paths are resolved against ``base_dir`` and must exist."""
    if not isinstance(raw, list) or not raw:
        raise fail("issuer.artefacts", "must be a non-empty list of {path: …} or {url: …} items")
    sources = []
    for i, item in enumerate(raw):
        where = f"issuer.artefacts[{i}]"
        if not isinstance(item, Mapping):
            raise fail(where, f"is {type(item).__name__}; write {{path: FILE}} or {{url: URL}}")
        unknown = set(item) - {"path", "url", "is"}
        if unknown:
            raise fail(where, f"unknown field(s) {', '.join(sorted(map(str, unknown)))} (known: path, url, is)")
        if ("path" in item) == ("url" in item):
            raise fail(where, "give exactly one of path (a file, folder or .zip) and url")
        described = _described(item.get("is"), f"{where}.is", fail, securing=securing, vc_versions=vc_versions,
                               types=types)
        if "url" in item:
            url = item["url"]
            parts = urlsplit(url) if isinstance(url, str) else None
            if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
                raise fail(f"{where}.url", f"{url!r} is not an http(s) URL")
            sources.append(ArtefactSource(where, url=url, described=described))
            continue
        if not isinstance(item["path"], str) or not item["path"].strip():
            raise fail(f"{where}.path", "must be a file, folder or .zip path")
        path = Path(item["path"]).expanduser()
        path = path if path.is_absolute() else base_dir / path
        if not path.exists():
            raise fail(f"{where}.path", f"{path} does not exist")
        sources.append(ArtefactSource(where, path=path, described=described))
    return tuple(sources)


def _described(raw: Any, where: str, fail: Fail, *, securing: tuple[str, ...], vc_versions: tuple[str, ...],
               types: tuple[str, ...]) -> Described:
    if raw is None:
        return Described()
    if not isinstance(raw, Mapping):
        raise fail(where, "must be a mapping of type, vc_version, securing, status, baked")
    unknown = set(raw) - set(_FIELDS)
    if unknown:
        raise fail(where, f"unknown field(s) {', '.join(sorted(map(str, unknown)))} (known: {', '.join(_FIELDS)})")
    allowed = {"type": (*types, LER_RS_TYPE), "vc_version": vc_versions, "securing": securing,
               "status": DESCRIBED_STATUS, "baked": BAKED}
    values: dict[str, str] = {}
    for name, choices in allowed.items():
        if name not in raw:
            continue
        value = str(raw[name]) if isinstance(raw[name], (str, int, float)) else None
        if value not in choices:
            raise fail(f"{where}.{name}", f"{raw[name]!r} is not one of {', '.join(choices)}")
        values[name] = value
    return Described(**values)
