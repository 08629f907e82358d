"""bbs-2023 (W3C Data Integrity BBS Cryptosuites v1.0): selective disclosure over BLS12-381.

An issuer's *base proof* is one BBS signature (BLS12-381-SHA-256) over the document's
non-mandatory N-Quads, blank nodes relabelled ``b0, b1, …`` in the order of their HMACs, with the
header proof hash ‖ mandatory hash. A holder *derives* a BBS proof of knowledge of that signature
that reveals the chosen N-Quads only; the derived proof also carries the label map, which revealed
N-Quads are mandatory, which non-mandatory ones were disclosed, and the presentation header. A
verifier rebuilds the revealed document's N-Quads under that label map and runs BBS ProofVerify.

Proof values are multibase base64url (``u``) of a three-byte header and a CBOR array: base
``d9 5d 02`` [bbsSignature, bbsHeader, publicKey, hmacKey, mandatoryPointers]; derived ``d9 5d 03``
[bbsProof, compressedLabelMap, mandatoryIndexes, selectiveIndexes, presentationHeader]. The
optional features: a derived proof with anonymous_holder_binding (``05``: one more component, the
number of signer messages; blind BBS ProofVerify) or a pseudonym (``09``: the pseudonym and that
number; ProofVerifyWithPseudonym, which needs the verifier's id) is verified; their base proofs
(``04``, ``08``) and the issuer-known-PID pseudonym (``06``/``07``) are named and reported not
implemented (LBB-05). A base proof presented to a verifier is refused (LBB-03).
"""
from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import cbor2

from lerconf.crypto.bbs import proof as bbs_proof
from lerconf.crypto.bbs import signature as bbs_signature
from lerconf.crypto.bbs.blind import blind_proof_verify
from lerconf.crypto.bbs.pseudonym import pseudonym_proof_verify
from lerconf.crypto.bbs.signature import BbsError
from lerconf.crypto.di.sd_primitives import (
    SdProofError,
    group_statements,
    labelled_nquads,
    pointer_resolves,
    proof_hash,
    revealed_statements,
    shuffled_labels,
)
from lerconf.documents.jsonld import Processor

__all__ = ["BASE_HEADER", "DERIVED_HEADER", "FEATURES", "BaseProof", "BbsProofError", "BbsVerification", "DerivedProof",
           "VerifyData", "create_verify_data", "labelled_document", "parse_base_proof", "parse_derived_proof", "verify_base",
           "verify_derived"]

BASE_HEADER = bytes([0xD9, 0x5D, 0x02])
DERIVED_HEADER = bytes([0xD9, 0x5D, 0x03])
#: the optional features' header bytes (third byte) -> (feature option, base or derived); the
#: vectors sign both "pseudonym" and "holder_binding_pseudonym" under 0x08/0x09
FEATURES: dict[int, tuple[str, str]] = {
    0x04: ("anonymous_holder_binding", "base"), 0x05: ("anonymous_holder_binding", "derived"),
    0x06: ("pseudonym (issuer-known PID)", "base"), 0x07: ("pseudonym (issuer-known PID)", "derived"),
    0x08: ("pseudonym or holder_binding_pseudonym", "base"), 0x09: ("pseudonym or holder_binding_pseudonym", "derived"),
}
HOLDER_BINDING_DERIVED = bytes([0xD9, 0x5D, 0x05])
PSEUDONYM_DERIVED = bytes([0xD9, 0x5D, 0x09])
#: derived headers lerconf verifies -> how many CBOR components the proof value has
_DERIVED_COMPONENTS = {DERIVED_HEADER: 5, HOLDER_BINDING_DERIVED: 6, PSEUDONYM_DERIVED: 7}
#: the most statements a proof may index: a bound on hostile input
MAX_STATEMENTS = 10_000


class BbsProofError(SdProofError):
    """A proof value that is not a bbs-2023 proof of the kind expected. ``requirement``: LBB-03 (not
    base64url, not the derived header: a base proof presented), LBB-04 (not the 5-component
    structure, indexes that do not fit), LBB-05 (a feature lerconf does not implement)."""

    def __init__(self, message: str, requirement: str = "LBB-04", feature: str | None = None) -> None:
        super().__init__(message, requirement)
        self.feature = feature


def _decode(proof_value: Any, header: bytes, what: str, accepted: Mapping[bytes, int] | None = None) -> tuple[bytes, list[Any]]:
    """The header and CBOR components of a proof value; ``accepted`` maps the headers taken (default
    ``header`` alone, 5 components) to their component counts."""
    accepted = accepted or {header: 5}
    if not isinstance(proof_value, str) or not proof_value.startswith("u"):
        raise BbsProofError(f"the {what} proofValue is not multibase base64url ('u…')", "LBB-03")
    try:
        raw = base64.urlsafe_b64decode(proof_value[1:] + "=" * (-len(proof_value[1:]) % 4))
    except ValueError as exc:
        raise BbsProofError(f"the {what} proofValue does not decode: {exc}", "LBB-03") from None
    if raw[:3] not in accepted:
        if raw[:2] == header[:2] and raw[2] in FEATURES:
            feature, kind = FEATURES[raw[2]]
            raise BbsProofError(f"a bbs-2023 {kind} proof with the {feature} feature (header {raw[:3].hex()}): "
                                f"lerconf does not implement {feature}, so it is not verified", "LBB-05", feature)
        other = "a base proof" if raw[:3] == BASE_HEADER else "a derived proof" if raw[:3] == DERIVED_HEADER else \
            f"header {raw[:3].hex()}"
        raise BbsProofError(f"expected a {what} (header {header.hex()}), found {other}", "LBB-03")
    try:
        value = cbor2.loads(raw[3:])
    except (cbor2.CBORDecodeError, ValueError, RecursionError) as exc:
        raise BbsProofError(f"the {what} proofValue is not CBOR: {exc}") from None
    count = accepted[raw[:3]]
    if not isinstance(value, list) or len(value) != count:
        raise BbsProofError(f"the {what} proofValue is not a CBOR array of {count} components")
    return raw[:3], value


def _bytes(value: Any, size: int | None, what: str) -> bytes:
    if not isinstance(value, bytes) or (size is not None and len(value) != size):
        raise BbsProofError(f"{what} is not {size if size is not None else 'a'} byte string")
    return value


def _indexes(value: Any, what: str) -> tuple[int, ...]:
    if not isinstance(value, list) or len(value) > MAX_STATEMENTS or \
            not all(isinstance(i, int) and not isinstance(i, bool) and i >= 0 for i in value):
        raise BbsProofError(f"the {what} are not a list of non-negative integers")
    if list(value) != sorted(set(value)):
        raise BbsProofError(f"the {what} are not in ascending order without repeats")
    return tuple(value)


@dataclass(frozen=True)
class BaseProof:
    bbs_signature: bytes
    bbs_header: bytes
    public_key: bytes
    hmac_key: bytes
    mandatory_pointers: tuple[str, ...]


@dataclass(frozen=True)
class DerivedProof:
    bbs_proof: bytes
    label_map: dict[str, str]          # canonical label c14nN -> bM
    mandatory_indexes: tuple[int, ...]
    selective_indexes: tuple[int, ...]
    presentation_header: bytes
    feature: str | None = None         # None (baseline), "anonymous_holder_binding" or "pseudonym"
    signer_messages: int | None = None  # lengthBBSMessages (features): how many messages the signer signed
    pseudonym: bytes | None = None


def parse_base_proof(proof_value: Any) -> BaseProof:
    """parseBaseProofValue: what an issuer's base proof carries (for the holder; an issuer check)."""
    _, (signature, header, public_key, hmac_key, pointers) = _decode(proof_value, BASE_HEADER, "base proof")
    if not isinstance(pointers, list) or not all(isinstance(p, str) for p in pointers):
        raise BbsProofError("the mandatory pointers are not a list of strings")
    return BaseProof(_bytes(signature, 80, "the BBS signature (80 bytes)"), _bytes(header, 64, "the BBS header (64 bytes)"),
                     _bytes(public_key, 96, "the public key (96 bytes)"), _bytes(hmac_key, 32, "the HMAC key (32 bytes)"),
                     tuple(pointers))


def parse_derived_proof(proof_value: Any) -> DerivedProof:
    """parseDerivedProofValue (and the checks a verifier needs before trusting its parts)."""
    header, parts = _decode(proof_value, DERIVED_HEADER, "derived proof", _DERIVED_COMPONENTS)
    bbs, compressed, mandatory, selective, ph = parts[:5]
    feature: str | None = None
    signer_messages: int | None = None
    pseudonym: bytes | None = None
    if header != DERIVED_HEADER:
        feature = "anonymous_holder_binding" if header == HOLDER_BINDING_DERIVED else "pseudonym"
        length = parts[-1]
        if not isinstance(length, int) or isinstance(length, bool) or not 0 <= length <= MAX_STATEMENTS:
            raise BbsProofError("lengthBBSMessages is not a count of messages")
        signer_messages = length
        if header == PSEUDONYM_DERIVED:
            pseudonym = _bytes(parts[5], 48, "the pseudonym (48 bytes)")
    if not isinstance(compressed, dict) or len(compressed) > MAX_STATEMENTS:
        raise BbsProofError("the compressed label map is not a map")
    label_map = {}
    for key, label in compressed.items():
        if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in (key, label)):
            raise BbsProofError("the compressed label map holds something other than non-negative integers")
        label_map[f"c14n{key}"] = f"b{label}"
    return DerivedProof(_bytes(bbs, None, "the BBS proof"), label_map, _indexes(mandatory, "mandatory indexes"),
                        _indexes(selective, "selective indexes"), _bytes(ph, None, "the presentation header"), feature,
                        signer_messages, pseudonym)


@dataclass(frozen=True)
class VerifyData:
    """createVerifyData: what the BBS proof is checked against (exposed for the vectors)."""

    proof_hash: bytes
    mandatory_hash: bytes
    nquads: tuple[str, ...]
    mandatory: tuple[str, ...]
    non_mandatory: tuple[str, ...]


def create_verify_data(document: Mapping[str, Any], proof: Mapping[str, Any], derived: DerivedProof,
                       processor: Processor) -> VerifyData:
    try:
        seen = revealed_statements(document, proof, derived.label_map, derived.mandatory_indexes, processor,
                                   in_index_order=True)
    except SdProofError as exc:  # as bbs-2023's own error (LBB-04: indexes that do not fit)
        raise BbsProofError(str(exc)) from None
    return VerifyData(seen.proof_hash, seen.mandatory_hash, seen.nquads, seen.mandatory, seen.non_mandatory)


@dataclass(frozen=True)
class BbsVerification:
    """The outcome of verifying a bbs-2023 proof: valid or not, why, and which requirement decided it
    (LBB-03 the proof value's form, LBB-04 its structure, LBB-05 a feature, DI-15 the BBS proof)."""

    valid: bool
    message: str
    requirement: str = "DI-15"
    feature: str | None = None


def verify_derived(document: Mapping[str, Any], proof: Mapping[str, Any], issuer_key: bytes,
                   processor: Processor, *, verifier_id: bytes | None = None) -> BbsVerification:
    """Verify a derived proof: BBS ProofVerify with the issuer's key, header proof hash ‖ mandatory
    hash, the presentation header, the revealed non-mandatory N-Quads at the selective indexes (for
    anonymous_holder_binding, blind BBS ProofVerify; for a pseudonym, ProofVerifyWithPseudonym with
    ``verifier_id``, the verifier's own id, without which it cannot be checked)."""
    try:
        derived = parse_derived_proof(proof.get("proofValue"))
        if derived.feature == "pseudonym" and verifier_id is None:
            return BbsVerification(False, "a bbs-2023 derived proof with a pseudonym is checked against the verifier's "
                                          "own id, and none was given (lerconf verify --verifier-id): not verified", "LBB-05",
                                   "pseudonym")
        data = create_verify_data(document, proof, derived, processor)
    except BbsProofError as exc:
        return BbsVerification(False, str(exc), exc.requirement, exc.feature)
    except SdProofError as exc:
        return BbsVerification(False, str(exc), "LBB-04")
    if len(derived.selective_indexes) != len(data.non_mandatory):
        return BbsVerification(False, f"{len(derived.selective_indexes)} selective indexes for {len(data.non_mandatory)} "
                                      "disclosed non-mandatory N-Quads: the revealed document is not the one the proof "
                                      "was derived for", "LBB-04")
    try:
        hidden = bbs_proof.undisclosed_count(derived.bbs_proof)
    except BbsError as exc:
        return BbsVerification(False, str(exc), "LBB-04")
    total = len(derived.selective_indexes) + hidden
    if derived.selective_indexes and derived.selective_indexes[-1] >= total:
        return BbsVerification(False, f"a selective index points past the {total} statements the BBS proof covers", "LBB-04")
    header = data.proof_hash + data.mandatory_hash
    messages = [q.encode() for q in data.non_mandatory]
    if derived.feature is None:
        valid = bbs_proof.proof_verify(issuer_key, derived.bbs_proof, header, derived.presentation_header, messages,
                                       list(derived.selective_indexes))
    elif derived.signer_messages is None or derived.signer_messages > total:
        return BbsVerification(False, f"lengthBBSMessages ({derived.signer_messages}) exceeds the {total} messages the "
                                      "BBS proof covers", "LBB-04", derived.feature)
    elif derived.pseudonym is not None and verifier_id is not None:
        valid = pseudonym_proof_verify(issuer_key, derived.bbs_proof, derived.pseudonym, verifier_id, header,
                                       derived.presentation_header, derived.signer_messages, messages,
                                       list(derived.selective_indexes))
    else:
        valid = blind_proof_verify(issuer_key, derived.bbs_proof, header, derived.presentation_header,
                                   derived.signer_messages, messages, list(derived.selective_indexes))
    if not valid:
        return BbsVerification(False, "the BBS proof does not verify with the issuer's key (a disclosed or mandatory "
                                      "statement, the proof configuration or the presentation header changed)")
    with_feature = f" ({derived.feature})" if derived.feature else ""
    return BbsVerification(True, f"derived proof{with_feature} verifies: {len(data.mandatory)} mandatory and "
                                 f"{len(data.non_mandatory)} selectively disclosed statement(s), {hidden} withheld",
                           feature=derived.feature)


@dataclass(frozen=True)
class BaseGroups:
    """How an issuer's base proof splits the document's labelled N-Quads (for the vectors and messages)."""

    nquads: tuple[str, ...]
    mandatory: tuple[str, ...]
    non_mandatory: tuple[str, ...]


def verify_base(document: Mapping[str, Any], proof: Mapping[str, Any], issuer_key: bytes,
                processor: Processor) -> tuple[BbsVerification, BaseGroups | None]:
    """An issuer's base proof checked as its holder would before deriving (LBB-01): the header and
    CBOR structure; the public key the issuer's; the document's N-Quads under the shuffled HMAC
    labels, split by the mandatory pointers; the BBS header proof hash ‖ mandatory hash; the BBS
    signature over the non-mandatory N-Quads."""
    try:
        base = parse_base_proof(proof.get("proofValue"))
    except BbsProofError as exc:
        return BbsVerification(False, str(exc), "LBB-01" if exc.requirement != "LBB-05" else "LBB-05", exc.feature), None
    if base.public_key != issuer_key:
        return BbsVerification(False, "the base proof's public key is not the verification method's key", "LBB-01"), None
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    missing = [p for p in base.mandatory_pointers if not pointer_resolves(unsecured, p)]
    if missing:
        return BbsVerification(False, f"mandatory pointer(s) {', '.join(missing)} point at nothing in the document",
                               "LBB-01"), None
    grouped = group_statements(unsecured, shuffled_labels(base.hmac_key), {"mandatory": base.mandatory_pointers}, processor)
    chosen = set(grouped.groups["mandatory"])
    mandatory = tuple(q for i, q in enumerate(grouped.nquads) if i in chosen)
    non_mandatory = tuple(q for i, q in enumerate(grouped.nquads) if i not in chosen)
    groups = BaseGroups(grouped.nquads, mandatory, non_mandatory)
    _, config_hash = proof_hash(document, proof, processor)
    header = config_hash + hashlib.sha256("".join(mandatory).encode()).digest()
    if base.bbs_header != header:
        which = "proof configuration" if base.bbs_header[:32] != config_hash else "mandatory statements"
        return BbsVerification(False, f"the base proof's BBS header does not hash the document's {which}", "LBB-01"), groups
    if not bbs_signature.verify(issuer_key, base.bbs_signature, header, [q.encode() for q in non_mandatory]):
        return BbsVerification(False, "the BBS signature does not verify over the non-mandatory statements", "LBB-01"), groups
    return BbsVerification(True, f"base proof verifies: {len(mandatory)} mandatory statement(s) "
                                 f"({', '.join(base.mandatory_pointers) or 'no pointer'}), {len(non_mandatory)} "
                                 "selectively disclosable", "LBB-01"), groups


def labelled_document(document: Mapping[str, Any], hmac_key: bytes, processor: Processor) -> list[str]:
    """The document's canonical N-Quads under bbs-2023's shuffled HMAC labels (addBaseDocHMACCanon)."""
    return labelled_nquads({k: v for k, v in document.items() if k != "proof"}, shuffled_labels(hmac_key), processor)
