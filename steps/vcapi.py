"""VC API steps every VC API feature folder shares: the vendor under test, the badges lerconf
signs and mutates, and the verifier's verdict on them (one line each into lerconf.scenarios)."""
from __future__ import annotations

from pytest_bdd import given, parsers, then

from lerconf.evidence import Evidence
from lerconf.protocol.vcapi import VerifierAnswer, VerifierVerdict
from lerconf.scenarios import vcapi as flows
from lerconf.scenarios.expect import expect_verdict
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


@given("a fresh challenge", target_fixture="challenge")
def _() -> str:
    return flows.new_challenge()


@then("the verifier accepts it")
def _(evidence: Evidence, answer: VerifierAnswer, requirement_ids: tuple[str, ...]) -> None:
    expect_verdict(evidence, answer, VerifierVerdict.ACCEPTED, requirement_ids)


@then("the verifier rejects it")
def _(evidence: Evidence, answer: VerifierAnswer, requirement_ids: tuple[str, ...]) -> None:
    expect_verdict(evidence, answer, VerifierVerdict.REJECTED, requirement_ids)
