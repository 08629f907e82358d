"""What `lerconf verify` accepts as a file: JSON or a compact JWT, anything else an input error.

The engine judges whatever it is given (a vendor's unparseable answer is a failed check); a file a
user hands to `lerconf verify` that is neither JSON nor a JWT is a usage error instead: the wrong
file, not a credential that failed.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from lerconf.crypto.encoding import b64url_decode
from lerconf.documents.baked import Baked, unbake
from lerconf.errors import LerconfError

__all__ = ["EXPECTED", "InputError", "ParsedInput", "parse_file", "parse_input"]

EXPECTED = ("a JSON credential or presentation, a compact JWT (header.payload.signature, SD-JWT allowed), or a badge "
            "baked into a PNG or SVG")
_SEGMENT = re.compile(r"[A-Za-z0-9_-]*")


class InputError(LerconfError):
    """The input is neither JSON nor a compact JWT: `lerconf verify` exits 2."""


@dataclass(frozen=True)
class ParsedInput:
    """``kind`` "json" (``value`` the decoded document) or "jwt" (``value`` the token text);
    ``baked`` when the credential was read out of a baked PNG or SVG badge."""

    kind: str
    value: Any
    baked: Baked | None = None


def parse_file(data: bytes, source: str) -> ParsedInput:
    """A file's bytes: a baked PNG or SVG badge (the credential inside it, with how it was baked),
    else UTF-8 text, JSON or a compact JWT (:func:`parse_input`)."""
    name = "standard input" if source == "-" else source
    baked = unbake(data)
    if baked is not None:
        if baked.payload is None:
            raise InputError(f"{name}: a {baked.image.upper()} image with no baked credential ({'; '.join(baked.findings)})")
        parsed = parse_input(baked.payload, f"{source} (baked credential)")
        return ParsedInput(parsed.kind, parsed.value, baked)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{name}: not UTF-8 text and not a baked PNG or SVG badge; expected {EXPECTED}") from None
    return parse_input(text, source)


def parse_input(text: str, source: str) -> ParsedInput:
    """Decide what `text` (read from `source`) is; InputError names the file and what was expected."""
    name = "standard input" if source == "-" else source
    stripped = text.strip().lstrip("\ufeff").strip()
    if not stripped:
        raise InputError(f"{name}: empty; expected {EXPECTED}")
    if stripped.startswith(("{", "[", '"')) or "." not in stripped:
        try:
            return ParsedInput("json", json.loads(stripped))
        except ValueError as exc:
            raise InputError(f"{name}: not JSON ({exc}) and not a compact JWT; expected {EXPECTED}") from None
    problem = _jwt_problem(stripped)
    if problem is None:
        return ParsedInput("jwt", stripped)
    try:
        return ParsedInput("json", json.loads(stripped))  # a bare JSON number such as 1.5
    except ValueError:
        raise InputError(f"{name}: neither JSON nor a compact JWT ({problem}); expected {EXPECTED}") from None


def _jwt_problem(token: str) -> str | None:
    """Why `token` is not a compact JWS / SD-JWT, or None when its shape and header are one."""
    jws = token.split("~", 1)[0]
    parts = jws.split(".")
    if len(parts) != 3:
        return f"{len(parts)} dot-separated parts where a signed JWT has 3"
    if not all(_SEGMENT.fullmatch(p) for p in parts) or not parts[0]:
        return "its parts are not base64url"
    try:
        header = json.loads(b64url_decode(parts[0]))
    except ValueError:
        return "its header is not base64url-encoded JSON"
    if not isinstance(header, dict):
        return "its header is not a JSON object"
    return None
