"""The verdict rule: what a scenario expects of an answer, and what it means when it does not get it.

A step states what it expects; when the vendor gave no usable answer (5xx, timeout, auth failure,
garbage) the scenario is *broken* (:class:`~lerconf.verdicts.Broken`), never passed, and never
confused with a correct rejection. A wrong answer fails (AssertionError).

Negative scenarios pass only for the right reason: after the vendor refused the defective
request, a :data:`PositiveControl` (the valid counterpart, in a fresh transaction) must be
accepted, or the refusal proves nothing and the scenario *cannot be judged*
(:class:`~lerconf.verdicts.CannotJudge`). Every protocol hands its control to
:func:`under_positive_control`; none judges a control its own way.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from lerconf.checks.vcapi_answers import refusal_check_for, verdict_check_for
from lerconf.evidence import Evidence
from lerconf.exchange import Exchange
from lerconf.outcome import Outcome
from lerconf.protocol.vcapi import VerifierAnswer, VerifierVerdict
from lerconf.results import CheckResult, Severity, Status
from lerconf.verdicts import Broken, CannotJudge

__all__ = ["PositiveControl", "expect_accepted", "expect_checks", "expect_refusal", "expect_satisfied", "expect_verdict",
           "under_positive_control"]

#: the valid counterpart of a negative scenario's request, run in a fresh transaction: it returns
#: when the vendor accepted it, raises AssertionError (with what the vendor said) when the vendor
#: refused it, and Broken when there was no usable answer
PositiveControl = Callable[[], None]


def expect_checks(evidence: Evidence, results: list[CheckResult]) -> None:
    """Every MUST result must pass; SHOULD failures are kept as warnings; no result at all fails."""
    evidence.checks.extend(results)
    failures = [r for r in results if r.status is Status.FAILED and r.severity is Severity.MUST]
    if failures:
        raise AssertionError("; ".join(f"{r.requirement}: {r.message}" + (f" [{r.subject}]" if r.subject else "")
                                       for r in failures))
    if not results:
        raise AssertionError("no check ran: nothing was verified")


def expect_satisfied(evidence: Evidence, results: list[CheckResult]) -> None:
    """The requirement a scenario is about holds: as :func:`expect_checks`, and a warning among its
    results fails the scenario too. A @SHOULD scenario's check comes out as a warning when the
    recommendation is not followed; the scenario then fails with severity SHOULD (the run still
    exits 0), where a MUST scenario only keeps incidental SHOULD warnings as evidence."""
    expect_checks(evidence, results)
    warnings = [r for r in results if r.status is Status.WARNING]
    if warnings:
        raise AssertionError("; ".join(f"{r.requirement} ({r.severity.value}): {r.message}" for r in warnings))


def expect_accepted(exchange: Exchange, what: str) -> None:
    """A call that must succeed: a rejection is a failure, anything else breaks the scenario."""
    if exchange.outcome is Outcome.ACCEPTED:
        return
    if exchange.outcome is Outcome.REJECTED:
        raise AssertionError(f"{what} was refused: {exchange.reason}")
    raise Broken(f"{what}: {exchange.outcome.value}: {exchange.reason}")


def expect_verdict(evidence: Evidence, answer: VerifierAnswer, expected: VerifierVerdict,
                   requirements: Sequence[str]) -> None:
    """A verifier's verdict on lerconf's document, judged by each requirement's verdict check
    (lerconf.checks.vcapi_answers): no verdict at all breaks the scenario."""
    if answer.verdict is VerifierVerdict.BROKEN:
        raise Broken(f"the verifier gave no verdict: {answer.reason}")
    expect_checks(evidence, [verdict_check_for(rid)(answer, expected) for rid in requirements])


def expect_refusal(evidence: Evidence, exchange: Exchange, requirements: Sequence[str]) -> None:
    """An issuer's answer to a malformed issue request, judged by each requirement's refusal check:
    a 400/422 passes, a signed credential fails, no usable answer (5xx, timeout) breaks."""
    if exchange.outcome not in (Outcome.ACCEPTED, Outcome.REJECTED):
        raise Broken(f"the malformed issue request: expected a 400/422 rejection, got {exchange.outcome.value}: "
                     f"{exchange.reason}")
    expect_checks(evidence, [refusal_check_for(rid)(exchange) for rid in requirements])


def under_positive_control(evidence: Evidence, control: PositiveControl, what: str) -> None:
    """A refusal counts only when the vendor accepts ``what`` (the valid counterpart): a vendor that
    refuses everything must pass no negative. Its refusal makes the scenario *cannot be judged*;
    no answer at all breaks it. The control's own notes are dropped, its outcome kept as one note."""
    notes = len(evidence.notes)
    try:
        control()
    except AssertionError as exc:
        raise CannotJudge(f"{what} was refused (positive control): {exc}") from exc
    del evidence.notes[notes:]
    evidence.notes.append(f"positive control: {what} was accepted")
