"""LCW-05: a wallet adapter that claims to keep scenarios apart (``wallet.isolation: scenario``) does.

lerconf runs several scenarios on such a wallet at once, each under its own ``X-Lerconf-Scenario``
value, so the claim is judged alongside them: the wallet of one value receives a badge over OID4VCI
from lerconf's issuer and must list it (``GET /credentials``; a wallet that kept nothing leaves
LCW-05 without its prerequisite, LCW-01's business), the wallet of a second value is reset, and both
are listed again. The second must list nothing -- least of all the first's badge -- and the first
must still hold its badge (the second's reset must not have emptied it). An adapter that claims
isolation must answer ``POST /reset`` and ``GET /credentials``: without them LCW-05 is broken.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lerconf.checks import wallet_issuance as checks
from lerconf.clients.scenario_header import scenario_header
from lerconf.clients.wallet_adapter import WalletAnswer
from lerconf.evidence import Evidence
from lerconf.results import CheckResult
from lerconf.scenarios.wallet_driver import driver_for, reset_wallet
from lerconf.scenarios.wallet_issuance import WalletIssuance, hold_badge, issued_credentials
from lerconf.verdicts import Broken

if TYPE_CHECKING:
    from lerconf.scenarios.harness import Harness, VendorUnderTest

__all__ = ["ISOLATION_REQUIREMENTS", "TwoWallets", "two_wallets"]


@dataclass
class TwoWallets:
    """The first scenario's wallet (it received a badge) and the second's (reset), as each lists itself."""

    issuance: WalletIssuance = field(repr=False)
    first_before: list[Any]  # what the first listed before the second's reset
    first: WalletAnswer
    second: WalletAnswer


def _listed(answer: WalletAnswer, which: str, evidence: Evidence, when: str = "") -> list[Any]:
    """The credentials a wallet lists; a wallet claiming isolation must be able to list them."""
    if not answer.ok or not isinstance(answer.body, list):
        raise Broken(f"prerequisite: the {which} scenario's wallet gave no list of credentials "
                     f"(GET /credentials: {answer.exchange.reason}); a wallet claiming isolation must list what it holds")
    stored = answer.listed
    evidence.keep(f"stored by the {which} scenario's wallet (GET /credentials{', ' + when if when else ''})", stored)
    return stored


def two_wallets(harness: Harness, vendor: VendorUnderTest, evidence: Evidence) -> TwoWallets:
    """A badge in the first scenario's wallet (listed there), then the second scenario's wallet reset; both listed."""
    first = hold_badge(harness, vendor, evidence, scenario=scenario_header("LCW-05 first scenario's wallet"))
    before = _listed(first.driver.credentials(), "first", evidence, "before the second's reset")
    if not before:
        raise Broken("prerequisite: the first scenario's wallet lists nothing after receiving lerconf's badge (whether "
                     "it stores what it receives is LCW-01's question), so a reset elsewhere emptying it cannot be seen")
    second = driver_for(vendor, scenario_header("LCW-05 second scenario's wallet"))
    reset_wallet(second, vendor)
    if second.reset_unsupported:
        raise Broken("prerequisite: the wallet cannot be reset (POST /reset answers 501), so lerconf cannot know "
                     "what the second scenario's wallet should hold")
    evidence.notes.append("the first scenario's wallet received a badge, then the second scenario's wallet was reset")
    return TwoWallets(first, before, first.driver.credentials(), second.credentials())


def kept_apart(harness: Harness, observed: TwoWallets, evidence: Evidence) -> list[CheckResult]:
    """LCW-05: nothing of the first wallet in the second, the first untouched by the second's reset (hold_badge
    made sure lerconf issued the first a badge)."""
    after = "after the second's reset"
    return [checks.wallet_adapter_keeps_scenarios_apart(issued_credentials(observed.issuance), observed.first_before,
                                                        _listed(observed.first, "first", evidence, after),
                                                        _listed(observed.second, "second", evidence, after))]


#: requirement id -> what the two wallets are judged by
ISOLATION_REQUIREMENTS = {"LCW-05": kept_apart}
