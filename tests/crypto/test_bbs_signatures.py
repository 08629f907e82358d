"""BBS signatures (issue 18, bbs-2023): lerconf's hashing, Sign/Verify and ProofGen/ProofVerify over
py-arkworks-bls12381, checked against RFC 9380's hash-to-curve vector, the CFRG draft's
BLS12-381-SHAKE-256 values, and the bbs-2023 vectors (which sign with BLS12-381-SHA-256): every
base signature reproduced byte for byte, every published BBS proof verified, and a changed
message, header, presentation header or key refused."""
from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import VECTORS_DIR
from lerconf.crypto.bbs import curve, hashing
from lerconf.crypto.bbs.proof import proof_gen, proof_verify, undisclosed_count
from lerconf.crypto.bbs.signature import BbsError, public_key, sign, verify
from lerconf.crypto.bbs.suite import SHA256, SHAKE256, create_generators, messages_to_scalars, seeded_random_scalars

BBS = VECTORS_DIR / "vc-di-bbs"
BASELINE = ("", "prc")  # the windsurf example at the top level, the permanent resident card in prc/


def _load(example: str, name: str) -> Any:
    return json.loads((BBS / example / name).read_text(encoding="utf-8"))


def _keys() -> tuple[int, bytes]:
    keys = _load("", "BBSKeyMaterial.json")
    return int(keys["privateKeyHex"], 16), bytes.fromhex(keys["publicKeyHex"])


def _signing_input(example: str) -> tuple[bytes, list[bytes]]:
    hashes = _load(example, "addHashData.json")
    transform = _load(example, "addBaseTransform.json")
    header = bytes.fromhex(hashes["proofHash"] + hashes["mandatoryHash"])
    return header, [nquad.encode() for _, nquad in transform["nonMandatory"]["value"]]


def _disclosure(example: str) -> tuple[bytes, bytes, list[int]]:
    data = _load(example, "derivedDisclosureData.json")
    ph = data["presentationHeader"]
    ph_bytes = bytes(ph[str(i)] for i in range(len(ph))) if isinstance(ph, dict) else bytes.fromhex(ph)
    return bytes.fromhex(data["bbsProof"]), ph_bytes, data["adjSelectiveIndexes"]


# -- the hashing under the scheme -----------------------------------------------------------------
def test_hash_to_curve_on_the_library_map_matches_rfc9380_and_the_library() -> None:
    """RFC 9380 J.9.1 (BLS12381G1_XMD:SHA-256_SSWU_RO_, msg "abc"): our expand + two maps + add
    gives the published point, as does the library's own hash_to_curve."""
    dst = b"QUUX-V01-CS02-with-BLS12381G1_XMD:SHA-256_SSWU_RO_"
    ours = hashing.hash_to_curve_g1(hashing.expand_message_xmd, b"abc", dst)
    assert ours == curve.G1Point.hash_to_curve(b"abc", dst)
    x = int.from_bytes(curve.g1_to_bytes(ours), "big") & ~(0b111 << 381)  # drop the compression flags
    assert x == 0x03567BC5EF9C690C2AB2ECDF6A96EF1C139CC0B2F284DCA0A9A7943388A49A3AEE664BA5379A7655D3C68900BE2F6903


def test_expand_message_xmd_matches_rfc9380() -> None:
    """RFC 9380 K.1 (expander SHA-256, msg "", 32 bytes)."""
    out = hashing.expand_message_xmd(b"", b"QUUX-V01-CS02-with-expander-SHA256-128", 0x20)
    assert out.hex() == "68a985b87eb6b46952128911f2a4412bbc302a9d759667f87f7a21d803f07235"


def test_the_shake_suite_matches_the_cfrg_draft() -> None:
    """draft-irtf-cfrg-bbs-signatures, BLS12-381-SHAKE-256: P1, the first generators, a message
    scalar, the mocked random scalars and the single-message signature."""
    assert curve.g1_to_bytes(SHAKE256.p1).hex().startswith("8929dfbc7e6642c4ed9cba0856e493f8b9d7d5fcb0c31ef8fdcd34d50648a56c")
    q1, h1 = create_generators(SHAKE256, 2)
    assert curve.g1_to_bytes(q1).hex().startswith("a9d40131066399fd41af51d883f4473b0dcd7d02")
    assert curve.g1_to_bytes(h1).hex().startswith("903c7ca0b7e78a2017d0baf74103bd00ca8ff9bf")
    message = bytes.fromhex("9872ad089e452c7b6e283dfac2a80d58e8d0ff71cc4d5e310a1debdda4a45f02")
    assert messages_to_scalars(SHAKE256, [message]) == [0x1E0DEA6C9EA8543731D331A0AB5F64954C188542B33C5BBC8AE5B3A830F2D99F]
    seed = bytes.fromhex("332e313431353932363533353839373933323338343632363433333833323739")
    assert seeded_random_scalars(SHAKE256, seed, 10)[0] == 0x1004262112C3EAA95941B2B0D1311C09C845DB0099A50E67EDA628AD26B43083
    secret = 0x2EEE0F60A8A3A8BEC0EE942BFD46CBDAE9A0738EE68F5A64E7238311CF09A079
    pk = public_key(secret)
    assert pk.hex().startswith("92d37d1d6cd38fea3a873953333eab23a4c0377e")
    header = bytes.fromhex("11223344556677889900aabbccddeeff")
    signature = sign(secret, pk, header, [message], SHAKE256)
    assert signature.hex() == ("b9a622a4b404e6ca4c85c15739d2124a1deb16df750be202e2430e169bc27fb71c44d98e6d40792033e1c452145ada95"
                               "030832c5dc778334f2f1b528eced21b0b97a12025a283d78b7136bb9825d04ef")
    assert verify(pk, signature, header, [message], SHAKE256)
    assert not verify(pk, signature, header, [message], SHA256)  # the suites are not interchangeable


# -- bbs-2023's vectors (BLS12-381-SHA-256) -----------------------------------------------------------
def test_the_vector_key_pair_matches() -> None:
    secret, pk = _keys()
    assert public_key(secret) == pk


@pytest.mark.parametrize("example", BASELINE)
def test_the_base_signature_is_reproduced_byte_for_byte(example: str) -> None:
    secret, pk = _keys()
    header, messages = _signing_input(example)
    expected = _load(example, "addRawBaseSignatureInfo.json")["bbsSignature"]
    assert sign(secret, pk, header, messages).hex() == expected
    assert verify(pk, bytes.fromhex(expected), header, messages)


@pytest.mark.parametrize("example", BASELINE)
def test_a_changed_message_header_or_order_breaks_the_signature(example: str) -> None:
    _, pk = _keys()
    header, messages = _signing_input(example)
    signature = bytes.fromhex(_load(example, "addRawBaseSignatureInfo.json")["bbsSignature"])
    assert not verify(pk, signature, header, [messages[0].replace(b"_:b", b"_:x"), *messages[1:]])
    assert not verify(pk, signature, bytes(64), messages)
    assert not verify(pk, signature, header, list(reversed(messages)))
    assert not verify(pk, signature, header, messages[:-1])
    assert not verify(public_key(12345), signature, header, messages)
    assert not verify(pk, signature[:-1], header, messages)  # malformed: False, not an exception


@pytest.mark.parametrize("example", BASELINE)
def test_the_published_bbs_proof_verifies(example: str) -> None:
    _, pk = _keys()
    header, messages = _signing_input(example)
    proof, ph, disclosed = _disclosure(example)
    assert undisclosed_count(proof) == len(messages) - len(disclosed)
    assert proof_verify(pk, proof, header, ph, [messages[i] for i in disclosed], disclosed)


@pytest.mark.parametrize("example", BASELINE)
def test_a_published_proof_is_refused_when_anything_changes(example: str) -> None:
    _, pk = _keys()
    header, messages = _signing_input(example)
    proof, ph, disclosed = _disclosure(example)
    shown = [messages[i] for i in disclosed]
    assert not proof_verify(pk, proof, header, ph, [b"tampered", *shown[1:]], disclosed)
    assert not proof_verify(pk, proof, header, ph + b"\x00", shown, disclosed)
    assert not proof_verify(pk, proof, bytes(64), ph, shown, disclosed)
    assert not proof_verify(pk, proof, header, ph, shown, [i + 1 for i in disclosed])
    assert not proof_verify(public_key(12345), proof, header, ph, shown, disclosed)
    flipped = bytearray(proof)
    flipped[-1] ^= 1
    assert not proof_verify(pk, bytes(flipped), header, ph, shown, disclosed)
    assert not proof_verify(pk, proof[:-32], header, ph, shown, disclosed)


@pytest.mark.parametrize("example", BASELINE)
def test_proofgen_makes_a_fresh_proof_that_verifies(example: str) -> None:
    _, pk = _keys()
    header, messages = _signing_input(example)
    signature = bytes.fromhex(_load(example, "addRawBaseSignatureInfo.json")["bbsSignature"])
    _, ph, disclosed = _disclosure(example)
    proof = proof_gen(pk, signature, header, ph, messages, disclosed)
    again = proof_gen(pk, signature, header, ph, messages, disclosed)
    assert proof != again  # randomised: two presentations do not link
    shown = [messages[i] for i in disclosed]
    assert proof_verify(pk, proof, header, ph, shown, disclosed) and proof_verify(pk, again, header, ph, shown, disclosed)
    assert not proof_verify(pk, proof, header, ph, [m + b" " for m in shown], disclosed)
    none_shown = proof_gen(pk, signature, header, b"", messages, [])
    assert proof_verify(pk, none_shown, header, b"", [], [])


def test_proofgen_refuses_a_bad_signature_or_index() -> None:
    _, pk = _keys()
    header, messages = _signing_input("")
    with pytest.raises(BbsError):
        proof_gen(pk, bytes(80), header, b"", messages, [0])
    signature = bytes.fromhex(_load("", "addRawBaseSignatureInfo.json")["bbsSignature"])
    with pytest.raises(BbsError):
        proof_gen(pk, signature, header, b"", messages, [len(messages)])


def test_points_that_are_not_on_the_curve_are_refused() -> None:
    with pytest.raises(curve.PointError):
        curve.g1_from_bytes(bytes([0x80]) + bytes(47))  # the identity
    with pytest.raises(curve.PointError):
        curve.g2_from_bytes(bytes(96))
    with pytest.raises(curve.PointError):
        curve.g1_from_bytes(bytes.fromhex("8929dfbc7e6642c4ed9cba0856e493f8b9d7d5fcb0c31ef8fdcd34d50648a56c795e106e9eceabc2b7ae2ed1a3c3f1bb"))
