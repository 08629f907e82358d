"""What of an OB / CLR host exchange must never be kept: client secrets, access and refresh
tokens, authorization codes and PKCE verifiers. :func:`scrub` replaces their values (keeping the
names, so "the consumer sent a code_verifier" stays judgeable) in a JSON object or a form body,
for the wire log to apply before it stores a request or an answer under ``/ims/``.

Bearer tokens and Basic credentials travel in the Authorization header, which the wire log
already keeps only as a digest (``lerconf.protocol.wire_record.token_digest``).
"""
from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlencode

from lerconf.redact import REDACTED

__all__ = ["SECRET_FIELDS", "scrub"]

#: members / form fields whose values are secrets in this API's OAuth exchanges
SECRET_FIELDS = frozenset({"client_secret", "access_token", "refresh_token", "code", "code_verifier", "token",
                           "registration_access_token"})


def scrub(body: bytes, content_type: str = "") -> bytes:
    """``body`` with the value of every :data:`SECRET_FIELDS` member redacted: a JSON object's
    top-level members, or the fields of a form. Anything else is returned unchanged (resource
    bodies are credentials and profiles, which carry no OAuth secrets)."""
    if not body:
        return body
    text = body.decode("utf-8", "replace")
    if "json" in content_type or text.lstrip().startswith("{"):
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):
            return body
        if not isinstance(value, dict) or not SECRET_FIELDS & value.keys():
            return body
        return json.dumps({k: (REDACTED if k in SECRET_FIELDS else v) for k, v in value.items()}).encode("utf-8")
    if "form" in content_type:
        fields = parse_qsl(text, keep_blank_values=True)
        if not any(k in SECRET_FIELDS for k, _ in fields):
            return body
        return urlencode([(k, REDACTED if k in SECRET_FIELDS else v) for k, v in fields]).encode("utf-8")
    return body
