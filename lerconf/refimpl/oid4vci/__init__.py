"""The reference OID4VCI 1.0 credential issuer and authorization server (pre-authorized code,
authorization code with PKCE, deferred issuance, jwt and di_vp key proofs; draft 13 as a mode).

Credential Issuer Identifier ``<base>/oid4vci`` (it has a path, so the well-known URL is
inserted between host and path). Routes::

    GET  /.well-known/openid-credential-issuer/oid4vci     issuer metadata
    GET  /.well-known/oauth-authorization-server/oid4vci   RFC 8414 metadata
    POST /oid4vci/offers                                   test hook: a fresh offer (+ tx_code)
    GET  /oid4vci/offers/{offer_id}                        offer by reference
    GET  /oid4vci/authorize                                authorization code + PKCE (test user auto-approved)
    POST /oid4vci/token                                    pre-authorized code and authorization code grants
    POST /oid4vci/nonce                                    c_nonce (Cache-Control: no-store)
    POST /oid4vci/credential                               OB 3.0 ldp_vc / jwt_vc_json (202 when deferred)
    POST /oid4vci/deferred_credential                      deferred issuance by transaction_id
"""
from __future__ import annotations

from starlette.routing import Route

from lerconf.refimpl.oid4vci import authorize, credential, metadata, token
from lerconf.refimpl.oid4vci.store import PATH, IssuerStore, Rules, store_of

__all__ = ["ROUTES", "IssuerStore", "Rules", "store_of"]

ROUTES = [
    Route(metadata.WELL_KNOWN_ISSUER, metadata.metadata_final, methods=["GET"]),
    Route(metadata.DRAFT_WELL_KNOWN_ISSUER, metadata.metadata_draft, methods=["GET"]),
    Route(metadata.WELL_KNOWN_AS, metadata.authorization_server, methods=["GET"]),
    Route(f"{PATH}/offers", metadata.create_offer, methods=["POST"]),
    Route(PATH + "/offers/{offer_id}", metadata.offer_by_reference, methods=["GET"]),
    Route(f"{PATH}/authorize", authorize.authorize, methods=["GET"]),
    Route(f"{PATH}/token", token.token, methods=["POST"]),
    Route(f"{PATH}/nonce", token.nonce, methods=["POST"]),
    Route(f"{PATH}/credential", credential.credential, methods=["POST"]),
    Route(f"{PATH}/deferred_credential", credential.deferred_credential, methods=["POST"]),
]
