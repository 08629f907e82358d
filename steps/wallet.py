"""Wallet-under-test steps: lerconf plays issuer and verifier; the logic is in
lerconf.scenarios.wallet_issuance / wallet_presentation / wallet_lifecycle, and every requirement
is judged through lerconf.scenarios.wallet_requirements."""
from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from lerconf.clients.wallet_adapter import WalletDriver
from lerconf.evidence import Evidence
from lerconf.scenarios.harness import Harness, VendorUnderTest
from lerconf.scenarios.wallet_isolation import TwoWallets, two_wallets
from lerconf.scenarios.wallet_issuance import WalletIssuance, empty_wallet, hold_badge, offer
from lerconf.scenarios.wallet_lifecycle import HeldBadge, expect_accepted, hold_revocable_badge, present, revoke
from lerconf.scenarios.wallet_presentation import WalletPresentation, ask, ask_with_foreign_response_uri
from lerconf.scenarios.wallet_requirements import satisfies


# -- what the wallet holds before a presentation -------------------------------------------------------
@given("the wallet under test holds an Open Badge issued by lerconf over OID4VCI", target_fixture="held")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence) -> WalletIssuance:
    return hold_badge(harness, vendor, evidence)


@given(parsers.parse('the wallet under test holds a "{format}" Open Badge issued by lerconf over OID4VCI'),
       target_fixture="held")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, format: str) -> WalletIssuance:
    return hold_badge(harness, vendor, evidence, format)


@given("the wallet under test holds no credential", target_fixture="held")
def _(vendor: VendorUnderTest, evidence: Evidence) -> WalletDriver:
    return empty_wallet(vendor, evidence)


# -- OID4VCI: lerconf's issuer makes an offer -----------------------------------------------------------
@when(parsers.re(r'lerconf offers the wallet a "(?P<format>[^"]+)" badge by (?P<passing>reference|value) '
                 r'(?P<with_code>with|without) a tx_code'), target_fixture="observed")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, format: str, passing: str,
      with_code: str) -> WalletIssuance:
    return offer(harness, vendor, evidence, format, tx_code=with_code == "with", by_reference=passing == "reference")


@when(parsers.parse('lerconf offers the wallet a "{format}" badge with the "{grant}" grant'), target_fixture="observed")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, format: str, grant: str) -> WalletIssuance:
    return offer(harness, vendor, evidence, format, grant=grant)


@when(parsers.parse('lerconf offers the wallet a "{format}" badge and refuses its first credential request with '
                    'invalid_nonce'), target_fixture="observed")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, format: str) -> WalletIssuance:
    return offer(harness, vendor, evidence, format, refuse_first_nonce=True)


@when("lerconf offers the wallet a badge from an issuer whose metadata names another credential_issuer",
      target_fixture="observed")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence) -> WalletIssuance:
    return offer(harness, vendor, evidence, "ldp_vc", impostor=True)


# -- OID4VP: lerconf's verifier makes a request ---------------------------------------------------------
@when("lerconf asks the wallet to answer a DCQL request for the badge", target_fixture="observed")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, held: WalletIssuance | WalletDriver) -> WalletPresentation:
    return ask(harness, vendor, evidence, held)


@when(parsers.parse('lerconf asks the wallet to answer a DCQL request for the badge with the "{client_id_prefix}" '
                    'client_id prefix'), target_fixture="observed")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, held: WalletIssuance | WalletDriver,
      client_id_prefix: str) -> WalletPresentation:
    return ask(harness, vendor, evidence, held, client_id_prefix)


@when('lerconf asks the wallet to answer a DCQL request that asks only for an "mso_mdoc" mobile driving licence',
      target_fixture="observed")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, held: WalletIssuance) -> WalletPresentation:
    return ask(harness, vendor, evidence, held, format="unsupported")


@when("lerconf asks the wallet to answer an unsigned request object under a client_id prefix that requires a signature",
      target_fixture="observed")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, held: WalletIssuance) -> WalletPresentation:
    return ask(harness, vendor, evidence, held, require_signed=True)


@when("lerconf asks the wallet to answer a request whose invocation names another client_id than its request object",
      target_fixture="observed")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, held: WalletIssuance) -> WalletPresentation:
    return ask(harness, vendor, evidence, held, client_id_mismatch=True)


@when("lerconf asks the wallet to answer an x509_san_dns request whose response_uri is on another host than its certificate names",
      target_fixture="observed")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, held: WalletIssuance) -> WalletPresentation:
    return ask_with_foreign_response_uri(harness, vendor, evidence, held)


@when("lerconf asks the wallet to answer a DCQL request whose response_uri answers with an HTTP redirect",
      target_fixture="observed")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, held: WalletIssuance) -> WalletPresentation:
    return ask(harness, vendor, evidence, held, redirect_on_response=True)


@when(parsers.parse('lerconf asks the wallet to answer a DCQL request for the "{format}" badge'),
      target_fixture="observed")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, held: WalletIssuance, format: str) -> WalletPresentation:
    return ask(harness, vendor, evidence, held, format=format)


@when(parsers.parse('lerconf asks the wallet to answer a DCQL request for the badge with response_mode "{response_mode}"'),
      target_fixture="observed")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, held: WalletIssuance, response_mode: str) -> WalletPresentation:
    return ask(harness, vendor, evidence, held, response_mode=response_mode)


# -- the verdict: one generic step, dispatched by requirement id ----------------------------------------
@then(parsers.parse('the wallet satisfies "{requirement}"'))
def _(harness: Harness, observed: WalletIssuance | WalletPresentation | TwoWallets, evidence: Evidence,
      requirement: str) -> None:
    satisfies(harness, observed, evidence, requirement)


# -- the wallet lifecycle (features/lifecycle/wallet-oid4-revocation.feature) ---------------------------
@given("the wallet under test holds a revocable Open Badge issued by lerconf over OID4VCI", target_fixture="held_badge")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence) -> HeldBadge:
    return hold_revocable_badge(harness, vendor, evidence)


@when(parsers.parse("the wallet presents the badge to {verifier} over OID4VP"))
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, held_badge: HeldBadge, verifier: str) -> None:
    present(harness, vendor, evidence, held_badge, verifier)


@then(parsers.parse("{verifier} accepts the badge as presented"))
def _(harness: Harness, held_badge: HeldBadge, evidence: Evidence, verifier: str) -> None:
    expect_accepted(harness, held_badge, evidence, verifier)


@when("lerconf's issuer revokes the badge")
def _(harness: Harness, held_badge: HeldBadge, evidence: Evidence) -> None:
    revoke(harness, held_badge, evidence)


@then(parsers.parse('the wallet lifecycle satisfies "{requirement}"'))
def _(harness: Harness, held_badge: HeldBadge, evidence: Evidence, requirement: str) -> None:
    satisfies(harness, held_badge, evidence, requirement)


# -- the adapter keeps scenarios apart (features/wallet/wallet-adapter-isolation.feature) -------------
@given("one scenario's wallet holds an Open Badge issued by lerconf and another scenario's wallet was emptied",
       target_fixture="observed")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence) -> TwoWallets:
    return two_wallets(harness, vendor, evidence)
