"""A badge displayer, tested by a person (OB-30, OB-31, LCD-01, LCD-02).

lerconf makes a fresh set the way 1EdTech's Displayer certification does: a valid, an expired
and a revoked badge for each VC Data Model version the displayer claims (2.0, 1.1), signed with
eddsa-rdfc-2022 by the embedded reference's did:web issuer, each on the reference's status list,
published under opaque links as JSON and baked into a PNG and an SVG (lerconf.refimpl.display).
The operator opens them one at a time, in a shuffled order, and reports on the operator page what
the displayer showed: the badge's status (asked blind) and each detail, compared with what
lerconf issued. Those answers decide the @attested scenarios; what lerconf's endpoints saw
while the badge was open (the status list and the issuer's DID document fetched) decides the
automated ones. The whole set is asked the first time any displayer scenario needs it.
"""
from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeVar
from urllib.parse import urlsplit

from lerconf import entropy
from lerconf.checks.displayer import (
    DETAIL_FIELDS,
    STATUS_WORDS,
    displayed_details,
    displayed_status,
    issuer_key_resolved,
    status_list_fetched,
)
from lerconf.clients.manual.operator import Reported, person_operator
from lerconf.clients.manual.session import Link, Question
from lerconf.crypto.did import did_web_url
from lerconf.documents.baked import bake_png, bake_svg
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.evidence import Evidence
from lerconf.profile.person import PersonSection
from lerconf.refimpl.artefacts import BADGE_SVG, badge_png
from lerconf.refimpl.display import publish
from lerconf.refimpl.wire import wire_of
from lerconf.results import Status
from lerconf.scenarios.expect import expect_checks
from lerconf.scenarios.harness import Harness, VendorUnderTest
from lerconf.verdicts import Broken, NotClaimed

__all__ = ["BADGE_STATUSES", "DisplayBadge", "displayer_fetched_status_list", "displayer_resolved_issuer_key",
           "displayer_shows_details", "displayer_shows_status", "opened", "person_section", "published"]

BADGE_STATUSES = ("valid", "expired", "revoked")
SUBJECT = "did:example:learner-displayer"
SECURING = "eddsa-rdfc-2022"
FIELD_CHOICES = (("same", "shown, the same as lerconf issued"), ("different", "shown, but different"),
                 ("missing", "not shown"))
FORMS = (("link", "the link"), ("json", "the JSON file"), ("png", "the baked PNG"), ("svg", "the baked SVG"))
IMAGE = "a teal disc (the baked PNG's and SVG's image; the JSON and the link carry none)"


@dataclass(frozen=True)
class DisplayBadge:
    """One badge of the set: what it is (never shown to the operator), what lerconf issued, where it is."""

    label: str                       # "badge C": opaque, says nothing of the status
    vc_version: str
    status: str
    credential: dict[str, Any] = field(repr=False)
    links: tuple[Link, ...]
    details: dict[str, str]          # what lerconf issued, per DETAIL_FIELDS key

    @property
    def status_list(self) -> str | None:
        entry = self.credential.get("credentialStatus")
        url = entry.get("statusListCredential") if isinstance(entry, dict) else None
        return str(url) if url else None

    def questions(self) -> tuple[Question, ...]:
        asked = [Question("form", "Which did you open in it?", FORMS)]
        asked += [Question(key, f"The {label}", FIELD_CHOICES, self.details[key]) for key, label in DETAIL_FIELDS.items()]
        asked.append(Question("status", "The status it showed for this badge", tuple(STATUS_WORDS.items())))
        return tuple(asked)


def person_section(vendor: VendorUnderTest, role: str) -> PersonSection:
    """The vendor's ``displayer`` or ``page_verifier`` section; NotClaimed without one (the embedded
    reference has neither: it needs a person, so the default run never waits for one)."""
    section = getattr(vendor.profile, role, None)
    if not isinstance(section, PersonSection):
        raise NotClaimed(f"{vendor.name} has no {role} section (a {role.replace('_', ' ')} is tested by a person)")
    return section


def _issue(harness: Harness, vc_version: str, status: str, label: str) -> dict[str, Any]:
    issuer = harness.own.issuer
    if issuer is None:  # pragma: no cover - the embedded reference always issues
        raise Broken("lerconf's reference issuer is missing")
    now = entropy.utc_now().replace(microsecond=0)
    valid_from = (now - timedelta(days=30)).replace(hour=9, minute=0, second=0)
    credential = ob3_achievement_credential(
        harness.reference.issuer_id, SUBJECT, credential_id=f"urn:uuid:{entropy.uuid4()}", vc_version=vc_version,
        valid_from=valid_from.strftime("%Y-%m-%dT%H:%M:%SZ"),
        valid_until=(now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ") if status == "expired" else None)
    name = f"Confined Space Entry — Level 2 ({label})"
    credential["name"] = credential["credentialSubject"]["achievement"]["name"] = name
    issued = issuer.issue(credential, {"credentialStatus": {"type": "BitstringStatusListEntry",
                                                            "statusPurpose": "revocation"}})
    if not isinstance(issued.credential, dict):
        raise Broken(f"lerconf's reference did not issue the {status} VC {vc_version} badge: {issued.exchange.reason}")
    if status == "revoked":
        answer = issuer.update_status(credential["id"], "revocation", True)
        if answer.outcome.value != "accepted":
            raise Broken(f"lerconf's reference did not revoke the badge: {answer.reason}")
    return dict(issued.credential)


def _details(credential: dict[str, Any]) -> dict[str, str]:
    achievement = credential["credentialSubject"]["achievement"]
    issued = str(credential.get("validFrom") or credential.get("issuanceDate"))
    return {"image": IMAGE, "name": str(credential["name"]), "description": str(achievement["description"]),
            "issuer": str(credential["issuer"]["name"]), "issued": f"{issued[:10]} ({issued})"}


def _made(harness: Harness, section: PersonSection) -> list[DisplayBadge]:
    kinds = [(v, s) for v in section.vc_versions for s in BADGE_STATUSES]
    random.SystemRandom().shuffle(kinds)
    state, base = harness.reference.state, harness.reference.public_base_url.rstrip("/")
    badges = []
    for i, (vc_version, status) in enumerate(kinds):
        label = f"badge {chr(ord('A') + i)}"
        credential = _issue(harness, vc_version, status, label)
        badges.append(DisplayBadge(label, vc_version, status, credential, published(state, base, credential),
                                   _details(credential)))
    return badges


def published(state: Any, base: str, credential: dict[str, Any]) -> tuple[Link, ...]:
    """The credential served from lerconf's reference under opaque links: as JSON, baked into a PNG and an SVG."""
    text = json.dumps(credential, ensure_ascii=False)
    paths = (publish(state, "badge.json", text.encode(), "application/vc+ld+json"),
             publish(state, "badge.png", bake_png(badge_png(), text), "image/png"),
             publish(state, "badge.svg", bake_svg(BADGE_SVG, text).encode(), "image/svg+xml"))
    return (Link("the link (the credential as JSON at a URL; download it for the JSON file)", base + paths[0]),
            Link("the baked PNG", base + paths[1]), Link("the baked SVG", base + paths[2]))


def opened(harness: Harness, vendor: VendorUnderTest, vc_version: str, status: str) -> tuple[str, str]:
    """The badge of that kind was opened and reported on (the first call asks the operator the whole set)."""
    _shown(harness, vendor, vc_version, status)
    return vc_version, status


def _shown(harness: Harness, vendor: VendorUnderTest, vc_version: str, status: str) -> tuple[DisplayBadge, Reported]:
    """The badge of that kind and what the operator reported about it: the first call asks the whole set."""
    section = person_section(vendor, "displayer")
    if vc_version not in section.vc_versions:
        raise NotClaimed(f"displayer does not claim vc_version={vc_version}")

    def step(badge: DisplayBadge) -> AskedStep:
        return AskedStep(f"Open {badge.label} in the displayer",
                         f"Open {badge.label} in the displayer ({section.open}) with one of the links below, then say "
                         "what it shows, one answer per question.", badge.links, badge.questions())

    return asked_once(harness, vendor, section, "displayer", (vc_version, status), lambda: _made(harness, section),
                      lambda badge: (badge.vc_version, badge.status), step)


@dataclass(frozen=True)
class AskedStep:
    """One step of the person's walk through a set: its title, what to do, the links, the questions."""

    title: str
    instructions: str
    links: tuple[Link, ...]
    questions: tuple[Question, ...]


Item = TypeVar("Item")


def asked_once(harness: Harness, vendor: VendorUnderTest, section: PersonSection, what: str, key: tuple[str, str],
               make: Callable[[], list[Item]], key_of: Callable[[Item], tuple[str, str]],
               step: Callable[[Item], AskedStep]) -> tuple[Item, Reported]:
    """The item ``key`` names and what the operator reported on it. The first call walks the person through
    the whole set (one step each, in the set's shuffled order) and keeps every answer for the run; once a
    step timed out, the rest are not asked. A step without an answer is Broken (never a verdict)."""
    memo: dict[tuple[str, str], tuple[Item, Reported] | Broken] = harness.cache.setdefault((what, vendor.name), {})
    if key not in memo:
        items = make()
        operator = person_operator(vendor, section)
        operator.plan(len(items))
        wire = wire_of(harness.reference.state)
        for item in items:
            mine = key_of(item)
            if any(isinstance(v, Broken) and "timeout" in str(v) for v in memo.values()):
                memo[mine] = Broken(f"not asked: an earlier {what} step got no answer before its timeout "
                                    f"({step(item).title})")
                continue
            asked = step(item)
            try:
                memo[mine] = (item, operator.ask(asked.title, asked.instructions, asked.links, asked.questions, wire))
            except Broken as exc:
                memo[mine] = exc
    found = memo[key]
    if isinstance(found, Broken):
        raise Broken(str(found))
    return found


def _attest(evidence: Evidence, operator_info: dict[str, str], badge: DisplayBadge, reported: Reported,
            asked: list[str], expected: dict[str, str]) -> None:
    """The operator's answers to ``asked`` into the evidence, each beside what lerconf expected."""
    questions = []
    for q in badge.questions():
        if q.id not in asked:
            continue
        answer = reported.answers.get(q.id, "(could not open it)")
        want = expected.get(q.id, "")
        verdict = "passed" if not want or answer == want else "failed"
        choices = dict(q.choices)
        questions.append({"id": q.id, "label": q.label, "expected": q.shown or choices.get(want, want),
                          "answer": choices.get(answer, answer), "verdict": verdict})
    evidence.keep(f"operator step {reported.step.id}: {badge.label} (VC {badge.vc_version})", reported.document())
    evidence.attest(reported.attestation(questions, operator_info))


def displayer_shows_status(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, vc_version: str,
                           status: str) -> None:
    """OB-30, attested: the status the operator saw for the badge, asked blind."""
    badge, reported = _shown(harness, vendor, vc_version, status)
    _attest(evidence, _info(vendor), badge, reported, ["form", "status"], {"status": status})
    expect_checks(evidence, [displayed_status(status, reported.how, reported.answers.get("status", ""))])


def displayer_shows_details(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, vc_version: str,
                            status: str) -> None:
    """OB-31, attested: image (if baked), name, description, issuer name and issue date as issued."""
    badge, reported = _shown(harness, vendor, vc_version, status)
    _attest(evidence, _info(vendor), badge, reported, ["form", *DETAIL_FIELDS],
            {k: "same" for k in DETAIL_FIELDS if k != "image" or reported.answers.get("form") in ("png", "svg")})
    expect_checks(evidence, [displayed_details(reported.answers, reported.how, reported.answers.get("form", ""))])


def displayer_fetched_status_list(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, vc_version: str) -> None:
    """LCD-01, automated: lerconf's endpoints saw the revoked badge's status list fetched."""
    badge, reported = _shown(harness, vendor, vc_version, "revoked")
    evidence.keep(f"operator step {reported.step.id}: {badge.label} (VC {badge.vc_version})", reported.document())
    url = badge.status_list
    path = urlsplit(url).path if url else ""
    during, total = len(reported.fetched(path, earlier=False)), len(reported.fetched(path))
    _judge(evidence, status_list_fetched(url, during, total - during))


def displayer_resolved_issuer_key(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, vc_version: str) -> None:
    """LCD-02, automated: lerconf's endpoints saw the issuer's did:web document fetched for the valid badge."""
    badge, reported = _shown(harness, vendor, vc_version, "valid")
    evidence.keep(f"operator step {reported.step.id}: {badge.label} (VC {badge.vc_version})", reported.document())
    issuer = harness.reference.issuer_id
    did_url = did_web_url(issuer) if issuer.startswith("did:web:") else None
    path = urlsplit(did_url).path if did_url else ""
    during, total = len(reported.fetched(path, earlier=False)), len(reported.fetched(path))
    _judge(evidence, issuer_key_resolved(did_url, during, total - during))


def _judge(evidence: Evidence, result: Any) -> None:
    if result.status is Status.NOT_APPLICABLE:
        evidence.checks.append(result)
        raise Broken(f"lerconf fault: {result.message}")
    expect_checks(evidence, [result])


def _info(vendor: VendorUnderTest) -> dict[str, str]:
    """Who tested what (the page's session fields) and where the operator opened the badges."""
    section = person_section(vendor, "displayer")
    return {**person_operator(vendor, section).session.info, "opened_in": section.open}
