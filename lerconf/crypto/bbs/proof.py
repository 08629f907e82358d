"""BBS ProofGen and ProofVerify (draft-irtf-cfrg-bbs-signatures, the proof of knowledge of a
signature with (Abar, Bbar, D, e^, r1^, r3^, m^_j..., c)): what a bbs-2023 derived proof carries.
ProofGen takes its random scalars from a callable, so a vector's seeded proof can be reproduced;
lerconf's holder draws them from the OS's CSPRNG through lerconf.entropy (inside a recorded scenario
the draws go on its tape, so a replay derives the very proof the recording sent)."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lerconf import entropy
from lerconf.crypto.bbs.curve import G1Point, PointError, R, g1_from_bytes, g1_to_bytes, g2_from_bytes, mul1, multiexp1, pairing_is_one
from lerconf.crypto.bbs.signature import BbsError, Signature, b_value
from lerconf.crypto.bbs.suite import BP2, SHA256, Ciphersuite, calculate_domain, create_generators, messages_to_scalars

__all__ = ["PseudonymPoints", "RandomScalars", "core_proof_verify", "fresh_random_scalars", "proof_gen", "proof_verify",
           "undisclosed_count"]

RandomScalars = Callable[[int], list[int]]
_POINT, _SCALAR = 48, 32
_FLOOR = 3 * _POINT + 4 * _SCALAR


def fresh_random_scalars(count: int) -> list[int]:
    """calculate_random_scalars: uniformly random non-zero scalars from the OS's CSPRNG (lerconf.entropy)."""
    return [entropy.randbelow(R - 1) + 1 for _ in range(count)]


def undisclosed_count(proof: bytes) -> int:
    """How many messages a proof keeps hidden (its length says it)."""
    if len(proof) < _FLOOR or (len(proof) - _FLOOR) % _SCALAR:
        raise BbsError(f"a BBS proof is {_FLOOR} + 32·U bytes, not {len(proof)}")
    return (len(proof) - _FLOOR) // _SCALAR


@dataclass(frozen=True)
class _Proof:
    abar: G1Point
    bbar: G1Point
    d: G1Point
    e_hat: int
    r1_hat: int
    r3_hat: int
    commitments: tuple[int, ...]
    challenge: int

    def to_bytes(self) -> bytes:
        scalars = (self.e_hat, self.r1_hat, self.r3_hat, *self.commitments, self.challenge)
        return b"".join(g1_to_bytes(p) for p in (self.abar, self.bbar, self.d)) + \
            b"".join(s.to_bytes(_SCALAR, "big") for s in scalars)

    @classmethod
    def from_bytes(cls, data: bytes) -> _Proof:
        undisclosed_count(data)
        try:
            points = [g1_from_bytes(data[i * _POINT:(i + 1) * _POINT]) for i in range(3)]
        except PointError as exc:
            raise BbsError(f"the proof's points: {exc}") from None
        raw = data[3 * _POINT:]
        scalars = [int.from_bytes(raw[i:i + _SCALAR], "big") for i in range(0, len(raw), _SCALAR)]
        if any(not 0 < s < R for s in scalars):
            raise BbsError("a proof scalar is zero or not reduced mod r")
        return cls(points[0], points[1], points[2], scalars[0], scalars[1], scalars[2], tuple(scalars[3:-1]), scalars[-1])


def _challenge(suite: Ciphersuite, points: Sequence[G1Point], domain: int, disclosed: Sequence[tuple[int, int]],
               ph: bytes, api_id: bytes | None = None) -> int:
    """ProofChallengeCalculate: (R, i1, msg_i1, ..., Abar, Bbar, D, T1, T2, domain) || len(ph) || ph
    (with a pseudonym, its three points follow T2: ProofWithPseudonymChallengeCalculate)."""
    octets = bytearray(len(disclosed).to_bytes(8, "big"))
    for index, scalar in disclosed:
        octets += index.to_bytes(8, "big") + scalar.to_bytes(_SCALAR, "big")
    octets += b"".join(g1_to_bytes(p) for p in points) + domain.to_bytes(_SCALAR, "big")
    octets += len(ph).to_bytes(8, "big") + ph
    return suite.hash_to_scalar(bytes(octets), (api_id or suite.api_id) + b"H2S_")


def proof_gen(pk: bytes, signature: bytes, header: bytes, ph: bytes, messages: Sequence[bytes],
              disclosed_indexes: Sequence[int], suite: Ciphersuite = SHA256,
              random_scalars: RandomScalars = fresh_random_scalars) -> bytes:
    """ProofGen: prove knowledge of ``signature`` over ``messages`` while revealing only those at
    ``disclosed_indexes`` (0-based)."""
    sig = Signature.from_bytes(signature)
    disclosed = sorted(set(disclosed_indexes))
    if any(not 0 <= i < len(messages) for i in disclosed):
        raise BbsError("a disclosed index is out of range")
    scalars = messages_to_scalars(suite, messages)
    generators = create_generators(suite, len(scalars) + 1)
    undisclosed = [j for j in range(len(scalars)) if j not in set(disclosed)]
    r1, r2, e_t, r1_t, r3_t, *m_t = random_scalars(5 + len(undisclosed))
    domain = calculate_domain(suite, pk, generators[0], generators[1:], header)
    d = mul1(b_value(suite, domain, generators, scalars), r2)
    abar = mul1(sig.a, r1 * r2)
    bbar = mul1(d, r1) + mul1(abar, R - sig.e)
    t1 = mul1(abar, e_t) + mul1(d, r1_t)
    t2 = multiexp1([d, *(generators[1 + j] for j in undisclosed)], [r3_t, *m_t])
    c = _challenge(suite, [abar, bbar, d, t1, t2], domain, [(i, scalars[i]) for i in disclosed], ph)
    r3 = pow(r2, -1, R)
    return _Proof(abar, bbar, d, (e_t + sig.e * c) % R, (r1_t - r1 * c) % R, (r3_t - r3 * c) % R,
                  tuple((m_t[n] + scalars[j] * c) % R for n, j in enumerate(undisclosed)), c).to_bytes()


def proof_verify(pk: bytes, proof: bytes, header: bytes, ph: bytes, disclosed_messages: Sequence[bytes],
                 disclosed_indexes: Sequence[int], suite: Ciphersuite = SHA256) -> bool:
    """ProofVerify: the challenge recomputes and e(Abar, W) * e(Bbar, -BP2) == 1. False for any
    malformed input (wrong length, invalid points, indexes that do not fit)."""
    try:
        total = len(disclosed_indexes) + undisclosed_count(proof)
    except BbsError:
        return False
    return core_proof_verify(pk, proof, create_generators(suite, total + 1), header, ph,
                             messages_to_scalars(suite, disclosed_messages), disclosed_indexes, suite)


#: a pseudonym check: (the proof's commitments, its challenge) -> the points the challenge also hashes
PseudonymPoints = Callable[[tuple[int, ...], int], Sequence[G1Point]]


def core_proof_verify(pk: bytes, proof: bytes, generators: Sequence[G1Point], header: bytes, ph: bytes,
                      scalars: Sequence[int], disclosed_indexes: Sequence[int], suite: Ciphersuite = SHA256,
                      api_id: bytes | None = None, pseudonym: PseudonymPoints | None = None) -> bool:
    """CoreProofVerify over the given generators (Q_1, then one per message) and disclosed message
    scalars, under ``api_id`` (the suite's, or an interface's: blind signatures, pseudonyms); with
    ``pseudonym``, CoreProofVerifyWithPseudonym (its points enter the challenge)."""
    try:
        parsed = _Proof.from_bytes(proof)
        w = g2_from_bytes(pk)
    except (BbsError, PointError):
        return False
    if len(scalars) != len(disclosed_indexes) or list(disclosed_indexes) != sorted(set(disclosed_indexes)):
        return False
    total = len(disclosed_indexes) + len(parsed.commitments)
    if any(not 0 <= i < total for i in disclosed_indexes) or len(generators) != total + 1:
        return False
    undisclosed = [j for j in range(total) if j not in set(disclosed_indexes)]
    domain = calculate_domain(suite, pk, generators[0], generators[1:total + 1], header, api_id)
    c = parsed.challenge
    t1 = multiexp1([parsed.bbar, parsed.abar, parsed.d], [c, parsed.e_hat, parsed.r1_hat])
    bv = suite.p1 + multiexp1([generators[0], *(generators[1 + i] for i in disclosed_indexes)], [domain, *scalars])
    t2 = multiexp1([bv, parsed.d, *(generators[1 + j] for j in undisclosed)], [c, parsed.r3_hat, *parsed.commitments])
    extra = list(pseudonym(parsed.commitments, c)) if pseudonym is not None else []
    expected = _challenge(suite, [parsed.abar, parsed.bbar, parsed.d, t1, t2, *extra], domain,
                          list(zip(disclosed_indexes, scalars, strict=True)), ph, api_id)
    if expected != c:
        return False
    return pairing_is_one([parsed.abar, parsed.bbar], [w, -BP2])
