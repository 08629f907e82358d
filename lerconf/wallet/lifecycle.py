"""The wallet lifecycle (LCW-02): lerconf's issuer gives the wallet under test a revocable badge
over OID4VCI, the wallet presents it to lerconf's verifier over OID4VP (accepted), lerconf's
issuer revokes it, and the wallet's next presentation of the same badge must fail.

The verdicts come from lerconf's own endpoints: what its response_uri received and what its
verifier decided (``lerconf.refimpl.oid4vp``). The wallet passes when it presents what it holds,
unchanged and bound to each request; after revocation, either the verifier refuses the
presentation for the revoked status or the wallet declines to present it — the flow fails both
ways, and the evidence says which.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lerconf.evidence import BrokenVendor, Evidence
from lerconf.wallet.scenario import Issuance, Presentation, issued_credentials, offer, request

if TYPE_CHECKING:
    from lerconf.harness import Harness, VendorUnderTest

__all__ = ["HeldBadge", "expect_accepted", "expect_refused_as_revoked", "hold_revocable_badge", "present", "revoke"]

#: the client_id prefix of lerconf's verifier in the lifecycle (signed request objects, did-bound)
PREFIX = "decentralized_identifier"
REVOCATION = "revocation"


@dataclass
class HeldBadge:
    """The revocable badge the wallet obtained from lerconf's issuer, and what happened to it since."""

    issuance: Issuance = field(repr=False)
    credential: Mapping[str, Any] = field(repr=False)
    presentations: list[Presentation] = field(default_factory=list, repr=False)
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
        raise BrokenVendor("prerequisite: the wallet did not obtain the revocable badge from lerconf's issuer over "
                           f"OID4VCI (adapter outcome {issuance.answer.outcome!r}): the lifecycle cannot be tested")
    status = issued[0].get("credentialStatus")
    if not isinstance(status, Mapping) or status.get("statusPurpose") != REVOCATION:
        raise RuntimeError("lerconf's OID4VCI issuer issued the lifecycle badge without a revocation entry")
    evidence.keep("revocable badge issued over OID4VCI", issued[0])
    return HeldBadge(issuance, issued[0])


def present(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, held: HeldBadge) -> Presentation:
    """A fresh request of lerconf's verifier (DCQL for the badge) handed to the wallet."""
    presentation = request(harness, vendor, evidence, held.issuance.driver, PREFIX)
    held.presentations.append(presentation)
    return presentation


def _outcome(harness: Harness, presentation: Presentation, evidence: Evidence) -> tuple[bool, str | None, list[str]]:
    """(a vp_token reached lerconf's response_uri, lerconf's verifier verdict or None, its errors)."""
    from lerconf.refimpl.oid4vp import store_of

    sent = [r for r in presentation.responses if "vp_token" in r.form()]
    txn = store_of(harness.reference.state).by_state(presentation.state)
    verified = None if txn is None or txn.verified is None else ("accepted" if txn.verified else "refused")
    errors = list(txn.errors) if txn is not None else []
    evidence.notes.append(f"presentation {presentation.state[:8]}…: vp_token received: {bool(sent)}, "
                          f"lerconf's verifier: {verified or 'no verdict'}" + (f", errors: {errors[:3]}" if errors else ""))
    return bool(sent), verified, errors


def expect_accepted(harness: Harness, held: HeldBadge, evidence: Evidence) -> None:
    """Before revocation the wallet presents the badge as issued and lerconf's verifier accepts it."""
    presentation = held.presentations[-1]
    sent, verdict, errors = _outcome(harness, presentation, evidence)
    assert sent, ("the wallet sent no vp_token to lerconf's response_uri for a badge it holds "
                  f"(adapter outcome {presentation.answer.outcome if presentation.answer else None!r})")
    token = json.loads(next(r.form()["vp_token"] for r in presentation.responses if "vp_token" in r.form()))
    inner = [vc for items in token.values() if isinstance(items, list) for vp in items if isinstance(vp, Mapping)
             for vc in (vp.get("verifiableCredential") if isinstance(vp.get("verifiableCredential"), list)
                        else [vp.get("verifiableCredential")])]
    assert held.credential in inner, "the wallet did not present the badge exactly as lerconf issued it"
    assert verdict == "accepted", f"lerconf's verifier refused the wallet's presentation: {'; '.join(errors[:3])}"


def revoke(harness: Harness, held: HeldBadge, evidence: Evidence) -> None:
    """lerconf's issuer sets the badge's revocation bit (its VC API status endpoint)."""
    from lerconf.clients.outcome import Outcome

    body = {"credentialId": held.credential_id, "status": True,
            "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": REVOCATION}}
    exchange = harness.own.http.request("POST", harness.reference.base_url + "/credentials/status", json_body=body)
    evidence.record(exchange)
    if exchange.outcome is not Outcome.ACCEPTED:
        raise RuntimeError(f"lerconf's issuer could not revoke the badge: {exchange.reason}")
    held.revoked = True


def expect_refused_as_revoked(harness: Harness, held: HeldBadge, evidence: Evidence) -> None:
    """After revocation the flow fails: lerconf's verifier refuses the presentation because of
    the revoked status, or the wallet declines to present the revoked badge. Never a success."""
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
