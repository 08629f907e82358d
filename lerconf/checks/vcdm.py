"""VC Data Model checks: the entry point that runs every structure, context, proof-structure
and date check that applies to one credential or presentation.

The checks themselves live beside this module, one function per requirement id:

* ``context``            VCDM-01, VCDM-19, VCDM-D1, VCDM-02, VCDM-16, DI-06  (Category.CONTEXT)
* ``vcdm_credential``    VCDM-03..VCDM-15, VCDM-17, VCDM-D2                   (Category.STRUCTURE)
* ``vcdm_presentation``  VCDM-20, VCDM-21, VCDM-22, VCDM-25                    (Category.STRUCTURE)
* ``di_structure``       DI-01..DI-04                                         (Category.STRUCTURE)
* ``dates``              VCDM-33, VCDM-34, OB-27                              (Category.DATES)

``structure_checks`` never raises for a defect in the document: every defect is a failed
result. It is deterministic: the same document, instant and contexts give the same list.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from lerconf.checks import context as ctx
from lerconf.checks import vcdm_credential as vc
from lerconf.checks import vcdm_presentation as vp
from lerconf.checks.base import Verdict, check, failed, passed
from lerconf.checks.dates import date_checks
from lerconf.checks.di_structure import di_structure_checks
from lerconf.checks.vcdm_values import MALFORMED, has_type, node_id, under
from lerconf.results import Category, CheckResult

if TYPE_CHECKING:
    from lerconf.documents.jsonld import Processor

__all__ = ["Kind", "credential_structure_checks", "detect_kind", "document_is_json_object", "structure_checks"]

Kind = Literal["credential", "presentation"]


@check("VCDM-28", Category.STRUCTURE)
def document_is_json_object(document: Any) -> Verdict:
    """A verifier MUST check every required property; a document that is not a JSON object has none of them.

    VC Data Model 2.0 §7.1: such input is reported as MALFORMED_VALUE_ERROR, not processed.
    """
    if not isinstance(document, Mapping):
        return failed(f"the document is a {type(document).__name__}, not a JSON object", error=MALFORMED)
    return passed("the document is a JSON object")


def detect_kind(document: Mapping[str, Any]) -> Kind:
    """Presentation when typed so or carrying presentation-only properties; otherwise credential."""
    if has_type(document, "VerifiablePresentation"):
        return "presentation"
    if has_type(document, "VerifiableCredential"):
        return "credential"
    if "verifiableCredential" in document or "holder" in document:
        return "presentation"
    return "credential"


def credential_structure_checks(credential: Mapping[str, Any], *, secured_by: str | None = None) -> list[CheckResult]:
    """The credential data-model checks (no contexts, proofs or dates), in a fixed order."""
    return [
        vc.credential_has_verifiable_credential_type(credential),
        vc.credential_type_values_are_terms_or_urls(credential),
        vc.credential_id_is_single_url(credential),
        vc.issuer_is_url_or_object_with_url(credential),
        vc.credential_subject_is_object_with_claims(credential),
        vc.validity_dates_are_date_time_stamps(credential),
        vc.valid_from_not_after_valid_until(credential),
        vc.credential_status_entries_are_typed(credential),
        vc.credential_schemas_are_typed_urls(credential),
        vc.evidence_entries_are_typed_objects(credential),
        vc.refresh_and_terms_of_use_are_typed(credential),
        vc.names_and_descriptions_are_strings_or_language_values(credential),
        vc.credential_is_secured(credential, secured_by=secured_by),
        vc.related_resources_carry_digests(credential),
        vc.validity_names_match_data_model(credential),
    ]


def _credential(
    credential: Mapping[str, Any], *, at: datetime, processor: Processor | None, secured_by: str | None
) -> list[CheckResult]:
    return [
        *ctx.context_checks(credential, processor),
        *credential_structure_checks(credential, secured_by=secured_by),
        *di_structure_checks(credential),
        *date_checks(credential, at=at),
    ]


def _embedded(credential: Mapping[str, Any], *, at: datetime, secured_by: str | None) -> list[CheckResult]:
    """An embedded credential: its terms were already expanded with the presentation."""
    return [
        ctx.credential_starts_with_base_context(credential),
        ctx.does_not_mix_base_contexts(credential),
        ctx.contexts_are_processable(credential, None),
        *credential_structure_checks(credential, secured_by=secured_by),
        *di_structure_checks(credential),
        *date_checks(credential, at=at),
    ]


def _presentation(
    presentation: Mapping[str, Any], *, at: datetime, processor: Processor | None, secured_by: str | None
) -> list[CheckResult]:
    results = [
        *ctx.context_checks(presentation, processor, presentation=True),
        vp.presentation_has_verifiable_presentation_type(presentation),
        vp.presented_credentials_are_objects(presentation),
        vp.holder_is_url_or_object_with_id(presentation),
        vp.enveloped_credentials_use_data_urls(presentation),
        *di_structure_checks(presentation),
    ]
    vp_secured = bool(secured_by or presentation.get("proof"))
    holder = node_id(presentation.get("holder"))
    entries = presentation.get("verifiableCredential")
    listed = isinstance(entries, list)
    for index, entry in enumerate(entries if isinstance(entries, list) else [] if entries is None else [entries]):
        if not isinstance(entry, Mapping) or vp.is_enveloped_credential(entry):
            continue  # VCDM-21 / VCDM-25 report these; the envelope is verified by its media type
        self_asserted = holder is not None and node_id(entry.get("issuer")) == holder
        embedded_by = "the presentation's proof (self-asserted by the holder)" if self_asserted and vp_secured else None
        prefix = f"verifiableCredential[{index}]" if listed else "verifiableCredential"
        results.extend(under(r, prefix) for r in _embedded(entry, at=at, secured_by=embedded_by))
    return results


def structure_checks(
    document: Any,
    *,
    at: datetime,
    processor: Processor | None,
    kind: Kind | None = None,
    secured_by: str | None = None,
) -> list[CheckResult]:
    """Run every data-model, context, proof-structure and validity check that applies.

    ``at`` is the instant validity is judged at (naive means UTC). Without ``processor`` the
    JSON-LD checks only look at the shape of ``@context`` and report the term checks as not
    applicable. ``kind`` overrides detection (a document sent to a presentation endpoint is a
    presentation even with no type). ``secured_by`` names an outer securing mechanism, e.g.
    "vc+jwt envelope", for a payload that carries no embedded proof.
    """
    shape = document_is_json_object(document)
    if shape.is_failure:
        return [shape]
    kind = kind or detect_kind(document)
    if kind == "presentation":
        return _presentation(document, at=at, processor=processor, secured_by=secured_by)
    return _credential(document, at=at, processor=processor, secured_by=secured_by)
