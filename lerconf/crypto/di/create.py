"""Add Proof (DI §4.2/§4.3): sign a document with a cryptosuite, as a set member or chain link."""
from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from lerconf import entropy
from lerconf.crypto.di.suites import SUITES, Suite
from lerconf.crypto.di.transform import hash_data, proof_configuration
from lerconf.crypto.encoding import multibase_encode
from lerconf.crypto.keys import PrivateKey
from lerconf.documents.jsonld import Processor

VC_V2 = "https://www.w3.org/ns/credentials/v2"
DI_CONTEXT = "https://w3id.org/security/data-integrity/v2"
DI_CONTEXTS = {DI_CONTEXT, "https://w3id.org/security/data-integrity/v1"}


class ProofGenerationError(ValueError):
    """Signing refused (PROOF_GENERATION_ERROR / DATA_LOSS_DETECTION_ERROR)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _now() -> str:
    return entropy.utc_now().replace(microsecond=0).isoformat().replace("+00:00", "Z")


def add_proof(
    document: Mapping[str, Any],
    key: PrivateKey,
    verification_method: str,
    suite_name: str,
    processor: Processor,
    *,
    purpose: str = "assertionMethod",
    created: str | None = "now",
    challenge: str | None = None,
    domain: str | Sequence[str] | None = None,
    proof_id: str | None = None,
    previous_proof: str | Sequence[str] | None = None,
    expires: str | None = None,
) -> dict[str, Any]:
    """Return a copy of ``document`` with a new proof added (existing proofs kept as a set)."""
    suite = SUITES.get(suite_name)
    if suite is None:
        raise ProofGenerationError("PROOF_GENERATION_ERROR", f"unsupported cryptosuite {suite_name}")
    if key.curve not in suite.curves:
        raise ProofGenerationError("PROOF_GENERATION_ERROR", f"{suite_name} cannot sign with a {key.curve} key")
    if suite_name == "ecdsa-sd-2023":  # verified here, but its base proofs are not made by this signer
        raise ProofGenerationError("PROOF_GENERATION_ERROR", "lerconf does not create ecdsa-sd-2023 base proofs")
    doc = copy.deepcopy(dict(document))
    existing = doc.pop("proof", None)
    existing_list = existing if isinstance(existing, list) else ([existing] if existing else [])
    _inject_context(doc, suite)
    proof = _proof_options(suite, verification_method, purpose, created=created, challenge=challenge, domain=domain,
                           proof_id=proof_id, expires=expires)
    unsecured = doc
    if previous_proof is not None:
        proof["previousProof"] = previous_proof
        unsecured = {**doc, "proof": _previous(existing_list, previous_proof)}
    if suite.transform == "jcs":
        if "@context" in doc:
            proof["@context"] = copy.deepcopy(doc["@context"])
        config = dict(proof)
    else:
        config = proof_configuration(doc, proof)
    data = hash_data(suite, unsecured, config, key.curve, processor)
    if data.dropped_terms:
        raise ProofGenerationError(
            "DATA_LOSS_DETECTION_ERROR", f"refusing to sign: undefined terms {', '.join(data.dropped_terms)}"
        )
    signature = key.sign(data.combined, suite.hash_name(key.curve))
    proof["proofValue"] = multibase_encode(signature, "z")
    doc["proof"] = [*existing_list, proof] if existing_list else proof
    return doc


def _inject_context(doc: dict[str, Any], suite: Suite) -> None:
    """Add the suite's context, or the Data Integrity context where the VC v2 context does not carry it (DI §2.4.2)."""
    ctx = doc.get("@context")
    ctxs = ctx if isinstance(ctx, list) else [ctx]
    if suite.context and suite.context not in ctxs:
        doc["@context"] = [*ctxs, suite.context]
    elif suite.proof_type == "DataIntegrityProof" and VC_V2 not in ctxs and not set(ctxs) & DI_CONTEXTS:
        doc["@context"] = [*ctxs, DI_CONTEXT]


def _proof_options(suite: Suite, verification_method: str, purpose: str, *, created: str | None,
                   challenge: str | None, domain: str | Sequence[str] | None, proof_id: str | None,
                   expires: str | None) -> dict[str, Any]:
    """The proof's options in the order the suites show them (type, cryptosuite, created, ...)."""
    proof: dict[str, Any] = {"type": suite.proof_type}
    if proof_id:
        proof["id"] = proof_id
    if suite.proof_type == "DataIntegrityProof":
        proof["cryptosuite"] = suite.name
    if created == "now" or (created is None and suite.created_required):
        proof["created"] = _now()
    elif created:
        proof["created"] = created
    if expires:
        proof["expires"] = expires
    proof["verificationMethod"] = verification_method
    proof["proofPurpose"] = purpose
    if challenge is not None:
        proof["challenge"] = challenge
    if domain is not None:
        proof["domain"] = domain
    return proof


def _previous(existing: list[Any], previous_proof: str | Sequence[str]) -> Any:
    """The proofs a chained proof signs over (DI §4.5): every id it names must be present."""
    refs = [previous_proof] if isinstance(previous_proof, str) else list(previous_proof)
    matching = [p for p in existing if isinstance(p, Mapping) and p.get("id") in refs]
    if len(matching) != len(refs):
        raise ProofGenerationError("PROOF_GENERATION_ERROR", f"previousProof {refs} not all present")
    return matching[0] if len(matching) == 1 else matching
