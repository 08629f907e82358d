"""Reference OID4VCI authorization server: the authorization endpoint of the authorization code
grant (RFC 6749 §4.1, OID4VCI §5) with PKCE (RFC 7636, S256 only), and the code's redemption
at the token endpoint.

The authorization endpoint approves a fixed test user without a login page: a wallet (lerconf,
or a wallet under test) follows the redirect chain and finds the code at its redirect_uri. The
requested credential comes from ``issuer_state`` (an offer with the authorization_code grant)
or from ``scope`` (a configuration's ``scope`` value). Errors about the client or the
redirect_uri are answered here (never redirected, RFC 6749 §4.1.2.1); the others are
redirected to the client with ``error``.
"""
from __future__ import annotations

import hmac
from collections.abc import Mapping
from urllib.parse import urlencode, urlsplit

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oauth2.rfc7636.challenge import (
    CODE_CHALLENGE_PATTERN,
    CODE_VERIFIER_PATTERN,
)
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from lerconf import entropy
from lerconf.refimpl.oid4vci.metadata import advertised
from lerconf.refimpl.oid4vci.store import (
    NOTHING_MORE,
    AuthorizationCode,
    IssuerStore,
    Offered,
    store_of,
)

__all__ = ["authorize", "redeem_authorization_code"]

AUTHORIZATION_CODE_GRANT = "authorization_code"
AUTH_CODE_LIFETIME_S = 60.0


def _direct_error(description: str) -> Response:
    return JSONResponse({"error": "invalid_request", "error_description": description}, status_code=400,
                        headers={"Cache-Control": "no-store"})


def _redirect(redirect_uri: str, params: Mapping[str, str]) -> Response:
    joiner = "&" if urlsplit(redirect_uri).query else "?"
    return RedirectResponse(redirect_uri + joiner + urlencode(params), status_code=302,
                            headers={"Cache-Control": "no-store"})


def _valid_redirect_uri(value: str | None) -> bool:
    if not value or "#" in value:
        return False
    parts = urlsplit(value)
    return bool(parts.scheme) and (parts.scheme not in ("http", "https") or bool(parts.hostname))


async def authorize(request: Request) -> Response:
    """GET /oid4vci/authorize: approve the test user and redirect with a code bound to the
    client_id, redirect_uri and code_challenge."""
    store = store_of(request)
    q = request.query_params
    client_id, redirect_uri = q.get("client_id"), q.get("redirect_uri")
    if not client_id:
        return _direct_error("client_id is missing")
    if not _valid_redirect_uri(redirect_uri):
        return _direct_error("redirect_uri is missing or not an absolute URI without a fragment")
    assert redirect_uri is not None
    state = {"state": q["state"]} if "state" in q else {}

    def error(code: str, description: str) -> Response:
        return _redirect(redirect_uri, {"error": code, "error_description": description, **state,
                                        "iss": store.identifier})

    if q.get("response_type") != "code":
        return error("unsupported_response_type", "only response_type=code is supported")
    challenge, method = q.get("code_challenge"), q.get("code_challenge_method", "plain")
    if not challenge:
        return error("invalid_request", "PKCE is required: code_challenge is missing")
    if method != "S256" or not CODE_CHALLENGE_PATTERN.match(challenge):
        return error("invalid_request", "code_challenge_method must be S256 with a valid code_challenge")
    configurations, offered = _requested(store, q.get("issuer_state"), q.get("scope"))
    if not configurations:
        return error("invalid_scope" if q.get("scope") else "invalid_request",
                     "name a credential by issuer_state (from an offer) or by a configuration's scope")
    code = entropy.token_urlsafe(24)
    with store.lock:
        store.auth_codes[code] = AuthorizationCode(client_id, redirect_uri, challenge, configurations,
                                                   entropy.unix_time() + AUTH_CODE_LIFETIME_S, offered)
    return _redirect(redirect_uri, {"code": code, **state, "iss": store.identifier})


def _requested(store: IssuerStore, issuer_state: str | None, scope: str | None) -> tuple[tuple[str, ...], Offered]:
    if issuer_state:
        with store.lock:
            found = store.issuer_states.pop(issuer_state, None)  # one authorization per offer
        return found if found is not None else ((), NOTHING_MORE)
    scopes = set((scope or "").split())
    return tuple(cid for cid, c in advertised(store).items() if c.get("scope") in scopes), NOTHING_MORE


def redeem_authorization_code(store: IssuerStore, form: Mapping[str, str]) -> AuthorizationCode | tuple[str, str]:
    """The authorization code grant's checks; the grant, or (error, description)."""
    rules = store.rules
    code = form.get("code")
    if not code:
        return "invalid_request", "code is missing"
    verifier = form.get("code_verifier")
    with store.lock:
        grant = store.auth_codes.get(code)
        if grant is None:
            return "invalid_grant", "the authorization code is unknown"
        if grant.used and rules.auth_codes_single_use:
            for token in grant.tokens:  # RFC 6749 §4.1.2: revoke what the code granted
                store.tokens.pop(token, None)
            return "invalid_grant", "the authorization code was already used"
        if grant.expires < entropy.unix_time():
            return "invalid_grant", "the authorization code has expired"
        if form.get("client_id") != grant.client_id:
            return "invalid_grant", "the authorization code was issued to another client_id"
        if rules.check_redirect_uri and form.get("redirect_uri") != grant.redirect_uri:
            return "invalid_grant", "redirect_uri differs from the one in the authorization request"
        if rules.check_code_verifier and grant.code_challenge is not None:
            if not verifier:
                return "invalid_grant", "code_verifier is missing although the authorization request used PKCE"
            if not CODE_VERIFIER_PATTERN.match(verifier) or not hmac.compare_digest(
                    create_s256_code_challenge(verifier), grant.code_challenge):
                return "invalid_grant", "code_verifier does not match the code_challenge"
        grant.used = True
    return grant
