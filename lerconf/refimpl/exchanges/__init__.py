"""VCALM workflows and exchanges of the embedded reference (API-19..22): an issuing workflow that
binds the badge it issues to the DID a wallet authenticated with, and a verifying workflow that
asks for an Open Badge and records whether it verified. ``ROUTES`` is mounted by
lerconf.refimpl.app; ``Rules`` lets test beds relax one rule at a time."""
from __future__ import annotations

from lerconf.refimpl.exchanges.routes import ROUTES
from lerconf.refimpl.exchanges.store import ExchangeStore, Rules

__all__ = ["ROUTES", "ExchangeStore", "Rules"]
