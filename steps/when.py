"""When steps: the one call to the vendor a scenario is about (one line each into lerconf.scenarios.vcapi)."""
from __future__ import annotations

from pytest_bdd import parsers, when

from lerconf.evidence import Evidence
from lerconf.protocol.vcapi import Issued, Presented, VerifierAnswer
from lerconf.scenarios import vcapi as flows
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


@when("the credential is sent to the verifier under test", target_fixture="answer")
def _(vendor: VendorUnderTest, badge: flows.Badge) -> VerifierAnswer:
    return flows.verify_with_vendor(vendor, badge)


@when(parsers.parse('the holder under test presents it with that challenge and domain "{domain}"'), target_fixture="presented")
def _(vendor: VendorUnderTest, badge: flows.Badge, challenge: str, domain: str) -> Presented:
    return flows.present_to_holder(vendor, badge, challenge, domain)


@when(parsers.parse('lerconf presents it to the verifier under test signed for challenge "{signed_for}" and domain "{domain}", '
                    'expecting challenge "{expected}"'), target_fixture="answer")
def _(harness: Harness, vendor: VendorUnderTest, badge: flows.Badge, signed_for: str, domain: str, expected: str) -> VerifierAnswer:
    return flows.present_signed_for(harness, vendor, badge, challenge=signed_for, domain=domain,
                                    expected_challenge=expected, expected_domain=domain)


@when(parsers.parse('lerconf presents it to the verifier under test for domain "{signed_for}", expecting domain "{expected}"'),
      target_fixture="answer")
def _(harness: Harness, vendor: VendorUnderTest, badge: flows.Badge, challenge: str, signed_for: str, expected: str) -> VerifierAnswer:
    return flows.present_signed_for(harness, vendor, badge, challenge=challenge, domain=signed_for,
                                    expected_challenge=challenge, expected_domain=expected)


@when("lerconf presents it to the verifier under test with the presentation altered after signing", target_fixture="answer")
def _(harness: Harness, vendor: VendorUnderTest, badge: flows.Badge, challenge: str) -> VerifierAnswer:
    return flows.present_altered(harness, vendor, badge, challenge, flows.PRESENTATION_DOMAIN)


@when("the holder presents it to the verifier", target_fixture="answer")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, issued_badge: flows.IssuedBadge) -> VerifierAnswer:
    return flows.present_and_verify(harness, vendor, evidence, issued_badge)


@when("the issuer revokes it")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, issued_badge: flows.IssuedBadge) -> None:
    flows.revoke(harness, vendor, evidence, issued_badge)


@when("it is sent to the interop verifier", target_fixture="answer")
def _(interop: flows.InteropParties, issued_badge: flows.IssuedBadge) -> VerifierAnswer:
    return flows.interop_verify(interop, issued_badge)


@when("the interop holder presents it to the interop verifier", target_fixture="answer")
def _(harness: Harness, interop: flows.InteropParties, evidence: Evidence, badge: flows.Badge) -> VerifierAnswer:
    return flows.interop_present(harness, interop, evidence, badge.credential)


@when("the interop holder presents that badge to the interop verifier", target_fixture="answer")
def _(harness: Harness, interop: flows.InteropParties, evidence: Evidence, issued_badge: flows.IssuedBadge) -> VerifierAnswer:
    return flows.interop_present(harness, interop, evidence, issued_badge.issued.credential)


@when("the interop issuer revokes it")
def _(harness: Harness, interop: flows.InteropParties, evidence: Evidence, issued_badge: flows.IssuedBadge) -> None:
    flows.interop_revoke(harness, interop, evidence, issued_badge)
