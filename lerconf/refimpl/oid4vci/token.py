"""Reference OID4VCI authorization server: the token endpoint (pre-authorized code grant,
single-use short-lived codes, tx_code with limited attempts) and the nonce endpoint."""
from __future__ import annotations

import time
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from lerconf.oid4vc.client import PRE_AUTHORIZED_GRANT
from lerconf.refimpl.oid4vci.store import store_of

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
        if grant.expires < time.monotonic():
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
        configuration_ids = grant.configuration_ids
    access_token = store.new_token(configuration_ids)
    return JSONResponse({"access_token": access_token, "token_type": "Bearer",
                         "expires_in": int(rules.token_lifetime_s)}, headers=NO_STORE)


async def nonce(request: Request) -> Response:
    store = store_of(request)
    headers = NO_STORE if store.rules.nonce_no_store else {}
    return JSONResponse({"c_nonce": store.new_nonce()}, headers=headers)
