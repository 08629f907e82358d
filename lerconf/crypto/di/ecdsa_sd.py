"""ecdsa-sd-2023 (W3C Data Integrity ECDSA Cryptosuites v1.0, §3.4-3.6): selective disclosure over P-256.

An issuer's *base proof* signs, with its key, the hash of the proof configuration, a fresh
ephemeral public key and the hash of the mandatory N-Quads; each other N-Quad is signed alone with
the ephemeral key, after blank nodes were relabelled by an HMAC the holder also receives. A holder
*derives* a proof for a subset: the base signature, the ephemeral key, the signatures of the
revealed non-mandatory N-Quads, the HMAC labels of the revealed blank nodes and which of the
revealed N-Quads are the mandatory ones. A verifier rebuilds the N-Quads of the revealed document
under those labels and checks every signature.

Proof values are multibase base64url (``u``) of a three-byte header and a CBOR array: base proof
``d9 5d 00`` [baseSignature, publicKey, hmacKey, signatures, mandatoryPointers]; derived proof
``d9 5d 01`` [baseSignature, publicKey, signatures, compressedLabelMap, mandatoryIndexes]. A
verifier is handed a derived proof only: a base proof is refused (§3.6.2, PROOF_VERIFICATION_ERROR).
"""
from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import cbor2

from lerconf.crypto.di.sd_primitives import (
    SdProofError,
    b64url,
    hmac_label,
    hmac_labels,
    labelled_nquads,
    pointer_resolves,
    proof_hash,
    relabelled_nquads,
    revealed_statements,
    selected,
)
from lerconf.crypto.keys import KeyDecodeError, PublicKey, public_key_from_raw
from lerconf.documents.jsonld import Processor

__all__ = [
    "BASE_HEADER",
    "DERIVED_HEADER",
    "BaseGroups",
    "BaseProof",
    "DerivedProof",
    "SdProofError",
    "SdVerification",
    "VerifyData",
    "create_verify_data",
    "hmac_label",
    "parse_base_proof",
    "parse_derived_proof",
    "pointer_resolves",
    "relabelled_nquads",
    "selected",
    "verify_base",
    "verify_derived",
]

BASE_HEADER = bytes([0xD9, 0x5D, 0x00])
DERIVED_HEADER = bytes([0xD9, 0x5D, 0x01])
#: a P-256 public key as Multikey bytes: the multicodec varint 0x1200 (0x80 0x24) and the compressed point
_P256_MULTIKEY = bytes([0x80, 0x24])
#: the most N-Quads (signatures, mandatory indexes) a proof may carry: a bound on hostile input
MAX_STATEMENTS = 10_000


def _decode(proof_value: Any, header: bytes, what: str) -> list[Any]:
    if not isinstance(proof_value, str) or not proof_value.startswith("u"):
        raise SdProofError(f"the {what} proofValue is not multibase base64url ('u…')", "EC-05")
    try:
        raw = base64.urlsafe_b64decode(proof_value[1:] + "=" * (-len(proof_value[1:]) % 4))
    except ValueError as exc:
        raise SdProofError(f"the {what} proofValue does not decode: {exc}", "EC-05") from None
    if raw[:3] != header:
        other = "a base proof" if raw[:3] == BASE_HEADER else "a derived proof" if raw[:3] == DERIVED_HEADER else \
            f"header {raw[:3].hex()}"
        raise SdProofError(f"expected {what} (header {header.hex()}), found {other}", "EC-05")
    try:
        value = cbor2.loads(raw[3:])
    except (cbor2.CBORDecodeError, ValueError, RecursionError) as exc:
        raise SdProofError(f"the {what} proofValue is not CBOR: {exc}") from None
    if not isinstance(value, list):
        raise SdProofError(f"the {what} proofValue is not a CBOR array")
    return value


def _bytes(value: Any, size: int | None, what: str) -> bytes:
    if not isinstance(value, bytes) or (size is not None and len(value) != size):
        raise SdProofError(f"{what} is not {size if size is not None else 'a'} byte string")
    return value


def _public_key(value: Any) -> PublicKey:
    data = _bytes(value, 35, "the ephemeral public key (35-byte Multikey)")
    if data[:2] != _P256_MULTIKEY:
        raise SdProofError("the ephemeral public key is not a P-256 Multikey")
    try:
        return public_key_from_raw("P-256", data[2:])
    except KeyDecodeError as exc:
        raise SdProofError(f"the ephemeral public key does not decode: {exc}") from None


@dataclass(frozen=True)
class DerivedProof:
    base_signature: bytes
    public_key_bytes: bytes
    signatures: tuple[bytes, ...]
    label_map: dict[str, str]          # canonical label c14nN -> HMAC label u…
    mandatory_indexes: tuple[int, ...]


@dataclass(frozen=True)
class BaseProof:
    base_signature: bytes
    public_key_bytes: bytes
    hmac_key: bytes
    signatures: tuple[bytes, ...]
    mandatory_pointers: tuple[str, ...]


def parse_derived_proof(proof_value: Any) -> DerivedProof:
    """§3.5.8 parseDerivedProofValue (and the checks a verifier needs before trusting its parts)."""
    parts = _decode(proof_value, DERIVED_HEADER, "a derived proof")
    if len(parts) != 5:
        raise SdProofError(f"a derived proof holds 5 components, this one {len(parts)}")
    base_signature, public_key, signatures, compressed, indexes = parts
    if not isinstance(signatures, list) or not isinstance(compressed, dict) or not isinstance(indexes, list):
        raise SdProofError("the derived proof's signatures, label map or mandatory indexes have the wrong type")
    if len(signatures) > MAX_STATEMENTS or len(indexes) > MAX_STATEMENTS or len(compressed) > MAX_STATEMENTS:
        raise SdProofError(f"the derived proof lists more than {MAX_STATEMENTS} statements")
    label_map = {}
    for key, label in compressed.items():
        if not isinstance(key, int) or isinstance(key, bool) or key < 0:
            raise SdProofError("the compressed label map has a key that is not a non-negative integer")
        label_map[f"c14n{key}"] = "u" + b64url(_bytes(label, 32, "an HMAC label (32 bytes)"))
    if not all(isinstance(i, int) and not isinstance(i, bool) and i >= 0 for i in indexes):
        raise SdProofError("a mandatory index is not a non-negative integer")
    return DerivedProof(_bytes(base_signature, 64, "the base signature (64 bytes)"), _bytes(public_key, 35, "the public key"),
                        tuple(_bytes(s, 64, "a signature (64 bytes)") for s in signatures), label_map, tuple(indexes))


def parse_base_proof(proof_value: Any) -> BaseProof:
    """§3.5.3 parseBaseProofValue: what an issuer's base proof carries (for the holder; an issuer check)."""
    parts = _decode(proof_value, BASE_HEADER, "a base proof")
    if len(parts) != 5:
        raise SdProofError(f"a base proof holds 5 components, this one {len(parts)}")
    base_signature, public_key, hmac_key, signatures, pointers = parts
    if not isinstance(signatures, list) or not isinstance(pointers, list) or len(signatures) > MAX_STATEMENTS:
        raise SdProofError("the base proof's signatures or mandatory pointers have the wrong type")
    if not all(isinstance(p, str) for p in pointers):
        raise SdProofError("a mandatory pointer is not a string")
    return BaseProof(_bytes(base_signature, 64, "the base signature (64 bytes)"), _bytes(public_key, 35, "the public key"),
                     _bytes(hmac_key, 32, "the HMAC key (32 bytes)"), tuple(_bytes(s, 64, "a signature") for s in signatures),
                     tuple(pointers))


@dataclass(frozen=True)
class VerifyData:
    """§3.5.9 createVerifyData: what the signatures are checked against (exposed for the vectors)."""

    proof_hash: bytes
    mandatory_hash: bytes
    mandatory: tuple[str, ...]
    non_mandatory: tuple[str, ...]
    nquads: tuple[str, ...]


def create_verify_data(document: Mapping[str, Any], proof: Mapping[str, Any], derived: DerivedProof,
                       processor: Processor) -> VerifyData:
    seen = revealed_statements(document, proof, derived.label_map, derived.mandatory_indexes, processor,
                               in_index_order=False)
    return VerifyData(seen.proof_hash, seen.mandatory_hash, seen.mandatory, seen.non_mandatory, seen.nquads)


@dataclass(frozen=True)
class SdVerification:
    """The outcome of verifying a derived proof: valid or not, why, and which requirement decided it
    (EC-05 the proof value's form, EC-06 its structure and statement count, DI-15 the signatures)."""

    valid: bool
    message: str
    requirement: str = "DI-15"


def verify_derived(document: Mapping[str, Any], proof: Mapping[str, Any], issuer_key: PublicKey,
                   processor: Processor) -> SdVerification:
    """§3.6.2 verify a derived proof. The base signature by the issuer's key over proof hash, ephemeral
    key and mandatory hash; one ephemeral signature per revealed non-mandatory N-Quad."""
    try:
        derived = parse_derived_proof(proof.get("proofValue"))
        data = create_verify_data(document, proof, derived, processor)
        ephemeral = _public_key(derived.public_key_bytes)
    except SdProofError as exc:
        return SdVerification(False, str(exc), exc.requirement)
    if len(derived.signatures) != len(data.non_mandatory):
        return SdVerification(False, f"{len(derived.signatures)} signatures for {len(data.non_mandatory)} non-mandatory "
                                     "N-Quads: the revealed document is not the one the proof was derived for", "EC-06")
    if not issuer_key.verify(derived.base_signature, data.proof_hash + derived.public_key_bytes + data.mandatory_hash,
                             "sha256"):
        return SdVerification(False, "the base signature does not verify with the issuer's key (mandatory statements "
                                     "or proof changed)")
    for n, (signature, nquad) in enumerate(zip(derived.signatures, data.non_mandatory, strict=True)):
        if not ephemeral.verify(signature, nquad.encode(), "sha256"):
            return SdVerification(False, f"the signature of revealed statement {n + 1} does not verify (a disclosed "
                                         "value was changed)")
    return SdVerification(True, f"derived proof verifies: {len(data.mandatory)} mandatory and {len(data.non_mandatory)} "
                                "selectively disclosed statement(s)")


@dataclass(frozen=True)
class BaseGroups:
    """How an issuer's base proof splits the document's HMAC-labelled N-Quads (for the vectors and messages)."""

    nquads: tuple[str, ...]
    mandatory_indexes: tuple[int, ...]


def verify_base(document: Mapping[str, Any], proof: Mapping[str, Any], issuer_key: PublicKey,
                processor: Processor) -> tuple[SdVerification, BaseGroups | None]:
    """An issuer's base proof checked as its holder would before deriving (EC-03): the header and CBOR
    structure; the document's N-Quads under the proof's HMAC labels; each non-mandatory N-Quad signed,
    in order, by the ephemeral key; the base signature by the issuer's key over proof hash, ephemeral
    key and the hash of the remaining (mandatory) N-Quads; every mandatory pointer found in the document."""
    try:
        base = parse_base_proof(proof.get("proofValue"))
        ephemeral = _public_key(base.public_key_bytes)
    except SdProofError as exc:
        return SdVerification(False, str(exc), "EC-03"), None
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    nquads = labelled_nquads(unsecured, hmac_labels(base.hmac_key), processor)
    _, config_hash = proof_hash(document, proof, processor)
    signatures, mandatory, mandatory_indexes = list(base.signatures), [], []
    for i, nquad in enumerate(nquads):  # signatures follow the non-mandatory N-Quads in order
        if signatures and ephemeral.verify(signatures[0], nquad.encode(), "sha256"):
            signatures.pop(0)
        else:
            mandatory.append(nquad)
            mandatory_indexes.append(i)
    groups = BaseGroups(tuple(nquads), tuple(mandatory_indexes))
    if signatures:
        return SdVerification(False, f"{len(signatures)} of the base proof's {len(base.signatures)} statement signatures "
                                     "verify no statement of the document", "EC-03"), groups
    if not issuer_key.verify(base.base_signature,
                             config_hash + base.public_key_bytes + hashlib.sha256("".join(mandatory).encode()).digest(),
                             "sha256"):
        return SdVerification(False, "the base signature does not verify with the issuer's key over the mandatory "
                                     "statements", "EC-03"), groups
    missing = [p for p in base.mandatory_pointers if not pointer_resolves(unsecured, p)]
    if missing:
        return SdVerification(False, f"mandatory pointer(s) {', '.join(missing)} point at nothing in the document",
                              "EC-03"), groups
    return SdVerification(True, f"base proof verifies: {len(mandatory)} mandatory statement(s) "
                                f"({', '.join(base.mandatory_pointers) or 'no pointer'}), {len(base.signatures)} "
                                "selectively disclosable", "EC-03"), groups
