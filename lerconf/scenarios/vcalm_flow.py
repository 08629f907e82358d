"""lerconf as a wallet in a vendor's VCALM exchange: a fresh exchange per scenario, started with
``{}``, answered with a DIDAuthentication presentation signed by lerconf's holder did:key (for a
verifying exchange, holding a badge lerconf issued to that DID). Scenarios (lerconf.scenarios.vcalm)
compose these. A prerequisite the vendor does not deliver (no exchange, no request) breaks the
scenario, never fails or passes it.
"""
from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lerconf import entropy
from lerconf.clients.vcalm import VcalmClient
from lerconf.crypto.signing import Signer, deterministic_key
from lerconf.documents.templates import ob3_achievement_credential, unsigned_presentation
from lerconf.negatives.mutators import mutate
from lerconf.outcome import Outcome
from lerconf.protocol.oid4vci import Answer
from lerconf.verdicts import Broken

if TYPE_CHECKING:
    from lerconf.evidence import Evidence
    from lerconf.profile.vcalm import VcalmExchangeSection
    from lerconf.scenarios.harness import Harness, VendorUnderTest

__all__ = ["SUITE", "Started", "VcalmSession", "badge", "expect_usable", "open_session", "presentation", "started"]

SUITE = "eddsa-rdfc-2022"


@dataclass
class VcalmSession:
    """The vendor's issuing or verifying exchange, as a scenario uses it."""

    harness: Harness = field(repr=False)
    vendor: VendorUnderTest = field(repr=False)
    section: VcalmExchangeSection
    evidence: Evidence = field(repr=False)

    @property
    def issuing(self) -> bool:
        return self.section.role == "vcalm_issuer"

    def client(self) -> VcalmClient:
        return VcalmClient(self.vendor.http, self.section)

    @property
    def holder(self) -> Signer:
        """lerconf's wallet DID (did:key: any exchange resolves it without reaching this machine)."""
        return Signer.did_key(deterministic_key("harness-vcalm-holder", "Ed25519"))

    @property
    def stranger(self) -> Signer:
        """A key of another DID: the holder DID does not control it."""
        return Signer.did_key(deterministic_key("harness-vcalm-stranger", "Ed25519"))


def open_session(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, role: str) -> VcalmSession:
    section = getattr(vendor.profile, role, None)
    if section is None:
        raise LookupError(f"{vendor.name} has no {role} section")
    return VcalmSession(harness, vendor, section, evidence)


def expect_usable(answer: Answer, what: str) -> None:
    """5xx and transport failures are broken, whatever a check would say of them."""
    if answer.outcome in (Outcome.SERVER_ERROR, Outcome.TRANSPORT_ERROR):
        raise Broken(f"{what}: {answer.outcome.value}: {answer.exchange.reason}")


@dataclass
class Started:
    """An exchange lerconf created and started: its URL, the create and start answers, the VPR."""

    url: str
    interaction_url: str | None
    created: Answer
    start: Answer
    request: Mapping[str, Any]


def created(session: VcalmSession) -> tuple[Answer, str, str | None]:
    new = session.client().new_exchange()
    if new.answer.outcome is not Outcome.ACCEPTED or not new.exchange_url:
        raise Broken(f"prerequisite: a fresh exchange: {new.answer.outcome.value}: {new.answer.exchange.reason}"
                     + ("" if new.exchange_url else " (no exchange URL named)"))
    return new.answer, new.exchange_url, new.interaction_url


def started(session: VcalmSession) -> Started:
    """A fresh exchange, started with ``{}``; broken when the vendor gives no request to answer."""
    answer, url, interaction = created(session)
    start = session.client().start(url)
    expect_usable(start, "prerequisite: starting the exchange")
    vpr = start.body.get("verifiablePresentationRequest") if isinstance(start.body, Mapping) else None
    if start.outcome is not Outcome.ACCEPTED or not isinstance(vpr, Mapping):
        raise Broken(f"prerequisite: the exchange's verifiablePresentationRequest: {start.exchange.reason} "
                     f"(POST {{}} to {url}, the exchange the vendor had just created: "
                     f"{answer.exchange.status} {answer.outcome.value})")
    session.evidence.keep("verifiable presentation request", vpr)
    return Started(url, interaction, answer, start, vpr)


def badge(session: VcalmSession, kind: str = "valid") -> dict[str, Any]:
    """An Open Badge lerconf issued to its wallet DID (did:key issuer, status on lerconf's list):
    ``valid``, ``revoked`` (its revocation bit set), ``tampered`` (changed after signing) or ``expired``
    (validly signed, its validity period over)."""
    harness = session.harness
    key = ("vcalm-badge", "revoked" if kind == "revoked" else "valid", session.holder.controller)
    if key not in harness.cache:
        revoked = harness.mutation_context(SUITE).revoked_status if kind == "revoked" else None
        status = dict(revoked) if revoked is not None else harness.status_entry("revocation", set_bit=False)
        signer = harness.signer(SUITE)
        document = ob3_achievement_credential(signer.controller, session.holder.controller,
                                              credential_id=f"urn:uuid:{entropy.uuid4()}", credential_status=status)
        harness.cache[key] = signer.sign(document, SUITE, harness.engine.processor)
    credential = copy.deepcopy(harness.cache[key])
    if kind == "tampered":
        credential["name"] = f"{credential.get('name', 'Badge')} (with honours)"
    if kind == "expired":  # validly signed, its validity period ended yesterday (the mutator re-signs it)
        return mutate(credential, "expired", harness.mutation_context(SUITE))
    return dict(credential)


def presentation(session: VcalmSession, request: Mapping[str, Any], *, challenge: str | None = None,
                 domain: str | None = None, signer: Signer | None = None,
                 credentials: Sequence[Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """lerconf's DIDAuthentication answer to ``request``: holder = lerconf's DID, signed for
    ``authentication`` with the request's challenge and domain unless a defect overrides one."""
    creds = list(credentials) if credentials is not None else ([] if session.issuing else [badge(session)])
    vp = unsigned_presentation([dict(c) for c in creds], session.holder.controller)
    if not creds:
        del vp["verifiableCredential"]
    wanted_challenge = challenge or str(request.get("challenge") or entropy.token_urlsafe(16))
    wanted_domain = domain or request.get("domain")
    return (signer or session.holder).sign(vp, SUITE, session.harness.engine.processor, purpose="authentication",
                                           challenge=wanted_challenge,
                                           domain=str(wanted_domain) if wanted_domain else None)
