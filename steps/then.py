"""Then steps: expectations, each stated through lerconf.scenarios.expect (never a check in a step)."""
from __future__ import annotations

from pytest_bdd import parsers, then

from lerconf.checks import issuance
from lerconf.clients.vcapi import Issued, Presented, Verdict, VerifierAnswer
from lerconf.evidence import Evidence
from lerconf.results import Category
from lerconf.scenarios import vcapi as flows
from lerconf.scenarios.expect import (
    expect_accepted,
    expect_checks,
    expect_rejected,
    expect_verdict,
)
from lerconf.scenarios.harness import Harness, VendorUnderTest


@then("the issuer answers with a secured credential")
def _(evidence: Evidence, issued_badge: flows.IssuedBadge) -> None:
    expect_accepted(issued_badge.issued.exchange, "the issue request")
    ex = issued_badge.issued.exchange
    expect_checks(evidence, [issuance.issue_answered_201(ex.status, ex.json)])


@then(parsers.parse('the issued credential satisfies "{requirement}"'))
def _(evidence: Evidence, issued_badge: flows.IssuedBadge, requirement: str) -> None:
    expect_accepted(issued_badge.issued.exchange, "the issue request")
    expect_checks(evidence, issued_badge.results(requirement) or [flows.nothing_to_check(issued_badge, requirement)])


@then("the issued credential's proof verifies with lerconf's engine")
def _(evidence: Evidence, issued_badge: flows.IssuedBadge) -> None:
    expect_accepted(issued_badge.issued.exchange, "the issue request")
    report = issued_badge.report
    assert report is not None
    expect_checks(evidence, [r for r in report.checks if r.category in (Category.PROOF, Category.JOSE_CLAIMS, Category.PARSE)])


@then("the issued credential keeps every submitted property")
def _(evidence: Evidence, issued_badge: flows.IssuedBadge) -> None:
    expect_accepted(issued_badge.issued.exchange, "the issue request")
    issued = issued_badge.issued.credential
    assert isinstance(issued, dict), "the issuer returned a JWT; property preservation is checked on the payload"
    expect_checks(evidence, [issuance.issued_credential_preserves_input(issued_badge.submitted, issued)])


@then("the issued credential names the issuer the vendor profile names")
def _(evidence: Evidence, vendor: VendorUnderTest, issued_badge: flows.IssuedBadge) -> None:
    expect_accepted(issued_badge.issued.exchange, "the issue request")
    issued = issued_badge.issued.credential
    document = issued if isinstance(issued, dict) else (issued_badge.report.document if issued_badge.report else {})
    expect_checks(evidence, [issuance.issuer_is_the_configured_issuer(document, flows.issuer_id_of(vendor))])


@then("the issuer rejects the request")
def _(evidence: Evidence, issued: Issued) -> None:
    expect_rejected(issued.exchange, "the malformed issue request")


@then("the verifier accepts it")
def _(evidence: Evidence, answer: VerifierAnswer) -> None:
    expect_verdict(answer, Verdict.ACCEPTED, "a valid document")


@then("the verifier rejects it")
def _(evidence: Evidence, answer: VerifierAnswer) -> None:
    expect_verdict(answer, Verdict.REJECTED, "a defective document")


@then("the holder answers with a presentation that verifies with lerconf's engine for that challenge and domain")
def _(harness: Harness, evidence: Evidence, presented: Presented, challenge: str) -> None:
    expect_accepted(presented.exchange, "the presentation request")
    report = flows.verify(harness, presented.presentation, "presentation", challenge=challenge, domain="verifier.example")
    evidence.keep("presentation", presented.presentation)
    expect_checks(evidence, report.all_checks())


@then(parsers.parse('the presentation satisfies "{requirement}" for that challenge and domain'))
def _(harness: Harness, evidence: Evidence, presented: Presented, challenge: str, requirement: str) -> None:
    expect_accepted(presented.exchange, "the presentation request")
    report = flows.verify(harness, presented.presentation, "presentation", challenge=challenge, domain="verifier.example")
    expect_checks(evidence, [r for r in report.all_checks() if r.requirement == requirement])


@then("the presented credential is the one it was given, unchanged")
def _(evidence: Evidence, presented: Presented, badge: flows.Badge) -> None:
    expect_accepted(presented.exchange, "the presentation request")
    expect_checks(evidence, [flows.presented_credential_unchanged(presented.presentation, badge.credential)])
