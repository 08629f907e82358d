"""One recorded vendor call: the request, the response and its classified outcome, redacted.

It is the unit of evidence: clients make it, checks read it, reports show it. It lives in the
core so checks can judge recorded calls without knowing any client.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lerconf.outcome import Outcome
from lerconf.redact import redact_json, redact_text

__all__ = ["EVIDENCE_BODY_LIMIT", "Exchange"]

#: the most of a response body kept as evidence
EVIDENCE_BODY_LIMIT = 64 * 1024


@dataclass
class Exchange:
    """One request/response, redacted, with its classified outcome."""

    method: str
    url: str
    request_headers: dict[str, str]
    request_body: Any
    outcome: Outcome
    reason: str
    status: int | None = None
    response_headers: dict[str, str] = field(default_factory=dict)
    body_text: str = ""
    json: Any = None
    elapsed_ms: int = 0

    def __repr__(self) -> str:  # allure-pytest-bdd records repr() of step values: keep it short and scrubbed
        return f"Exchange({self.method} {redact_text(self.url)} -> {self.outcome.value}, {self.status})"

    def to_evidence(self) -> dict[str, Any]:
        body: Any = self.json if self.json is not None else self.body_text[:EVIDENCE_BODY_LIMIT]
        return {
            "request": {"method": self.method, "url": redact_text(self.url), "headers": self.request_headers,
                        "body": self.request_body},
            "response": {"status": self.status, "headers": self.response_headers, "body": redact_json(body)},
            "outcome": self.outcome.value,
            "reason": self.reason,
            "elapsed_ms": self.elapsed_ms,
        }
