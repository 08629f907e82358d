"""OID4VP request objects as data (VP §5; RFC 9101): the client identifier prefix, and a request
object decoded without trusting it. Whether its signature holds is ``request_signature``'s job.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lerconf.crypto.jose.compact import JwsParseError, parse_compact

__all__ = ["REQUEST_OBJECT_TYPE", "RequestObject", "client_id_prefix", "read_request_object"]

REQUEST_OBJECT_TYPE = "oauth-authz-req+jwt"


def client_id_prefix(client_id: str) -> str:
    """The Client Identifier Prefix (VP §5.9): the part before the first ':', or 'pre-registered'."""
    head, sep, _ = client_id.partition(":")
    if not sep or head in ("http", "https"):
        return "pre-registered"
    return head


@dataclass(frozen=True)
class RequestObject:
    """A request object as fetched: its JOSE header, claims, and whether its signature held."""

    header: dict[str, Any]
    claims: dict[str, Any]
    token: str = field(repr=False)
    signed: bool
    content_type: str = ""
    signature_problem: str | None = None


def read_request_object(token: str, content_type: str) -> RequestObject | None:
    """Decode a request object without trusting it (the signature is checked separately)."""
    try:
        parsed = parse_compact(token.strip(), allow_sd_jwt=False)
    except JwsParseError:
        return None
    alg = parsed.header.get("alg")
    signed = isinstance(alg, str) and alg.lower() != "none"
    return RequestObject(dict(parsed.header), dict(parsed.payload), token.strip(), signed, content_type)
