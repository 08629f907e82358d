"""Manual wallet mode: a person with the wallet plays the adapter operations.

For wallets without an adapter (phone apps), :class:`ManualWalletDriver` shows each offer or
request URI, or a VCALM exchange's interaction URL, as a QR code, in the terminal (segno, compact) and on a local operator page
(:mod:`lerconf.clients.manual.page`), with the tx_code beside it, never inside it: the tx_code
is a second channel (OID4VCI §3.5). It then waits until lerconf's own endpoints show the flow
finished (the credential endpoint issued, the response_uri received a response, the exchange
received the wallet's presentation), the operator
answers on the page, or the step's timeout passes.

The wire decides: the driver's answer is evidence only, like an adapter's. A timeout breaks
the scenario (silence is no verdict); "skip" leaves it not run. What the operator reports, with
screenshots, goes into the scenario's evidence labelled as operator evidence. What cannot be
automated says so: ``credentials()`` answers 501 (the wallet's storage is not readable), and
``reset()`` asks the operator to clear the wallet only when lerconf issued it something since
the last confirmation.
"""
from __future__ import annotations

import contextlib
import io
import json
import sys
import time
import weakref
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TextIO, cast
from urllib.parse import urlencode, urlsplit

import segno

from lerconf.clients.manual.page import PageServer, start_page
from lerconf.clients.manual.session import ManualSession, Step
from lerconf.clients.wallet_adapter import WalletAnswer, WalletDriver
from lerconf.evidence import CURRENT_EVIDENCE
from lerconf.exchange import Exchange
from lerconf.outcome import Outcome, classify_status
from lerconf.protocol.wire_record import WireRecord
from lerconf.redact import redact_json
from lerconf.refimpl.oid4vp import store_of
from lerconf.refimpl.server import reference_serving
from lerconf.refimpl.wire import wire_of
from lerconf.verdicts import Broken

if TYPE_CHECKING:
    from lerconf.profile.wallet import WalletSection
    from lerconf.refimpl.state import ReferenceState

__all__ = ["ManualWalletDriver", "manual_driver", "terminal"]

#: how long lerconf keeps watching the wire after the operator reports a wallet error
ERROR_GRACE_S = 2.0
OFFER_SCHEME = "openid-credential-offer://"
REQUEST_SCHEME = "openid4vp://"
ENDED = {
    "wire": "the flow finished on lerconf's endpoints",
    "error": "the operator reported that the wallet showed an error",
    "done": "the operator reported that the wallet succeeded",
    "skip": "the operator skipped the step",
    "timeout": "no finished flow on lerconf's endpoints and no operator answer before the timeout",
}
#: fixed-port operator pages of this process, so a later run can take the port over
_PAGES: dict[int, PageServer] = {}


#: how to reach the operator's stderr past pytest's capture while a scenario runs (set_operator_writer)
_OPERATOR_WRITER: list[Callable[[str], None]] = []


def set_operator_writer(writer: Callable[[str], None] | None) -> None:
    """The run's way to write to the real stderr during a scenario (lerconf.run.plugin suspends
    pytest's capture for it), for a process without a terminal (a CI job, its own session)."""
    _OPERATOR_WRITER.clear()
    if writer is not None:
        _OPERATOR_WRITER.append(writer)


class _OperatorStream(io.TextIOBase):
    """A text stream onto the operator writer; close() leaves the real stderr open."""

    def __init__(self, writer: Callable[[str], None]) -> None:
        self._writer = writer

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._writer(text)
        return len(text)

    def close(self) -> None:
        """Nothing to close: the stream is the process's stderr."""


def terminal() -> TextIO:
    """The operator's terminal: /dev/tty, since pytest captures a scenario's stdout and stderr; without
    one, the real stderr through the run's operator writer (else, outside a run, sys.__stderr__)."""
    try:
        return open("/dev/tty", "w", encoding="utf-8")  # closed by the driver
    except OSError:
        if _OPERATOR_WRITER:
            return cast(TextIO, _OperatorStream(_OPERATOR_WRITER[0]))
        return sys.__stderr__ or sys.stderr


def _issued(records: list[WireRecord]) -> bool:
    """lerconf's credential endpoint answered with a credential (1.0 ``credentials`` or draft ``credential``)."""
    for r in records:
        if r.method == "POST" and r.path.endswith("/credential") and r.status == 200:
            body = r.response_json()
            if isinstance(body, Mapping) and (body.get("credentials") or body.get("credential")):
                return True
    return False


def _responded(records: list[WireRecord]) -> bool:
    """lerconf's response_uri received the wallet's response (a vp_token or an error)."""
    return any(r.method == "POST" and r.path.endswith("/oid4vp/responses") for r in records)


def _exchanged(records: list[WireRecord]) -> bool:
    """lerconf's VCALM exchange received the wallet's presentation (its answer to the request)."""
    for r in records:
        body = r.json() if r.method == "POST" and r.path.startswith("/workflows/") else None
        if isinstance(body, Mapping) and "verifiablePresentation" in body:
            return True
    return False


class ManualWalletDriver(WalletDriver):
    """The WalletDriver of a wallet tested by hand (see the module docstring)."""

    def __init__(self, session: ManualSession, page: PageServer | None, *, timeout_s: float = 180.0,
                 out: TextIO | None = None, lookup: Callable[[str], ReferenceState | None] = reference_serving) -> None:
        self.session, self.page, self.timeout_s = session, page, timeout_s
        self._own_out = out is None
        self.out = out if out is not None else terminal()
        self.lookup = lookup
        #: whether the wallet may hold a credential from lerconf (unknown at first, so True)
        self.may_hold = True
        self._warned_loopback = False

    def __repr__(self) -> str:
        return f"ManualWalletDriver({self.page.url if self.page else 'no page'!r})"

    def close(self) -> None:
        if self.page is not None:
            self.page.stop()
            if _PAGES.get(self.page.port) is self.page:
                del _PAGES[self.page.port]
        if self._own_out and self.out not in (sys.__stderr__, sys.stderr):
            self.out.close()

    # -- the five operations ------------------------------------------------------------------
    def capabilities(self) -> WalletAnswer:
        info = self.session.info
        body = {"wallet": {"name": info.get("wallet") or "wallet under test (manual)", "device": info.get("device", "")},
                "mode": "manual", "consent": "operator"}
        return self._answer("GET", "capabilities", 200, body, "manual mode: capabilities come from the profile's claims")

    def receive_offer(self, *, credential_offer_uri: str | None = None,
                      credential_offer: Mapping[str, Any] | None = None, tx_code: str | None = None) -> WalletAnswer:
        if (credential_offer_uri is None) == (credential_offer is None):
            raise ValueError("give exactly one of credential_offer_uri and credential_offer")
        if credential_offer_uri is not None:
            uri = OFFER_SCHEME + "?" + urlencode({"credential_offer_uri": credential_offer_uri})
            shown, where = uri, credential_offer_uri
        else:
            offer = dict(credential_offer or {})
            uri = OFFER_SCHEME + "?" + urlencode({"credential_offer": json.dumps(offer, separators=(",", ":"))})
            # by value the offer carries the pre-authorized code: the evidence keeps it redacted
            shown = OFFER_SCHEME + "?" + urlencode({"credential_offer": json.dumps(redact_json(offer))})
            where = str(offer.get("credential_issuer", ""))
        step, how = self._run("offer", "scan the credential offer with the wallet",
                              "Scan the QR code with the wallet under test (or open the link on this device), "
                              "accept the badge, and type the transaction code when the wallet asks for it.",
                              uri, tx_code, where, _issued, shown)
        if _issued(step.received()):
            self.may_hold = True
        return self._finished(step, how, "stored", shown)

    def present(self, *, request_uri: str | None = None, request: str | None = None,
                client_id: str | None = None) -> WalletAnswer:
        if (request_uri is None) == (request is None):
            raise ValueError("give exactly one of request_uri and request")
        state = self.lookup(request_uri) if request_uri is not None else None
        client_id = client_id or (_client_id(state, request_uri) if state is not None and request_uri else None)
        params = {"client_id": client_id} if client_id else {}
        params.update({"request_uri": request_uri} if request_uri is not None else {"request": str(request)})
        uri = REQUEST_SCHEME + "?" + urlencode(params)
        step, how = self._run("presentation", "scan the presentation request with the wallet",
                              "Scan the QR code with the wallet under test and share what it asks for; if the wallet "
                              "holds nothing that matches or refuses the request, let it say so.",
                              uri, None, request_uri or "", _responded, uri)
        return self._finished(step, how, "submitted", uri)

    def process_interaction(self, interaction_url: str) -> WalletAnswer:
        """A VCALM exchange: its interaction URL as a QR code (a wallet that scans it reads the
        exchange's protocols and takes part); done when lerconf's exchange received a presentation."""
        step, how = self._run("interaction", "scan the exchange's QR code with the wallet",
                              "Scan the QR code with the wallet under test (or open the link on this device), then "
                              "let the wallet prove who it is and accept the badge, or share what it asks for.",
                              interaction_url, None, interaction_url, _exchanged, interaction_url)
        if step.wire is not None and any(r.status == 200 and r.path.startswith("/workflows/issue-badge/")
                                         for r in step.received() if r.method == "POST"):
            self.may_hold = True
        return self._finished(step, how, "submitted", interaction_url)

    def credentials(self) -> WalletAnswer:
        return self._answer("GET", "credentials", 501, {"error": "not_supported"},
                            "manual mode: lerconf cannot read what the wallet stored (not automated)")

    def reset(self, seed: list[Mapping[str, Any]] | None = None, trust_anchors: list[str] | None = None) -> WalletAnswer:
        """Ask the operator to clear the wallet (``trust_anchors``: a wallet tested by hand trusts
        what its operator installed; lerconf cannot hand it a CA)."""
        if seed:
            return self._answer("POST", "reset", 501, {"error": "not_supported"},
                                "manual mode: lerconf cannot import credentials into the wallet")
        if not self.may_hold:
            return self._answer("POST", "reset", 204, None,
                                "manual mode: the operator confirmed the wallet empty and lerconf issued it nothing since")
        step, how = self._run("reset", "clear the wallet",
                              "Delete every credential lerconf issued from the wallet under test (lerconf cannot do "
                              "this itself), then press 'Done'. If it cannot be done, press 'Wallet showed an error'.",
                              None, None, "", lambda records: False, None)
        if how == "done":
            self.may_hold = False
            return self._answer("POST", "reset", 204, None, "manual mode: the operator cleared the wallet")
        if how == "timeout":
            return self._answer("POST", "reset", 408, None,
                                f"manual mode: the operator did not confirm a cleared wallet within {self.timeout_s:.0f} s")
        return self._answer("POST", "reset", 409, None,
                            f"manual mode: the operator could not clear the wallet ({step.message or 'no message'})")

    # -- steps --------------------------------------------------------------------------------
    def _run(self, kind: str, title: str, instructions: str, uri: str | None, tx_code: str | None, where: str,
             finished: Callable[[list[WireRecord]], bool], shown: str | None) -> tuple[Step, str]:
        state = self.lookup(where) if where else None
        step = self.session.begin(kind, title, instructions, uri=uri, tx_code=tx_code, timeout_s=self.timeout_s,
                                  wire=wire_of(state) if state is not None else None)
        self._announce(step, where)
        how = self.session.wait(step, finished)
        if how == "error" and step.wire is not None:
            # the operator saw an error screen: keep watching a moment, so a request the wallet sends
            # anyway (after the screen, or retried) is on the wire when the scenario is judged
            time.sleep(ERROR_GRACE_S)
        self._evidence(step, how, shown)
        self._print(f"lerconf: step {step.id} ended: {ENDED.get(how, how)}")
        if how == "skip":  # not tested is not "not claimed": the verdict stays incomplete
            received = len(step.received()) if step.wire is not None else 0
            raise Broken(f"not run: the operator skipped manual step {step.id} ({kind})"
                               + (f" after lerconf's endpoints had received {received} request(s)" if received else ""))
        return step, how

    def _finished(self, step: Step, how: str, success: str, shown: str) -> WalletAnswer:
        if how == "timeout":
            raise Broken(f"manual mode: {ENDED['timeout']} ({self.timeout_s:.0f} s, step {step.id}, {step.kind})")
        body: dict[str, Any] = {"outcome": "error" if how == "error" else success, "notes": ENDED.get(how, how)}
        if how == "error":
            body["wallet_error"] = {"code": "operator_reported", "message": step.message}
        return self._answer("POST", step.kind, 200, body, f"manual mode: {ENDED.get(how, how)}", {"uri": shown})

    def _answer(self, method: str, operation: str, status: int, body: Any, reason: str,
                request: Any = None) -> WalletAnswer:
        where = (self.page.url if self.page is not None else "manual:") + "#" + operation
        outcome = Outcome.ACCEPTED if status in (200, 204) else classify_status(status)
        return WalletAnswer(Exchange(method, where, {}, request, outcome, reason, status, json=body), body)

    # -- terminal and evidence ------------------------------------------------------------------
    def _print(self, text: str) -> None:
        try:
            self.out.write(text + "\n")
            self.out.flush()
        except (OSError, ValueError):
            pass

    def _announce(self, step: Step, where: str) -> None:
        lines = [f"\nlerconf manual wallet test, step {step.id}: {step.title}", f"  {step.instructions}"]
        self._print("\n".join(lines))
        if step.uri:
            with contextlib.suppress(OSError, ValueError):
                segno.make(step.uri, error="m").terminal(out=self.out, compact=True)
            self._print(f"  URI: {step.uri}")
            host = urlsplit(where).hostname or ""
            if host in ("127.0.0.1", "localhost", "::1") and not self._warned_loopback:
                self._warned_loopback = True
                self._print("  note: lerconf advertises a loopback address; a wallet on another device cannot reach it "
                            "(use --public-base-url with a tunnel, see README 'Testing a wallet by hand')")
        if step.tx_code:
            self._print(f"  transaction code (type it when the wallet asks; it is not in the QR code): {step.tx_code}")
        if self.page is not None:
            self._print(f"  operator page: {self.page.url}")
        self._print(f"  waiting up to {self.timeout_s:.0f} s for lerconf's endpoints or the operator ...")

    def _evidence(self, step: Step, how: str, shown: str | None) -> None:
        """Operator evidence into the current scenario's evidence (notes, a document, Allure images)."""
        evidence = CURRENT_EVIDENCE.get()
        if evidence is None:
            return
        said = f": {step.message!r}" if step.message else ""
        shots = f"; {len(step.screenshots)} screenshot(s)" if step.screenshots else ""
        evidence.notes.append(f"operator evidence (never decides the verdict), manual step {step.id} ({step.kind}): "
                              f"{ENDED.get(how, how)}{said}{shots}")
        evidence.keep(f"operator evidence: manual step {step.id} ({step.kind})", {
            "evidence": "operator (manual mode); never decides the verdict",
            "step": step.id, "kind": step.kind, "title": step.title, "qr_payload": shown,
            "transaction_code_shown_separately": step.tx_code is not None,
            "page": f"http://127.0.0.1:{self.page.port}/" if self.page is not None else None,  # never the token
            "started": datetime.fromtimestamp(step.started, UTC).isoformat(timespec="seconds"),
            "ended_by": how, "operator_message": step.message, "session": dict(self.session.info),
            "received_by_lerconf": step.timeline(),
            "screenshots": [s.to_evidence() for s in step.screenshots],
        })
        _attach_images(step)


def _attach_images(step: Step) -> None:
    try:
        import allure
    except ImportError:  # pragma: no cover - allure-pytest-bdd is a test dependency
        return
    kinds = {"image/png": allure.attachment_type.PNG, "image/jpeg": allure.attachment_type.JPG,
             "image/gif": allure.attachment_type.GIF}
    for i, shot in enumerate(step.screenshots):
        kind = kinds.get(shot.content_type)
        if kind is not None:
            allure.attach(shot.data, name=f"operator screenshot, manual step {step.id} ({i + 1})", attachment_type=kind)


def _client_id(state: ReferenceState, request_uri: str) -> str | None:
    """The client_id the invocation URI names (OID4VP §5.10: given with request_uri), from lerconf's verifier."""
    try:
        txn = store_of(state).by_id(request_uri.rstrip("/").rsplit("/", 1)[-1])
    except Exception:
        return None
    value = getattr(txn, "outer_client_id", None) or getattr(txn, "client_id", None)
    return str(value) if value else None


#: one manual driver per vendor under test (keyed by the vendor object's id while it lives)
_DRIVERS: dict[int, ManualWalletDriver] = {}


def manual_driver(vendor: object, section: WalletSection) -> ManualWalletDriver:
    """The vendor's manual driver, one per vendor and run: its page and what it knows of the wallet persist."""
    driver = _DRIVERS.get(id(vendor))
    if driver is not None:
        return driver
    if section.page_port and section.page_port in _PAGES:  # an earlier run's page in this process
        _PAGES.pop(section.page_port).stop()
    session = ManualSession()
    page = start_page(session, section.page_port)
    if section.page_port:
        _PAGES[section.page_port] = page
    driver = ManualWalletDriver(session, page, timeout_s=section.timeout_s)
    driver._print(f"lerconf: manual wallet mode; operator page at {page.url}")
    _DRIVERS[id(vendor)] = driver
    weakref.finalize(vendor, _forget, id(vendor))
    return driver


def _forget(key: int) -> None:
    driver = _DRIVERS.pop(key, None)
    if driver is not None:
        driver.close()
