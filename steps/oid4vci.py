"""OID4VCI issuer steps (lerconf plays the wallet): one line into lerconf.scenarios.oid4vci_issuer or a check."""
from __future__ import annotations

import pytest
from pytest_bdd import given, parsers, then, when

from lerconf.checks import oid4vci as checks
from lerconf.evidence import Evidence
from lerconf.protocol.oid4vci import Answer, Offer
from lerconf.scenarios import oid4vci_draft13 as draft13
from lerconf.scenarios import oid4vci_flow as flow
from lerconf.scenarios import oid4vci_issuance as issuance
from lerconf.scenarios import oid4vci_issuer as flows
from lerconf.scenarios.expect import expect_checks
from lerconf.scenarios.harness import Harness, VendorUnderTest


@given("the OID4VCI issuer under test", target_fixture="vci")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, request: pytest.FixtureRequest) -> flow.VciSession:
    return flow.open_session(harness, vendor, evidence, request)


# -- when ---------------------------------------------------------------------------------------
@when(parsers.parse('the issuer under test creates a credential offer delivered "{delivery}"'), target_fixture="vci_offer")
def _(vci: flow.VciSession, evidence: Evidence, delivery: str) -> Offer:
    return flow.request_offer(vci, evidence, by_reference=delivery == "by reference")


@when(parsers.parse('lerconf redeems a fresh offer {offer_kind} sending {sent}'), target_fixture="token_answer")
def _(vci: flow.VciSession, evidence: Evidence, offer_kind: str, sent: str) -> Answer:
    return flow.token_for_offer(vci, evidence, offer_kind, sent)


@when("lerconf redeems a pre-authorized code a second time", target_fixture="token_answer")
def _(vci: flow.VciSession, evidence: Evidence) -> Answer:
    return flows.token_replay(vci, evidence)


@when(parsers.parse("lerconf sends {attempts:d} wrong tx_codes and then the right one"), target_fixture="token_answer")
def _(vci: flow.VciSession, evidence: Evidence, attempts: int) -> Answer:
    return flows.tx_code_guessing(vci, evidence, attempts)


@when("lerconf calls the nonce endpoint twice", target_fixture="nonce_answers")
def _(vci: flow.VciSession) -> tuple[Answer, Answer]:
    return flows.two_nonces(vci)


@when(parsers.parse('lerconf requests a credential with {defect}'), target_fixture="credential_answer")
def _(vci: flow.VciSession, evidence: Evidence, defect: str) -> Answer:
    return flows.send_defective_request(vci, evidence, defect)


@when(parsers.parse('lerconf requests a credential without a valid access token ({kind})'), target_fixture="credential_answer")
def _(vci: flow.VciSession, evidence: Evidence, kind: str) -> Answer:
    return flows.without_valid_token(vci, evidence, kind)


@when(parsers.parse('lerconf obtains a "{fmt}" credential over the pre-authorized code flow'), target_fixture="vci_issuance")
def _(vci: flow.VciSession, evidence: Evidence, fmt: str) -> flow.Issuance:
    return flow.issue(vci, evidence, fmt)


@when(parsers.parse('lerconf obtains a "{fmt}" credential over the authorization code flow'), target_fixture="vci_issuance")
def _(vci: flow.VciSession, evidence: Evidence, fmt: str) -> flow.Issuance:
    return issuance.issue_with_code(vci, evidence, fmt)


@when(parsers.parse("lerconf redeems an authorization code sending {misuse}"), target_fixture="token_answer")
def _(vci: flow.VciSession, evidence: Evidence, misuse: str) -> Answer:
    return issuance.misuse_authorization_code(vci, evidence, misuse)


@when(parsers.parse('lerconf obtains a "{fmt}" credential over deferred issuance'), target_fixture="vci_issuance")
def _(vci: flow.VciSession, evidence: Evidence, fmt: str) -> flow.Issuance:
    return issuance.deferred_issue(vci, evidence, fmt)


@when("lerconf asks the deferred credential endpoint for a transaction_id it never received", target_fixture="credential_answer")
def _(vci: flow.VciSession, evidence: Evidence) -> Answer:
    return issuance.unknown_transaction(vci, evidence)


@when(parsers.parse('lerconf obtains a "{fmt}" credential with a di_vp key proof'), target_fixture="vci_issuance")
def _(vci: flow.VciSession, evidence: Evidence, fmt: str) -> flow.Issuance:
    return issuance.di_vp_issue(vci, evidence, fmt)


# -- then ---------------------------------------------------------------------------------------
@then('the issuer metadata satisfies "VCI-01"')
def _(vci: flow.VciSession, evidence: Evidence) -> None:
    expect_checks(evidence, [checks.metadata_at_final_well_known_path(vci.metadata, vci.mode)])


@then('the issuer metadata satisfies "VCI-02"')
def _(vci: flow.VciSession, evidence: Evidence) -> None:
    vci.require_metadata()
    expect_checks(evidence, [checks.metadata_identifies_the_issuer(vci.metadata)])


@then(parsers.parse('the issuer metadata satisfies "VCI-03" for "{fmt}"'))
def _(vci: flow.VciSession, evidence: Evidence, fmt: str) -> None:
    vci.require_metadata()
    expect_checks(evidence, [checks.configuration_follows_format_profile(vci.metadata, fmt)])


@then(parsers.parse('the authorization server metadata satisfies "VCI-04" for "{grant}"'))
def _(vci: flow.VciSession, evidence: Evidence, grant: str) -> None:
    vci.require_metadata()
    answer = vci.client.authorization_server_metadata(vci.metadata)
    flows.expect_answer(answer, "the authorization server metadata")
    check = {"pre-authorized_code": checks.authorization_server_supports_pre_authorized,
             "authorization_code": checks.authorization_server_supports_authorization_code}[grant]
    expect_checks(evidence, [check(answer, flows.authorization_server_of(vci))])


@then('the credential offer satisfies "VCI-05"')
def _(vci: flow.VciSession, vci_offer: Offer, evidence: Evidence) -> None:
    expect_checks(evidence, [checks.offer_references_advertised_configurations(vci_offer, vci.metadata)])


@then('the credential offer satisfies "VCI-06"')
def _(vci_offer: Offer, evidence: Evidence) -> None:
    expect_checks(evidence, [checks.offer_by_reference_resolves_to_json(vci_offer)])


@then('the token response satisfies "VCI-08"')
def _(token_answer: Answer, evidence: Evidence) -> None:
    flows.expect_answer(token_answer, "the token request")
    expect_checks(evidence, [checks.token_response_grants_access(token_answer)])


@then('the token response satisfies "VCI-07"')
def _(token_answer: Answer, evidence: Evidence) -> None:
    flows.expect_answer(token_answer, "the second token request")
    expect_checks(evidence, [checks.pre_authorized_code_single_use(token_answer)])


@then(parsers.parse('the token endpoint refuses it with "{error}", satisfying "VCI-09"'))
def _(vci: flow.VciSession, token_answer: Answer, evidence: Evidence, error: str) -> None:
    flows.expect_answer(token_answer, "the token request")
    expect_checks(evidence, [checks.token_error_is_defined(token_answer, draft13.expected_errors(vci, error), "the token request")])
    flows.positive_control(vci, evidence, "authorization code" if vci.offer is None or vci.offer.pre_authorized_code is None
                           else "pre-authorized")


@then('the token response of the issuance satisfies "VCI-08"')
def _(vci_issuance: flow.Issuance, evidence: Evidence) -> None:
    assert vci_issuance.token is not None, "the issuance made no token request"
    flows.expect_answer(vci_issuance.token, "the token request")
    expect_checks(evidence, [checks.token_response_grants_access(vci_issuance.token)])


@then(parsers.parse('the token response satisfies "VCI-10" after {attempts:d} wrong tx_codes'))
def _(token_answer: Answer, evidence: Evidence, attempts: int) -> None:
    flows.expect_answer(token_answer, "the token request")
    expect_checks(evidence, [checks.code_invalidated_after_guessing(token_answer, attempts)])


@then('the nonce responses satisfy "VCI-11"')
def _(nonce_answers: tuple[Answer, Answer], evidence: Evidence) -> None:
    expect_checks(evidence, [checks.nonce_is_fresh_and_uncacheable(*nonce_answers)])


@then(parsers.parse('the credential endpoint refuses it with 401, satisfying "VCI-12" ({kind})'))
def _(vci: flow.VciSession, credential_answer: Answer, evidence: Evidence, kind: str) -> None:
    flows.expect_answer(credential_answer, "the credential request")
    expect_checks(evidence, [checks.credential_endpoint_requires_token(credential_answer, kind)])
    flows.positive_control(vci, evidence)


@then('the credential endpoint refuses it, satisfying "VCI-13"')
def _(vci: flow.VciSession, credential_answer: Answer, evidence: Evidence) -> None:
    flows.expect_answer(credential_answer, "the credential request")
    expect_checks(evidence, [checks.proof_required(credential_answer)])
    flows.positive_control(vci, evidence)


@then(parsers.parse('the credential endpoint refuses it with "{error}", satisfying "VCI-15" ({defect})'))
def _(vci: flow.VciSession, credential_answer: Answer, evidence: Evidence, error: str, defect: str) -> None:
    flows.expect_answer(credential_answer, "the credential request")
    expect_checks(evidence, [checks.credential_error_is_defined(credential_answer, draft13.expected_errors(vci, error),
                                                        f"a credential request with {defect}")])
    flows.positive_control(vci, evidence)


@then(parsers.parse('the credential endpoint refuses it with "{error}", satisfying "VCI-17" ({defect})'))
def _(vci: flow.VciSession, credential_answer: Answer, evidence: Evidence, error: str, defect: str) -> None:
    flows.expect_answer(credential_answer, "the credential request")
    expect_checks(evidence, [checks.di_vp_proof_refused(credential_answer, draft13.expected_errors(vci, error), defect)])
    flows.positive_control(vci, evidence, "di_vp")


@then('the deferred credential endpoint refuses it, satisfying "VCI-14"')
def _(vci: flow.VciSession, credential_answer: Answer, evidence: Evidence) -> None:
    flows.expect_answer(credential_answer, "the deferred credential request")
    expect_checks(evidence, [checks.unknown_transaction_refused(credential_answer)])
    flows.positive_control(vci, evidence)


@then(parsers.parse('the deferred responses satisfy "VCI-14" for "{fmt}"'))
def _(vci_issuance: flow.Issuance, evidence: Evidence, fmt: str) -> None:
    for answer in (vci_issuance.answer, *vci_issuance.deferred):
        flows.expect_answer(answer, "the deferred issuance")
    expect_checks(evidence, [checks.deferred_issuance_follows_protocol(vci_issuance.answer, vci_issuance.deferred, fmt)])


@then('the issued credential satisfies "VCI-17"')
def _(vci_issuance: flow.Issuance, evidence: Evidence) -> None:
    flows.expect_answer(vci_issuance.answer, "the credential request")
    key, did = vci_issuance.bound_key
    expect_checks(evidence, [checks.di_vp_proof_accepted(vci_issuance.answer, flow.credential_document(vci_issuance), key, did)])


@then(parsers.parse('the credential endpoint refuses the key proof, satisfying "VCI-16" ({defect})'))
def _(vci: flow.VciSession, credential_answer: Answer, evidence: Evidence, defect: str) -> None:
    flows.expect_answer(credential_answer, "the credential request")
    expect_checks(evidence, [checks.key_proof_refused(credential_answer, defect)])
    flows.positive_control(vci, evidence)


@then(parsers.parse('the credential response satisfies "VCI-14" for "{fmt}"'))
def _(vci_issuance: flow.Issuance, evidence: Evidence, fmt: str) -> None:
    flows.expect_answer(vci_issuance.answer, "the credential request")
    expect_checks(evidence, [checks.credential_response_shape(vci_issuance.answer, fmt, vci_issuance.session.mode)])


@then("the issued credential passes lerconf's engine")
def _(harness: Harness, vci_issuance: flow.Issuance, evidence: Evidence) -> None:
    expect_checks(evidence, flows.engine_results(harness, vci_issuance))


@then('the issued credential satisfies "VCI-18"')
def _(vci_issuance: flow.Issuance, evidence: Evidence) -> None:
    key, did = vci_issuance.bound_key
    expect_checks(evidence, [checks.credential_bound_to_proof_key(flow.credential_document(vci_issuance), key, did)])


@then('the issued credential satisfies "VCI-19"')
def _(vci_issuance: flow.Issuance, evidence: Evidence) -> None:
    expect_checks(evidence, [checks.jwt_vc_json_uses_vc_claim(vci_issuance.credential)])
