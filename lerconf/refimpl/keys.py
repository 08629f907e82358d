"""The reference issuer's and holder's keys, its did:web identifier and DID document.

Keys are deterministic (``deterministic_key``), so a credential the reference signs today
verifies against the DID document it serves tomorrow, and the harness process can sign *as*
the issuer (or as its unauthorised key) without talking to the server.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from lerconf.crypto.di.suites import SUITES
from lerconf.crypto.keys import BLS_G2
from lerconf.crypto.signing import Signer, deterministic_key

__all__ = ["DID_CONTEXTS", "SUPPORTED_SUITES", "ReferenceKeys", "did_web_id"]

DID_CONTEXTS = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]

#: cryptosuite -> which issuer key signs it over HTTP (P-384 is reachable through ``ReferenceKeys``)
_SUITE_KEY = {
    "eddsa-rdfc-2022": "ed25519",
    "eddsa-jcs-2022": "ed25519",
    "Ed25519Signature2020": "ed25519",
    "ecdsa-rdfc-2019": "p256",
    "ecdsa-jcs-2019": "p256",
    "ecdsa-sd-2023": "p256",  # base proofs (lerconf.crypto.di.ecdsa_sd_derive.create_base_proof)
    "bbs-2023": "bls",  # base proofs (lerconf.crypto.di.bbs_2023_derive.create_base_proof)
}


def did_web_id(host: str, port: int | None) -> str:
    """did:web for host[:port]; the port's colon is percent-encoded (did:web §3.2)."""
    if ":" in host:
        raise ValueError("did:web has no form for IPv6 literal hosts; use 127.0.0.1 or a host name")
    authority = host if port is None else f"{host}:{port}"
    return "did:web:" + quote(authority, safe="")


@dataclass(frozen=True)
class ReferenceKeys:
    """Signers of the reference: issuer keys (assertionMethod), an unauthorised key, the holder."""

    issuer_id: str
    ed25519: Signer
    p256: Signer
    p384: Signer
    bls: Signer  # BLS12-381 G2: bbs-2023 base proofs
    unauthorised: Signer  # listed only under capabilityInvocation
    holder: Signer  # did:key, signs presentations (authentication)

    @classmethod
    def for_issuer(cls, issuer_id: str) -> ReferenceKeys:
        def method(label: str, curve: str) -> Signer:
            return Signer(deterministic_key(f"refimpl-issuer-{label}", curve), f"{issuer_id}#{label}", issuer_id)

        return cls(
            issuer_id=issuer_id,
            ed25519=method("key-ed25519", "Ed25519"),
            p256=method("key-p256", "P-256"),
            p384=method("key-p384", "P-384"),
            bls=method("key-bls12381", BLS_G2),
            unauthorised=method("key-unauthorised", "Ed25519"),
            holder=Signer.did_key(deterministic_key("refimpl-holder", "Ed25519")),
        )

    @property
    def holder_id(self) -> str:
        return self.holder.controller

    @property
    def assertion_signers(self) -> tuple[Signer, ...]:
        return (self.ed25519, self.p256, self.p384, self.bls)

    def signer_for(self, suite: str) -> Signer:
        """The issuer key that signs ``suite`` (KeyError for a suite the reference does not offer)."""
        if suite not in SUITES:
            raise KeyError(suite)
        return getattr(self, _SUITE_KEY[suite])  # type: ignore[no-any-return]

    def did_document(self) -> dict[str, Any]:
        """The controller document served at /.well-known/did.json."""
        methods = [s.controller_document_entry() for s in (*self.assertion_signers, self.unauthorised)]
        return {
            "@context": list(DID_CONTEXTS),
            "id": self.issuer_id,
            "verificationMethod": methods,
            "assertionMethod": [s.verification_method for s in self.assertion_signers],
            "capabilityInvocation": [self.unauthorised.verification_method],
        }


SUPPORTED_SUITES = tuple(_SUITE_KEY)
