"""Reference OID4VCI credential endpoint: access token, request shape, key proof (typ, alg, aud,
iat, signature, then the nonce), and an OB 3.0 credential bound to the proven key
(``credentialSubject.id`` = the proof key's did:jwk), signed with the reference issuer's keys."""
from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from lerconf.jose import sign_jwt
from lerconf.jose.encodings import JwtEncoding
from lerconf.oid4vc.proof import ProofProblem, validate_key_proof
from lerconf.refimpl.oid4vci.metadata import CONFIGURATIONS
from lerconf.refimpl.oid4vci.store import IssuerStore, store_of
from lerconf.refimpl.oid4vci.token import NO_STORE, oauth_error
from lerconf.refimpl.state import ReferenceState, state_of
from lerconf.templates import ob3_achievement_credential

__all__ = ["credential", "issue_bound_credential"]

MAX_BODY = 256 * 1024
#: the subject a faulty instance puts in every credential instead of the proven key
UNBOUND_SUBJECT = "did:example:learner-7c1f0a"


def _unauthorized(description: str) -> JSONResponse:
    return JSONResponse({"error": "invalid_token", "error_description": description}, status_code=401,
                        headers={**NO_STORE, "WWW-Authenticate": f'Bearer error="invalid_token", error_description="{description}"'})


async def credential(request: Request) -> Response:
    store = store_of(request)
    rules = store.rules
    auth = request.headers.get("authorization", "")
    scheme, _, token = auth.partition(" ")
    granted = store.token_grant(token.strip()) if scheme.lower() == "bearer" and token.strip() else None
    if granted is None and rules.require_access_token:
        return _unauthorized("a valid access token is required" if auth else "no access token")
    raw = await request.body()
    if "application/json" not in request.headers.get("content-type", "") or len(raw) > MAX_BODY:
        return oauth_error("invalid_credential_request", "the credential request must be a JSON object")
    try:
        body = json.loads(raw)
    except ValueError:
        return oauth_error("invalid_credential_request", "the credential request is not JSON")
    if not isinstance(body, dict):
        return oauth_error("invalid_credential_request", "the credential request is not a JSON object")
    problem = _request_problem(body, granted)
    if problem is not None:
        return problem
    config_id = str(body["credential_configuration_id"])
    proofs = body.get("proofs")
    jwts = proofs.get("jwt") if isinstance(proofs, Mapping) else None
    if not isinstance(jwts, list) or len(jwts) != 1:
        return oauth_error("invalid_proof", "proofs must be {\"jwt\": [one key proof]} (no batch issuance)")
    algs = tuple(CONFIGURATIONS[config_id]["proof_types_supported"]["jwt"]["proof_signing_alg_values_supported"])
    checked = validate_key_proof(jwts[0], audience=store.identifier, algorithms=algs,
                                 check_audience=rules.check_audience, check_signature=rules.check_signature)
    if isinstance(checked, ProofProblem):
        return oauth_error(checked.error, checked.description)
    stale = store.use_nonce(checked.nonce)
    if stale is not None:
        return oauth_error("invalid_nonce", stale)
    subject = checked.holder_did if rules.bind_to_proof_key else UNBOUND_SUBJECT
    issued = await run_in_threadpool(issue_bound_credential, state_of(request), store, config_id, subject)
    return JSONResponse({"credentials": [{"credential": issued}]}, headers=NO_STORE)


def _request_problem(body: Mapping[str, Any], granted: tuple[str, ...] | None) -> JSONResponse | None:
    if "proof" in body:
        return oauth_error("invalid_credential_request", "'proof' is the draft form; OID4VCI 1.0 uses 'proofs'")
    has_config, has_identifier = "credential_configuration_id" in body, "credential_identifier" in body
    if has_config == has_identifier:
        return oauth_error("invalid_credential_request",
                           "exactly one of credential_configuration_id and credential_identifier is required")
    if has_identifier:
        return oauth_error("unknown_credential_identifier", "this issuer issues no credential identifiers")
    config_id = body["credential_configuration_id"]
    if not isinstance(config_id, str) or config_id not in CONFIGURATIONS:
        return oauth_error("unknown_credential_configuration", f"{config_id!r} is not a credential configuration of this issuer")
    if granted is not None and config_id not in granted:
        return oauth_error("invalid_credential_request", f"the access token does not cover {config_id}")
    if "proofs" not in body:
        return oauth_error("invalid_proof", f"{config_id} is bound to a key: proofs are required")
    return None


def issue_bound_credential(state: ReferenceState, store: IssuerStore, config_id: str, subject: str) -> Any:
    """An OB 3.0 badge for ``subject``: a Data Integrity object (ldp_vc) or a VCDM 1.1 JWT (jwt_vc_json)."""
    now = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    fmt = CONFIGURATIONS[config_id]["format"]
    if fmt == "ldp_vc":
        document = ob3_achievement_credential(state.issuer_id, subject, credential_id=f"urn:uuid:{uuid.uuid4()}",
                                              valid_from=now)
        return state.keys.ed25519.sign(document, "eddsa-rdfc-2022", state.verifier.processor)
    # OID4VCI App A.1.1: jwt_vc_json is a VCDM 1.1 credential in the ``vc`` claim (OB 3.0 asks for VCDM 2.0:
    # lerconf's engine reports that separately; see features/oid4vci/issuer-credential.feature)
    document = ob3_achievement_credential(state.issuer_id, subject, credential_id=f"urn:uuid:{uuid.uuid4()}",
                                          valid_from=now, vc_version="1.1")
    signer = state.keys.ed25519
    return sign_jwt(document, signer.key, signer.verification_method, JwtEncoding.VCDM11)
