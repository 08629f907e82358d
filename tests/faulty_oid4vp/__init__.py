"""Faulty OID4VP verifiers: lerconf's reference OID4VP verifier with exactly one protocol fault.

``tests/e2e/test_faulty_oid4vp.py`` runs the feature suite against all of them in one `lerconf run`
(each its own vendor; a vendor profile has only an ``oid4vp_verifier`` section, so every other role
is skipped as not claimed) and checks, per vendor, that the scenarios the fault names fail, and
nothing else does.

* ``faults`` — the catalogue: what each breaks and which scenarios must catch it
* ``server`` — a faulty verifier on a free loopback port, with its profile (or several at once)
"""
from __future__ import annotations

from faulty_oid4vp.faults import CLEAN, FAULTS, VerifierFault
from faulty_oid4vp.server import Verifiers, running_verifier, running_verifiers

__all__ = ["CLEAN", "FAULTS", "VerifierFault", "Verifiers", "running_verifier", "running_verifiers"]
