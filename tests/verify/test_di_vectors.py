"""The published Data Integrity test vectors: every intermediate value reproduced byte for byte,
every signed credential verified, and deterministic signatures re-created exactly."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from lerconf.crypto.di.suites import SUITES
from lerconf.crypto.di.transform import hash_data, proof_configuration
from lerconf.crypto.did import DidResolver
from lerconf.crypto.encoding import b58encode, multibase_decode
from lerconf.crypto.keys import decode_private_multikey
from lerconf.documents.jsonld import Processor
from lerconf.verify.di_proof import verify_proofs


@dataclass(frozen=True)
class Representation:
    folder: str
    suffix: str
    unsigned: str
    key_file: str
    curve: str


REPRESENTATIONS = [
    Representation("vc-di-eddsa/eddsa-rdfc-2022", "DataInt", "vc-di-eddsa/unsigned.json", "vc-di-eddsa/keyPair.json", "Ed25519"),
    Representation("vc-di-eddsa/eddsa-rdfc-2022/employ", "DataInt", "vc-di-eddsa/employmentAuth.json", "vc-di-eddsa/keyPair.json", "Ed25519"),
    Representation("vc-di-eddsa/eddsa-jcs-2022", "JCS", "vc-di-eddsa/unsigned.json", "vc-di-eddsa/keyPair.json", "Ed25519"),
    Representation("vc-di-eddsa/Ed25519Signature2020", "EdSig", "vc-di-eddsa/unsigned.json", "vc-di-eddsa/keyPair.json", "Ed25519"),
    Representation("vc-di-ecdsa/ecdsa-rdfc-2019-p256", "ECDSAP256", "vc-di-ecdsa/unsigned.json", "vc-di-ecdsa/p256KeyPair.json", "P-256"),
    Representation("vc-di-ecdsa/ecdsa-rdfc-2019-p256/employ", "ECDSAP256", "vc-di-ecdsa/employmentAuth.json", "vc-di-ecdsa/p256KeyPair.json", "P-256"),
    Representation("vc-di-ecdsa/ecdsa-rdfc-2019-p384", "ECDSAP384", "vc-di-ecdsa/unsigned.json", "vc-di-ecdsa/p384KeyPair.json", "P-384"),
    Representation("vc-di-ecdsa/ecdsa-rdfc-2019-p384/employ", "ECDSAP384", "vc-di-ecdsa/employmentAuth.json", "vc-di-ecdsa/p384KeyPair.json", "P-384"),
    Representation("vc-di-ecdsa/ecdsa-jcs-2019-p256", "JCSECDSAP256", "vc-di-ecdsa/unsigned.json", "vc-di-ecdsa/p256KeyPair.json", "P-256"),
    Representation("vc-di-ecdsa/ecdsa-jcs-2019-p384", "JCSECDSAP384", "vc-di-ecdsa/unsigned.json", "vc-di-ecdsa/p384KeyPair.json", "P-384"),
]


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _private_key(path: Path):  # type: ignore[no-untyped-def]
    pair = json.loads(_text(path))
    return decode_private_multikey(pair.get("privateKeyMultibase") or pair["secretKeyMultibase"])


@pytest.mark.parametrize("rep", REPRESENTATIONS, ids=lambda r: r.folder.split("/", 1)[1])
def test_intermediate_values_are_reproduced_byte_for_byte(rep: Representation, vectors_dir: Path, loader) -> None:  # type: ignore[no-untyped-def]
    folder = vectors_dir / rep.folder
    signed = json.loads(_text(folder / f"signed{rep.suffix}.json"))
    unsigned = json.loads(_text(vectors_dir / rep.unsigned))
    proof = signed["proof"]
    suite = SUITES[proof.get("cryptosuite") or proof["type"]]
    # the proof configuration the suite builds equals the published one
    document = {k: v for k, v in signed.items() if k != "proof"}
    config = dict(proof) if suite.transform == "jcs" else proof_configuration(document, proof)
    config.pop("proofValue", None)
    assert config == json.loads(_text(folder / f"proofConfig{rep.suffix}.json"))
    # the signed document is the unsigned input plus the proof (and a suite context for legacy suites)
    assert {k: v for k, v in document.items() if k != "@context"} == {k: v for k, v in unsigned.items() if k != "@context"}
    data = hash_data(suite, document, config, rep.curve, Processor(loader))
    assert data.canonical_document == _text(folder / f"canonDoc{rep.suffix}.txt")
    assert data.canonical_proof_config == _text(folder / f"proofCanon{rep.suffix}.txt")
    assert data.document_hash.hex() == _text(folder / f"docHash{rep.suffix}.txt").strip()
    assert data.proof_hash.hex() == _text(folder / f"proofHash{rep.suffix}.txt").strip()
    assert data.combined.hex() == _text(folder / f"combinedHash{rep.suffix}.txt").strip()
    # deterministic signatures (EdDSA; ECDSA per RFC 6979) are re-created exactly
    signature = _private_key(vectors_dir / rep.key_file).sign(data.combined, suite.hash_name(rep.curve))
    assert signature.hex() == _text(folder / f"sigHex{rep.suffix}.txt").strip()
    assert "z" + b58encode(signature) == _text(folder / f"sigBTC58{rep.suffix}.txt").strip()
    assert multibase_decode(proof["proofValue"]) == signature




def _signed_vectors(vectors_dir: Path) -> list[Path]:
    found = [p for p in sorted((vectors_dir / "vc-di-eddsa").rglob("signed*.json"))]
    found += [p for p in sorted((vectors_dir / "vc-di-ecdsa").rglob("signed*.json"))]
    return found


def test_every_published_signed_credential_verifies(vectors_dir: Path, loader) -> None:  # type: ignore[no-untyped-def]
    files = _signed_vectors(vectors_dir)
    assert len(files) == 14
    resolver, processor = DidResolver(loader), Processor(loader)
    for path in files:
        outcomes = verify_proofs(json.loads(_text(path)), resolver, processor)
        assert outcomes and all(o.valid for o in outcomes), (path, [r.message for o in outcomes for r in o.results])


def test_proof_chain_verification_includes_previous_proofs(vectors_dir: Path, loader) -> None:  # type: ignore[no-untyped-def]
    chain = json.loads(_text(vectors_dir / "vc-di-eddsa/proof-set-chain/signedProofChain2.json"))
    outcomes = verify_proofs(chain, DidResolver(loader), Processor(loader))
    assert [o.valid for o in outcomes] == [True, True, True, True]
    # dropping a proof the chain depends on breaks DI-16 for the dependent proof
    chain["proof"] = [p for p in chain["proof"] if p.get("id") != "urn:uuid:26329423-bec9-4b2e-88cb-a7c7d9dc4544"]
    outcomes = verify_proofs(chain, DidResolver(loader), Processor(loader))
    failed = {r.requirement for o in outcomes for r in o.results if r.status.value == "failed"}
    assert "DI-16" in failed
