"""The reference OID4VP verifier's endpoints: request hook, request objects (GET/POST, signed or
not), direct_post with single-use state, and the result endpoint."""
from __future__ import annotations

import json
from typing import Any

import httpx

from lerconf.crypto.encoding import b64url_decode
from lerconf.crypto.signing import Signer, deterministic_key
from lerconf.documents.templates import ob3_achievement_credential

HOLDER = Signer.did_key(deterministic_key("test-oid4vp-holder", "Ed25519"))
ISSUER = Signer.did_key(deterministic_key("test-oid4vp-issuer", "Ed25519"))


def _claims(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    head, body, _ = token.split(".")
    return json.loads(b64url_decode(head)), json.loads(b64url_decode(body))


def _open(client: httpx.Client, **body: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    hook = client.post("/oid4vp/requests", json=body).json()
    answer = client.get(hook["request_uri"])
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/oauth-authz-req+jwt")
    return _claims(answer.text)


def _vp(harness: Any, params: dict[str, Any], *, challenge: str | None = None, domain: str | None = None) -> dict[str, Any]:
    badge = ISSUER.sign(ob3_achievement_credential(ISSUER.controller, "did:example:learner",
                                                   credential_id="urn:uuid:3f1c6c1e-0000-4000-8000-000000000001"),
                        "eddsa-rdfc-2022", harness.processor)
    vp = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"],
          "holder": HOLDER.controller, "verifiableCredential": [badge]}
    return HOLDER.sign(vp, "eddsa-rdfc-2022", harness.processor, purpose="authentication",
                       challenge=challenge or params["nonce"], domain=domain or params["client_id"])


def _post(client: httpx.Client, params: dict[str, Any], token: Any, state: str | None = None) -> httpx.Response:
    form = {"vp_token": json.dumps(token), "state": state or params["state"]}
    return client.post(params["response_uri"], data=form)


def _result(client: httpx.Client, state: str) -> dict[str, Any]:
    """The verdict part of the result endpoint's answer (it also tells the request's options)."""
    answer = client.get(f"/oid4vp/results/{state}").json()
    return {k: answer[k] for k in ("status", "verified", "errors")}


def test_requests_are_fresh_and_well_formed(client: httpx.Client) -> None:
    (h1, c1), (_, c2) = _open(client), _open(client)
    assert h1 == {"typ": "oauth-authz-req+jwt", "alg": "none"}
    assert c1["nonce"] != c2["nonce"] and c1["state"] != c2["state"]
    assert c1["client_id"] == f"redirect_uri:{c1['response_uri']}" and c1["response_mode"] == "direct_post"
    assert c1["dcql_query"]["credentials"][0]["meta"]["type_values"][0][0].endswith("#OpenBadgeCredential")


def test_signed_request_by_post_echoes_wallet_nonce(client: httpx.Client) -> None:
    hook = client.post("/oid4vp/requests", json={"client_id_prefix": "decentralized_identifier",
                                                  "request_uri_method": "post"}).json()
    header, claims = _claims(client.post(hook["request_uri"], data={"wallet_nonce": "wn-1"}).text)
    assert header["alg"] == "EdDSA" and header["kid"].startswith(claims["client_id"].split(":", 1)[1])
    assert claims["wallet_nonce"] == "wn-1"
    assert client.post(hook["request_uri"], json={}).status_code == 400
    assert client.get("/oid4vp/request-objects/unknown").status_code == 404


def test_a_valid_presentation_is_verified_once(client: httpx.Client, harness: Any) -> None:
    _, params = _open(client)
    token = {"openbadge": [_vp(harness, params)]}
    first = _post(client, params, token)
    assert first.status_code == 200, first.text
    assert "redirect_uri" in first.json()
    assert _result(client, params["state"]) == {"status": "done", "verified": True, "errors": []}
    again = _post(client, params, token)
    assert again.status_code == 400 and "already been answered" in again.json()["error_description"]
    assert _result(client, params["state"])["verified"] is True


def test_presentations_that_must_fail(client: httpx.Client, harness: Any) -> None:
    _, earlier = _open(client)
    cases = {
        "wrong nonce": lambda p: {"openbadge": [_vp(harness, p, challenge="not-the-nonce")]},
        "wrong audience": lambda p: {"openbadge": [_vp(harness, p, domain="redirect_uri:https://other.example")]},
        "other transaction": lambda p: {"openbadge": [_vp(harness, earlier)]},
        "bare credential": lambda p: {"openbadge": [_vp(harness, p)["verifiableCredential"][0]]},
        "unknown query id": lambda p: {"other": [_vp(harness, p)]},
        "not an object": lambda p: [_vp(harness, p)],
    }
    for name, make in cases.items():
        _, params = _open(client)
        answer = _post(client, params, make(params))
        assert answer.status_code == 400, name
        result = _result(client, params["state"])
        assert result["verified"] is False and result["errors"], name


def test_unknown_state_and_wallet_errors(client: httpx.Client, harness: Any) -> None:
    _, params = _open(client)
    assert _post(client, params, {"openbadge": [_vp(harness, params)]}, state="never-issued").status_code == 400
    assert _result(client, params["state"])["status"] == "pending"
    error = client.post(params["response_uri"], data={"error": "access_denied", "state": params["state"]})
    assert error.status_code == 200
    assert _result(client, params["state"])["verified"] is False
    assert client.get("/oid4vp/results/never-issued").status_code == 404
    assert client.post(params["response_uri"], json={"vp_token": {}}).status_code == 400
