"""The wallet driver (HTTP adapter over VendorClient), the reference wallet behind it, the wire
log lerconf's endpoints keep, and the ``wallet`` profile section."""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from lerconf.clients.wallet_adapter import HttpWalletDriver
from lerconf.errors import ProfileError
from lerconf.profile.load import parse_profile
from lerconf.profile.wallet import not_claimed, parse_section
from lerconf.protocol.wire_record import token_digest
from lerconf.refimpl.oid4vp import store_of
from lerconf.refimpl.server import RunningReference, running_reference
from lerconf.refimpl.wire import wire_of
from lerconf.scenarios.harness import build_vendor


@pytest.fixture(scope="module")
def reference() -> Iterator[RunningReference]:
    with running_reference() as ref:
        yield ref


@pytest.fixture
def driver(reference: RunningReference) -> Iterator[HttpWalletDriver]:
    vendor = build_vendor(reference.profile(), allow_private=True)
    d = HttpWalletDriver(vendor.http, reference.profile().wallet.adapter_url, scenario="unit test")
    assert d.reset().ok
    yield d
    vendor.http.close()


@pytest.fixture
def hooks(reference: RunningReference) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=reference.base_url, trust_env=False, timeout=30) as client:
        yield client


def _offer(hooks: httpx.Client, **body: Any) -> dict[str, Any]:
    answer = hooks.post("/oid4vci/offers", json=body)
    assert answer.status_code == 201
    return answer.json()


def test_capabilities(driver: HttpWalletDriver) -> None:
    answer = driver.capabilities()
    assert answer.ok and answer.body["dcql"] is True and "ldp_vc" in answer.body["formats"]


def test_driver_needs_exactly_one_offer_form(driver: HttpWalletDriver) -> None:
    with pytest.raises(ValueError):
        driver.receive_offer()
    with pytest.raises(ValueError):
        driver.receive_offer(credential_offer_uri="http://127.0.0.1/x", credential_offer={})
    with pytest.raises(ValueError):
        driver.present()


@pytest.mark.parametrize("by_reference", [True, False])
@pytest.mark.parametrize("fmt", ["OpenBadgeCredential_ldp_vc", "OpenBadgeCredential_jwt_vc_json"])
def test_offer_is_redeemed_and_stored_unchanged(driver: HttpWalletDriver, hooks: httpx.Client, reference: RunningReference,
                                                by_reference: bool, fmt: str) -> None:
    made = _offer(hooks, credential_configuration_id=fmt, tx_code=True, by_reference=by_reference)
    mark = wire_of(reference.state).mark()
    answer = (driver.receive_offer(credential_offer_uri=made["credential_offer_uri"], tx_code=made["tx_code"])
              if by_reference else driver.receive_offer(credential_offer=made["credential_offer"], tx_code=made["tx_code"]))
    assert answer.outcome == "stored", answer.body
    issued = [r for r in wire_of(reference.state).since(mark, path="/oid4vci/credential")]
    assert len(issued) == 1 and issued[0].status == 200
    sent = issued[0].response_json()["credentials"][0]["credential"]
    stored = driver.credentials().body
    assert [e["credential"] for e in stored] == [sent]
    token = wire_of(reference.state).since(mark, path="/oid4vci/token")[0].form()
    assert token["tx_code"] == made["tx_code"]


def test_missing_or_wrong_tx_code_stores_nothing(driver: HttpWalletDriver, hooks: httpx.Client) -> None:
    made = _offer(hooks, tx_code=True)
    assert driver.receive_offer(credential_offer=made["credential_offer"]).body["wallet_error"]["code"] == "tx_code_required"
    made = _offer(hooks, tx_code=True)
    wrong = "x" + made["tx_code"]
    answer = driver.receive_offer(credential_offer=made["credential_offer"], tx_code=wrong)
    assert answer.outcome == "error" and answer.body["wallet_error"]["code"] == "invalid_grant"
    assert driver.credentials().body == []


def test_issuer_mismatch_is_refused_before_the_token_endpoint(driver: HttpWalletDriver, hooks: httpx.Client,
                                                              reference: RunningReference) -> None:
    made = hooks.post("/oid4vci-impostor/offers").json()
    mark = wire_of(reference.state).mark()
    answer = driver.receive_offer(credential_offer=made["credential_offer"])
    assert answer.outcome == "rejected" and answer.body["wallet_error"]["code"] == "issuer_mismatch"
    assert wire_of(reference.state).since(mark, path="/.well-known/openid-credential-issuer/oid4vci-impostor")
    assert not wire_of(reference.state).since(mark, path="/oid4vci/token")


@pytest.mark.parametrize("prefix", ["redirect_uri", "decentralized_identifier"])
def test_presentation_is_bound_and_verified(driver: HttpWalletDriver, hooks: httpx.Client, reference: RunningReference,
                                            prefix: str) -> None:
    made = _offer(hooks, tx_code=False)
    assert driver.receive_offer(credential_offer=made["credential_offer"]).outcome == "stored"
    request = hooks.post("/oid4vp/requests", json={"client_id_prefix": prefix}).json()
    answer = driver.present(request_uri=request["request_uri"])
    assert answer.outcome == "submitted", answer.body
    assert answer.body["redirect_uri"]
    txn = store_of(reference.state).by_id(request["transaction_id"])
    assert txn is not None and txn.verified is True, txn.errors if txn else None


def test_no_match_declines_with_access_denied(driver: HttpWalletDriver, hooks: httpx.Client,
                                               reference: RunningReference) -> None:
    request = hooks.post("/oid4vp/requests", json={}).json()
    mark = wire_of(reference.state).mark()
    assert driver.present(request_uri=request["request_uri"]).outcome == "no_match"
    posted = wire_of(reference.state).since(mark, path="/oid4vp/responses")
    assert len(posted) == 1 and posted[0].form()["error"] == "access_denied" and "vp_token" not in posted[0].form()


def test_client_id_outside_the_request_object_is_refused(driver: HttpWalletDriver, hooks: httpx.Client,
                                                         reference: RunningReference) -> None:
    request = hooks.post("/oid4vp/requests", json={}).json()
    mark = wire_of(reference.state).mark()
    answer = driver.present(request_uri=request["request_uri"], client_id="redirect_uri:https://elsewhere.example/cb")
    assert answer.outcome == "rejected"
    assert not wire_of(reference.state).since(mark, path="/oid4vp/responses")


def test_reset_seed_imports_as_is(driver: HttpWalletDriver) -> None:
    assert driver.reset([{"format": "ldp_vc", "credential": {"id": "urn:x", "type": ["VerifiableCredential"]}}]).ok
    assert [e["credential"]["id"] for e in driver.credentials().body] == ["urn:x"]
    assert driver.reset().ok and driver.credentials().body == []


def test_wallet_only_talks_to_loopback(driver: HttpWalletDriver) -> None:
    answer = driver.receive_offer(credential_offer_uri="https://issuer.example/offer/1")
    assert answer.outcome == "error" and answer.body["wallet_error"]["code"] == "unreachable"


# -- the profile section -------------------------------------------------------------------------------
def _fail(where: str, problem: str) -> Exception:
    return ProfileError(f"{where}: {problem}")


def test_section_parses_and_claims() -> None:
    section = parse_section({"adapter_url": "https://w.example/lerconf/", "claims": {"formats": ["ldp_vc"], "dcql": False}},
                            _fail)
    assert section.adapter_url == "https://w.example/lerconf"
    assert not_claimed(section, "v", {"wallet", "oid4vci"}, {"format": "ldp_vc"}) is None
    assert not_claimed(section, "v", {"wallet", "oid4vci"}, {"format": "jwt_vc_json"}) == "wallet does not claim formats=jwt_vc_json"
    assert "dcql" in str(not_claimed(section, "v", {"wallet", "oid4vp"}, {}))
    assert not_claimed(None, "v", {"wallet"}, {}) == "v has no wallet section"


@pytest.mark.parametrize("raw", [None, {}, {"adapter_url": "ftp://x"}, {"adapter_url": "https://x", "extra": 1},
                                 {"adapter_url": "https://x", "claims": {"formats": ["mdoc"]}},
                                 {"adapter_url": "https://x", "claims": {"dcql": "yes"}}])
def test_section_errors(raw: Any) -> None:
    with pytest.raises(ProfileError):
        parse_section(raw, _fail)


def test_profile_with_only_a_wallet() -> None:
    profile = parse_profile({"name": "w", "wallet": {"adapter_url": "http://127.0.0.1:9/wallet"}}, "inline")
    assert profile.wallet is not None and "127.0.0.1:9" in profile.hosts
    assert profile.public_view()["wallet"]["adapter_url"] == "http://127.0.0.1:9/wallet"


def test_wallet_lifecycle_needs_a_wallet_the_vcapi_lifecycle_does_not() -> None:
    """features/lifecycle/wallet-*: the vendor is the wallet, so a vendor without one is not claimed."""
    from lerconf.profile.claims import not_claimed as scenario_not_claimed

    with_wallet = parse_profile({"name": "w", "wallet": {"adapter_url": "http://127.0.0.1:9/wallet"}}, "inline")
    issuer_only = parse_profile({"name": "i", "issuer": {"issue_url": "http://127.0.0.1:9/credentials/issue",
                                                    "id": "did:web:127.0.0.1%3A9"}}, "inline")
    wallet_lifecycle = {"role": "lifecycle", "tags": ["lifecycle", "oid4vci", "oid4vp", "LCW-02"], "example": {}}
    vcapi_lifecycle = {"role": "lifecycle", "tags": ["lifecycle", "vcapi", "BSL-10"], "example": {}}
    assert scenario_not_claimed(with_wallet, wallet_lifecycle) is None
    assert scenario_not_claimed(issuer_only, wallet_lifecycle) == "i has no wallet section"
    assert scenario_not_claimed(issuer_only, vcapi_lifecycle) is None
    assert scenario_not_claimed(with_wallet, vcapi_lifecycle) == "w has no VC API issuer, verifier or holder role"
    vendor_row = {**wallet_lifecycle, "example": {"verifier": "the vendor's verifier"}}
    assert scenario_not_claimed(with_wallet, vendor_row) == "w has no oid4vp_verifier section"
    no_hook = parse_profile({"name": "wv", "wallet": {"adapter_url": "http://127.0.0.1:9/wallet"},
                             "oid4vp_verifier": {"request_hook": "http://127.0.0.1:9/requests",
                                                 "verdict_from": "direct_post_status"}}, "inline")
    assert "no result hook" in str(scenario_not_claimed(no_hook, vendor_row))


def test_direct_post_jwt_is_claimed_separately() -> None:
    plain = parse_section({"adapter_url": "https://w.example/lerconf"}, _fail)
    both = parse_section({"adapter_url": "https://w.example/lerconf",
                          "claims": {"response_modes": ["direct_post", "direct_post.jwt"]}}, _fail)
    row = {"response_mode": "direct_post.jwt"}
    assert not_claimed(plain, "v", {"wallet", "oid4vp"}, row) == "wallet does not claim response_modes=direct_post.jwt"
    assert not_claimed(both, "v", {"wallet", "oid4vp"}, row) is None
    with pytest.raises(ProfileError):
        parse_section({"adapter_url": "https://w.example", "claims": {"response_modes": ["fragment"]}}, _fail)


def test_x509_prefixes_are_claimed_and_bring_the_test_ca() -> None:
    default = parse_section({"adapter_url": "https://w.example/lerconf"}, _fail)
    assert default.claims.client_id_prefixes == ("redirect_uri", "decentralized_identifier") and not default.claims.x509
    row = {"client_id_prefix": "x509_san_dns"}
    assert not_claimed(default, "v", {"wallet", "oid4vp"}, row) == "wallet does not claim client_id_prefixes=x509_san_dns"
    x509 = parse_section({"adapter_url": "https://w.example/lerconf",
                          "claims": {"client_id_prefixes": ["redirect_uri", "x509_san_dns"]}}, _fail)
    assert x509.claims.x509 and not_claimed(x509, "v", {"wallet", "oid4vp"}, row) is None


def test_reference_wallet_reset_takes_pem_trust_anchors_only(driver: HttpWalletDriver) -> None:
    from lerconf.refimpl.oid4vp.x509 import verifier_certificates

    assert driver.reset(trust_anchors=[verifier_certificates().ca_pem]).exchange.status == 204
    assert driver.reset(trust_anchors=["/etc/passwd"]).exchange.status == 400  # never a file path
    assert driver.reset(trust_anchors=["-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----"]).exchange.status == 400


def test_wire_records_name_the_access_token_only_by_its_digest(reference: RunningReference) -> None:
    """Credential requests are tied to the token lerconf issued in the scenario; the log keeps
    only the token's sha256, never the token."""
    log = wire_of(reference.state)
    mark = log.mark()
    with httpx.Client(trust_env=False) as client:
        client.post(reference.base_url + "/oid4vci/credential", json={}, headers={"Authorization": "Bearer s3cret-token"})
    record = log.since(mark, path="/oid4vci/credential")[-1]
    assert record.token_sha256 == token_digest("s3cret-token") != ""
    assert "s3cret-token" not in repr(record) and "s3cret-token" not in json.dumps(record.to_evidence())


def test_wire_evidence_never_shows_a_token_requests_grant_secrets(reference: RunningReference) -> None:
    log = wire_of(reference.state)
    mark = log.mark()
    with httpx.Client(trust_env=False) as client:
        client.post(reference.base_url + "/oid4vci/token", data={
            "grant_type": "authorization_code", "code": "auth-code-123456", "code_verifier": "verifier-abcdefghijkl",
            "redirect_uri": "lerconf-wallet://cb", "client_id": "w"})
    shown = log.since(mark, path="/oid4vci/token")[-1].to_evidence()
    assert shown["body"]["code"] == shown["body"]["code_verifier"] == "[REDACTED]"
    assert shown["body"]["client_id"] == "w" and "auth-code-123456" not in json.dumps(shown)
