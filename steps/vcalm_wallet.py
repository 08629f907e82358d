"""Steps of the wallet in VCALM exchanges (lerconf runs the issuing and verifying exchanges, the
vendor's wallet takes part). One line each into lerconf.scenarios.vcalm_wallet and its judge."""
from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from lerconf.evidence import Evidence
from lerconf.scenarios import vcalm_wallet_judge as judge
from lerconf.scenarios.harness import Harness, VendorUnderTest
from lerconf.scenarios.vcalm_wallet import Ready, WalletExchange, exchange_for, ready_for, ready_holding_unrequested


@given(parsers.parse("the wallet under test is ready for lerconf's {exchange} exchange"), target_fixture="ready")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, exchange: str) -> Ready:
    return ready_for(harness, vendor, evidence, exchange)


@given("the wallet under test holds an Open Badge from lerconf's issuing exchange and a CLR credential the verifier "
       "does not ask for", target_fixture="ready")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence) -> Ready:
    return ready_holding_unrequested(harness, vendor, evidence)


@when(parsers.parse("lerconf hands the wallet the interaction URL of its {exchange} exchange"), target_fixture="observed_exchange")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, ready: Ready, exchange: str) -> WalletExchange:
    return exchange_for(harness, vendor, evidence, ready, exchange)


@then(parsers.parse('the wallet\'s exchange satisfies "{requirement}"'))
def _(harness: Harness, observed_exchange: WalletExchange, evidence: Evidence, requirement: str) -> None:
    judge.satisfies(harness, observed_exchange, evidence, requirement)


# -- the lifecycle over exchanges (features/lifecycle/wallet-vcalm-revocation.feature) --------------------
@given("the wallet under test holds a revocable Open Badge from lerconf's issuing exchange", target_fixture="exchange_badge")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence) -> judge.ExchangeLifecycle:
    return judge.hold_revocable_exchange_badge(harness, vendor, evidence)


@when("the wallet presents the badge through lerconf's verifying exchange")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, exchange_badge: judge.ExchangeLifecycle) -> None:
    judge.present_again(harness, vendor, evidence, exchange_badge)


@then("lerconf's verifying exchange accepts the badge as presented")
def _(harness: Harness, exchange_badge: judge.ExchangeLifecycle, evidence: Evidence) -> None:
    judge.expect_accepted(harness, exchange_badge, evidence)


@when("lerconf's issuer revokes the badge it issued through the exchange")
def _(harness: Harness, exchange_badge: judge.ExchangeLifecycle, evidence: Evidence) -> None:
    judge.revoke(harness, exchange_badge, evidence)


@then(parsers.parse('the wallet\'s exchange lifecycle satisfies "{requirement}"'))
def _(harness: Harness, exchange_badge: judge.ExchangeLifecycle, evidence: Evidence, requirement: str) -> None:
    judge.satisfies(harness, exchange_badge, evidence, requirement)
