"""W-VP scenarios: lerconf's embedded verifier makes a fresh DCQL request, hands its request_uri to
the wallet under test, and the wallet is judged by what lerconf's response_uri received and what
lerconf's verifier decided (checks in :mod:`lerconf.checks.wallet_presentation`), never by what
the wallet reports.

A prerequisite the wallet does not meet (it never fetched the request object, posted nothing)
makes a scenario broken (not run), never passed or failed.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from lerconf.checks import wallet_presentation as checks
from lerconf.checks.wallet_presentation import presented_item
from lerconf.clients.wallet_adapter import WalletAnswer, WalletDriver
from lerconf.evidence import Evidence
from lerconf.protocol.wire_record import WireRecord
from lerconf.refimpl.oid4vp import QUERY_ID, open_response, store_of
from lerconf.refimpl.wire import WireLog, wire_of
from lerconf.results import CheckResult, Status
from lerconf.scenarios.expect import under_positive_control
from lerconf.scenarios.wallet_driver import observe, own_json
from lerconf.scenarios.wallet_issuance import WalletIssuance, issued_credentials
from lerconf.verdicts import Broken, NotClaimed

if TYPE_CHECKING:
    from lerconf.scenarios.harness import Harness, VendorUnderTest

__all__ = ["PRESENTATION_REQUIREMENTS", "WalletPresentation", "ask", "ask_with_foreign_response_uri", "prefix_for", "request"]

RESPONSES_PATH = "/oid4vp/responses"
#: the client_id prefix lerconf's verifier uses when a scenario does not name one: the first the
#: wallet claims, in this order (signed requests first: they are the common deployment)
PREFIX_PREFERENCE = ("decentralized_identifier", "redirect_uri", "x509_san_dns", "x509_hash")
#: why a request is one the wallet must refuse, by the verifier option that made it so (VP-11)
REFUSAL_REASONS = {"require_signed": "the request is not signed as its client_id requires",
                   "client_id_mismatch": "the two client_ids differ",
                   "foreign_response_uri": "the response_uri is not on the host its x509_san_dns client_id names"}


@dataclass
class WalletPresentation:
    """One request lerconf's verifier made, the adapter's answer, and what lerconf's endpoints received."""

    request: Mapping[str, Any] = field(repr=False)  # the test hook's answer: request_uri, client_id, transaction_id
    nonce: str = field(repr=False)
    state: str = field(repr=False)
    options: Mapping[str, Any] = field(default_factory=dict)  # what the verifier's test hook was asked for
    issued: list[Any] = field(default_factory=list, repr=False)  # what lerconf's issuer gave the wallet before
    answer: WalletAnswer | None = None
    wire: list[WireRecord] = field(default_factory=list, repr=False)
    log: WireLog | None = field(default=None, repr=False)
    mark: int = 0
    #: the same wallet asked again, in a fresh transaction, under the same client_id prefix but
    #: without the options that make the request one to refuse (the positive control of VP-11/VP-12)
    again: Callable[[], WalletPresentation] | None = field(default=None, repr=False)

    def refresh(self) -> None:
        """Re-read the wire (see WalletIssuance.refresh)."""
        if self.log is not None:
            self.wire = self.log.since(self.mark)

    @property
    def client_id(self) -> str:
        return str(self.request.get("client_id"))

    @property
    def responses(self) -> list[WireRecord]:
        """The POSTs to lerconf's response_uri with this request's state."""
        return [r for r in self.all_posts if r.form().get("state") == self.state]

    @property
    def all_posts(self) -> list[WireRecord]:
        """Every POST to lerconf's response_uri in this scenario, whatever its state (or none). The
        response_uri is one for every request (the verifier's client_id under ``redirect_uri:`` is made
        of it, and a verifier keeps one identity), so a post without a state is this scenario's by time:
        after its mark, in a worker whose scenarios run one after another."""
        return [r for r in self.wire if r.path == RESPONSES_PATH and r.method == "POST"]

    def fetched_request_object(self) -> bool:
        """Whether the wallet fetched this request's request object from its request_uri (each request has
        its own: the verifier puts the transaction in it)."""
        own = urlsplit(str(self.request.get("request_uri") or "")).path
        return bool(own) and any(r.path == own for r in self.wire)


def prefix_for(vendor: VendorUnderTest, *, signed: bool = False) -> str:
    """A client_id prefix the wallet claims (``signed``: one that requires a signed request object)."""
    section = vendor.profile.wallet
    claimed = section.claims.client_id_prefixes if section is not None else ()
    for prefix in PREFIX_PREFERENCE:
        if prefix in claimed and not (signed and prefix == "redirect_uri"):
            return prefix
    raise NotClaimed("the wallet claims no client_id prefix "
                     + ("that requires a signed request object" if signed else "lerconf's verifier can use"))


def request(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, driver: WalletDriver,
            client_id_prefix: str, issued: list[Any] | None = None, **options: Any) -> WalletPresentation:
    """A fresh request on lerconf's verifier, handed to the wallet with the client_id the invocation
    URI names; collects what the verifier received. ``options`` go to the verifier's test hook
    (``require_signed``, ``client_id_mismatch``, ``format``, ``redirect_on_response``; see
    lerconf.refimpl.oid4vp) to make a request the wallet must refuse or handle with care."""
    made = own_json(harness, "/oid4vp/requests", {"client_id_prefix": client_id_prefix, **options})
    txn = store_of(harness.reference.state).by_id(str(made.get("transaction_id")))
    if txn is None:
        raise RuntimeError("lerconf's embedded verifier lost the transaction it just created")
    if options:
        evidence.notes.append(f"lerconf's verifier made this request with {options}")
    wire = wire_of(harness.reference.state)
    mark = wire.mark()
    answer = driver.present(request_uri=str(made["request_uri"]), client_id=str(made["client_id"]))
    if answer.not_supported:
        raise Broken("prerequisite: the wallet adapter does not support POST /presentations (501)")
    presentation = WalletPresentation(made, txn.nonce, txn.state, dict(options), list(issued or []), answer,
                                observe(wire, mark, evidence, answer), wire, mark)
    if not answer.ok and not presentation.wire:
        raise Broken(f"the wallet adapter gave no usable answer to POST /presentations ({answer.exchange.reason}) "
                     "and lerconf's endpoints received nothing")
    return presentation


def ask(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, held: WalletIssuance | WalletDriver,
        client_id_prefix: str | None = None, **options: Any) -> WalletPresentation:
    """Ask the wallet (holding what ``held`` gave it, or nothing) to answer a request of lerconf's
    verifier under ``client_id_prefix`` (default: one the wallet claims; one that requires a
    signature when ``require_signed`` is asked)."""
    prefix = client_id_prefix or prefix_for(vendor, signed=bool(options.get("require_signed")))
    if not isinstance(held, WalletIssuance):
        return request(harness, vendor, evidence, held, prefix, **options)
    issued = issued_credentials(held)
    presentation = request(harness, vendor, evidence, held.driver, prefix, issued, **options)
    plain = {k: v for k, v in options.items() if k not in REFUSAL_REASONS and k != "format"}
    if (fmt := held_format(issued)) != "ldp_vc":
        plain["format"] = fmt
    presentation.again = lambda: request(harness, vendor, Evidence(), held.driver, prefix, issued, **plain)
    return presentation


def ask_with_foreign_response_uri(harness: Harness, vendor: VendorUnderTest, evidence: Evidence,
                                  held: WalletIssuance) -> WalletPresentation:
    """An x509_san_dns request whose response_uri is on another host than the certificate's DNS
    name (VP §5.9.3: a wallet that does not already trust the client_id must refuse it)."""
    section = vendor.profile.wallet
    if section is None or "x509_san_dns" not in section.claims.client_id_prefixes:
        raise NotClaimed("the wallet does not claim the x509_san_dns client_id prefix")
    return ask(harness, vendor, evidence, held, "x509_san_dns", foreign_response_uri=True)


def held_format(issued: list[Any]) -> str:
    """The format of what lerconf issued to the wallet: a compact JWT is jwt_vc_json, an object ldp_vc."""
    return "jwt_vc_json" if issued and all(isinstance(c, str) for c in issued) else "ldp_vc"


# -- what each requirement is judged by ------------------------------------------------------------
def _verifier_verdict(harness: Harness, presentation: WalletPresentation, evidence: Evidence) -> tuple[bool | None, list[str]]:
    """lerconf's verifier's verdict on the request (None: none) and its errors, noted as evidence;
    the presentation it received is kept as evidence too."""
    txn = store_of(harness.reference.state).by_state(presentation.state)
    if txn is not None:
        evidence.notes.append(f"lerconf's verifier: status {txn.status}, verified {txn.verified}, errors {txn.errors[:3]}")
    item, _ = presented_item(presentation.responses, QUERY_ID)
    if item is not None:
        evidence.keep("presentation received", item)
    return (txn.verified, list(txn.errors)) if txn is not None else (None, [])


def requested_badge_presented(harness: Harness, presentation: WalletPresentation, evidence: Evidence) -> list[CheckResult]:
    """VP-09: vp_token keyed by the query id with one presentation holding exactly the badge lerconf issued."""
    _verifier_verdict(harness, presentation, evidence)
    return [checks.wallet_presents_only_the_requested_badge(presentation.responses, QUERY_ID, presentation.issued)]


def presentation_bound(harness: Harness, presentation: WalletPresentation, evidence: Evidence) -> list[CheckResult]:
    """VP-10: the presentation (a Data Integrity VP, or a VP JWT when the request asks for
    jwt_vc_json) is bound to the request's nonce and full client_id, and lerconf's verifier found
    the presentation itself good."""
    verified, errors = _verifier_verdict(harness, presentation, evidence)
    args = (presentation.responses, QUERY_ID, presentation.nonce, presentation.client_id)
    binding = (checks.vp_jwt_bound_to_nonce_and_client_id(*args, presentation.issued)
               if presentation.options.get("format") == "jwt_vc_json" else checks.presentation_bound_to_nonce_and_client_id(*args))
    return [binding, checks.presentation_verified_by_lerconf(verified, errors)]


def response_encrypted(harness: Harness, presentation: WalletPresentation, evidence: Evidence) -> list[CheckResult]:
    """LCW-03: asked for direct_post.jwt, the wallet posts only a ``response`` JWE that lerconf's
    verifier can open into this request's vp_token and state."""
    posts = presentation.all_posts
    opened = [open_response(harness.reference.state, r.form())[1:] for r in posts]
    for params, problem in opened:
        if problem is None:
            evidence.keep("decrypted response (parameter names)", sorted(params))
    return [checks.response_encrypted_for_direct_post_jwt(posts, opened, presentation.state)]


def request_refused(harness: Harness, presentation: WalletPresentation, evidence: Evidence) -> list[CheckResult]:
    """VP-11: a request the wallet must refuse gets no vp_token at lerconf's response_uri (requests
    that came after the driver returned count too)."""
    why = next((reason for option, reason in REFUSAL_REASONS.items() if presentation.options.get(option)), None)
    if why is None:
        raise LookupError(f"VP-11 is judged on a request the wallet must refuse ({', '.join(REFUSAL_REASONS)})")
    presentation.refresh()
    if not presentation.fetched_request_object():
        raise Broken("prerequisite: the wallet never fetched the request object from request_uri, so its "
                     "handling of the request cannot be observed")
    results = [checks.no_vp_token_for_a_refused_request(presentation.all_posts, why)]
    _under_control(harness, presentation, evidence, results, "the same wallet's answer to a valid request")
    return results


def declined(harness: Harness, presentation: WalletPresentation, evidence: Evidence) -> list[CheckResult]:
    """VP-12 (wallet side): no vp_token, neither partial nor empty; an error response instead."""
    presentation.refresh()
    results = [checks.wallet_declines_with_an_error_response(presentation.all_posts, presentation.responses)]
    if presentation.issued:  # it holds a badge: a request for that badge must be answered
        _under_control(harness, presentation, evidence, results, "the same wallet's answer to a request for the badge it holds")
    return results


def _under_control(harness: Harness, presentation: WalletPresentation, evidence: Evidence, results: list[CheckResult],
                   what: str) -> None:
    """A wallet's refusal counts only when the same wallet presents for a valid request (VP-11,
    VP-12): a wallet that refuses every request passes no negative (lerconf.scenarios.expect)."""
    if presentation.again is None or any(r.status is not Status.PASSED for r in results):
        return
    again = presentation.again

    def control() -> None:
        answered = again()
        answered.refresh()
        txn = store_of(harness.reference.state).by_state(answered.state)
        if txn is None or txn.verified is not True:
            seen = f"status {txn.status}, errors {txn.errors[:3]}" if txn is not None else "no transaction"
            raise AssertionError(f"lerconf's verifier did not receive a verified presentation ({seen}; "
                                 f"{len(answered.responses)} response(s) with the request's state)")

    under_positive_control(evidence, control, what)


def redirect_not_followed(harness: Harness, presentation: WalletPresentation, evidence: Evidence) -> list[CheckResult]:
    """VP-13 (SHOULD): the wallet POSTs to response_uri and does not follow its HTTP redirect."""
    presentation.refresh()
    if not presentation.all_posts:
        raise Broken("prerequisite: the wallet posted nothing to lerconf's response_uri, so its handling of "
                     "the redirect cannot be observed")
    txn = store_of(harness.reference.state).by_state(presentation.state)
    return [checks.wallet_does_not_follow_response_redirect(len(txn.redirect_hits) if txn is not None else 0)]


#: requirement id -> what the wallet's answer to lerconf's request is judged by
PRESENTATION_REQUIREMENTS: dict[str, Callable[[Harness, WalletPresentation, Evidence], list[CheckResult]]] = {
    "VP-09": requested_badge_presented,
    "VP-10": presentation_bound,
    "VP-11": request_refused,
    "VP-12": declined,
    "VP-13": redirect_not_followed,
    "LCW-03": response_encrypted,
}
