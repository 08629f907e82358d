"""Faulty Open Badges 3.0 / CLR 2.0 hosts: the reference host with one fault (a ``Rules`` switch
of lerconf.refimpl.obhost, or a wrapper that alters one answer), and what lerconf's ob_provider
role must say about each (tests/e2e/test_faulty_obhost.py)."""
from faulty_obhost.faults import CLEAN, FAULTS, HostFault
from faulty_obhost.server import RunningHost, run_lerconf, running_host

__all__ = ["CLEAN", "FAULTS", "HostFault", "RunningHost", "run_lerconf", "running_host"]
