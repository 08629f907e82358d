"""Reference OID4VCI authorization server: the token endpoint (pre-authorized code grant with
single-use short-lived codes and tx_code with limited attempts; authorization code grant with
PKCE, see ``authorize``) and the nonce endpoint. In draft-13 mode the token response carries
``c_nonce`` (draft 13 has no nonce endpoint)."""
from __future__ import annotations

from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from lerconf import entropy
from lerconf.protocol.oid4vci import PRE_AUTHORIZED_GRANT
from lerconf.refimpl.oid4vci.authorize import (
    AUTHORIZATION_CODE_GRANT,
    redeem_authorization_code,
)
from lerconf.refimpl.oid4vci.store import IssuerStore, store_of

__all__ = ["nonce", "token"]

NO_STORE = {"Cache-Control": "no-store"}
MAX_FORM_BYTES = 16 * 1024


def oauth_error(error: str, description: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status_code=status, headers=NO_STORE)


async def token(request: Request) -> Response:
    store = store_of(request)
    if "application/x-www-form-urlencoded" not in request.headers.get("content-type", ""):
        return oauth_error("invalid_request", "the token request must be application/x-www-form-urlencoded")
    raw = await request.body()
    if len(raw) > MAX_FORM_BYTES:
        return oauth_error("invalid_request", "the token request is too large")
    form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True).items()}
    if form.get("grant_type") == AUTHORIZATION_CODE_GRANT:
        redeemed = redeem_authorization_code(store, form)
        if isinstance(redeemed, tuple):
            return oauth_error(*redeemed)
        access_token = store.new_token(redeemed.configuration_ids, offered=redeemed.offered)
        with store.lock:
            redeemed.tokens.append(access_token)
        return _token_response(store, access_token)
    if form.get("grant_type") != PRE_AUTHORIZED_GRANT:
        return oauth_error("unsupported_grant_type", f"grant_type {form.get('grant_type')!r} is not supported")
    code = form.get("pre-authorized_code")
    if not code:
        return oauth_error("invalid_request", "pre-authorized_code is missing")
    rules = store.rules
    with store.lock:
        grant = store.codes.get(code)
        if grant is None:
            return oauth_error("invalid_grant", "the pre-authorized code is unknown")
        if grant.expires < entropy.unix_time():
            return oauth_error("invalid_grant", "the pre-authorized code has expired")
        if grant.used and rules.codes_single_use:
            return oauth_error("invalid_grant", "the pre-authorized code was already redeemed")
        if rules.check_tx_code:
            sent = form.get("tx_code")
            if grant.tx_code is None and sent is not None:
                return oauth_error("invalid_request", "tx_code sent although the offer has none")
            if grant.tx_code is not None:
                if sent is None:
                    return oauth_error("invalid_request", "the offer requires a tx_code")
                if grant.failed_attempts >= rules.max_tx_code_attempts:
                    return oauth_error("invalid_grant", "too many wrong tx_codes: the pre-authorized code is invalidated")
                if sent != grant.tx_code:
                    grant.failed_attempts += 1
                    return oauth_error("invalid_grant", "the tx_code is wrong")
        grant.used = True
        configuration_ids, offered = grant.configuration_ids, grant.offered
    return _token_response(store, store.new_token(configuration_ids, offered=offered))


def _token_response(store: IssuerStore, access_token: str) -> Response:
    body: dict[str, object] = {"access_token": access_token, "token_type": "Bearer",
                               "expires_in": int(store.rules.token_lifetime_s)}
    if store.rules.draft13:  # draft 13 §6.2: the first c_nonce comes with the token
        body.update(c_nonce=store.new_nonce(), c_nonce_expires_in=int(store.rules.nonce_lifetime_s))
    return JSONResponse(body, headers=NO_STORE)


async def nonce(request: Request) -> Response:
    store = store_of(request)
    if store.rules.draft13:
        return JSONResponse({"error": "not_found"}, status_code=404)
    headers = NO_STORE if store.rules.nonce_no_store else {}
    return JSONResponse({"c_nonce": store.new_nonce()}, headers=headers)
