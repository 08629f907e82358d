"""The value of ``X-Lerconf-Scenario``: which scenario a call to a wallet adapter belongs to.

A wallet adapter logs it; one that keeps scenarios apart (``scenario_isolation`` in its
capabilities, ``wallet.isolation: scenario`` in the profile) gives each distinct value a wallet of
its own, so lerconf can run several scenarios on that one wallet at once. The value is therefore
unique to one run of one scenario: a readable label for the adapter's logs, and a random suffix so
the same scenario in two workers, two shards or two runs at once never shares a wallet.
"""
from __future__ import annotations

import contextvars
import secrets

from lerconf.protocol.wallet_adapter import MAX_SCENARIO_HEADER

__all__ = ["CURRENT_SCENARIO", "scenario_header"]

_SUFFIX = 18  # " #" + 16 hex digits: 64 random bits

#: the running scenario's header value (set by the run's pytest plugin as each scenario starts)
CURRENT_SCENARIO: contextvars.ContextVar[str | None] = contextvars.ContextVar("lerconf_scenario", default=None)


def scenario_header(label: str) -> str:
    """``label`` as printable ASCII (header-safe), cut to fit, plus a random suffix."""
    text = "".join(c if " " <= c <= "~" else "?" for c in label).strip() or "scenario"
    # secrets, not lerconf.entropy: a replayed scenario must not reuse its recording's value (a replay beside
    # the recorded run, or two replays at once, would share a wallet); replay ignores this header (tape_transport)
    return f"{text[:MAX_SCENARIO_HEADER - _SUFFIX]} #{secrets.token_hex(8)}"
