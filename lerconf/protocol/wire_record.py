"""One exchange lerconf's own protocol endpoints received, as plain data.

When lerconf plays the issuer and the verifier for a wallet under test, the verdict comes from
what its endpoints received ("the wire decides"). The reference records each exchange as a
:class:`WireRecord` (``lerconf.refimpl.wire`` keeps the log); the wallet checks
(``lerconf.checks.wallet``) judge lists of them. Access tokens are never kept, only their
:func:`token_digest`.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from lerconf.redact import REDACTED

__all__ = ["TOKEN_REQUEST_SECRETS", "WireRecord", "token_digest"]

#: token-request form fields that are one-time secrets (the generic redaction keeps "code" elsewhere)
TOKEN_REQUEST_SECRETS = frozenset({"code", "code_verifier", "pre-authorized_code", "tx_code"})


@dataclass(frozen=True)
class WireRecord:
    """A request one of lerconf's endpoints received, with the status and body of its answer."""

    seq: int
    at: float
    method: str
    path: str
    content_type: str
    body: bytes = field(repr=False)
    status: int
    response: bytes = field(repr=False)
    query: str = ""  # the URL's query string (authorization requests carry their parameters there)
    token_sha256: str = ""  # sha256 of the request's access token (Authorization header), never the token

    def query_params(self) -> dict[str, str]:
        """The URL's query parameters (the last value of a repeated name)."""
        return dict(parse_qsl(self.query, keep_blank_values=True))

    def form(self) -> dict[str, str]:
        """The body read as a form (``application/x-www-form-urlencoded``)."""
        return dict(parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True))

    def json(self) -> Any:
        """The body read as JSON, or None."""
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def response_json(self) -> Any:
        """The answer's body read as JSON, or None."""
        try:
            return json.loads(self.response)
        except ValueError:
            return None

    def to_evidence(self) -> dict[str, Any]:
        """The record for a report: one-time grant secrets a token request carries (authorization
        code, PKCE verifier; pre-authorized code and tx_code by redact's field names) never appear."""
        body: Any = self.json() if "json" in self.content_type else (
            self.form() if "form" in self.content_type else self.body.decode("utf-8", "replace")[:2000])
        if isinstance(body, dict) and self.path.endswith("/token"):
            body = {k: (REDACTED if k in TOKEN_REQUEST_SECRETS else v) for k, v in body.items()}
        out = {"seq": self.seq, "method": self.method, "path": self.path, "status": self.status, "body": body}
        if self.query:
            out["query"] = self.query_params()
        return out


def token_digest(token: str) -> str:
    """How the wire log names an access token: its sha256 (so records can be tied to the token
    lerconf issued for one offer without keeping the token itself)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest() if token else ""
