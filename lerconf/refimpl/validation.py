"""Strict validation of issuance requests (API-01, API-03): refuse before signing, with a reason.

The structural rules are lerconf's own VCDM checks run on the *input*: an issuer that signs
what a verifier would reject has only moved the failure downstream. Every VC Data Model 2.0
MUST the verifier enforces on a credential's JSON (VCDM-01..14, VCDM-17, VCDM-D1/D2), the proof
structure (DI-01..04, for a proof the caller already attached) and caller-supplied Bitstring
Status List entries (BSL-19, BSL-01) are checked in ``parse_issue_request``; the JSON-LD checks
(VCDM-02, VCDM-16), which load contexts, in ``check_processable`` just before signing. A refusal
is a 400 problem detail whose ``detail`` starts with the requirement id and whose
``requirement`` member names it.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lerconf.checks import context as ctx_checks
from lerconf.checks import status as status_checks
from lerconf.checks import vcdm_credential as vc_checks
from lerconf.checks.dates import parse_date_time_stamp
from lerconf.checks.di_structure import di_structure_checks
from lerconf.checks.vcdm_values import V1_CONTEXT, data_model_version
from lerconf.crypto.di.ecdsa_sd import pointer_resolves
from lerconf.documents.jsonld import JsonLdError
from lerconf.errors import ResolutionError
from lerconf.refimpl.keys import SUPPORTED_SUITES
from lerconf.refimpl.problems import ProblemError, bad_request, reject_unknown, require_object
from lerconf.refimpl.status import ENTRY_TYPE, PURPOSES
from lerconf.results import CheckResult, Status

if TYPE_CHECKING:
    from lerconf.documents.jsonld import Processor

__all__ = ["DEFAULT_SUITE", "IssueRequest", "check_processable", "parse_issue_request", "validate_credential"]

DEFAULT_SUITE = "eddsa-rdfc-2022"
ISSUE_OPTIONS = frozenset({"cryptosuite", "credentialStatus", "mandatoryPointers"})
#: the suites whose base proofs take ``options.mandatoryPointers`` (VC API issue options; ECDSA §3.3.1, BBS §3.3.1)
SD_SUITES = ("ecdsa-sd-2023", "bbs-2023")
SD_SUITE = SD_SUITES[0]

_STRUCTURE: tuple[Callable[[Mapping[str, Any]], CheckResult], ...] = (
    ctx_checks.credential_starts_with_base_context,
    ctx_checks.does_not_mix_base_contexts,
    vc_checks.credential_has_verifiable_credential_type,
    vc_checks.credential_type_values_are_terms_or_urls,
    vc_checks.credential_id_is_single_url,
    vc_checks.issuer_is_url_or_object_with_url,
    vc_checks.credential_subject_is_object_with_claims,
    vc_checks.credential_status_entries_are_typed,
    vc_checks.credential_schemas_are_typed_urls,
    vc_checks.evidence_entries_are_typed_objects,
    vc_checks.refresh_and_terms_of_use_are_typed,
    vc_checks.names_and_descriptions_are_strings_or_language_values,
    vc_checks.related_resources_carry_digests,
)
#: checked after the issuer and the dates, whose own messages say more
_AFTER_DATES: tuple[Callable[[Mapping[str, Any]], CheckResult], ...] = (
    vc_checks.validity_dates_are_date_time_stamps,
    vc_checks.valid_from_not_after_valid_until,
    vc_checks.validity_names_match_data_model,
)
#: DI §2.4.3: securing a document whose terms would be dropped MUST raise this error
DATA_LOSS = "DATA_LOSS_DETECTION_ERROR"
#: (start, end) pairs that must be dateTimeStamps in order; OB 3.0 on VCDM 1.1 carries both pairs
_WINDOWS = (("validFrom", "validUntil"), ("issuanceDate", "expirationDate"))


@dataclass(frozen=True)
class IssueRequest:
    credential: dict[str, Any]
    suite: str = DEFAULT_SUITE
    status_purpose: str | None = None
    #: ecdsa-sd-2023 only: the JSON pointers every disclosure must show
    mandatory_pointers: tuple[str, ...] = ()

    @property
    def vc_version(self) -> str:
        return data_model_version(self.credential) or "2.0"


def parse_issue_request(body: Mapping[str, Any], issuer_id: str) -> IssueRequest:
    """Check the whole request; raise a 400 ProblemError naming the first problem found."""
    reject_unknown(body, {"credential", "options"}, "request")
    credential = require_object(body.get("credential"), "credential")
    options = require_object(body.get("options"), "options", optional=True)
    reject_unknown(options, ISSUE_OPTIONS, "options")
    suite = options.get("cryptosuite", DEFAULT_SUITE)
    if suite not in SUPPORTED_SUITES:
        raise bad_request(f"options.cryptosuite {suite!r} is not supported; supported: {', '.join(SUPPORTED_SUITES)}")
    purpose = None
    if "credentialStatus" in options:
        wanted = require_object(options["credentialStatus"], "options.credentialStatus")
        reject_unknown(wanted, {"type", "statusPurpose"}, "options.credentialStatus")
        if wanted.get("type") != ENTRY_TYPE:
            raise bad_request(f"options.credentialStatus.type must be {ENTRY_TYPE}, got {wanted.get('type')!r}")
        purpose = wanted.get("statusPurpose")
        if purpose not in PURPOSES:
            raise bad_request(f"options.credentialStatus.statusPurpose must be one of {', '.join(PURPOSES)}, got {purpose!r}")
        if "credentialStatus" in credential:
            raise bad_request("the credential already has credentialStatus and options ask for another one")
        if "id" not in credential:
            raise bad_request("a credential issued with a status entry needs an id, so its status can be updated")
    validate_credential(credential, issuer_id)
    return IssueRequest(credential, suite, purpose, _mandatory_pointers(options, suite, credential, purpose is not None))


def _mandatory_pointers(options: Mapping[str, Any], suite: str, credential: Mapping[str, Any],
                        adds_status: bool = False) -> tuple[str, ...]:
    """``options.mandatoryPointers``: JSON pointers (RFC 6901) into the credential, for the SD suites only.
    When the issuer adds the status entry (``options.credentialStatus``), ``/credentialStatus`` and the
    pointers under it point into the credential as signed: a revocable badge disclosed in part must
    keep its status entry, so its issuer is asked to make the entry mandatory (LCS-04)."""
    if "mandatoryPointers" not in options:
        return ()
    pointers = options["mandatoryPointers"]
    if suite not in SD_SUITES:
        raise bad_request(f"options.mandatoryPointers applies to {' and '.join(SD_SUITES)} only, not {suite}")
    if not isinstance(pointers, list) or not all(isinstance(p, str) and p.startswith("/") for p in pointers):
        raise bad_request("options.mandatoryPointers must be an array of JSON pointers ('/…')")
    missing = [p for p in pointers if not pointer_resolves(credential, p) and not (adds_status and _into_status(p))]
    if missing:
        raise bad_request(f"options.mandatoryPointers {', '.join(missing)} point at nothing in the credential")
    return tuple(pointers)


def _into_status(pointer: str) -> bool:
    """The pointer selects the status entry the issuer adds, or a part of it (checked again when signing)."""
    return pointer == "/credentialStatus" or pointer.startswith("/credentialStatus/")


def validate_credential(credential: Mapping[str, Any], issuer_id: str) -> None:
    """VCDM structure, dates, the instance's issuer, and no proof already attached."""
    contexts = credential.get("@context")
    if not isinstance(contexts, list) or not contexts:
        raise _refusal("VCDM-01", f"@context must be a non-empty array, got {_shape(contexts)}", "@context")
    for index, item in enumerate(contexts):
        if not isinstance(item, (str, dict)):
            raise _refusal("VCDM-02", f"@context[{index}] is a {type(item).__name__}, not a URL or a context object",
                           f"@context[{index}]", code="PARSING_ERROR")
    for run in _STRUCTURE:
        _refuse_on_failure(run(credential))
    _check_status_entries(credential)
    issuer = credential["issuer"]
    given = issuer.get("id") if isinstance(issuer, dict) else issuer
    if given != issuer_id:
        raise bad_request(f"issuer {given!r} is not this issuer instance ({issuer_id})")
    if contexts[0] == V1_CONTEXT and "issuanceDate" not in credential:
        raise _refusal("VCDM-D2", "a VCDM 1.1 credential needs issuanceDate", "issuanceDate")
    for start_name, end_name in _WINDOWS:
        parsed = {}
        for name in (start_name, end_name):
            if name in credential:
                parsed[name] = parse_date_time_stamp(credential[name])
                if parsed[name] is None:
                    raise _refusal("VCDM-08", f"{name} {credential[name]!r} is not an XSD dateTimeStamp "
                                              "(date, time and zone)", name)
        start, end = parsed.get(start_name), parsed.get(end_name)
        if start is not None and end is not None and end < start:
            raise _refusal("VCDM-09", f"{end_name} {credential[end_name]} is before {start_name} "
                                      f"{credential[start_name]}", end_name)
    for run in _AFTER_DATES:
        _refuse_on_failure(run(credential))
    if "proof" in credential:
        for result in di_structure_checks(credential):
            _refuse_on_failure(result)
        raise bad_request("the credential already carries a proof; this issuer does not add to proof sets or chains")


def check_processable(credential: Mapping[str, Any], processor: Processor) -> None:
    """VCDM-02 (every context loads and processes) and VCDM-16 (no term is dropped), before signing.

    A context that cannot be loaded because the reference's own registered documents are
    missing is a setup fault, not the caller's: it surfaces as the ResolutionError it is."""
    unsecured = {k: v for k, v in credential.items() if k != "proof"}
    try:
        outcome = ctx_checks.JsonLdOutcome(expansion=processor.expand(unsecured, labels=False))
    except ResolutionError as exc:
        if exc.setup:
            raise
        outcome = ctx_checks.JsonLdOutcome(unresolved=str(exc))
    except JsonLdError as exc:
        outcome = ctx_checks.JsonLdOutcome(error=str(exc))
    _refuse_on_failure(ctx_checks.contexts_are_processable(credential, outcome=outcome))
    _refuse_on_failure(ctx_checks.defines_every_term(credential, outcome=outcome), code=DATA_LOSS)


def _check_status_entries(credential: Mapping[str, Any]) -> None:
    """A caller-supplied Bitstring Status List entry must be one a verifier can process (BSL-19, BSL-01)."""
    status = credential.get("credentialStatus")
    if status is None:
        return
    entries = status if isinstance(status, list) else [status]
    for index, entry in enumerate(entries):
        label = f"credentialStatus[{index}]" if isinstance(status, list) else "credentialStatus"
        gate = status_checks.status_entry_is_processable(entry, subject=label)
        if gate.status is Status.NOT_APPLICABLE:
            continue  # another status method: VCDM-10 has checked its type and id
        _refuse_on_failure(gate, where=label)
        _refuse_on_failure(status_checks.status_entry_references_status_list(entry, subject=label), where=label)


def _refuse_on_failure(result: CheckResult, *, code: str | None = None, where: str = "") -> None:
    """A failed check is a 400 problem detail naming its requirement (in ``detail`` and ``requirement``)."""
    if result.status is not Status.FAILED:
        return
    prefix = f"{where}: " if where and not result.message.startswith(where) else ""
    raise _refusal(result.requirement, prefix + result.message, result.subject,
                   code=code or result.error_type or "MALFORMED_VALUE_ERROR")


def _refusal(requirement: str, message: str, subject: str = "", *, code: str = "MALFORMED_VALUE_ERROR") -> ProblemError:
    return ProblemError(400, f"{requirement}: {message}", code=code, requirement=requirement,
                        **({"subject": subject} if subject else {}))


def _shape(value: Any) -> str:
    return "nothing" if value is None else f"a {type(value).__name__}"
