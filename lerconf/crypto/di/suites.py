"""Cryptosuite definitions: how each suite transforms, hashes and signs.

The hash follows the key's curve for ECDSA (P-256 -> SHA-256, P-384 -> SHA-384), and for
P-384 with RDFC the canonicalization itself runs with SHA-384 (ECDSA §3.3).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Suite:
    name: str                 # cryptosuite string, or the proof type for legacy suites
    proof_type: str           # "DataIntegrityProof" or "Ed25519Signature2020"
    transform: str            # "rdfc" | "jcs"
    curves: tuple[str, ...]
    created_required: bool = False
    context: str | None = None  # a suite context the document must carry (legacy suites)

    def hash_name(self, curve: str) -> str:
        return "sha384" if curve == "P-384" else "sha256"


SUITES: dict[str, Suite] = {
    s.name: s
    for s in (
        Suite("eddsa-rdfc-2022", "DataIntegrityProof", "rdfc", ("Ed25519",)),
        Suite("eddsa-jcs-2022", "DataIntegrityProof", "jcs", ("Ed25519",)),
        Suite("ecdsa-rdfc-2019", "DataIntegrityProof", "rdfc", ("P-256", "P-384")),
        Suite("ecdsa-jcs-2019", "DataIntegrityProof", "jcs", ("P-256", "P-384")),
        # selective disclosure: verified as a derived proof (lerconf.crypto.di.ecdsa_sd), P-256 only
        Suite("ecdsa-sd-2023", "DataIntegrityProof", "rdfc", ("P-256",)),
        # selective disclosure over BLS12-381 (lerconf.crypto.di.bbs_2023): a derived proof, BBS-verified
        Suite("bbs-2023", "DataIntegrityProof", "rdfc", ("BLS12-381-G2",)),
        Suite(
            "Ed25519Signature2020",
            "Ed25519Signature2020",
            "rdfc",
            ("Ed25519",),
            created_required=True,
            context="https://w3id.org/security/suites/ed25519-2020/v1",
        ),
    )
}


def suite_for(proof: Mapping[str, Any]) -> Suite | None:
    """The suite a proof claims, or None when lerconf does not implement it."""
    ptype = proof.get("type")
    if ptype == "DataIntegrityProof":
        suite = SUITES.get(str(proof.get("cryptosuite")))
        return suite if suite and suite.proof_type == "DataIntegrityProof" else None
    if ptype == "Ed25519Signature2020":
        return SUITES["Ed25519Signature2020"]
    return None
