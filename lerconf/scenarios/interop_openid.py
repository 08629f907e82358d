"""Cross-vendor OpenID interop, generated from what each vendor claims (features/interop/interop-openid.feature).

For each vendor with an ``oid4vci_issuer`` section, each *other* vendor with a ``wallet``
section and each vendor with an ``oid4vp_verifier`` section that is not the wallet's own (the
issuer's vendor or a third), and each format all three claim (``ldp_vc``, ``jwt_vc_json``):

1. the wallet is reset through its adapter (``POST /reset``);
2. the issuer's offer hook makes a fresh pre-authorized offer (with a tx_code and by reference
   when the issuer claims them), as lerconf's OID4VCI issuer scenarios ask for one;
3. the wallet takes it (adapter ``POST /offers``) and must list the badge (``GET /credentials``);
4. the verifier's request hook makes a presentation request (DCQL for the badge, a client_id
   prefix both the wallet and the verifier claim), the wallet answers it (``POST /presentations``);
5. the verifier's result hook says whether it verified the presentation: the verdict.

The wallet talks to the issuer and the verifier directly, so lerconf sees only what the wallet
adapter reports (its outcomes and stored credentials, evidence of where a flow stopped) and what
the verifier's result hook says. A verifier without a result hook cannot show its verdict: no
case is made with it (not claimed).

The lifecycle variant (LCW-02 across vendors) offers an ``ldp_vc`` badge with a revocation
entry (offer hook body ``"status_purpose": "revocation"``), has it presented and accepted, has
the issuer revoke it, and has it presented again: the verifier must now refuse it. It is made
only for an issuer lerconf can revoke with: ``oid4vci_issuer.options.status_url`` (a VC API
style status endpoint: ``{"credentialId", "status": true, "credentialStatus": {...}}``), else the
vendor's VC API ``issuer.status_url`` when it claims ``BitstringStatusList``.
"""
from __future__ import annotations

import base64
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lerconf.checks.oid4vp import response_accepted
from lerconf.checks.wallet_presentation import vendor_verifier_refuses_revoked_badge
from lerconf.clients.oid4vci import Oid4vciClient
from lerconf.clients.oid4vp import Oid4vpWallet
from lerconf.clients.oid4vp_request import fetch_request, from_hook_answer
from lerconf.clients.scenario_header import scenario_header
from lerconf.clients.wallet_adapter import WalletDriver
from lerconf.evidence import Evidence
from lerconf.outcome import Outcome
from lerconf.profile.load import VendorProfile
from lerconf.protocol.oid4vci import offer_parts
from lerconf.protocol.vp_verdict import Observation, Seen
from lerconf.scenarios.expect import expect_checks, expect_observed
from lerconf.scenarios.wallet_driver import driver_for, reset_wallet
from lerconf.verdicts import Broken, CannotJudge

if TYPE_CHECKING:
    from lerconf.scenarios.harness import Harness, VendorUnderTest

__all__ = ["FORMATS", "LIFECYCLE", "OPENID_KINDS", "PRESENTATION", "HeldOpenIdBadge", "OpenIdInteropCase",
           "OpenIdParties", "expect_refused_as_revoked", "expect_verified", "hold_badge", "openid_cases",
           "present", "revocation_url", "revoke"]

PRESENTATION = "openid"
LIFECYCLE = "openid-lifecycle"
#: which OpenID interop cases a scenario runs, by its requirement id
OPENID_KINDS = {"VP-04": PRESENTATION, "LCW-02": LIFECYCLE}
FORMATS = ("ldp_vc", "jwt_vc_json")
#: client_id prefixes lerconf asks a verifier for, in preference order (x509_* needs the
#: verifier's CA in the wallet, which lerconf can hand over only for its own verifier)
PREFIXES = ("decentralized_identifier", "redirect_uri")
PRE_AUTHORIZED = "pre-authorized_code"
REVOCATION = "revocation"


@dataclass(frozen=True)
class OpenIdInteropCase:
    """One issuer → wallet → verifier combination of distinct vendors, in one format."""

    kind: str
    issuer: str
    wallet: str
    verifier: str
    format: str
    client_id_prefix: str = field(default="decentralized_identifier", compare=False)

    @property
    def label(self) -> str:
        return f"{self.issuer} → {self.wallet} → {self.verifier}"

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.label}:{self.format}"

    # what results.json's scenario id carries for every interop case (lerconf.run.recording)
    @property
    def securing(self) -> str:
        return self.format

    @property
    def vc_version(self) -> str:
        return "-"  # the format decides it (ldp_vc: the issuer's; jwt_vc_json: VCDM 1.1)

    def to_json(self) -> dict[str, str | None]:
        """The ``interop`` field of the scenario's result. The wallet is the holder: ``holder`` names it
        too, so whatever reads the parties of any interop record (issuer, holder, verifier) finds it."""
        return {"kind": self.kind, "issuer": self.issuer, "wallet": self.wallet, "holder": self.wallet,
                "verifier": self.verifier, "format": self.format, "client_id_prefix": self.client_id_prefix}


def revocation_url(profile: VendorProfile) -> str | None:
    """Where lerconf revokes a badge the vendor's OID4VCI issuer issued (None: it cannot)."""
    section = profile.oid4vci_issuer
    if section is None:
        return None
    explicit = section.options.get("status_url")
    if isinstance(explicit, str) and explicit:
        return explicit
    vcapi = profile.role("issuer")
    if vcapi is not None and "status_url" in vcapi.urls and "BitstringStatusList" in vcapi.claims.status:
        return str(vcapi.urls["status_url"])
    return None


def _prefix(wallet: VendorProfile, verifier: VendorProfile) -> str | None:
    w, v = wallet.wallet, verifier.oid4vp_verifier
    if w is None or v is None:
        return None
    return next((p for p in PREFIXES if p in w.claims.client_id_prefixes and p in v.claims.client_id_prefixes), None)


def _formats(issuer: VendorProfile, wallet: VendorProfile, verifier: VendorProfile) -> list[str]:
    i, w, v = issuer.oid4vci_issuer, wallet.wallet, verifier.oid4vp_verifier
    if i is None or w is None or v is None:
        return []
    return [f for f in FORMATS if f in i.formats and f in w.claims.formats and f in v.claims.formats]


def _eligible(issuer: VendorProfile, wallet: VendorProfile, verifier: VendorProfile) -> bool:
    """All three roles, distinct where they must be, and lerconf can drive and observe them."""
    i, w, v = issuer.oid4vci_issuer, wallet.wallet, verifier.oid4vp_verifier
    if i is None or w is None or v is None or w.manual:
        return False
    if wallet.name in (issuer.name, verifier.name):
        return False
    if i.draft_only or v.draft_only or PRE_AUTHORIZED not in i.grants or PRE_AUTHORIZED not in w.claims.grants:
        return False
    return v.verdict_from == "result_hook" and bool(v.result_hook) and "direct_post" in v.claims.response_modes \
        and "direct_post" in w.claims.response_modes


def openid_cases(profiles: list[VendorProfile], kind: str) -> Iterator[OpenIdInteropCase]:
    """The OpenID interop cases of one kind (PRESENTATION or LIFECYCLE) between distinct vendors."""
    for issuer in profiles:
        for wallet in profiles:
            for verifier in profiles:
                if not _eligible(issuer, wallet, verifier):
                    continue
                prefix = _prefix(wallet, verifier)
                formats = _formats(issuer, wallet, verifier)
                if prefix is None or not formats:
                    continue
                if kind == LIFECYCLE:
                    if revocation_url(issuer) is None or "ldp_vc" not in formats:
                        continue
                    formats = ["ldp_vc"]
                elif kind != PRESENTATION:
                    return
                for fmt in formats:
                    yield OpenIdInteropCase(kind, issuer.name, wallet.name, verifier.name, fmt, prefix)


# -- the parties and the flow -------------------------------------------------------------------------
@dataclass(frozen=True)
class OpenIdParties:
    """The vendors of one OpenID interop case."""

    case: OpenIdInteropCase
    issuer: VendorUnderTest
    wallet: VendorUnderTest
    verifier: VendorUnderTest

    @classmethod
    def of(cls, harness: Harness, case: OpenIdInteropCase) -> OpenIdParties:
        return cls(case, harness.vendor(case.issuer), harness.vendor(case.wallet), harness.vendor(case.verifier))

    def __repr__(self) -> str:
        return f"OpenIdParties({self.case.label}, {self.case.format})"


@dataclass
class HeldOpenIdBadge:
    """The badge the wallet obtained from the issuer, and what the verifier said about it since."""

    driver: WalletDriver = field(repr=False)
    stored: Mapping[str, Any] = field(repr=False)
    verdicts: list[Observation] = field(default_factory=list)
    revoked: bool = False

    @property
    def credential(self) -> Mapping[str, Any] | None:
        """The stored credential as a JSON object (a jwt_vc_json's ``vc`` claim), if readable."""
        value = self.stored.get("credential")
        if isinstance(value, Mapping):
            return value
        if isinstance(value, str) and value.count(".") == 2:
            try:
                payload = value.split(".")[1]
                claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
            except ValueError:
                return None
            vc = claims.get("vc") if isinstance(claims, Mapping) else None
            if isinstance(vc, Mapping):
                return {**vc, **({"id": claims["jti"]} if "id" not in vc and isinstance(claims.get("jti"), str) else {})}
        return None


def _offer_body(parties: OpenIdParties, evidence: Evidence, status_purpose: str | None) -> dict[str, Any]:
    section = parties.issuer.profile.oid4vci_issuer
    assert section is not None  # the case was generated from it
    fmt = parties.case.format
    configuration = section.configuration_for(fmt)
    if configuration is None:
        metadata = Oid4vciClient(parties.issuer.http, section).metadata()
        for attempt in metadata.attempts:
            evidence.record(attempt.exchange)
        configuration = metadata.configuration_for(fmt)
    if configuration is None:
        raise Broken(f"prerequisite: {parties.issuer.name}'s issuer metadata advertises no {fmt} configuration")
    return {"credential_configuration_id": configuration, "grant": PRE_AUTHORIZED, "tx_code": "tx_code" in section.features,
            "by_reference": "offer_by_reference" in section.features,
            **({"status_purpose": status_purpose} if status_purpose else {})}


def _offer(parties: OpenIdParties, evidence: Evidence, status_purpose: str | None) -> tuple[dict[str, Any], str | None]:
    """The issuer's offer hook makes a fresh offer: what to hand the wallet, and the tx_code."""
    section = parties.issuer.profile.oid4vci_issuer
    assert section is not None
    raw: list[Any] = []
    exchange = parties.issuer.http.request("POST", section.offer_url, json_body=_offer_body(parties, evidence, status_purpose),
                                           keep_json=raw)
    evidence.record(exchange)
    body = raw[0] if raw and isinstance(raw[0], Mapping) else {}
    if exchange.outcome is not Outcome.ACCEPTED:
        raise Broken(f"prerequisite: {parties.issuer.name}'s offer hook made no offer: {exchange.outcome.value}: {exchange.reason}")
    tx_code = body.get("tx_code") if isinstance(body.get("tx_code"), str) else None
    parts = offer_parts(body)
    if parts.uri is not None:
        return {"credential_offer_uri": parts.uri}, tx_code
    if parts.document is not None:
        return {"credential_offer": dict(parts.document)}, tx_code
    raise Broken(f"prerequisite: {parties.issuer.name}'s offer hook gave neither an offer nor an offer URI")


def hold_badge(parties: OpenIdParties, evidence: Evidence, *, revocable: bool = False) -> HeldOpenIdBadge:
    """The wallet takes a fresh offer of the issuer (with a revocation entry when ``revocable``) and
    must list the badge: a wallet that does not store it fails (the issuer × wallet cell)."""
    # the adapter's X-Lerconf-Scenario header names the case (one wallet of an adapter that keeps scenarios apart)
    label = f"interop {parties.case.issuer} -> {parties.case.wallet} -> {parties.case.verifier} ({parties.case.format})"
    driver = driver_for(parties.wallet, scenario=scenario_header(label))
    reset_wallet(driver, parties.wallet)
    offer, tx_code = _offer(parties, evidence, REVOCATION if revocable else None)
    answer = driver.receive_offer(**offer, tx_code=tx_code)
    evidence.record(answer.exchange)
    evidence.notes.append(f"{parties.wallet.name}'s wallet adapter reported {answer.outcome!r} for "
                          f"{parties.issuer.name}'s offer" + (f" ({dict(answer.wallet_error)})" if answer.wallet_error else ""))
    if answer.not_supported:
        raise Broken(f"prerequisite: {parties.wallet.name}'s wallet adapter does not support POST /offers (501)")
    if not answer.ok and answer.exchange.outcome is not Outcome.REJECTED:
        raise Broken(f"{parties.wallet.name}'s wallet adapter gave no usable answer to POST /offers: {answer.exchange.reason}")
    listed = driver.credentials()
    evidence.record(listed.exchange)
    items = [c for c in listed.body if isinstance(c, Mapping)] if isinstance(listed.body, list) else []
    if not listed.ok:
        raise Broken(f"{parties.wallet.name}'s wallet adapter gave no usable answer to GET /credentials: {listed.exchange.reason}")
    matching = [c for c in items if c.get("format") in (parties.case.format, None)]
    if not matching:
        raise AssertionError(f"{parties.wallet.name}'s wallet did not obtain a {parties.case.format} badge from "
                             f"{parties.issuer.name}'s issuer (adapter outcome {answer.outcome!r}"
                             + (f", wallet error {dict(answer.wallet_error)}" if answer.wallet_error else "")
                             + f"; it lists {len(items)} credential(s))")
    held = HeldOpenIdBadge(driver, matching[-1])
    evidence.keep(f"badge {parties.wallet.name}'s wallet holds", dict(held.stored))
    if revocable:
        status = (held.credential or {}).get("credentialStatus")
        entries = status if isinstance(status, list) else [status]
        if not any(isinstance(s, Mapping) and s.get("statusPurpose") == REVOCATION for s in entries):
            raise CannotJudge(f"{parties.issuer.name}'s offer hook was asked for a badge with a revocation entry "
                              "(status_purpose) and issued one without: the lifecycle cannot be tested")
    return held


def present(parties: OpenIdParties, evidence: Evidence, held: HeldOpenIdBadge) -> Observation:
    """The verifier makes a request (its request hook), the wallet answers it, the verifier's result
    hook says what it decided (kept on ``held``)."""
    verifier = parties.verifier
    section = verifier.profile.oid4vp_verifier
    assert section is not None
    wishes = {"format": parties.case.format, "credential_type": "OpenBadgeCredential",
              "client_id_prefix": parties.case.client_id_prefix, "response_mode": "direct_post"}
    exchange = verifier.http.post_json(section.request_hook, wishes)
    evidence.record(exchange)
    if exchange.outcome is not Outcome.ACCEPTED:
        raise Broken(f"{verifier.name}'s verifier made no presentation request: {exchange.outcome.value}: {exchange.reason}")
    req = from_hook_answer(exchange.json)
    if req.problem:
        raise Broken(f"{verifier.name}'s verifier made no usable presentation request: {req.problem}")
    if req.request_uri is not None:
        answer = held.driver.present(request_uri=req.request_uri, client_id=req.outer_client_id)
    elif req.request_object is not None:
        answer = held.driver.present(request=req.request_object.token)
    else:
        raise Broken(f"{verifier.name}'s request hook gave plain request parameters; lerconf hands a wallet a "
                     "request_uri or a request object")
    evidence.record(answer.exchange)
    evidence.notes.append(f"{parties.wallet.name}'s wallet adapter reported {answer.outcome!r}"
                          + (f" ({dict(answer.wallet_error)})" if answer.wallet_error else "") + " (evidence only)")
    if req.state is None and req.request_uri is not None:  # the state (for the result hook) is in the object
        fetch_request(verifier.http, req)
        evidence.exchanges.extend(req.exchanges)
    observation = Oid4vpWallet(verifier.http, section).observe(req, answer.exchange)
    evidence.notes.append(f"{verifier.name}'s verifier, by its result hook: {observation}")
    held.verdicts.append(observation)
    return observation


def _last_verdict(held: HeldOpenIdBadge) -> Observation:
    if not held.verdicts:
        raise RuntimeError("no presentation was made")
    return expect_observed(held.verdicts[-1], "the verifier's verdict")


def expect_verified(parties: OpenIdParties, evidence: Evidence, held: HeldOpenIdBadge) -> None:
    """VP-04 across vendors: the verifier's result hook says it verified the wallet's presentation."""
    observation = _last_verdict(held)
    sent = f"{parties.wallet.name}'s presentation of {parties.issuer.name}'s {parties.case.format} badge"
    expect_checks(evidence, [response_accepted(observation, sent)])


def revoke(parties: OpenIdParties, evidence: Evidence, held: HeldOpenIdBadge) -> None:
    """The issuer sets the badge's revocation bit (its status endpoint: see :func:`revocation_url`)."""
    url = revocation_url(parties.issuer.profile)
    credential_id = (held.credential or {}).get("id")
    if url is None or not isinstance(credential_id, str):
        raise Broken(f"prerequisite: {parties.issuer.name} has no status endpoint or the badge has no id to revoke")
    body = {"credentialId": credential_id, "status": True,
            "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": REVOCATION}}
    exchange = parties.issuer.http.request("POST", url, json_body=body)
    evidence.record(exchange)
    if exchange.outcome is not Outcome.ACCEPTED:
        raise Broken(f"prerequisite: {parties.issuer.name} did not revoke the badge: {exchange.outcome.value}: {exchange.reason}")
    held.revoked = True


def expect_refused_as_revoked(parties: OpenIdParties, evidence: Evidence, held: HeldOpenIdBadge) -> None:
    """LCW-02 across vendors: after the issuer revoked the badge, the flow fails (the verifier
    refuses it, or the wallet declines to present it): the verifier never reports success."""
    if not held.revoked:
        raise RuntimeError("LCW-02 is judged after the issuer revoked the badge")
    observation = _last_verdict(held)
    expect_checks(evidence, [vendor_verifier_refuses_revoked_badge(observation.seen is Seen.SUCCESS,
                                                                   f"{parties.verifier.name}: {observation}")])
