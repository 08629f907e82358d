"""Blind BBS signatures (draft-irtf-cfrg-bbs-blind-signatures), the verifier's side: a proof from a
signature over the signer's L messages and messages the prover committed to (bbs-2023's anonymous
holder binding commits the holder's secret). The committed messages have their own generators
(``BLIND_`` + api_id) after the signer's, and the interface is ``BLIND_H2G_HM2S_``."""
from __future__ import annotations

from collections.abc import Sequence

from lerconf.crypto.bbs.proof import core_proof_verify, undisclosed_count
from lerconf.crypto.bbs.signature import BbsError
from lerconf.crypto.bbs.suite import SHA256, Ciphersuite, create_generators, messages_to_scalars

__all__ = ["blind_api_id", "blind_proof_verify"]


def blind_api_id(suite: Ciphersuite) -> bytes:
    return suite.ciphersuite_id + b"BLIND_H2G_HM2S_"


def blind_proof_verify(pk: bytes, proof: bytes, header: bytes, ph: bytes, signer_messages: int,
                       disclosed_messages: Sequence[bytes], disclosed_indexes: Sequence[int],
                       suite: Ciphersuite = SHA256) -> bool:
    """BlindProofVerify with no committed message disclosed: ``signer_messages`` (L) is how many
    messages the signer signed; the rest of the messages the proof covers are committed ones."""
    try:
        total = len(disclosed_indexes) + undisclosed_count(proof)
    except BbsError:
        return False
    committed = total - signer_messages - 1  # M: the prover's committed messages (the last one is its blind)
    if signer_messages < 0 or committed < 0 or any(i >= signer_messages for i in disclosed_indexes):
        return False
    api_id = blind_api_id(suite)
    generators = (*create_generators(suite, signer_messages + 1, api_id),
                  *create_generators(suite, committed + 1, b"BLIND_" + api_id))
    return core_proof_verify(pk, proof, generators, header, ph, messages_to_scalars(suite, disclosed_messages, api_id),
                             disclosed_indexes, suite, api_id)
