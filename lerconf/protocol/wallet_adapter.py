"""The wallet adapter contract's names both sides use (docs/wallet-adapter.openapi.yaml): lerconf's
driver sends them (lerconf.clients.wallet_adapter), the reference wallet reads them
(lerconf.refimpl.wallet)."""
from __future__ import annotations

__all__ = ["MAX_SCENARIO_HEADER", "SCENARIO_HEADER"]

#: the header naming the scenario a call belongs to: an adapter advertising ``scenario_isolation``
#: gives each distinct value a wallet of its own
SCENARIO_HEADER = "X-Lerconf-Scenario"
#: the longest value lerconf sends (printable ASCII)
MAX_SCENARIO_HEADER = 200
