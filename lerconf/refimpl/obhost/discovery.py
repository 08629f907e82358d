"""The Service Description Document (OB 3.0 API Security, "Request the Service Description
Document"): an OpenAPI 3.0 document at ``<base>/discovery``, served without authentication, that
tells a consumer where to register, authorize and get tokens, which scopes exist, and where the
terms of service and privacy policy are. The terms and privacy pages themselves are served too,
so the URLs a consumer is shown resolve."""
from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from lerconf.refimpl.obhost.api import Api
from lerconf.refimpl.obhost.errors import imsx_error
from lerconf.refimpl.obhost.store import store_of

__all__ = ["discovery_handler", "document", "page_handler"]

SCHEME = "OAuth2ACG"
_SCOPE_TEXT = {
    "credential.readonly": "Permission to read credentials of the authenticated user",
    "credential.upsert": "Permission to create or update credentials of the authenticated user",
    "profile.readonly": "Permission to read the profile of the authenticated user",
    "profile.update": "Permission to update the profile of the authenticated user",
}


def _operation(operation_id: str, scope: str, summary: str, responses: dict[str, str]) -> dict[str, Any]:
    return {"operationId": operation_id, "summary": summary, "tags": ["OpenBadgeCredentials"],
            "security": [{SCHEME: [scope]}],
            "responses": {code: {"description": text} for code, text in responses.items()}}


def document(api: Api, base_url: str) -> dict[str, Any]:
    """The OpenAPI 3.0 service description of ``api`` served at ``base_url``."""
    errors = {"400": "Bad request (Imsx_StatusInfo)", "401": "No or invalid access token (Imsx_StatusInfo)",
              "403": "The access token lacks the scope (Imsx_StatusInfo)"}
    scopes = {api.scope(name): text for name, text in _SCOPE_TEXT.items()}
    return {
        "openapi": "3.0.1",
        "info": {
            "title": api.title,
            "description": "The embedded reference host of lerconf, a conformance test harness.",
            "version": "1.0",
            "termsOfService": base_url + api.terms,
            "x-imssf-privacyPolicyUrl": base_url + api.privacy,
        },
        "servers": [{"url": base_url + api.base, "description": "lerconf reference host"}],
        "paths": {
            "/credentials": {
                "get": {**_operation("getCredentials", api.read, "Get the user's credentials",
                                     {"200": "A page of credentials", **errors}),
                        "parameters": [{"name": n, "in": "query", "required": False, "schema": s} for n, s in (
                            ("limit", {"type": "integer", "minimum": 1}), ("offset", {"type": "integer", "minimum": 0}),
                            ("since", {"type": "string", "format": "date-time"}))]},
                "post": _operation("upsertCredential", api.upsert, "Create or replace a credential",
                                   {"200": "Replaced", "201": "Created", "304": "Not modified (an equal, newer one is held)",
                                    "415": "Unsupported content type (Imsx_StatusInfo)", **errors}),
            },
            "/profile": {
                "get": _operation("getProfile", api.profile_read, "Get the user's profile",
                                  {"200": "The Profile", "404": "No profile", **errors}),
                "put": _operation("putProfile", api.profile_update, "Replace the user's profile",
                                  {"200": "The Profile as stored", **errors}),
            },
            "/discovery": {"get": {"operationId": "getServiceDescription", "security": [],
                                   "responses": {"200": {"description": "This document"}}}},
        },
        "components": {"securitySchemes": {SCHEME: {
            "type": "oauth2",
            "description": "OAuth 2.0 authorization code grant with PKCE (S256) and dynamic client registration",
            "x-imssf-registrationUrl": base_url + api.register,
            "flows": {"authorizationCode": {
                "authorizationUrl": base_url + api.authorize,
                "tokenUrl": base_url + api.token,
                "refreshUrl": base_url + api.token,
                "scopes": scopes,
            }},
        }}},
    }


def discovery_handler(api: Api) -> Any:
    async def discovery(request: Request) -> Response:
        """GET <base>/discovery: no token needed (a consumer has none yet)."""
        store = store_of(request, api)
        if not store.rules.discovery_public and not request.headers.get("authorization"):
            return imsx_error(401, "an access token is required (a fault of a test bed: discovery must be public)",
                              headers={"WWW-Authenticate": 'Bearer realm="lerconf"'})
        return JSONResponse(document(api, store.base_url))
    return discovery


def page_handler(api: Api, what: str) -> Any:
    async def page(request: Request) -> Response:
        """The terms of service / privacy policy the discovery document links to."""
        return PlainTextResponse(f"{api.title}: {what}. A test fixture of lerconf; it keeps nothing beyond "
                                 "the running process and serves a fixed test user.")
    return page
