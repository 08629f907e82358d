"""CLR 2.0 data-model checks beyond the JSON Schema.

A ClrCredential bundles independently secured Open Badges: the checks here cover the envelope
(contexts, types, required fields, learner identification), the nested credentials'
structure (each one secured and itself an OB 3.0 credential) and the achievement associations.
Nested proofs are verified by the proof engine, not here (CLR-08).
"""
from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from lerconf.checks.base import Verdict, check, failed, not_applicable, passed
from lerconf.checks.ob import (
    OB_CONTEXT,
    VC_V2,
    as_list,
    identity_hash,
    identity_object_problems,
    is_date_time_z,
    is_open_badge,
    is_uri,
    not_this_format,
    ob_checks,
    profile_problems,
    subjects,
    types_of,
)
from lerconf.crypto.encoding import b64url_decode
from lerconf.results import Category, CheckResult, Severity, Status

__all__ = ["Nested", "clr_checks", "is_clr", "nested_credentials"]

CLR_CONTEXT = re.compile(r"^https://purl\.imsglobal\.org/spec/clr/v2p0/context(-2\.\d+\.\d+)?\.json$")
ASSOCIATION_TYPES = frozenset(
    {"exactMatchOf", "isChildOf", "isParentOf", "isPartOf", "isPeerOf", "isRelatedTo", "precedes", "replacedBy"}
)


def is_clr(credential: Any) -> bool:
    return isinstance(credential, Mapping) and "ClrCredential" in types_of(credential.get("type"))


class Nested(NamedTuple):
    """One credential inside a CLR: where it is, its JSON (None if unreadable), why not, JWS or not."""

    path: str
    credential: Any
    problem: str | None
    jws: bool


def nested_credentials(clr: Mapping[str, Any]) -> list[Nested]:
    """Each ``ClrSubject.verifiableCredential``, located by JSON path.

    A compact JWS is decoded (not verified) so its payload can be checked; a 1.1-style ``vc``
    claim is unwrapped.
    """
    out: list[Nested] = []
    for spath, subject in subjects(clr):
        if not isinstance(subject, Mapping):
            continue
        raw = subject.get("verifiableCredential")
        items = raw if isinstance(raw, list) else [raw] if raw is not None else []
        for i, item in enumerate(items):
            path = f"{spath}.verifiableCredential" + (f"[{i}]" if isinstance(raw, list) else "")
            if isinstance(item, str):
                payload, problem = _jwt_payload(item)
                out.append(Nested(path, payload, problem, True))
            else:
                out.append(Nested(path, item, None if isinstance(item, Mapping) else "not an object or a compact JWS", False))
    return out


def _jwt_payload(token: str) -> tuple[Any, str | None]:
    parts = token.split(".")
    if len(parts) != 3:
        return None, "a string that is not a compact JWS"
    try:
        payload = json.loads(b64url_decode(parts[1]))
    except ValueError as exc:
        return None, f"a compact JWS whose payload is not JSON: {exc}"
    if isinstance(payload, Mapping) and isinstance(payload.get("vc"), Mapping):
        payload = payload["vc"]
    return payload, None


def _verdict(problems: list[str], ok: str, **details: Any) -> Verdict:
    return failed("; ".join(problems), problems=problems, **details) if problems else passed(ok, **details)


@check("CLR-01", Category.STRUCTURE)
def clr_context_lists_vc_clr_and_ob_contexts(credential: Mapping[str, Any]) -> Verdict:
    """The @context MUST list the VC 2.0 context, then the CLR 2.0 context, then the OB 3.0 context.

    CLR 2.0 Data Model: ClrCredential @context.
    """
    ctx = credential.get("@context")
    if not isinstance(ctx, list) or len(ctx) < 3:
        return failed(f"$.@context {ctx!r} is not a list of at least three contexts")
    problems = []
    if ctx[0] != VC_V2:
        problems.append(f"$.@context[0] is {ctx[0]!r}, not {VC_V2}")
    if not isinstance(ctx[1], str) or not CLR_CONTEXT.match(ctx[1]):
        problems.append(f"$.@context[1] is {ctx[1]!r}, not a CLR 2.0 context")
    if not isinstance(ctx[2], str) or not OB_CONTEXT.match(ctx[2]):
        problems.append(f"$.@context[2] is {ctx[2]!r}, not an OB 3.0 context")
    return _verdict(problems, "@context lists the VC 2.0, CLR 2.0 and OB 3.0 contexts in order", context=ctx[:3])


@check("CLR-02", Category.STRUCTURE)
def clr_declares_type_id_name_issuer_valid_from(credential: Mapping[str, Any]) -> Verdict:
    """type MUST include VerifiableCredential and ClrCredential; id, name, issuer (Profile) and validFrom are REQUIRED.

    CLR 2.0 ClrCredential; ``partial``, if present, is a boolean.
    """
    problems = []
    types = types_of(credential.get("type"))
    if "VerifiableCredential" not in types or "ClrCredential" not in types:
        problems.append(f"$.type {credential.get('type')!r} lacks VerifiableCredential and ClrCredential")
    if not is_uri(credential.get("id")):
        problems.append(f"$.id {credential.get('id')!r} is not a URI")
    if not isinstance(credential.get("name"), (str, dict)) or not credential.get("name"):
        problems.append("$.name is missing")
    problems += profile_problems(credential.get("issuer"), "$.issuer")
    if not is_date_time_z(credential.get("validFrom")):
        problems.append(f"$.validFrom {credential.get('validFrom')!r} is missing or not a DateTimeZ")
    if "partial" in credential and not isinstance(credential["partial"], bool):
        problems.append(f"$.partial {credential['partial']!r} is not a boolean")
    return _verdict(problems, "CLR declares its type, id, name, issuer and validFrom")


@check("CLR-03", Category.STRUCTURE)
def clr_subject_is_identified(credential: Mapping[str, Any]) -> Verdict:
    """credentialSubject.type MUST include ClrSubject; the learner is identified by id and/or identifier.

    CLR 2.0 ClrSubject (identifiers are IdentityObjects).
    """
    problems: list[str] = []
    for path, subject in subjects(credential):
        if not isinstance(subject, Mapping):
            problems.append(f"{path} is not an object")
            continue
        if "ClrSubject" not in types_of(subject.get("type")):
            problems.append(f"{path}.type {subject.get('type')!r} does not include ClrSubject")
        identifiers = as_list(subject.get("identifier"))
        if "id" not in subject and not identifiers:
            problems.append(f"{path} has neither id nor identifier")
        for i, ident in enumerate(identifiers):
            problems += identity_object_problems(ident, f"{path}.identifier[{i}]")
    return _verdict(problems, "ClrSubject identifies the learner")


@check("CLR-04", Category.STRUCTURE)
def clr_nested_credentials_are_secured_open_badges(credential: Mapping[str, Any]) -> Verdict:
    """ClrSubject.verifiableCredential MUST hold at least one AchievementCredential, each independently secured and OB 3.0 conformant.

    CLR 2.0 ClrSubject.verifiableCredential. Structure side: each nested credential carries a
    proof (or is a compact JWS) and passes the OB 3.0 structure checks; proofs are verified
    by the proof engine (CLR-08).
    """
    nested = nested_credentials(credential)
    if not nested:
        return failed("$.credentialSubject.verifiableCredential is missing or empty")
    problems: list[str] = []
    for path, vc, problem, jws in nested:
        if problem:
            problems.append(f"{path} is {problem}")
            continue
        if not is_open_badge(vc):
            problems.append(f"{path}.type {vc.get('type')!r} is not an AchievementCredential/OpenBadgeCredential")
            continue
        if not jws and not vc.get("proof"):
            problems.append(f"{path} has no proof (each nested credential is secured on its own)")
        for result in ob_checks(vc):
            if result.status is Status.FAILED:
                problems.append(f"{path} fails {result.requirement}: {result.message}")
    return _verdict(problems, f"{len(nested)} nested credential(s) are secured Open Badges", count=len(nested))


def _achievement_ids(credential: Mapping[str, Any]) -> set[str]:
    """Achievement ids present in the record: ClrSubject.achievement[] and nested subjects."""
    ids: set[str] = set()
    for _, subject in subjects(credential):
        if isinstance(subject, Mapping):
            ids |= {a["id"] for a in as_list(subject.get("achievement")) if isinstance(a, Mapping) and isinstance(a.get("id"), str)}
    for _, vc, _problem, _jws in nested_credentials(credential):
        if isinstance(vc, Mapping):
            for _, s in subjects(vc):
                ach = s.get("achievement") if isinstance(s, Mapping) else None
                if isinstance(ach, Mapping) and isinstance(ach.get("id"), str):
                    ids.add(ach["id"])
    return ids


@check("CLR-05", Category.STRUCTURE)
def clr_associations_reference_present_achievements(credential: Mapping[str, Any]) -> Verdict:
    """Each Association has type Association, an associationType, and sourceId/targetId naming achievements in the record.

    CLR 2.0 Association; AssociationType enumeration.
    """
    problems: list[str] = []
    count = 0
    known = _achievement_ids(credential)
    for spath, subject in subjects(credential):
        if not isinstance(subject, Mapping):
            continue
        for i, assoc in enumerate(as_list(subject.get("association"))):
            count += 1
            path = f"{spath}.association[{i}]"
            if not isinstance(assoc, Mapping):
                problems.append(f"{path} is not an object")
                continue
            if "Association" not in types_of(assoc.get("type")):
                problems.append(f"{path}.type {assoc.get('type')!r} is not Association")
            if assoc.get("associationType") not in ASSOCIATION_TYPES:
                problems.append(f"{path}.associationType {assoc.get('associationType')!r} is not an AssociationType")
            for end in ("sourceId", "targetId"):
                if assoc.get(end) not in known:
                    problems.append(f"{path}.{end} {assoc.get(end)!r} names no achievement in the record")
    if not count:
        return not_applicable("CLR has no associations")
    return _verdict(problems, f"{count} association(s) reference achievements in the record")


class _Learner(NamedTuple):
    """How a subject names its learner: its id, and its IdentityObjects as (type, hashed, value, salt)."""

    id: str | None
    identifiers: tuple[tuple[str, bool, str, str], ...]


def _learner(subject: Mapping[str, Any]) -> _Learner:
    found = []
    for ident in as_list(subject.get("identifier")):
        if isinstance(ident, Mapping) and isinstance(ident.get("identityHash"), str):
            found.append((str(ident.get("identityType")), ident.get("hashed") is True, ident["identityHash"],
                          str(ident.get("salt") or "")))
    sid = subject.get("id")
    return _Learner(sid if isinstance(sid, str) else None, tuple(found))


def _same_identity(a: tuple[str, bool, str, str], b: tuple[str, bool, str, str]) -> bool | None:
    """True/False when two IdentityObjects can be compared, None when they cannot (two hashes with other salts)."""
    (atype, ahashed, avalue, asalt), (btype, bhashed, bvalue, bsalt) = a, b
    if atype != btype:
        return None
    if not ahashed and not bhashed:
        return avalue.lower() == bvalue.lower()
    if ahashed and bhashed:  # comparable only as the same algorithm over the same salt
        same_method = asalt == bsalt and _algorithm(avalue) is not None and _algorithm(avalue) == _algorithm(bvalue)
        return avalue.lower() == bvalue.lower() if same_method else None
    plain, (hashed, salt) = (bvalue, (avalue, asalt)) if ahashed else (avalue, (bvalue, bsalt))
    algorithm = _algorithm(hashed)
    return None if algorithm is None else identity_hash(plain, salt, algorithm).lower() == hashed.lower()


def _algorithm(identity_hash_value: str) -> str | None:
    """``sha256`` or ``md5`` from an IdentityHash's ``alg$`` prefix (None: not one lerconf can recompute)."""
    algorithm = identity_hash_value.split("$", 1)[0] if "$" in identity_hash_value else None
    return algorithm if algorithm in ("sha256", "md5") else None


def _linked(clr: _Learner, nested: _Learner) -> bool | None:
    """Whether a nested subject names the CLR's learner: True (one fact links them), False (comparable
    facts and none links them), None (nothing to compare)."""
    comparisons: list[bool | None] = []
    if clr.id is not None and nested.id is not None:
        comparisons.append(clr.id == nested.id)
    comparisons += [_same_identity(a, b) for a in clr.identifiers for b in nested.identifiers]
    if any(c is True for c in comparisons):
        return True
    return False if any(c is False for c in comparisons) else None


@check("CLR-10", Category.STRUCTURE, severity=Severity.SHOULD)
def clr_nested_credentials_name_the_clr_learner(credential: Mapping[str, Any]) -> Verdict:
    """Each nested credential is about the learner the CLR is about (a harness heuristic, not a rule of
    the spec: CLR 2.0 bundles one learner's achievements, so a badge naming another person is flagged).

    Linked by the same ``id`` or the same IdentityObject (plain, hashed with the same salt, or a plain
    value whose hash with the other's salt matches); unlinked when such facts exist and none agree;
    nothing is concluded when they cannot be compared (two hashes with different salts)."""
    learners = [_learner(s) for _, s in subjects(credential) if isinstance(s, Mapping)]
    if not learners:
        return not_applicable("the CLR has no ClrSubject to compare with")
    others, unknown, linked = [], 0, 0
    for path, vc, problem, _jws in nested_credentials(credential):
        if problem or not isinstance(vc, Mapping):
            continue
        for spath, subject in subjects(vc):
            if not isinstance(subject, Mapping):
                continue
            verdicts = [_linked(clr, _learner(subject)) for clr in learners]
            if True in verdicts:
                linked += 1
            elif False in verdicts:
                named = subject.get("id") or "its identifier"
                others.append(f"{path}{spath[1:]} names another learner ({named})")
            else:
                unknown += 1
    if others:
        return failed("; ".join(others) + " than the CLR's learner (a CLR bundles one learner's achievements)")
    if not linked:
        return not_applicable(f"no nested subject can be compared with the ClrSubject ({unknown} without a comparable "
                              "id or identifier)")
    more = f"; {unknown} could not be compared" if unknown else ""
    return passed(f"{linked} nested subject(s) name the CLR's learner{more}")


def clr_checks(credential: Any) -> list[CheckResult]:
    """Every CLR 2.0 structure check; one not-applicable result when it is not a CLR."""
    if not is_clr(credential):
        observed = credential.get("type") if isinstance(credential, Mapping) else type(credential).__name__
        return [not_this_format("CLR-02", f"not a CLR 2.0 credential (type {observed!r})")]
    return [
        clr_context_lists_vc_clr_and_ob_contexts(credential),
        clr_declares_type_id_name_issuer_valid_from(credential),
        clr_subject_is_identified(credential),
        clr_nested_credentials_are_secured_open_badges(credential),
        clr_associations_reference_present_achievements(credential),
        clr_nested_credentials_name_the_clr_learner(credential),
    ]
