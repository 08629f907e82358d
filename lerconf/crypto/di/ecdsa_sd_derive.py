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
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import cbor2
from cryptography.hazmat.primitives import serialization
from pyld import jsonld

from lerconf import entropy
from lerconf.crypto.di.ecdsa_sd import BASE_HEADER, DERIVED_HEADER, SdProofError, hmac_label, parse_base_proof
from lerconf.crypto.keys import PrivateKey, generate
from lerconf.documents.jsonld import Processor

__all__ = ["Disclosure", "Grouped", "create_base_proof", "derive", "disclosure_data", "group_statements", "select_json_ld"]

#: a P-256 public key as Multikey bytes (multicodec 0x1200)
_P256_MULTIKEY = bytes([0x80, 0x24])
_SKOLEM = re.compile(r"<urn:bnid:([^>]+)>")
_BLANK = re.compile(r"_:([A-Za-z0-9_\-.]+)")


def _pointer_path(pointer: str) -> list[str]:
    if not pointer.startswith("/"):
        raise SdProofError(f"{pointer!r} is not a JSON pointer")
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer[1:].split("/")]


def _initial_selection(value: Any) -> dict[str, Any]:
    selection: dict[str, Any] = {}
    if isinstance(value, Mapping):
        if isinstance(value.get("id"), str) and not value["id"].startswith("_:"):
            selection["id"] = value["id"]
        if "type" in value:
            selection["type"] = copy.deepcopy(value["type"])
    return selection


def _child(container: Any, path: str) -> Any:
    if isinstance(container, list):
        if not path.isdigit() or int(path) >= len(container):
            return None
        return container[int(path)]
    return container.get(path) if isinstance(container, Mapping) else None


def _put(container: Any, path: str, value: Any) -> None:
    if isinstance(container, list):
        index = int(path)
        container.extend([None] * (index + 1 - len(container)))
        container[index] = value
    else:
        container[path] = value


def select_json_ld(pointers: Sequence[str], document: Mapping[str, Any]) -> dict[str, Any] | None:
    """§3.4.11 selectJsonLd: the part of ``document`` the JSON pointers name, with the ``id`` and
    ``type`` of every object on the way (and the ``@context``), so it is still the same graph."""
    if not pointers:
        return None
    arrays: list[list[Any]] = []
    selection = _initial_selection(document)
    if "@context" in document:
        selection["@context"] = copy.deepcopy(document["@context"])
    for pointer in pointers:
        paths = _pointer_path(pointer)
        value: Any = document
        selected: Any = selection
        parent: Any = selection
        for path in paths:
            parent = selected
            value = _child(value, path)
            if value is None:
                raise SdProofError(f"JSON pointer {pointer} does not match the document")
            selected = _child(parent, path)
            if selected is None:
                if isinstance(value, list):
                    selected = []
                    arrays.append(selected)
                else:
                    selected = _initial_selection(value)
                _put(parent, path, selected)
        if isinstance(value, list) or not isinstance(value, Mapping):
            chosen = copy.deepcopy(value)
        else:
            chosen = {**selected, **copy.deepcopy(value)}
        _put(parent, paths[-1], chosen)
    for array in arrays:
        array[:] = [item for item in array if item is not None]
    return selection


def _skolemize(node: Any, counter: itertools.count[int]) -> None:
    """Give every node object of an expanded document an id (``urn:bnid:…``), blank ones included."""
    if isinstance(node, list):
        for item in node:
            _skolemize(item, counter)
        return
    if not isinstance(node, dict) or "@value" in node:
        return
    if "@list" in node or "@set" in node:
        _skolemize(node.get("@list", node.get("@set")), counter)
        return
    given = node.get("@id")
    if given is None:
        node["@id"] = f"urn:bnid:lerconf{next(counter)}"
    elif isinstance(given, str) and given.startswith("_:"):
        node["@id"] = "urn:bnid:" + given[2:]
    for key, value in node.items():
        if key not in ("@id", "@type", "@value", "@context"):
            _skolemize(value, counter)


def _deskolemized_nquads(document: Mapping[str, Any], processor: Processor) -> list[str]:
    nquads = processor.expand(dict(document)).nquads
    return [_SKOLEM.sub(lambda m: f"_:{m.group(1)}", line) + "\n" for line in nquads.splitlines() if line]


def _canonical_map(nquads: Sequence[str]) -> tuple[list[str], dict[str, str]]:
    """RDFC-1.0 (URDNA2015) of ``nquads``: the canonical lines and input label -> canonical label."""
    normalizer = jsonld.URDNA2015()
    canonical = normalizer.main(jsonld.parse_nquads("".join(nquads)), {"format": "application/n-quads"})
    mapping = {old[2:]: new[2:] for old, new in normalizer.canonical_issuer.existing.items()}
    return [line + "\n" for line in canonical.splitlines() if line], mapping


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


@dataclass(frozen=True)
class Grouped:
    """A document's statements under HMAC labels, and which of them each group of pointers selects."""

    nquads: tuple[str, ...]
    groups: dict[str, tuple[int, ...]]
    skolemized: dict[str, Any]
    input_to_hmac: dict[str, str]


def group_statements(unsecured: Mapping[str, Any], hmac_key: bytes, pointer_groups: Mapping[str, Sequence[str]],
                     processor: Processor) -> Grouped:
    """§3.4.15 canonicalizeAndGroup: skolemize, canonicalize with HMAC labels, select each group's statements."""
    expanded = jsonld.expand(copy.deepcopy(dict(unsecured)), processor.pyld_options())
    _skolemize(expanded, itertools.count())
    skolemized = jsonld.compact(expanded, unsecured.get("@context", {}), processor.pyld_options())
    skolemized.pop("@context", None)
    if "@context" in unsecured:
        skolemized = {"@context": copy.deepcopy(unsecured["@context"]), **skolemized}
    canonical, input_to_c14n = _canonical_map(_deskolemized_nquads(skolemized, processor))
    input_to_hmac = {label: hmac_label(hmac_key, c14n) for label, c14n in input_to_c14n.items()}
    c14n_to_hmac = {c14n: hmac_label(hmac_key, c14n) for c14n in input_to_c14n.values()}
    nquads = tuple(sorted(_BLANK.sub(lambda m: f"_:{c14n_to_hmac.get(m.group(1), m.group(1))}", line) for line in canonical))

    def matching(pointers: Sequence[str]) -> tuple[int, ...]:
        selection = select_json_ld(pointers, skolemized)
        if selection is None:
            return ()
        wanted = {_BLANK.sub(lambda m: f"_:{input_to_hmac.get(m.group(1), m.group(1))}", line)
                  for line in _deskolemized_nquads(selection, processor)}
        return tuple(i for i, line in enumerate(nquads) if line in wanted)

    return Grouped(nquads, {name: matching(pointers) for name, pointers in pointer_groups.items()}, skolemized,
                   input_to_hmac)


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
    revealed_skolem = select_json_ld(combined_pointers, grouped.skolemized) or {}
    _, reveal_map = _canonical_map(_deskolemized_nquads(revealed_skolem, processor))
    label_map = {c14n: grouped.input_to_hmac[label] for label, c14n in reveal_map.items()}
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
