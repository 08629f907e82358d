"""Steps of features/lifecycle/vcapi-*: issue with a status entry, present (or disclose in part), revoke,
present again (one line each into lerconf.scenarios.vcapi and lerconf.scenarios.selective_lifecycle)."""
from __future__ import annotations

from typing import Any

from pytest_bdd import given, parsers, then, when

from lerconf.evidence import Evidence
from lerconf.protocol.vcapi import VerifierAnswer
from lerconf.scenarios import selective_lifecycle as sd_life
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


# -- the lifecycle of a badge disclosed in part (features/lifecycle/vcapi-revocation-selective) --------
@given(parsers.parse('a revocable Open Badge the issuer signed with "{securing}" so that it can be shown in part'),
       target_fixture="issued_badge")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, securing: str) -> flows.IssuedBadge:
    return sd_life.issue_revocable_base_proof(harness, vendor, evidence, securing)


@when("the holder shows part of it, keeping its status entry", target_fixture="disclosed")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, issued_badge: flows.IssuedBadge) -> dict[str, Any]:
    return sd_life.disclose_revocable(harness, vendor, evidence, issued_badge)


@when("the verifier checks the part shown", target_fixture="answer")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, disclosed: dict[str, Any]) -> VerifierAnswer:
    return sd_life.verify_disclosure(harness, vendor, evidence, disclosed)


@then("the verifier rejects it because it is revoked, not because of its proof")
def _(evidence: Evidence, answer: VerifierAnswer, requirement_ids: tuple[str, ...]) -> None:
    sd_life.refused_for_its_status(evidence, answer, requirement_ids)
