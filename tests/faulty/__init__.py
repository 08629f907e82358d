"""The faulty-vendor test bed: lerconf's reference implementation with exactly one named fault.

A conformance harness that never fails proves nothing. Each ``Fault`` here wraps the reference
(a replaced verification engine, signer, status registry or route, or an ASGI middleware)
so that it breaks one requirement; ``tests/test_faulty_vendors.py`` runs the feature suite
against it and checks that lerconf reports exactly the scenarios that requirement governs.

* ``faults``   — the catalogue: name, role, what it breaks, which scenarios must detect it
* ``wrappers`` — the building blocks the faults are made of
* ``server``   — a faulty vendor on a free loopback port, its profile and URL map
* ``runs``     — one in-process ``lerconf run`` against a vendor, and its results
"""
from __future__ import annotations

from faulty.faults import CLEAN, FAULTS, Fault
from faulty.runs import RunResult, run_lerconf
from faulty.server import FaultyVendor, running_vendor

__all__ = ["CLEAN", "FAULTS", "Fault", "FaultyVendor", "RunResult", "run_lerconf", "running_vendor"]
