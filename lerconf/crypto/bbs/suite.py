"""The BBS ciphersuites over BLS12-381 and the draft's shared pieces: create_generators,
messages_to_scalars, calculate_domain and the mocked random scalars (the operations Sign, Verify,
ProofGen and ProofVerify all use). bbs-2023 uses BLS12-381-SHA-256 (its vectors are signed with it)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from lerconf.crypto.bbs.curve import G1Point, G2Point, R, g1_to_bytes
from lerconf.crypto.bbs.hashing import EXPAND_LEN, Expander, expand_message_xmd, expand_message_xof, hash_to_curve_g1, hash_to_scalar

__all__ = ["BP2", "SHA256", "SHAKE256", "Ciphersuite", "calculate_domain", "create_generators", "messages_to_scalars",
           "seeded_random_scalars"]

#: the G2 generator
BP2 = G2Point()


@dataclass(frozen=True)
class Ciphersuite:
    """One of the draft's ciphersuites with the hash-to-scalar message interface (H2G_HM2S)."""

    ciphersuite_id: bytes
    expand: Expander = field(compare=False)

    @property
    def api_id(self) -> bytes:
        return self.ciphersuite_id + b"H2G_HM2S_"

    def hash_to_scalar(self, msg: bytes, dst: bytes) -> int:
        return hash_to_scalar(self.expand, msg, dst)

    def hash_to_curve(self, msg: bytes, dst: bytes) -> G1Point:
        return hash_to_curve_g1(self.expand, msg, dst)

    @property
    def p1(self) -> G1Point:
        """The suite's base point P1: the first generator of the BP_ seed (the draft's §"BLS12-381
        ciphersuites"); the same for every interface (blind, pseudonym) of the suite."""
        return _chain(self, self.api_id, 1, b"BP_MESSAGE_GENERATOR_SEED")[0]


SHA256 = Ciphersuite(b"BBS_BLS12381G1_XMD:SHA-256_SSWU_RO_", expand_message_xmd)
SHAKE256 = Ciphersuite(b"BBS_BLS12381G1_XOF:SHAKE-256_SSWU_RO_", expand_message_xof)


@lru_cache(maxsize=16)
def _chain(suite: Ciphersuite, api_id: bytes, count: int, seed: bytes) -> tuple[G1Point, ...]:
    seed_dst = api_id + b"SIG_GENERATOR_SEED_"
    generator_dst = api_id + b"SIG_GENERATOR_DST_"
    v = suite.expand(api_id + seed, seed_dst, EXPAND_LEN)
    out = []
    for i in range(1, count + 1):
        v = suite.expand(v + i.to_bytes(8, "big"), seed_dst, EXPAND_LEN)
        out.append(suite.hash_to_curve(v, generator_dst))
    return tuple(out)


def create_generators(suite: Ciphersuite, count: int, api_id: bytes | None = None) -> tuple[G1Point, ...]:
    """The draft's create_generators: Q_1 then H_1..H_L, each hashed to G1 from a seed chain (under
    the suite's api_id unless another interface's is given). The chain is a prefix chain, so one long
    list computed once serves every shorter request."""
    if count < 1:
        raise ValueError("create_generators: count must be positive")
    bucket = 32
    while bucket < count:
        bucket *= 2
    return _chain(suite, api_id or suite.api_id, bucket, b"MESSAGE_GENERATOR_SEED")[:count]


def messages_to_scalars(suite: Ciphersuite, messages: Sequence[bytes], api_id: bytes | None = None) -> list[int]:
    """The draft's messages_to_scalars: each message hashed to a scalar under the MAP_MSG_TO_SCALAR DST."""
    dst = (api_id or suite.api_id) + b"MAP_MSG_TO_SCALAR_AS_HASH_"
    return [suite.hash_to_scalar(m, dst) for m in messages]


def calculate_domain(suite: Ciphersuite, pk: bytes, q1: G1Point, h_points: Sequence[G1Point], header: bytes,
                     api_id: bytes | None = None) -> int:
    """The draft's calculate_domain: binds the public key, the generators, the interface and the header."""
    api_id = api_id or suite.api_id
    dom_octets = len(h_points).to_bytes(8, "big") + b"".join(g1_to_bytes(p) for p in (q1, *h_points)) + api_id
    return suite.hash_to_scalar(pk + dom_octets + len(header).to_bytes(8, "big") + header, api_id + b"H2S_")


def seeded_random_scalars(suite: Ciphersuite, seed: bytes, count: int, dst: bytes | None = None) -> list[int]:
    """The draft's mocked_calculate_random_scalars: ``count`` scalars drawn from a fixed seed, so a
    proof can be reproduced (test vectors, replays). Never for a real presentation's randomness
    unless the seed itself is fresh and secret."""
    dst = dst if dst is not None else suite.api_id + b"MOCK_RANDOM_SCALARS_DST_"
    v = suite.expand(seed, dst, EXPAND_LEN * count)
    return [int.from_bytes(v[i * EXPAND_LEN:(i + 1) * EXPAND_LEN], "big") % R for i in range(count)]
