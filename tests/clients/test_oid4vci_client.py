"""The OID4VCI wallet client and its profile section: URLs it builds, what it sends, what it
records (redacted), and how it reads offers. Traffic goes only through respx."""
from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, quote

import pytest
import respx

from lerconf.clients.http import VendorClient
from lerconf.clients.oid4vci import Oid4vciClient
from lerconf.errors import ProfileError
from lerconf.outcome import Outcome
from lerconf.profile.load import parse_profile
from lerconf.protocol.oid4vci import PRE_AUTHORIZED_GRANT, well_known_url
from lerconf.redact import REDACTED
from lerconf.verdicts import NotClaimed

BASE = "http://127.0.0.1:8999"
ISSUER = f"{BASE}/tenant"
HOOK = f"{BASE}/test/offers"
JSON = {"Content-Type": "application/json"}
SECTION = {"credential_issuer": ISSUER, "offer_url": HOOK,
           "claims": {"formats": ["ldp_vc"], "features": ["tx_code", "offer_by_reference"]}}


def _profile(**extra: Any) -> Any:
    return parse_profile({"name": "acme", "oid4vci_issuer": {**SECTION, **extra}}, "acme.yaml")


@pytest.fixture
def client() -> Any:
    profile = _profile()
    http = VendorClient(profile)
    yield Oid4vciClient(http, profile.oid4vci_issuer)
    http.close()


# -- profile section ----------------------------------------------------------------------------
def test_profile_with_only_an_oid4vci_issuer_section_is_valid() -> None:
    profile = _profile()
    assert profile.oid4vci_issuer.credential_issuer == ISSUER
    assert "127.0.0.1:8999" in profile.hosts
    assert profile.oid4vci_issuer.spec_versions == ("final",)


@pytest.mark.parametrize("bad,where", [
    ({"claims": {"formats": ["mso_mdoc"]}}, "claims.formats"),
    ({"claims": {"colours": []}}, "claims"),
    ({"offer_url": "ftp://x"}, "offer_url"),
    ({"options": {"nonce_lifetime_s": 600}}, "nonce_lifetime_s"),
])
def test_profile_section_errors_name_the_field(bad: dict[str, Any], where: str) -> None:
    with pytest.raises(ProfileError, match=where):
        _profile(**bad)


def test_not_claimed_reads_format_grant_and_needs_columns() -> None:
    section = _profile().oid4vci_issuer
    assert section.not_claimed({"format": "ldp_vc", "needs": "tx_code"}) == []
    assert section.not_claimed({"format": "jwt_vc_json", "needs": "-"}) == ["formats=jwt_vc_json"]
    assert section.not_claimed({"needs": "nonce_expiry"}) == ["features=nonce_expiry"]
    assert section.not_claimed({"proof_type": "di_vp", "grant": "authorization_code"}) == [
        "grants=authorization_code", "proof_types=di_vp"]
    draft = _profile(claims={"spec_versions": ["draft13"]}).oid4vci_issuer
    assert draft.draft_only and draft.mode == "draft13"
    assert draft.not_claimed({}) == []                                   # draft mode runs the scenario...
    assert draft.not_claimed({"spec": "final"}) == ["spec_versions=final"]  # ...unless it is final-only
    both = _profile(claims={"spec_versions": ["final", "draft13"]}).oid4vci_issuer
    assert both.mode == "final" and both.not_claimed({"spec": "final"}) == []


@pytest.mark.parametrize("bad,where", [
    ({"options": {"authorization": {"login": "browser"}}}, "options.authorization.login"),
    ({"options": {"authorization": {"login": "hook"}}}, "options.authorization.login_hook"),
    ({"options": {"authorization": {"colour": 1}}}, "options.authorization"),
    ({"options": {"deferred_timeout_s": 0}}, "options.deferred_timeout_s"),
])
def test_authorization_and_deferred_options_are_validated(bad: dict[str, Any], where: str) -> None:
    with pytest.raises(ProfileError, match=where.replace(".", r"\.")):
        _profile(**bad)


def test_authorization_options_default_and_login_hook_host_is_allowed() -> None:
    section = _profile().oid4vci_issuer
    assert section.authorization["login"] == "follow_redirects" and section.authorization["client_id"]
    hooked = _profile(options={"authorization": {"login": "hook", "login_hook": "http://127.0.0.2:9000/login"}})
    assert "127.0.0.2:9000" in hooked.hosts


# -- discovery ----------------------------------------------------------------------------------
@pytest.mark.parametrize("identifier,placement,expected", [
    ("https://h.example/tenant", "final", "https://h.example/.well-known/openid-credential-issuer/tenant"),
    ("https://h.example/tenant/", "final", "https://h.example/.well-known/openid-credential-issuer/tenant"),
    ("https://h.example", "final", "https://h.example/.well-known/openid-credential-issuer"),
    ("https://h.example/tenant", "draft13", "https://h.example/tenant/.well-known/openid-credential-issuer"),
])
def test_well_known_url_is_inserted_between_host_and_path(identifier: str, placement: str, expected: str) -> None:
    assert well_known_url(identifier, placement=placement) == expected


@respx.mock
def test_metadata_found_at_the_final_path(client: Oid4vciClient) -> None:
    respx.get(f"{BASE}/.well-known/openid-credential-issuer/tenant").respond(200, json={"credential_issuer": ISSUER}, headers=JSON)
    md = client.metadata()
    assert md.placement == "final" and md.document == {"credential_issuer": ISSUER} and len(md.attempts) == 1


@respx.mock
def test_metadata_only_at_the_draft_path_is_used_and_recorded(client: Oid4vciClient) -> None:
    respx.get(f"{BASE}/.well-known/openid-credential-issuer/tenant").respond(404)
    respx.get(f"{ISSUER}/.well-known/openid-credential-issuer").respond(200, json={"credential_issuer": ISSUER}, headers=JSON)
    md = client.metadata()
    assert md.placement == "draft13" and md.document is not None and len(md.attempts) == 2


@respx.mock
def test_no_metadata_anywhere(client: Oid4vciClient) -> None:
    respx.get(url__startswith=BASE).respond(404)
    md = client.metadata()
    assert md.placement is None and md.document is None and md.answer is not None


# -- offers -------------------------------------------------------------------------------------
OFFER = {"credential_issuer": ISSUER, "credential_configuration_ids": ["ob"],
         "grants": {PRE_AUTHORIZED_GRANT: {"pre-authorized_code": "code-123456789", "tx_code": {"length": 6}}}}


@respx.mock
def test_offer_by_value_keeps_the_unredacted_code_for_the_flow(client: Oid4vciClient) -> None:
    hook = respx.post(HOOK).respond(201, json={"credential_offer": OFFER, "tx_code": "493817"}, headers=JSON)
    offer = client.request_offer("ob", tx_code=True, by_reference=False)
    assert json.loads(hook.calls.last.request.content) == {"credential_configuration_id": "ob", "grant": "pre-authorized_code",
                                                          "tx_code": True, "by_reference": False}
    assert offer.delivery == "by_value" and offer.pre_authorized_code == "code-123456789" and offer.tx_code == "493817"
    evidence = json.dumps(offer.hook.exchange.to_evidence())
    assert "code-123456789" not in evidence and "493817" not in evidence


@respx.mock
def test_offer_uri_by_value_is_decoded(client: Oid4vciClient) -> None:
    uri = "openid-credential-offer://?credential_offer=" + quote(json.dumps(OFFER))
    respx.post(HOOK).respond(201, json={"offer_uri": uri}, headers=JSON)
    offer = client.request_offer("ob", tx_code=False, by_reference=False)
    assert offer.document == OFFER and offer.problem is None


@respx.mock
def test_offer_by_reference_is_fetched(client: Oid4vciClient) -> None:
    respx.post(HOOK).respond(201, json={"credential_offer_uri": f"{BASE}/offers/1"}, headers=JSON)
    respx.get(f"{BASE}/offers/1").respond(200, json=OFFER, headers=JSON)
    offer = client.request_offer("ob", tx_code=False, by_reference=True)
    assert offer.delivery == "by_reference" and offer.offer_uri == f"{BASE}/offers/1" and offer.document == OFFER


@respx.mock
def test_offer_hook_failure_is_a_problem_not_an_offer(client: Oid4vciClient) -> None:
    respx.post(HOOK).respond(500)
    offer = client.request_offer("ob", tx_code=False, by_reference=False)
    assert offer.document is None and "server_error" in (offer.problem or "")


# -- token and credential -------------------------------------------------------------------------
@respx.mock
def test_token_request_is_form_encoded_with_tx_code_only_when_given(client: Oid4vciClient) -> None:
    route = respx.post(f"{BASE}/token").respond(200, json={"access_token": "tok-abcdefgh", "token_type": "Bearer"},
                                                headers={**JSON, "Cache-Control": "no-store"})
    answer = client.token(f"{BASE}/token", "code-1", None)
    request = route.calls.last.request
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert parse_qs(request.content.decode()) == {"grant_type": [PRE_AUTHORIZED_GRANT], "pre-authorized_code": ["code-1"]}
    assert "authorization" not in request.headers
    assert answer.body["access_token"] == "tok-abcdefgh" and answer.header("cache-control") == "no-store"
    client.token(f"{BASE}/token", "code-1", "1234")
    assert parse_qs(route.calls.last.request.content.decode())["tx_code"] == ["1234"]
    assert route.calls.last.request and answer.exchange.request_body["pre-authorized_code"] == REDACTED


@respx.mock
def test_credential_request_carries_the_access_token_and_evidence_hides_it(client: Oid4vciClient) -> None:
    route = respx.post(f"{BASE}/credential").respond(401, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
    answer = client.credential(f"{BASE}/credential", "secret-access-token", {"credential_configuration_id": "ob"})
    assert route.calls.last.request.headers["authorization"] == "Bearer secret-access-token"
    assert answer.outcome is Outcome.AUTH_ERROR and answer.exchange.request_headers["Authorization"] == REDACTED
    assert answer.header("www-authenticate", ).startswith("Bearer")
    no_token = client.credential(f"{BASE}/credential", None, {})
    assert "authorization" not in route.calls.last.request.headers and no_token.exchange.status == 401


@respx.mock
def test_vendor_client_request_merges_protocol_headers() -> None:
    route = respx.post(f"{BASE}/x").respond(200, json={"ok": True}, headers=JSON)
    http = VendorClient(_profile())
    raw: list[Any] = []
    ex = http.request("POST", f"{BASE}/x", form={"a": "b"}, headers={"DPoP": "proof"}, with_auth=False, keep_json=raw)
    assert route.calls.last.request.headers["dpop"] == "proof" and route.calls.last.request.content == b"a=b"
    assert ex.outcome is Outcome.ACCEPTED and raw == [{"ok": True}]
    http.close()


def test_a_jwt_vc_json_subject_id_may_travel_in_sub() -> None:
    """VCDM 1.1 JWT encoding: credentialSubject.id may be carried only by the JWT's sub claim."""
    from types import SimpleNamespace

    from lerconf.crypto.jose.encodings import JwtEncoding
    from lerconf.crypto.jose.sign import sign_jwt
    from lerconf.crypto.keys import generate
    from lerconf.crypto.signing import Signer
    from lerconf.scenarios.oid4vci_flow import credential_document

    signer = Signer.did_key(generate("Ed25519"))
    vc = {"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["VerifiableCredential"],
          "issuer": signer.controller, "credentialSubject": {"name": "x"}}
    token = sign_jwt(vc, signer.key, signer.verification_method, JwtEncoding.VCDM11, claims={"sub": "did:jwk:holder"})
    document = credential_document(SimpleNamespace(credential=token))  # type: ignore[arg-type]
    assert document is not None and document["credentialSubject"]["id"] == "did:jwk:holder"


def test_nonce_scenarios_do_not_apply_to_an_issuer_without_a_nonce_endpoint() -> None:
    """The nonce endpoint is optional in OID4VCI 1.0: an issuer without one is not judged on nonces."""
    from types import SimpleNamespace

    from lerconf.scenarios.oid4vci_issuer import require_nonce_endpoint

    without = SimpleNamespace(mode="final", metadata=SimpleNamespace(endpoint=lambda name: None))
    with pytest.raises(NotClaimed, match="no nonce_endpoint"):
        require_nonce_endpoint(without)  # type: ignore[arg-type]
    with_one = SimpleNamespace(mode="final", metadata=SimpleNamespace(endpoint=lambda name: "https://i.example/nonce"))
    require_nonce_endpoint(with_one)  # type: ignore[arg-type]


def test_the_grants_authorization_server_is_used_when_the_offer_names_one() -> None:
    """OID4VCI §4.1.1: with several authorization servers the offer's grant says which one to use."""
    from lerconf.protocol.oid4vci import PRE_AUTHORIZED_GRANT, Offer

    offer = Offer(hook=None, delivery="by_value", document={  # type: ignore[arg-type]
        "grants": {PRE_AUTHORIZED_GRANT: {"pre-authorized_code": "c", "authorization_server": "https://as2.example"},
                   "authorization_code": {"issuer_state": "s"}}})
    assert offer.authorization_server(PRE_AUTHORIZED_GRANT) == "https://as2.example"
    assert offer.authorization_server("authorization_code") is None
