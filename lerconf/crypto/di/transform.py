"""Transformation and hashing (DI §4 / cryptosuite §3): the bytes that are signed."""
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import rfc8785

from lerconf.crypto.di.suites import Suite
from lerconf.documents.jsonld import Expansion, Processor


@dataclass(frozen=True)
class HashData:
    """Intermediate values, exposed so tests can compare them with published vectors."""

    canonical_document: str
    canonical_proof_config: str
    document_hash: bytes
    proof_hash: bytes
    dropped_terms: tuple[str, ...]

    @property
    def combined(self) -> bytes:
        return self.proof_hash + self.document_hash


def proof_configuration(document: Mapping[str, Any], proof: Mapping[str, Any]) -> dict[str, Any]:
    """The proof without its value, carrying the document's @context (DI §4.2, suite §3.x.5).
    It shares the proof's and the document's values (no copies): it is only canonicalized and hashed,
    and the document's own @context list lets the processed context be found again (issue 19)."""
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    if "@context" in document:
        config["@context"] = document["@context"]
    return config


def hash_data(
    suite: Suite,
    unsecured: Mapping[str, Any],
    config: Mapping[str, Any],
    curve: str,
    processor: Processor,
) -> HashData:
    """Canonicalize document and proof configuration, then hash each with the suite's hash."""
    hash_name = suite.hash_name(curve)
    digest = hashlib.sha384 if hash_name == "sha384" else hashlib.sha256
    dropped: tuple[str, ...] = ()
    if suite.transform == "jcs":
        doc_c = rfc8785.dumps(unsecured).decode("utf-8")
        conf_c = rfc8785.dumps(config).decode("utf-8")
    else:
        doc_c, exp_doc = processor.canonicalize(unsecured, hash_name)
        conf_c, exp_conf = processor.canonicalize(config, hash_name)
        dropped = _lost(exp_doc) + _lost(exp_conf)
    return HashData(
        canonical_document=doc_c,
        canonical_proof_config=conf_c,
        document_hash=digest(doc_c.encode("utf-8")).digest(),
        proof_hash=digest(conf_c.encode("utf-8")).digest(),
        dropped_terms=tuple(sorted(set(dropped))),
    )


def _lost(expansion: Expansion) -> tuple[str, ...]:
    return expansion.dropped_terms + expansion.relative_iris
