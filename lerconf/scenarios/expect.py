"""The verdict rule: what a scenario expects of an answer, and what it means when it does not get it.

A step states what it expects; when the vendor gave no usable answer (5xx, timeout, auth failure,
garbage) the scenario is *broken* (:class:`~lerconf.verdicts.Broken`), never passed, and never
confused with a correct rejection. A wrong answer fails (AssertionError).

Negative scenarios pass only for the right reason: after the vendor refused the defective
request, a :data:`PositiveControl` (the valid counterpart, in a fresh transaction) must be
accepted, or the refusal proves nothing and the scenario *cannot be judged*
(:class:`~lerconf.verdicts.CannotJudge`). Every protocol hands its control to
:func:`under_positive_control`; none judges a control its own way. And what the vendor said when
it refused is compared with the defect lerconf injected (:func:`refusal_reason_findings`, one rule,
lerconf.checks.refusal_reason): a refusal for another reason, or for none, passes the MUST and
adds a SHOULD warning saying so.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from lerconf.checks.refusal_reason import judge_reason, reason_finding
from lerconf.checks.vcapi_answers import REJECTION_ERRORS, refusal_check_for, verdict_check_for
from lerconf.evidence import Evidence
from lerconf.exchange import Exchange
from lerconf.outcome import Outcome
from lerconf.protocol.vcapi import VerifierAnswer, VerifierVerdict
from lerconf.protocol.vp_verdict import Observation, Seen
from lerconf.requirements import all_requirements
from lerconf.results import CheckResult, Severity, Status
from lerconf.verdicts import Broken, CannotJudge
from lerconf.verify.report import VerificationReport, could_not_check

__all__ = ["PositiveControl", "expect_accepted", "expect_checkable", "expect_checks", "expect_observed", "expect_refusal",
           "expect_requirement_met", "expect_satisfied", "expect_verdict", "refusal_reason_findings",
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


def expect_checkable(results: Sequence[CheckResult], report: VerificationReport | None = None,
                     evidence: Evidence | None = None) -> None:
    """lerconf's engine judged a vendor's document: when it could not check what the scenario is
    about, the scenario *cannot be judged* (:class:`~lerconf.verdicts.CannotJudge`, with the cause
    and the fix), never a vendor failure. That is so when every MUST failure among ``results`` is
    one lerconf could not check (it got no answer for a DID document, key or status list: see
    :func:`lerconf.verify.report.could_not_check`), or when none of ``results`` applied and the
    engine's ``report`` has such failures (verification stopped at what lerconf could not reach).
    The results lerconf could not check go into ``evidence`` (when given and not there yet)."""
    failures = [r for r in results if r.status is Status.FAILED and r.severity is Severity.MUST]
    if failures:
        unchecked = failures if all(could_not_check(r) for r in failures) else []
    else:
        unchecked = [r for _, r in report.unchecked()] if report is not None and not results else []
    if unchecked:
        if evidence is not None:
            evidence.checks.extend(r for r in unchecked if r not in evidence.checks)
        causes = "; ".join(f"{r.requirement}: {r.message}" for r in unchecked)
        fixes = "; ".join(dict.fromkeys(str(r.details["fix"]) for r in unchecked if r.details.get("fix")))
        raise CannotJudge(f"lerconf could not check the vendor's document: {causes}" + (f" (fix: {fixes})" if fixes else ""))


def expect_observed(observation: Observation, what: str) -> Observation:
    """An OpenID verifier's verdict on ``what``, once there is one to judge: no usable answer, or a
    verdict the profile's verdict source cannot show, breaks the scenario (never passed, never failed)."""
    if observation.seen is Seen.NOT_OBSERVABLE:
        raise Broken(f"{what}: verdict not observable: {observation.reason}")
    if observation.seen is Seen.BROKEN:
        raise Broken(f"{what}: no verdict: {observation.reason}")
    return observation


def expect_requirement_met(evidence: Evidence, results: list[CheckResult], requirement: str) -> None:
    """As :func:`expect_checks`; and when ``requirement`` is itself a SHOULD (its registry strength),
    its scenario is about that recommendation: a warning of it fails the scenario (with severity
    SHOULD: the run still exits 0). A refusal-reason finding (another error code, none) stays a
    finding: the recommendation is the refusal, not its wording."""
    expect_checks(evidence, results)
    if all_requirements()[requirement].strength is Severity.MUST:
        return
    unmet = [r for r in results if r.requirement == requirement and r.status is Status.WARNING
             and not r.details.get("refusal_reason")]
    if unmet:
        raise AssertionError("; ".join(f"{r.requirement} ({r.severity.value}): {r.message}" for r in unmet))


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
    defect = evidence.defect.what if evidence.defect and expected is VerifierVerdict.REJECTED else None
    results = [verdict_check_for(rid)(answer, expected, defect) for rid in requirements]
    if expected is VerifierVerdict.REJECTED and answer.verdict is VerifierVerdict.REJECTED:
        results += refusal_reason_findings(evidence, requirements, answer.exchange.status, answer.exchange.json)
    expect_checks(evidence, results)


def expect_refusal(evidence: Evidence, exchange: Exchange, requirements: Sequence[str]) -> None:
    """An issuer's answer to a malformed issue request, judged by each requirement's refusal check:
    a 400/422 passes, a signed credential fails (naming the defect lerconf injected), no usable
    answer (5xx, timeout) breaks. A refusal (an auth error, 401/403, included) whose stated reason is
    not the defect's adds a SHOULD warning (:func:`refusal_reason_findings`)."""
    if exchange.outcome not in (Outcome.ACCEPTED, Outcome.REJECTED, Outcome.AUTH_ERROR):
        raise Broken(f"the malformed issue request: expected a 400/422 rejection, got {exchange.outcome.value}: "
                     f"{exchange.reason}")
    defect = evidence.defect.what if evidence.defect else None
    results = [refusal_check_for(rid)(exchange, defect) for rid in requirements]
    if exchange.outcome in (Outcome.REJECTED, Outcome.AUTH_ERROR):
        results += refusal_reason_findings(evidence, requirements, exchange.status, exchange.json)
    expect_checks(evidence, results)


def refusal_reason_findings(evidence: Evidence, requirements: Sequence[str], status: int | None,
                            body: Any) -> list[CheckResult]:
    """A refusal of lerconf's defective request or document, compared with the defect it injected
    (evidence.defect: the error types the spec names for it; else the requirement's own, else any
    stated reason will do): a SHOULD warning per requirement when the vendor gave another reason or
    none, nothing when it named the defect."""
    findings = []
    for rid in requirements:
        expected = evidence.defect.expected_errors if evidence.defect else REJECTION_ERRORS.get(rid)
        finding = reason_finding(rid, judge_reason(status, body, expected), subject="refusal reason")
        if finding is not None:
            findings.append(finding)
    return findings


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
