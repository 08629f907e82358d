"""Evidence of one scenario, and the expectations steps state against it.

Everything a scenario saw — HTTP exchanges (already redacted), credentials, check results — is
kept here and attached to the report. A step states what it expects; when the vendor gave no
usable answer (5xx, timeout, auth failure, garbage) the scenario is *broken*, never passed, and
never confused with a correct rejection.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from lerconf.clients.http import Exchange
from lerconf.outcome import Outcome
from lerconf.clients.vcapi import Verdict, VerifierAnswer
from lerconf.redact import redact_json
from lerconf.results import CheckResult, Severity, Status


class BrokenVendor(Exception):
    """The vendor gave no usable answer; the scenario is broken (not failed, not passed)."""


@dataclass
class Evidence:
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

    # -- expectations ---------------------------------------------------------------------------
    def expect(self, results: list[CheckResult]) -> None:
        """Every MUST result must pass; SHOULD failures are kept as warnings."""
        self.checks.extend(results)
        failures = [r for r in results if r.status is Status.FAILED and r.severity is Severity.MUST]
        if failures:
            raise AssertionError("; ".join(f"{r.requirement}: {r.message}" + (f" [{r.subject}]" if r.subject else "")
                                           for r in failures))
        if not results:
            raise AssertionError("no check ran: nothing was verified")

    def expect_accepted(self, exchange: Exchange, what: str) -> None:
        """A call that must succeed: a rejection is a failure, anything else breaks the scenario."""
        if exchange.outcome is Outcome.ACCEPTED:
            return
        if exchange.outcome is Outcome.REJECTED:
            raise AssertionError(f"{what} was refused: {exchange.reason}")
        raise BrokenVendor(f"{what}: {exchange.outcome.value}: {exchange.reason}")

    def expect_rejected(self, exchange: Exchange, what: str) -> None:
        """A request the vendor must refuse with 400/422: acceptance fails, 5xx/timeout breaks."""
        if exchange.outcome is Outcome.REJECTED:
            return
        if exchange.outcome is Outcome.ACCEPTED:
            raise AssertionError(f"{what} was accepted ({exchange.reason}); it must be rejected with 400/422")
        raise BrokenVendor(f"{what}: expected a 400/422 rejection, got {exchange.outcome.value}: {exchange.reason}")

    def expect_verdict(self, answer: VerifierAnswer, expected: Verdict, what: str) -> None:
        if answer.verdict is expected:
            return
        if answer.verdict is Verdict.BROKEN:
            raise BrokenVendor(f"{what}: no verdict: {answer.reason}")
        if answer.verdict is Verdict.INCONSISTENT:
            raise AssertionError(f"{what}: contradictory answer: {answer.reason}")
        raise AssertionError(f"{what}: the verifier {answer.verdict.value} it, expected {expected.value} ({answer.reason})")

    # -- export --------------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "exchanges": [e.to_evidence() for e in self.exchanges],
            "checks": [c.to_json() for c in self.checks],
            "documents": self.documents,
            "notes": self.notes,
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=1, ensure_ascii=False, default=str)
