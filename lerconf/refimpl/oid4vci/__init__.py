"""The reference OID4VCI 1.0 credential issuer and authorization server (pre-authorized code).

Credential Issuer Identifier ``<base>/oid4vci`` (it has a path, so the well-known URL is
inserted between host and path). Routes::

    GET  /.well-known/openid-credential-issuer/oid4vci     issuer metadata
    GET  /.well-known/oauth-authorization-server/oid4vci   RFC 8414 metadata
    POST /oid4vci/offers                                   test hook: a fresh offer (+ tx_code)
    GET  /oid4vci/offers/{offer_id}                        offer by reference
    POST /oid4vci/token                                    pre-authorized code grant
    POST /oid4vci/nonce                                    c_nonce (Cache-Control: no-store)
    POST /oid4vci/credential                               OB 3.0 ldp_vc / jwt_vc_json
"""
from __future__ import annotations

from starlette.routing import Route

from lerconf.refimpl.oid4vci import credential, metadata, token
from lerconf.refimpl.oid4vci.store import PATH, IssuerStore, Rules, store_of

__all__ = ["ROUTES", "IssuerStore", "Rules", "store_of"]

ROUTES = [
    Route(metadata.WELL_KNOWN_ISSUER, metadata.metadata_final, methods=["GET"]),
    Route(metadata.DRAFT_WELL_KNOWN_ISSUER, metadata.metadata_draft, methods=["GET"]),
    Route(metadata.WELL_KNOWN_AS, metadata.authorization_server, methods=["GET"]),
    Route(f"{PATH}/offers", metadata.create_offer, methods=["POST"]),
    Route(PATH + "/offers/{offer_id}", metadata.offer_by_reference, methods=["GET"]),
    Route(f"{PATH}/token", token.token, methods=["POST"]),
    Route(f"{PATH}/nonce", token.nonce, methods=["POST"]),
    Route(f"{PATH}/credential", credential.credential, methods=["POST"]),
]
