"""Wallet checks: each accepts what lerconf's endpoints receive from a conformant wallet and
rejects the fault it exists for (the wire records are built by hand; no server runs)."""
from __future__ import annotations

import base64
import hashlib
import json
from typing import Any
from urllib.parse import urlencode

import pytest

from lerconf.checks import wallet_issuance as vci
from lerconf.checks import wallet_presentation as vp
from lerconf.checks.base import CHECKS
from lerconf.protocol.key_proof import PROOF_TYP
from lerconf.protocol.oid4vci import PRE_AUTHORIZED_GRANT
from lerconf.protocol.wire_record import WireRecord
from lerconf.requirements import requirement
from lerconf.results import CheckResult, Severity, Status

ISSUER = "http://127.0.0.1:9/oid4vci"
NONCE, CLIENT_ID, STATE, QUERY = "n-0123456789abcdef", "redirect_uri:http://127.0.0.1:9/oid4vp/responses", "s-1", "openbadge"
BADGE = {"id": "urn:uuid:1", "type": ["VerifiableCredential", "OpenBadgeCredential"], "name": "Badge"}
WALLET_IDS = ("VCI-20", "VCI-21", "VCI-22", "LCW-01", "LCW-02", "LCW-03", "LCW-04", "VP-09", "VP-10", "VP-11", "VP-12",
              "VP-13")


def b64(value: Any) -> str:
    raw = value if isinstance(value, bytes) else json.dumps(value).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def jws(header: dict[str, Any], payload: dict[str, Any]) -> str:
    return f"{b64(header)}.{b64(payload)}.{b64(b'signature')}"


def record(seq: int, path: str, *, method: str = "POST", status: int = 200, form: dict[str, str] | None = None,
           body: Any = None, response: Any = None, query: dict[str, str] | None = None) -> WireRecord:
    if form is not None:
        raw, ctype = urlencode(form).encode(), "application/x-www-form-urlencoded"
    else:
        raw, ctype = (json.dumps(body).encode(), "application/json") if body is not None else (b"", "")
    answer = json.dumps(response).encode() if response is not None else b""
    return WireRecord(seq, 0.0, method, path, ctype, raw, status, answer, urlencode(query or {}))


def nonce_record(seq: int, nonce: str) -> WireRecord:
    return record(seq, "/oid4vci/nonce", response={"c_nonce": nonce})


def credential_request(seq: int, proof: str | None, status: int = 200) -> WireRecord:
    return record(seq, "/oid4vci/credential", body={"credential_configuration_id": "x",
                                                    **({"proofs": {"jwt": [proof]}} if proof else {})}, status=status)


def key_proof(nonce: str | None = NONCE, **claims: Any) -> str:
    payload = {"aud": ISSUER, "iat": 1_700_000_000, **({"nonce": nonce} if nonce else {}), **claims}
    return jws({"typ": PROOF_TYP, "alg": "EdDSA", "kid": "did:key:z6Mk#z6Mk"}, payload)


def posted(vp_token: Any = None, *, state: str = STATE, **form: str) -> WireRecord:
    fields = {"state": state, **form}
    if vp_token is not None:
        fields["vp_token"] = json.dumps(vp_token)
    return record(10, "/oid4vp/responses", form=fields)


def ldp_vp(challenge: str = NONCE, domain: str = CLIENT_ID, credentials: list[Any] | None = None) -> dict[str, Any]:
    return {"type": ["VerifiablePresentation"], "verifiableCredential": credentials or [BADGE],
            "proof": {"type": "DataIntegrityProof", "challenge": challenge, "domain": domain, "proofValue": "z1"}}


def check_status(result: CheckResult) -> Status:
    assert result.message and result.spec_url, result
    return result.status


# -- OID4VCI -------------------------------------------------------------------------------------------
def test_vci_20_accepts_fetched_metadata() -> None:
    result = vci.wallet_fetches_issuer_metadata([record(1, "/.well-known/x", method="GET")], "/.well-known/x")
    assert result.requirement == "VCI-20" and check_status(result) is Status.PASSED


def test_vci_20_rejects_metadata_never_fetched() -> None:
    result = vci.wallet_fetches_issuer_metadata([record(1, "/.well-known/x", method="GET", status=404)], "/.well-known/x")
    assert check_status(result) is Status.FAILED and "never fetched the issuer metadata" in result.message


def test_vci_20_accepts_a_wallet_that_stops_at_mismatching_metadata() -> None:
    assert check_status(vci.wallet_refuses_mismatched_credential_issuer([], [])) is Status.PASSED


@pytest.mark.parametrize("tokens,credentials,said", [
    ([record(2, "/oid4vci/token", form={"pre-authorized_code": "c"})], [], "redeemed the offer's pre-authorized code"),
    ([], [credential_request(3, None)], "sent a credential request to the mismatching issuer"),
])
def test_vci_20_rejects_a_wallet_that_goes_on_with_a_mismatching_issuer(tokens: list[WireRecord],
                                                                       credentials: list[WireRecord], said: str) -> None:
    result = vci.wallet_refuses_mismatched_credential_issuer(tokens, credentials)
    assert check_status(result) is Status.FAILED and said in result.message


def test_vci_21_accepts_a_dereferenced_offer_uri_and_skips_an_offer_by_value() -> None:
    assert check_status(vci.wallet_dereferences_offer_uri([record(1, "/o/1", method="GET")], "http://x/o/1")) is Status.PASSED
    assert check_status(vci.wallet_dereferences_offer_uri([], None)) is Status.NOT_APPLICABLE


def test_vci_21_rejects_an_offer_uri_never_dereferenced() -> None:
    result = vci.wallet_dereferences_offer_uri([], "http://x/o/1")
    assert check_status(result) is Status.FAILED and "never dereferenced credential_offer_uri" in result.message


def token(seq: int, status: int = 200, **form: str) -> WireRecord:
    return record(seq, "/oid4vci/token", form={"grant_type": PRE_AUTHORIZED_GRANT, "pre-authorized_code": "c", **form},
                  status=status)


def test_vci_21_accepts_the_offered_tx_code_after_a_mistyped_one() -> None:
    result = vci.wallet_sends_tx_code_as_offered([token(1, 400, tx_code="99"), token(2, tx_code="1234")], "1234")
    assert check_status(result) is Status.PASSED and "1234" not in json.dumps(result.to_json())


def test_vci_21_accepts_no_tx_code_when_none_was_offered() -> None:
    assert check_status(vci.wallet_sends_tx_code_as_offered([token(1)], None)) is Status.PASSED


@pytest.mark.parametrize("tokens,tx_code,said", [
    ([], "1234", "received no request with the offer's pre-authorized code"),
    ([token(1)], "1234", "has no tx_code although the offer had a tx_code object"),
    ([token(1, 400, tx_code="1234")], "1234", "refused the wallet's token request (HTTP 400)"),
    ([token(1, tx_code="9999")], "1234", "tx_code is not the one lerconf gave"),
    ([record(1, "/oid4vci/token", form={"grant_type": "x", "tx_code": "1234"})], "1234", "grant_type is 'x'"),
    ([token(1, tx_code="")], None, "sent a tx_code although the offer has no tx_code object"),
    ([token(1, 400)], None, "refused the wallet's token request"),
])
def test_vci_21_rejects_a_tx_code_not_as_offered(tokens: list[WireRecord], tx_code: str | None, said: str) -> None:
    result = vci.wallet_sends_tx_code_as_offered(tokens, tx_code)
    assert result.requirement == "VCI-21" and check_status(result) is Status.FAILED and said in result.message


def test_vci_22_accepts_a_key_proof_with_the_latest_nonce() -> None:
    result = vci.key_proof_binds_issuer_and_latest_nonce(
        [credential_request(3, key_proof())], [nonce_record(1, "old"), nonce_record(2, NONCE)], ISSUER)
    assert result.requirement == "VCI-22" and result.severity is Severity.MUST and check_status(result) is Status.PASSED


@pytest.mark.parametrize("proof,nonces,said", [
    (None, [nonce_record(1, NONCE)], "has no key proof array (proofs.jwt or proofs.di_vp)"),
    ("not-a-jws", [nonce_record(1, NONCE)], "not a compact JWS"),
    (jws({"typ": "JWT"}, {"aud": ISSUER, "iat": 1, "nonce": NONCE}), [nonce_record(1, NONCE)], "typ is 'JWT'"),
    (key_proof(aud="http://elsewhere"), [nonce_record(1, NONCE)], "not the credential issuer"),
    (key_proof(iat="yesterday"), [nonce_record(1, NONCE)], "no numeric iat"),
    (key_proof(), [], "never asked lerconf's nonce endpoint"),
    (key_proof(nonce=None), [nonce_record(1, NONCE)], "carries no nonce"),
    (key_proof(nonce="old"), [nonce_record(1, "old"), nonce_record(2, NONCE)], "not the latest c_nonce"),
])
def test_vci_22_rejects_an_unbound_key_proof(proof: str | None, nonces: list[WireRecord], said: str) -> None:
    result = vci.key_proof_binds_issuer_and_latest_nonce([credential_request(3, proof)], nonces, ISSUER)
    assert check_status(result) is Status.FAILED and said in result.message


def di_vp_proof(challenge: str | None = NONCE, domain: Any = ISSUER, purpose: str = "authentication") -> dict[str, Any]:
    proof = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "proofPurpose": purpose, "domain": domain,
             "verificationMethod": "did:key:z6Mk#z6Mk", "proofValue": "z1"}
    if challenge is not None:
        proof["challenge"] = challenge
    return {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"],
            "holder": "did:key:z6Mk", "proof": proof}


def di_vp_request(seq: int, proof: Any, status: int = 200) -> WireRecord:
    return record(seq, "/oid4vci/credential", body={"credential_configuration_id": "x", "proofs": {"di_vp": [proof]}},
                  status=status)


def test_vci_22_accepts_a_di_vp_key_proof_with_the_issuer_domain_and_latest_nonce() -> None:
    result = vci.key_proof_binds_issuer_and_latest_nonce(
        [di_vp_request(3, di_vp_proof())], [nonce_record(1, "old"), nonce_record(2, NONCE)], ISSUER, ("jwt", "di_vp"))
    assert result.requirement == "VCI-22" and check_status(result) is Status.PASSED, result.message
    assert result.details["proof_type"] == "di_vp"


@pytest.mark.parametrize("proof,said", [
    (di_vp_proof(challenge="old"), "challenge is not the latest c_nonce"),
    (di_vp_proof(challenge=None), "carries no challenge"),
    (di_vp_proof(domain="http://elsewhere"), "domain is 'http://elsewhere', not the credential issuer"),
    (di_vp_proof(purpose="assertionMethod"), "proofPurpose is 'assertionMethod', not authentication"),
    ({"type": ["VerifiablePresentation"]}, "carries no Data Integrity proof"),
    ("eyJ.not.avp", "is not a VerifiablePresentation object"),
])
def test_vci_22_rejects_an_unbound_di_vp_key_proof(proof: Any, said: str) -> None:
    result = vci.key_proof_binds_issuer_and_latest_nonce(
        [di_vp_request(3, proof)], [nonce_record(1, "old"), nonce_record(2, NONCE)], ISSUER)
    assert check_status(result) is Status.FAILED and said in result.message


def test_vci_22_rejects_a_proof_type_the_issuer_does_not_advertise() -> None:
    result = vci.key_proof_binds_issuer_and_latest_nonce([di_vp_request(3, di_vp_proof())], [nonce_record(2, NONCE)],
                                                         ISSUER, ("jwt",))
    assert check_status(result) is Status.FAILED and "none of which the issuer advertises here (proofs.jwt)" in result.message


def test_vci_22_accepts_a_di_vp_retry_with_a_fresh_challenge() -> None:
    requests = [di_vp_request(2, di_vp_proof("first"), 400), di_vp_request(4, di_vp_proof("fresh"))]
    result = vci.wallet_retries_with_a_fresh_nonce(requests, [nonce_record(1, "first"), nonce_record(3, "fresh")])
    assert check_status(result) is Status.PASSED, result.message
    stale = [di_vp_request(2, di_vp_proof("first"), 400), di_vp_request(4, di_vp_proof("first"))]
    assert check_status(vci.wallet_retries_with_a_fresh_nonce(stale, [nonce_record(1, "first"), nonce_record(3, "fresh")])) \
        is Status.WARNING


def test_vci_22_rejects_no_credential_request() -> None:
    assert check_status(vci.key_proof_binds_issuer_and_latest_nonce([], [], ISSUER)) is Status.FAILED


def test_vci_22_accepts_a_retry_with_a_fresh_nonce() -> None:
    requests = [credential_request(2, key_proof("first"), 400), credential_request(4, key_proof("fresh"))]
    result = vci.wallet_retries_with_a_fresh_nonce(requests, [nonce_record(1, "first"), nonce_record(3, "fresh")])
    assert result.severity is Severity.SHOULD and check_status(result) is Status.PASSED


@pytest.mark.parametrize("requests,nonces,said", [
    ([credential_request(2, key_proof("first"), 400)], [nonce_record(1, "first")], "gave up after invalid_nonce"),
    ([credential_request(2, key_proof("first"), 400), credential_request(4, key_proof("first"))], [nonce_record(1, "first")],
     "retried without asking lerconf's nonce endpoint"),
    ([credential_request(2, key_proof("first"), 400), credential_request(4, key_proof(None))],
     [nonce_record(1, "first"), nonce_record(3, "fresh")], "does not carry the fresh c_nonce"),
])
def test_vci_22_warns_when_the_retry_is_missing_or_stale(requests: list[WireRecord], nonces: list[WireRecord],
                                                         said: str) -> None:
    result = vci.wallet_retries_with_a_fresh_nonce(requests, nonces)
    assert check_status(result) is Status.WARNING and said in result.message  # the SHOULD part of VCI-22


def test_lcw_01_accepts_the_badge_stored_as_issued() -> None:
    result = vci.wallet_stores_credential_unchanged([BADGE, "jwt.as.issued"], [dict(BADGE), "jwt.as.issued"])
    assert result.requirement == "LCW-01" and check_status(result) is Status.PASSED


@pytest.mark.parametrize("stored,said", [
    ([{**BADGE, "name": "Badge (imported)"}], "stored the credential urn:uuid:1 altered"),
    ([], "not among the wallet's stored credentials"),
])
def test_lcw_01_rejects_a_badge_altered_or_missing(stored: list[Any], said: str) -> None:
    result = vci.wallet_stores_credential_unchanged([BADGE], stored)
    assert check_status(result) is Status.FAILED and said in result.message


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")


VERIFIER = "v" * 50
REDIRECT = "wallet://cb"


def authorization(seq: int = 1, **params: str) -> WireRecord:
    query = {"issuer_state": "is-1", "code_challenge": s256(VERIFIER), "code_challenge_method": "S256",
             "redirect_uri": REDIRECT, **params}
    return record(seq, "/oid4vci/authorize", method="GET", status=302, query=query)


def code_token(seq: int = 2, status: int = 200, **form: str) -> WireRecord:
    fields = {"grant_type": "authorization_code", "code": "c", "code_verifier": VERIFIER, "redirect_uri": REDIRECT, **form}
    return record(seq, "/oid4vci/token", form=fields, status=status)


def test_lcw_04_accepts_pkce_s256() -> None:
    result = vci.wallet_uses_pkce_s256([authorization()], [code_token()], "is-1")
    assert result.requirement == "LCW-04" and check_status(result) is Status.PASSED


@pytest.mark.parametrize("authorizations,tokens,said", [
    ([authorization(issuer_state="other")], [code_token()], "no authorization request with the offer's issuer_state"),
    ([authorization(code_challenge_method="plain")], [code_token()], "uses no S256 code_challenge"),
    ([authorization(3)], [code_token(2)], "no authorization_code token request after the authorization"),
    ([authorization()], [code_token(code_verifier="")], "carries no code_verifier"),
    ([authorization()], [code_token(code_verifier="w" * 50)], "does not hash to the authorization request's code_challenge"),
    ([authorization()], [code_token(redirect_uri="wallet://other")], "redirect_uri is not the authorization request's"),
    ([authorization()], [code_token(status=400)], "refused the wallet's token request"),
])
def test_lcw_04_rejects_a_flow_without_pkce(authorizations: list[WireRecord], tokens: list[WireRecord], said: str) -> None:
    result = vci.wallet_uses_pkce_s256(authorizations, tokens, "is-1")
    assert check_status(result) is Status.FAILED and said in result.message


# -- OID4VP --------------------------------------------------------------------------------------------
def test_vp_09_accepts_exactly_the_issued_badge() -> None:
    result = vp.wallet_presents_only_the_requested_badge([posted({QUERY: [ldp_vp()]})], QUERY, [BADGE])
    assert result.requirement == "VP-09" and check_status(result) is Status.PASSED


@pytest.mark.parametrize("responses,said", [
    ([], "received no response for the request's state"),
    ([posted(error="access_denied")], "answered without a vp_token (error 'access_denied')"),
    ([record(10, "/oid4vp/responses", form={"state": STATE, "vp_token": "{not json"})], "vp_token is not JSON"),
    ([posted({"other": [ldp_vp()]})], "not keyed by the DCQL credential query id"),
    ([posted({QUERY: [ldp_vp(), ldp_vp()]})], "exactly one presentation for the query"),
    ([posted({QUERY: ["a.b.c"]})], "not a JSON object (ldp_vc)"),
    ([posted({QUERY: [ldp_vp(credentials=[BADGE, BADGE])]})], "holds 2 credentials"),
    ([posted({QUERY: [ldp_vp(credentials=[{**BADGE, "name": "x"}])]})], "is not the badge lerconf issued"),
])
def test_vp_09_rejects_anything_but_the_requested_badge(responses: list[WireRecord], said: str) -> None:
    result = vp.wallet_presents_only_the_requested_badge(responses, QUERY, [BADGE])
    assert check_status(result) is Status.FAILED and said in result.message


def test_vp_10_accepts_a_presentation_bound_to_nonce_and_client_id() -> None:
    result = vp.presentation_bound_to_nonce_and_client_id([posted({QUERY: [ldp_vp()]})], QUERY, NONCE, CLIENT_ID)
    assert result.requirement == "VP-10" and check_status(result) is Status.PASSED


@pytest.mark.parametrize("presentation,said", [
    ({**ldp_vp(), "proof": None}, "has no proof"),
    (ldp_vp(challenge="other"), "challenge is not the request's nonce"),
    (ldp_vp(domain="http://127.0.0.1:9/oid4vp/responses"), "is not the request's full client_id"),
])
def test_vp_10_rejects_an_unbound_presentation(presentation: dict[str, Any], said: str) -> None:
    result = vp.presentation_bound_to_nonce_and_client_id([posted({QUERY: [presentation]})], QUERY, NONCE, CLIENT_ID)
    assert check_status(result) is Status.FAILED and said in result.message


def vp_jwt(nonce: str = NONCE, aud: Any = CLIENT_ID, credential: Any = "badge.jwt.as-issued") -> str:
    return jws({"alg": "EdDSA", "typ": "JWT"}, {"nonce": nonce, "aud": aud, "vp": {"verifiableCredential": [credential]}})


@pytest.mark.parametrize("aud", [CLIENT_ID, ["other", CLIENT_ID]])
def test_vp_10_accepts_a_vp_jwt_bound_to_nonce_and_client_id(aud: Any) -> None:
    result = vp.vp_jwt_bound_to_nonce_and_client_id([posted({QUERY: [vp_jwt(aud=aud)]})], QUERY, NONCE, CLIENT_ID,
                                                    ["badge.jwt.as-issued"])
    assert check_status(result) is Status.PASSED


@pytest.mark.parametrize("item,said", [
    (ldp_vp(), "must be a VP JWT"),
    ("a.b", "not a compact JWS"),
    (vp_jwt(nonce="other"), "nonce is not the request's nonce"),
    (vp_jwt(aud="http://127.0.0.1:9/oid4vp/responses"), "is not the request's full client_id"),
    (vp_jwt(credential="another.badge.jwt"), "does not carry the badge JWT lerconf issued"),
])
def test_vp_10_rejects_an_unbound_vp_jwt(item: Any, said: str) -> None:
    result = vp.vp_jwt_bound_to_nonce_and_client_id([posted({QUERY: [item]})], QUERY, NONCE, CLIENT_ID,
                                                    ["badge.jwt.as-issued"])
    assert check_status(result) is Status.FAILED and said in result.message


def test_vp_10_accepts_a_verified_presentation_whatever_the_credential_inside() -> None:
    result = vp.presentation_verified_by_lerconf(False, ["…#verifiableCredential[0]: expired"])
    assert result.category.value == "proof" and check_status(result) is Status.PASSED


@pytest.mark.parametrize("verified,errors,said", [
    (None, [], "reached no verdict"),
    (False, ["proof: signature does not verify"], "refused the presentation itself: proof: signature"),
])
def test_vp_10_rejects_a_presentation_lerconf_refused(verified: bool | None, errors: list[str], said: str) -> None:
    result = vp.presentation_verified_by_lerconf(verified, errors)
    assert check_status(result) is Status.FAILED and said in result.message


def encrypted() -> WireRecord:
    return record(10, "/oid4vp/responses", form={"response": "a.b.c.d.e"})


def test_lcw_03_accepts_only_an_encrypted_response() -> None:
    result = vp.response_encrypted_for_direct_post_jwt([encrypted()], [({"state": STATE, "vp_token": "{}"}, None)], STATE)
    assert result.requirement == "LCW-03" and check_status(result) is Status.PASSED
    assert result.details["parameters"] == ["state", "vp_token"]


@pytest.mark.parametrize("posts,opened,said", [
    ([], [], "received nothing from the wallet"),
    ([posted({QUERY: [ldp_vp()]})], [({"state": STATE}, None)], "sent its response in clear"),
    ([encrypted()], [({}, "the response JWE names no encryption key")], "cannot open the wallet's encrypted response"),
    ([encrypted()], [({"state": "other", "vp_token": "{}"}, None)], "not for this request's state"),
    ([encrypted()], [({"state": STATE}, None)], "carries no vp_token"),
])
def test_lcw_03_rejects_a_response_not_encrypted_as_asked(posts: list[WireRecord], opened: list[vp.Opened], said: str) -> None:
    result = vp.response_encrypted_for_direct_post_jwt(posts, opened, STATE)
    assert check_status(result) is Status.FAILED and said in result.message


def test_vp_11_accepts_an_error_response_and_no_vp_token() -> None:
    result = vp.no_vp_token_for_a_refused_request([posted(error="invalid_request")], "the two client_ids differ")
    assert result.requirement == "VP-11" and check_status(result) is Status.PASSED


@pytest.mark.parametrize("post", [posted({QUERY: [ldp_vp()]}, state="another"), encrypted()])
def test_vp_11_rejects_any_vp_token_whatever_its_state(post: WireRecord) -> None:
    result = vp.no_vp_token_for_a_refused_request([post], "the two client_ids differ")
    assert check_status(result) is Status.FAILED and "although the two client_ids differ" in result.message


@pytest.mark.parametrize("error", vp.DECLINE_ERRORS)
def test_vp_12_accepts_a_declining_error_response(error: str) -> None:
    response = posted(error=error)
    assert check_status(vp.wallet_declines_with_an_error_response([response], [response])) is Status.PASSED


@pytest.mark.parametrize("posts,responses,said", [
    ([posted({QUERY: []})], [posted({QUERY: []})], "sent a vp_token although it holds no credential matching"),
    ([], [], "posted no error response"),
    ([posted(error="server_error")], [posted(error="server_error")], "has error 'server_error'"),
])
def test_vp_12_rejects_a_vp_token_or_no_error_response(posts: list[WireRecord], responses: list[WireRecord],
                                                       said: str) -> None:
    result = vp.wallet_declines_with_an_error_response(posts, responses)
    assert result.requirement == "VP-12" and check_status(result) is Status.FAILED and said in result.message


def test_vp_13_accepts_a_redirect_not_followed() -> None:
    result = vp.wallet_does_not_follow_response_redirect(0)
    assert result.severity is Severity.SHOULD and check_status(result) is Status.PASSED


def test_vp_13_warns_when_the_redirect_is_followed() -> None:
    result = vp.wallet_does_not_follow_response_redirect(1)
    assert check_status(result) is Status.WARNING and "followed the response_uri's HTTP redirect" in result.message


# -- the lifecycle -------------------------------------------------------------------------------------
def test_lcw_02_accepts_the_held_badge_presented_and_accepted() -> None:
    result = vp.held_badge_presented_and_accepted([posted({QUERY: [ldp_vp()]})], BADGE, True, [])
    assert result.requirement == "LCW-02" and check_status(result) is Status.PASSED


@pytest.mark.parametrize("responses,accepted,said", [
    ([posted(error="access_denied")], True, "sent no vp_token"),
    ([posted({QUERY: [ldp_vp(credentials=[{**BADGE, "name": "x"}])]})], True, "did not present the badge exactly as"),
    ([posted({QUERY: [ldp_vp()]})], False, "lerconf's verifier refused the wallet's presentation: proof"),
])
def test_lcw_02_rejects_a_first_presentation_not_as_issued_or_refused(responses: list[WireRecord], accepted: bool,
                                                                      said: str) -> None:
    result = vp.held_badge_presented_and_accepted(responses, BADGE, accepted, ["proof: bad"])
    assert check_status(result) is Status.FAILED and said in result.message


@pytest.mark.parametrize("responses,verdict,errors", [
    ([posted({QUERY: [ldp_vp()]})], False, ["credentialStatus: the credential is revoked"]),
    ([posted(error="access_denied")], None, []),  # the wallet declined to present it
])
def test_lcw_02_accepts_a_revoked_badge_refused(responses: list[WireRecord], verdict: bool | None, errors: list[str]) -> None:
    assert check_status(vp.revoked_badge_refused(responses, verdict, errors)) is Status.PASSED


@pytest.mark.parametrize("responses,verdict,errors,said", [
    ([], None, [], "neither presented the badge nor sent an error response"),
    ([posted({QUERY: [ldp_vp()]})], True, [], "accepted the presentation of a revoked badge"),
    ([posted({QUERY: [ldp_vp()]})], None, [], "reached no verdict"),
    ([posted({QUERY: [ldp_vp()]})], False, ["proof: bad"], "but not for the revocation"),
])
def test_lcw_02_rejects_a_revoked_badge_not_refused_for_its_status(responses: list[WireRecord], verdict: bool | None,
                                                                   errors: list[str], said: str) -> None:
    result = vp.revoked_badge_refused(responses, verdict, errors)
    assert check_status(result) is Status.FAILED and said in result.message


def test_lcw_02_judges_the_vendor_verifier_by_its_result_hook() -> None:
    assert check_status(vp.vendor_verifier_refuses_revoked_badge(False, "failure (hook: revoked)")) is Status.PASSED
    result = vp.vendor_verifier_refuses_revoked_badge(True, "success (hook: ok)")
    assert check_status(result) is Status.FAILED and "accepted a revoked badge" in result.message


# -- the registry --------------------------------------------------------------------------------------
@pytest.mark.parametrize("rid", WALLET_IDS)
def test_every_wallet_requirement_has_a_check_with_its_spec_link(rid: str) -> None:
    mine = [f for f in CHECKS.get(rid, []) if f.__module__ in (vci.__name__, vp.__name__)]
    assert mine, f"no wallet check is registered for {rid}"
    for func in mine:
        assert func.__doc__ and func.__doc__.strip(), func.__name__  # the first line is the spec sentence
    assert requirement(rid).spec_url.startswith("https://")
