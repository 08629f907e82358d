"""Signers: a key, the verification method that names it, and the controller it belongs to."""
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lerconf.crypto.di.create import add_proof
from lerconf.crypto.keys import PrivateKey, private_key_from_seed
from lerconf.documents.jsonld import Processor


def deterministic_key(label: str, curve: str) -> PrivateKey:
    """A key derived from a label, so vectors and test fixtures are reproducible byte for byte."""
    digest = hashlib.sha384 if curve == "P-384" else hashlib.sha256
    return private_key_from_seed(curve, digest(f"lerconf:{curve}:{label}".encode()).digest())


@dataclass(frozen=True)
class Signer:
    key: PrivateKey = field(repr=False)
    verification_method: str
    controller: str

    @classmethod
    def did_key(cls, key: PrivateKey) -> Signer:
        multikey = key.public.to_multikey()
        did = f"did:key:{multikey}"
        return cls(key, f"{did}#{multikey}", did)

    def sign(self, document: Mapping[str, Any], suite: str, processor: Processor, **options: Any) -> dict[str, Any]:
        """Add a Data Integrity proof made with this signer's key."""
        return add_proof(document, self.key, self.verification_method, suite, processor, **options)

    def controller_document_entry(self) -> dict[str, Any]:
        return {
            "id": self.verification_method,
            "type": "Multikey",
            "controller": self.controller,
            "publicKeyMultibase": self.key.public.to_multikey(),
        }
