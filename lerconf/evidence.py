"""Evidence of one scenario: every HTTP exchange (already redacted), document and check result it
saw, kept for the report. Data only; ``lerconf.scenarios.expect`` decides what it means.

``CURRENT_EVIDENCE`` is the running scenario's evidence, so a client deep in a flow (the manual
wallet's operator page, the harness's exchange hook) can add to it without being handed it.
"""
from __future__ import annotations

import contextvars
import json
from dataclasses import dataclass, field
from typing import Any

from lerconf.exchange import Exchange
from lerconf.redact import redact_json
from lerconf.results import CheckResult

__all__ = ["CURRENT_EVIDENCE", "Evidence"]


@dataclass
class Evidence:
    """What one scenario saw, in the order it saw it."""

    exchanges: list[Exchange] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)
    documents: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def __repr__(self) -> str:  # allure-pytest-bdd records repr() of step arguments
        return f"Evidence({len(self.exchanges)} exchanges, {len(self.checks)} checks)"

    def record(self, exchange: Exchange) -> None:
        self.exchanges.append(exchange)

    def keep(self, name: str, document: Any) -> None:
        self.documents[name] = redact_json(document)

    def to_json(self) -> dict[str, Any]:
        return {
            "exchanges": [e.to_evidence() for e in self.exchanges],
            "checks": [c.to_json() for c in self.checks],
            "documents": self.documents,
            "notes": self.notes,
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=1, ensure_ascii=False, default=str)


CURRENT_EVIDENCE: contextvars.ContextVar[Evidence | None] = contextvars.ContextVar("lerconf_evidence", default=None)
