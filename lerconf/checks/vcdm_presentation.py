"""VC Data Model structure checks for presentations (Category.STRUCTURE).

Embedded credentials are checked as credentials by ``lerconf.checks.vcdm.structure_checks``;
the checks here are about the presentation's own shape and how it carries credentials.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lerconf.checks.base import Verdict, check, failed, not_applicable, passed
from lerconf.checks.vcdm_values import (
    MALFORMED,
    V2_CONTEXT,
    contexts_of,
    has_type,
    is_data_url,
    is_url,
    types_of,
)
from lerconf.results import Category

__all__ = [
    "enveloped_credentials_use_data_urls",
    "holder_is_url_or_object_with_id",
    "is_enveloped_credential",
    "presentation_has_verifiable_presentation_type",
    "presented_credentials_are_objects",
]

ENVELOPED_VC = "EnvelopedVerifiableCredential"


def is_enveloped_credential(entry: Any) -> bool:
    """An entry meant as an enveloped credential: typed so, or identified by a data: URL."""
    if not isinstance(entry, Mapping):
        return False
    return has_type(entry, ENVELOPED_VC) or (isinstance(entry.get("id"), str) and entry["id"].startswith("data:"))


def _entries(presentation: Mapping[str, Any]) -> list[tuple[str, Any]]:
    value = presentation.get("verifiableCredential")
    if isinstance(value, list):
        return [(f"verifiableCredential[{i}]", v) for i, v in enumerate(value)]
    return [] if value is None else [("verifiableCredential", value)]


@check("VCDM-20", Category.STRUCTURE)
def presentation_has_verifiable_presentation_type(presentation: Mapping[str, Any]) -> Verdict:
    """The type property of a verifiable presentation MUST include VerifiablePresentation.

    VC Data Model 2.0 §4.13 (type table in §4.5).
    """
    if "type" not in presentation:
        return failed("the presentation has no type", error=MALFORMED, subject="type")
    types = types_of(presentation)
    if "VerifiablePresentation" not in types:
        return failed(f"type {types!r} does not include VerifiablePresentation", error=MALFORMED, subject="type")
    return passed(f"type is {types!r}")


@check("VCDM-21", Category.STRUCTURE)
def presented_credentials_are_objects(presentation: Mapping[str, Any]) -> Verdict:
    """verifiableCredential values MUST be verifiable credential or enveloped verifiable credential objects, never strings or URLs.

    VC Data Model 2.0 §4.13. That each embedded credential is still secured is VCDM-15 on that
    credential (an unsecured one only when it is self-asserted by the holder).
    """
    entries = _entries(presentation)
    if not entries:
        return not_applicable("the presentation carries no credentials")
    for path, entry in entries:
        if not isinstance(entry, Mapping):
            return failed(f"{path} is a {type(entry).__name__}, not a credential object", error=MALFORMED, subject=path)
        if not (has_type(entry, "VerifiableCredential") or has_type(entry, ENVELOPED_VC)):
            return failed(
                f"{path} is typed {types_of(entry)!r}: neither VerifiableCredential nor {ENVELOPED_VC}",
                error=MALFORMED, subject=f"{path}.type",
            )
    return passed(f"{len(entries)} embedded credential object(s)")


@check("VCDM-22", Category.STRUCTURE)
def holder_is_url_or_object_with_id(presentation: Mapping[str, Any]) -> Verdict:
    """If present, the value of the holder property MUST be either a URL or an object containing an id property whose value is a URL.

    VC Data Model 2.0 §4.13.
    """
    if "holder" not in presentation:
        return not_applicable("the presentation names no holder")
    holder = presentation["holder"]
    if isinstance(holder, Mapping):
        if not is_url(holder.get("id")):
            return failed(f"holder.id {holder.get('id')!r} is not a URL", error=MALFORMED, subject="holder.id")
        return passed(f"holder is an object with id {holder['id']}")
    if not is_url(holder):
        return failed(f"holder {holder!r} is neither a URL nor an object with a URL id", error=MALFORMED, subject="holder")
    return passed(f"holder is {holder}")


@check("VCDM-25", Category.STRUCTURE)
def enveloped_credentials_use_data_urls(presentation: Mapping[str, Any]) -> Verdict:
    """An EnvelopedVerifiableCredential MUST include the base @context, an id that is a data: URL carrying the secured
    credential, and type EnvelopedVerifiableCredential.

    VC Data Model 2.0 §4.13.1 (e.g. ``data:application/vc+jwt,eyJ...``).
    """
    enveloped = [(path, e) for path, e in _entries(presentation) if is_enveloped_credential(e)]
    if not enveloped:
        return not_applicable("no enveloped credentials")
    for path, entry in enveloped:
        if V2_CONTEXT not in contexts_of(entry):
            return failed(f"{path} @context lacks {V2_CONTEXT}", error=MALFORMED, subject=f"{path}.@context")
        if not is_data_url(entry.get("id")):
            return failed(f"{path}.id is not a data: URL", error=MALFORMED, subject=f"{path}.id")
        if not has_type(entry, ENVELOPED_VC):
            return failed(
                f"{path}.type is {entry.get('type')!r}, not {ENVELOPED_VC}",
                error=MALFORMED, subject=f"{path}.type",
            )
    return passed(f"{len(enveloped)} enveloped credential(s) carried in data: URLs")
