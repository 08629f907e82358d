"""Data Integrity proofs: create and verify eddsa-rdfc-2022, eddsa-jcs-2022, ecdsa-rdfc-2019,
ecdsa-jcs-2019 and legacy Ed25519Signature2020, including proof sets and chains."""
from __future__ import annotations

from lerconf.di.create import add_proof
from lerconf.di.suites import SUITES, Suite, suite_for
from lerconf.di.verify import ProofOutcome, verify_proof, verify_proofs

__all__ = ["SUITES", "ProofOutcome", "Suite", "add_proof", "suite_for", "verify_proof", "verify_proofs"]
