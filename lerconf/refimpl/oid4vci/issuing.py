"""What the reference OID4VCI issuer does once a request is read, shared by the final and the
draft-13 credential endpoints: validate one key proof, and issue a badge bound to its key."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from lerconf import entropy
from lerconf.crypto.jose.encodings import JwtEncoding
from lerconf.crypto.jose.sign import sign_jwt
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.protocol.key_proof import ProofProblem, ValidProof, validate_key_proof
from lerconf.refimpl.oid4vci.metadata import CONFIGURATIONS, ECDSA_CONFIGURATION
from lerconf.refimpl.oid4vci.store import IssuerStore
from lerconf.refimpl.oid4vci.token import oauth_error
from lerconf.refimpl.state import ReferenceState
from lerconf.verify.di_vp import validate_di_vp

__all__ = ["UNBOUND_SUBJECT", "issue_bound_credential", "validate_proof"]

#: the subject a faulty instance puts in every credential instead of the proven key
UNBOUND_SUBJECT = "did:example:learner-7c1f0a"
#: how long the oid4-ecdsa badge is valid (the LMC profile: SHOULD carry a validUntil)
ECDSA_VALIDITY = timedelta(days=365)


async def validate_proof(state: ReferenceState, store: IssuerStore, config_id: str, proof_type: str,
                         proof: Any, *, nonce_error: str = "invalid_nonce") -> ValidProof | Response:
    """One key proof of an advertised type, then its nonce (spent on success)."""
    rules = store.rules
    if rules.refuse_all_proofs:
        return oauth_error("invalid_proof", "this issuer accepts no key proof")
    supported = CONFIGURATIONS[config_id]["proof_types_supported"]
    if proof_type not in supported or (rules.draft13 and proof_type != "jwt"):
        return oauth_error("invalid_proof", f"proof type {proof_type!r} is not supported for {config_id}")
    algs = tuple(supported[proof_type]["proof_signing_alg_values_supported"])
    checked: ValidProof | ProofProblem
    if proof_type == "jwt":
        checked = validate_key_proof(proof, audience=store.identifier, algorithms=algs,
                                     check_audience=rules.check_audience, check_signature=rules.check_signature,
                                     max_age_s=rules.proof_max_age_s)
    else:
        checked = await run_in_threadpool(validate_di_vp, proof, audience=store.identifier, suites=algs,
                                          resolver=state.verifier.resolver, processor=state.verifier.processor,
                                          check_domain=rules.check_audience)
    if isinstance(checked, ProofProblem):
        return oauth_error(checked.error, checked.description)
    if proof_type == "di_vp" and not rules.check_di_vp_challenge:
        return checked
    stale = store.use_nonce(checked.nonce)
    if stale is not None:
        return oauth_error(nonce_error, stale)
    return checked


def issue_bound_credential(state: ReferenceState, store: IssuerStore, config_id: str, subject: str,
                           status_purpose: str | None = None) -> Any:
    """An OB 3.0 badge for ``subject``: a Data Integrity object (ldp_vc) or a VCDM 1.1 JWT (jwt_vc_json),
    with a status list entry of ``status_purpose`` when the offer asked for one."""
    now = entropy.utc_now().replace(microsecond=0).isoformat().replace("+00:00", "Z")
    fmt = CONFIGURATIONS[config_id]["format"]
    credential_id = f"urn:uuid:{entropy.uuid4()}"
    if config_id == ECDSA_CONFIGURATION:  # the LMC oid4-ecdsa badge: revocable, with an end, signed with P-256
        purpose = status_purpose or ("revocation" if store.rules.ecdsa_status else None)
        revocable = state.status.reserve(credential_id, purpose) if purpose else None
        until = (entropy.utc_now().replace(microsecond=0) + ECDSA_VALIDITY).isoformat().replace("+00:00", "Z")
        document = ob3_achievement_credential(state.issuer_id, subject, credential_id=credential_id,
                                              valid_from=now, valid_until=until, credential_status=revocable)
        signed = state.keys.p256.sign(document, "ecdsa-rdfc-2019", state.verifier.processor)
        if store.rules.ecdsa_changed_after_signing:
            signed["name"] = f"{signed.get('name', '')} (changed after signing)"
        return signed
    status = state.status.reserve(credential_id, status_purpose) if status_purpose else None
    if fmt == "ldp_vc":
        document = ob3_achievement_credential(state.issuer_id, subject, credential_id=credential_id,
                                              valid_from=now, credential_status=status)
        return state.keys.ed25519.sign(document, "eddsa-rdfc-2022", state.verifier.processor)
    # OID4VCI App A.1.1: jwt_vc_json is a VCDM 1.1 credential in the ``vc`` claim (OB 3.0 asks for VCDM 2.0:
    # lerconf's engine reports that separately; see features/oid4vci/issuer-credential.feature)
    document = ob3_achievement_credential(state.issuer_id, subject, credential_id=credential_id,
                                          valid_from=now, vc_version="1.1", credential_status=status)
    signer = state.keys.ed25519
    return sign_jwt(document, signer.key, signer.verification_method, JwtEncoding.VCDM11)
