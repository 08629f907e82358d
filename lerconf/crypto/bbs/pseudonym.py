"""BBS per-verifier linkability (draft-irtf-cfrg-bbs-per-verifier-linkability), the verifier's side:
a proof that also shows a pseudonym, OP * pid with OP = hash_to_curve(verifier_id), for a pid the
signature covers among the prover's committed messages; the same holder shows the same pseudonym to
the same verifier only. Interface ``H2G_HM2S_PSEUDONYM_``; the committed messages' generators are
``BLIND_`` + api_id, after the signer's."""
from __future__ import annotations

from collections.abc import Sequence

from lerconf.crypto.bbs.curve import G1Point, PointError, R, g1_from_bytes, mul1
from lerconf.crypto.bbs.proof import core_proof_verify, undisclosed_count
from lerconf.crypto.bbs.signature import BbsError
from lerconf.crypto.bbs.suite import SHA256, Ciphersuite, create_generators, messages_to_scalars

__all__ = ["calculate_pseudonym", "pseudonym_api_id", "pseudonym_proof_verify"]


def pseudonym_api_id(suite: Ciphersuite) -> bytes:
    return suite.ciphersuite_id + b"H2G_HM2S_PSEUDONYM_"


def _verifier_point(suite: Ciphersuite, verifier_id: bytes) -> G1Point:
    api_id = pseudonym_api_id(suite)
    point = suite.hash_to_curve(verifier_id, api_id)
    if point in (G1Point.identity(), G1Point(), suite.p1):
        raise BbsError("the verifier id hashes to a point a pseudonym cannot use")
    return point


def calculate_pseudonym(verifier_id: bytes, pid_scalar: int, suite: Ciphersuite = SHA256) -> G1Point:
    """CalculatePseudonym from the pid as a scalar: OP * pid."""
    return mul1(_verifier_point(suite, verifier_id), pid_scalar % R)


def pseudonym_proof_verify(pk: bytes, proof: bytes, pseudonym: bytes, verifier_id: bytes, header: bytes, ph: bytes,
                           signer_messages: int, disclosed_messages: Sequence[bytes], disclosed_indexes: Sequence[int],
                           suite: Ciphersuite = SHA256) -> bool:
    """ProofVerifyWithPseudonym: the BBS proof over the signer's ``signer_messages`` (L) and the
    committed ones, whose challenge also binds the pseudonym, OP and OP * pid^ - pseudonym * c."""
    try:
        total = len(disclosed_indexes) + undisclosed_count(proof)
        nym = g1_from_bytes(pseudonym)
        op = _verifier_point(suite, verifier_id)
    except (BbsError, PointError):
        return False
    committed = max(0, total - signer_messages - 1)
    if any(i >= signer_messages for i in disclosed_indexes):
        return False
    api_id = pseudonym_api_id(suite)
    generators = (*create_generators(suite, signer_messages + 1, api_id),
                  *create_generators(suite, committed + 1, b"BLIND_" + api_id))
    if len(generators) != total + 1:
        return False

    def points(commitments: tuple[int, ...], challenge: int) -> list[G1Point]:
        # pid^: the last commitment when the pid is committed (hidden PID), else the one before it
        pid_hat = commitments[-1] if committed >= 1 else commitments[-2]
        return [nym, op, mul1(op, pid_hat) + mul1(nym, R - challenge)]

    if undisclosed_count(proof) < 2:
        return False
    return core_proof_verify(pk, proof, generators, header, ph, messages_to_scalars(suite, disclosed_messages, api_id),
                             disclosed_indexes, suite, api_id, points)
