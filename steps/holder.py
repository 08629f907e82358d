"""Steps of features/holder/: the holder under test presents lerconf's badge, and its presentation
is judged (one line each into lerconf.scenarios)."""
from __future__ import annotations

from pytest_bdd import parsers, then, when

from lerconf.evidence import Evidence
from lerconf.protocol.vcapi import Presented
from lerconf.scenarios import vcapi as flows
from lerconf.scenarios import vcapi_judge as judge
from lerconf.scenarios.harness import Harness, VendorUnderTest


@when(parsers.parse('the holder under test presents it with that challenge and domain "{domain}"'), target_fixture="presented")
def _(vendor: VendorUnderTest, badge: flows.Badge, challenge: str, domain: str) -> Presented:
    return flows.present_to_holder(vendor, badge, challenge, domain)


@then("the holder answers with a presentation that verifies with lerconf's engine for that challenge and domain")
def _(harness: Harness, evidence: Evidence, presented: Presented, challenge: str) -> None:
    judge.presentation_verifies(harness, evidence, presented, challenge)


@then(parsers.parse('the presentation satisfies "{requirement}" for that challenge and domain'))
def _(harness: Harness, evidence: Evidence, presented: Presented, challenge: str, requirement: str) -> None:
    judge.presentation_satisfies(harness, evidence, presented, challenge, requirement)


@then("the presented credential is the one it was given, unchanged")
def _(evidence: Evidence, presented: Presented, badge: flows.Badge) -> None:
    judge.presented_credential_unchanged(evidence, presented, badge)
