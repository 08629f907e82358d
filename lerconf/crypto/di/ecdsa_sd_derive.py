"""Deriving an ecdsa-sd-2023 proof (W3C Data Integrity ECDSA §3.4-3.5): what a holder does with an
issuer's base-proof credential to disclose only some of it. lerconf's reference holder and the
scenarios that hand a vendor's verifier a derived badge use it.

The statements are grouped as the spec says: the document is skolemized (every node gets a
``urn:bnid:`` id), its N-Quads are canonicalized and relabelled with the base proof's HMAC key, and
each group of JSON pointers (mandatory, selective, both) selects the statements it covers. The
derived proof carries the signatures of the disclosed non-mandatory statements, the HMAC labels of
the disclosed blank nodes under the disclosed document's own canonical labels, and which disclosed
statements are the mandatory ones.
"""
from __future__ import annotations

import base64
import copy
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import cbor2
from cryptography.hazmat.primitives import serialization

from lerconf import entropy
from lerconf.crypto.di import sd_primitives as sd
from lerconf.crypto.di.ecdsa_sd import BASE_HEADER, DERIVED_HEADER, SdProofError, parse_base_proof
from lerconf.crypto.di.sd_primitives import Grouped, select_json_ld
from lerconf.crypto.keys import PrivateKey, generate
from lerconf.documents.jsonld import Processor

__all__ = ["Disclosure", "Grouped", "create_base_proof", "derive", "disclosure_data", "group_statements", "select_json_ld"]

#: a P-256 public key as Multikey bytes (multicodec 0x1200)
_P256_MULTIKEY = bytes([0x80, 0x24])


@dataclass(frozen=True)
class Disclosure:
    """§3.5.5 createDisclosureData, exposed for the vectors."""

    base_signature: bytes
    public_key: bytes
    signatures: tuple[bytes, ...]
    label_map: dict[str, str]          # the disclosed document's canonical label -> HMAC label
    mandatory_indexes: tuple[int, ...]
    reveal_document: dict[str, Any]
    groups: dict[str, tuple[int, ...]]  # combined / mandatory / selective / nonMandatory indexes


def group_statements(unsecured: Mapping[str, Any], hmac_key: bytes, pointer_groups: Mapping[str, Sequence[str]],
                     processor: Processor) -> Grouped:
    """§3.4.15 canonicalizeAndGroup under ecdsa-sd-2023's HMAC labels."""
    return sd.group_statements(unsecured, sd.hmac_labels(hmac_key), pointer_groups, processor)


def disclosure_data(document: Mapping[str, Any], proof: Mapping[str, Any], selective_pointers: Sequence[str],
                    processor: Processor) -> Disclosure:
    base = parse_base_proof(proof.get("proofValue"))
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    combined_pointers = [*base.mandatory_pointers, *selective_pointers]
    grouped = group_statements(unsecured, base.hmac_key, {"mandatory": base.mandatory_pointers,
                                                          "selective": selective_pointers,
                                                          "combined": combined_pointers}, processor)
    mandatory, selective, combined = (grouped.groups[k] for k in ("mandatory", "selective", "combined"))
    non_mandatory = tuple(i for i in range(len(grouped.nquads)) if i not in set(mandatory))
    if len(non_mandatory) != len(base.signatures):
        raise SdProofError(f"the base proof has {len(base.signatures)} statement signatures for {len(non_mandatory)} "
                           "non-mandatory statements")
    signatures = tuple(base.signatures[n] for n, i in enumerate(non_mandatory) if i in set(selective))
    adjusted = tuple(combined.index(i) for i in mandatory)
    reveal = select_json_ld(combined_pointers, unsecured) or {}
    label_map = sd.reveal_label_map(grouped, combined_pointers, processor)
    return Disclosure(base.base_signature, base.public_key_bytes, signatures, label_map, adjusted, reveal,
                      {"combined": combined, "mandatory": mandatory, "selective": selective, "nonMandatory": non_mandatory})


def derive(document: Mapping[str, Any], selective_pointers: Sequence[str], processor: Processor) -> dict[str, Any]:
    """§3.3.2 add derived proof: the disclosed document with its derived ecdsa-sd-2023 proof."""
    proofs = document.get("proof")
    proof = next((p for p in (proofs if isinstance(proofs, list) else [proofs])
                  if isinstance(p, Mapping) and p.get("cryptosuite") == "ecdsa-sd-2023"), None)
    if proof is None:
        raise SdProofError("the document has no ecdsa-sd-2023 proof to derive from")
    data = disclosure_data(document, proof, selective_pointers, processor)
    compressed = {int(c14n[4:]): base64.urlsafe_b64decode(label[1:] + "=" * (-len(label[1:]) % 4))
                  for c14n, label in sorted(data.label_map.items(), key=lambda kv: int(kv[0][4:]))}
    value = DERIVED_HEADER + cbor2.dumps([data.base_signature, data.public_key, list(data.signatures), compressed,
                                          list(data.mandatory_indexes)])
    derived_proof = {**copy.deepcopy(dict(proof)), "proofValue": "u" + base64.urlsafe_b64encode(value).decode().rstrip("=")}
    return {**data.reveal_document, "proof": derived_proof}


def create_base_proof(document: Mapping[str, Any], issuer: PrivateKey, verification_method: str,
                      mandatory_pointers: Sequence[str], processor: Processor, *, created: str | None = None,
                      hmac_key: bytes | None = None, ephemeral: PrivateKey | None = None) -> dict[str, Any]:
    """§3.3.1 an issuer's base proof: a fresh HMAC key and ephemeral P-256 key (drawn through lerconf's
    entropy, so a replay makes the same), the statements grouped by ``mandatory_pointers``, each other
    statement signed by the ephemeral key, the base signature by the issuer over proof hash, ephemeral
    key and mandatory hash. lerconf signs the badges it hands verifiers with it."""
    hmac_key = hmac_key or entropy.seed(32)
    ephemeral = ephemeral or generate("P-256")
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    proof: dict[str, Any] = {"type": "DataIntegrityProof", "cryptosuite": "ecdsa-sd-2023",
                             "created": created or entropy.utc_now().replace(microsecond=0).isoformat().replace("+00:00", "Z"),
                             "verificationMethod": verification_method, "proofPurpose": "assertionMethod"}
    config = {**proof, **({"@context": copy.deepcopy(unsecured["@context"])} if "@context" in unsecured else {})}
    proof_hash = hashlib.sha256(processor.canonicalize(config)[0].encode()).digest()
    grouped = group_statements(unsecured, hmac_key, {"mandatory": mandatory_pointers}, processor)
    mandatory = set(grouped.groups["mandatory"])
    mandatory_hash = hashlib.sha256("".join(grouped.nquads[i] for i in sorted(mandatory)).encode()).digest()
    public = _P256_MULTIKEY + ephemeral.public.key.public_bytes(serialization.Encoding.X962,
                                                                 serialization.PublicFormat.CompressedPoint)
    signatures = [ephemeral.sign(q.encode(), "sha256") for i, q in enumerate(grouped.nquads) if i not in mandatory]
    base_signature = issuer.sign(proof_hash + public + mandatory_hash, "sha256")
    value = BASE_HEADER + cbor2.dumps([base_signature, public, hmac_key, signatures, list(mandatory_pointers)])
    proof["proofValue"] = "u" + base64.urlsafe_b64encode(value).decode().rstrip("=")
    return {**copy.deepcopy(unsecured), "proof": proof}
