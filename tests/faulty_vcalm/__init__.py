"""Faulty VCALM exchanges: the reference's workflows with one rule relaxed (a switch of
lerconf.refimpl.exchanges.Rules), each on its own loopback port, served by a process apart from
lerconf's, and what lerconf's vcalm roles must say about each (tests/e2e/test_faulty_vcalm.py,
tests/e2e/test_faulty_lmc.py)."""
from faulty_vcalm.faults import CLEAN, FAULTS, LMC_CLEAN, LMC_FAULTS, SPEC_ROWS, ExchangeFault
from faulty_vcalm.server import RunningBed, run_beds, run_lerconf, started_beds

__all__ = ["CLEAN", "FAULTS", "LMC_CLEAN", "LMC_FAULTS", "SPEC_ROWS", "ExchangeFault", "RunningBed", "run_beds", "run_lerconf",
           "started_beds"]
