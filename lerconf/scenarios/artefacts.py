"""An issuer judged by what it delivered (features/artefacts/): each file, folder member, archive
member or link of ``issuer.artefacts`` is read once per run, verified by lerconf's engine once,
and judged by every scenario whose form it has.

A scenario row is one *form* (a badge as JSON, as a VC-JWT, baked into a PNG or an SVG, a CLR, an
LER-RS résumé) and judges every delivered artefact of that form: it fails naming the artefacts that
fail, is *not claimed* when the vendor delivered none of that form, and *cannot be judged* when
lerconf could not reach an artefact (or a document it needs) and nothing else failed.
"""
from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from lerconf.checks.artefacts import artefact_is_as_described, artefact_served_with_its_media_type, file_holds_one_credential
from lerconf.checks.baking import png_baking_follows_the_spec, svg_baking_follows_the_spec
from lerconf.checks.issuance import issued_badge_proof_verifies
from lerconf.checks.ler_rs import is_ler_rs
from lerconf.checks.ob import types_of
from lerconf.checks.vcapi_answers import verdict_check_for
from lerconf.clients.artefacts import Delivered, collect
from lerconf.crypto.encoding import b64url_decode
from lerconf.crypto.jose.encodings import JwtEncoding, detect_encoding
from lerconf.documents.baked import Baked, unbake
from lerconf.evidence import Evidence
from lerconf.profile.artefacts import LER_RS_TYPE, ArtefactIssuer
from lerconf.protocol.vcapi import VerifierVerdict
from lerconf.redact import redact_text
from lerconf.results import Category, CheckResult, Status
from lerconf.scenarios.expect import expect_checkable, expect_checks, expect_requirement_met
from lerconf.scenarios.harness import Harness, VendorUnderTest
from lerconf.verdicts import Broken, CannotJudge, NotClaimed
from lerconf.verify.inputs import InputError, ParsedInput, parse_file
from lerconf.verify.report import VerificationReport, VerifyOptions, could_not_check

__all__ = ["FORMS", "Judged", "as_described", "baked_as_specified", "delivered_artefacts", "interop_artefacts",
           "interop_verdicts", "judge_each", "observe", "one_credential_per_file", "proof_verifies", "satisfies", "served_with_media_type"]

BADGE_JSON, BADGE_JWT, BAKED_PNG, BAKED_SVG, CLR, LER_RS = ("badge JSON", "badge VC-JWT", "baked PNG", "baked SVG",
                                                           "CLR", "LER-RS")
#: the forms a feature row names (Examples column ``form``)
FORMS = (BADGE_JSON, BADGE_JWT, BAKED_PNG, BAKED_SVG, CLR, LER_RS)
#: what the engine says about a proof (as for a live issuer's answer, OB-12)
PROOF_CATEGORIES = (Category.PROOF, Category.JOSE_CLAIMS, Category.PARSE)
_V2, _V1 = "https://www.w3.org/ns/credentials/v2", "https://www.w3.org/2018/credentials/v1"
_JWT_SECURING = {JwtEncoding.OB30: "ob30-vc-jwt", JwtEncoding.VCDM11: "vc-jwt", JwtEncoding.JOSE: "vc+jwt"}


@dataclass
class Judged:
    """One delivered artefact, read and verified: its form, what lerconf read from it (``parsed``,
    or ``problem``) and the engine's report."""

    delivered: Delivered
    form: str
    parsed: ParsedInput | None = None
    problem: str | None = None
    report: VerificationReport | None = None
    #: how an image holds its credential, also when none could be read out of it (OB-19 / OB-20)
    baked: Baked | None = None

    def __repr__(self) -> str:  # allure-pytest-bdd records repr() of step arguments: the gist, never the bytes
        state = ("unread: " + redact_text(self.problem)[:120]) if self.problem else (  # scrubbed, then cut
            "verified" if self.report is not None and self.report.verified else "read")
        return f"Judged({self.form} {redact_text(self.label)!r}, {state})"

    @property
    def label(self) -> str:
        return self.delivered.label

    def about(self, result: CheckResult) -> CheckResult:
        """``result`` with the artefact it is about in its subject (a row judges many artefacts)."""
        return dataclasses.replace(result, subject=self.label + (f" › {result.subject}" if result.subject else ""))


def delivered_artefacts(harness: Harness, vendor: VendorUnderTest) -> list[Judged]:
    """The vendor's artefacts, read and verified once per run (every scenario row shares them)."""
    section: ArtefactIssuer | None = vendor.profile.artefacts
    if section is None:
        raise NotClaimed(f"{vendor.name} has no issuer.artefacts (files or links it delivered)")
    key = ("artefacts", vendor.name)
    if key not in harness.cache:
        options = VerifyOptions(status_list_minimum=harness.status_list_minimum)
        harness.cache[key] = [_judge(harness, item, options) for item in collect(section.sources, vendor.http)]
    judged: list[Judged] = harness.cache[key]
    return judged


def _judge(harness: Harness, item: Delivered, options: VerifyOptions) -> Judged:
    if item.data is None:
        return Judged(item, _form_without_content(item), problem=item.problem)
    try:
        parsed = parse_file(item.data, item.label)
    except InputError as exc:
        baked = unbake(item.data)
        form = (BAKED_PNG if baked.image == "png" else BAKED_SVG) if baked is not None else _form_without_content(item)
        return Judged(item, form, problem=str(exc), baked=baked)
    if parsed.baked is not None:
        form = BAKED_PNG if parsed.baked.image == "png" else BAKED_SVG
    else:
        form = BADGE_JWT if parsed.kind == "jwt" else BADGE_JSON
    if parsed.kind == "jwt":
        report = harness.engine.verify_jwt(parsed.value, item.label, options)
    else:
        report = harness.engine.verify_document(parsed.value, item.label, options)
    document = report.document if isinstance(report.document, Mapping) else parsed.value
    if form in (BADGE_JSON, BADGE_JWT) and isinstance(document, Mapping):
        if is_ler_rs(document):
            form = LER_RS
        elif "ClrCredential" in types_of(document.get("type")):
            form = CLR
    return Judged(item, form, parsed, report=report, baked=parsed.baked)


def _form_without_content(item: Delivered) -> str:
    """The form of an artefact lerconf could not read: as described, else by its file name."""
    said = item.source.described
    if said.baked in ("png", "svg"):
        return BAKED_PNG if said.baked == "png" else BAKED_SVG
    if said.type == "ClrCredential":
        return CLR
    if said.type == LER_RS_TYPE:
        return LER_RS
    suffix = PurePosixPath(item.file_name or item.label).suffix.lower()
    return {".png": BAKED_PNG, ".svg": BAKED_SVG, ".jwt": BADGE_JWT, ".jws": BADGE_JWT}.get(suffix, BADGE_JSON)


# -- rows ---------------------------------------------------------------------------------------------------
def _of_form(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, form: str) -> list[Judged]:
    if form not in FORMS:
        raise ValueError(f"unknown artefact form {form!r}; one of {', '.join(FORMS)}")
    items = [j for j in delivered_artefacts(harness, vendor) if j.form == form]
    if not items:
        raise NotClaimed(f"{vendor.name} delivered no {form}")
    evidence.keep("artefacts", [j.delivered.evidence() for j in items])
    for j in items:
        if j.delivered.exchange is not None and j.delivered.exchange not in evidence.exchanges:
            evidence.record(j.delivered.exchange)
    return items


def _readable(items: Sequence[Judged], form: str) -> list[Judged]:
    """The artefacts of a row lerconf could read; none at all: the row cannot be judged (OB-17 says why)."""
    readable = [j for j in items if j.report is not None]
    if not readable:
        unreached = [j.label for j in items if j.delivered.unreached]
        why = f"lerconf got no answer for {', '.join(unreached)}" if unreached else "none could be read (see OB-17)"
        raise CannotJudge(f"no {form} artefact to judge: {why}")
    return readable


def _judged_with_unreached(evidence: Evidence, items: Sequence[Judged], results: list[CheckResult],
                           reports: Sequence[VerificationReport] = ()) -> None:
    """The row's verdict: failures fail; then an artefact or document lerconf could not reach
    makes it *cannot be judged*; else every MUST holds."""
    failures = [r for r in results if r.status is Status.FAILED and not could_not_check(r)]
    unreached = [j for j in items if j.delivered.unreached]
    if not failures and unreached:
        evidence.checks.extend(results)
        raise CannotJudge(f"lerconf got no answer for {', '.join(j.label for j in unreached)}: "
                          + "; ".join(j.delivered.problem or "" for j in unreached))
    if not failures:
        expect_checkable(results, reports[0] if len(reports) == 1 and not results else None, evidence)
    expect_checks(evidence, results)


def one_credential_per_file(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, form: str) -> None:
    """OB-17: each delivered artefact of ``form`` holds exactly one credential, in a file named for its encoding."""
    items = _of_form(harness, vendor, evidence, form)
    results = []
    for j in items:
        if j.delivered.unreached:
            continue
        kind = j.parsed.kind if j.parsed is not None else None
        value = j.parsed.value if j.parsed is not None else None
        results.append(j.about(file_holds_one_credential(kind, value, file_name=j.delivered.file_name, problem=j.problem,
                                                         baked=j.parsed is not None and j.parsed.baked is not None)))
    _judged_with_unreached(evidence, items, results)


def served_with_media_type(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, form: str) -> None:
    """OB-18 (SHOULD): each artefact of ``form`` delivered by URL is served with its media type."""
    items = [j for j in _of_form(harness, vendor, evidence, form) if j.delivered.source.url is not None]
    if not items:
        raise NotClaimed(f"{vendor.name} delivered no {form} by URL")
    results = []
    for j in _readable(items, form):
        assert j.parsed is not None
        served_as = j.parsed.baked.image if j.parsed.baked is not None else j.parsed.kind
        results.append(j.about(artefact_served_with_its_media_type(served_as, j.delivered.media_type)))
    expect_requirement_met(evidence, results, "OB-18")


def baked_as_specified(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, form: str) -> None:
    """OB-19 / OB-20: each baked image holds its credential the way OB 3.0 §"Image Format" says
    (judged also when no credential could be read out of it: that is a baking defect too)."""
    check: Callable[..., CheckResult] = png_baking_follows_the_spec if form == BAKED_PNG else svg_baking_follows_the_spec
    items = _of_form(harness, vendor, evidence, form)
    images = [j for j in items if j.baked is not None]
    if not images:
        _readable(items, form)  # says why there is nothing to judge
    results = [j.about(check(j.baked)) for j in images]
    _judged_with_unreached(evidence, items, results)


def proof_verifies(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, form: str) -> None:
    """OB-12: each delivered credential of ``form`` carries a supported proof lerconf's engine verifies."""
    items = _of_form(harness, vendor, evidence, form)
    results, reports = [], []
    for j in _readable(items, form):
        assert j.report is not None
        reports.append(j.report)
        parts = [r for r in j.report.checks if r.category in PROOF_CATEGORIES]
        if any(could_not_check(r) for r in parts):
            evidence.checks.extend(j.about(r) for r in parts if could_not_check(r))
        results.append(j.about(issued_badge_proof_verifies(parts)))
    _judged_with_unreached(evidence, items, results, reports)


def satisfies(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, form: str, requirement: str) -> None:
    """The engine's checks of ``requirement`` on each delivered credential of ``form`` that it applies
    to (DI-07 to a Data Integrity proof, JC-04 to a VC-JWT, …); not claimed when it applies to none."""
    items = _of_form(harness, vendor, evidence, form)
    results: list[CheckResult] = []
    reports, elsewhere = [], []
    for j in _readable(items, form):
        assert j.report is not None
        own = [j.about(r) for r in j.report.checks if r.requirement == requirement]
        if all(r.status is Status.NOT_APPLICABLE for r in own):
            elsewhere.append(j.label)
            continue
        reports.append(j.report)
        results += own
    if not results:
        raise NotClaimed(f"{requirement} applies to none of {vendor.name}'s {form} artefacts ({', '.join(elsewhere)})")
    if elsewhere:
        evidence.notes.append(f"{requirement} does not apply to {', '.join(elsewhere)}")
    _judged_with_unreached(evidence, items, results, reports)


def judge_each(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, form: str,
               judge: Callable[[Judged], CheckResult]) -> None:
    """``judge`` on each readable artefact of ``form`` (its result named for the artefact), then the
    row's verdict as for every other row (an ecosystem profile's rules use this)."""
    items = _of_form(harness, vendor, evidence, form)
    results = [j.about(judge(j)) for j in _readable(items, form)]
    _judged_with_unreached(evidence, items, results)


def as_described(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, form: str) -> None:
    """LCA-01: each artefact of ``form`` is what the vendor's profile says it is."""
    items = _of_form(harness, vendor, evidence, form)
    section: ArtefactIssuer = vendor.profile.artefacts
    results, reports = [], []
    for j in _readable(items, form):
        assert j.report is not None
        reports.append(j.report)
        described = dict(j.delivered.source.described.said())
        if section.issuer_id:
            described["issuer"] = section.issuer_id
        observed = observe(j)
        result = j.about(artefact_is_as_described(described, observed))
        unseen = [name for name in described if observed.get(name) is None]
        if result.status is Status.PASSED and unseen:  # e.g. a status list lerconf could not reach
            unchecked = [j.about(r) for _, r in j.report.unchecked()]
            evidence.checks.extend([result, *unchecked])
            raise CannotJudge(f"{j.label}: lerconf could not observe {', '.join(unseen)}"
                              + (": " + "; ".join(r.message for r in unchecked) if unchecked else ""))
        results.append(result)
    _judged_with_unreached(evidence, items, results)


def observe(judged: Judged) -> dict[str, str | None]:
    """What an artefact is, as lerconf found it (None: not observable)."""
    report, parsed = judged.report, judged.parsed
    assert report is not None and parsed is not None
    document = report.document if isinstance(report.document, Mapping) else {}
    types = types_of(document.get("type"))
    contexts = document.get("@context")
    first = contexts[0] if isinstance(contexts, list) and contexts else contexts
    issuer = document.get("issuer")
    return {
        "type": LER_RS_TYPE if is_ler_rs(document) else _type(types, judged.delivered.source.described.type),
        "vc_version": "2.0" if first == _V2 else "1.1" if first == _V1 else str(first),
        "securing": _jwt_securing(parsed.value) if parsed.kind == "jwt" else _proof_securing(document.get("proof")),
        "status": _status(report, document),
        "baked": parsed.baked.image if parsed.baked is not None else "no",
        "issuer": issuer.get("id") if isinstance(issuer, Mapping) else issuer if isinstance(issuer, str) else None,
    }


def _type(types: Sequence[str], said: str | None) -> str:
    if said is not None and said in types:
        return said
    specific = [t for t in types if t != "VerifiableCredential"]
    return ", ".join(specific) or ", ".join(types) or "no type"


def _proof_securing(proof: Any) -> str:
    first = proof[0] if isinstance(proof, list) and proof else proof
    if not isinstance(first, Mapping):
        return "no proof"
    return str(first.get("cryptosuite") or first.get("type"))


def _jwt_securing(token: str) -> str:
    try:
        header, payload = (json.loads(b64url_decode(part)) for part in token.split("~", 1)[0].split(".")[:2])
    except (ValueError, TypeError):
        return "an unreadable JWT"
    if not isinstance(header, Mapping) or not isinstance(payload, Mapping):
        return "an unreadable JWT"
    encoding, _ = detect_encoding(header, payload)
    return _JWT_SECURING.get(encoding, encoding.value)


def _status(report: VerificationReport, document: Mapping[str, Any]) -> str | None:
    """revoked / suspended (a set bit, a 1EdTech revocation), active, none; None when lerconf could not check."""
    for r in report.checks:
        if r.requirement == "BSL-18" and r.status is Status.FAILED and not could_not_check(r):
            purpose = str(r.details.get("purpose", ""))
            if purpose in ("revocation", "suspension"):
                return "revoked" if purpose == "revocation" else "suspended"
        if r.requirement == "OB-26" and r.status is Status.FAILED and r.error_type == "REVOKED":
            return "revoked"
    if "credentialStatus" not in document:
        return "none"
    status_ids = ("BSL-", "OB-26")
    if any(r.requirement.startswith(status_ids) and could_not_check(r) for r in report.checks):
        return None
    return "active"


# -- interop: another vendor's verifier judges what this vendor delivered --------------------------------------
def interop_artefacts(harness: Harness, issuer: VendorUnderTest, verifier: VendorUnderTest, evidence: Evidence, *,
                      revoked: bool) -> list[Judged]:
    """The Data Integrity credentials ``issuer`` delivered that ``verifier`` claims (securing, VC
    version, credential type, status method) and that lerconf's engine judged: verified ones (``revoked`` False), or ones whose
    status lerconf found revoked or suspended (``revoked`` True). Nothing lerconf itself could not
    judge is sent: a verifier is never blamed for an artefact lerconf rejects or could not check."""
    endpoints = verifier.profile.role("verifier")
    if endpoints is None:
        raise NotClaimed(f"{verifier.name} has no verifier role")
    chosen: list[Judged] = []
    for j in delivered_artefacts(harness, issuer):
        if j.report is None or j.parsed is None or j.parsed.kind != "json" or j.form == LER_RS:
            continue
        seen = observe(j)
        if seen["securing"] not in endpoints.claims.securing or seen["vc_version"] not in endpoints.claims.vc_versions:
            continue
        if not _claimed_by(endpoints.claims, j.report.document):
            continue
        status_set = seen["status"] in ("revoked", "suspended")
        if (revoked and status_set and _only_status_blocks(j.report)) or (not revoked and j.report.verified):
            chosen.append(j)
    if not chosen:
        what = "revoked Data Integrity credential" if revoked else "Data Integrity credential lerconf verified"
        raise NotClaimed(f"{issuer.name} delivered no {what} that {verifier.name}'s verifier claims")
    evidence.keep("artefacts", [j.delivered.evidence() for j in chosen])
    return chosen


def _claimed_by(claims: Any, document: Any) -> bool:
    """The verifier claims the credential's type (default: OpenBadgeCredential) and its status method."""
    if not isinstance(document, Mapping):
        return False
    claimed_types = claims.credential_types or ("OpenBadgeCredential",)
    if not set(types_of(document.get("type"))) & set(claimed_types):
        return False
    entries = document.get("credentialStatus")
    entries = entries if isinstance(entries, list) else [entries] if entries is not None else []
    methods = {str(e.get("type")).removesuffix("Entry") for e in entries if isinstance(e, Mapping)}
    return methods <= set(claims.status)


def _only_status_blocks(report: VerificationReport) -> bool:
    """The credential verifies but for its status: a set bit (BSL-18) or a 1EdTech revocation (OB-26)."""
    return all(r.requirement in ("BSL-18", "OB-26") for _, r in report.blocking_failures())


def interop_verdicts(evidence: Evidence, verifier: VendorUnderTest, chosen: Sequence[Judged], expected: VerifierVerdict,
                     requirements: Sequence[str]) -> None:
    """Each chosen artefact's credential sent to the verifier; every verdict must be ``expected``
    (judged by the requirement's verdict check); a verifier that gives no verdict breaks the scenario."""
    client = verifier.verifier
    if client is None:
        raise NotClaimed(f"{verifier.name} has no verifier role")
    results: list[CheckResult] = []
    broken = []
    for j in chosen:
        assert j.parsed is not None
        answer = client.verify_credential(j.parsed.value)
        if answer.verdict is VerifierVerdict.BROKEN:
            broken.append(f"{j.label}: {answer.reason}")
            continue
        results += [j.about(verdict_check_for(rid)(answer, expected, None)) for rid in requirements]
    if broken and not any(r.status is Status.FAILED for r in results):
        evidence.checks.extend(results)
        raise Broken("the verifier gave no verdict: " + "; ".join(broken))
    expect_checks(evidence, results)
