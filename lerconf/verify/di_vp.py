"""OID4VCI key proofs of type ``di_vp`` (OID4VCI 1.0 Appendix F.2, F.4): a Verifiable
Presentation secured with a Data Integrity proof whose ``proofPurpose`` is ``authentication``,
``domain`` the Credential Issuer Identifier and ``challenge`` the c_nonce.

The wallet side (lerconf testing an issuer) makes one with :func:`make_di_vp`, including
one-fault variants for the negative scenarios; the reference issuer checks one with
:func:`validate_di_vp` (lerconf's own Data Integrity engine verifies the signature). The holder
is named by ``did:key``, so a credential bound to the proven key carries
``credentialSubject.id = did:key:...``.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lerconf.crypto.did import DidResolver
from lerconf.crypto.keys import PrivateKey
from lerconf.crypto.signing import Signer
from lerconf.documents.jsonld import Processor
from lerconf.documents.templates import VC_V2
from lerconf.protocol.key_proof import ProofProblem, ValidProof
from lerconf.results import Status
from lerconf.verify.di_proof import verify_proofs

__all__ = ["DiHolder", "make_di_vp", "validate_di_vp"]

PURPOSE = "authentication"
#: cryptosuite per holder key curve, in lerconf's order of preference
SUITE_FOR_CURVE = {"Ed25519": "eddsa-rdfc-2022", "P-256": "ecdsa-rdfc-2019"}


@dataclass(frozen=True)
class DiHolder:
    """A wallet key named as did:key, for di_vp proofs."""

    key: PrivateKey = field(repr=False)

    @property
    def signer(self) -> Signer:
        return Signer.did_key(self.key)

    @property
    def did(self) -> str:
        return self.signer.controller


def make_di_vp(holder: DiHolder, processor: Processor, *, audience: str, nonce: str | None, suite: str | None = None,
               purpose: str = PURPOSE, corrupt_signature: bool = False) -> dict[str, Any]:
    """A VP with one Data Integrity proof: ``holder`` = the did:key, ``domain`` = ``audience``,
    ``challenge`` = ``nonce`` (omitted when None)."""
    suite = suite or SUITE_FOR_CURVE[holder.key.curve]
    presentation = {"@context": [VC_V2], "type": ["VerifiablePresentation"], "holder": holder.did}
    options: dict[str, Any] = {"purpose": purpose, "domain": audience}
    if nonce is not None:
        options["challenge"] = nonce
    signed = holder.signer.sign(presentation, suite, processor, **options)
    if corrupt_signature:
        value = str(signed["proof"]["proofValue"])
        signed["proof"]["proofValue"] = value[:-2] + ("A" if value[-2] != "A" else "B") + value[-1]
    return signed


def validate_di_vp(presentation: Any, *, audience: str, suites: Sequence[str], resolver: DidResolver,
                   processor: Processor, check_domain: bool = True) -> ValidProof | ProofProblem:
    """App. F.4 for di_vp without the nonce (the caller owns nonce state): a VP with exactly one
    Data Integrity proof of an advertised cryptosuite, purpose authentication, domain the issuer,
    made by a did:key/did:jwk key; the proof verifies. ``ValidProof.nonce`` is the challenge."""
    if not isinstance(presentation, Mapping) or "VerifiablePresentation" not in _types(presentation):
        return ProofProblem("invalid_proof", "the di_vp proof is not a VerifiablePresentation object")
    proof = presentation.get("proof")
    if not isinstance(proof, Mapping):
        return ProofProblem("invalid_proof", "the presentation must carry exactly one Data Integrity proof")
    if proof.get("cryptosuite") not in suites:
        return ProofProblem("invalid_proof", f"cryptosuite {proof.get('cryptosuite')!r} is not one of {', '.join(suites)}")
    if proof.get("proofPurpose") != PURPOSE:
        return ProofProblem("invalid_proof", f"proofPurpose is {proof.get('proofPurpose')!r}, not {PURPOSE}")
    domain = proof.get("domain")
    if check_domain and domain != audience and not (isinstance(domain, list) and audience in domain):
        return ProofProblem("invalid_proof", f"domain is {domain!r}, not the credential issuer {audience}")
    method = proof.get("verificationMethod")
    holder = method.split("#", 1)[0] if isinstance(method, str) else ""
    if not holder.startswith(("did:key:", "did:jwk:")):
        return ProofProblem("invalid_proof", f"verificationMethod {method!r} is not a did:key or did:jwk key")
    if presentation.get("holder") not in (None, holder):
        return ProofProblem("invalid_proof", "holder is not the controller of the proof's verificationMethod")
    (outcome,) = verify_proofs(presentation, resolver, processor, purpose=PURPOSE)
    if not outcome.valid or outcome.method is None:
        failed = next((r.message for r in outcome.results if r.status is Status.FAILED), "the proof does not verify")
        return ProofProblem("invalid_proof", f"the presentation's proof does not verify: {failed}")
    challenge = proof.get("challenge")
    return ValidProof(outcome.method.method.public_key, holder, challenge if isinstance(challenge, str) else None)


def _types(document: Mapping[str, Any]) -> list[Any]:
    value = document.get("type")
    return value if isinstance(value, list) else [value]
