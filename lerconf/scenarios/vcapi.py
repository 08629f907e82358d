"""What scenarios do, as library functions: steps call these in one line.

Issued and signed credentials are cached per vendor and variant, so the dozen scenarios that
judge one issued credential cost one issue call; every scenario still records that exchange.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from lerconf import entropy
from lerconf.checks.issuance import issued_credential_has
from lerconf.clients.vcapi import HolderClient, IssuerClient, VerifierClient
from lerconf.documents.templates import (
    ob3_achievement_credential,
    unsigned_presentation,
)
from lerconf.evidence import Evidence
from lerconf.negatives.issue_requests import malformed_issue_request
from lerconf.negatives.mutators import mutate
from lerconf.negatives.presentation_defects import holder_changed_after_signing
from lerconf.protocol.vcapi import Issued, Presented, VerifierAnswer, VerifierVerdict
from lerconf.results import CheckResult, Status
from lerconf.scenarios.expect import PositiveControl, expect_accepted, under_positive_control
from lerconf.scenarios.harness import Harness, VendorUnderTest
from lerconf.scenarios.reach import clear_on_lerconf_lists, verify_reaching
from lerconf.verdicts import Broken
from lerconf.verify.report import VerificationReport, VerifyOptions

HOLDER_SUBJECT = "did:example:learner-7c1f0a"
#: the domain lerconf's presentations are made for
PRESENTATION_DOMAIN = "verifier.example"


@dataclass
class IssuedBadge:
    submitted: dict[str, Any]
    issued: Issued
    report: VerificationReport | None
    #: when lerconf signed the badge itself: the credential whose status entry it carries (revoked in its stead)
    status_holder: str | None = None

    def __repr__(self) -> str:  # allure-pytest-bdd records repr() of step arguments: not the whole credential
        verified = None if self.report is None else self.report.verified
        return f"IssuedBadge({self.issued.exchange!r}, verified={verified})"

    def results(self, requirement: str) -> list[CheckResult]:
        if self.report is None:
            return []
        return [r for r in self.report.all_checks() if r.requirement == requirement and r.status is not Status.NOT_APPLICABLE]


def nothing_to_check(badge: IssuedBadge, requirement: str) -> CheckResult:
    """A failed result saying why no check for ``requirement`` applied to the issued credential."""
    return issued_credential_has(badge.issued.credential, requirement)


def issuer_id_of(vendor: VendorUnderTest) -> str:
    role = vendor.profile.role("issuer")
    if role is None or not role.issuer_id:
        raise LookupError(f"{vendor.name} has no issuer id in its profile")
    return role.issuer_id


def issue_badge(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, *, vc_version: str, securing: str,
                status_purpose: str | None = None, fresh: bool = False) -> IssuedBadge:
    """Ask the vendor's issuer for an OB 3.0 badge and verify it with lerconf's engine (cached)."""
    key = (vendor.name, vc_version, securing, status_purpose)
    cached = None if fresh else harness.memo.issued.get(key)
    if cached is None:
        issuer = harness.role(vendor, "issuer")
        issuer_id = issuer_id_of(vendor) if vendor.issuer is not None else harness.reference.issuer_id
        credential = ob3_achievement_credential(issuer_id, HOLDER_SUBJECT, vc_version=vc_version,
                                                credential_id=f"urn:uuid:{entropy.uuid4()}")
        options: dict[str, Any] = {}
        # an issuer instance signs with its first claimed securing method; others are asked for
        role = vendor.profile.role("issuer") if vendor.issuer is not None else None
        claimed = role.claims.securing if role is not None else ()
        if securing and (not claimed or securing != claimed[0]):
            options["cryptosuite"] = securing
        if status_purpose:
            options["credentialStatus"] = {"type": "BitstringStatusListEntry", "statusPurpose": status_purpose}
        issued = issuer.issue(credential, options)
        report = None
        if issued.credential is not None:
            report = verify(harness, issued.credential, "issued credential")
        cached = IssuedBadge(credential, issued, report)
        if not fresh:
            harness.memo.issued[key] = cached
    else:
        evidence.notes.append("issued credential reused from an earlier scenario of this run (same vendor and variant)")
        evidence.record(cached.issued.exchange)
    evidence.keep("submitted credential", cached.submitted)
    if cached.issued.credential is not None:
        evidence.keep("issued credential", cached.issued.credential)
    return cached


def verify(harness: Harness, document: Any, source: str, *, challenge: str | None = None,
           domain: str | None = None) -> VerificationReport:
    options = VerifyOptions(challenge=challenge, domain=domain, status_list_minimum=harness.status_list_minimum)
    if isinstance(document, str):
        return harness.engine.verify_text(document, source, options)
    return harness.engine.verify_document(document, source, options)


@dataclass(frozen=True)
class Badge:
    """A credential lerconf made for a scenario, with how it was secured."""

    credential: dict[str, Any]
    securing: str
    vc_version: str
    mutator: str | None = None
    did_web: bool = False

    def __repr__(self) -> str:
        return f"Badge({self.securing}, VC {self.vc_version}{', ' + self.mutator if self.mutator else ''})"


def signed_badge(harness: Harness, evidence: Evidence, *, securing: str, vc_version: str = "2.0",
                 curve: str | None = None, did_web: bool = False, status_purpose: str | None = None) -> Badge:
    """A valid OB 3.0 badge signed by lerconf (a did:key issuer, or the reference's did:web),
    optionally with a clear status entry on lerconf's own status list."""
    key = (securing, vc_version, curve, did_web, status_purpose)
    if key not in harness.memo.signed:
        signer = harness.signer(securing, curve, did_web=did_web)
        status = harness.status_entry(status_purpose, set_bit=False) if status_purpose else None
        credential = ob3_achievement_credential(signer.controller, HOLDER_SUBJECT, vc_version=vc_version,
                                                credential_id=f"urn:uuid:{entropy.uuid4()}", credential_status=status)
        harness.memo.signed[key] = signer.sign(credential, securing, harness.engine.processor)
    badge = Badge(copy.deepcopy(harness.memo.signed[key]), securing, vc_version, did_web=did_web)
    evidence.keep("credential signed by lerconf", badge.credential)
    return badge


def mutated_badge(harness: Harness, evidence: Evidence, badge: Badge, mutator: str) -> Badge:
    """The badge broken in one named way (re-signed by lerconf where the mutator needs it)."""
    mutated = mutate(badge.credential, mutator, harness.mutation_context(badge.securing, did_web=badge.did_web))
    evidence.keep(f"credential mutated by {mutator}", mutated)
    return Badge(mutated, badge.securing, badge.vc_version, mutator, badge.did_web)


def new_challenge() -> str:
    return entropy.token_urlsafe(16)


def presentation_by_lerconf(harness: Harness, credential: Any, *, challenge: str, domain: str | None) -> dict[str, Any]:
    """lerconf's own holder signs a presentation (when the vendor has no holder role)."""
    holder = harness.keys.holder
    vp = unsigned_presentation([credential], holder.controller)
    return holder.sign(vp, "eddsa-rdfc-2022", harness.engine.processor, purpose="authentication",
                       challenge=challenge, domain=domain)


def present_and_verify(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, badge: IssuedBadge) -> VerifierAnswer:
    """Lifecycle: the holder (vendor's or lerconf's) presents the badge; the verifier judges it."""
    credential = badge.issued.credential
    challenge = new_challenge()
    domain = PRESENTATION_DOMAIN
    if vendor.holder is not None:
        presented = vendor.holder.present(unsigned_presentation([credential]), challenge=challenge, domain=domain)
        expect_accepted(presented.exchange, "the presentation request")
        vp = presented.presentation
    else:
        vp = presentation_by_lerconf(harness, credential, challenge=challenge, domain=domain)
    evidence.keep("presentation", vp)
    verifier = harness.role(vendor, "verifier")
    # a badge lerconf issued depends on its did:web and status list: the wire decides (lerconf.scenarios.reach)
    return verify_reaching(harness, vendor, evidence, credential,
                           lambda: verifier.verify_presentation(vp, challenge=challenge, domain=domain),
                           valid=clear_on_lerconf_lists(harness, credential))


def revoke(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, badge: IssuedBadge) -> None:
    """Lifecycle: the issuer sets the revocation bit through its status API."""
    issuer = harness.role(vendor, "issuer")
    credential = badge.issued.credential
    credential_id = credential.get("id") if isinstance(credential, dict) else badge.submitted.get("id")
    exchange = issuer.update_status(str(credential_id), "revocation", True)
    expect_accepted(exchange, "the revocation request")


@dataclass(frozen=True)
class InteropParties:
    """The vendors of one interop case; lerconf's own holder stands in when the case has none."""

    case: Any
    issuer: VendorUnderTest | None
    holder: VendorUnderTest | None
    verifier: VendorUnderTest

    @classmethod
    def of(cls, harness: Harness, case: Any) -> InteropParties:
        return cls(case, harness.vendor(case.issuer) if case.issuer else None,
                   harness.vendor(case.holder) if case.holder else None, harness.vendor(case.verifier))

    def __repr__(self) -> str:
        return f"InteropParties({self.case.label}, {self.case.securing}, VC {self.case.vc_version})"

    @property
    def delivering(self) -> VendorUnderTest:
        """The case's issuer, for a case about what it delivered as files (it may have no endpoint)."""
        if self.issuer is None:
            raise LookupError(f"interop case {self.case.label} has no issuer")
        return self.issuer


def interop_issue(harness: Harness, parties: InteropParties, evidence: Evidence, *, status_purpose: str | None = None) -> IssuedBadge:
    """The case's issuer issues the badge the case is about (a fresh one when it carries a status entry)."""
    if parties.issuer is None:
        raise LookupError(f"interop case {parties.case.label} has no issuer")
    badge = issue_badge(harness, parties.issuer, evidence, vc_version=parties.case.vc_version,
                        securing=parties.case.securing, status_purpose=status_purpose, fresh=status_purpose is not None)
    expect_accepted(badge.issued.exchange, f"{parties.issuer.name} issuing the badge")
    return badge


def interop_present(harness: Harness, parties: InteropParties, evidence: Evidence, credential: Any) -> VerifierAnswer:
    """The case's holder (or lerconf) presents; the case's verifier judges."""
    challenge, domain = new_challenge(), PRESENTATION_DOMAIN
    if parties.holder is not None and parties.holder.holder is not None:
        presented = parties.holder.holder.present(unsigned_presentation([credential]), challenge=challenge, domain=domain)
        expect_accepted(presented.exchange, f"{parties.holder.name} presenting the badge")
        vp = presented.presentation
    else:
        vp = presentation_by_lerconf(harness, credential, challenge=challenge, domain=domain)
    evidence.keep("presentation", vp)
    return _verifier(parties.verifier).verify_presentation(vp, challenge=challenge, domain=domain)


# -- what the When steps do: one call to the vendor --------------------------------------------------
def valid_issue_control(vendor: VendorUnderTest) -> PositiveControl:
    """The positive control of an issue-request negative: the same issuer signs the valid badge the
    defective request was made from (a vendor refusing everything, e.g. with 401, passes no negative)."""
    def control() -> None:
        issued = _issuer(vendor).issue(ob3_achievement_credential(issuer_id_of(vendor)))
        expect_accepted(issued.exchange, "the valid badge the defective request was made from")
    return control


def issue_malformed(vendor: VendorUnderTest, defect: str) -> Issued:
    """Ask the vendor's issuer to issue a badge with one named defect (lerconf.negatives.issue_requests)."""
    return _issuer(vendor).issue(malformed_issue_request(issuer_id_of(vendor), defect))


def verify_with_vendor(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, badge: Badge) -> VerifierAnswer:
    """Send lerconf's credential to the vendor's verifier, watching lerconf's wire: a valid badge
    that depends on lerconf's status list or did:web, rejected by a verifier that never fetched
    them, cannot be judged (lerconf.scenarios.reach)."""
    return verify_reaching(harness, vendor, evidence, badge.credential,
                           lambda: _verifier(vendor).verify_credential(badge.credential), valid=badge.mutator is None)


def present_to_holder(vendor: VendorUnderTest, badge: Badge, challenge: str, domain: str) -> Presented:
    """Ask the vendor's holder to present lerconf's credential for a challenge and domain."""
    return _holder(vendor).present(unsigned_presentation([badge.credential]), challenge=challenge, domain=domain)


def present_signed_for(harness: Harness, vendor: VendorUnderTest, badge: Badge, *, challenge: str, domain: str,
                       expected_challenge: str, expected_domain: str) -> VerifierAnswer:
    """lerconf presents the badge signed for one challenge and domain; the verifier expects others."""
    vp = presentation_by_lerconf(harness, badge.credential, challenge=challenge, domain=domain)
    return _verifier(vendor).verify_presentation(vp, challenge=expected_challenge, domain=expected_domain)


def present_altered(harness: Harness, vendor: VendorUnderTest, badge: Badge, challenge: str, domain: str) -> VerifierAnswer:
    """lerconf presents the badge, then changes the presentation's holder after signing."""
    vp = holder_changed_after_signing(presentation_by_lerconf(harness, badge.credential, challenge=challenge, domain=domain))
    return _verifier(vendor).verify_presentation(vp, challenge=challenge, domain=domain)


def interop_verify(parties: InteropParties, badge: IssuedBadge) -> VerifierAnswer:
    """The interop case's verifier judges the badge its issuer issued."""
    return interop_verify_credential(parties, badge.issued.credential)


def interop_verify_credential(parties: InteropParties, credential: Any) -> VerifierAnswer:
    """The interop case's verifier judges ``credential`` (a badge as issued, or a holder's disclosure)."""
    return _verifier(parties.verifier).verify_credential(credential)


def interop_revoke(harness: Harness, parties: InteropParties, evidence: Evidence, badge: IssuedBadge) -> None:
    """The interop case's issuer revokes the badge it issued."""
    if parties.issuer is None:
        raise LookupError(f"interop case {parties.case.label} has no issuer to revoke with")
    revoke(harness, parties.issuer, evidence, badge)


def did_web_badge_the_verifier_accepts(harness: Harness, vendor: VendorUnderTest, evidence: Evidence,
                                       securing: str) -> Badge:
    """A badge signed by lerconf's did:web issuer, once the verifier accepted it (the positive
    control of did:web negatives: without it they could pass only because lerconf's did:web is
    out of the vendor's reach)."""
    badge = signed_badge(harness, evidence, securing=securing, did_web=True)
    under_positive_control(evidence, did_web_control(harness, vendor, badge, evidence),
                           "lerconf's valid did:web-signed badge (lerconf's did:web is only reachable on this machine)")
    return badge


def did_web_control(harness: Harness, vendor: VendorUnderTest, badge: Badge, evidence: Evidence) -> PositiveControl:
    """The verifier must accept the valid did:web-signed badge; a refusal without a fetch of
    lerconf's DID document cannot be judged: the verifier did not reach it (lerconf.scenarios.reach)."""
    def control() -> None:
        answer = verify_reaching(harness, vendor, evidence, badge.credential,
                                 lambda: harness.role(vendor, "verifier").verify_credential(badge.credential), valid=True)
        if answer.verdict is VerifierVerdict.BROKEN:  # no verdict at all: broken, not "cannot be judged"
            raise Broken(f"the positive control (a valid did:web-signed badge) got no verdict: {answer.reason}")
        if answer.verdict is not VerifierVerdict.ACCEPTED:
            raise AssertionError(f"{answer.verdict.value}: {answer.reason}")
    return control


def _issuer(vendor: VendorUnderTest) -> IssuerClient:
    if vendor.issuer is None:
        raise LookupError(f"{vendor.name} has no issuer role")
    return vendor.issuer


def _verifier(vendor: VendorUnderTest) -> VerifierClient:
    if vendor.verifier is None:
        raise LookupError(f"{vendor.name} has no verifier role")
    return vendor.verifier


def _holder(vendor: VendorUnderTest) -> HolderClient:
    if vendor.holder is None:
        raise LookupError(f"{vendor.name} has no holder role")
    return vendor.holder
