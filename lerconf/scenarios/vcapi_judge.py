"""What the VC API Then steps judge: an issued credential, a holder's presentation, a verifier's
verdict, an issuer's refusal. Each gathers the facts and hands them to the one verdict rule
(lerconf.scenarios.expect); the checks themselves live in lerconf.checks.
"""
from __future__ import annotations

from collections.abc import Sequence

from lerconf.checks.issuance import (
    issue_answered_201,
    issued_badge_proof_verifies,
    issued_credential_preserves_input,
    issuer_is_the_configured_issuer,
)
from lerconf.checks.presentation import (
    holder_signs_a_verifying_presentation,
    presentation_proof_is_for_authentication,
    presented_credential_is_unchanged,
)
from lerconf.checks.status import issued_status_list_serves_a_verifying_list
from lerconf.evidence import Evidence
from lerconf.protocol.vcapi import Issued, Presented
from lerconf.results import Category, CheckResult
from lerconf.scenarios.expect import expect_accepted, expect_checkable, expect_checks, expect_refusal, under_positive_control
from lerconf.scenarios.harness import Harness, VendorUnderTest
from lerconf.scenarios.vcapi import PRESENTATION_DOMAIN, Badge, IssuedBadge, issuer_id_of, nothing_to_check, valid_issue_control, verify
from lerconf.verify.report import VerificationReport

__all__ = [
    "COMPOSED_OF",
    "issue_answered",
    "issued_credential_keeps_input",
    "issued_credential_names_its_issuer",
    "issued_credential_satisfies",
    "issued_proof_verifies",
    "issuer_refused",
    "presentation_satisfies",
    "presentation_verifies",
    "presented_credential_unchanged",
]

#: requirements judged on the issued credential through the engine results of their parts
COMPOSED_OF = {"BSL-04": ("BSL-04", "BSL-14", "BSL-18")}
#: the parts of DIVP-01: a presentation proof for authentication, for that domain and challenge
DIVP_PARTS = ("DI-12", "DI-13", "DI-14")
#: what lerconf's engine says about the proof of an issued credential (OB-12)
PROOF_CATEGORIES = (Category.PROOF, Category.JOSE_CLAIMS, Category.PARSE)


def issue_answered(evidence: Evidence, badge: IssuedBadge) -> None:
    """API-01: the issuer answered the issue request 201 with the secured credential."""
    expect_accepted(badge.issued.exchange, "the issue request")
    expect_checks(evidence, [issue_answered_201(badge.issued.exchange.status, badge.issued.exchange.json)])


def issuer_refused(evidence: Evidence, vendor: VendorUnderTest, issued: Issued, requirements: Sequence[str]) -> None:
    """The issuer refused the defective request (lerconf.scenarios.expect.expect_refusal), and signs
    its valid counterpart in a fresh call: otherwise the refusal proves nothing (cannot be judged)."""
    expect_refusal(evidence, issued.exchange, requirements)
    under_positive_control(evidence, valid_issue_control(vendor), "the valid badge the defective request was made from")


def issued_credential_satisfies(evidence: Evidence, badge: IssuedBadge, requirement: str) -> None:
    """The engine's checks of ``requirement`` on the issued credential (composed ones with their parts)."""
    expect_accepted(badge.issued.exchange, "the issue request")
    parts = COMPOSED_OF.get(requirement)
    if parts is None:
        own = badge.results(requirement)
        expect_checkable(own, badge.report, evidence)  # lerconf could not reach a key or list: cannot be judged
        expect_checks(evidence, own or [nothing_to_check(badge, requirement)])
        return
    results = [r for part in parts for r in badge.results(part)]
    evidence.checks.extend(results)
    expect_checkable(results, badge.report)
    expect_checks(evidence, [issued_status_list_serves_a_verifying_list(results)])


def issued_proof_verifies(evidence: Evidence, badge: IssuedBadge) -> None:
    """OB-12: the issued badge's proof verifies with lerconf's engine."""
    expect_accepted(badge.issued.exchange, "the issue request")
    results = [r for r in badge.report.checks if r.category in PROOF_CATEGORIES] if badge.report else []
    evidence.checks.extend(results)
    expect_checkable(results, badge.report)
    expect_checks(evidence, [issued_badge_proof_verifies(results)])


def issued_credential_keeps_input(evidence: Evidence, badge: IssuedBadge) -> None:
    """API-02: the issued credential keeps every property lerconf submitted."""
    expect_accepted(badge.issued.exchange, "the issue request")
    issued = badge.issued.credential
    if not isinstance(issued, dict):
        raise AssertionError("the issuer returned a JWT; property preservation is checked on the payload")
    expect_checks(evidence, [issued_credential_preserves_input(badge.submitted, issued)])


def issued_credential_names_its_issuer(evidence: Evidence, vendor: VendorUnderTest, badge: IssuedBadge) -> None:
    """API-02: the issued credential names the issuer the vendor's profile names."""
    expect_accepted(badge.issued.exchange, "the issue request")
    issued = badge.issued.credential
    document = issued if isinstance(issued, dict) else (badge.report.document if badge.report else {})
    expect_checks(evidence, [issuer_is_the_configured_issuer(document, issuer_id_of(vendor))])


def presentation_verifies(harness: Harness, evidence: Evidence, presented: Presented, challenge: str) -> None:
    """API-08: the holder's presentation (and the credentials in it) verifies for the challenge and domain."""
    expect_accepted(presented.exchange, "the presentation request")
    evidence.keep("presentation", presented.presentation)
    results = _presentation_results(harness, presented, challenge)
    evidence.checks.extend(results)
    expect_checkable(results)
    expect_checks(evidence, [holder_signs_a_verifying_presentation(results)])


def presentation_satisfies(harness: Harness, evidence: Evidence, presented: Presented, challenge: str,
                           requirement: str) -> None:
    """The engine's checks of ``requirement`` on the holder's presentation (DIVP-01 through its parts)."""
    expect_accepted(presented.exchange, "the presentation request")
    results = _presentation_results(harness, presented, challenge)
    if requirement != "DIVP-01":
        own = [r for r in results if r.requirement == requirement]
        expect_checkable(own, None if own else _as_report(results), evidence)
        expect_checks(evidence, own)
        return
    parts = [r for r in results if r.requirement in DIVP_PARTS]
    evidence.checks.extend(parts)
    expect_checkable(parts, None if parts else _as_report(results))
    expect_checks(evidence, [presentation_proof_is_for_authentication(parts)])


def presented_credential_unchanged(evidence: Evidence, presented: Presented, badge: Badge) -> None:
    """VCDM-21: the holder embeds the credential exactly as it was given."""
    expect_accepted(presented.exchange, "the presentation request")
    expect_checks(evidence, [presented_credential_is_unchanged(presented.presentation, badge.credential)])


def _as_report(results: Sequence[CheckResult]) -> VerificationReport:
    """The engine's results on a presentation as one report (what lerconf could not check in it)."""
    return VerificationReport("presentation", "presentation", checks=list(results))


def _presentation_results(harness: Harness, presented: Presented, challenge: str) -> Sequence[CheckResult]:
    report = verify(harness, presented.presentation, "presentation", challenge=challenge, domain=PRESENTATION_DOMAIN)
    return report.all_checks()
