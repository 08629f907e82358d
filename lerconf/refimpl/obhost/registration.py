"""Dynamic client registration (RFC 7591) as OB 3.0 API Security asks for it: no initial access
token; the client names itself, its home page, logo, terms, policy, software id and version,
its redirect URIs and the scopes it wants; every URL is on the host of ``client_uri`` (https,
or http on loopback for test clients). The answer (201) echoes the metadata with ``client_id``
and ``client_secret`` (used with ``client_secret_basic`` at the token endpoint)."""
from __future__ import annotations

import ipaddress
import json
import time
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from lerconf.refimpl.obhost.api import Api
from lerconf.refimpl.obhost.store import HostStore, Rules, store_of

__all__ = ["REQUIRED", "registration_handler", "registration_problem"]

#: the registration request members OB 3.0 API Security requires
REQUIRED = ("client_name", "client_uri", "logo_uri", "tos_uri", "policy_uri", "software_id", "software_version",
            "redirect_uris", "scope")
URL_FIELDS = ("client_uri", "logo_uri", "tos_uri", "policy_uri")
MAX_BODY = 64 * 1024
NO_STORE = {"Cache-Control": "no-store"}
GRANT_TYPES = frozenset({"authorization_code", "refresh_token"})
#: members only the server sets: ignored in a request, never taken over from it
SERVER_SET = frozenset({"client_id", "client_secret", "client_id_issued_at", "client_secret_expires_at"})


def _error(error: str, description: str) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status_code=400, headers=NO_STORE)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url_problem(name: str, value: object, host: str | None, rules: Rules) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return f"{name} must be a non-empty URL string"
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname or parts.fragment:
        return f"{name} {value!r} is not an absolute http(s) URL without a fragment"
    if parts.scheme == "http" and not _loopback(parts.hostname):
        return f"{name} {value!r} must use https (http only on a loopback host)"
    if rules.same_host_urls and host is not None and parts.hostname != host:
        return f"{name} {value!r} is not on the host of client_uri ({host})"
    return None


def registration_problem(body: dict[str, Any], api: Api, rules: Rules) -> tuple[str, str] | None:
    """(RFC 7591 error, description) for a registration request the host refuses, else None."""
    required = [f for f in REQUIRED if f != "software_id" or rules.require_software_id]
    missing = [f for f in required if body.get(f) in (None, "", [])]
    if missing:
        return "invalid_client_metadata", f"missing required member(s): {', '.join(missing)}"
    for name in ("client_name", "software_id", "software_version", "scope"):
        if name in body and not isinstance(body[name], str):
            return "invalid_client_metadata", f"{name} must be a string"
    client_uri = body["client_uri"]
    host = urlsplit(client_uri).hostname if isinstance(client_uri, str) else None
    for name in URL_FIELDS:
        problem = _url_problem(name, body[name], host, rules)
        if problem:
            return "invalid_client_metadata", problem
    uris = body["redirect_uris"]
    if not isinstance(uris, list):
        return "invalid_redirect_uri", "redirect_uris must be an array of URLs"
    for uri in uris:
        problem = _url_problem("redirect_uri", uri, host, rules)
        if problem:
            return "invalid_redirect_uri", problem
    unknown = sorted(set(body["scope"].split()) - set(api.scopes))
    if unknown:
        return "invalid_client_metadata", f"scope names unknown scope(s): {', '.join(unknown)}"
    method = body.get("token_endpoint_auth_method", "client_secret_basic")
    if method != "client_secret_basic":
        return "invalid_client_metadata", f"token_endpoint_auth_method {method!r}: only client_secret_basic is supported"
    grants = body.get("grant_types", ["authorization_code", "refresh_token"])
    if not isinstance(grants, list) or not set(grants) <= GRANT_TYPES:
        return "invalid_client_metadata", "grant_types may only hold authorization_code and refresh_token"
    if body.get("response_types", ["code"]) != ["code"]:
        return "invalid_client_metadata", "response_types must be [\"code\"]"
    return None


def _registered(store: HostStore, body: dict[str, Any]) -> dict[str, Any]:
    metadata = {**{k: v for k, v in body.items() if k not in SERVER_SET}, "token_endpoint_auth_method": "client_secret_basic",
                "grant_types": body.get("grant_types", ["authorization_code", "refresh_token"]),
                "response_types": ["code"]}
    client = store.register(metadata, tuple(body["redirect_uris"]), frozenset(body["scope"].split()))
    return {**metadata, "client_id": client.client_id, "client_secret": client.secret,
            "client_id_issued_at": int(time.time()), "client_secret_expires_at": 0}


def registration_handler(api: Api) -> Any:
    async def register(request: Request) -> Response:
        """POST <base>/auth/register: 201 with the client's credentials, or 400 with an RFC 7591 error."""
        store = store_of(request, api)
        if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
            return _error("invalid_client_metadata", "the registration request must be application/json")
        raw = await request.body()
        if len(raw) > MAX_BODY:
            return _error("invalid_client_metadata", "the registration request is too large")
        try:
            body = json.loads(raw)
        except ValueError:
            return _error("invalid_client_metadata", "the registration request is not JSON")
        if not isinstance(body, dict):
            return _error("invalid_client_metadata", "the registration request is not a JSON object")
        problem = registration_problem(body, api, store.rules)
        if problem:
            return _error(*problem)
        return JSONResponse(_registered(store, body), status_code=201, headers=NO_STORE)
    return register
