"""Reference OID4VCI issuer: metadata (issuer and authorization server) and credential offers,
including the test hook that creates an offer (``POST /oid4vci/offers``), since an offer's
creation is out of band in the protocol. In draft-13 mode (``Rules.draft13``) the metadata is
served at the draft path only, without a nonce endpoint, in the draft-13 shape."""
from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from lerconf import entropy
from lerconf.documents.templates import OB_CONTEXT, VC_V2
from lerconf.protocol.oid4vci import PRE_AUTHORIZED_GRANT
from lerconf.refimpl.oid4vci.store import PATH, IssuerStore, Offered, store_of
from lerconf.refimpl.problems import read_json_object

__all__ = ["CONFIGURATIONS", "ECDSA_CONFIGURATION", "advertised", "as_metadata", "issuer_metadata"]

_TYPE = ["VerifiableCredential", "OpenBadgeCredential"]
_PROOF_TYPES = {"jwt": {"proof_signing_alg_values_supported": ["ES256", "EdDSA"]}}
#: App. F.2: a Data Integrity presentation as key proof (ldp_vc only); the values are cryptosuites
DI_VP_SUITES = ["eddsa-rdfc-2022", "ecdsa-rdfc-2019"]
_DISPLAY = {"display": [{"name": "Open Badge 3.0", "locale": "en-US"}]}
#: the ldp_vc configuration signed with ecdsa-rdfc-2019 (P-256)
ECDSA_CONFIGURATION = "OpenBadgeCredential_ldp_vc_ecdsa"

CONFIGURATIONS: dict[str, dict[str, Any]] = {
    "OpenBadgeCredential_ldp_vc": {
        "format": "ldp_vc",
        "scope": "OpenBadgeCredential_ldp_vc",
        "cryptographic_binding_methods_supported": ["did:jwk", "did:key"],
        "credential_signing_alg_values_supported": ["eddsa-rdfc-2022"],
        "proof_types_supported": {**_PROOF_TYPES, "di_vp": {"proof_signing_alg_values_supported": DI_VP_SUITES}},
        "credential_definition": {"@context": [VC_V2, OB_CONTEXT], "type": _TYPE},
        "credential_metadata": _DISPLAY,
    },
    "OpenBadgeCredential_jwt_vc_json": {
        "format": "jwt_vc_json",
        "scope": "OpenBadgeCredential_jwt_vc_json",
        "cryptographic_binding_methods_supported": ["did:jwk", "did:key"],
        "credential_signing_alg_values_supported": ["EdDSA"],
        "proof_types_supported": _PROOF_TYPES,
        "credential_definition": {"type": _TYPE},
        "credential_metadata": _DISPLAY,
    },
    # the LMC oid4-ecdsa profile's badge: ecdsa-rdfc-2019 (P-256) by the issuer's did:web, always with a
    # revocation status entry and a validUntil (lerconf/data/ecosystems/lmc.yaml, LMC-OE-*)
    ECDSA_CONFIGURATION: {
        "format": "ldp_vc",
        "scope": ECDSA_CONFIGURATION,
        "cryptographic_binding_methods_supported": ["did:jwk", "did:key"],
        "credential_signing_alg_values_supported": ["ecdsa-rdfc-2019"],
        "proof_types_supported": {**_PROOF_TYPES, "di_vp": {"proof_signing_alg_values_supported": DI_VP_SUITES}},
        "credential_definition": {"@context": [VC_V2, OB_CONTEXT], "type": _TYPE},
        "credential_metadata": _DISPLAY,
    },
}


def issuer_metadata(store: IssuerStore) -> dict[str, Any]:
    ident = store.identifier
    if store.rules.draft13:
        return draft13_metadata(store)
    return {
        "credential_issuer": ident,
        "credential_endpoint": f"{ident}/credential",
        "nonce_endpoint": f"{ident}/nonce",
        "deferred_credential_endpoint": f"{ident}/deferred_credential",
        "credential_configurations_supported": advertised(store),
        "display": [{"name": "lerconf reference issuer", "locale": "en-US"}],
    }


def advertised(store: IssuerStore) -> dict[str, dict[str, Any]]:
    """The configurations this instance advertises (a test bed's may leave the ECDSA one out)."""
    return {k: v for k, v in CONFIGURATIONS.items() if k != ECDSA_CONFIGURATION or store.rules.ecdsa_configuration}


def draft13_metadata(store: IssuerStore) -> dict[str, Any]:
    """Draft 13 §11.2: no nonce endpoint, display on the configuration, jwt proofs only."""
    configurations = {}
    for cid, c in advertised(store).items():
        draft = {k: v for k, v in c.items() if k != "credential_metadata"}
        draft["display"] = c["credential_metadata"]["display"]
        draft["proof_types_supported"] = _PROOF_TYPES
        configurations[cid] = draft
    ident = store.identifier
    return {"credential_issuer": ident, "credential_endpoint": f"{ident}/credential",
            "credential_configurations_supported": configurations,
            "display": [{"name": "lerconf reference issuer (draft 13)", "locale": "en-US"}]}


def as_metadata(store: IssuerStore) -> dict[str, Any]:
    """RFC 8414 metadata; the issuer is its own authorization server (no authorization_servers)."""
    ident = store.identifier
    return {
        "issuer": ident,
        "authorization_endpoint": f"{ident}/authorize",
        "token_endpoint": f"{ident}/token",
        "grant_types_supported": ["authorization_code", PRE_AUTHORIZED_GRANT],
        "pre-authorized_grant_anonymous_access_supported": True,
        "response_types_supported": ["code"],
        "code_challenge_methods_supported": ["S256"],
        "scopes_supported": sorted({str(c["scope"]) for c in advertised(store).values()}),
    }


NO_STORE = {"Cache-Control": "no-store"}


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers=headers)


async def metadata_final(request: Request) -> Response:
    store = store_of(request)
    if not store.rules.metadata_at_final_path or store.rules.draft13:
        return _json({"error": "not_found"}, 404)
    return _json(issuer_metadata(store))


async def metadata_draft(request: Request) -> Response:
    """Draft-13 placement (appended to the issuer path): served in draft-13 mode, and by a faulty instance."""
    store = store_of(request)
    if not (store.rules.metadata_at_draft_path or store.rules.draft13):
        return _json({"error": "not_found"}, 404)
    return _json(issuer_metadata(store))


async def authorization_server(request: Request) -> Response:
    return _json(as_metadata(store_of(request)))


async def create_offer(request: Request) -> Response:
    """Test hook: ``{credential_configuration_id?, grant?: "pre-authorized_code" | "authorization_code",
    tx_code: bool, by_reference: bool, deferred: bool, status_purpose?, refuse_first_nonce: bool}`` ->
    ``{credential_offer | credential_offer_uri, offer_uri, tx_code?}``. ``deferred`` makes the credential
    endpoint answer 202 for this offer; ``status_purpose`` ("revocation", "suspension") gives the badge a
    status list entry; ``refuse_first_nonce`` answers the first credential request ``invalid_nonce``, as
    an issuer does when its c_nonce went stale (lerconf's wallet scenarios check the wallet retries)."""
    store = store_of(request)
    body = await read_json_object(request, allow_empty=True)
    config = body.get("credential_configuration_id") or next(iter(CONFIGURATIONS))
    if config not in advertised(store):
        return _json({"error": "invalid_request", "error_description": f"unknown configuration {config!r}"}, 400)
    purpose = body.get("status_purpose")
    if purpose not in (None, "revocation", "suspension"):
        return _json({"error": "invalid_request", "error_description": f"unknown status_purpose {purpose!r}"}, 400)
    offered = Offered(bool(body.get("deferred")), purpose, bool(body.get("refuse_first_nonce")))
    tx_code = None
    grants: dict[str, Any]
    if body.get("grant") == "authorization_code":
        grants = {"authorization_code": {"issuer_state": store.new_issuer_state((str(config),), offered=offered)}}
    else:
        code, tx_code = store.new_code((str(config),), bool(body.get("tx_code")), offered=offered)
        grant: dict[str, Any] = {"pre-authorized_code": code}
        if tx_code is not None:
            grant["tx_code"] = {"input_mode": "numeric", "length": len(tx_code),
                                "description": "Enter the code lerconf shows you"}
        grants = {PRE_AUTHORIZED_GRANT: grant}
    offer = {"credential_issuer": store.identifier, "credential_configuration_ids": [config], "grants": grants}
    answer: dict[str, Any] = {}
    if body.get("by_reference"):
        offer_id = entropy.token_urlsafe(16)
        with store.lock:
            store.offers[offer_id] = offer
        uri = f"{store.identifier}/offers/{offer_id}"
        answer["credential_offer_uri"] = uri
        answer["offer_uri"] = "openid-credential-offer://?credential_offer_uri=" + quote(uri, safe="")
    else:
        answer["credential_offer"] = offer
        answer["offer_uri"] = "openid-credential-offer://?credential_offer=" + quote(json.dumps(offer), safe="")
    if tx_code is not None:
        answer["tx_code"] = tx_code
    return _json(answer, 201, headers=NO_STORE)


async def offer_by_reference(request: Request) -> Response:
    store = store_of(request)
    with store.lock:
        offer = store.offers.get(request.path_params["offer_id"])
    if offer is None:
        return _json({"error": "not_found"}, 404)
    return _json(offer, headers=NO_STORE)


WELL_KNOWN_ISSUER = "/.well-known/openid-credential-issuer" + PATH
DRAFT_WELL_KNOWN_ISSUER = PATH + "/.well-known/openid-credential-issuer"
WELL_KNOWN_AS = "/.well-known/oauth-authorization-server" + PATH
