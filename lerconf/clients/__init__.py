"""HTTP clients for vendor endpoints: one classified, bounded, redacted exchange per call."""
from __future__ import annotations

from lerconf.clients.http import Exchange, VendorClient
from lerconf.clients.outcome import Outcome

__all__ = ["Exchange", "Outcome", "VendorClient"]
