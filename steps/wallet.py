"""Wallet-under-test steps: lerconf plays issuer and verifier (logic in lerconf.scenarios.wallet)."""
from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from lerconf.clients.wallet_adapter import WalletDriver
from lerconf.evidence import Evidence
from lerconf.scenarios import wallet as w
from lerconf.scenarios import wallet_lifecycle as lifecycle
from lerconf.scenarios.harness import Harness, VendorUnderTest
from lerconf.scenarios.wallet import Issuance, Presentation


@given("the wallet under test holds an Open Badge issued by lerconf over OID4VCI", target_fixture="held")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence) -> Issuance:
    return w.hold_badge(harness, vendor, evidence)


@given(parsers.parse('the wallet under test holds a "{format}" Open Badge issued by lerconf over OID4VCI'),
       target_fixture="held")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, format: str) -> Issuance:
    return w.hold_badge(harness, vendor, evidence, format)


@given("the wallet under test holds no credential", target_fixture="held")
def _(vendor: VendorUnderTest, evidence: Evidence) -> WalletDriver:
    return w.empty_wallet(vendor, evidence)


@when(parsers.re(r'lerconf offers the wallet a "(?P<format>[^"]+)" badge by (?P<passing>reference|value) '
                 r'(?P<with_code>with|without) a tx_code'), target_fixture="issuance")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, format: str, passing: str,
      with_code: str) -> Issuance:
    return w.offer(harness, vendor, evidence, format, tx_code=with_code == "with", by_reference=passing == "reference")


@when(parsers.parse('lerconf offers the wallet a "{format}" badge with the "{grant}" grant'), target_fixture="issuance")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, format: str, grant: str) -> Issuance:
    return w.offer(harness, vendor, evidence, format, grant=grant)


@when(parsers.parse('lerconf offers the wallet a "{format}" badge and refuses its first credential request with '
                    'invalid_nonce'), target_fixture="issuance")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, format: str) -> Issuance:
    return w.offer(harness, vendor, evidence, format, refuse_first_nonce=True)


@then("lerconf's authorization server received an S256 code challenge and the matching code verifier")
def _(issuance: Issuance) -> None:
    w.expect_authorized_with_pkce(issuance)


@then("lerconf's credential endpoint received a retry whose key proof carries a fresh c_nonce")
def _(issuance: Issuance) -> None:
    w.expect_retried_after_invalid_nonce(issuance)


@when("lerconf offers the wallet a badge from an issuer whose metadata names another credential_issuer",
      target_fixture="issuance")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence) -> Issuance:
    return w.offer(harness, vendor, evidence, "ldp_vc", impostor=True)


@when("lerconf asks the wallet to answer a DCQL request for the badge", target_fixture="presentation")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, held: Issuance | WalletDriver) -> Presentation:
    driver = held.driver if isinstance(held, Issuance) else held
    return w.request(harness, vendor, evidence, driver, w.prefix_for(vendor))


@when(parsers.parse('lerconf asks the wallet to answer a DCQL request for the badge with the "{client_id_prefix}" '
                    'client_id prefix'), target_fixture="presentation")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, held: Issuance | WalletDriver,
      client_id_prefix: str) -> Presentation:
    driver = held.driver if isinstance(held, Issuance) else held
    return w.request(harness, vendor, evidence, driver, client_id_prefix)


@when('lerconf asks the wallet to answer a DCQL request that asks only for an "mso_mdoc" mobile driving licence',
      target_fixture="presentation")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, held: Issuance) -> Presentation:
    return w.request(harness, vendor, evidence, held.driver, w.prefix_for(vendor), format="unsupported")


@when("lerconf asks the wallet to answer an unsigned request object under a client_id prefix that requires a signature",
      target_fixture="presentation")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, held: Issuance) -> Presentation:
    return w.request(harness, vendor, evidence, held.driver, w.prefix_for(vendor, signed=True), require_signed=True)


@when("lerconf asks the wallet to answer a request whose invocation names another client_id than its request object",
      target_fixture="presentation")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, held: Issuance) -> Presentation:
    return w.request(harness, vendor, evidence, held.driver, w.prefix_for(vendor), client_id_mismatch=True)


@when("lerconf asks the wallet to answer a DCQL request whose response_uri answers with an HTTP redirect",
      target_fixture="presentation")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, held: Issuance) -> Presentation:
    return w.request(harness, vendor, evidence, held.driver, w.prefix_for(vendor), redirect_on_response=True)


@when(parsers.parse('lerconf asks the wallet to answer a DCQL request for the "{format}" badge'),
      target_fixture="presentation")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, held: Issuance, format: str) -> Presentation:
    return w.request(harness, vendor, evidence, held.driver, w.prefix_for(vendor), format=format)


@when(parsers.parse('lerconf asks the wallet to answer a DCQL request for the badge with response_mode "{response_mode}"'),
      target_fixture="presentation")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, held: Issuance, response_mode: str) -> Presentation:
    return w.request(harness, vendor, evidence, held.driver, w.prefix_for(vendor), response_mode=response_mode)


@then("lerconf's response_uri received a VP JWT bound to the request's nonce and full client_id, with the badge as issued")
def _(harness: Harness, presentation: Presentation, held: Issuance, evidence: Evidence) -> None:
    w.expect_jwt_bound(harness, presentation, w.issued_credentials(held), evidence)


@then("lerconf's response_uri received only an encrypted response, which lerconf's verifier accepted")
def _(harness: Harness, presentation: Presentation, evidence: Evidence) -> None:
    w.expect_encrypted(harness, presentation, evidence)


@then(parsers.parse("lerconf's response_uri received no vp_token, because {why}"))
def _(presentation: Presentation, why: str) -> None:
    w.expect_no_vp_token(presentation, why)


@then("the wallet never followed the response_uri's redirect")
def _(harness: Harness, presentation: Presentation) -> None:
    w.expect_redirect_not_followed(harness, presentation)


@then("lerconf's issuer received the metadata request and the pre-authorized code with the tx_code")
def _(issuance: Issuance) -> None:
    w.expect_redeemed(issuance)


@then("lerconf's token endpoint received the pre-authorized code without a tx_code")
def _(issuance: Issuance) -> None:
    w.expect_no_tx_code(issuance)


@then("lerconf's credential endpoint received a key proof for the issuer with the latest c_nonce")
def _(issuance: Issuance) -> None:
    w.expect_proof_bound(issuance)


@then("the wallet's stored credential is exactly the one lerconf's credential endpoint issued")
def _(issuance: Issuance, evidence: Evidence) -> None:
    w.expect_stored_unchanged(issuance, evidence)


@then("lerconf's token endpoint never received the offer's pre-authorized code")
def _(issuance: Issuance) -> None:
    w.expect_metadata_refused(issuance)


@then("lerconf's response_uri received a presentation bound to the request's nonce and full client_id")
def _(harness: Harness, presentation: Presentation, evidence: Evidence) -> None:
    w.expect_bound(harness, presentation, evidence)


@then("lerconf's response_uri received exactly the issued badge, keyed by the DCQL query id")
def _(harness: Harness, presentation: Presentation, held: Issuance, evidence: Evidence) -> None:
    w.expect_requested_badge(harness, presentation, w.issued_credentials(held), evidence)


@then("lerconf's response_uri received an error response and no vp_token")
def _(presentation: Presentation) -> None:
    w.expect_declined(presentation)


# -- the wallet lifecycle (features/lifecycle/wallet-oid4-revocation.feature) ---------------------------
@given("the wallet under test holds a revocable Open Badge issued by lerconf over OID4VCI", target_fixture="held_badge")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence) -> lifecycle.HeldBadge:
    return lifecycle.hold_revocable_badge(harness, vendor, evidence)


@when(parsers.parse("the wallet presents the badge to {verifier} over OID4VP"))
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, held_badge: lifecycle.HeldBadge,
      verifier: str) -> None:
    lifecycle.present(harness, vendor, evidence, held_badge, verifier)


@then(parsers.parse("{verifier} accepts the badge as presented"))
def _(harness: Harness, held_badge: lifecycle.HeldBadge, evidence: Evidence, verifier: str) -> None:
    lifecycle.expect_accepted(harness, held_badge, evidence, verifier)


@when("lerconf's issuer revokes the badge")
def _(harness: Harness, held_badge: lifecycle.HeldBadge, evidence: Evidence) -> None:
    lifecycle.revoke(harness, held_badge, evidence)


@then("the presentation fails because the badge is revoked")
def _(harness: Harness, held_badge: lifecycle.HeldBadge, evidence: Evidence) -> None:
    lifecycle.expect_refused_as_revoked(harness, held_badge, evidence)
