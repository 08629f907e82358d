"""The wallet's requirements, one entry each: ``Then the wallet satisfies "VCI-22"`` comes here.

Each requirement id maps (in its subject's table, lerconf.scenarios.subjects) to the function that
gathers its facts from what the scenario observed
(an :class:`~lerconf.scenarios.wallet_issuance.WalletIssuance`, a
:class:`~lerconf.scenarios.wallet_presentation.WalletPresentation`, the lifecycle's
:class:`~lerconf.scenarios.wallet_lifecycle.HeldBadge`, or two scenarios' wallets,
:class:`~lerconf.scenarios.wallet_isolation.TwoWallets`) and runs its checks
(:mod:`lerconf.checks.wallet_issuance`, :mod:`lerconf.checks.wallet_presentation`); the results
are judged by :func:`lerconf.scenarios.expect.expect_checks` and kept as evidence.

A SHOULD requirement (VP-13, the invalid_nonce retry of VCI-22) comes out of its check as a
warning. Its scenario is tagged ``@SHOULD``, so it fails as a recommendation not followed: the
run reports it as a warning (the vendor stays "conformant with warnings"), never as a broken MUST.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from lerconf.evidence import Evidence
from lerconf.results import CheckResult
from lerconf.scenarios.expect import expect_satisfied
from lerconf.scenarios.subjects import satisfied
from lerconf.scenarios.wallet_isolation import ISOLATION_REQUIREMENTS, TwoWallets
from lerconf.scenarios.wallet_issuance import ISSUANCE_REQUIREMENTS, WalletIssuance
from lerconf.scenarios.wallet_lifecycle import LIFECYCLE_REQUIREMENTS, HeldBadge
from lerconf.scenarios.wallet_presentation import PRESENTATION_REQUIREMENTS, WalletPresentation

if TYPE_CHECKING:
    from lerconf.scenarios.harness import Harness

__all__ = ["WALLET_REQUIREMENTS", "Observed", "judge", "satisfies"]

#: what a wallet scenario observed: an issuance, a presentation, the lifecycle's held badge, or two
#: scenarios' wallets (the adapter's isolation)
Observed = WalletIssuance | WalletPresentation | HeldBadge | TwoWallets
#: every wallet requirement id lerconf judges
WALLET_REQUIREMENTS = frozenset({*ISSUANCE_REQUIREMENTS, *PRESENTATION_REQUIREMENTS, *LIFECYCLE_REQUIREMENTS,
                                 *ISOLATION_REQUIREMENTS})


def judge(harness: Harness, observed: Observed, evidence: Evidence, requirement: str) -> list[CheckResult]:
    """The check results of ``requirement`` on what the scenario observed, from the table of its
    subject (prerequisites the wallet did not deliver raise Broken / NotClaimed first; an id the
    subject's table does not know is a feature/library mismatch, KeyError)."""
    if isinstance(observed, WalletIssuance):
        return satisfied(ISSUANCE_REQUIREMENTS, requirement, harness, observed, evidence)
    if isinstance(observed, WalletPresentation):
        return satisfied(PRESENTATION_REQUIREMENTS, requirement, harness, observed, evidence)
    if isinstance(observed, TwoWallets):
        return satisfied(ISOLATION_REQUIREMENTS, requirement, harness, observed, evidence)
    return satisfied(LIFECYCLE_REQUIREMENTS, requirement, harness, observed, evidence)


def satisfies(harness: Harness, observed: Observed, evidence: Evidence, requirement: str) -> None:
    """The wallet satisfies ``requirement``: every MUST check passed (expect_checks), and a SHOULD
    check's warning fails its @SHOULD scenario (reported as a warning of the run)."""
    expect_satisfied(evidence, judge(harness, observed, evidence, requirement))
