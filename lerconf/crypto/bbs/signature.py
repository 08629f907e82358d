"""BBS Sign and Verify (draft-irtf-cfrg-bbs-signatures CoreSign/CoreVerify with the H2G_HM2S
interface). Sign is deterministic: the same key, header and messages give the same signature,
which is why the bbs-2023 base proof of a vector can be reproduced byte for byte."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lerconf.crypto.bbs.curve import (
    G1Point,
    PointError,
    R,
    g1_from_bytes,
    g1_to_bytes,
    g2_from_bytes,
    mul1,
    mul2,
    multiexp1,
    pairing_is_one,
)
from lerconf.crypto.bbs.suite import BP2, SHA256, Ciphersuite, calculate_domain, create_generators, messages_to_scalars

__all__ = ["BbsError", "Signature", "b_value", "public_key", "sign", "verify"]


class BbsError(ValueError):
    """Input the BBS algorithms cannot take (bad lengths, invalid points, out-of-range scalars)."""


@dataclass(frozen=True)
class Signature:
    a: G1Point
    e: int

    def to_bytes(self) -> bytes:
        return g1_to_bytes(self.a) + self.e.to_bytes(32, "big")

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        if len(data) != 80:
            raise BbsError(f"a BBS signature is 80 bytes, not {len(data)}")
        e = int.from_bytes(data[48:], "big")
        if not 0 < e < R:
            raise BbsError("the signature's e is not a non-zero scalar")
        try:
            return cls(g1_from_bytes(data[:48]), e)
        except PointError as exc:
            raise BbsError(f"the signature's A: {exc}") from None


def public_key(secret: int) -> bytes:
    """SkToPk: W = SK * BP2, compressed (96 bytes)."""
    return bytes(mul2(BP2, secret).to_compressed_bytes())


def b_value(suite: Ciphersuite, domain: int, generators: Sequence[G1Point], scalars: Sequence[int]) -> G1Point:
    """B = P1 + Q_1 * domain + H_1 * msg_1 + ... + H_L * msg_L (one multi-scalar multiplication)."""
    return suite.p1 + multiexp1(list(generators[:len(scalars) + 1]), [domain, *scalars])


def sign(secret: int, pk: bytes, header: bytes, messages: Sequence[bytes], suite: Ciphersuite = SHA256) -> bytes:
    """Sign ``messages`` (octet strings) with ``header``: (A, e) as 80 bytes."""
    if not 0 < secret < R:
        raise BbsError("the secret key is not a non-zero scalar")
    scalars = messages_to_scalars(suite, messages)
    generators = create_generators(suite, len(scalars) + 1)
    domain = calculate_domain(suite, pk, generators[0], generators[1:], header)
    e_input = b"".join(s.to_bytes(32, "big") for s in (secret, *scalars, domain))
    e = suite.hash_to_scalar(e_input, suite.api_id + b"H2S_")
    inverse = pow((secret + e) % R, -1, R)
    return Signature(mul1(b_value(suite, domain, generators, scalars), inverse), e).to_bytes()


def verify(pk: bytes, signature: bytes, header: bytes, messages: Sequence[bytes], suite: Ciphersuite = SHA256) -> bool:
    """Verify: e(A, W + BP2 * e) * e(B, -BP2) == 1. False for any malformed input."""
    try:
        sig = Signature.from_bytes(signature)
        w = g2_from_bytes(pk)
    except (BbsError, PointError):
        return False
    scalars = messages_to_scalars(suite, messages)
    generators = create_generators(suite, len(scalars) + 1)
    domain = calculate_domain(suite, pk, generators[0], generators[1:], header)
    return pairing_is_one([sig.a, b_value(suite, domain, generators, scalars)], [w + mul2(BP2, sig.e), -BP2])
