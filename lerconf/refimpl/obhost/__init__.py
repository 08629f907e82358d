"""The reference Open Badges 3.0 and CLR 2.0 host (Service Provider) with its OAuth 2.0
authorization server: discovery, dynamic client registration (RFC 7591), authorization code with
PKCE S256 and ``state`` (RFC 7636), ``client_secret_basic``, refresh and revocation (RFC 7009),
scope-checked credentials (paged reads, equality-based upserts) and profile.

One implementation serves both APIs; ``<base>`` is ``/ims/ob/v3p0`` (OB scopes
``https://purl.imsglobal.org/spec/ob/v3p0/scope/...``) or ``/ims/clr/v2p0`` (CLR scopes
``https://purl.imsglobal.org/spec/clr/v2p0/scope/...``). Routes, per API::

    GET  <base>/discovery        OpenAPI 3.0 service description (no token)
    GET  <base>/terms            terms of service page (info.termsOfService)
    GET  <base>/privacy          privacy policy page (x-imssf-privacyPolicyUrl)
    POST <base>/auth/register    dynamic client registration -> 201 client_id + client_secret
    GET  <base>/auth/authorize   authorization code + PKCE S256 + state (test user auto-approved)
    POST <base>/auth/token       authorization_code and refresh_token grants (client_secret_basic)
    POST <base>/auth/revoke      token revocation (client_secret_basic)
    GET  <base>/credentials      getCredentials: limit/offset/since, X-Total-Count, Link  [credential.readonly]
    POST <base>/credentials      upsertCredential: 201 new, 200 replaced, 304 kept        [credential.upsert]
    GET  <base>/profile          getProfile                                               [profile.readonly]
    PUT  <base>/profile          putProfile                                               [profile.update]
    *    <base>/...              anything else: 404 / 405 with an Imsx_StatusInfo body

The test user holds seeded credentials signed by the reference issuer (``seed``).
"""
from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from lerconf.refimpl.obhost import authorize, discovery, registration, resources, token
from lerconf.refimpl.obhost.api import APIS, CLR, OB, Api
from lerconf.refimpl.obhost.errors import imsx_error
from lerconf.refimpl.obhost.store import TEST_USER, HostStore, Rules, store_of

__all__ = ["APIS", "CLR", "OB", "ROUTES", "TEST_USER", "Api", "HostStore", "Rules", "routes_for", "store_of"]

ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def _elsewhere(known: frozenset[str]) -> Any:
    async def elsewhere(request: Request) -> Response:
        """An unknown path or method under the base: still an Imsx_StatusInfo, never HTML."""
        if request.url.path in known:
            return imsx_error(405, f"{request.method} is not allowed on {request.url.path}")
        return imsx_error(404, f"{request.url.path} is not an endpoint of this host")
    return elsewhere


def routes_for(api: Api) -> list[Route]:
    """The routes of one API (the catch-all last)."""
    routes: list[Route] = [
        Route(api.discovery, discovery.discovery_handler(api), methods=["GET"]),
        Route(api.terms, discovery.page_handler(api, "terms of service"), methods=["GET"]),
        Route(api.privacy, discovery.page_handler(api, "privacy policy"), methods=["GET"]),
        Route(api.register, registration.registration_handler(api), methods=["POST"]),
        Route(api.authorize, authorize.authorize_handler(api), methods=["GET"]),
        Route(api.token, token.token_handler(api), methods=["POST"]),
        Route(api.revoke, token.revoke_handler(api), methods=["POST"]),
        Route(api.credentials, resources.credentials_get(api), methods=["GET"]),
        Route(api.credentials, resources.credentials_post(api), methods=["POST"]),
        Route(api.profile, resources.profile_get(api), methods=["GET"]),
        Route(api.profile, resources.profile_put(api), methods=["PUT"]),
    ]
    elsewhere = _elsewhere(frozenset(r.path for r in routes))
    return [*routes, Route(api.base, elsewhere, methods=ALL_METHODS),
            Route(api.base + "/{rest:path}", elsewhere, methods=ALL_METHODS)]


ROUTES: list[Route] = [route for api in APIS for route in routes_for(api)]
