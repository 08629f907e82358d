"""Issuing and deriving bbs-2023 proofs (W3C Data Integrity BBS §3.3): an issuer's base proof, and
what a holder does with it to disclose only some of a credential. lerconf's reference issuer and
holder, and the scenarios that hand a vendor's verifier a derived badge, use it.

The statements are grouped as for ecdsa-sd-2023 (lerconf.crypto.di.sd_primitives), under bbs-2023's
shuffled labels. The base proof signs the non-mandatory statements with one BBS signature; the
derived proof is a BBS proof that reveals the selected ones, with the label map of the revealed
blank nodes, the indexes of the mandatory statements among the revealed ones, the indexes of the
selected statements among the non-mandatory ones, and the presentation header.
"""
from __future__ import annotations

import base64
import copy
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import cbor2

from lerconf import entropy
from lerconf.crypto.bbs import proof as bbs_proof
from lerconf.crypto.bbs import signature as bbs_signature
from lerconf.crypto.bbs.proof import RandomScalars, fresh_random_scalars
from lerconf.crypto.bbs.signature import BbsError
from lerconf.crypto.di.bbs_2023 import BASE_HEADER, DERIVED_HEADER, BbsProofError, parse_base_proof
from lerconf.crypto.di.sd_primitives import SdProofError, group_statements, proof_hash, reveal_label_map, select_json_ld, shuffled_labels
from lerconf.crypto.keys import BLS_G2, PrivateKey
from lerconf.documents.jsonld import Processor

__all__ = ["Disclosure", "create_base_proof", "derive", "disclosure_data"]


def _multibase(header: bytes, components: list[Any]) -> str:
    return "u" + base64.urlsafe_b64encode(header + cbor2.dumps(components)).decode().rstrip("=")


def create_base_proof(document: Mapping[str, Any], issuer: PrivateKey, verification_method: str,
                      mandatory_pointers: Sequence[str], processor: Processor, *, created: str | None = None,
                      hmac_key: bytes | None = None) -> dict[str, Any]:
    """§3.3.1 an issuer's base proof: a fresh HMAC key (drawn through lerconf's entropy, so a replay
    makes the same), the statements grouped by ``mandatory_pointers``, one BBS signature over the
    others with header proof hash ‖ mandatory hash. BBS Sign is deterministic: the same inputs give
    the same proof value."""
    if issuer.curve != BLS_G2:
        raise BbsProofError(f"bbs-2023 signs with a BLS12-381 G2 key, not {issuer.curve}", "LBB-01")
    hmac_key = hmac_key or entropy.seed(32)
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    proof: dict[str, Any] = {"type": "DataIntegrityProof", "cryptosuite": "bbs-2023",
                             "created": created or entropy.utc_now().replace(microsecond=0).isoformat().replace("+00:00", "Z"),
                             "verificationMethod": verification_method, "proofPurpose": "assertionMethod"}
    _, config_hash = proof_hash(unsecured, proof, processor)
    grouped = group_statements(unsecured, shuffled_labels(hmac_key), {"mandatory": mandatory_pointers}, processor)
    chosen = set(grouped.groups["mandatory"])
    header = config_hash + hashlib.sha256("".join(q for i, q in enumerate(grouped.nquads) if i in chosen).encode()).digest()
    public = bytes(issuer.public.key)
    messages = [q.encode() for i, q in enumerate(grouped.nquads) if i not in chosen]
    signature = bbs_signature.sign(int(issuer.key), public, header, messages)
    proof["proofValue"] = _multibase(BASE_HEADER, [signature, header, public, hmac_key, list(mandatory_pointers)])
    return {**copy.deepcopy(unsecured), "proof": proof}


@dataclass(frozen=True)
class Disclosure:
    """createDisclosureData, exposed for the vectors."""

    bbs_proof: bytes
    label_map: dict[str, str]            # the revealed document's canonical label -> bN
    mandatory_indexes: tuple[int, ...]   # among the revealed statements
    selective_indexes: tuple[int, ...]   # among the non-mandatory statements
    presentation_header: bytes
    reveal_document: dict[str, Any]
    groups: dict[str, tuple[int, ...]]   # combined / mandatory / selective / nonMandatory indexes


def disclosure_data(document: Mapping[str, Any], proof: Mapping[str, Any], selective_pointers: Sequence[str],
                    processor: Processor, *, presentation_header: bytes = b"",
                    random_scalars: RandomScalars = fresh_random_scalars) -> Disclosure:
    base = parse_base_proof(proof.get("proofValue"))
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    combined_pointers = [*base.mandatory_pointers, *selective_pointers]
    grouped = group_statements(unsecured, shuffled_labels(base.hmac_key),
                               {"mandatory": base.mandatory_pointers, "selective": selective_pointers,
                                "combined": combined_pointers}, processor)
    mandatory, selective, combined = (grouped.groups[k] for k in ("mandatory", "selective", "combined"))
    non_mandatory = tuple(i for i in range(len(grouped.nquads)) if i not in set(mandatory))
    adjusted_mandatory = tuple(combined.index(i) for i in mandatory)
    adjusted_selective = tuple(n for n, i in enumerate(non_mandatory) if i in set(selective))
    messages = [grouped.nquads[i].encode() for i in non_mandatory]
    proof_value = bbs_proof.proof_gen(base.public_key, base.bbs_signature, base.bbs_header, presentation_header, messages,
                                      adjusted_selective, random_scalars=random_scalars)
    reveal = select_json_ld(combined_pointers, unsecured) or {}
    return Disclosure(proof_value, reveal_label_map(grouped, combined_pointers, processor), adjusted_mandatory,
                      adjusted_selective, presentation_header, reveal,
                      {"combined": combined, "mandatory": mandatory, "selective": selective, "nonMandatory": non_mandatory})


def derive(document: Mapping[str, Any], selective_pointers: Sequence[str], processor: Processor, *,
           presentation_header: bytes = b"", random_scalars: RandomScalars = fresh_random_scalars) -> dict[str, Any]:
    """§3.3.2 add derived proof: the disclosed document with its derived bbs-2023 proof."""
    proofs = document.get("proof")
    proof = next((p for p in (proofs if isinstance(proofs, list) else [proofs])
                  if isinstance(p, Mapping) and p.get("cryptosuite") == "bbs-2023"), None)
    if proof is None:
        raise BbsProofError("the document has no bbs-2023 proof to derive from")
    try:
        data = disclosure_data(document, proof, selective_pointers, processor, presentation_header=presentation_header,
                               random_scalars=random_scalars)
    except BbsProofError:
        raise
    except (SdProofError, BbsError) as exc:  # a pointer the document lacks, a signature that is no BBS signature
        raise BbsProofError(str(exc), "LBB-02") from None
    compressed = {int(c14n[4:]): int(label[1:]) for c14n, label in sorted(data.label_map.items(), key=lambda kv: int(kv[0][4:]))}
    value = _multibase(DERIVED_HEADER, [data.bbs_proof, compressed, list(data.mandatory_indexes),
                                        list(data.selective_indexes), data.presentation_header])
    return {**data.reveal_document, "proof": {**copy.deepcopy(dict(proof)), "proofValue": value}}
