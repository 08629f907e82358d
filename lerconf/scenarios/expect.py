"""The verdict rule: what a scenario expects of an answer, and what it means when it does not get it.

A step states what it expects; when the vendor gave no usable answer (5xx, timeout, auth failure,
garbage) the scenario is *broken* (:class:`~lerconf.verdicts.Broken`), never passed, and never
confused with a correct rejection. A wrong answer fails (AssertionError).
"""
from __future__ import annotations

from lerconf.clients.vcapi import Verdict, VerifierAnswer
from lerconf.evidence import Evidence
from lerconf.exchange import Exchange
from lerconf.outcome import Outcome
from lerconf.results import CheckResult, Severity, Status
from lerconf.verdicts import Broken

__all__ = ["expect_accepted", "expect_checks", "expect_rejected", "expect_verdict"]


def expect_checks(evidence: Evidence, results: list[CheckResult]) -> None:
    """Every MUST result must pass; SHOULD failures are kept as warnings; no result at all fails."""
    evidence.checks.extend(results)
    failures = [r for r in results if r.status is Status.FAILED and r.severity is Severity.MUST]
    if failures:
        raise AssertionError("; ".join(f"{r.requirement}: {r.message}" + (f" [{r.subject}]" if r.subject else "")
                                       for r in failures))
    if not results:
        raise AssertionError("no check ran: nothing was verified")


def expect_accepted(exchange: Exchange, what: str) -> None:
    """A call that must succeed: a rejection is a failure, anything else breaks the scenario."""
    if exchange.outcome is Outcome.ACCEPTED:
        return
    if exchange.outcome is Outcome.REJECTED:
        raise AssertionError(f"{what} was refused: {exchange.reason}")
    raise Broken(f"{what}: {exchange.outcome.value}: {exchange.reason}")


def expect_rejected(exchange: Exchange, what: str) -> None:
    """A request the vendor must refuse with 400/422: acceptance fails, 5xx/timeout breaks."""
    if exchange.outcome is Outcome.REJECTED:
        return
    if exchange.outcome is Outcome.ACCEPTED:
        raise AssertionError(f"{what} was accepted ({exchange.reason}); it must be rejected with 400/422")
    raise Broken(f"{what}: expected a 400/422 rejection, got {exchange.outcome.value}: {exchange.reason}")


def expect_verdict(answer: VerifierAnswer, expected: Verdict, what: str) -> None:
    """A verifier's verdict must be the expected one; no verdict breaks, a contradictory one fails."""
    if answer.verdict is expected:
        return
    if answer.verdict is Verdict.BROKEN:
        raise Broken(f"{what}: no verdict: {answer.reason}")
    if answer.verdict is Verdict.INCONSISTENT:
        raise AssertionError(f"{what}: contradictory answer: {answer.reason}")
    raise AssertionError(f"{what}: the verifier {answer.verdict.value} it, expected {expected.value} ({answer.reason})")
