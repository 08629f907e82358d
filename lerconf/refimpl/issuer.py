"""Issuer service: the did:web document and VCALM Issue Credential (API-01..03).

Issued credentials keep every submitted property (API-02); the only additions are the proof,
a status entry when ``options.credentialStatus`` asks for one and, for VCDM 1.1, the status
context that defines it. Nothing is signed that lerconf's verifier would reject for its data
model: ``validation`` applies the same checks first and refuses with a problem detail naming
the requirement. ``ecdsa-sd-2023`` and ``bbs-2023`` are signed as base proofs over
``options.mandatoryPointers`` (EC-03, LBB-01): a holder derives disclosures from them, a verifier takes only those.
"""
from __future__ import annotations

import copy
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from lerconf.crypto.di import bbs_2023_derive, ecdsa_sd_derive
from lerconf.documents.templates import STATUS_CONTEXT
from lerconf.errors import ResolutionError
from lerconf.refimpl.problems import ProblemError, read_json_object, signing_problems
from lerconf.refimpl.state import ReferenceState, state_of
from lerconf.refimpl.validation import IssueRequest, check_processable, parse_issue_request

__all__ = ["ROUTES", "issue_credential"]


async def did_document(request: Request) -> Response:
    return JSONResponse(state_of(request).keys.did_document(), media_type="application/did+json")


async def issue(request: Request) -> Response:
    state = state_of(request)
    body = await read_json_object(request)
    parsed = parse_issue_request(body, state.issuer_id)
    credential = await run_in_threadpool(issue_credential, state, parsed)
    return JSONResponse({"verifiableCredential": credential}, status_code=201)


def issue_credential(state: ReferenceState, request: IssueRequest) -> dict[str, Any]:
    """Add the status entry (if asked), then sign; a refused signature frees the index again."""
    credential = copy.deepcopy(request.credential)
    _checked(state, credential)
    purpose = request.status_purpose
    if purpose is not None:
        credential["credentialStatus"] = state.status.reserve(credential["id"], purpose)
        if request.vc_version == "1.1" and STATUS_CONTEXT not in credential["@context"]:
            credential["@context"].append(STATUS_CONTEXT)
    try:
        return _sign(state, credential, request.suite, request.mandatory_pointers)
    except BaseException:
        if purpose is not None:
            state.status.release(credential["id"], purpose)
        raise


def _checked(state: ReferenceState, credential: dict[str, Any]) -> None:
    """The JSON-LD MUSTs (VCDM-02, VCDM-16) on the caller's credential, before any index is reserved."""
    try:
        check_processable(credential, state.verifier.processor)
    except ResolutionError as exc:  # only the reference's own registered documents escape as errors
        raise ProblemError(500, f"the reference cannot load a registered document: {exc}") from None


def _sign(state: ReferenceState, credential: dict[str, Any], suite: str,
          mandatory_pointers: tuple[str, ...] = ()) -> dict[str, Any]:
    signer = state.keys.signer_for(suite)
    with signing_problems("the credential"):
        if suite in _BASE_PROOFS:  # a base proof, from which the holder derives disclosures
            return _BASE_PROOFS[suite](credential, signer.key, signer.verification_method, mandatory_pointers,
                                       state.verifier.processor)
        return signer.sign(credential, suite, state.verifier.processor)

#: the selective-disclosure suites: their base proofs
_BASE_PROOFS = {"ecdsa-sd-2023": ecdsa_sd_derive.create_base_proof, "bbs-2023": bbs_2023_derive.create_base_proof}

ROUTES = [
    Route("/.well-known/did.json", did_document, methods=["GET"]),
    Route("/credentials/issue", issue, methods=["POST"]),
]
