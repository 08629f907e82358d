"""Faulty wallets: lerconf's reference wallet with exactly one protocol fault.

``tests/test_faulty_wallet.py`` runs the feature suite against each (the vendor profile has only
a ``wallet`` section, so every other role is skipped as not claimed) and checks that the
scenarios the fault names fail, the scenarios it makes impossible are broken on a prerequisite
(never failed), and nothing else is failed or broken.

* ``faults`` — the catalogue: what each breaks and which scenarios must catch it
* ``server`` — a faulty wallet adapter on a free loopback port, with its profile
"""
from __future__ import annotations

from faulty_wallet.faults import CLEAN, FAULTS, WalletFault
from faulty_wallet.server import running_wallet

__all__ = ["CLEAN", "FAULTS", "WalletFault", "running_wallet"]
