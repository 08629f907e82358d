"""Steps of features/interop/: one vendor's issuer, holder and verifier against another's
(one line each into lerconf.scenarios.vcapi), and over OpenID one vendor's issuer, another's
wallet and a verifier (into lerconf.scenarios.interop_openid)."""
from __future__ import annotations

from typing import Any

from pytest_bdd import given, parsers, then, when

from lerconf.evidence import Evidence
from lerconf.protocol.vcapi import VerifierAnswer
from lerconf.scenarios import interop_openid as openid
from lerconf.scenarios import selective_interop as sd_interop
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


@given("a badge the interop issuer issued with a base proof for selective disclosure", target_fixture="issued_badge")
def _(harness: Harness, interop: flows.InteropParties, evidence: Evidence) -> flows.IssuedBadge:
    return sd_interop.interop_base_proof(harness, interop, evidence)


@when("the interop holder discloses part of it", target_fixture="disclosed")
def _(harness: Harness, interop: flows.InteropParties, evidence: Evidence, issued_badge: flows.IssuedBadge) -> dict[str, Any]:
    return sd_interop.interop_disclose(harness, interop, evidence, issued_badge)


@when("the disclosure is sent to the interop verifier", target_fixture="answer")
def _(interop: flows.InteropParties, disclosed: dict[str, Any]) -> VerifierAnswer:
    return sd_interop.interop_verify_disclosed(interop, disclosed)


@when("the interop issuer revokes it")
def _(harness: Harness, interop: flows.InteropParties, evidence: Evidence, issued_badge: flows.IssuedBadge) -> None:
    flows.interop_revoke(harness, interop, evidence, issued_badge)


# -- over OpenID: one vendor's issuer, another's wallet, a verifier (lerconf.scenarios.interop_openid) ----------
@given("the interop wallet holds a badge offered by the interop issuer over OID4VCI", target_fixture="held_openid")
def _(interop: openid.OpenIdParties, evidence: Evidence) -> openid.HeldOpenIdBadge:
    return openid.hold_badge(interop, evidence)


@given("the interop wallet holds a revocable badge offered by the interop issuer over OID4VCI", target_fixture="held_openid")
def _(interop: openid.OpenIdParties, evidence: Evidence) -> openid.HeldOpenIdBadge:
    return openid.hold_badge(interop, evidence, revocable=True)


@when("the interop wallet presents the badge to the interop verifier over OID4VP")
def _(interop: openid.OpenIdParties, evidence: Evidence, held_openid: openid.HeldOpenIdBadge) -> None:
    openid.present(interop, evidence, held_openid)


@then("the interop verifier accepts the presentation")
def _(interop: openid.OpenIdParties, evidence: Evidence, held_openid: openid.HeldOpenIdBadge) -> None:
    openid.expect_verified(interop, evidence, held_openid)


@when("the interop issuer revokes the badge")
def _(interop: openid.OpenIdParties, evidence: Evidence, held_openid: openid.HeldOpenIdBadge) -> None:
    openid.revoke(interop, evidence, held_openid)


@then("the interop verifier refuses the revoked badge")
def _(interop: openid.OpenIdParties, evidence: Evidence, held_openid: openid.HeldOpenIdBadge) -> None:
    openid.expect_refused_as_revoked(interop, evidence, held_openid)
