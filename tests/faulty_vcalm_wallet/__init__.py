"""Faulty VCALM wallets: lerconf's reference wallet with exactly one exchange rule relaxed, all
served at once on loopback and judged in ONE `lerconf run --role vcalm_wallet` (one vendor profile
each), so the bed costs one run, not one per fault.

* ``faults`` — the catalogue: what each breaks and which scenarios must catch it
* ``server`` — the wallets (adapter routes of a reference instance each) and their profiles
"""
from __future__ import annotations

from faulty_vcalm_wallet.faults import CLEAN, FAULTS, NO_INTERACTIONS, WalletExchangeFault
from faulty_vcalm_wallet.server import running_wallets

__all__ = ["CLEAN", "FAULTS", "NO_INTERACTIONS", "WalletExchangeFault", "running_wallets"]
