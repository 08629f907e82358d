"""Parse compact JWS (RFC 7515 §7.1) without trusting it.

Vendors send garbage: a JSON credential where a JWT was promised, a JWS JSON serialization,
base64 with padding, a header that is not an object. Every such input becomes a
``JwsParseError`` with a message naming what was wrong, never a traceback. Size is bounded
before any decoding so a hostile token cannot make the harness allocate without limit.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from lerconf.crypto.encoding import b64url_decode

#: Upper bound on a compact token (and on an SD-JWT with its disclosures). Credentials with
#: embedded images reach a few hundred kB; anything beyond this is refused, not parsed.
MAX_TOKEN_CHARS = 1024 * 1024
_MAX_HEADER_CHARS = 16 * 1024


class JwsParseError(ValueError):
    """The input is not a well-formed compact JWS; the message says why."""


@dataclass(frozen=True)
class ParsedJws:
    """The three parts of a compact JWS, decoded; ``signing_input`` is what was signed."""

    header: dict[str, Any]
    payload: dict[str, Any]
    signing_input: bytes = field(repr=False)
    signature: bytes = field(repr=False)
    #: SD-JWT disclosures (base64url strings) and key-binding JWT, when the token had ``~``.
    disclosures: tuple[str, ...] = ()
    key_binding_jwt: str | None = field(default=None, repr=False)

    @property
    def is_sd_jwt(self) -> bool:
        return bool(self.disclosures) or self.key_binding_jwt is not None


def _json_object(part: str, what: str) -> dict[str, Any]:
    try:
        raw = b64url_decode(part)
    except ValueError as exc:
        raise JwsParseError(f"{what} is not base64url: {exc}") from None
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise JwsParseError(f"{what} is not UTF-8 JSON: {exc}") from None
    if not isinstance(value, dict):
        raise JwsParseError(f"{what} is JSON but not an object ({type(value).__name__})")
    return value


def parse_compact(token: object, *, allow_sd_jwt: bool = True) -> ParsedJws:
    """Split and decode a compact JWS (optionally an SD-JWT ``jws~disclosure~...~kb``)."""
    if isinstance(token, bytes):
        try:
            token = token.decode("ascii")
        except UnicodeDecodeError:
            raise JwsParseError("token is not ASCII text") from None
    if not isinstance(token, str):
        raise JwsParseError(f"token must be a string, got {type(token).__name__}")
    if len(token) > MAX_TOKEN_CHARS:
        raise JwsParseError(f"token is {len(token)} characters, above the {MAX_TOKEN_CHARS} limit")
    token = token.strip()
    if not token:
        raise JwsParseError("token is empty")
    if token.startswith("{"):
        raise JwsParseError("input is JSON, not a compact JWS (JWS JSON serialization or an unsecured document)")
    disclosures: tuple[str, ...] = ()
    kb: str | None = None
    if "~" in token:
        if not allow_sd_jwt:
            raise JwsParseError("token contains '~' (an SD-JWT) where a plain JWS was expected")
        pieces = token.split("~")
        token, rest = pieces[0], pieces[1:]
        kb = rest[-1] or None
        disclosures = tuple(rest[:-1])
        if any(not d for d in disclosures):
            raise JwsParseError("SD-JWT has an empty disclosure between '~' separators")
    parts = token.split(".")
    if len(parts) == 5:
        raise JwsParseError("token has 5 parts: a JWE, not a JWS")
    if len(parts) != 3:
        raise JwsParseError(f"compact JWS has 3 dot-separated parts, this has {len(parts)}")
    header_b64, payload_b64, sig_b64 = parts
    if len(header_b64) > _MAX_HEADER_CHARS:
        raise JwsParseError("protected header is implausibly large")
    header = _json_object(header_b64, "protected header")
    if header.get("b64") is False:
        raise JwsParseError("unencoded payloads (b64: false) are not used for credentials")
    payload = _json_object(payload_b64, "payload")
    try:
        signature = b64url_decode(sig_b64)
    except ValueError as exc:
        raise JwsParseError(f"signature is not base64url: {exc}") from None
    return ParsedJws(
        header=header,
        payload=payload,
        signing_input=f"{header_b64}.{payload_b64}".encode("ascii"),
        signature=signature,
        disclosures=disclosures,
        key_binding_jwt=kb,
    )
