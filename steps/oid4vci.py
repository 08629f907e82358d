"""OID4VCI issuer steps (lerconf plays the wallet). One line each into lerconf.scenarios
(oid4vci_flow, oid4vci_issuance, oid4vci_issuer: what a scenario does; oid4vci_requirements: how
an id is judged)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from pytest_bdd import given, parsers, then, when

from lerconf.evidence import Evidence
from lerconf.protocol.oid4vci import Answer, Offer
from lerconf.scenarios import oid4vci_flow as flow
from lerconf.scenarios import oid4vci_issuance as issuance
from lerconf.scenarios import oid4vci_issuer as issuer
from lerconf.scenarios import oid4vci_requirements as judged
from lerconf.scenarios.expect import expect_checks, expect_requirement_met
from lerconf.scenarios.harness import Harness, VendorUnderTest
from lerconf.scenarios.subjects import satisfied

if TYPE_CHECKING:
    import pytest


@given("the OID4VCI issuer under test", target_fixture="vci")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, request: pytest.FixtureRequest) -> flow.VciSession:
    return flow.open_session(harness, vendor, evidence, request)


# -- when: metadata, offers, tokens, nonces -------------------------------------------------------
@when(parsers.parse('lerconf fetches the authorization server\'s metadata for the "{grant}" grant'),
      target_fixture="vci_attempt")
def _(vci: flow.VciSession, grant: str) -> flow.Attempt:
    return issuer.authorization_server_metadata(vci, grant)


@when(parsers.parse('the issuer under test creates a credential offer delivered "{delivery}"'), target_fixture="vci_offer")
def _(vci: flow.VciSession, evidence: Evidence, delivery: str) -> Offer:
    return flow.request_offer(vci, evidence, by_reference=delivery == "by reference")


@when(parsers.parse('lerconf redeems a fresh offer {offer_kind} sending {sent}'), target_fixture="vci_attempt")
def _(vci: flow.VciSession, evidence: Evidence, offer_kind: str, sent: str) -> flow.Attempt:
    return flow.token_for_offer(vci, evidence, offer_kind, sent)


@when("lerconf redeems a pre-authorized code a second time", target_fixture="vci_attempt")
def _(vci: flow.VciSession, evidence: Evidence) -> flow.Attempt:
    return issuer.token_replay(vci, evidence)


@when(parsers.parse("lerconf sends {attempts:d} wrong tx_codes and then the right one"), target_fixture="vci_attempt")
def _(vci: flow.VciSession, evidence: Evidence, attempts: int) -> flow.Attempt:
    return issuer.tx_code_guessing(vci, evidence, attempts)


@when(parsers.parse("lerconf redeems an authorization code sending {misuse}"), target_fixture="vci_attempt")
def _(vci: flow.VciSession, evidence: Evidence, misuse: str) -> flow.Attempt:
    return issuance.misuse_authorization_code(vci, evidence, misuse)


@when("lerconf calls the nonce endpoint twice", target_fixture="nonce_answers")
def _(vci: flow.VciSession) -> tuple[Answer, Answer]:
    return issuer.two_nonces(vci)


# -- when: credential requests --------------------------------------------------------------------
@when(parsers.parse('lerconf requests a credential with {defect}'), target_fixture="vci_attempt")
def _(vci: flow.VciSession, evidence: Evidence, defect: str) -> flow.Attempt:
    return issuer.send_defective_request(vci, evidence, defect)


@when(parsers.parse('lerconf requests a credential without a valid access token ({kind})'), target_fixture="vci_attempt")
def _(vci: flow.VciSession, evidence: Evidence, kind: str) -> flow.Attempt:
    return issuer.without_valid_token(vci, evidence, kind)


@when("lerconf asks the deferred credential endpoint for a transaction_id it never received", target_fixture="vci_attempt")
def _(vci: flow.VciSession, evidence: Evidence) -> flow.Attempt:
    return issuance.unknown_transaction(vci, evidence)


@when(parsers.parse('lerconf obtains a "{fmt}" credential over the pre-authorized code flow'), target_fixture="vci_issuance")
def _(vci: flow.VciSession, evidence: Evidence, fmt: str) -> flow.Issuance:
    return flow.issue(vci, evidence, fmt)


@when(parsers.parse('lerconf obtains a "{fmt}" credential over the authorization code flow'), target_fixture="vci_issuance")
def _(vci: flow.VciSession, evidence: Evidence, fmt: str) -> flow.Issuance:
    return issuance.issue_with_code(vci, evidence, fmt)


@when(parsers.parse('lerconf obtains a "{fmt}" credential over deferred issuance'), target_fixture="vci_issuance")
def _(vci: flow.VciSession, evidence: Evidence, fmt: str) -> flow.Issuance:
    return issuance.deferred_issue(vci, evidence, fmt)


@when(parsers.parse('lerconf obtains a "{fmt}" credential with a di_vp key proof'), target_fixture="vci_issuance")
def _(vci: flow.VciSession, evidence: Evidence, fmt: str) -> flow.Issuance:
    return issuance.di_vp_issue(vci, evidence, fmt)


# -- then: one generic step per subject, judged through oid4vci_requirements ---------------------
@then(parsers.parse('the issuer\'s metadata satisfies "{requirement}"'))
def _(vci: flow.VciSession, evidence: Evidence, requirement: str) -> None:
    expect_checks(evidence, satisfied(judged.METADATA, requirement, vci))


@then(parsers.parse('the issuer\'s "{fmt}" credential configuration satisfies "{requirement}"'))
def _(vci: flow.VciSession, evidence: Evidence, fmt: str, requirement: str) -> None:
    expect_checks(evidence, satisfied(judged.CONFIGURATION, requirement, vci, fmt))


@then(parsers.parse('the authorization server\'s metadata satisfies "{requirement}"'))
def _(vci_attempt: flow.Attempt, evidence: Evidence, requirement: str) -> None:
    expect_checks(evidence, satisfied(judged.AUTHORIZATION_SERVER, requirement, vci_attempt))


@then(parsers.parse('the credential offer satisfies "{requirement}"'))
def _(vci: flow.VciSession, vci_offer: Offer, evidence: Evidence, requirement: str) -> None:
    expect_checks(evidence, satisfied(judged.OFFER, requirement, vci, vci_offer))


@then(parsers.parse('the token response satisfies "{requirement}"'))
def _(vci_attempt: flow.Attempt, evidence: Evidence, requirement: str) -> None:
    expect_requirement_met(evidence, satisfied(judged.TOKEN_RESPONSE, requirement, vci_attempt), requirement)


@then(parsers.parse('the token response of the issuance satisfies "{requirement}"'))
def _(vci_issuance: flow.Issuance, evidence: Evidence, requirement: str) -> None:
    expect_checks(evidence, satisfied(judged.ISSUANCE_TOKEN, requirement, vci_issuance))


@then(parsers.parse('the nonce responses satisfy "{requirement}"'))
def _(nonce_answers: tuple[Answer, Answer], evidence: Evidence, requirement: str) -> None:
    expect_checks(evidence, satisfied(judged.NONCES, requirement, nonce_answers))


@then(parsers.re(r'the (?:token|credential|deferred credential) endpoint refuses it(?: with "(?P<error>[^"]+)")?, '
                 r'satisfying "(?P<requirement>[^"]+)"'))
def _(vci: flow.VciSession, vci_attempt: flow.Attempt, evidence: Evidence, error: str | None, requirement: str) -> None:
    judged.expect_refusal(evidence, vci_attempt, requirement, error, issuer.valid_issuance(vci, evidence, vci_attempt.flow))


@then(parsers.parse('the credential response satisfies "{requirement}"'))
def _(vci_issuance: flow.Issuance, evidence: Evidence, requirement: str) -> None:
    expect_checks(evidence, satisfied(judged.CREDENTIAL_RESPONSE, requirement, vci_issuance))


@then(parsers.parse('the deferred responses satisfy "{requirement}"'))
def _(vci_issuance: flow.Issuance, evidence: Evidence, requirement: str) -> None:
    expect_checks(evidence, satisfied(judged.DEFERRED, requirement, vci_issuance))


@then(parsers.parse('the received credential satisfies "{requirement}"'))
def _(vci_issuance: flow.Issuance, evidence: Evidence, requirement: str) -> None:
    expect_checks(evidence, satisfied(judged.ISSUED, requirement, vci_issuance))


@then("the received credential passes lerconf's engine")
def _(harness: Harness, vci_issuance: flow.Issuance, evidence: Evidence) -> None:
    issuer.expect_engine_passes(harness, vci_issuance, evidence)
