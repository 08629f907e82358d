"""The wallet in VCALM exchanges (role ``vcalm_wallet``): lerconf's embedded reference runs an
issuing exchange (``issue-badge``) or a verifying one (``verify-badge``, lerconf.refimpl.exchanges),
hands its interaction URL to the wallet under test (the adapter's ``POST /interactions``, or the
operator's QR code in manual mode), and reads what its exchange endpoints received from the
reference's wire log. What the adapter reports is evidence only; the verdicts are in
:mod:`lerconf.scenarios.vcalm_wallet_judge`.

A prerequisite the wallet does not meet (no adapter operation, no badge obtained, nothing sent)
makes a scenario broken or not claimed, never passed or failed.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette

from lerconf import entropy
from lerconf.checks.vcalm_wallet import presented_credentials
from lerconf.clients.wallet_adapter import WalletAnswer, WalletDriver
from lerconf.documents.templates import clr2_credential
from lerconf.evidence import Evidence
from lerconf.protocol.wire_record import WireRecord
from lerconf.refimpl.exchanges import ExchangeStore
from lerconf.refimpl.exchanges.store import ExchangeRecord
from lerconf.refimpl.exchanges.workflows import ISSUING, VERIFYING
from lerconf.refimpl.issuer import issue_credential
from lerconf.refimpl.validation import parse_issue_request
from lerconf.refimpl.wire import MAX_BODY, WireLog, wire_of
from lerconf.scenarios.wallet_driver import driver_for, observe, own_json, reset_wallet, url_path
from lerconf.verdicts import Broken, NotClaimed

if TYPE_CHECKING:
    from lerconf.scenarios.harness import Harness, VendorUnderTest

__all__ = ["EXCHANGE_WORKFLOWS", "Ready", "WalletExchange", "exchange_for", "hold_exchange_badge", "ready_for", "ready_holding_unrequested",
           "run_exchange", "unrequested_credential"]

#: the Scenario Outline's ``exchange`` column -> lerconf's reference workflow
EXCHANGE_WORKFLOWS = {"issuing": ISSUING, "verifying": VERIFYING}
#: answers of an adapter that has no POST /interactions (501 by contract; 404/405 from one written before it)
NOT_SUPPORTED = (501, 404, 405)


@dataclass
class WalletExchange:
    """One exchange lerconf ran for the wallet, the adapter's answer, and what lerconf's endpoints received."""

    workflow: str
    exchange_id: str
    exchange_url: str = field(repr=False)
    interaction_url: str = field(repr=False)
    driver: WalletDriver = field(repr=False)
    answer: WalletAnswer | None = None
    wire: list[WireRecord] = field(default_factory=list, repr=False)
    log: WireLog | None = field(default=None, repr=False)
    mark: int = 0
    #: the badge lerconf's issuing exchange gave the wallet before (verifying exchanges)
    badge: Mapping[str, Any] | None = field(default=None, repr=False)
    #: how many credentials the wallet holds that the verifying exchange does not ask for
    unrequested: int = 0

    def refresh(self) -> None:
        """Re-read the wire: requests that came after the driver returned count too."""
        if self.log is not None:
            self.wire = self.log.since(self.mark)
        self.whole()

    def whole(self) -> None:
        """Every step of the wallet's is on the wire whole: the wire keeps the first MAX_BODY bytes
        of a body, so a larger step cannot be judged (broken, saying so; never a wrong verdict)."""
        cut = [r for r in self.posts if len(r.body) >= MAX_BODY and r.json() is None]
        if cut:
            raise Broken(f"the wallet sent lerconf's exchange a step larger than the {MAX_BODY // 1024} KB lerconf "
                         "keeps of it, so what it presented cannot be judged")

    @property
    def interaction_reads(self) -> list[WireRecord]:
        return [r for r in self.wire if r.method == "GET" and r.path == url_path(self.interaction_url)]

    @property
    def posts(self) -> list[WireRecord]:
        """The wallet's steps: POSTs to this exchange's URL, in order."""
        return [r for r in self.wire if r.method == "POST" and r.path == url_path(self.exchange_url)]

    @property
    def presentations(self) -> list[tuple[WireRecord, Mapping[str, Any]]]:
        """The steps that carried a presentation object, with it."""
        out = []
        for r in self.posts:
            body = r.json()
            vp = body.get("verifiablePresentation") if isinstance(body, Mapping) else None
            if isinstance(vp, Mapping):
                out.append((r, vp))
        return out

    def request(self) -> Mapping[str, Any] | None:
        """The verifiablePresentationRequest lerconf's exchange served the wallet (the last one before its answer)."""
        served = [r.response_json() for r in self.wire if r.status == 200 and r.path.startswith(url_path(self.exchange_url))]
        vprs = [b["verifiablePresentationRequest"] for b in served
                if isinstance(b, Mapping) and isinstance(b.get("verifiablePresentationRequest"), Mapping)]
        return vprs[-1] if vprs else None

    def issued(self) -> list[Any]:
        """The credentials lerconf's issuing exchange returned to the wallet in this exchange."""
        out: list[Any] = []
        for record, _ in self.presentations:
            body = record.response_json() if record.status == 200 else None
            vp = body.get("verifiablePresentation") if isinstance(body, Mapping) else None
            out += presented_credentials(vp)
        return out

    def presented(self) -> list[Any]:
        """The credentials of the wallet's first presentation."""
        return presented_credentials(self.presentations[0][1]) if self.presentations else []


def exchange_store(harness: Harness) -> ExchangeStore:
    """The embedded reference's exchange store (made by its first exchange)."""
    app = harness.reference.server.config.app
    store = getattr(app.state, "vcalm_exchanges", None) if isinstance(app, Starlette) else None
    if not isinstance(store, ExchangeStore):
        raise RuntimeError("lerconf's embedded reference has no VCALM exchange store")
    return store


def exchange_record(harness: Harness, exchange: WalletExchange) -> ExchangeRecord | None:
    """What lerconf's exchange recorded (its state and result)."""
    return exchange_store(harness).get(exchange.exchange_id)


def run_exchange(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, driver: WalletDriver, exchange: str,
                 *, badge: Mapping[str, Any] | None = None, unrequested: int = 0) -> WalletExchange:
    """A fresh exchange of lerconf's ``issuing`` or ``verifying`` workflow, its interaction URL
    handed to the wallet; collects what lerconf's exchange endpoints received."""
    made = own_json(harness, f"/workflows/{EXCHANGE_WORKFLOWS[exchange]}/exchanges", {})
    ran = WalletExchange(EXCHANGE_WORKFLOWS[exchange], str(made["id"]), str(made["exchangeUrl"]),
                         str(made["interactionUrl"]), driver, badge=badge, unrequested=unrequested)
    ran.log = wire_of(harness.reference.state)
    ran.mark = ran.log.mark()
    try:
        answer = driver.process_interaction(ran.interaction_url)
    except NotImplementedError as exc:
        raise NotClaimed(f"the wallet driver cannot take part in a VCALM exchange ({exc})") from None
    if answer.exchange.status in NOT_SUPPORTED:
        raise NotClaimed(f"the wallet adapter does not support POST /interactions (HTTP {answer.exchange.status}), "
                         "so it cannot be given a VCALM interaction URL")
    ran.answer = answer
    ran.wire = observe(ran.log, ran.mark, evidence, answer)
    ran.whole()
    evidence.notes.append(f"lerconf's {exchange} exchange {ran.exchange_id}: interaction URL handed to the wallet")
    if not answer.ok and not ran.wire:
        raise Broken(f"the wallet adapter gave no usable answer to POST /interactions ({answer.exchange.reason}) "
                     "and lerconf's exchange received nothing")
    return ran


def start(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, *,
          seed: list[Mapping[str, Any]] | None = None) -> WalletDriver:
    """The vendor's wallet driver, the wallet reset (with ``seed`` imported, when given)."""
    section = vendor.profile.vcalm_wallet
    if section is None:
        raise NotClaimed(f"{vendor.name} has no vcalm_wallet section")
    driver = driver_for(vendor)
    if seed:
        answer = driver.reset(seed=seed)
        driver.reset_unsupported = answer.not_supported
        if not answer.ok:
            raise NotClaimed("the wallet cannot be given a credential the request does not ask for (POST /reset with a "
                             f"seed: {answer.exchange.reason}), so presenting only what was asked cannot be judged")
    else:
        reset_wallet(driver, vendor)
    return driver


def unrequested_credential(harness: Harness) -> dict[str, Any]:
    """A CLR 2.0 credential signed by lerconf's issuer: one the verifying exchange's QueryByExample
    (an Open Badge) does not ask for, so a wallet holding it must not present it (LCX-06)."""
    state = harness.reference.state
    clr = clr2_credential(state.issuer_id, "did:example:learner-7c1f0a", [], credential_id=f"urn:uuid:{entropy.uuid4()}")
    return issue_credential(state, parse_issue_request({"credential": clr}, state.issuer_id))


def hold_exchange_badge(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, *,
                        with_unrequested: bool = False) -> tuple[WalletExchange, Mapping[str, Any]]:
    """Prerequisite of presenting: the wallet (reset; holding a credential the verifier will not ask
    for, when ``with_unrequested``) obtains a badge from lerconf's issuing exchange (else broken)."""
    seed: list[Mapping[str, Any]] | None = (
        [{"format": "ldp_vc", "credential": unrequested_credential(harness)}] if with_unrequested else None)
    driver = start(harness, vendor, evidence, seed=seed)
    issuance = run_exchange(harness, vendor, evidence, driver, "issuing")
    badges = [c for c in issuance.issued() if isinstance(c, Mapping)]
    if not badges:
        raise Broken("prerequisite: the wallet did not obtain a badge from lerconf's issuing exchange "
                     f"(adapter outcome {issuance.answer.outcome if issuance.answer else None!r}; "
                     f"{len(issuance.posts)} step(s) received): presenting it cannot be tested")
    evidence.keep("badge issued by lerconf's exchange", badges[0])
    if seed:
        evidence.notes.append("the wallet also holds a CLR credential lerconf issued, which the verifier does not ask for")
    return issuance, badges[0]


@dataclass
class Ready:
    """The wallet before lerconf's exchange: its driver and, for a verifying exchange, the badge it holds."""

    driver: WalletDriver = field(repr=False)
    badge: Mapping[str, Any] | None = field(default=None, repr=False)
    unrequested: int = 0


def ready_for(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, exchange: str) -> Ready:
    """An empty wallet for an issuing exchange; one holding lerconf's exchange-issued badge for a verifying one."""
    if exchange == "issuing":
        return Ready(start(harness, vendor, evidence))
    issuance, badge = hold_exchange_badge(harness, vendor, evidence)
    return Ready(issuance.driver, badge)


def ready_holding_unrequested(harness: Harness, vendor: VendorUnderTest, evidence: Evidence) -> Ready:
    """A wallet holding lerconf's exchange-issued badge and a CLR credential the verifier does not ask for."""
    issuance, badge = hold_exchange_badge(harness, vendor, evidence, with_unrequested=True)
    return Ready(issuance.driver, badge, unrequested=1)


def exchange_for(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, ready: Ready, exchange: str) -> WalletExchange:
    """lerconf's ``exchange`` run with the ready wallet."""
    return run_exchange(harness, vendor, evidence, ready.driver, exchange, badge=ready.badge, unrequested=ready.unrequested)
