"""Faulty wallets: lerconf's reference wallet with exactly one protocol fault.

``tests/e2e/test_faulty_wallet.py`` runs the feature suite against all of them in one `lerconf run`
(each vendor profile has only a ``wallet`` section, so every other role is skipped as not claimed)
and checks, wallet by wallet, that the scenarios the fault names fail, the scenarios it makes
impossible are broken on a prerequisite (never failed), and nothing else is failed or broken.

* ``faults`` — the catalogue: what each breaks and which scenarios must catch it
* ``server`` — a faulty wallet adapter on a free loopback port, with its profile (``started_wallets``: several)
"""
from __future__ import annotations

from faulty_wallet.faults import CLEAN, DECLINES, FAULTS, WalletFault
from faulty_wallet.server import WALLET_TAGS, running_wallet, started_wallets

__all__ = ["CLEAN", "DECLINES", "FAULTS", "WALLET_TAGS", "WalletFault", "running_wallet", "started_wallets"]
