"""Steps of features/lifecycle/vcapi-*: issue with a status entry, present, revoke, present again
(one line each into lerconf.scenarios.vcapi)."""
from __future__ import annotations

from pytest_bdd import given, parsers, when

from lerconf.evidence import Evidence
from lerconf.protocol.vcapi import VerifierAnswer
from lerconf.scenarios import vcapi as flows
from lerconf.scenarios.harness import Harness, VendorUnderTest


@given(parsers.parse('an Open Badge issued with a "{purpose}" status entry by the issuer'), target_fixture="issued_badge")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, purpose: str) -> flows.IssuedBadge:
    return flows.issue_badge(harness, vendor, evidence, vc_version="2.0", securing="eddsa-rdfc-2022",
                             status_purpose=purpose, fresh=True)


@when("the holder presents it to the verifier", target_fixture="answer")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, issued_badge: flows.IssuedBadge) -> VerifierAnswer:
    return flows.present_and_verify(harness, vendor, evidence, issued_badge)


@when("the issuer revokes it")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, issued_badge: flows.IssuedBadge) -> None:
    flows.revoke(harness, vendor, evidence, issued_badge)
