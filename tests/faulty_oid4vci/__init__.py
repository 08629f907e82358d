"""Faulty OID4VCI issuers: the reference issuer with one protocol rule relaxed, and what lerconf
must say about each (tests/test_faulty_oid4vci.py)."""
from faulty_oid4vci.faults import CLEAN, DRAFT13, FAULTS, NEVER_READY, NONCE_BOUNDED_AGE, REFUSES_EVERY_PROOF, IssuerFault
from faulty_oid4vci.server import OID4VCI_TAG, RunResult, run_lerconf, run_together, running_issuer

__all__ = ["CLEAN", "DRAFT13", "FAULTS", "NEVER_READY", "NONCE_BOUNDED_AGE", "OID4VCI_TAG", "REFUSES_EVERY_PROOF",
           "IssuerFault", "RunResult", "run_lerconf", "run_together", "running_issuer"]
