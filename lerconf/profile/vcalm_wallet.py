"""The ``vcalm_wallet`` section of a vendor profile: a wallet that takes part in VCALM exchanges,
where lerconf runs the issuing and verifying exchanges (role ``vcalm_wallet``).

```yaml
wallet:                       # how lerconf reaches the wallet: its adapter (or mode: manual)
  adapter_url: https://wallet-adapter.example/lerconf
vcalm_wallet:
  claims:
    exchanges: [issuing, verifying]   # receives badges from, and presents them to, VCALM exchanges
```

lerconf drives the wallet through the ``wallet`` section's adapter (``POST /interactions``,
docs/wallet-adapter.openapi.yaml) or, in manual mode, through the operator's QR code; so a
``vcalm_wallet`` section needs a ``wallet`` section. ``exchanges`` selects scenarios (example
column ``exchange``); the verifying scenarios and the lifecycle need both, since lerconf's
issuing exchange gives the wallet the badge it later presents.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from lerconf.profile.reader import unclaimed
from lerconf.profile.vcalm import claimed_values

__all__ = ["EXCHANGES", "SECTION", "VcalmWalletSection", "not_claimed", "parse_section"]

SECTION = "vcalm_wallet"
EXCHANGES = ("issuing", "verifying")
CLAIM_COLUMNS = {"exchange": "exchanges"}


@dataclass(frozen=True)
class VcalmWalletSection:
    """Which VCALM exchanges the wallet claims to take part in."""

    exchanges: tuple[str, ...] = EXCHANGES

    @property
    def urls(self) -> dict[str, str]:
        return {}  # the wallet is reached through the wallet section's adapter

    def not_claimed(self, example: Mapping[str, str]) -> list[str]:
        return unclaimed(self, example, CLAIM_COLUMNS)

    def public_view(self) -> dict[str, Any]:
        return {"claims": {"exchanges": list(self.exchanges)}}


def not_claimed(section: VcalmWalletSection | None, vendor: str, tags: set[str] | list[str],
                example: Mapping[str, str]) -> str | None:
    """Why a vcalm_wallet scenario (its tags, its example row) is outside what the section claims, or None.
    Presenting (``verifying``, the lifecycle) needs ``issuing`` too: the badge comes from lerconf's issuing exchange."""
    if section is None:
        return f"{vendor} has no {SECTION} section"
    lacking = section.not_claimed(example)
    if "lifecycle" in tags or example.get("exchange") == "verifying":
        lacking += [f"exchanges={e}" for e in EXCHANGES if e not in section.exchanges and f"exchanges={e}" not in lacking]
    return f"{SECTION} does not claim {', '.join(lacking)}" if lacking else None


def parse_section(raw: Any, fail: Callable[[str, str], Exception], *, has_wallet: bool) -> VcalmWalletSection:
    """Validate the section; ``fail(where, problem)`` builds the profile error."""
    if not isinstance(raw, Mapping):
        raise fail(SECTION, "must be a mapping")
    unknown = set(raw) - {"claims"}
    if unknown:
        raise fail(SECTION, f"unknown field(s) {', '.join(sorted(map(str, unknown)))} (the wallet is reached through "
                   "the wallet section's adapter_url or manual mode)")
    if not has_wallet:
        raise fail(SECTION, "needs a wallet section: lerconf drives the wallet through its adapter (POST /interactions) "
                   "or, with mode: manual, through the operator")
    return VcalmWalletSection(claimed_values(raw.get("claims"), SECTION, "exchanges", EXCHANGES, fail,
                                             missing="list the exchanges the wallet takes part in, some of: "
                                                     f"{', '.join(EXCHANGES)}"))
