"""Wallets under test: lerconf plays the issuer (OID4VCI) and the verifier (OID4VP) on its
embedded reference and judges the wallet from what those endpoints received.

* ``driver``   — the WalletDriver interface and the HTTP wallet adapter driver
* ``profile``  — the ``wallet`` section of a vendor profile, and its claims
* ``scenario`` — what the W-VCI / W-VP scenarios do and how the wire decides
"""
from __future__ import annotations

from lerconf.wallet.driver import HttpWalletDriver, WalletAnswer, WalletDriver
from lerconf.wallet.profile import WalletClaims, WalletSection, parse_section

__all__ = ["HttpWalletDriver", "WalletAnswer", "WalletClaims", "WalletDriver", "WalletSection", "parse_section"]
