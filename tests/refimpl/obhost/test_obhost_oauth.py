"""The reference host's authorization server and scope enforcement: authorization code with PKCE
S256 and state (OBAPI-03), client_secret_basic and code_verifier at the token endpoint (OBAPI-04),
401/403 per operation with Imsx_StatusInfo (OBAPI-05, OBAPI-11), refresh and revocation (OBAPI-12)."""
from __future__ import annotations

from typing import Any

import pytest

from tests.refimpl.obhost._flow import (
    ALL,
    CALLBACK,
    PROFILE_READ,
    PROFILE_UPDATE,
    READ,
    UPSERT,
    Consumer,
    assert_imsx,
    pkce,
    redirect_params,
)

pytestmark = pytest.mark.slow


def test_authorization_code_with_pkce_and_state_yields_the_granted_scopes(ob: Consumer) -> None:
    client = ob.register()
    verifier, challenge = pkce()
    params = redirect_params(ob.authorize(client, (READ, PROFILE_READ), challenge, state="opaque-42"))
    assert params["state"] == "opaque-42" and params["code"]
    r = ob.redeem(client, params["code"], verifier)
    assert r.status_code == 200 and r.headers["cache-control"].startswith("no-store")
    body = r.json()
    assert body["token_type"] == "Bearer" and body["access_token"] and body["refresh_token"]
    assert set(body["scope"].split()) == set(ob.scope(READ, PROFILE_READ).split())
    assert ob.get("/credentials", body["access_token"]).status_code == 200


@pytest.mark.parametrize("challenge,method,state", [
    (None, "S256", "st"),              # no PKCE at all
    ("x" * 43, "plain", "st"),         # PKCE, but not S256
    ("short", "S256", "st"),           # not a code challenge
    ("c" * 43, "S256", None),          # no state
])
def test_authorization_without_pkce_s256_or_state_is_refused(ob: Consumer, challenge: str | None, method: str,
                                                              state: str | None) -> None:
    client = ob.register()
    params = redirect_params(ob.authorize(client, ALL, challenge, method=method, state=state))
    assert params["error"] == "invalid_request" and "code" not in params
    assert "code" in redirect_params(ob.authorize(client, ALL, pkce()[1]))  # positive control


def test_authorization_errors_about_the_client_are_not_redirected(ob: Consumer) -> None:
    client = ob.register()
    unknown = ob.authorize({**client, "client_id": "nobody"}, ALL, pkce()[1])
    assert unknown.status_code == 400 and unknown.json()["error"] == "invalid_request"
    r = ob.http.get(f"{ob.base}/auth/authorize", params={"response_type": "code", "client_id": client["client_id"],
                                                          "redirect_uri": "http://127.0.0.1:9/other", "state": "s",
                                                          "code_challenge": pkce()[1], "code_challenge_method": "S256",
                                                          "scope": ob.scope(READ)})
    assert r.status_code == 400 and "location" not in r.headers


def test_scopes_beyond_the_registration_are_refused(ob: Consumer) -> None:
    client = ob.register((READ,))
    params = redirect_params(ob.authorize(client, (READ, UPSERT), pkce()[1]))
    assert params["error"] == "invalid_scope"


def test_a_wrong_code_verifier_is_invalid_grant(ob: Consumer) -> None:
    client = ob.register()
    code, verifier = ob.code(client)
    for wrong in (pkce()[0], None):
        r = ob.redeem(client, code, wrong)
        assert r.status_code == 400 and r.json()["error"] == "invalid_grant" and "access_token" not in r.json()
    assert ob.redeem(client, code, verifier).status_code == 200  # positive control: the right verifier works


def test_a_code_is_single_use_and_its_replay_ends_the_grant(ob: Consumer) -> None:
    client = ob.register()
    code, verifier = ob.code(client)
    first = ob.redeem(client, code, verifier)
    assert first.status_code == 200
    again = ob.redeem(client, code, verifier)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    assert ob.get("/credentials", first.json()["access_token"]).status_code == 401  # RFC 6749 §4.1.2


def test_the_token_endpoint_requires_client_secret_basic(ob: Consumer) -> None:
    client = ob.register()
    code, verifier = ob.code(client)
    form = {"grant_type": "authorization_code", "code": code, "code_verifier": verifier, "redirect_uri": CALLBACK}
    for r in (ob.token(client, form, auth=False), ob.token({**client, "client_secret": "wrong"}, form),
              ob.token(client, {**form, "client_id": client["client_id"], "client_secret": client["client_secret"]},
                       auth=False)):  # client_secret_post is not what the host takes
        assert r.status_code == 401 and r.json()["error"] == "invalid_client"
        assert r.headers["www-authenticate"].startswith("Basic")
    other = ob.register()
    assert ob.token(other, form).json()["error"] == "invalid_grant"  # another client's code
    assert ob.token(client, form).status_code == 200


def test_the_token_request_repeats_the_redirect_uri(ob: Consumer) -> None:
    client = ob.register()
    code, verifier = ob.code(client)
    form = {"grant_type": "authorization_code", "code": code, "code_verifier": verifier}
    for redirect in (None, "http://127.0.0.1:9/other"):
        r = ob.token(client, {**form, **({"redirect_uri": redirect} if redirect else {})})
        assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    assert ob.redeem(client, code, verifier).status_code == 200  # positive control


def test_unsupported_grant_types_are_refused(ob: Consumer) -> None:
    r = ob.token(ob.register(), {"grant_type": "client_credentials"})
    assert r.status_code == 400 and r.json()["error"] == "unsupported_grant_type"


ENDPOINTS = [("GET", "/credentials", READ), ("POST", "/credentials", UPSERT),
             ("GET", "/profile", PROFILE_READ), ("PUT", "/profile", PROFILE_UPDATE)]


def _call(consumer: Consumer, method: str, path: str, access: str | None) -> Any:
    headers = {"Authorization": f"Bearer {access}"} if access else {}
    body = b"{}" if method in ("POST", "PUT") else None
    return consumer.http.request(method, f"{consumer.base}{path}", content=body,
                                 headers={**headers, "Content-Type": "application/json"})


@pytest.mark.parametrize("method,path,scope", ENDPOINTS)
def test_each_operation_wants_a_token_with_its_scope(ob: Consumer, imsx_schema: dict[str, Any], method: str, path: str,
                                                      scope: str) -> None:
    body = assert_imsx(_call(ob, method, path, None), 401, imsx_schema)
    assert body["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"] == "unauthorizedrequest"
    assert_imsx(_call(ob, method, path, "not-a-token"), 401, imsx_schema)
    without = ob.tokens(tuple(s for s in ALL if s != scope))["access_token"]
    body = assert_imsx(_call(ob, method, path, without), 403, imsx_schema)
    assert body["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"] == "forbidden"
    only = ob.tokens((scope,))["access_token"]  # positive control: the scope alone gets past the check
    assert _call(ob, method, path, only).status_code not in (401, 403)


def test_a_read_token_lists_but_cannot_upsert(ob: Consumer, imsx_schema: dict[str, Any]) -> None:
    access = ob.tokens((READ,))["access_token"]
    assert ob.get("/credentials", access).status_code == 200
    assert_imsx(ob.post(access, {"proof": {}}, "application/json"), 403, imsx_schema)


def test_a_refresh_gives_a_working_token_and_rotates_the_refresh_token(ob: Consumer) -> None:
    first = ob.tokens((READ,))
    form = {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}
    r = ob.token(first["client"], form)
    assert r.status_code == 200 and r.json()["access_token"] != first["access_token"]
    assert ob.get("/credentials", r.json()["access_token"]).status_code == 200
    assert ob.token(first["client"], form).json()["error"] == "invalid_grant"  # the old refresh token is spent
    wider = ob.token(first["client"], {"grant_type": "refresh_token", "refresh_token": r.json()["refresh_token"],
                                       "scope": ob.scope(READ, UPSERT)})
    assert wider.status_code == 400 and wider.json()["error"] == "invalid_scope"


def test_a_revoked_access_token_is_refused(ob: Consumer, imsx_schema: dict[str, Any]) -> None:
    granted = ob.tokens((READ,))
    access = granted["access_token"]
    assert ob.get("/credentials", access).status_code == 200  # positive control
    assert ob.revoke(granted["client"], access).status_code == 200
    assert_imsx(ob.get("/credentials", access), 401, imsx_schema)
    assert ob.revoke(granted["client"], "never-issued").status_code == 200  # RFC 7009 §2.2


def test_revoking_the_refresh_token_ends_its_access_tokens(ob: Consumer) -> None:
    granted = ob.tokens((READ,))
    other = ob.register()
    assert ob.revoke(other, granted["refresh_token"]).status_code == 400  # not other clients' tokens
    assert ob.get("/credentials", granted["access_token"]).status_code == 200
    assert ob.revoke(granted["client"], granted["refresh_token"]).status_code == 200
    assert ob.get("/credentials", granted["access_token"]).status_code == 401
    r = ob.token(granted["client"], {"grant_type": "refresh_token", "refresh_token": granted["refresh_token"]})
    assert r.json()["error"] == "invalid_grant"
