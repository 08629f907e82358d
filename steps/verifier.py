"""Steps of features/verifier/: lerconf sends its credentials and presentations to the verifier
under test (one line each into lerconf.scenarios.vcapi)."""
from __future__ import annotations

from pytest_bdd import parsers, when

from lerconf.evidence import Evidence
from lerconf.protocol.vcapi import VerifierAnswer
from lerconf.scenarios import vcapi as flows
from lerconf.scenarios.harness import Harness, VendorUnderTest


@when("the credential is sent to the verifier under test", target_fixture="answer")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, badge: flows.Badge) -> VerifierAnswer:
    return flows.verify_with_vendor(harness, vendor, evidence, badge)


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
