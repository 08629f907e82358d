"""The token endpoint (authorization code with PKCE, refresh token) and the revocation endpoint
(RFC 7009). Both authenticate the client with ``client_secret_basic`` (RFC 6749 §2.3.1: HTTP
Basic over the form-encoded client id and secret). A replayed code is refused and ends every
token it granted (RFC 6749 §4.1.2); a refresh rotates the refresh token."""
from __future__ import annotations

import base64
import binascii
import hmac
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, unquote_plus

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oauth2.rfc7636.challenge import CODE_VERIFIER_PATTERN
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from lerconf.refimpl.obhost.api import Api
from lerconf.refimpl.obhost.store import AccessGrant, Client, HostStore, store_of

__all__ = ["basic_credentials", "revoke_handler", "token_handler"]

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
MAX_FORM_BYTES = 16 * 1024


def oauth_error(error: str, description: str, status: int = 400, headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status_code=status,
                        headers={**NO_STORE, **(headers or {})})


def basic_credentials(header: str) -> tuple[str, str] | None:
    """(client_id, client_secret) of an ``Authorization: Basic`` header, form-decoded (RFC 6749 §2.3.1)."""
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic" or not value.strip():
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, sep, secret = decoded.partition(":")
    return (unquote_plus(client_id), unquote_plus(secret)) if sep else None


async def _client_and_form(request: Request, store: HostStore) -> tuple[Client, dict[str, str]] | Response:
    credentials = basic_credentials(request.headers.get("authorization", ""))
    client = store.authenticate(*credentials) if credentials else None
    if client is None:
        return oauth_error("invalid_client", "client authentication failed (client_secret_basic is required)", 401,
                           {"WWW-Authenticate": 'Basic realm="lerconf"'})
    if "application/x-www-form-urlencoded" not in request.headers.get("content-type", ""):
        return oauth_error("invalid_request", "the request must be application/x-www-form-urlencoded")
    raw = await request.body()
    if len(raw) > MAX_FORM_BYTES:
        return oauth_error("invalid_request", "the request is too large")
    return client, dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))


def _redeem_code(store: HostStore, client: Client, form: Mapping[str, str]) -> AccessGrant | tuple[str, str]:
    """The authorization code grant's checks; the grant, or (error, description)."""
    code, verifier = form.get("code"), form.get("code_verifier")
    if not code:
        return "invalid_request", "code is missing"
    with store.lock:
        grant = store.codes.get(code)
        if grant is None or grant.client_id != client.client_id:
            return "invalid_grant", "the authorization code is unknown or was issued to another client"
        if grant.used and store.rules.codes_single_use:
            store.end_grant(grant.grant_id)  # RFC 6749 §4.1.2: revoke what the code granted
            return "invalid_grant", "the authorization code was already used"
        if grant.expires < time.monotonic():
            return "invalid_grant", "the authorization code has expired"
        sent = form.get("redirect_uri")
        if (sent is not None or grant.redirect_uri_sent) and sent != grant.redirect_uri:
            return "invalid_grant", "redirect_uri is missing or differs from the one in the authorization request"
        if grant.code_challenge is not None:
            if not verifier:
                return "invalid_grant", "code_verifier is missing although the authorization request used PKCE"
            if not CODE_VERIFIER_PATTERN.match(verifier) or not hmac.compare_digest(
                    create_s256_code_challenge(verifier), grant.code_challenge):
                return "invalid_grant", "code_verifier does not match the code_challenge"
        grant.used = True
    return AccessGrant(grant.client_id, grant.scopes, grant.user, grant.grant_id)


def _refresh(store: HostStore, client: Client, form: Mapping[str, str]) -> AccessGrant | tuple[str, str]:
    token = form.get("refresh_token")
    if not token:
        return "invalid_request", "refresh_token is missing"
    with store.lock:
        grant = store.refresh.get(token)
        if grant is None or grant.client_id != client.client_id:
            return "invalid_grant", "the refresh token is unknown, revoked or was issued to another client"
        scopes = tuple((form.get("scope") or " ".join(grant.scopes)).split())
        if not set(scopes) <= set(grant.scopes):
            return "invalid_scope", "a refresh may not widen the scope of the grant"
        del store.refresh[token]  # rotated: the answer carries the next refresh token
    return AccessGrant(grant.client_id, scopes, grant.user, grant.grant_id)


def token_handler(api: Api) -> Any:
    async def token(request: Request) -> Response:
        """POST <base>/auth/token: ``authorization_code`` and ``refresh_token`` grants."""
        store = store_of(request, api)
        read = await _client_and_form(request, store)
        if isinstance(read, Response):
            return read
        client, form = read
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            granted = _redeem_code(store, client, form)
        elif grant_type == "refresh_token":
            granted = _refresh(store, client, form)
        else:
            return oauth_error("unsupported_grant_type", f"grant_type {grant_type!r} is not supported")
        if isinstance(granted, tuple):
            return oauth_error(*granted)
        access, refresh = store.issue_tokens(granted.client_id, granted.scopes, granted.user, granted.grant_id)
        return JSONResponse({"access_token": access, "token_type": "Bearer", "expires_in": int(store.rules.token_lifetime_s),
                             "refresh_token": refresh, "scope": " ".join(granted.scopes)}, headers=NO_STORE)
    return token


def revoke_handler(api: Api) -> Any:
    async def revoke(request: Request) -> Response:
        """POST <base>/auth/revoke (RFC 7009): 200 whether or not the token was known."""
        store = store_of(request, api)
        read = await _client_and_form(request, store)
        if isinstance(read, Response):
            return read
        client, form = read
        token = form.get("token")
        if not token:
            return oauth_error("invalid_request", "token is missing")
        if not store.rules.revocation:
            return Response(status_code=200, headers=NO_STORE)  # faulty: says revoked, revokes nothing
        if not store.revoke(token, client.client_id):
            return oauth_error("unauthorized_client", "the token was issued to another client")
        return Response(status_code=200, headers=NO_STORE)
    return revoke
