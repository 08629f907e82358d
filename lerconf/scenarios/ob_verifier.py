"""What a verifier must also do for Open Badges (OB-26, OB-29, CLR-09): the badges lerconf makes
for a VC API verifier under test, each negative with its valid twin as the positive control.

* OB-26: a badge whose ``credentialStatus`` is a ``1EdTechRevocationList`` entry. lerconf's
  embedded reference publishes one list per scenario for lerconf's own did:key issuer
  (lerconf.refimpl.revocation_list): the valid twin is on it and not listed, the revoked badge
  is listed. Both lists stay as they are while the scenario runs, so a verifier that caches
  the list it fetched for the control still judges the revoked badge by the right list.
* OB-29 / CLR-09: a badge (or a CLR) carrying an EndorsementCredential in ``endorsement``; the
  defective one's endorsement is tampered (its comment changed after the endorser signed) or
  forged (signed by a key that is not its issuer's), and the badge itself is validly signed
  over it, so only the endorsement is wrong.

The control is the valid twin sent in a fresh call first (lerconf.scenarios.expect.
under_positive_control): a verifier refusing everything passes no negative here.
"""
from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from lerconf import entropy
from lerconf.checks.revocation_list import REVOCATION_LIST_TYPE
from lerconf.checks.vcapi_answers import verifier_flags_another_learners_badge
from lerconf.crypto.signing import Signer, deterministic_key
from lerconf.documents.templates import OB_CONTEXT, OB_EXTENSIONS, VC_V2, clr2_credential, issuer_profile, ob3_achievement_credential
from lerconf.evidence import Evidence, note_defect
from lerconf.negatives.mutators import mutate
from lerconf.protocol.vcapi import VerifierAnswer, VerifierVerdict
from lerconf.refimpl.revocation_list import LIST_PATH
from lerconf.scenarios.expect import PositiveControl, expect_satisfied, under_positive_control
from lerconf.scenarios.harness import Harness, VendorUnderTest
from lerconf.scenarios.reach import verify_reaching
from lerconf.scenarios.vcapi import HOLDER_SUBJECT, Badge
from lerconf.verdicts import Broken

__all__ = ["ENDORSEMENT_DEFECTS", "accepted_control", "clr_of_another_learner", "endorsed_badge",
           "endorsed_badge_with_defect", "flags_another_learner", "revocation_list_badge", "revoked_on_revocation_list"]

#: the learner of a badge lerconf bundles into a CLR about someone else (CLR-10), and how a feature names that CLR
OTHER_LEARNER = "did:example:learner-not-the-holder"
ANOTHER_LEARNER = "bundling a badge of another learner"

#: the endorser: a did:key any verifier resolves without reaching this machine
ENDORSER_SEED = "harness-endorser"
#: signs a forged endorsement: a valid signature, by someone who is not the endorsement's issuer
FORGER_SEED = "harness-endorsement-forger"
#: the error types a verifier's refusal of a badge carrying a bad endorsement may carry
ENDORSEMENT_ERRORS = frozenset({"PROOF_VERIFICATION_ERROR", "CRYPTOGRAPHIC_SECURITY_ERROR", "INVALID_VERIFICATION_METHOD"})


def _sign(harness: Harness, unsigned: dict[str, Any], securing: str) -> dict[str, Any]:
    return harness.signer(securing).sign(unsigned, securing, harness.engine.processor)


ENDORSEMENT_SCHEMA = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_endorsementcredential_schema.json"


def endorsement_credential(endorser_id: str, endorsed_id: str, *, credential_id: str,
                           comment: str = "Meets the Safety Council's standard for confined-space training.",
                           valid_from: str = "2026-01-10T00:00:00Z") -> dict[str, Any]:
    """An OB 3.0 EndorsementCredential by ``endorser_id`` about ``endorsed_id`` (an achievement, a
    profile or a credential), to be signed by the endorser and carried in ``endorsement`` (OB-29)."""
    return {
        "@context": [VC_V2, OB_CONTEXT, OB_EXTENSIONS],
        "id": credential_id,
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "name": "Endorsement by the Safety Council",
        "issuer": issuer_profile(endorser_id, "Safety Council"),
        "validFrom": valid_from,
        "credentialSubject": {"id": endorsed_id, "type": ["EndorsementSubject"], "endorsementComment": comment},
        "credentialSchema": [{"id": ENDORSEMENT_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }


# -- OB-26: 1EdTech Revocation List ------------------------------------------------------------------
def _list_badge(harness: Harness, securing: str, list_url: str) -> dict[str, Any]:
    signer = harness.signer(securing)
    entry = {"id": list_url, "type": REVOCATION_LIST_TYPE}
    unsigned = ob3_achievement_credential(signer.controller, HOLDER_SUBJECT, credential_id=f"urn:uuid:{entropy.uuid4()}",
                                          credential_status=entry)
    return _sign(harness, unsigned, securing)


def _new_list(harness: Harness, securing: str) -> tuple[str, str]:
    """(name, URL) of a new list the reference publishes for lerconf's issuer of ``securing``."""
    name = harness.reference.state.status.revocation_lists.create(harness.signer(securing).controller)
    return name, f"{harness.reference.base_url}{LIST_PATH}/{name}"


def revocation_list_badge(harness: Harness, evidence: Evidence, securing: str) -> Badge:
    """A valid badge with a 1EdTechRevocationList entry, on a list that does not name it."""
    _name, url = _new_list(harness, securing)
    badge = Badge(_list_badge(harness, securing, url), securing, "2.0")
    evidence.keep("credential signed by lerconf", badge.credential)
    return badge


def revoked_on_revocation_list(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, securing: str) -> Badge:
    """A badge listed as revoked on its issuer's 1EdTech revocation list, once the verifier accepted its
    twin: the same kind of badge on the same list, not listed."""
    name, url = _new_list(harness, securing)
    twin = Badge(_list_badge(harness, securing, url), securing, "2.0")
    revoked = _list_badge(harness, securing, url)
    lists = harness.reference.state.status.revocation_lists
    lists.revoke(name, revoked["id"], "Issued in error")
    evidence.keep("1EdTech revocation list", lists.document(name, url))
    under_positive_control(evidence, accepted_control(harness, vendor, evidence, twin),
                           "a valid badge on the same 1EdTech revocation list, not listed in it")
    note_defect(f"the badge's id {revoked['id']} is listed as revoked in its issuer's 1EdTech revocation list {url}",
                twin.credential, revoked, None, kind="credential")
    evidence.keep("credential revoked on the 1EdTech revocation list", revoked)
    return Badge(revoked, securing, "2.0", mutator="revoked-1edtech")


# -- OB-29 / CLR-09: endorsements ---------------------------------------------------------------------
def _endorser() -> Signer:
    return Signer.did_key(deterministic_key(ENDORSER_SEED, "Ed25519"))


def _endorsement(harness: Harness, endorsed_id: str) -> dict[str, Any]:
    unsigned = endorsement_credential(_endorser().controller, endorsed_id, credential_id=f"urn:uuid:{entropy.uuid4()}")
    return _endorser().sign(unsigned, "eddsa-rdfc-2022", harness.engine.processor)


def _tampered(harness: Harness, endorsement: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(endorsement)
    changed["credentialSubject"]["endorsementComment"] = "The council endorses every course this college runs."
    return changed


def _forged(harness: Harness, endorsement: dict[str, Any]) -> dict[str, Any]:
    forger = Signer.did_key(deterministic_key(FORGER_SEED, "Ed25519"))
    unsigned = {k: v for k, v in endorsement.items() if k != "proof"}
    return forger.sign(unsigned, "eddsa-rdfc-2022", harness.engine.processor)


#: defect name -> (what it is, how it is made from the valid endorsement)
ENDORSEMENT_DEFECTS: dict[str, tuple[str, Callable[[Harness, dict[str, Any]], dict[str, Any]]]] = {
    "tampered": ("the endorsement's comment changed after its endorser signed it", _tampered),
    "forged": ("the endorsement signed by a key that is not its issuer's", _forged),
}


def _endorsed(harness: Harness, securing: str, kind: str, endorsement: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    """A badge (``kind`` "badge": the endorsement on its achievement) or a CLR ("clr": on the CLR,
    bundling a valid badge), signed by lerconf over the endorsement ``endorsement(endorsed id)`` makes."""
    signer = harness.signer(securing)
    badge = ob3_achievement_credential(signer.controller, HOLDER_SUBJECT, credential_id=f"urn:uuid:{entropy.uuid4()}")
    if kind == "badge":
        achievement = badge["credentialSubject"]["achievement"]
        achievement["endorsement"] = [endorsement(achievement["id"])]
        return _sign(harness, badge, securing)
    clr = clr2_credential(signer.controller, HOLDER_SUBJECT, [_sign(harness, badge, securing)],
                          credential_id=f"urn:uuid:{entropy.uuid4()}")
    clr["endorsement"] = [endorsement(clr["id"])]
    return _sign(harness, clr, securing)


def endorsed_badge(harness: Harness, evidence: Evidence, securing: str, kind: str = "badge") -> Badge:
    """A valid badge (or CLR) carrying a valid endorsement."""
    badge = Badge(_endorsed(harness, securing, kind, lambda endorsed: _endorsement(harness, endorsed)), securing, "2.0")
    evidence.keep("credential signed by lerconf", badge.credential)
    return badge


def endorsed_badge_with_defect(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, securing: str,
                               defect: str, kind: str = "badge") -> Badge:
    """A badge (or CLR) validly signed over a tampered or forged endorsement, once the verifier accepted
    its twin carrying the valid endorsement."""
    if defect not in ENDORSEMENT_DEFECTS:
        raise LookupError(f"unknown endorsement defect {defect!r}; known: {', '.join(ENDORSEMENT_DEFECTS)}")
    what, make = ENDORSEMENT_DEFECTS[defect]
    twin = Badge(_endorsed(harness, securing, kind, lambda endorsed: _endorsement(harness, endorsed)), securing, "2.0")
    defective = _endorsed(harness, securing, kind, lambda endorsed: make(harness, _endorsement(harness, endorsed)))
    under_positive_control(evidence, accepted_control(harness, vendor, evidence, twin),
                           f"the same {'CLR' if kind == 'clr' else 'badge'} with a valid endorsement")
    note_defect(what, twin.credential, defective, ENDORSEMENT_ERRORS, kind="credential")
    evidence.keep(f"credential carrying an endorsement {defect}", defective)
    return Badge(defective, securing, "2.0", mutator=f"endorsement-{defect}")


def accepted_control(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, twin: Badge) -> PositiveControl:
    """The verifier must accept the valid twin (a fresh call); no verdict breaks the scenario."""
    def control() -> None:
        answer = verify_reaching(harness, vendor, evidence, twin.credential,
                                 lambda: harness.role(vendor, "verifier").verify_credential(twin.credential), valid=True)
        if answer.verdict is VerifierVerdict.BROKEN:
            raise Broken(f"the positive control got no verdict: {answer.reason}")
        if answer.verdict is not VerifierVerdict.ACCEPTED:
            raise AssertionError(f"{answer.verdict.value}: {answer.reason}")
    return control


# -- CLR 2.0 verification (CLR-07): the ClrCredential itself, by the OB-style steps ---------------------------------
#: defect name -> the mutator that makes it (a CLR validly signed, then one thing wrong)
CLR_DEFECTS = {"whose proof no longer covers it": "tampered-claim",
               "that has expired (validly signed)": "expired"}


def _clr(harness: Harness, securing: str, badge_learner: str = HOLDER_SUBJECT) -> dict[str, Any]:
    """A CLR signed by lerconf about HOLDER_SUBJECT bundling one valid badge of the same issuer (about
    ``badge_learner``: the same learner unless a scenario says otherwise)."""
    signer = harness.signer(securing)
    badge = ob3_achievement_credential(signer.controller, badge_learner, credential_id=f"urn:uuid:{entropy.uuid4()}")
    clr = clr2_credential(signer.controller, HOLDER_SUBJECT, [_sign(harness, badge, securing)],
                          credential_id=f"urn:uuid:{entropy.uuid4()}")
    return _sign(harness, clr, securing)


def valid_clr(harness: Harness, evidence: Evidence, securing: str) -> Badge:
    """A valid CLR 2.0 transcript (CLR-07's positive case)."""
    clr = Badge(_clr(harness, securing), securing, "2.0")
    evidence.keep("CLR signed by lerconf", clr.credential)
    return clr


def clr_with_defect(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, securing: str, defect: str) -> Badge:
    """A CLR wrong in one way CLR 2.0 verification must catch, once the verifier accepted its valid twin."""
    if defect == ANOTHER_LEARNER:
        return clr_of_another_learner(harness, vendor, evidence, securing)
    if defect not in CLR_DEFECTS:
        raise LookupError(f"unknown CLR defect {defect!r}; known: {', '.join(CLR_DEFECTS)}")
    twin = Badge(_clr(harness, securing), securing, "2.0")
    under_positive_control(evidence, accepted_control(harness, vendor, evidence, twin), "the same CLR, valid")
    defective = mutate(twin.credential, CLR_DEFECTS[defect], harness.mutation_context(securing))
    evidence.keep(f"CLR {defect}", defective)
    return Badge(defective, securing, "2.0", mutator=CLR_DEFECTS[defect])


# -- CLR-10 (a harness heuristic, SHOULD): a CLR bundling another learner's badge is flagged ----------------------
def clr_of_another_learner(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, securing: str) -> Badge:
    """A CLR validly signed, about one learner, bundling a badge (validly signed) of another, once the
    verifier accepted its valid twin (the same CLR with the learner's own badge)."""
    twin = Badge(_clr(harness, securing), securing, "2.0")
    under_positive_control(evidence, accepted_control(harness, vendor, evidence, twin), "the same CLR with the learner's own badge")
    clr = _clr(harness, securing, badge_learner=OTHER_LEARNER)
    note_defect(f"the CLR is about {HOLDER_SUBJECT} but bundles a badge of {OTHER_LEARNER}", twin.credential, clr, None,
                kind="credential")
    evidence.keep("CLR bundling another learner's badge", clr)
    return Badge(clr, securing, "2.0")


def flags_another_learner(evidence: Evidence, answer: VerifierAnswer) -> None:
    """CLR-10 (SHOULD): refused, or accepted with a warning about whom it is for; no verdict breaks."""
    if answer.verdict is VerifierVerdict.BROKEN:
        raise Broken(f"the verifier gave no verdict: {answer.reason}")
    expect_satisfied(evidence, [verifier_flags_another_learners_badge(answer)])
