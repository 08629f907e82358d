"""Open Badges 3.0 data-model checks beyond the JSON Schema.

The 1EdTech schemas are the JSON-LD adaptation: they accept a single string wherever an array
of types is expected and never look at its value. These checks hold the credential to what the
OB 3.0 data model says (context order, types, recipient identification, achievement fields,
nested object types, JSON serialization rules), each reported with a JSON path.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

from lerconf.checks.base import Verdict, check, failed, not_applicable, passed
from lerconf.documents.json_values import JSON_SCALARS
from lerconf.requirements import requirement
from lerconf.results import Category, CheckResult, Status

__all__ = ["identity_hash", "is_open_badge", "ob_checks"]

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = re.compile(r"^https://purl\.imsglobal\.org/spec/ob/v3p0/context(-3\.\d+\.\d+)?\.json$")
OB_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential"})
_URI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$")
# OB 3.0 DateTimeZ: a date-time whose time zone is given (Z or an offset).
_DATE_TIME_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
_IDENTITY_HASH = re.compile(r"^(sha256\$[0-9a-fA-F]{64}|md5\$[0-9a-fA-F]{32})$")


# -- helpers shared with the CLR checks ---------------------------------------------------------
def types_of(value: Any) -> list[str]:
    """A JSON-LD ``type`` as a list of strings (a single string is a one-item set)."""
    if isinstance(value, str):
        return [value]
    return [t for t in value if isinstance(t, str)] if isinstance(value, list) else []


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def is_uri(value: Any) -> bool:
    return isinstance(value, str) and bool(_URI.match(value))


def is_date_time_z(value: Any) -> bool:
    return isinstance(value, str) and bool(_DATE_TIME_Z.match(value))


def is_open_badge(credential: Any) -> bool:
    """An OB 3.0 credential: typed OpenBadgeCredential or AchievementCredential."""
    return isinstance(credential, Mapping) and bool(OB_TYPES & set(types_of(credential.get("type"))))


def identity_hash(identity: str, salt: str = "", algorithm: str = "sha256") -> str:
    """The OB IdentityHash of ``identity`` + ``salt``: ``sha256$<hex>`` (or ``md5$<hex>``)."""
    return f"{algorithm}${hashlib.new(algorithm, (identity + salt).encode('utf-8')).hexdigest()}"


def identity_object_problems(identifier: Any, path: str, expected_identity: str | None = None) -> list[str]:
    """What is wrong with one IdentityObject (OB 3.0 IdentityObject, IdentityHash)."""
    if not isinstance(identifier, Mapping):
        return [f"{path} is not an object"]
    problems: list[str] = []
    if "IdentityObject" not in types_of(identifier.get("type")):
        problems.append(f"{path}.type {identifier.get('type')!r} is not IdentityObject")
    hashed, value = identifier.get("hashed"), identifier.get("identityHash")
    if not isinstance(hashed, bool):
        problems.append(f"{path}.hashed {hashed!r} is not a boolean")
    if not isinstance(value, str) or not value:
        problems.append(f"{path}.identityHash is missing")
    elif hashed is True and not _IDENTITY_HASH.match(value):
        problems.append(f"{path}.identityHash {value!r} is not sha256$<64 hex> or md5$<32 hex>")
    if not isinstance(identifier.get("identityType"), str):
        problems.append(f"{path}.identityType is missing")
    salt = identifier.get("salt", "")
    if not isinstance(salt, str):
        problems.append(f"{path}.salt is not a string")
    if expected_identity is not None and not problems and isinstance(value, str):  # no problems: value is a str
        if hashed is True:
            algorithm = value.split("$", 1)[0]
            if identity_hash(expected_identity, salt, algorithm).lower() != value.lower():
                problems.append(f"{path}.identityHash does not match the expected identity and salt")
        elif value != expected_identity:
            problems.append(f"{path}.identityHash {value!r} is not the expected identity")
    return problems


def subjects(credential: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """(JSON path, subject) for each credentialSubject."""
    cs = credential.get("credentialSubject")
    if isinstance(cs, list):
        return [(f"$.credentialSubject[{i}]", s) for i, s in enumerate(cs)]
    return [("$.credentialSubject", cs)]


def profile_problems(profile: Any, path: str) -> list[str]:
    """A Profile (issuer, creator) has an id URI and a type including Profile."""
    if not isinstance(profile, Mapping):
        return [f"{path} is not a Profile object (OB 3.0 issuers are typed Profiles)"]
    problems = []
    if not is_uri(profile.get("id")):
        problems.append(f"{path}.id {profile.get('id')!r} is not a URI")
    if "Profile" not in types_of(profile.get("type")):
        problems.append(f"{path}.type {profile.get('type')!r} does not include Profile")
    return problems


def not_this_format(requirement_id: str, message: str) -> CheckResult:
    """A not-applicable result for a document of another format (no check function ran)."""
    req = requirement(requirement_id)
    return CheckResult(requirement_id, Status.NOT_APPLICABLE, req.strength, Category.STRUCTURE, message, req.spec_url)


def _verdict(problems: list[str], ok: str, **details: Any) -> Verdict:
    if problems:
        return failed("; ".join(problems), problems=problems, **details)
    return passed(ok, **details)


# -- checks --------------------------------------------------------------------------------------
@check("OB-01", Category.STRUCTURE)
def ob_context_lists_vc_and_ob_contexts(credential: Mapping[str, Any]) -> Verdict:
    """The @context MUST begin with the VC 2.0 context followed by the OB 3.0 context.

    OB 3.0 Data Model: AchievementCredential @context (any context-3.x.y version).
    """
    ctx = credential.get("@context")
    if not isinstance(ctx, list) or len(ctx) < 2:
        return failed(f"$.@context {ctx!r} is not a list of at least two contexts")
    if ctx[0] != VC_V2:
        return failed(f"$.@context[0] is {ctx[0]!r}, not {VC_V2}", observed=ctx[:2])
    if not isinstance(ctx[1], str) or not OB_CONTEXT.match(ctx[1]):
        return failed(f"$.@context[1] is {ctx[1]!r}, not an OB 3.0 context", observed=ctx[:2])
    return passed("@context lists the VC 2.0 and OB 3.0 contexts in order", context=ctx[:2])


@check("OB-02", Category.STRUCTURE)
def ob_type_is_open_badge_credential(credential: Mapping[str, Any]) -> Verdict:
    """The type MUST include VerifiableCredential and OpenBadgeCredential or AchievementCredential.

    OB 3.0 AchievementCredential.type.
    """
    types = types_of(credential.get("type"))
    if "VerifiableCredential" not in types or not OB_TYPES & set(types):
        return failed(f"$.type {credential.get('type')!r} lacks VerifiableCredential and an OB credential type")
    return passed("credential is typed as an Open Badge", type=types)


@check("OB-03", Category.STRUCTURE)
def ob_id_and_issuer_profile(credential: Mapping[str, Any]) -> Verdict:
    """The credential MUST have an id (URI) and an issuer Profile with an id (URI) and type Profile.

    OB 3.0 AchievementCredential.id, issuer; Profile (a name is expected by displayers).
    """
    problems = [] if is_uri(credential.get("id")) else [f"$.id {credential.get('id')!r} is not a URI"]
    problems += profile_problems(credential.get("issuer"), "$.issuer")
    issuer = credential.get("issuer")
    named = isinstance(issuer, Mapping) and isinstance(issuer.get("name"), (str, dict))
    return _verdict(problems, "credential id and issuer Profile present" + ("" if named else " (issuer has no name)"))


@check("OB-04", Category.DATES)
def ob_valid_from_is_date_time_z(credential: Mapping[str, Any]) -> Verdict:
    """validFrom is REQUIRED and MUST be a DateTimeZ; validUntil and awardedDate, if present, too.

    OB 3.0 VerifiableCredential.validFrom (stricter than VCDM 2.0).
    """
    problems = []
    if "validFrom" not in credential:
        problems.append("$.validFrom is missing" + (" (issuanceDate is VCDM 1.1)" if "issuanceDate" in credential else ""))
    for key in ("validFrom", "validUntil", "awardedDate"):
        if key in credential and not is_date_time_z(credential[key]):
            problems.append(f"$.{key} {credential[key]!r} is not a DateTimeZ")
    return _verdict(problems, "validFrom is a DateTimeZ", validFrom=credential.get("validFrom"))


@check("OB-05", Category.STRUCTURE)
def ob_subject_is_identified_achievement_subject(credential: Mapping[str, Any]) -> Verdict:
    """credentialSubject.type MUST include AchievementSubject, identified by id or at least one identifier.

    OB 3.0 AchievementSubject.
    """
    problems: list[str] = []
    for path, subject in subjects(credential):
        if not isinstance(subject, Mapping):
            problems.append(f"{path} is not an object")
            continue
        if "AchievementSubject" not in types_of(subject.get("type")):
            problems.append(f"{path}.type {subject.get('type')!r} does not include AchievementSubject")
        if "id" not in subject and not as_list(subject.get("identifier")):
            problems.append(f"{path} has neither id nor identifier")
    return _verdict(problems, "credentialSubject is an identified AchievementSubject")


@check("OB-06", Category.STRUCTURE)
def ob_identity_objects_well_formed(credential: Mapping[str, Any], *, expected_identity: str | None = None) -> Verdict:
    """IdentityObject: type IdentityObject, hashed boolean, identityHash (sha256$<hex> when hashed), identityType.

    OB 3.0 IdentityObject; IdentityHash. With ``expected_identity`` the hash is also recomputed
    over identity + salt.
    """
    problems: list[str] = []
    seen = 0
    for path, subject in subjects(credential):
        if isinstance(subject, Mapping):
            for i, ident in enumerate(as_list(subject.get("identifier"))):
                seen += 1
                problems += identity_object_problems(ident, f"{path}.identifier[{i}]", expected_identity)
    if not seen:
        return not_applicable("credentialSubject has no identifier")
    return _verdict(problems, f"{seen} IdentityObject(s) well formed")


@check("OB-07", Category.STRUCTURE)
def ob_achievement_has_required_fields(credential: Mapping[str, Any]) -> Verdict:
    """credentialSubject.achievement is REQUIRED with id (URI), type Achievement, name, description and criteria.

    OB 3.0 Achievement; Criteria (which should carry an id and/or a narrative).
    """
    problems: list[str] = []
    vague: list[str] = []
    for spath, subject in subjects(credential):
        ach = subject.get("achievement") if isinstance(subject, Mapping) else None
        path = f"{spath}.achievement"
        if not isinstance(ach, Mapping):
            problems.append(f"{path} is missing or not an object")
            continue
        problems += achievement_problems(ach, path)
        crit = ach.get("criteria")
        if isinstance(crit, Mapping) and "id" not in crit and "narrative" not in crit:
            vague.append(f"{path}.criteria has neither id nor narrative")
    return _verdict(problems, "achievement carries id, type, name, description and criteria"
                    + (f" ({'; '.join(vague)})" if vague else ""))


def achievement_problems(ach: Mapping[str, Any], path: str) -> list[str]:
    """Required Achievement fields (shared with CLR achievement lists)."""
    problems = []
    if not is_uri(ach.get("id")):
        problems.append(f"{path}.id {ach.get('id')!r} is not a URI")
    if "Achievement" not in types_of(ach.get("type")):
        problems.append(f"{path}.type {ach.get('type')!r} does not include Achievement")
    for key in ("name", "description"):
        if not isinstance(ach.get(key), (str, dict)) or not ach.get(key):
            problems.append(f"{path}.{key} is missing")
    if not isinstance(ach.get("criteria"), Mapping):
        problems.append(f"{path}.criteria is missing or not an object")
    return problems


_NESTED: dict[str, str] = {
    "image": "Image", "evidence": "Evidence", "result": "Result", "alignment": "Alignment",
    "resultDescription": "ResultDescription", "endorsement": "EndorsementCredential",
}


#: (property, path, value) for every property below a credential, in document order
Entries = list[tuple[str, str, Any]]


def properties_of(credential: Any) -> Entries:
    """Every property below ``credential`` as (property, path, value), skipping proofs and contexts.
    OB-08 and OB-10 both read it; ``ob_checks`` makes it once for the two."""
    out: Entries = []
    _walk(credential, "$", out)
    return out


def _walk(node: Any, path: str, out: Entries) -> None:
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key in ("proof", "@context"):
                continue
            child = f"{path}.{key}"
            out.append((key, child, value))
            if type(value) not in JSON_SCALARS:
                _walk(value, child, out)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if type(value) not in JSON_SCALARS:
                _walk(value, f"{path}[{i}]", out)


def nested_object_problems(key: str, path: str, value: Any) -> list[str]:
    """OB 3.0 typed nested objects: Image, Evidence, Result, Alignment, ResultDescription, endorsements."""
    expected = _NESTED[key]
    problems: list[str] = []
    items = value if isinstance(value, list) else [value]
    for i, item in enumerate(items):
        p = f"{path}[{i}]" if isinstance(value, list) else path
        if not isinstance(item, Mapping):
            # Result.resultDescription is a URI reference to a ResultDescription, not the object.
            if not (key == "resultDescription" and is_uri(item)):
                problems.append(f"{p} is not an object")
            continue
        if expected not in types_of(item.get("type")):
            problems.append(f"{p}.type {item.get('type')!r} does not include {expected}")
        need = {"Image": ("id",), "Alignment": ("targetName", "targetUrl"),
                "ResultDescription": ("id", "name", "resultType")}.get(expected, ())
        problems += [f"{p}.{field} is missing" for field in need if field not in item]
        if expected == "EndorsementCredential" and not any(
                "EndorsementSubject" in types_of(s.get("type")) for _, s in subjects(item) if isinstance(s, Mapping)):
            problems.append(f"{p}.credentialSubject.type does not include EndorsementSubject")
    return problems


@check("OB-08", Category.STRUCTURE)
def ob_nested_objects_declare_types(credential: Mapping[str, Any], *, entries: Entries | None = None) -> Verdict:
    """Nested objects declare their types: Image, Evidence, Result, Alignment, ResultDescription, EndorsementCredential.

    OB 3.0 Data Model classes (Image needs an id; Alignment targetName and targetUrl;
    ResultDescription id, name and resultType).
    """
    problems: list[str] = []
    count = 0
    for key, path, value in properties_of(credential) if entries is None else entries:
        if key in _NESTED:
            count += 1
            problems += nested_object_problems(key, path, value)
    if not count:
        return not_applicable("no nested Image, Evidence, Result, Alignment, ResultDescription or endorsement")
    return _verdict(problems, f"{count} nested object(s) declare their types")


_BOOLEANS = frozenset({"hashed", "partial"})
_NUMBERS = frozenset({"creditsAvailable", "creditsEarned", "latitude", "longitude"})


@check("OB-10", Category.STRUCTURE)
def ob_json_serialization(credential: Mapping[str, Any], *, entries: Entries | None = None) -> Verdict:
    """JSON serialization omits null values and empty arrays; numbers and booleans are native JSON.

    OB 3.0 Serialization (JSON).
    """
    problems: list[str] = []
    for key, path, value in properties_of(credential) if entries is None else entries:
        if value is None:
            problems.append(f"{path} is null (omit it)")
        elif value == []:
            problems.append(f"{path} is an empty array (omit it)")
        elif key in _BOOLEANS and not isinstance(value, bool):
            problems.append(f"{path} {value!r} is not a JSON boolean")
        elif key in _NUMBERS and (isinstance(value, bool) or not isinstance(value, (int, float))):
            problems.append(f"{path} {value!r} is not a JSON number")
    return _verdict(problems, "no nulls, empty arrays or quoted booleans/numbers")


@check("OB-22", Category.STRUCTURE)
def ob_recipient_is_identified(credential: Mapping[str, Any]) -> Verdict:
    """If the credentialSubject has neither an id nor an identifier, the credential is not conformant.

    OB 3.0 Verification, OpenBadgeCredential step 1.
    """
    missing = [path for path, s in subjects(credential)
               if not isinstance(s, Mapping) or ("id" not in s and not as_list(s.get("identifier")))]
    if missing:
        return failed(f"{', '.join(missing)} has neither id nor identifier")
    return passed("recipient is identified by id or identifier")


def ob_checks(credential: Any, *, expected_identity: str | None = None) -> list[CheckResult]:
    """Every OB 3.0 structure check; one not-applicable result when it is not an Open Badge."""
    if not is_open_badge(credential):
        observed = credential.get("type") if isinstance(credential, Mapping) else type(credential).__name__
        return [not_this_format("OB-02", f"not an Open Badge 3.0 credential (type {observed!r})")]
    entries = properties_of(credential)
    return [
        ob_context_lists_vc_and_ob_contexts(credential),
        ob_type_is_open_badge_credential(credential),
        ob_id_and_issuer_profile(credential),
        ob_valid_from_is_date_time_z(credential),
        ob_subject_is_identified_achievement_subject(credential),
        ob_identity_objects_well_formed(credential, expected_identity=expected_identity),
        ob_achievement_has_required_fields(credential),
        ob_nested_objects_declare_types(credential, entries=entries),
        ob_json_serialization(credential, entries=entries),
        ob_recipient_is_identified(credential),
    ]
