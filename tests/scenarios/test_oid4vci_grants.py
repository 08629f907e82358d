"""The authorization code grant (PKCE), deferred issuance, di_vp key proofs and draft-13 mode:
each new check accepts what the spec allows and catches the fault it exists for; the reference
authorization server, deferred endpoint and di_vp validation behave as documented; lerconf's
login step (redirect chain or login hook) finds the code and keeps it out of the evidence."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx
from authlib.oauth2.rfc7636 import create_s256_code_challenge

from lerconf.checks import oid4vci as c
from lerconf.clients.http import VendorClient
from lerconf.clients.oid4vci import Oid4vciClient
from lerconf.crypto.keys import generate
from lerconf.profile.load import parse_profile
from lerconf.protocol.key_proof import ProofProblem, ValidProof
from lerconf.results import Status
from lerconf.verify.di_vp import DiHolder, make_di_vp, validate_di_vp
from lerconf.verify.engine import Verifier

# the OID4VCI check tests' answers and metadata, whichever test file pytest collects first
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "checks"))
from test_oid4vci_checks import ISSUER, answer, metadata

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
VERIFIER = "v" * 43 + "A1-._~"
CALLBACK = "https://wallet.example/cb"


# -- checks -----------------------------------------------------------------------------------------
AS_GOOD = {"issuer": ISSUER, "authorization_endpoint": f"{ISSUER}/authorize", "token_endpoint": f"{ISSUER}/token",
           "response_types_supported": ["code"], "code_challenge_methods_supported": ["S256"]}


@pytest.mark.parametrize("change,status", [
    ({}, Status.PASSED),
    # RFC 9700 §2.1.1 recommends advertising PKCE: not doing so is a warning (the PKCE scenarios test support)
    ({"code_challenge_methods_supported": ["plain"]}, Status.WARNING),
    ({"code_challenge_methods_supported": None}, Status.WARNING),
    ({"authorization_endpoint": None}, Status.FAILED),
    ({"response_types_supported": ["token"]}, Status.FAILED),
    ({"grant_types_supported": ["urn:ietf:params:oauth:grant-type:pre-authorized_code"]}, Status.FAILED),
    ({"issuer": "https://other.example"}, Status.FAILED),
])
def test_vci_04_authorization_code_needs_endpoint_code_and_s256(change: dict[str, Any], status: Status) -> None:
    doc = {k: v for k, v in {**AS_GOOD, **change}.items() if v is not None}
    result = c.authorization_server_supports_authorization_code(answer(200, doc), ISSUER)
    assert result.requirement == "VCI-04" and result.status is status, result.message


def test_vci_09_accepts_any_of_the_named_codes_and_fails_an_acceptance() -> None:
    both = ("invalid_grant", "invalid_request")
    assert c.token_error_is_defined(answer(400, {"error": "invalid_request"}), both, "x").status is Status.PASSED
    assert c.token_error_is_defined(answer(400, {"error": "invalid_client"}), both, "x").status is Status.WARNING
    assert c.token_error_is_defined(answer(200, {"access_token": "t"}), both, "x").status is Status.FAILED


def test_vci_01_in_draft_mode_expects_the_appended_path() -> None:
    assert c.metadata_at_final_well_known_path(metadata(placement="draft13"), "draft13").status is Status.PASSED
    assert c.metadata_at_final_well_known_path(metadata(placement="final"), "draft13").status is Status.FAILED
    assert c.metadata_at_final_well_known_path(metadata(placement="draft13")).status is Status.FAILED


def test_vci_14_draft_mode_wants_a_single_credential() -> None:
    assert c.credential_response_shape(answer(200, {"credential": {"a": 1}}), "ldp_vc", "draft13").status is Status.PASSED
    assert c.credential_response_shape(answer(200, {"credentials": [{"credential": {}}]}), "ldp_vc", "draft13").status is Status.FAILED


PENDING = answer(202, {"transaction_id": "t-1", "interval": 1})
DONE = answer(200, {"credentials": [{"credential": {"a": 1}}]})


@pytest.mark.parametrize("first,polls,ok,needle", [
    (PENDING, [DONE], True, "after 1 poll"),
    (PENDING, [answer(202, {"interval": 1}), DONE], True, "after 2 poll"),
    (DONE, [], False, "not 202"),
    (answer(202, {"transaction_id": "t-1"}), [DONE], False, "positive interval"),
    (answer(202, {"transaction_id": "t-1", "interval": 1, "credentials": []}), [DONE], False, "carries credentials"),
    (PENDING, [answer(400, {"error": "issuance_pending"}), DONE], False, "issuance_pending"),
    (PENDING, [answer(202, {"interval": 1})], False, "still pending"),
    (PENDING, [answer(200, {"credential": {"a": 1}})], False, "credentials array"),
])
def test_vci_14_deferred_flow(first: Any, polls: list[Any], ok: bool, needle: str) -> None:
    result = c.deferred_issuance_follows_protocol(first, polls, "ldp_vc")
    assert (result.status is Status.PASSED) is ok and needle in result.message, result.message


def test_vci_14_unknown_transaction_must_be_refused() -> None:
    assert c.unknown_transaction_refused(answer(400, {"error": "invalid_transaction_id"})).status is Status.PASSED
    assert c.unknown_transaction_refused(DONE).status is Status.FAILED


def test_vci_17_accepted_proof_must_bind_the_badge_to_its_key() -> None:
    holder, other = DiHolder(generate("Ed25519")), DiHolder(generate("Ed25519"))
    bound = {"credentialSubject": {"id": holder.did}}
    assert c.di_vp_proof_accepted(DONE, bound, holder.key.public, holder.did).status is Status.PASSED
    unbound = c.di_vp_proof_accepted(DONE, {"credentialSubject": {"id": other.did}}, holder.key.public, holder.did)
    assert unbound.status is Status.FAILED and "proven key" in unbound.message
    refused = c.di_vp_proof_accepted(answer(400, {"error": "invalid_proof"}), None, holder.key.public, holder.did)
    assert refused.status is Status.FAILED and refused.requirement == "VCI-17"
    assert c.di_vp_proof_refused(DONE, ("invalid_nonce",), "the wrong challenge").status is Status.FAILED


# -- di_vp proofs (wallet side and reference validation) ----------------------------------------------
@pytest.fixture(scope="module")
def engine(offline_settings: Any) -> Verifier:
    from lerconf.documents.loader import DocumentLoader

    return Verifier(DocumentLoader(offline_settings))


@pytest.mark.parametrize("curve", ["Ed25519", "P-256"])
def test_di_vp_round_trip_names_the_did_key_and_the_challenge(engine: Verifier, curve: str) -> None:
    holder = DiHolder(generate(curve))
    vp = make_di_vp(holder, engine.processor, audience=ISSUER, nonce="n-123")
    checked = validate_di_vp(vp, audience=ISSUER, suites=["eddsa-rdfc-2022", "ecdsa-rdfc-2019"],
                             resolver=engine.resolver, processor=engine.processor)
    assert isinstance(checked, ValidProof) and checked.holder_did == holder.did and checked.nonce == "n-123"


@pytest.mark.parametrize("kwargs,suites,needle", [
    ({"audience": "https://elsewhere.example"}, ["eddsa-rdfc-2022"], "domain"),
    ({"purpose": "assertionMethod"}, ["eddsa-rdfc-2022"], "proofPurpose"),
    ({"corrupt_signature": True}, ["eddsa-rdfc-2022"], "does not verify"),
    ({}, ["ecdsa-rdfc-2019"], "cryptosuite"),
])
def test_di_vp_with_one_fault_is_invalid_proof(engine: Verifier, kwargs: dict[str, Any], suites: list[str], needle: str) -> None:
    options = {"audience": ISSUER, "nonce": "n", **kwargs}
    vp = make_di_vp(DiHolder(generate("Ed25519")), engine.processor, **options)
    checked = validate_di_vp(vp, audience=ISSUER, suites=suites, resolver=engine.resolver, processor=engine.processor)
    assert isinstance(checked, ProofProblem) and checked.error == "invalid_proof" and needle in checked.description


# -- the reference authorization server and deferred endpoint -------------------------------------------
def _offer(client: httpx.Client, **extra: Any) -> dict[str, Any]:
    r = client.post("/oid4vci/offers", json={"credential_configuration_id": "OpenBadgeCredential_ldp_vc", **extra})
    assert r.status_code == 201, r.text
    return dict(r.json()["credential_offer"])


def _authorize(client: httpx.Client, **params: str) -> httpx.Response:
    base = {"response_type": "code", "client_id": "w", "redirect_uri": CALLBACK,
            "code_challenge": create_s256_code_challenge(VERIFIER), "code_challenge_method": "S256", "state": "s1"}
    return client.get("/oid4vci/authorize", params={k: v for k, v in {**base, **params}.items() if v})


def _redirected(r: httpx.Response) -> dict[str, str]:
    assert r.status_code == 302 and r.headers["location"].startswith(CALLBACK), r.text
    return {k: v[0] for k, v in parse_qs(urlsplit(r.headers["location"]).query).items()}


def test_reference_as_metadata_advertises_the_authorization_endpoint_and_s256(client: httpx.Client) -> None:
    doc = client.get("/.well-known/oauth-authorization-server/oid4vci").json()
    assert doc["code_challenge_methods_supported"] == ["S256"] and doc["authorization_endpoint"].endswith("/authorize")


def test_reference_authorization_code_flow_and_its_refusals(ref: Any, client: httpx.Client) -> None:
    issuer_state = _offer(client, grant="authorization_code")["grants"]["authorization_code"]["issuer_state"]
    params = _redirected(_authorize(client, issuer_state=issuer_state))
    assert params["state"] == "s1" and params["iss"] == f"{ref.base_url}/oid4vci"
    form = {"grant_type": "authorization_code", "code": params["code"], "redirect_uri": CALLBACK, "client_id": "w"}
    assert client.post("/oid4vci/token", data={**form, "code_verifier": "w" * 43}, headers=FORM).json()["error"] == "invalid_grant"
    good = client.post("/oid4vci/token", data={**form, "code_verifier": VERIFIER}, headers=FORM)
    assert good.status_code == 200 and good.headers["cache-control"] == "no-store"
    again = client.post("/oid4vci/token", data={**form, "code_verifier": VERIFIER}, headers=FORM)
    assert again.json()["error"] == "invalid_grant"
    # RFC 6749 §4.1.2: replaying the code revokes the token it granted
    r = client.post("/oid4vci/credential", json={"credential_configuration_id": "OpenBadgeCredential_ldp_vc", "proofs": {}},
                    headers={"Authorization": f"Bearer {good.json()['access_token']}"})
    assert r.status_code == 401
    # the offer's issuer_state authorizes once
    assert _redirected(_authorize(client, issuer_state=issuer_state))["error"] == "invalid_request"


@pytest.mark.parametrize("params,error", [
    ({"code_challenge": ""}, "invalid_request"),
    ({"code_challenge_method": "plain"}, "invalid_request"),
    ({"response_type": "token"}, "unsupported_response_type"),
    ({"scope": "no-such-scope"}, "invalid_scope"),
])
def test_reference_authorization_endpoint_redirects_errors(client: httpx.Client, params: dict[str, str], error: str) -> None:
    found = _redirected(_authorize(client, **{"scope": "OpenBadgeCredential_ldp_vc", **params}))
    assert found["error"] == error and found["state"] == "s1" and "code" not in found


def test_reference_authorization_endpoint_never_redirects_to_a_bad_redirect_uri(client: httpx.Client) -> None:
    r = _authorize(client, scope="OpenBadgeCredential_ldp_vc", redirect_uri="https://wallet.example/cb#frag")
    assert r.status_code == 400 and "location" not in r.headers


def test_reference_deferred_endpoint_pending_then_credential_once(ref: Any, client: httpx.Client) -> None:
    from lerconf.protocol.key_proof import HolderKey, make_key_proof

    code = _offer(client, deferred=True)["grants"]["urn:ietf:params:oauth:grant-type:pre-authorized_code"]["pre-authorized_code"]
    token = client.post("/oid4vci/token", headers=FORM, data={
        "grant_type": "urn:ietf:params:oauth:grant-type:pre-authorized_code", "pre-authorized_code": code}).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    nonce = client.post("/oid4vci/nonce").json()["c_nonce"]
    proof = make_key_proof(HolderKey(generate("P-256")), audience=f"{ref.base_url}/oid4vci", nonce=nonce)
    first = client.post("/oid4vci/credential", headers=auth, json={
        "credential_configuration_id": "OpenBadgeCredential_ldp_vc", "proofs": {"jwt": [proof]}})
    assert first.status_code == 202 and first.json()["interval"] >= 1 and "credentials" not in first.json()
    tid = {"transaction_id": first.json()["transaction_id"]}
    pending = client.post("/oid4vci/deferred_credential", headers=auth, json=tid)
    assert pending.status_code == 202 and pending.json()["interval"] >= 1
    time.sleep(0.6)  # the reference's deferred_ready_after_s
    done = client.post("/oid4vci/deferred_credential", headers=auth, json=tid)
    assert done.status_code == 200 and done.json()["credentials"][0]["credential"]["proof"]
    assert client.post("/oid4vci/deferred_credential", headers=auth, json=tid).json()["error"] == "invalid_transaction_id"


# -- lerconf's login step -----------------------------------------------------------------------------------
BASE = "http://127.0.0.1:8999"


def _client(options: dict[str, Any]) -> Oid4vciClient:
    profile = parse_profile({"name": "acme", "oid4vci_issuer": {
        "credential_issuer": f"{BASE}/t", "offer_url": f"{BASE}/offers", "options": {"authorization": options}}}, "a.yaml")
    return Oid4vciClient(VendorClient(profile), profile.oid4vci_issuer)


@respx.mock
def test_login_follows_the_redirect_chain_and_redacts_the_code() -> None:
    client = _client({"redirect_uri": CALLBACK})
    respx.get(f"{BASE}/authorize").mock(return_value=httpx.Response(302, headers={"Location": "/login?x=1"}))
    respx.get(f"{BASE}/login").mock(return_value=httpx.Response(
        303, headers={"Location": f"{CALLBACK}?code=SECRETCODE123&state=s1"}))
    response = client.authorize(f"{BASE}/authorize?state=s1")
    assert response.problem is None and response.code == "SECRETCODE123" and len(response.hops) == 2
    assert "SECRETCODE123" not in str([h.exchange.to_evidence() for h in response.hops])


@respx.mock
def test_login_hook_answers_the_redirect_url() -> None:
    client = _client({"redirect_uri": CALLBACK, "login": "hook", "login_hook": f"{BASE}/test/login"})
    hook = respx.post(f"{BASE}/test/login").mock(return_value=httpx.Response(
        200, json={"redirect_url": f"{CALLBACK}?code=HOOKCODE456&state=s1"}))
    response = client.authorize(f"{BASE}/authorize?state=s1")
    assert response.code == "HOOKCODE456" and hook.called
    assert json.loads(hook.calls[0].request.content) == {"authorization_url": f"{BASE}/authorize?state=s1",
                                                         "redirect_uri": CALLBACK}


@respx.mock
def test_login_without_auto_approval_is_a_problem_not_a_code() -> None:
    client = _client({"redirect_uri": CALLBACK})
    respx.get(f"{BASE}/authorize").mock(return_value=httpx.Response(200, html="<form>log in</form>"))
    response = client.authorize(f"{BASE}/authorize")
    assert response.code is None and "login: hook" in (response.problem or "")


def test_reference_offer_with_status_purpose_issues_a_badge_with_that_status_entry(ref: Any, client: httpx.Client) -> None:
    from lerconf.protocol.key_proof import HolderKey, make_key_proof

    assert client.post("/oid4vci/offers", json={"status_purpose": "bogus"}).status_code == 400
    code = _offer(client, status_purpose="revocation")["grants"]["urn:ietf:params:oauth:grant-type:pre-authorized_code"][
        "pre-authorized_code"]
    token = client.post("/oid4vci/token", headers=FORM, data={
        "grant_type": "urn:ietf:params:oauth:grant-type:pre-authorized_code", "pre-authorized_code": code}).json()["access_token"]
    proof = make_key_proof(HolderKey(generate("P-256")), audience=f"{ref.base_url}/oid4vci",
                           nonce=client.post("/oid4vci/nonce").json()["c_nonce"])
    r = client.post("/oid4vci/credential", headers={"Authorization": f"Bearer {token}"}, json={
        "credential_configuration_id": "OpenBadgeCredential_ldp_vc", "proofs": {"jwt": [proof]}})
    assert r.json()["credentials"][0]["credential"]["credentialStatus"]["statusPurpose"] == "revocation"
