"""Given steps: the vendor and the credentials a scenario starts from (one line each into lerconf.scenarios)."""
from __future__ import annotations

from pytest_bdd import given, parsers

from lerconf.evidence import Evidence
from lerconf.scenarios import vcapi as flows
from lerconf.scenarios.harness import Harness, VendorUnderTest


@given(parsers.parse("the {role} under test"), target_fixture="role_name")
def _(role: str) -> str:
    return role


@given(parsers.parse('a valid Open Badge signed by lerconf with "{securing}" for VC "{vc_version}"'),
       target_fixture="badge")
def _(harness: Harness, evidence: Evidence, securing: str, vc_version: str) -> flows.Badge:
    return flows.signed_badge(harness, evidence, securing=securing, vc_version=vc_version)


@given(parsers.parse('a valid Open Badge signed by lerconf\'s did:web issuer with "{securing}", which the verifier under test accepts'),
       target_fixture="badge")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, securing: str) -> flows.Badge:
    return flows.did_web_badge_the_verifier_accepts(harness, vendor, evidence, securing)


@given(parsers.parse('a valid Open Badge signed by lerconf with "{securing}" and a clear "{purpose}" status entry'),
       target_fixture="badge")
def _(harness: Harness, evidence: Evidence, securing: str, purpose: str) -> flows.Badge:
    return flows.signed_badge(harness, evidence, securing=securing, status_purpose=purpose)


@given(parsers.parse('that badge mutated by "{mutator}"'), target_fixture="badge")
def _(harness: Harness, evidence: Evidence, badge: flows.Badge, mutator: str) -> flows.Badge:
    return flows.mutated_badge(harness, evidence, badge, mutator)


@given(parsers.parse('an Open Badge issued with a "{purpose}" status entry by the issuer'), target_fixture="issued_badge")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, purpose: str) -> flows.IssuedBadge:
    return flows.issue_badge(harness, vendor, evidence, vc_version="2.0", securing="eddsa-rdfc-2022",
                             status_purpose=purpose, fresh=True)


@given("a fresh challenge", target_fixture="challenge")
def _() -> str:
    return flows.new_challenge()


@given("a badge issued by the interop issuer", target_fixture="issued_badge")
def _(harness: Harness, interop: flows.InteropParties, evidence: Evidence) -> flows.IssuedBadge:
    return flows.interop_issue(harness, interop, evidence)


@given(parsers.parse('a badge with a "{purpose}" status entry issued by the interop issuer'), target_fixture="issued_badge")
def _(harness: Harness, interop: flows.InteropParties, evidence: Evidence, purpose: str) -> flows.IssuedBadge:
    return flows.interop_issue(harness, interop, evidence, status_purpose=purpose)
