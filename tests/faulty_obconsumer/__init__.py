"""Faulty OB 3.0 / CLR 2.0 API consumers: lerconf's reference consumer with exactly one fault.

``tests/e2e/test_faulty_obconsumer.py`` runs the ob_consumer features against all of them in one
`lerconf run` (each its own vendor; a vendor profile has only an ``ob_consumer`` section) and checks that the scenarios the fault names fail,
the scenarios it leaves without an access token are broken on that prerequisite (never failed),
and nothing else is failed or broken.

* ``faults`` — the catalogue: what each breaks and which scenarios must catch it
* ``server`` — a faulty consumer's trigger on a free loopback port, with its profile (or several at once)
"""
from __future__ import annotations

from faulty_obconsumer.faults import CLEAN, FAULTS, ConsumerFault
from faulty_obconsumer.server import running_consumer, running_consumers

__all__ = ["CLEAN", "FAULTS", "ConsumerFault", "running_consumer", "running_consumers"]
