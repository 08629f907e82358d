"""The authorization endpoint (RFC 6749 §4.1 with RFC 7636 PKCE, S256 only, as OB 3.0 API
Security requires): a registered client, one of its redirect URIs, ``state``, a code challenge
and scopes it registered. The test user is approved without a login page, so a consumer (lerconf,
or one under test) follows the redirect and finds the code at its redirect URI.

Errors about the client or its redirect URI are answered here (never redirected, RFC 6749
§4.1.2.1); the others go back to the client with ``error`` and ``state``."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit

from authlib.oauth2.rfc7636.challenge import CODE_CHALLENGE_PATTERN
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from lerconf.refimpl.obhost.api import Api
from lerconf.refimpl.obhost.store import store_of

__all__ = ["authorize_handler"]

NO_STORE = {"Cache-Control": "no-store"}


def _direct(description: str) -> Response:
    return JSONResponse({"error": "invalid_request", "error_description": description}, status_code=400,
                        headers=NO_STORE)


def _redirect(redirect_uri: str, params: Mapping[str, str]) -> Response:
    joiner = "&" if urlsplit(redirect_uri).query else "?"
    return RedirectResponse(redirect_uri + joiner + urlencode(params), status_code=302, headers=NO_STORE)


def authorize_handler(api: Api) -> Any:
    async def authorize(request: Request) -> Response:
        """GET <base>/auth/authorize: a code bound to client, redirect URI, challenge and scopes."""
        store = store_of(request, api)
        q = request.query_params
        client = store.clients.get(q.get("client_id") or "")
        if client is None:
            return _direct("client_id is missing or not registered")
        redirect_uri = q.get("redirect_uri") or (client.redirect_uris[0] if len(client.redirect_uris) == 1 else "")
        if redirect_uri not in client.redirect_uris:
            return _direct("redirect_uri is missing or not one the client registered")
        state = q.get("state")
        echo = {"state": state} if state else {}

        def error(code: str, description: str) -> Response:
            return _redirect(redirect_uri, {"error": code, "error_description": description, **echo})

        if q.get("response_type") != "code":
            return error("unsupported_response_type", "only response_type=code is supported")
        if store.rules.require_state and not state:
            return error("invalid_request", "state is required")
        challenge = q.get("code_challenge")
        if store.rules.require_pkce:
            if not challenge:
                return error("invalid_request", "PKCE is required: code_challenge is missing")
            if q.get("code_challenge_method") != "S256" or not CODE_CHALLENGE_PATTERN.match(challenge):
                return error("invalid_request", "code_challenge_method must be S256 with a valid code_challenge")
        scopes = tuple(dict.fromkeys((q.get("scope") or "").split()))
        if not scopes:
            return error("invalid_scope", "scope is missing")
        if store.rules.check_scopes and not set(scopes) <= client.scopes:
            return error("invalid_scope", "scope asks for scopes the client did not register")
        code = store.new_code(client.client_id, redirect_uri, challenge, scopes,
                              redirect_uri_sent=bool(q.get("redirect_uri")))
        return _redirect(redirect_uri, {"code": code, **echo})
    return authorize
