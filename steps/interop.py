"""Steps of features/interop/: one vendor's issuer, holder and verifier against another's
(one line each into lerconf.scenarios.vcapi)."""
from __future__ import annotations

from pytest_bdd import given, parsers, when

from lerconf.evidence import Evidence
from lerconf.protocol.vcapi import VerifierAnswer
from lerconf.scenarios import vcapi as flows
from lerconf.scenarios.harness import Harness


@given("a badge issued by the interop issuer", target_fixture="issued_badge")
def _(harness: Harness, interop: flows.InteropParties, evidence: Evidence) -> flows.IssuedBadge:
    return flows.interop_issue(harness, interop, evidence)


@given(parsers.parse('a badge with a "{purpose}" status entry issued by the interop issuer'), target_fixture="issued_badge")
def _(harness: Harness, interop: flows.InteropParties, evidence: Evidence, purpose: str) -> flows.IssuedBadge:
    return flows.interop_issue(harness, interop, evidence, status_purpose=purpose)


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
