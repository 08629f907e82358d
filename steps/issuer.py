"""Steps of features/issuer/: the issuer under test issues, or is asked to issue a malformed badge,
and what it issued is judged (one line each into lerconf.scenarios)."""
from __future__ import annotations

from pytest_bdd import parsers, then, when

from lerconf.evidence import Evidence
from lerconf.protocol.vcapi import Issued
from lerconf.scenarios import vcapi as flows
from lerconf.scenarios import vcapi_judge as judge
from lerconf.scenarios.harness import Harness, VendorUnderTest


@when(parsers.parse('the issuer under test issues an Open Badge for VC "{vc_version}" secured with "{securing}"'),
      target_fixture="issued_badge")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, vc_version: str, securing: str) -> flows.IssuedBadge:
    return flows.issue_badge(harness, vendor, evidence, vc_version=vc_version, securing=securing)


@when(parsers.parse('the issuer under test issues an Open Badge with a "{purpose}" status entry secured with "{securing}"'),
      target_fixture="issued_badge")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, purpose: str, securing: str) -> flows.IssuedBadge:
    return flows.issue_badge(harness, vendor, evidence, vc_version="2.0", securing=securing, status_purpose=purpose)


@when(parsers.parse('the issuer under test is asked to issue a badge with "{defect}"'), target_fixture="issued")
def _(vendor: VendorUnderTest, defect: str) -> Issued:
    return flows.issue_malformed(vendor, defect)


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
def _(evidence: Evidence, vendor: VendorUnderTest, issued: Issued, requirement_ids: tuple[str, ...]) -> None:
    judge.issuer_refused(evidence, vendor, issued, requirement_ids)
