"""A second Credential Issuer Identifier whose metadata names *another* issuer (OID4VCI §12.2.4).

lerconf offers a credential as ``<base>/oid4vci-impostor``; the metadata served for that
identifier says ``credential_issuer: <base>/oid4vci`` (and points to that issuer's real
authorization server), so a wallet that does not compare the two would go on and redeem the
offer's (real, working) pre-authorized code. A conforming wallet stops after the metadata: the
wire log then shows no token request for the code.

    GET  /.well-known/openid-credential-issuer/oid4vci-impostor   mismatching metadata
    POST /oid4vci-impostor/offers                                 test hook: an offer by value
"""
from __future__ import annotations

import json
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from lerconf.protocol.oid4vci import PRE_AUTHORIZED_GRANT
from lerconf.refimpl.oid4vci.metadata import CONFIGURATIONS, NO_STORE, issuer_metadata
from lerconf.refimpl.oid4vci.store import store_of

__all__ = ["IMPOSTOR_PATH", "ROUTES"]

IMPOSTOR_PATH = "/oid4vci-impostor"


async def metadata(request: Request) -> Response:
    store = store_of(request)
    document = issuer_metadata(store)  # credential_issuer is the *real* identifier: the mismatch
    document["authorization_servers"] = [store.identifier]
    return JSONResponse(document)


async def create_offer(request: Request) -> Response:
    store = store_of(request)
    config = next(iter(CONFIGURATIONS))
    code, _ = store.new_code((config,), False)
    offer = {"credential_issuer": store.base_url + IMPOSTOR_PATH, "credential_configuration_ids": [config],
             "grants": {PRE_AUTHORIZED_GRANT: {"pre-authorized_code": code}}}
    return JSONResponse({"credential_offer": offer,
                         "offer_uri": "openid-credential-offer://?credential_offer=" + quote(json.dumps(offer), safe="")},
                        status_code=201, headers=NO_STORE)


ROUTES = [
    Route("/.well-known/openid-credential-issuer" + IMPOSTOR_PATH, metadata, methods=["GET"]),
    Route(IMPOSTOR_PATH + "/offers", create_offer, methods=["POST"]),
]
