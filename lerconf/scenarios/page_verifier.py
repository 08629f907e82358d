"""A verifier that is only a web page, tested by a person (LCD-03, DI-15, OB-21, OB-27, BSL-18, LCD-04, OB-28).

A person pastes or uploads a credential and reads the verdict. lerconf hands the operator a
shuffled set under opaque labels, for each VC Data Model version the page claims: a valid badge,
one whose signature is broken, one with a schema defect that was signed after it was made, one
that expired (validly signed) and one that was revoked, all made from one valid badge by
lerconf's named mutators (lerconf.negatives). The operator reports the verdict and the reason the
page showed; lerconf scores them. The valid badge is every refusal's positive control: when the
page refused it too, its refusals cannot be judged. A right verdict for a wrong reason passes the
verdict and fails the reason (LCD-04, a SHOULD), marked as such. All of it is attested. There is no
schema-defect badge for VC 1.1: OB 3.0's schema requires VC 2.0's validFrom, so it fails every 1.1 badge.

A page that claims ``recipient_check`` (it takes the expected recipient: OB 3.0 verification step 5,
RECOMMENDED) also gets two valid badges naming their learner only by a salted, hashed email
IdentityObject: one of the email lerconf gives the operator, one of another person's. The page
must say the first is that recipient's and the second is not; the first is the second's control.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from lerconf import entropy
from lerconf.checks.displayer import (
    PAGE_REFUSALS,
    REASONS,
    RECIPIENT_ANSWERS,
    page_checked_the_recipient,
    page_names_the_reason,
    page_shows_valid_as_valid,
)
from lerconf.checks.ob import identity_hash
from lerconf.clients.manual.operator import Reported, person_operator
from lerconf.clients.manual.session import Link, Question
from lerconf.documents.templates import STATUS_CONTEXT, ob3_achievement_credential
from lerconf.evidence import Evidence
from lerconf.negatives.mutators import mutate
from lerconf.profile.person import PersonSection
from lerconf.results import Status
from lerconf.scenarios.displayer import AskedStep, asked_once, person_section, published
from lerconf.scenarios.expect import expect_checks, expect_satisfied
from lerconf.scenarios.harness import Harness, VendorUnderTest
from lerconf.verdicts import CannotJudge, NotClaimed

__all__ = ["KINDS", "KNOWN_RECIPIENT", "MUTATORS", "RECIPIENTS", "checked", "page_confirms_recipient",
           "page_names_reason", "page_refuses", "page_shows_valid", "page_tells_other_recipient"]

SUBJECT = "did:example:learner-page-verifier"
SECURING = "eddsa-rdfc-2022"
#: what each kind of credential is made with: None = the valid badge itself
MUTATORS: dict[str, str | None] = {"valid": None, "broken-signature": "tampered-proof-value",
                                   "schema-defect": "schema-defect", "expired": "expired", "revoked": "revoked"}
#: the email address the operator gives the page as the expected recipient (OB-28)
KNOWN_RECIPIENT = "ada.learner@example.edu"
#: recipient kinds: valid badges naming their learner only by a hashed email, the known one's or another's
RECIPIENTS = {"recipient": KNOWN_RECIPIENT, "other-recipient": "grace.other@example.edu"}
KINDS = (*MUTATORS, *RECIPIENTS)
#: OB 3.0's schema requires VC 2.0's validFrom, so every VC 1.1 badge fails it: a schema defect cannot be
#: told from the version there, and the set has no schema-defect badge for VC 1.1
NOT_FOR = {"1.1": ("schema-defect",)}
VERDICTS = (("valid", "valid / verified"), ("invalid", "not valid / refused"))


@dataclass(frozen=True)
class PageItem:
    """One credential of the set: its kind (never shown), its opaque label and where it is."""

    label: str
    vc_version: str
    kind: str
    credential: dict[str, Any] = field(repr=False)
    links: tuple[Link, ...]

    def questions(self) -> tuple[Question, ...]:
        if self.kind in RECIPIENTS:
            return (Question("recipient", "What the page said about the recipient you gave it",
                             tuple(RECIPIENT_ANSWERS.items()), KNOWN_RECIPIENT),)
        return (Question("verdict", "The verdict the page showed", VERDICTS),
                Question("reason", "The reason it gave (when it refused)", tuple(REASONS.items())))


def _hashed_email(email: str) -> dict[str, Any]:
    """An OB 3.0 IdentityObject naming the learner by a salted SHA-256 of the email (the page must hash to compare)."""
    salt = entropy.token_hex(8)
    return {"type": "IdentityObject", "identityType": "emailAddress", "hashed": True,
            "identityHash": identity_hash(email, salt), "salt": salt}


def _valid(harness: Harness, vc_version: str, email: str | None = None) -> dict[str, Any]:
    signer = harness.mutation_context(SECURING).signer
    assert signer is not None
    unsigned = ob3_achievement_credential(signer.controller, SUBJECT, credential_id=f"urn:uuid:{entropy.uuid4()}",
                                          vc_version=vc_version)
    if email is not None:  # named by the hashed email alone: no id a page could compare in plain text
        unsigned["credentialSubject"].pop("id", None)
        unsigned["credentialSubject"]["identifier"] = [_hashed_email(email)]
    if vc_version == "1.1":  # the revoked twin carries a BitstringStatusListEntry: its terms need the status context
        unsigned["@context"].append(STATUS_CONTEXT)
    return signer.sign(unsigned, SECURING, harness.engine.processor)


def _made(harness: Harness, section: PersonSection) -> list[PageItem]:
    kinds = [(v, k) for v in section.vc_versions for k in KINDS if k not in NOT_FOR.get(v, ())
             and (k not in RECIPIENTS or section.recipient_check)]
    random.SystemRandom().shuffle(kinds)
    valid = {v: _valid(harness, v) for v in section.vc_versions}
    ctx = harness.mutation_context(SECURING)
    state, base = harness.reference.state, harness.reference.public_base_url.rstrip("/")
    items = []
    for i, (vc_version, kind) in enumerate(kinds):
        if kind in RECIPIENTS:
            credential = _valid(harness, vc_version, RECIPIENTS[kind])
        else:
            name = MUTATORS[kind]
            credential = valid[vc_version] if name is None else mutate(valid[vc_version], name, ctx)
        items.append(PageItem(f"credential {i + 1}", vc_version, kind, credential, published(state, base, credential)))
    return items


def _checked(harness: Harness, vendor: VendorUnderTest, vc_version: str, kind: str) -> tuple[PageItem, Reported]:
    section = person_section(vendor, "page_verifier")
    if vc_version not in section.vc_versions:
        raise NotClaimed(f"page_verifier does not claim vc_version={vc_version}")
    if kind in NOT_FOR.get(vc_version, ()):
        raise ValueError(f"lerconf makes no {kind} badge for VC {vc_version} (see NOT_FOR)")
    if kind in RECIPIENTS and not section.recipient_check:
        raise NotClaimed("page_verifier does not claim recipient_check")

    def step(item: PageItem) -> AskedStep:
        if item.kind in RECIPIENTS:
            return AskedStep(f"Check {item.label} on the verifier page for a recipient",
                             f"Paste or upload {item.label} on the verifier page ({section.open}) from one of the links "
                             f"below, give {KNOWN_RECIPIENT} as the expected recipient (the page's recipient or email "
                             "field), then say what the page said about the recipient.", item.links, item.questions())
        return AskedStep(f"Check {item.label} on the verifier page",
                         f"Paste or upload {item.label} on the verifier page ({section.open}) from one of the links "
                         "below, then say what verdict and reason the page showed.", item.links, item.questions())

    return asked_once(harness, vendor, section, "verifier page", (vc_version, kind), lambda: _made(harness, section),
                      lambda item: (item.vc_version, item.kind), step)


def checked(harness: Harness, vendor: VendorUnderTest, vc_version: str, kind: str) -> tuple[str, str]:
    """The credential of that kind was checked on the page (the first call asks the operator the whole set)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; known: {', '.join(KINDS)}")
    _checked(harness, vendor, vc_version, kind)
    return vc_version, kind


def _attest(evidence: Evidence, vendor: VendorUnderTest, item: PageItem, reported: Reported,
            expected: dict[str, str]) -> None:
    questions = []
    for q in item.questions():
        answer = reported.answers.get(q.id, "(could not take it)")
        want = expected.get(q.id, "")
        questions.append({"id": q.id, "label": q.label, "expected": dict(q.choices).get(want, want),
                          "answer": dict(q.choices).get(answer, answer),
                          "verdict": "passed" if not want or answer == want else
                          ("warning" if q.id == "reason" else "failed")})
    evidence.keep(f"operator step {reported.step.id}: {item.label} (VC {item.vc_version})", reported.document())
    section = person_section(vendor, "page_verifier")
    evidence.attest({**reported.attestation(questions, {**person_operator(vendor, section).session.info,
                                                        "opened_in": section.open}), "kind": item.kind})


def page_shows_valid(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, vc_version: str, kind: str) -> None:
    """LCD-03, attested: the page showed the valid badge as valid."""
    item, reported = _checked(harness, vendor, vc_version, "valid")
    _attest(evidence, vendor, item, reported, {"verdict": "valid"})
    expect_checks(evidence, [page_shows_valid_as_valid(reported.how, reported.answers.get("verdict", ""),
                                                       reported.answers.get("reason", ""))])


def _control(harness: Harness, vendor: VendorUnderTest, vc_version: str) -> None:
    """The valid badge is the positive control: a page that refused it too says nothing by refusing."""
    _, control = _checked(harness, vendor, vc_version, "valid")
    if control.how != "reported" or control.answers.get("verdict") != "valid":
        raise CannotJudge(f"the page did not show the valid VC {vc_version} badge as valid either "
                          f"({control.answers.get('verdict') or control.how}): its refusals say nothing about the defects")


def page_refuses(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, vc_version: str, kind: str) -> None:
    """The defect's requirement (DI-15, OB-21, OB-27, BSL-18), attested: the page refused the defective badge."""
    item, reported = _checked(harness, vendor, vc_version, kind)
    _attest(evidence, vendor, item, reported, {"verdict": "invalid"})
    _control(harness, vendor, vc_version)
    refusal, _reason = PAGE_REFUSALS[kind]
    expect_checks(evidence, [refusal(how=reported.how, verdict=reported.answers.get("verdict", ""))])


def page_names_reason(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, vc_version: str, kind: str) -> None:
    """LCD-04 (SHOULD), attested: the reason the page gave is the badge's defect; a wrong one is marked as such."""
    item, reported = _checked(harness, vendor, vc_version, kind)
    reason = PAGE_REFUSALS[kind][1]
    _attest(evidence, vendor, item, reported, {"verdict": "invalid", "reason": reason})
    result = page_names_the_reason(reason, reported.how, reported.answers.get("verdict", ""),
                                   reported.answers.get("reason", ""))
    if result.status is Status.NOT_APPLICABLE:
        evidence.checks.append(result)
        raise CannotJudge(f"the page did not refuse {item.label}, so it named no reason to judge")
    expect_satisfied(evidence, [result])


def page_confirms_recipient(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, vc_version: str,
                            kind: str) -> None:
    """OB-28 (SHOULD), attested: given the email a badge names (hashed), the page said the badge is theirs."""
    item, reported = _checked(harness, vendor, vc_version, "recipient")
    _attest(evidence, vendor, item, reported, {"recipient": "match"})
    expect_satisfied(evidence, [page_checked_the_recipient("match", reported.how, reported.answers.get("recipient", ""))])


def page_tells_other_recipient(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, vc_version: str,
                               kind: str) -> None:
    """OB-28 (SHOULD), attested: given an email the badge does not name, the page said it is not theirs; judged
    only when the page confirmed the badge that does name it (else its "not theirs" says nothing)."""
    item, reported = _checked(harness, vendor, vc_version, "other-recipient")
    _attest(evidence, vendor, item, reported, {"recipient": "mismatch"})
    _, control = _checked(harness, vendor, vc_version, "recipient")
    if control.how != "reported" or control.answers.get("recipient") != "match":
        raise CannotJudge(f"the page did not confirm the VC {vc_version} badge that does name {KNOWN_RECIPIENT} "
                          f"({control.answers.get('recipient') or control.how}): its answer for another person's says nothing")
    expect_satisfied(evidence, [page_checked_the_recipient("mismatch", reported.how,
                                                           reported.answers.get("recipient", ""))])
