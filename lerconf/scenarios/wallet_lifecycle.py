"""The wallet lifecycle (LCW-02): lerconf's issuer gives the wallet under test a revocable badge
over OID4VCI, the wallet presents it to a verifier over OID4VP (accepted), lerconf's issuer
revokes it, and the wallet's next presentation of the same badge must fail.

The verifier is lerconf's own or the vendor's (its ``oid4vp_verifier`` section). With lerconf's,
the verdicts come from lerconf's endpoints: what its response_uri received and what its verifier
decided (``lerconf.refimpl.oid4vp``); the wallet passes when it presents what it holds, unchanged
and bound to each request. With the vendor's, the wallet posts to the vendor's response_uri, so
only the vendor's result hook can tell the verdict; without one the verdict is not observable
and the row is not claimed. After revocation the flow must fail: the verifier refuses the revoked
badge, or the wallet declines to present it; the evidence says which.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lerconf.checks import wallet_presentation as checks
from lerconf.clients.oid4vp import Oid4vpWallet
from lerconf.clients.oid4vp_request import fetch_request, from_hook_answer
from lerconf.evidence import Evidence
from lerconf.outcome import Outcome
from lerconf.protocol.vp_verdict import Observation, Seen
from lerconf.refimpl.oid4vp import store_of
from lerconf.results import CheckResult
from lerconf.scenarios.expect import expect_checks, expect_observed, under_positive_control
from lerconf.scenarios.wallet_issuance import WalletIssuance, issued_credentials, offer
from lerconf.scenarios.wallet_presentation import WalletPresentation, prefix_for, request
from lerconf.verdicts import Broken

if TYPE_CHECKING:
    from lerconf.scenarios.harness import Harness, VendorUnderTest

__all__ = ["LERCONF_VERIFIER", "LIFECYCLE_REQUIREMENTS", "VENDOR_VERIFIER", "HeldBadge", "expect_accepted",
           "hold_revocable_badge", "present", "revoke"]

#: the verifiers of the lifecycle (the Scenario Outline's ``verifier`` column)
LERCONF_VERIFIER = "lerconf's verifier"
VENDOR_VERIFIER = "the vendor's verifier"

REVOCATION = "revocation"


@dataclass
class HeldBadge:
    """The revocable badge the wallet obtained from lerconf's issuer, and what happened to it since."""

    issuance: WalletIssuance = field(repr=False)
    credential: Mapping[str, Any] = field(repr=False)
    presentations: list[WalletPresentation] = field(default_factory=list, repr=False)
    verdicts: list[Observation] = field(default_factory=list, repr=False)  # the vendor's verifier, observed
    revoked: bool = False

    @property
    def credential_id(self) -> str:
        return str(self.credential.get("id"))

    def __repr__(self) -> str:
        return f"HeldBadge({self.credential_id!r}, revoked={self.revoked}, presentations={len(self.presentations)})"


def hold_revocable_badge(harness: Harness, vendor: VendorUnderTest, evidence: Evidence) -> HeldBadge:
    """Offer an ldp_vc badge with a revocation entry; the wallet must obtain it (else: broken)."""
    issuance = offer(harness, vendor, evidence, "ldp_vc", status_purpose=REVOCATION)
    issued = [c for c in issued_credentials(issuance) if isinstance(c, Mapping)]
    if not issued:
        raise Broken("prerequisite: the wallet did not obtain the revocable badge from lerconf's issuer over "
                     f"OID4VCI (adapter outcome {issuance.answer.outcome!r}): the lifecycle cannot be tested")
    status = issued[0].get("credentialStatus")
    if not isinstance(status, Mapping) or status.get("statusPurpose") != REVOCATION:
        raise RuntimeError("lerconf's OID4VCI issuer issued the lifecycle badge without a revocation entry")
    evidence.keep("revocable badge issued over OID4VCI", issued[0])
    return HeldBadge(issuance, issued[0])


def present(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, held: HeldBadge,
            verifier: str = LERCONF_VERIFIER) -> None:
    """A fresh request of the verifier (DCQL for the badge) handed to the wallet."""
    if verifier == VENDOR_VERIFIER:
        held.verdicts.append(_present_to_vendor(vendor, evidence, held))
        return
    presentation = request(harness, vendor, evidence, held.issuance.driver, prefix_for(vendor))
    held.presentations.append(presentation)


def _present_to_vendor(vendor: VendorUnderTest, evidence: Evidence, held: HeldBadge) -> Observation:
    """The vendor's verifier makes a request (its request hook); the wallet answers it; the
    vendor's result hook says what the verifier decided."""
    section = vendor.profile.oid4vp_verifier
    if section is None or section.verdict_from != "result_hook":  # the plugin skips this row as not claimed
        raise LookupError(f"{vendor.name} has no oid4vp_verifier section with a result hook")
    exchange = vendor.http.post_json(section.request_hook, {"format": "ldp_vc", "credential_type": "OpenBadgeCredential"})
    evidence.record(exchange)
    if exchange.outcome is not Outcome.ACCEPTED:
        raise Broken(f"the vendor's verifier made no presentation request: {exchange.outcome.value}: {exchange.reason}")
    req = from_hook_answer(exchange.json)
    if req.problem:
        raise Broken(f"the vendor's verifier made no usable presentation request: {req.problem}")
    driver = held.issuance.driver
    if req.request_uri is not None:
        answer = driver.present(request_uri=req.request_uri, client_id=req.outer_client_id)
    elif req.request_object is not None:
        answer = driver.present(request=req.request_object.token)
    else:
        raise Broken("the vendor's request hook gave plain request parameters; lerconf hands a wallet a "
                     "request_uri or a request object")
    evidence.notes.append(f"the wallet adapter reported {answer.outcome!r} (evidence only)")
    if req.state is None and req.request_uri is not None:  # the state (for the result hook) is in the object
        fetch_request(vendor.http, req)
        evidence.exchanges.extend(req.exchanges)
    observation = Oid4vpWallet(vendor.http, section).observe(req, answer.exchange)
    evidence.notes.append(f"the vendor's verifier, by its result hook: {observation}")
    return observation


def _verdict(harness: Harness, presentation: WalletPresentation, evidence: Evidence) -> tuple[bool | None, list[str]]:
    """lerconf's verifier's verdict on the presentation (None: none) and its errors, noted as evidence."""
    sent = any("vp_token" in r.form() for r in presentation.responses)
    txn = store_of(harness.reference.state).by_state(presentation.state)
    verified = None if txn is None else txn.verified
    errors = list(txn.errors) if txn is not None else []
    shown = "no verdict" if verified is None else ("accepted" if verified else "refused")
    evidence.notes.append(f"presentation {presentation.state[:8]}…: vp_token received: {sent}, "
                          f"lerconf's verifier: {shown}" + (f", errors: {errors[:3]}" if errors else ""))
    return verified, errors


def _vendor_verdict(held: HeldBadge) -> Observation:
    """The vendor verifier's last verdict; one it could not give (no usable answer, not observable) breaks."""
    return expect_observed(held.verdicts[-1], "the vendor verifier's verdict")


def _vendor_accepted(held: HeldBadge) -> None:
    """The positive control of the vendor verifier's row: it accepts the valid badge (else AssertionError)."""
    observation = _vendor_verdict(held)
    if observation.seen is not Seen.SUCCESS:
        raise AssertionError(f"the vendor's verifier did not accept it: {observation}")


def expect_accepted(harness: Harness, held: HeldBadge, evidence: Evidence, verifier: str = LERCONF_VERIFIER) -> None:
    """Before revocation the wallet presents the badge as issued and the verifier accepts it.

    With the vendor's verifier this is the positive control: if it refuses lerconf's valid badge
    (it may be unable to reach lerconf's loopback did:web or status list), the revocation that
    follows proves nothing, so the row cannot be judged; the wallet's own presentation is judged
    from the wire in the "lerconf's verifier" row."""
    if verifier == VENDOR_VERIFIER:
        under_positive_control(evidence, lambda: _vendor_accepted(held),
                               "the wallet's presentation of lerconf's valid badge, before revocation,")
        return
    presentation = held.presentations[-1]
    verified, errors = _verdict(harness, presentation, evidence)
    if presentation.answer is not None:
        evidence.notes.append(f"the wallet adapter's outcome: {presentation.answer.outcome!r}")
    expect_checks(evidence, [checks.held_badge_presented_and_accepted(presentation.responses, held.credential,
                                                                      verified is True, errors)])


def revoke(harness: Harness, held: HeldBadge, evidence: Evidence) -> None:
    """lerconf's issuer sets the badge's revocation bit (its VC API status endpoint)."""
    revoke_own_badge(harness, held.credential_id, evidence)
    held.revoked = True


def revoke_own_badge(harness: Harness, credential_id: str, evidence: Evidence) -> None:
    """Set the revocation bit of a badge lerconf's embedded issuer issued (its VC API status endpoint);
    lerconf's own failure to do so is a RuntimeError (the scenario breaks), never the vendor's."""
    body = {"credentialId": credential_id, "status": True,
            "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": REVOCATION}}
    exchange = harness.own.http.request("POST", harness.reference.base_url + "/credentials/status", json_body=body)
    evidence.record(exchange)
    if exchange.outcome is not Outcome.ACCEPTED:
        raise RuntimeError(f"lerconf's issuer could not revoke the badge: {exchange.reason}")


def refused_as_revoked(harness: Harness, held: HeldBadge, evidence: Evidence) -> list[CheckResult]:
    """LCW-02: after revocation the flow fails: the verifier refuses the presentation because of the
    revoked status, or the wallet declines to present the revoked badge. Never a success. (The
    vendor's verifier: its result hook; the reason is evidence, not matched.)"""
    if not held.revoked:
        raise RuntimeError("LCW-02 is judged after lerconf's issuer revoked the badge")
    if held.verdicts:
        observation = _vendor_verdict(held)
        return [checks.vendor_verifier_refuses_revoked_badge(observation.seen is Seen.SUCCESS, str(observation))]
    presentation = held.presentations[-1]
    verified, errors = _verdict(harness, presentation, evidence)
    return [checks.revoked_badge_refused(presentation.responses, verified, errors)]


#: requirement id -> what the wallet lifecycle is judged by
LIFECYCLE_REQUIREMENTS: dict[str, Callable[[Harness, HeldBadge, Evidence], list[CheckResult]]] = {
    "LCW-02": refused_as_revoked,
}
