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

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lerconf.clients.oid4vp import Observation, Oid4vpWallet, Seen
from lerconf.clients.oid4vp_request import fetch_request, from_hook_answer
from lerconf.evidence import Evidence
from lerconf.outcome import Outcome
from lerconf.refimpl.oid4vp import store_of
from lerconf.scenarios.wallet import (
    Issuance,
    Presentation,
    issued_credentials,
    offer,
    prefix_for,
    request,
)
from lerconf.verdicts import Broken, CannotJudge

if TYPE_CHECKING:
    from lerconf.scenarios.harness import Harness, VendorUnderTest

__all__ = ["LERCONF_VERIFIER", "VENDOR_VERIFIER", "HeldBadge", "expect_accepted", "expect_refused_as_revoked",
           "hold_revocable_badge", "present", "revoke"]

#: the verifiers of the lifecycle (the Scenario Outline's ``verifier`` column)
LERCONF_VERIFIER = "lerconf's verifier"
VENDOR_VERIFIER = "the vendor's verifier"

REVOCATION = "revocation"


@dataclass
class HeldBadge:
    """The revocable badge the wallet obtained from lerconf's issuer, and what happened to it since."""

    issuance: Issuance = field(repr=False)
    credential: Mapping[str, Any] = field(repr=False)
    presentations: list[Presentation] = field(default_factory=list, repr=False)
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


def _outcome(harness: Harness, presentation: Presentation, evidence: Evidence) -> tuple[bool, str | None, list[str]]:
    """(a vp_token reached lerconf's response_uri, lerconf's verifier verdict or None, its errors)."""
    sent = [r for r in presentation.responses if "vp_token" in r.form()]
    txn = store_of(harness.reference.state).by_state(presentation.state)
    verified = None if txn is None or txn.verified is None else ("accepted" if txn.verified else "refused")
    errors = list(txn.errors) if txn is not None else []
    evidence.notes.append(f"presentation {presentation.state[:8]}…: vp_token received: {bool(sent)}, "
                          f"lerconf's verifier: {verified or 'no verdict'}" + (f", errors: {errors[:3]}" if errors else ""))
    return bool(sent), verified, errors


def _expect_vendor_verdict(held: HeldBadge, *, success: bool) -> None:
    observation = held.verdicts[-1]
    if observation.seen in (Seen.BROKEN, Seen.NOT_OBSERVABLE):
        raise Broken(f"the vendor verifier's verdict: {observation}")
    if success:
        assert observation.seen is Seen.SUCCESS, (
            f"the vendor's verifier did not accept the wallet's presentation of a valid badge: {observation}")
    else:
        assert observation.seen is not Seen.SUCCESS, f"the vendor's verifier accepted a revoked badge: {observation}"


def expect_accepted(harness: Harness, held: HeldBadge, evidence: Evidence, verifier: str = LERCONF_VERIFIER) -> None:
    """Before revocation the wallet presents the badge as issued and the verifier accepts it.

    With the vendor's verifier this is the positive control: if it refuses lerconf's valid badge
    (it may be unable to reach lerconf's loopback did:web or status list), the revocation that
    follows proves nothing, so the row cannot be judged; the wallet's own presentation is judged
    from the wire in the "lerconf's verifier" row."""
    if verifier == VENDOR_VERIFIER:
        observation = held.verdicts[-1]
        if observation.seen is Seen.FAILURE:
            raise CannotJudge(f"the vendor's verifier did not accept the wallet's presentation of "
                        f"lerconf's valid badge ({observation})")
        _expect_vendor_verdict(held, success=True)
        return
    presentation = held.presentations[-1]
    sent, verdict, errors = _outcome(harness, presentation, evidence)
    assert sent, ("the wallet sent no vp_token to lerconf's response_uri for a badge it holds "
                  f"(adapter outcome {presentation.answer.outcome if presentation.answer else None!r})")
    token = json.loads(next(r.form()["vp_token"] for r in presentation.responses if "vp_token" in r.form()))
    inner: list[Any] = []
    for items in token.values() if isinstance(token, dict) else []:
        for vp in items if isinstance(items, list) else []:
            held_vcs = vp.get("verifiableCredential") if isinstance(vp, Mapping) else None
            inner.extend(held_vcs if isinstance(held_vcs, list) else [held_vcs])
    assert held.credential in inner, "the wallet did not present the badge exactly as lerconf issued it"
    assert verdict == "accepted", f"lerconf's verifier refused the wallet's presentation: {'; '.join(errors[:3])}"


def revoke(harness: Harness, held: HeldBadge, evidence: Evidence) -> None:
    """lerconf's issuer sets the badge's revocation bit (its VC API status endpoint)."""
    body = {"credentialId": held.credential_id, "status": True,
            "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": REVOCATION}}
    exchange = harness.own.http.request("POST", harness.reference.base_url + "/credentials/status", json_body=body)
    evidence.record(exchange)
    if exchange.outcome is not Outcome.ACCEPTED:
        raise RuntimeError(f"lerconf's issuer could not revoke the badge: {exchange.reason}")
    held.revoked = True


def expect_refused_as_revoked(harness: Harness, held: HeldBadge, evidence: Evidence) -> None:
    """After revocation the flow fails: the verifier refuses the presentation because of the
    revoked status, or the wallet declines to present the revoked badge. Never a success."""
    if held.verdicts:  # the vendor's verifier: its result hook (the reason is evidence, not matched)
        _expect_vendor_verdict(held, success=False)
        return
    presentation = held.presentations[-1]
    sent, verdict, errors = _outcome(harness, presentation, evidence)
    if not sent:
        declined = [r for r in presentation.responses if r.form().get("error")]
        assert declined, ("after revocation the wallet neither presented the badge nor sent an error response to "
                          "lerconf's response_uri")
        evidence.notes.append("the wallet declined to present the revoked badge (its own status check)")
        return
    assert verdict == "refused", "lerconf's verifier accepted the presentation of a revoked badge"
    assert any("revoked" in e.lower() or "BSL" in e for e in errors), (
        f"lerconf's verifier refused the presentation, but not for the revocation: {'; '.join(errors[:3])}")
