"""VC Data Model structure checks for credentials (Category.STRUCTURE), VCDM 1.1 and 2.0.

Each function tests one requirement on the JSON as received; a defect is a failed result with
the JSON path (``subject``) and the problem-detail code a verifier would report.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from lerconf.checks.base import Verdict, check, failed, not_applicable, passed, warning
from lerconf.checks.dates import parse_date_time_stamp, validity_bounds
from lerconf.checks.vcdm_values import (
    MALFORMED,
    as_list,
    data_model_version,
    is_url,
    node_type_problem,
    objects_of,
    type_value_problem,
    types_of,
)
from lerconf.results import Category

__all__ = [
    "credential_has_verifiable_credential_type",
    "credential_id_is_single_url",
    "credential_is_secured",
    "credential_schemas_are_typed_urls",
    "credential_status_entries_are_typed",
    "credential_subject_is_object_with_claims",
    "credential_type_values_are_terms_or_urls",
    "evidence_entries_are_typed_objects",
    "issuer_is_url_or_object_with_url",
    "names_and_descriptions_are_strings_or_language_values",
    "refresh_and_terms_of_use_are_typed",
    "related_resources_carry_digests",
    "valid_from_not_after_valid_until",
    "validity_dates_are_date_time_stamps",
    "validity_names_match_data_model",
]

_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")
_DIRECTIONS = ("ltr", "rtl")
_DATE_NAMES = ("validFrom", "validUntil", "issuanceDate", "expirationDate")


@check("VCDM-03", Category.STRUCTURE)
def credential_has_verifiable_credential_type(credential: Mapping[str, Any]) -> Verdict:
    """Verifiable credentials MUST contain a type property with an associated value of VerifiableCredential; it SHOULD
    also name a more specific type.

    VC Data Model 2.0 §4.5.
    """
    if "type" not in credential:
        return failed("the credential has no type", error=MALFORMED, subject="type")
    types = types_of(credential)
    if "VerifiableCredential" not in types:
        return failed(f"type {types!r} does not include VerifiableCredential", error=MALFORMED, subject="type")
    if len(types) < 2:
        return warning("type names only VerifiableCredential, no more specific credential type", subject="type")
    return passed(f"type is {types!r}")


@check("VCDM-04", Category.STRUCTURE)
def credential_type_values_are_terms_or_urls(credential: Mapping[str, Any]) -> Verdict:
    """The value of the type property MUST be one or more terms and/or absolute URL strings.

    VC Data Model 2.0 §4.5; order does not matter.
    """
    if "type" not in credential:
        return not_applicable("no type (see VCDM-03)")
    for index, value in enumerate(as_list(credential["type"])):
        problem = type_value_problem(value)
        if problem:
            return failed(problem, error=MALFORMED, subject=f"type[{index}]")
    return passed("every type value is a term or an absolute URL")


@check("VCDM-05", Category.STRUCTURE)
def credential_id_is_single_url(credential: Mapping[str, Any]) -> Verdict:
    """If present, the value of the id property MUST be a single URL, which MAY be dereferenceable.

    VC Data Model 2.0 §4.4 (``urn:uuid:`` identifiers are URLs).
    """
    if "id" not in credential:
        return not_applicable("the credential has no id")
    value = credential["id"]
    if not is_url(value):
        return failed(f"id {value!r} is not a single URL", error=MALFORMED, subject="id")
    return passed(f"id is {value}")


@check("VCDM-06", Category.STRUCTURE)
def issuer_is_url_or_object_with_url(credential: Mapping[str, Any]) -> Verdict:
    """The value of the issuer property MUST be either a URL or an object containing an id property whose value is a URL.

    VC Data Model 2.0 §4.7.
    """
    if "issuer" not in credential:
        return failed("the credential has no issuer", error=MALFORMED, subject="issuer")
    issuer = credential["issuer"]
    if isinstance(issuer, Mapping):
        if not is_url(issuer.get("id")):
            return failed(f"issuer.id {issuer.get('id')!r} is not a URL", error=MALFORMED, subject="issuer.id")
        return passed(f"issuer is an object with id {issuer['id']}")
    if not is_url(issuer):
        return failed(f"issuer {issuer!r} is neither a URL nor an object with a URL id", error=MALFORMED, subject="issuer")
    return passed(f"issuer is {issuer}")


@check("VCDM-07", Category.STRUCTURE)
def credential_subject_is_object_with_claims(credential: Mapping[str, Any]) -> Verdict:
    """The value of credentialSubject MUST be one or more objects, each with at least one claim; an id, if present, is a single URL.

    VC Data Model 2.0 §4.8. A string subject, an empty object or an array of ids is malformed.
    """
    if "credentialSubject" not in credential:
        return failed("the credential has no credentialSubject", error=MALFORMED, subject="credentialSubject")
    subjects = as_list(credential["credentialSubject"])
    if not subjects:
        return failed("credentialSubject is empty", error=MALFORMED, subject="credentialSubject")
    for index, subject in enumerate(subjects):
        path = "credentialSubject" if not isinstance(credential["credentialSubject"], list) else f"credentialSubject[{index}]"
        if not isinstance(subject, Mapping):
            return failed(f"{path} is a {type(subject).__name__}, not an object", error=MALFORMED, subject=path)
        if not subject:
            return failed(f"{path} carries no claims", error=MALFORMED, subject=path)
        if "id" in subject and not is_url(subject["id"]):
            return failed(f"{path}.id {subject['id']!r} is not a single URL", error=MALFORMED, subject=f"{path}.id")
    return passed(f"{len(subjects)} credential subject(s), each an object with claims")


@check("VCDM-08", Category.STRUCTURE)
def validity_dates_are_date_time_stamps(credential: Mapping[str, Any]) -> Verdict:
    """If present, validFrom and validUntil MUST be dateTimeStamp strings: date, time and a Z or offset time zone.

    VC Data Model 2.0 §4.9, §5.8; VCDM 1.1 issuanceDate/expirationDate are RFC 3339 date-times,
    which also require the offset.
    """
    present = [name for name in _DATE_NAMES if name in credential]
    if not present:
        return not_applicable("no validity dates")
    for name in present:
        if parse_date_time_stamp(credential[name]) is None:
            return failed(f"{name} {credential[name]!r} is not an XSD dateTimeStamp", error=MALFORMED, subject=name)
    return passed(f"{', '.join(present)} are dateTimeStamp values")


@check("VCDM-09", Category.STRUCTURE)
def valid_from_not_after_valid_until(credential: Mapping[str, Any]) -> Verdict:
    """If validFrom and validUntil are both present, validFrom MUST be before or equal to validUntil.

    VC Data Model 2.0 §4.9 (issuanceDate/expirationDate for VCDM 1.1): such a credential is
    never valid, so an issuer must not produce it.
    """
    start_name, end_name = validity_bounds(credential)
    if start_name not in credential or end_name not in credential:
        return not_applicable(f"{start_name} and {end_name} are not both present")
    start, end = parse_date_time_stamp(credential[start_name]), parse_date_time_stamp(credential[end_name])
    if start is None or end is None:
        return not_applicable("a validity date is malformed (see VCDM-08)")
    if start > end:
        return failed(
            f"{start_name} {credential[start_name]} is later than {end_name} {credential[end_name]}",
            error=MALFORMED, subject=start_name,
        )
    return passed(f"{start_name} is not after {end_name}")


def _typed_entries(credential: Mapping[str, Any], name: str, *, id_required: bool = False) -> Verdict | None:
    """Shared test: every entry of ``name`` is an object with a valid type and (optional) URL id."""
    value = credential[name]
    many = isinstance(value, list)
    if many and not value:
        return failed(f"{name} is an empty array", error=MALFORMED, subject=name)
    for index, entry in objects_of(value):
        path = f"{name}[{index}]" if many else name
        if not isinstance(entry, Mapping):
            return failed(f"{path} is a {type(entry).__name__}, not an object", error=MALFORMED, subject=path)
        problem = node_type_problem(entry)
        if problem:
            return failed(f"{path} {problem}", error=MALFORMED, subject=f"{path}.type")
        if ("id" in entry or id_required) and not is_url(entry.get("id")):
            return failed(f"{path}.id {entry.get('id')!r} is not a URL", error=MALFORMED, subject=f"{path}.id")
    return None


@check("VCDM-10", Category.STRUCTURE)
def credential_status_entries_are_typed(credential: Mapping[str, Any]) -> Verdict:
    """Each credentialStatus object MUST specify its type; an id, if present, MUST be a URL.

    VC Data Model 2.0 §4.10.
    """
    if "credentialStatus" not in credential:
        return not_applicable("the credential has no credentialStatus")
    return _typed_entries(credential, "credentialStatus") or passed("every credentialStatus entry is typed")


@check("VCDM-11", Category.STRUCTURE)
def credential_schemas_are_typed_urls(credential: Mapping[str, Any]) -> Verdict:
    """Each credentialSchema MUST specify its type and an id property whose value is a URL identifying the schema.

    VC Data Model 2.0 §4.11.
    """
    if "credentialSchema" not in credential:
        return not_applicable("the credential has no credentialSchema")
    verdict = _typed_entries(credential, "credentialSchema", id_required=True)
    return verdict or passed("every credentialSchema is typed and identified by a URL")


@check("VCDM-12", Category.STRUCTURE)
def evidence_entries_are_typed_objects(credential: Mapping[str, Any]) -> Verdict:
    """Each evidence object MUST specify its type; an id, if present, MUST be a URL.

    VC Data Model 2.0 §5.6.
    """
    if "evidence" not in credential:
        return not_applicable("the credential has no evidence")
    return _typed_entries(credential, "evidence") or passed("every evidence entry is a typed object")


@check("VCDM-13", Category.STRUCTURE)
def refresh_and_terms_of_use_are_typed(credential: Mapping[str, Any]) -> Verdict:
    """Each refreshService and termsOfUse value MUST specify its type.

    VC Data Model 2.0 §5.4, §5.5.
    """
    names = [name for name in ("refreshService", "termsOfUse") if name in credential]
    if not names:
        return not_applicable("no refreshService or termsOfUse")
    for name in names:
        verdict = _typed_entries(credential, name)
        if verdict:
            return verdict
    return passed(f"every {' and '.join(names)} entry is typed")


def _language_value_problem(value: Any) -> str | None:
    if isinstance(value, str):
        return None
    if not isinstance(value, Mapping):
        return f"{value!r} is neither a string nor a language value object"
    extra = sorted(set(value) - {"@value", "@language", "@direction"})
    if extra:
        return f"language value object has extra properties {extra}"
    if not isinstance(value.get("@value"), str):
        return "language value object has no string @value"
    if "@language" in value and not (isinstance(value["@language"], str) and _LANGUAGE_TAG.fullmatch(value["@language"])):
        return f"@language {value['@language']!r} is not a BCP 47 language tag"
    if "@direction" in value and value["@direction"] not in _DIRECTIONS:
        return f"@direction {value['@direction']!r} is not ltr or rtl"
    return None


@check("VCDM-14", Category.STRUCTURE)
def names_and_descriptions_are_strings_or_language_values(credential: Mapping[str, Any]) -> Verdict:
    """If present, name and description MUST be strings or language value objects (@value, optional @language and @direction, nothing else).

    VC Data Model 2.0 §4.6 and §11.1; applies to the credential and to an issuer object.
    """
    holders: list[tuple[str, Mapping[str, Any]]] = [("", credential)]
    if isinstance(credential.get("issuer"), Mapping):
        holders.append(("issuer.", credential["issuer"]))
    seen = []
    for prefix, node in holders:
        for name in ("name", "description"):
            if name not in node:
                continue
            seen.append(prefix + name)
            for index, value in objects_of(node[name]):
                problem = _language_value_problem(value)
                if problem:
                    path = prefix + name + (f"[{index}]" if isinstance(node[name], list) else "")
                    return failed(f"{path}: {problem}", error=MALFORMED, subject=path)
    if not seen:
        return not_applicable("no name or description")
    return passed(f"{', '.join(seen)} are strings or language value objects")


@check("VCDM-15", Category.STRUCTURE)
def credential_is_secured(credential: Mapping[str, Any], *, secured_by: str | None = None) -> Verdict:
    """A conforming document MUST be secured by at least one securing mechanism.

    VC Data Model 2.0 §1.3, §4.12. ``secured_by`` names an outer mechanism (a JOSE/COSE
    envelope, or the presentation proof for a self-asserted credential); otherwise an embedded
    proof is required. Whether the proof verifies is the proof checks' job.
    """
    if secured_by:
        return passed(f"secured by {secured_by}")
    proofs = as_list(credential.get("proof"))
    if not proofs:
        return failed(
            "the credential carries no proof and no securing envelope",
            error="CRYPTOGRAPHIC_SECURITY_ERROR", subject="proof",
        )
    if not all(isinstance(p, Mapping) for p in proofs):
        return failed("proof is not an object or a set of objects", error=MALFORMED, subject="proof")
    return passed(f"secured by {len(proofs)} embedded proof(s)")


@check("VCDM-17", Category.STRUCTURE)
def related_resources_carry_digests(credential: Mapping[str, Any]) -> Verdict:
    """Each relatedResource object MUST have a unique id and a digestSRI or digestMultibase; SHA-384 SHOULD be the minimum.

    VC Data Model 2.0 §5.3: the digest is what lets a verifier detect a swapped resource.
    """
    if "relatedResource" not in credential:
        return not_applicable("the credential has no relatedResource")
    ids: list[str] = []
    weak = []
    for index, entry in objects_of(credential["relatedResource"]):
        path = f"relatedResource[{index}]"
        if not isinstance(entry, Mapping):
            return failed(f"{path} is not an object", error=MALFORMED, subject=path)
        if not is_url(entry.get("id")):
            return failed(f"{path}.id {entry.get('id')!r} is not a URL", error=MALFORMED, subject=f"{path}.id")
        if entry["id"] in ids:
            return failed(f"{path}.id {entry['id']} is not unique", error=MALFORMED, subject=f"{path}.id")
        ids.append(entry["id"])
        sri, multibase = entry.get("digestSRI"), entry.get("digestMultibase")
        if not isinstance(sri, str) and not isinstance(multibase, str):
            return failed(f"{path} has no digestSRI or digestMultibase", error=MALFORMED, subject=path)
        if isinstance(sri, str) and sri.startswith(("sha256-", "sha1-", "md5-")):
            weak.append(path)
    if weak:
        return warning(f"digests weaker than SHA-384: {', '.join(weak)}", subject=weak[0])
    return passed(f"{len(ids)} related resource(s) with unique ids and digests")


@check("VCDM-D2", Category.STRUCTURE)
def validity_names_match_data_model(credential: Mapping[str, Any]) -> Verdict:
    """VCDM 1.1 credentials MUST have issuanceDate (expirationDate optional); VCDM 2.0 credentials use validFrom/validUntil instead.

    VC Data Model 2.0 App. E: each name is undefined under the other version's base context.
    """
    version = data_model_version(credential)
    if version == "1.1":
        if "issuanceDate" not in credential:
            return failed("VCDM 1.1 credential has no issuanceDate", error=MALFORMED, subject="issuanceDate")
        wrong = [n for n in ("validFrom", "validUntil") if n in credential]
    elif version == "2.0":
        wrong = [n for n in ("issuanceDate", "expirationDate") if n in credential]
    else:
        return not_applicable("data model version unknown (see VCDM-01)")
    if wrong:
        return failed(f"VCDM {version} credential uses {', '.join(wrong)}", error=MALFORMED, subject=wrong[0])
    return passed(f"validity property names match VCDM {version}")
