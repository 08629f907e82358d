"""How the wallet scenarios drive the wallet under test and read lerconf's own endpoints.

lerconf plays the issuer and the verifier on its embedded reference. It asks the wallet (through
its :class:`~lerconf.clients.wallet_adapter.WalletDriver`: the HTTP adapter, or the operator in
manual mode) to take an offer or answer a request, and reads what its own endpoints received
from the reference's wire log. What the adapter reports is evidence only.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from lerconf.clients.manual.driver import manual_driver
from lerconf.clients.wallet_adapter import HttpWalletDriver, WalletAnswer, WalletDriver
from lerconf.evidence import Evidence
from lerconf.outcome import Outcome
from lerconf.protocol.wire_record import WireRecord
from lerconf.refimpl.oid4vp.x509 import verifier_certificates
from lerconf.refimpl.wire import WireLog
from lerconf.verdicts import Broken

if TYPE_CHECKING:
    from lerconf.scenarios.harness import Harness, VendorUnderTest

__all__ = ["driver_for", "observe", "own_json", "reset_wallet", "url_path"]


def url_path(url: str) -> str:
    """The path of ``url`` (how the wire log names an endpoint)."""
    return urlsplit(url).path


def driver_for(vendor: VendorUnderTest, scenario: str | None = None) -> WalletDriver:
    """The vendor's wallet driver: its HTTP adapter, or the operator in manual mode (one per run)."""
    section = vendor.profile.wallet
    if section is None:
        raise Broken(f"prerequisite: {vendor.name} has no wallet section")
    if section.manual:
        return manual_driver(vendor, section)
    return HttpWalletDriver(vendor.http, str(section.adapter_url), scenario=scenario)


def reset_wallet(driver: WalletDriver, vendor: VendorUnderTest) -> None:
    """Forget everything; a wallet claiming x509 client_id prefixes is told to trust lerconf's
    test CA (the one its verifier's request-object certificates chain to)."""
    section = vendor.profile.wallet
    anchors = None
    if section is not None and section.claims.x509:
        anchors = [verifier_certificates().ca_pem]
    answer = driver.reset(trust_anchors=anchors)
    driver.reset_unsupported = answer.not_supported
    if answer.not_supported and anchors:
        raise Broken("prerequisite: the wallet claims x509 client_id prefixes but cannot take lerconf's test CA "
                     "(POST /reset answers 501)")
    if not answer.ok and not answer.not_supported:
        raise Broken(f"prerequisite: the wallet adapter's POST /reset failed: {answer.exchange.reason}")


def own_json(harness: Harness, path: str, body: Mapping[str, Any]) -> Mapping[str, Any]:
    """A call to lerconf's own embedded issuer/verifier test hooks (unredacted answer)."""
    raw: list[Any] = []
    exchange = harness.own.http.request("POST", harness.reference.base_url + path, json_body=dict(body), keep_json=raw)
    if exchange.outcome is not Outcome.ACCEPTED or not raw or not isinstance(raw[0], Mapping):
        raise RuntimeError(f"lerconf's embedded reference gave no answer at {path}: {exchange.reason}")
    return raw[0]


def observe(wire: WireLog, mark: int, evidence: Evidence, answer: WalletAnswer) -> list[WireRecord]:
    """What lerconf's endpoints received since ``mark``, kept as evidence with the adapter's answer."""
    records = wire.since(mark)
    evidence.keep(f"received by lerconf's endpoints {len(evidence.documents)}", [r.to_evidence() for r in records])
    evidence.notes.append(f"the wallet adapter reported {answer.outcome!r}"
                          + (f" ({dict(answer.wallet_error)})" if answer.wallet_error else "") + " (evidence only)")
    return records
