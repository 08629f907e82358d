"""Strict validation of issuance requests (API-01, API-03): refuse before signing, with a reason.

The structural rules are lerconf's own VCDM checks run on the *input*: an issuer that signs
what a verifier would reject has only moved the failure downstream.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from lerconf.checks import context as ctx_checks
from lerconf.checks import vcdm_credential as vc_checks
from lerconf.checks.dates import parse_date_time_stamp
from lerconf.checks.vcdm_values import V1_CONTEXT, data_model_version
from lerconf.refimpl.keys import SUPPORTED_SUITES
from lerconf.refimpl.problems import bad_request, reject_unknown, require_object
from lerconf.refimpl.status import ENTRY_TYPE, PURPOSES
from lerconf.results import CheckResult, Status

__all__ = ["DEFAULT_SUITE", "IssueRequest", "parse_issue_request", "validate_credential"]

DEFAULT_SUITE = "eddsa-rdfc-2022"
ISSUE_OPTIONS = frozenset({"cryptosuite", "credentialStatus"})

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
)
#: (start, end) pairs that must be dateTimeStamps in order; OB 3.0 on VCDM 1.1 carries both pairs
_WINDOWS = (("validFrom", "validUntil"), ("issuanceDate", "expirationDate"))


@dataclass(frozen=True)
class IssueRequest:
    credential: dict[str, Any]
    suite: str = DEFAULT_SUITE
    status_purpose: str | None = None

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
    return IssueRequest(credential, suite, purpose)


def validate_credential(credential: Mapping[str, Any], issuer_id: str) -> None:
    """VCDM structure, dates, the instance's issuer, and no proof already attached."""
    contexts = credential.get("@context")
    if not isinstance(contexts, list) or not contexts:
        raise bad_request(f"@context must be a non-empty array, got {_shape(contexts)}")
    for index, item in enumerate(contexts):
        if not isinstance(item, (str, dict)):
            raise bad_request(f"@context[{index}] is a {type(item).__name__}, not a URL or a context object")
    for run in _STRUCTURE:
        result = run(credential)
        if result.status is Status.FAILED:
            raise bad_request(f"{result.requirement}: {result.message}", result.error_type or "MALFORMED_VALUE_ERROR")
    issuer = credential["issuer"]
    given = issuer.get("id") if isinstance(issuer, dict) else issuer
    if given != issuer_id:
        raise bad_request(f"issuer {given!r} is not this issuer instance ({issuer_id})")
    if contexts[0] == V1_CONTEXT and "issuanceDate" not in credential:
        raise bad_request("a VCDM 1.1 credential needs issuanceDate")
    for start_name, end_name in _WINDOWS:
        parsed = {}
        for name in (start_name, end_name):
            if name in credential:
                parsed[name] = parse_date_time_stamp(credential[name])
                if parsed[name] is None:
                    raise bad_request(f"{name} {credential[name]!r} is not an XSD dateTimeStamp (date, time and zone)")
        start, end = parsed.get(start_name), parsed.get(end_name)
        if start is not None and end is not None and end < start:
            raise bad_request(f"{end_name} {credential[end_name]} is before {start_name} {credential[start_name]}")
    if "proof" in credential:
        raise bad_request("the credential already carries a proof; this issuer does not add to proof sets or chains")


def _shape(value: Any) -> str:
    return "nothing" if value is None else f"a {type(value).__name__}"
