"""Then steps: expectations, each one line into lerconf.scenarios (never a check in a step).

Verdict and refusal steps judge the requirement the scenario is tagged with (``requirement_ids``,
from its tags); ``satisfies "<id>"`` steps name it, and a lint keeps the two in agreement.
"""
from __future__ import annotations

from pytest_bdd import parsers, then

from lerconf.evidence import Evidence
from lerconf.protocol.vcapi import Issued, Presented, VerifierAnswer, VerifierVerdict
from lerconf.scenarios import vcapi as flows
from lerconf.scenarios import vcapi_judge as judge
from lerconf.scenarios.expect import expect_refusal, expect_verdict
from lerconf.scenarios.harness import Harness, VendorUnderTest


@then("the issuer answers with a secured credential")
def _(evidence: Evidence, issued_badge: flows.IssuedBadge) -> None:
    judge.issue_answered(evidence, issued_badge)


@then(parsers.parse('the issued credential satisfies "{requirement}"'))
def _(evidence: Evidence, issued_badge: flows.IssuedBadge, requirement: str) -> None:
    judge.issued_credential_satisfies(evidence, issued_badge, requirement)


@then("the issued credential's proof verifies with lerconf's engine")
def _(evidence: Evidence, issued_badge: flows.IssuedBadge) -> None:
    judge.issued_proof_verifies(evidence, issued_badge)


@then("the issued credential keeps every submitted property")
def _(evidence: Evidence, issued_badge: flows.IssuedBadge) -> None:
    judge.issued_credential_keeps_input(evidence, issued_badge)


@then("the issued credential names the issuer the vendor profile names")
def _(evidence: Evidence, vendor: VendorUnderTest, issued_badge: flows.IssuedBadge) -> None:
    judge.issued_credential_names_its_issuer(evidence, vendor, issued_badge)


@then("the issuer rejects the request")
def _(evidence: Evidence, issued: Issued, requirement_ids: tuple[str, ...]) -> None:
    expect_refusal(evidence, issued.exchange, requirement_ids)


@then("the verifier accepts it")
def _(evidence: Evidence, answer: VerifierAnswer, requirement_ids: tuple[str, ...]) -> None:
    expect_verdict(evidence, answer, VerifierVerdict.ACCEPTED, requirement_ids)


@then("the verifier rejects it")
def _(evidence: Evidence, answer: VerifierAnswer, requirement_ids: tuple[str, ...]) -> None:
    expect_verdict(evidence, answer, VerifierVerdict.REJECTED, requirement_ids)


@then("the holder answers with a presentation that verifies with lerconf's engine for that challenge and domain")
def _(harness: Harness, evidence: Evidence, presented: Presented, challenge: str) -> None:
    judge.presentation_verifies(harness, evidence, presented, challenge)


@then(parsers.parse('the presentation satisfies "{requirement}" for that challenge and domain'))
def _(harness: Harness, evidence: Evidence, presented: Presented, challenge: str, requirement: str) -> None:
    judge.presentation_satisfies(harness, evidence, presented, challenge, requirement)


@then("the presented credential is the one it was given, unchanged")
def _(evidence: Evidence, presented: Presented, badge: flows.Badge) -> None:
    judge.presented_credential_unchanged(evidence, presented, badge)
