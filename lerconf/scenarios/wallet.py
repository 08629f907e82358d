"""W-VCI / W-VP scenarios as library functions: lerconf plays the issuer and the verifier on its
embedded reference, asks the wallet under test (through its WalletDriver) to take an offer or
answer a request, and judges the wallet from what the reference's endpoints received.

What the adapter reports (outcome, wallet_error, its stored credentials) goes into the evidence;
the verdicts come from :mod:`lerconf.refimpl.wire`. The one exception is "stored unchanged",
which by its nature compares what lerconf's credential endpoint sent with ``GET /credentials``.
A prerequisite the wallet does not meet (no credential to present) makes a scenario broken
(not run), never passed or failed.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette

from lerconf.clients.manual.driver import manual_driver
from lerconf.clients.wallet_adapter import HttpWalletDriver, WalletAnswer, WalletDriver
from lerconf.crypto.jose.compact import JwsParseError, parse_compact
from lerconf.evidence import Evidence
from lerconf.outcome import Outcome
from lerconf.protocol.key_proof import PROOF_TYP
from lerconf.protocol.oid4vci import PRE_AUTHORIZED_GRANT, well_known_url
from lerconf.refimpl.oid4vci.impostor import IMPOSTOR_PATH
from lerconf.refimpl.oid4vci.metadata import CONFIGURATIONS
from lerconf.refimpl.oid4vci.store import PATH as VCI_PATH
from lerconf.refimpl.oid4vci.store import IssuerStore
from lerconf.refimpl.oid4vp import QUERY_ID, open_response, store_of
from lerconf.refimpl.oid4vp.x509 import verifier_certificates
from lerconf.refimpl.wire import WireLog, WireRecord, token_digest, wire_of
from lerconf.verdicts import Broken, NotClaimed

if TYPE_CHECKING:
    from lerconf.scenarios.harness import Harness, VendorUnderTest

__all__ = [
    "Issuance",
    "Presentation",
    "driver_for",
    "expect_authorized_with_pkce",
    "expect_bound",
    "expect_declined",
    "expect_encrypted",
    "expect_jwt_bound",
    "expect_metadata_refused",
    "expect_no_vp_token",
    "expect_proof_bound",
    "expect_redeemed",
    "expect_redirect_not_followed",
    "expect_requested_badge",
    "expect_retried_after_invalid_nonce",
    "expect_stored_unchanged",
    "hold_badge",
    "offer",
    "prefix_for",
    "request",
]

AUTHORIZATION_CODE = "authorization_code"


def _path(url: str) -> str:
    from urllib.parse import urlsplit
    return urlsplit(url).path


def driver_for(vendor: VendorUnderTest, scenario: str | None = None) -> WalletDriver:
    """The vendor's wallet driver: its HTTP adapter, or the operator in manual mode (one per run)."""
    section = vendor.profile.wallet
    if section is None:
        raise Broken(f"prerequisite: {vendor.name} has no wallet section")
    if section.manual:
        return manual_driver(vendor, section)
    return HttpWalletDriver(vendor.http, str(section.adapter_url), scenario=scenario)


def _own_json(harness: Harness, path: str, body: Mapping[str, Any]) -> Mapping[str, Any]:
    """A call to lerconf's own embedded issuer/verifier test hooks (unredacted answer)."""
    raw: list[Any] = []
    exchange = harness.own.http.request("POST", harness.reference.base_url + path, json_body=dict(body), keep_json=raw)
    if exchange.outcome is not Outcome.ACCEPTED or not raw or not isinstance(raw[0], Mapping):
        raise RuntimeError(f"lerconf's embedded reference gave no answer at {path}: {exchange.reason}")
    return raw[0]


def _reset(driver: WalletDriver, evidence: Evidence, vendor: VendorUnderTest) -> None:
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


# -- OID4VCI ------------------------------------------------------------------------------------------
@dataclass
class Issuance:
    """One offer lerconf made to the wallet, the adapter's answer, and what lerconf's issuer received."""

    issuer: str                       # the Credential Issuer Identifier the offer names
    code: str = field(repr=False)
    tx_code: str | None = field(repr=False)
    offer_uri: str | None
    answer: WalletAnswer
    wire: list[WireRecord] = field(repr=False)
    driver: WalletDriver = field(repr=False)
    issuer_state: str = field(default="", repr=False)  # the authorization_code grant's, when offered
    log: WireLog | None = field(default=None, repr=False)
    mark: int = 0

    def refresh(self) -> None:
        """Re-read the wire: a negative verdict also counts requests that came after the driver
        returned (a wallet acting after the operator answered, or after its adapter's answer)."""
        if self.log is not None:
            self.wire = self.log.since(self.mark)

    def received(self, path: str, method: str = "POST") -> list[WireRecord]:
        return [r for r in self.wire if r.path == path and r.method == method]

    def credential_requests(self) -> list[WireRecord]:
        """Credential requests made with an access token lerconf's token endpoint issued in this
        scenario (a late request of an earlier flow, e.g. by hand in manual mode, is not this one's)."""
        tokens = {token_digest(str(body["access_token"])) for r in self.received(VCI_PATH + "/token")
                  if r.status == 200 and isinstance(body := r.response_json(), Mapping) and body.get("access_token")}
        return [r for r in self.received(VCI_PATH + "/credential") if r.token_sha256 in tokens]

    def token_requests(self) -> list[WireRecord]:
        return [r for r in self.received(_path(self.issuer.replace(IMPOSTOR_PATH, VCI_PATH)) + "/token")
                if r.form().get("pre-authorized_code") == self.code]


def _observe(wire: WireLog, mark: int, evidence: Evidence, answer: WalletAnswer) -> list[WireRecord]:
    records = wire.since(mark)
    evidence.keep(f"received by lerconf's endpoints {len(evidence.documents)}", [r.to_evidence() for r in records])
    evidence.notes.append(f"the wallet adapter reported {answer.outcome!r}"
                          + (f" ({dict(answer.wallet_error)})" if answer.wallet_error else "") + " (evidence only)")
    return records


def offer(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, fmt: str, *, tx_code: bool = True,
          by_reference: bool = True, impostor: bool = False, status_purpose: str | None = None,
          grant: str = PRE_AUTHORIZED_GRANT, refuse_first_nonce: bool = False) -> Issuance:
    """Reset the wallet, make a fresh pre-authorized offer on lerconf's issuer (or its impostor
    identifier), hand it to the wallet through the driver, and collect what the issuer received.
    ``status_purpose`` makes lerconf's issuer put a status entry (e.g. revocation) in the badge;
    ``grant="authorization_code"`` offers that grant (``issuer_state``) instead of a pre-authorized
    code; ``refuse_first_nonce`` makes the credential endpoint answer the first request invalid_nonce."""
    driver = driver_for(vendor)
    _reset(driver, evidence, vendor)
    if impostor:
        made = _own_json(harness, IMPOSTOR_PATH + "/offers", {})
    else:
        config = next(cid for cid, c in CONFIGURATIONS.items() if c["format"] == fmt)
        hook: dict[str, Any] = {"credential_configuration_id": config, "tx_code": tx_code, "by_reference": by_reference}
        if status_purpose:
            hook["status_purpose"] = status_purpose
        if grant == AUTHORIZATION_CODE:
            hook["grant"] = AUTHORIZATION_CODE
        if refuse_first_nonce:
            hook["refuse_first_nonce"] = True
        made = _own_json(harness, VCI_PATH + "/offers", hook)
    document = made.get("credential_offer")
    uri = made.get("credential_offer_uri")
    code_holder = document if isinstance(document, Mapping) else None
    wire = wire_of(harness.reference.state)
    mark = wire.mark()
    answer = (driver.receive_offer(credential_offer_uri=str(uri), tx_code=made.get("tx_code"))
              if uri is not None else driver.receive_offer(credential_offer=dict(document or {}), tx_code=made.get("tx_code")))
    if not answer.ok and answer.not_supported:
        raise Broken("prerequisite: the wallet adapter does not support POST /offers (501)")
    records = _observe(wire, mark, evidence, answer)
    if not answer.ok and not records:  # 5xx, timeout, garbage, and nothing reached lerconf: no usable answer
        raise Broken(f"the wallet adapter gave no usable answer to POST /offers ({answer.exchange.reason}) "
                           "and lerconf's endpoints received nothing")
    if code_holder is None:  # by reference: the offer object is the one lerconf's endpoint served
        served = next((r.response_json() for r in records if r.method == "GET" and uri and r.path == _path(str(uri))), None)
        code_holder = served if isinstance(served, Mapping) else {}
        if not code_holder:
            code_holder = _offer_by_reference(harness, str(uri))
    grants = code_holder.get("grants") or {}
    pre_authorized = grants.get(PRE_AUTHORIZED_GRANT) or {}
    issuer = str(code_holder.get("credential_issuer") or harness.reference.base_url + VCI_PATH)
    issuance = Issuance(issuer, str(pre_authorized.get("pre-authorized_code", "")), made.get("tx_code"),
                        str(uri) if uri is not None else None, answer, records, driver, log=wire, mark=mark)
    issuance.issuer_state = str((grants.get(AUTHORIZATION_CODE) or {}).get("issuer_state", ""))
    return issuance


def _offer_by_reference(harness: Harness, uri: str) -> Mapping[str, Any]:
    """The offer object lerconf serves at ``uri`` (read from the store, without a wire request)."""
    app = harness.reference.server.config.app  # the reference's Starlette app (refimpl.server._config)
    store: IssuerStore | None = getattr(app.state, "oid4vci", None) if isinstance(app, Starlette) else None
    if store is None:
        return {}
    with store.lock:
        return dict(store.offers.get(uri.rsplit("/", 1)[-1], {}))


def expect_redeemed(issuance: Issuance) -> None:
    """VCI-21: metadata fetched at the final well-known URL, the offer dereferenced by GET, and the
    pre-authorized code redeemed with the offer's tx_code."""
    metadata_path = _path(well_known_url(issuance.issuer))
    assert any(r.status == 200 for r in issuance.received(metadata_path, "GET")), (
        f"the wallet never fetched the issuer metadata at {metadata_path}")
    if issuance.offer_uri:
        assert issuance.received(_path(issuance.offer_uri), "GET"), "the wallet never dereferenced credential_offer_uri by GET"
    tokens = issuance.token_requests()
    assert tokens, "lerconf's token endpoint received no request with the offer's pre-authorized code"
    if issuance.tx_code is not None and "tx_code" not in tokens[-1].form():
        raise AssertionError("the token request has no tx_code although the offer had a tx_code object")
    accepted = [t for t in tokens if t.status == 200]  # a mistyped code retried correctly is fine
    assert accepted, f"lerconf's token endpoint refused the wallet's token request (HTTP {tokens[-1].status})"
    form = accepted[-1].form()
    assert form.get("grant_type") == PRE_AUTHORIZED_GRANT, f"grant_type is {form.get('grant_type')!r}"
    if issuance.tx_code is not None:
        assert form.get("tx_code") == issuance.tx_code, "the token request's tx_code is not the one lerconf gave"


def expect_no_tx_code(issuance: Issuance) -> None:
    """VCI-21 / VCI-09: an offer without a ``tx_code`` object is redeemed without a tx_code (an
    unexpected one makes a conformant token endpoint answer ``invalid_request``)."""
    tokens = issuance.token_requests()
    assert tokens, "lerconf's token endpoint received no request with the offer's pre-authorized code"
    sent = [r.form()["tx_code"] for r in tokens if "tx_code" in r.form()]
    assert not sent, "the wallet sent a tx_code although the offer has no tx_code object"
    assert tokens[-1].status == 200, f"lerconf's token endpoint refused the wallet's token request (HTTP {tokens[-1].status})"


def expect_authorized_with_pkce(issuance: Issuance) -> None:
    """LCW-04: for an authorization_code offer the wallet sends the authorization request with the
    offer's ``issuer_state`` and an S256 ``code_challenge`` (RFC 7636), then redeems the code at the
    token endpoint with the matching ``code_verifier`` and the same ``redirect_uri``."""
    from authlib.oauth2.rfc7636 import create_s256_code_challenge

    authorizations = [r for r in issuance.received(VCI_PATH + "/authorize", "GET")
                      if r.query_params().get("issuer_state") == issuance.issuer_state]
    assert authorizations, "lerconf's authorization endpoint received no authorization request with the offer's issuer_state"
    asked = authorizations[-1].query_params()
    assert asked.get("code_challenge_method") == "S256" and asked.get("code_challenge"), (
        f"the authorization request uses no S256 code_challenge (code_challenge_method {asked.get('code_challenge_method')!r})")
    tokens = [r for r in issuance.received(VCI_PATH + "/token") if r.form().get("grant_type") == AUTHORIZATION_CODE
              and r.seq > authorizations[-1].seq]
    assert tokens, "lerconf's token endpoint received no authorization_code token request after the authorization"
    form = tokens[-1].form()
    verifier = form.get("code_verifier", "")
    assert verifier, "the token request carries no code_verifier"
    assert create_s256_code_challenge(verifier) == asked["code_challenge"], (
        "the code_verifier does not hash to the authorization request's code_challenge")
    assert form.get("redirect_uri") == asked.get("redirect_uri"), "the token request's redirect_uri is not the authorization request's"
    assert tokens[-1].status == 200, f"lerconf's token endpoint refused the wallet's token request (HTTP {tokens[-1].status})"


def expect_retried_after_invalid_nonce(issuance: Issuance) -> None:
    """VCI-22: after ``invalid_nonce`` the wallet gets a fresh c_nonce from the nonce endpoint and
    sends a new credential request whose key proof carries it."""
    requests = issuance.credential_requests()
    if not requests:
        raise Broken("prerequisite: the wallet sent no credential request, so its retry cannot be observed")
    first = requests[0]
    body = first.response_json()
    if first.status != 400 or not isinstance(body, Mapping) or body.get("error") != "invalid_nonce":
        raise RuntimeError("lerconf's issuer did not answer the first credential request with invalid_nonce")
    assert len(requests) > 1, "the wallet gave up after invalid_nonce instead of retrying with a fresh c_nonce"
    retry = requests[1]
    fresh = _latest_nonce_before(issuance, retry.seq)
    nonces_between = [r for r in issuance.received(VCI_PATH + "/nonce") if first.seq < r.seq < retry.seq]
    assert nonces_between, "the wallet retried without asking lerconf's nonce endpoint for a fresh c_nonce"
    proofs = (retry.json() or {}).get("proofs") if isinstance(retry.json(), Mapping) else None
    jwts = proofs.get("jwt") if isinstance(proofs, Mapping) else None
    assert isinstance(jwts, list) and jwts, "the retried credential request has no proofs.jwt array"
    try:
        nonce = parse_compact(jwts[0], allow_sd_jwt=False).payload.get("nonce")
    except (JwsParseError, TypeError) as exc:
        raise AssertionError(f"the retried key proof is not a compact JWS: {exc}") from None
    assert nonce == fresh, "the retried key proof does not carry the fresh c_nonce"
    assert retry.status == 200, f"lerconf's credential endpoint refused the retried request (HTTP {retry.status})"


def _latest_nonce_before(issuance: Issuance, seq: int) -> str | None:
    nonces = [r for r in issuance.received(VCI_PATH + "/nonce") if r.seq < seq and r.status == 200]
    body = nonces[-1].response_json() if nonces else None
    return body.get("c_nonce") if isinstance(body, Mapping) else None


def expect_proof_bound(issuance: Issuance) -> None:
    """VCI-22: the credential request's key proof has the typ, aud = issuer id, iat, and the
    latest c_nonce lerconf's nonce endpoint gave before that request."""
    requests = issuance.credential_requests()
    assert requests, "lerconf's credential endpoint received no credential request"
    request = requests[-1]
    body = request.json()
    proofs = body.get("proofs") if isinstance(body, Mapping) else None
    jwts = proofs.get("jwt") if isinstance(proofs, Mapping) else None
    assert isinstance(jwts, list) and jwts, "the credential request has no proofs.jwt array"
    try:
        parsed = parse_compact(jwts[0], allow_sd_jwt=False)
    except (JwsParseError, TypeError) as exc:
        raise AssertionError(f"the key proof is not a compact JWS: {exc}") from None
    assert parsed.header.get("typ") == PROOF_TYP, f"the key proof typ is {parsed.header.get('typ')!r}"
    assert parsed.payload.get("aud") == issuance.issuer, (
        f"the key proof aud is {parsed.payload.get('aud')!r}, not the credential issuer {issuance.issuer}")
    assert isinstance(parsed.payload.get("iat"), int), "the key proof has no numeric iat"
    latest = _latest_nonce_before(issuance, request.seq)
    assert latest is not None, "the wallet never asked lerconf's nonce endpoint for a c_nonce before the credential request"
    nonce = parsed.payload.get("nonce")
    assert nonce is not None, "the key proof carries no nonce although lerconf's nonce endpoint gave one"
    assert nonce == latest, "the key proof's nonce is not the latest c_nonce lerconf's nonce endpoint gave"
    assert request.status == 200, f"lerconf's credential endpoint refused the request (HTTP {request.status})"


def issued_credentials(issuance: Issuance) -> list[Any]:
    out: list[Any] = []
    for record in issuance.credential_requests():
        body = record.response_json() if record.status == 200 else None
        for item in (body.get("credentials") or []) if isinstance(body, Mapping) else []:
            if isinstance(item, Mapping) and "credential" in item:
                out.append(item["credential"])
    return out


def expect_stored_unchanged(issuance: Issuance, evidence: Evidence) -> None:
    """LCW-01: the credential lerconf's endpoint sent is in GET /credentials byte for byte (as JSON)."""
    issued = issued_credentials(issuance)
    if not issued:
        raise Broken("prerequisite: lerconf's credential endpoint issued nothing to the wallet")
    listed = issuance.driver.credentials()
    if listed.not_supported:  # the adapter contract: 501 = an operation the wallet does not offer
        raise NotClaimed("the wallet cannot list what it stored (GET /credentials answers 501; a manual-mode "
                    "wallet has no adapter to ask), so storing unchanged cannot be judged")
    entries = listed.body if isinstance(listed.body, list) else []
    stored = [e.get("credential") for e in entries if isinstance(e, Mapping)]
    for credential in issued:
        if credential in stored:
            continue
        cid = credential.get("id") if isinstance(credential, Mapping) else None
        same_id = [s for s in stored if isinstance(s, Mapping) and cid is not None and s.get("id") == cid]
        if same_id:
            evidence.keep("stored (altered)", same_id[0])
            raise AssertionError(f"the wallet stored the credential {cid} altered: it differs from what lerconf issued")
        raise AssertionError("the credential lerconf issued is not among the wallet's stored credentials")


def expect_metadata_refused(issuance: Issuance) -> None:
    """VCI-20 (N): after metadata whose credential_issuer is another issuer, no token request."""
    issuance.refresh()
    metadata_path = _path(well_known_url(issuance.issuer))
    if not issuance.received(metadata_path, "GET"):
        raise Broken(f"prerequisite: the wallet never fetched the metadata at {metadata_path}, "
                           "so its handling of the mismatch cannot be observed")
    tokens = issuance.token_requests()
    assert not tokens, ("the wallet redeemed the offer's pre-authorized code although the issuer metadata's "
                        "credential_issuer is not the offer's issuer")
    assert not issuance.received(VCI_PATH + "/credential"), "the wallet sent a credential request to the mismatching issuer"


def hold_badge(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, fmt: str = "ldp_vc") -> Issuance:
    """Prerequisite of the W-VP scenarios: the wallet holds a badge (``fmt``) issued by lerconf."""
    issuance = offer(harness, vendor, evidence, fmt)
    if not issued_credentials(issuance):
        raise Broken("prerequisite: the wallet did not obtain a badge from lerconf's issuer over OID4VCI "
                           f"(adapter outcome {issuance.answer.outcome!r}): the presentation cannot be tested")
    return issuance


def empty_wallet(vendor: VendorUnderTest, evidence: Evidence) -> WalletDriver:
    """A wallet lerconf knows to be empty: POST /reset must succeed (a 501 leaves it unknown)."""
    driver = driver_for(vendor)
    _reset(driver, evidence, vendor)
    if driver.reset_unsupported:
        raise Broken("prerequisite: the wallet cannot be reset (POST /reset answers 501), so lerconf cannot "
                           "know it holds no credential")
    return driver


# -- OID4VP -------------------------------------------------------------------------------------------
@dataclass
class Presentation:
    request: Mapping[str, Any] = field(repr=False)  # the test hook's answer: request_uri, client_id, transaction_id
    nonce: str = field(repr=False)
    state: str = field(repr=False)
    answer: WalletAnswer | None = None
    wire: list[WireRecord] = field(default_factory=list, repr=False)
    log: WireLog | None = field(default=None, repr=False)
    mark: int = 0

    def refresh(self) -> None:
        """Re-read the wire (see Issuance.refresh)."""
        if self.log is not None:
            self.wire = self.log.since(self.mark)

    @property
    def responses(self) -> list[WireRecord]:
        return [r for r in self.wire if r.path == "/oid4vp/responses" and r.method == "POST"
                and r.form().get("state") == self.state]

    @property
    def all_posts(self) -> list[WireRecord]:
        """Every POST to lerconf's response_uri in this scenario, whatever its state (or none)."""
        return [r for r in self.wire if r.path == "/oid4vp/responses" and r.method == "POST"]


#: the client_id prefix lerconf's verifier uses when a scenario does not name one: the first the
#: wallet claims, in this order (signed requests first: they are the common deployment)
PREFIX_PREFERENCE = ("decentralized_identifier", "redirect_uri", "x509_san_dns", "x509_hash")


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
            client_id_prefix: str, **options: Any) -> Presentation:
    """A fresh request on lerconf's verifier, handed to the wallet with the client_id the invocation
    URI names; collects what the verifier received. ``options`` go to the verifier's test hook
    (``require_signed``, ``client_id_mismatch``, ``format``, ``redirect_on_response``; see
    lerconf.refimpl.oid4vp) to make a request the wallet must refuse or handle with care."""
    made = _own_json(harness, "/oid4vp/requests", {"client_id_prefix": client_id_prefix, **options})
    txn = store_of(harness.reference.state).by_id(str(made.get("transaction_id")))
    if txn is None:
        raise RuntimeError("lerconf's embedded verifier lost the transaction it just created")
    if options:
        evidence.notes.append(f"lerconf's verifier made this request with {options}")
    presentation = Presentation(made, txn.nonce, txn.state)
    wire = wire_of(harness.reference.state)
    mark = wire.mark()
    answer = driver.present(request_uri=str(made["request_uri"]), client_id=str(made["client_id"]))
    if answer.not_supported:
        raise Broken("prerequisite: the wallet adapter does not support POST /presentations (501)")
    presentation.answer = answer
    presentation.wire = _observe(wire, mark, evidence, answer)
    presentation.log, presentation.mark = wire, mark
    if not answer.ok and not presentation.wire:
        raise Broken(f"the wallet adapter gave no usable answer to POST /presentations ({answer.exchange.reason}) "
                           "and lerconf's endpoints received nothing")
    return presentation


def _presented_item(presentation: Presentation) -> Any:
    """The one presentation lerconf's response_uri received for the request's DCQL query."""
    responses = presentation.responses
    assert responses, "lerconf's response_uri received no response for the request's state"
    form = responses[0].form()
    assert "vp_token" in form, f"the wallet answered without a vp_token (error {form.get('error')!r})"
    try:
        token = json.loads(form["vp_token"])
    except ValueError:
        raise AssertionError("vp_token is not JSON") from None
    assert isinstance(token, dict) and set(token) == {QUERY_ID}, (
        f"vp_token is not keyed by the DCQL credential query id {QUERY_ID!r}: "
        f"{sorted(token) if isinstance(token, dict) else type(token).__name__}")
    items = token[QUERY_ID]
    assert isinstance(items, list) and len(items) == 1, "vp_token must hold exactly one presentation for the query"
    return items[0]


def _presented(presentation: Presentation, evidence: Evidence) -> dict[str, Any]:
    """The ldp_vc presentation: a JSON object (a Data Integrity VP)."""
    item = _presented_item(presentation)
    assert isinstance(item, dict), "the presentation is not a JSON object (ldp_vc)"
    evidence.keep("presentation received", item)
    return item


def _verdict_note(harness: Harness, presentation: Presentation, evidence: Evidence) -> None:
    txn = store_of(harness.reference.state).by_state(presentation.state)
    if txn is not None:
        evidence.notes.append(f"lerconf's verifier: status {txn.status}, verified {txn.verified}, errors {txn.errors[:3]}")


def _expect_presentation_verified(harness: Harness, presentation: Presentation) -> None:
    """VP-10 is about the presentation itself: lerconf's verifier must have found its signature and
    holder binding good (a right nonce on a junk proof binds nothing). Problems of the credential
    inside (``…#verifiableCredential[i]``) belong to other scenarios (VP-09, LCW-01)."""
    txn = store_of(harness.reference.state).by_state(presentation.state)
    assert txn is not None and txn.verified is not None, "lerconf's verifier reached no verdict on the presentation"
    own = [e for e in txn.errors if "#verifiableCredential" not in e]
    assert not own, "lerconf's verifier refused the presentation itself: " + "; ".join(own[:3])

def expect_bound(harness: Harness, presentation: Presentation, evidence: Evidence) -> None:
    """VP-10: the presentation's proof has challenge = the request's nonce and domain = the full client_id."""
    _verdict_note(harness, presentation, evidence)
    vp = _presented(presentation, evidence)
    proof = vp.get("proof")
    proof = proof[0] if isinstance(proof, list) and proof else proof
    assert isinstance(proof, dict), "the presentation has no proof (holder binding is required)"
    client_id = str(presentation.request.get("client_id"))
    assert proof.get("challenge") == presentation.nonce, "the presentation's challenge is not the request's nonce"
    assert proof.get("domain") == client_id, (
        f"the presentation's domain {proof.get('domain')!r} is not the request's full client_id {client_id!r}")
    _expect_presentation_verified(harness, presentation)


def expect_requested_badge(harness: Harness, presentation: Presentation, issued: list[Any], evidence: Evidence) -> None:
    """VP-09: vp_token keyed by the query id with one presentation holding exactly the badge lerconf issued."""
    _verdict_note(harness, presentation, evidence)
    vp = _presented(presentation, evidence)
    inner = vp.get("verifiableCredential")
    inner = inner if isinstance(inner, list) else [inner]
    assert len(inner) == 1, f"the presentation holds {len(inner)} credentials; the query asks for one badge"
    assert inner[0] in issued, "the presented credential is not the badge lerconf issued to the wallet (altered or another one)"


def expect_jwt_bound(harness: Harness, presentation: Presentation, issued: list[Any], evidence: Evidence) -> None:
    """VP-10 for jwt_vc_json (VP App. B.1.3.1): one VP JWT whose ``nonce`` is the request's nonce,
    ``aud`` the full client_id, and whose ``vp`` holds the badge JWT exactly as issued."""
    _verdict_note(harness, presentation, evidence)
    item = _presented_item(presentation)
    assert isinstance(item, str), "a jwt_vc_json presentation must be a VP JWT (a compact JWS string)"
    try:
        parsed = parse_compact(item, allow_sd_jwt=False)
    except JwsParseError as exc:
        raise AssertionError(f"the presentation is not a compact JWS: {exc}") from None
    evidence.keep("VP JWT received (header and payload)", {"header": parsed.header, "payload": parsed.payload})
    client_id = str(presentation.request.get("client_id"))
    assert parsed.payload.get("nonce") == presentation.nonce, "the VP JWT's nonce is not the request's nonce"
    aud = parsed.payload.get("aud")
    assert aud == client_id or (isinstance(aud, list) and client_id in aud), (  # RFC 7519: a string or an array
        f"the VP JWT's aud {aud!r} is not the request's full client_id {client_id!r}")
    vp = parsed.payload.get("vp")
    inner = vp.get("verifiableCredential") if isinstance(vp, Mapping) else None
    inner = inner if isinstance(inner, list) else [inner]
    assert len(inner) == 1 and inner[0] in issued, "the VP JWT does not carry the badge JWT lerconf issued, unchanged"
    _expect_presentation_verified(harness, presentation)


def expect_encrypted(harness: Harness, presentation: Presentation, evidence: Evidence) -> None:
    """LCW-03 (VP §8.3): asked for direct_post.jwt, the wallet posts only a ``response`` JWE to the
    request's key — never the vp_token in clear — which lerconf's verifier can open into this
    request's vp_token and state. (Whether the presentation inside is valid is VP-09/VP-10's job.)"""
    posted = [r for r in presentation.wire if r.path == "/oid4vp/responses" and r.method == "POST"]
    assert posted, "lerconf's response_uri received nothing from the wallet"
    clear = [r for r in posted if "vp_token" in r.form() or "error" in r.form()]
    assert not clear, "the wallet sent its response in clear although the request asks for direct_post.jwt"
    for record in posted:
        _txn, params, problem = open_response(harness.reference.state, record.form())
        assert problem is None, f"lerconf's verifier cannot open the wallet's encrypted response: {problem}"
        evidence.keep("decrypted response (parameter names)", sorted(params))
        assert params.get("state") == presentation.state, "the decrypted response is not for this request's state"
        assert "vp_token" in params, "the decrypted response carries no vp_token"


def expect_no_vp_token(presentation: Presentation, why: str) -> None:
    """VP-11 (N): a request the wallet must refuse gets no vp_token at lerconf's response_uri (an
    error response is allowed; the wallet's own report of refusing is evidence only)."""
    presentation.refresh()
    fetched = [r for r in presentation.wire if r.path.startswith("/oid4vp/request-objects/")]
    if not fetched:
        raise Broken("prerequisite: the wallet never fetched the request object from request_uri, so its "
                           "handling of the request cannot be observed")
    tokens = [r for r in presentation.all_posts if "vp_token" in r.form() or "response" in r.form()]
    assert not tokens, f"the wallet sent a vp_token to lerconf's response_uri although {why}"


def expect_redirect_not_followed(harness: Harness, presentation: Presentation) -> None:
    """VP-13 (SHOULD): the wallet POSTs to response_uri and does not follow its HTTP redirect."""
    presentation.refresh()
    if not presentation.all_posts:
        raise Broken("prerequisite: the wallet posted nothing to lerconf's response_uri, so its handling of "
                           "the redirect cannot be observed")
    txn = store_of(harness.reference.state).by_state(presentation.state)
    hits = list(txn.redirect_hits) if txn is not None else []
    assert not hits, (f"the wallet followed the response_uri's HTTP redirect ({len(hits)} request(s) to the redirect "
                      "target); it should only follow a redirect_uri in the JSON body")


def expect_declined(presentation: Presentation) -> None:
    """VP-12 (wallet side): no vp_token, neither partial nor empty; an error response instead."""
    presentation.refresh()
    responses = presentation.responses
    tokens = [r for r in presentation.all_posts if "vp_token" in r.form() or "response" in r.form()]
    assert not tokens, "the wallet sent a vp_token although it holds no credential matching the query"
    assert responses, "the wallet posted no error response to lerconf's response_uri (VP §8.5)"
    error = responses[0].form().get("error")
    assert error in ("access_denied", "invalid_request", "vp_formats_not_supported"), (
        f"the wallet's error response has error {error!r}")
