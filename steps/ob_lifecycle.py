"""Steps of features/lifecycle/ob-host-revocation.feature: the issuer's badge stored on the host
under test, read back, verified, revoked (one line each into lerconf.scenarios.obapi_lifecycle)."""
from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from lerconf.evidence import Evidence
from lerconf.protocol.vcapi import VerifierAnswer, VerifierVerdict
from lerconf.scenarios import obapi_lifecycle as lifecycle
from lerconf.scenarios import vcapi as flows
from lerconf.scenarios.expect import expect_checks, expect_verdict
from lerconf.scenarios.harness import Harness, VendorUnderTest


@given(parsers.parse('an Open Badge issued with a "revocation" status entry for the host'), target_fixture="issued_badge")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence) -> flows.IssuedBadge:
    return lifecycle.issue_for_host(harness, vendor, evidence)


@when("the issuer's badge is stored on the host under test", target_fixture="hosted_badge")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, issued_badge: flows.IssuedBadge) -> lifecycle.HostedBadge:
    return lifecycle.store_on_host(harness, vendor, evidence, issued_badge)


@then("the host returns the badge it stored, nothing lost")
def _(evidence: Evidence, hosted_badge: lifecycle.HostedBadge) -> None:
    expect_checks(evidence, lifecycle.hosted_badge_read_back(hosted_badge, evidence))


@when("the verifier checks the badge the host returns", target_fixture="answer")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, hosted_badge: lifecycle.HostedBadge) -> VerifierAnswer:
    return lifecycle.verify_hosted(harness, vendor, evidence, hosted_badge)


@when("the issuer revokes the badge it stored on the host")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, hosted_badge: lifecycle.HostedBadge) -> None:
    lifecycle.revoke_hosted(harness, vendor, evidence, hosted_badge)


@then("the verifier accepts the badge the host returns")
def _(evidence: Evidence, answer: VerifierAnswer) -> None:
    expect_verdict(evidence, answer, VerifierVerdict.ACCEPTED, lifecycle.VERDICT_IDS)


@then("the verifier refuses the badge the host returns")
def _(evidence: Evidence, answer: VerifierAnswer) -> None:
    expect_verdict(evidence, answer, VerifierVerdict.REJECTED, lifecycle.VERDICT_IDS)
