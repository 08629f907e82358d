"""Reference OID4VCI issuer and authorization server: metadata placement, offers, single-use
codes, tx_code rules, nonces, and a credential endpoint that validates the key proof and binds
the badge to the proven key."""
from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from lerconf.crypto.keys import generate
from lerconf.protocol.key_proof import HolderKey, make_key_proof
from lerconf.protocol.oid4vci import PRE_AUTHORIZED_GRANT
from lerconf.results import Status
from lerconf.verify.engine import Verifier

pytestmark = pytest.mark.slow
LDP = "OpenBadgeCredential_ldp_vc"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def offer(client: httpx.Client, *, tx_code: bool = False, by_reference: bool = False, config: str = LDP) -> dict[str, Any]:
    r = client.post("/oid4vci/offers", json={"credential_configuration_id": config, "tx_code": tx_code,
                                              "by_reference": by_reference})
    assert r.status_code == 201, r.text
    return r.json()


def code_of(answer: dict[str, Any]) -> str:
    return str(answer["credential_offer"]["grants"][PRE_AUTHORIZED_GRANT]["pre-authorized_code"])


def token(client: httpx.Client, code: str, tx_code: str | None = None) -> httpx.Response:
    data = {"grant_type": PRE_AUTHORIZED_GRANT, "pre-authorized_code": code, **({"tx_code": tx_code} if tx_code else {})}
    return client.post("/oid4vci/token", data=data, headers=FORM)


def access_token(client: httpx.Client, config: str = LDP) -> str:
    return str(token(client, code_of(offer(client, config=config))).json()["access_token"])


def nonce(client: httpx.Client) -> str:
    return str(client.post("/oid4vci/nonce").json()["c_nonce"])


def credential(client: httpx.Client, access: str | None, body: dict[str, Any]) -> httpx.Response:
    headers = {"Authorization": f"Bearer {access}"} if access else {}
    return client.post("/oid4vci/credential", json=body, headers=headers)


def test_metadata_is_at_the_inserted_well_known_path(ref: Any, client: httpx.Client) -> None:
    r = client.get("/.well-known/openid-credential-issuer/oid4vci")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    doc = r.json()
    assert doc["credential_issuer"] == f"{ref.base_url}/oid4vci"
    assert {c["format"] for c in doc["credential_configurations_supported"].values()} == {"ldp_vc", "jwt_vc_json"}
    assert client.get("/oid4vci/.well-known/openid-credential-issuer").status_code == 404
    as_doc = client.get("/.well-known/oauth-authorization-server/oid4vci").json()
    assert as_doc["issuer"] == doc["credential_issuer"] and PRE_AUTHORIZED_GRANT in as_doc["grant_types_supported"]


def test_offer_by_reference_resolves(client: httpx.Client) -> None:
    answer = offer(client, by_reference=True, tx_code=True)
    assert answer["tx_code"].isdigit() and answer["offer_uri"].startswith("openid-credential-offer://")
    r = client.get(answer["credential_offer_uri"])
    assert r.status_code == 200 and r.json()["grants"][PRE_AUTHORIZED_GRANT]["tx_code"]["input_mode"] == "numeric"


def test_codes_are_single_use_and_tokens_uncacheable(client: httpx.Client) -> None:
    code = code_of(offer(client))
    first = token(client, code)
    assert first.status_code == 200 and first.headers["cache-control"] == "no-store"
    again = token(client, code)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


@pytest.mark.parametrize("with_tx,sent,error", [
    (True, None, "invalid_request"), (True, "000000x", "invalid_grant"), (False, "123456", "invalid_request")])
def test_tx_code_rules(client: httpx.Client, with_tx: bool, sent: str | None, error: str) -> None:
    r = token(client, code_of(offer(client, tx_code=with_tx)), sent)
    assert r.status_code == 400 and r.json()["error"] == error


def test_wrong_tx_codes_invalidate_the_code(client: httpx.Client) -> None:
    answer = offer(client, tx_code=True)
    for _ in range(3):
        assert token(client, code_of(answer), "wrong").json()["error"] == "invalid_grant"
    r = token(client, code_of(answer), answer["tx_code"])
    assert r.status_code == 400 and "invalidated" in r.json()["error_description"]


def test_token_endpoint_refuses_other_grants_and_json(client: httpx.Client) -> None:
    assert client.post("/oid4vci/token", data={"grant_type": "client_credentials"}, headers=FORM).json()["error"] == \
        "unsupported_grant_type"
    assert client.post("/oid4vci/token", json={"grant_type": PRE_AUTHORIZED_GRANT}).json()["error"] == "invalid_request"


def test_nonces_are_fresh_and_uncacheable(client: httpx.Client) -> None:
    a, b = client.post("/oid4vci/nonce"), client.post("/oid4vci/nonce")
    assert a.headers["cache-control"] == "no-store" and a.json()["c_nonce"] != b.json()["c_nonce"]


def test_credential_endpoint_needs_a_token(client: httpx.Client) -> None:
    for access in (None, "not-a-token"):
        r = credential(client, access, {"credential_configuration_id": LDP})
        assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")


def test_issued_badge_is_bound_to_the_proof_key_and_verifies(ref: Any, client: httpx.Client, harness: Verifier) -> None:
    holder = HolderKey(generate("P-256"))
    proof = make_key_proof(holder, audience=f"{ref.base_url}/oid4vci", nonce=nonce(client))
    r = credential(client, access_token(client), {"credential_configuration_id": LDP, "proofs": {"jwt": [proof]}})
    assert r.status_code == 200, r.text
    badge = r.json()["credentials"][0]["credential"]
    assert badge["credentialSubject"]["id"] == holder.did
    report = harness.verify_document(badge)
    assert report.verified, [x.message for x in report.all_checks() if x.status is Status.FAILED]
    replay = credential(client, access_token(client), {"credential_configuration_id": LDP, "proofs": {"jwt": [proof]}})
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_nonce"


@pytest.mark.parametrize("body,error", [
    ({"credential_configuration_id": "nope", "proofs": {"jwt": ["x"]}}, "unknown_credential_configuration"),
    ({"credential_configuration_id": LDP}, "invalid_proof"),
    ({"credential_configuration_id": LDP, "proof": {"proof_type": "jwt", "jwt": "x"}}, "invalid_credential_request"),
    ({"credential_identifier": "abc", "proofs": {"jwt": ["x"]}}, "unknown_credential_identifier"),
    ({"credential_configuration_id": LDP, "proofs": {"jwt": ["not.a.jwt"]}}, "invalid_proof"),
])
def test_defective_credential_requests_get_the_defined_error(client: httpx.Client, body: dict[str, Any], error: str) -> None:
    r = credential(client, access_token(client), body)
    assert r.status_code == 400 and r.json()["error"] == error, r.text


def test_proof_faults(ref: Any, client: httpx.Client) -> None:
    holder = HolderKey(generate("P-256"))
    audience = f"{ref.base_url}/oid4vci"
    cases = [({"claims": {"aud": "https://elsewhere.example"}}, "invalid_proof"),
             ({"corrupt_signature": True}, "invalid_proof"),
             ({"iat": int(time.time()) - 3600}, "invalid_proof")]
    for kwargs, error in cases:
        proof = make_key_proof(holder, audience=audience, nonce=nonce(client), **kwargs)
        r = credential(client, access_token(client), {"credential_configuration_id": LDP, "proofs": {"jwt": [proof]}})
        assert r.status_code == 400 and r.json()["error"] == error, (kwargs, r.text)
    unknown = make_key_proof(holder, audience=audience, nonce="never-issued-nonce")
    r = credential(client, access_token(client), {"credential_configuration_id": LDP, "proofs": {"jwt": [unknown]}})
    assert r.json()["error"] == "invalid_nonce"


def test_the_issuer_on_the_https_listener_is_an_issuer_of_its_own(ref: Any, client: httpx.Client) -> None:
    """An issuer identifier is the URL its metadata is fetched from: over the reference's second, HTTPS
    listener the OID4VCI issuer names that listener, and a code it offered there is no code of the plain
    listener's issuer (a flow never straddles the two)."""
    import ssl

    from lerconf.refimpl.oid4vci.metadata import ECDSA_CONFIGURATION

    assert ref.tls is not None
    context = ssl.create_default_context(cafile=str(ref.tls.certificate.ca_file))
    with httpx.Client(base_url=ref.tls.base_url, verify=context, trust_env=False, timeout=30) as secure:
        path = "/.well-known/openid-credential-issuer/oid4vci"
        over_tls, plain = secure.get(path).json(), client.get(path).json()
        assert over_tls["credential_issuer"] == ref.tls.base_url + "/oid4vci"
        assert plain["credential_issuer"] == ref.base_url + "/oid4vci"
        assert over_tls["credential_endpoint"].startswith(ref.tls.base_url)
        assert ECDSA_CONFIGURATION in over_tls["credential_configurations_supported"]
        offered = offer(secure)
        assert offered["credential_offer"]["credential_issuer"] == ref.tls.base_url + "/oid4vci"
        code = code_of(offered)
        assert token(client, code).status_code == 400  # unknown to the plain listener's issuer
        assert token(secure, code).status_code == 200


def test_a_test_beds_rules_hold_on_the_https_listener_too(ref: Any, client: httpx.Client) -> None:
    import dataclasses
    import ssl

    from lerconf.refimpl.oid4vci.metadata import ECDSA_CONFIGURATION

    assert ref.tls is not None
    app_state = ref.server.config.app.state
    client.get("/.well-known/openid-credential-issuer/oid4vci")  # the plain listener's issuer exists
    before = app_state.oid4vci.rules
    app_state.oid4vci.rules = dataclasses.replace(before, ecdsa_configuration=False)
    try:
        context = ssl.create_default_context(cafile=str(ref.tls.certificate.ca_file))
        with httpx.Client(base_url=ref.tls.base_url, verify=context, trust_env=False, timeout=30) as secure:
            offered = secure.get("/.well-known/openid-credential-issuer/oid4vci").json()
        assert ECDSA_CONFIGURATION not in offered["credential_configurations_supported"]
    finally:
        app_state.oid4vci.rules = before
