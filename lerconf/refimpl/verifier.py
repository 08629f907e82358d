"""Verifier service: VCALM Verify Credential / Verify Presentation / Create Challenge.

A completed verification answers 200 with ``verified`` false exactly when at least one error
is reported (API-11/12/13, VCALM failure style); warnings and 1EdTech schema findings never
flip it. Malformed requests answer 400. The engine is lerconf's own ``Verifier``, so status
lists are fetched and checked, and presentations get their proof, holder binding and every
embedded credential verified (API-14).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from lerconf.errors import ResolutionError
from lerconf.refimpl.problems import (
    SECURITY,
    ProblemError,
    bad_request,
    read_json_object,
    reject_unknown,
    require_object,
)
from lerconf.refimpl.state import ReferenceState, state_of
from lerconf.results import CheckResult, Status
from lerconf.verify.report import VerificationReport, VerifyOptions, blocks_verification
from lerconf.verify.report import problem_detail as problem_of

__all__ = ["ROUTES", "blocking_failures", "verification_body"]

RETURN_FLAGS = ("returnResults", "returnProblemDetails", "returnCredential")
_VP_TYPES = {"VerifiablePresentation", "EnvelopedVerifiablePresentation"}


def _types(doc: Mapping[str, Any]) -> set[str]:
    value = doc.get("type")
    return {t for t in (value if isinstance(value, list) else [value]) if isinstance(t, str)}


def _is_blocking(result: CheckResult) -> bool:
    """The engine's own rule (VerificationReport.verified), so the two never drift."""
    return blocks_verification(result)


def blocking_failures(report: VerificationReport) -> list[tuple[str, CheckResult]]:
    """(source, result) for every failure that makes the report not verified, nested included."""
    return report.blocking_failures()


def _warnings(report: VerificationReport) -> list[tuple[str, CheckResult]]:
    out = [(report.source, r) for r in report.checks
           if r.status in (Status.FAILED, Status.WARNING) and not _is_blocking(r)]
    for nested in report.nested:
        out.extend(_warnings(nested))
    return out


def _problem(source: str, result: CheckResult) -> dict[str, Any]:
    return {**problem_of(result), "source": source}


def verification_body(report: VerificationReport, flags: Mapping[str, bool],
                      extra_errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The VCALM result: verified iff no error; problem details, warnings and check results."""
    errors = [_problem(src, r) for src, r in blocking_failures(report)] + list(extra_errors or [])
    if not report.verified and not errors:  # defensive: never say false without a reason
        errors.append(ProblemError(200, "verification failed", code="PROOF_VERIFICATION_ERROR").body())
    body: dict[str, Any] = {"verified": not errors}
    if flags.get("returnProblemDetails", True):
        body["problemDetails"] = errors
        body["warnings"] = [{**problem_of(r), "source": src} for src, r in _warnings(report)]
    if flags.get("returnResults", True):
        body["results"] = report.to_json()
    if flags.get("returnCredential", False):
        body["document"] = report.document
    return body


def _flags(options: Mapping[str, Any]) -> dict[str, bool]:
    flags = {}
    for name in RETURN_FLAGS:
        if name in options:
            if not isinstance(options[name], bool):
                raise bad_request(f"options.{name} must be true or false")
            flags[name] = options[name]
    return flags


def _run(state: ReferenceState, document: dict[str, Any], source: str, options: VerifyOptions) -> VerificationReport:
    try:
        return state.verifier.verify_document(document, source, options)
    except ResolutionError as exc:  # only registered-document (setup) faults escape the engine
        raise ProblemError(500, f"the reference cannot load a registered document: {exc}") from None


async def verify_credential(request: Request) -> Response:
    state = state_of(request)
    body = await read_json_object(request)
    reject_unknown(body, {"verifiableCredential", "options"}, "request")
    credential = require_object(body.get("verifiableCredential"), "verifiableCredential")
    options = require_object(body.get("options"), "options", optional=True)
    reject_unknown(options, set(RETURN_FLAGS), "options")
    flags = _flags(options)
    if _types(credential) & _VP_TYPES:
        raise bad_request("verifiableCredential is a presentation; use /presentations/verify")
    report = await run_in_threadpool(_run, state, credential, "verifiableCredential",
                                     VerifyOptions(status_list_minimum=state.status_list_minimum))
    return JSONResponse(verification_body(report, flags))


async def verify_presentation(request: Request) -> Response:
    state = state_of(request)
    body = await read_json_object(request)
    reject_unknown(body, {"verifiablePresentation", "options"}, "request")
    presentation = require_object(body.get("verifiablePresentation"), "verifiablePresentation")
    options = require_object(body.get("options"), "options", optional=True)
    reject_unknown(options, {*RETURN_FLAGS, "challenge", "domain"}, "options")
    flags = _flags(options)
    challenge, domain = options.get("challenge"), options.get("domain")
    if challenge is not None and (not isinstance(challenge, str) or not challenge):
        raise bad_request("options.challenge must be a non-empty string")
    if domain is not None and not ((isinstance(domain, str) and domain) or (isinstance(domain, list) and domain
                                   and all(isinstance(d, str) and d for d in domain))):
        raise bad_request("options.domain must be a non-empty string or array of strings")
    if not _types(presentation) & _VP_TYPES:
        raise bad_request("verifiablePresentation has no VerifiablePresentation type")
    verify_options = VerifyOptions(challenge=challenge, domain=domain, status_list_minimum=state.status_list_minimum)
    report = await run_in_threadpool(_run, state, presentation, "verifiablePresentation", verify_options)
    extra = []
    uses = state.challenges.record_use(challenge) if challenge else None
    if uses is not None and uses > 1:
        extra.append(ProblemError(200, f"challenge was minted by this verifier and has already been used "
                                       f"({uses} uses); challenges are single-use", code="INVALID_CHALLENGE_ERROR",
                                  type_=SECURITY + "INVALID_CHALLENGE_ERROR").body())
    return JSONResponse(verification_body(report, flags, extra))


async def create_challenge(request: Request) -> Response:
    body = await read_json_object(request, allow_empty=True)
    reject_unknown(body, set(), "request")
    return JSONResponse({"challenge": state_of(request).challenges.mint()})


ROUTES = [
    Route("/credentials/verify", verify_credential, methods=["POST"]),
    Route("/presentations/verify", verify_presentation, methods=["POST"]),
    Route("/challenges", create_challenge, methods=["POST"]),
]
