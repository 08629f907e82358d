"""W-VCI scenarios: lerconf's embedded issuer makes a fresh offer, hands it to the wallet under
test, and the wallet is judged by what lerconf's metadata, offer, authorization, token, nonce and
credential endpoints received (checks in :mod:`lerconf.checks.wallet_issuance`).

The one judgement that is not from the wire is "stored unchanged" (LCW-01), which by its nature
compares what lerconf's credential endpoint sent with what the wallet lists (``GET /credentials``).
A prerequisite the wallet does not meet (no credential issued, no credential request to observe)
makes a scenario broken (not run), never passed or failed.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette

from lerconf.checks import wallet_issuance as checks
from lerconf.clients.wallet_adapter import WalletAnswer, WalletDriver
from lerconf.evidence import Evidence
from lerconf.protocol.oid4vci import PRE_AUTHORIZED_GRANT, well_known_url
from lerconf.protocol.wire_record import WireRecord, token_digest
from lerconf.refimpl.oid4vci.impostor import IMPOSTOR_PATH
from lerconf.refimpl.oid4vci.metadata import CONFIGURATIONS
from lerconf.refimpl.oid4vci.store import PATH as VCI_PATH
from lerconf.refimpl.oid4vci.store import IssuerStore
from lerconf.refimpl.wire import WireLog, wire_of
from lerconf.results import CheckResult
from lerconf.scenarios.wallet_driver import driver_for, observe, own_json, reset_wallet, url_path
from lerconf.verdicts import Broken, NotClaimed

if TYPE_CHECKING:
    from lerconf.scenarios.harness import Harness, VendorUnderTest

__all__ = ["AUTHORIZATION_CODE", "ISSUANCE_REQUIREMENTS", "WalletIssuance", "empty_wallet", "hold_badge", "issued_credentials",
           "offer"]

AUTHORIZATION_CODE = "authorization_code"


@dataclass
class WalletIssuance:
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
    impostor: bool = False            # the offer names an issuer whose metadata names another credential_issuer
    nonce_refused: bool = False       # lerconf's credential endpoint answers the first request invalid_nonce
    #: the key proof types lerconf's issuer advertises for the offered configuration (App. F): any is accepted
    proof_types: tuple[str, ...] = checks.PROOF_TYPES

    def refresh(self) -> None:
        """Re-read the wire: a negative verdict also counts requests that came after the driver
        returned (a wallet acting after the operator answered, or after its adapter's answer)."""
        if self.log is not None:
            self.wire = self.log.since(self.mark)

    def received(self, path: str, method: str = "POST") -> list[WireRecord]:
        """What lerconf's endpoint at ``path`` received in this scenario."""
        return [r for r in self.wire if r.path == path and r.method == method]

    def credential_requests(self) -> list[WireRecord]:
        """Credential requests made with an access token lerconf's token endpoint issued in this
        scenario (a late request of an earlier flow, e.g. by hand in manual mode, is not this one's)."""
        tokens = {token_digest(str(body["access_token"])) for r in self.received(VCI_PATH + "/token")
                  if r.status == 200 and isinstance(body := r.response_json(), Mapping) and body.get("access_token")}
        return [r for r in self.received(VCI_PATH + "/credential") if r.token_sha256 in tokens]

    def token_requests(self) -> list[WireRecord]:
        """Token requests with the offer's pre-authorized code."""
        return [r for r in self.received(url_path(self.issuer.replace(IMPOSTOR_PATH, VCI_PATH)) + "/token")
                if r.form().get("pre-authorized_code") == self.code]

    def metadata_path(self) -> str:
        """Where the offer's issuer publishes its metadata (OID4VCI 1.0 well-known URL)."""
        return url_path(well_known_url(self.issuer))


# -- making the offer ------------------------------------------------------------------------------
def _configuration(fmt: str) -> str:
    """The credential configuration lerconf's issuer offers for ``fmt``."""
    return next(cid for cid, c in CONFIGURATIONS.items() if c["format"] == fmt)


def advertised_proof_types(fmt: str) -> tuple[str, ...]:
    """The key proof types lerconf's issuer metadata advertises for the configuration of ``fmt``."""
    return tuple(CONFIGURATIONS[_configuration(fmt)].get("proof_types_supported") or checks.PROOF_TYPES)


def _hook_body(fmt: str, *, tx_code: bool, by_reference: bool, status_purpose: str | None, grant: str,
               refuse_first_nonce: bool) -> dict[str, Any]:
    """The body of lerconf's issuer test hook for a fresh offer (lerconf.refimpl.oid4vci)."""
    config = _configuration(fmt)
    hook: dict[str, Any] = {"credential_configuration_id": config, "tx_code": tx_code, "by_reference": by_reference}
    if status_purpose:
        hook["status_purpose"] = status_purpose
    if grant == AUTHORIZATION_CODE:
        hook["grant"] = AUTHORIZATION_CODE
    if refuse_first_nonce:
        hook["refuse_first_nonce"] = True
    return hook


def _offer_by_reference(harness: Harness, uri: str) -> Mapping[str, Any]:
    """The offer object lerconf serves at ``uri`` (read from the store, without a wire request)."""
    app = harness.reference.server.config.app  # the reference's Starlette app (refimpl.server._config)
    store: IssuerStore | None = getattr(app.state, "oid4vci", None) if isinstance(app, Starlette) else None
    if store is None:
        return {}
    with store.lock:
        return dict(store.offers.get(uri.rsplit("/", 1)[-1], {}))


def _offer_object(harness: Harness, made: Mapping[str, Any], records: list[WireRecord]) -> Mapping[str, Any]:
    """The offer the wallet was given: by value, the hook's; by reference, the one lerconf's endpoint served."""
    document, uri = made.get("credential_offer"), made.get("credential_offer_uri")
    if isinstance(document, Mapping):
        return document
    served = next((r.response_json() for r in records if r.method == "GET" and uri and r.path == url_path(str(uri))), None)
    if isinstance(served, Mapping) and served:
        return served
    return _offer_by_reference(harness, str(uri))


def offer(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, fmt: str, *, tx_code: bool = True,
          by_reference: bool = True, impostor: bool = False, status_purpose: str | None = None,
          grant: str = PRE_AUTHORIZED_GRANT, refuse_first_nonce: bool = False, scenario: str | None = None) -> WalletIssuance:
    """Reset the wallet, make a fresh pre-authorized offer on lerconf's issuer (or its impostor
    identifier), hand it to the wallet through the driver, and collect what the issuer received.
    ``status_purpose`` makes lerconf's issuer put a status entry (e.g. revocation) in the badge;
    ``grant="authorization_code"`` offers that grant (``issuer_state``) instead of a pre-authorized
    code; ``refuse_first_nonce`` makes the credential endpoint answer the first request invalid_nonce;
    ``scenario`` names the wallet (X-Lerconf-Scenario) when not the running scenario's."""
    driver = driver_for(vendor, scenario)
    reset_wallet(driver, vendor)
    if impostor:
        made = own_json(harness, IMPOSTOR_PATH + "/offers", {})
    else:
        made = own_json(harness, VCI_PATH + "/offers", _hook_body(fmt, tx_code=tx_code, by_reference=by_reference, grant=grant,
                                                                  status_purpose=status_purpose,
                                                                  refuse_first_nonce=refuse_first_nonce))
    uri, given_tx_code = made.get("credential_offer_uri"), made.get("tx_code")
    wire = wire_of(harness.reference.state)
    mark = wire.mark()
    answer = (driver.receive_offer(credential_offer_uri=str(uri), tx_code=given_tx_code) if uri is not None
              else driver.receive_offer(credential_offer=dict(made.get("credential_offer") or {}), tx_code=given_tx_code))
    if not answer.ok and answer.not_supported:
        raise Broken("prerequisite: the wallet adapter does not support POST /offers (501)")
    records = observe(wire, mark, evidence, answer)
    if not answer.ok and not records:  # 5xx, timeout, garbage, and nothing reached lerconf: no usable answer
        raise Broken(f"the wallet adapter gave no usable answer to POST /offers ({answer.exchange.reason}) "
                     "and lerconf's endpoints received nothing")
    document = _offer_object(harness, made, records)
    grants = document.get("grants") or {}
    issuer = str(document.get("credential_issuer") or harness.reference.base_url + VCI_PATH)
    return WalletIssuance(issuer, str((grants.get(PRE_AUTHORIZED_GRANT) or {}).get("pre-authorized_code", "")), given_tx_code,
                    str(uri) if uri is not None else None, answer, records, driver,
                    issuer_state=str((grants.get(AUTHORIZATION_CODE) or {}).get("issuer_state", "")),
                    log=wire, mark=mark, impostor=impostor, nonce_refused=refuse_first_nonce,
                    proof_types=advertised_proof_types(fmt))


def issued_credentials(issuance: WalletIssuance) -> list[Any]:
    """The credentials lerconf's credential endpoint sent the wallet in this scenario."""
    out: list[Any] = []
    for record in issuance.credential_requests():
        body = record.response_json() if record.status == 200 else None
        for item in (body.get("credentials") or []) if isinstance(body, Mapping) else []:
            if isinstance(item, Mapping) and "credential" in item:
                out.append(item["credential"])
    return out


def hold_badge(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, fmt: str = "ldp_vc",
               scenario: str | None = None) -> WalletIssuance:
    """Prerequisite of the W-VP scenarios: the wallet holds a badge (``fmt``) issued by lerconf."""
    issuance = offer(harness, vendor, evidence, fmt, scenario=scenario)
    if not issued_credentials(issuance):
        raise Broken("prerequisite: the wallet did not obtain a badge from lerconf's issuer over OID4VCI "
                     f"(adapter outcome {issuance.answer.outcome!r}): the presentation cannot be tested")
    return issuance


def empty_wallet(vendor: VendorUnderTest, evidence: Evidence) -> WalletDriver:
    """A wallet lerconf knows to be empty: POST /reset must succeed (a 501 leaves it unknown)."""
    driver = driver_for(vendor)
    reset_wallet(driver, vendor)
    if driver.reset_unsupported:
        raise Broken("prerequisite: the wallet cannot be reset (POST /reset answers 501), so lerconf cannot "
                     "know it holds no credential")
    evidence.notes.append("the wallet was reset: it holds no credential")
    return driver


# -- what each requirement is judged by ------------------------------------------------------------
def issuer_metadata_handled(harness: Harness, issuance: WalletIssuance, evidence: Evidence) -> list[CheckResult]:
    """VCI-20: the wallet fetched the offer's issuer metadata and redeemed the offer; an impostor's
    metadata (another credential_issuer) it refused, going no further (requests that came after
    the driver returned count too)."""
    if not issuance.impostor:
        return offer_redeemed(harness, issuance, evidence)
    issuance.refresh()
    if not issuance.received(issuance.metadata_path(), "GET"):
        raise Broken(f"prerequisite: the wallet never fetched the metadata at {issuance.metadata_path()}, "
                     "so its handling of the mismatch cannot be observed")
    return [checks.wallet_refuses_mismatched_credential_issuer(issuance.token_requests(),
                                                               issuance.received(VCI_PATH + "/credential"))]


def offer_redeemed(harness: Harness, issuance: WalletIssuance, evidence: Evidence) -> list[CheckResult]:
    """VCI-21 (with VCI-20's metadata fetch, which redeeming an offer starts with): metadata fetched,
    credential_offer_uri dereferenced by GET, the pre-authorized code redeemed with the tx_code
    exactly when the offer had a tx_code object."""
    offer_requests = issuance.received(url_path(issuance.offer_uri), "GET") if issuance.offer_uri else []
    return [checks.wallet_fetches_issuer_metadata(issuance.received(issuance.metadata_path(), "GET"),
                                                  issuance.metadata_path()),
            checks.wallet_dereferences_offer_uri(offer_requests, issuance.offer_uri),
            checks.wallet_sends_tx_code_as_offered(issuance.token_requests(), issuance.tx_code)]


def key_proof_bound(harness: Harness, issuance: WalletIssuance, evidence: Evidence) -> list[CheckResult]:
    """VCI-22: the key proof (of any type lerconf's issuer advertises for the offer: jwt, di_vp) is bound
    to the issuer and the latest c_nonce; after lerconf answered ``invalid_nonce``, the wallet (SHOULD)
    retried with a fresh one."""
    requests, nonces = issuance.credential_requests(), issuance.received(VCI_PATH + "/nonce")
    if not issuance.nonce_refused:
        return [checks.key_proof_binds_issuer_and_latest_nonce(requests, nonces, issuance.issuer, issuance.proof_types)]
    if not requests:
        raise Broken("prerequisite: the wallet sent no credential request, so its retry cannot be observed")
    body = requests[0].response_json()
    if requests[0].status != 400 or not isinstance(body, Mapping) or body.get("error") != "invalid_nonce":
        raise RuntimeError("lerconf's issuer did not answer the first credential request with invalid_nonce")
    return [checks.wallet_retries_with_a_fresh_nonce(requests, nonces, issuance.proof_types)]


def stored_unchanged(harness: Harness, issuance: WalletIssuance, evidence: Evidence) -> list[CheckResult]:
    """LCW-01: what lerconf's credential endpoint sent is what the wallet lists (GET /credentials)."""
    issued = issued_credentials(issuance)
    if not issued:
        raise Broken("prerequisite: lerconf's credential endpoint issued nothing to the wallet")
    listed = issuance.driver.credentials()
    if listed.not_supported:  # the adapter contract: 501 = an operation the wallet does not offer
        raise NotClaimed("the wallet cannot list what it stored (GET /credentials answers 501; a manual-mode "
                         "wallet has no adapter to ask), so storing unchanged cannot be judged")
    stored = listed.listed
    evidence.keep("stored by the wallet (GET /credentials)", stored)
    return [checks.wallet_stores_credential_unchanged(issued, stored)]


def authorized_with_pkce(harness: Harness, issuance: WalletIssuance, evidence: Evidence) -> list[CheckResult]:
    """LCW-04: the authorization request with the offer's issuer_state and an S256 code_challenge,
    the code redeemed with the matching code_verifier and redirect_uri."""
    return [checks.wallet_uses_pkce_s256(issuance.received(VCI_PATH + "/authorize", "GET"),
                                         issuance.received(VCI_PATH + "/token"), issuance.issuer_state)]


#: requirement id -> what the wallet's issuance is judged by
ISSUANCE_REQUIREMENTS: dict[str, Callable[[Harness, WalletIssuance, Evidence], list[CheckResult]]] = {
    "VCI-20": issuer_metadata_handled,
    "VCI-21": offer_redeemed,
    "VCI-22": key_proof_bound,
    "LCW-01": stored_unchanged,
    "LCW-04": authorized_with_pkce,
}
