"""Enveloped credentials and presentations (VCDM 2.0 §4.13): ``data:`` URLs carrying a token.

``{"type": "EnvelopedVerifiableCredential", "id": "data:application/vc+jwt,<jwt>"}``. JOSE and
SD-JWT tokens travel as-is; COSE is binary, so it is base64 (``;base64``) per VC-JOSE-COSE.
"""
from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_to_bytes

from lerconf.crypto.jose.compact import MAX_TOKEN_CHARS

ENVELOPED_TYPES = {"EnvelopedVerifiableCredential": "credential", "EnvelopedVerifiablePresentation": "presentation"}
#: media type -> (what it secures, how it is secured)
MEDIA_TYPES = {
    "application/vc+jwt": ("credential", "jwt"),
    "application/vp+jwt": ("presentation", "jwt"),
    "application/vc+sd-jwt": ("credential", "sd-jwt"),
    "application/vp+sd-jwt": ("presentation", "sd-jwt"),
    "application/vc+cose": ("credential", "cose"),
    "application/vp+cose": ("presentation", "cose"),
}


class EnvelopeError(ValueError):
    """The object is not a decodable enveloped credential or presentation."""


@dataclass(frozen=True)
class Envelope:
    """A decoded data URL: its media type, what it secures and the token (text or COSE bytes)."""

    media_type: str
    kind: str
    securing: str
    content: str | bytes = field(repr=False)

    @property
    def token(self) -> str:
        """The JOSE/SD-JWT text; COSE content has no text form."""
        if isinstance(self.content, bytes):
            raise EnvelopeError(f"{self.media_type} content is binary")
        return self.content


def is_enveloped(obj: object) -> bool:
    if not isinstance(obj, Mapping):
        return False
    types = obj.get("type")
    types = types if isinstance(types, list) else [types]
    return any(t in ENVELOPED_TYPES for t in types)


def decode_data_url(url: object) -> Envelope:
    """Decode ``data:<media type>[;base64],<data>`` for the securing media types lerconf knows."""
    if not isinstance(url, str) or not url.startswith("data:"):
        raise EnvelopeError(f"id is not a data: URL ({str(url)[:40]!r})")
    if len(url) > MAX_TOKEN_CHARS * 2:
        raise EnvelopeError("data: URL is too large")
    meta, sep, data = url[5:].partition(",")
    if not sep:
        raise EnvelopeError("data: URL has no ',' separating media type and data")
    params = [p.strip() for p in meta.split(";")]
    media_type, is_b64 = params[0].lower(), "base64" in (p.lower() for p in params[1:])
    if media_type not in MEDIA_TYPES:
        raise EnvelopeError(f"unsupported media type {media_type or '(none)'!r} in data: URL")
    kind, securing = MEDIA_TYPES[media_type]
    raw = unquote_to_bytes(data)
    if is_b64:
        raw = _b64(raw, media_type)
    if securing == "cose":
        if not is_b64:
            raise EnvelopeError(f"{media_type} is binary and must be base64 in a data: URL")
        return Envelope(media_type, kind, securing, raw)
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        raise EnvelopeError(f"{media_type} data is not ASCII text") from None
    return Envelope(media_type, kind, securing, text)


def decode_enveloped(obj: Mapping[str, Any]) -> Envelope:
    """Decode an Enveloped VC/VP object, checking its type agrees with its media type."""
    if not is_enveloped(obj):
        raise EnvelopeError("object is not typed EnvelopedVerifiableCredential/Presentation")
    envelope = decode_data_url(obj.get("id"))
    types = obj.get("type")
    types = types if isinstance(types, list) else [types]
    declared = {ENVELOPED_TYPES[t] for t in types if t in ENVELOPED_TYPES}
    if envelope.kind not in declared:
        raise EnvelopeError(f"{'/'.join(sorted(declared))} envelope carries {envelope.media_type}")
    return envelope


def _b64(data: bytes, media_type: str) -> bytes:
    """RFC 2397 says base64; accept base64url too, and ignore whitespace (the W3C suite's own
    vp+jwt vector embeds its COSE credential with a trailing newline)."""
    data = b"".join(data.split())
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        pass
    try:
        return base64.b64decode(data + b"=" * (-len(data) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError) as exc:
        raise EnvelopeError(f"{media_type} data is marked base64 but does not decode: {exc}") from None
