"""Holder service: VCALM Create Presentation (API-08) and Derive Credential (API-09, ecdsa-sd-2023 and bbs-2023).

The presentation is signed by the holder's did:key (eddsa-rdfc-2022, proofPurpose
authentication) with the caller's challenge and domain. Embedded credentials are carried
unchanged: re-serialising or "fixing" them would break their own proofs. A credential with an
ecdsa-sd-2023 or bbs-2023 *base* proof is refused (400): that proof is the holder's to derive
from, and showing it would disclose every statement to a verifier that must refuse it anyway;
a derived proof (a disclosure) is presented like any other credential.
"""
from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from lerconf.checks import context as ctx_checks
from lerconf.crypto.di import bbs_2023_derive, ecdsa_sd_derive
from lerconf.crypto.di.sd_primitives import SdProofError
from lerconf.crypto.di.sd_suites import SD_SUITES, sd_proof_of
from lerconf.refimpl.problems import (
    bad_request,
    read_json_object,
    reject_unknown,
    require_object,
    signing_problems,
)
from lerconf.refimpl.state import ReferenceState, state_of
from lerconf.results import Status

__all__ = ["PRESENTATION_SUITE", "ROUTES", "sign_presentation"]

PRESENTATION_SUITE = "eddsa-rdfc-2022"


def _check_presentation(presentation: Mapping[str, Any], holder_id: str) -> None:
    contexts = presentation.get("@context")
    if not isinstance(contexts, list) or not contexts:
        raise bad_request("presentation @context must be a non-empty array")
    for run in (ctx_checks.presentation_starts_with_base_context, ctx_checks.does_not_mix_base_contexts):
        result = run(presentation)
        if result.status is Status.FAILED:
            raise bad_request(f"{result.requirement}: {result.message}", result.error_type or "MALFORMED_VALUE_ERROR")
    types = presentation.get("type")
    if "VerifiablePresentation" not in (types if isinstance(types, list) else [types]):
        raise bad_request(f"presentation type {types!r} does not include VerifiablePresentation")
    holder = presentation.get("holder")
    given = holder.get("id") if isinstance(holder, dict) else holder
    if holder is not None and given != holder_id:
        raise bad_request(f"holder {given!r} is not this holder service ({holder_id})")
    creds = presentation.get("verifiableCredential")
    for i, cred in enumerate(creds if isinstance(creds, list) else [] if creds is None else [creds]):
        if not isinstance(cred, dict):
            raise bad_request(f"verifiableCredential[{i}] is a {type(cred).__name__}, not a credential object")
        base = _base_proof_suite(cred)
        if base is not None:
            raise bad_request(f"verifiableCredential[{i}] carries a {base} base proof, which is for its holder only "
                              "(a verifier must refuse it): derive a disclosure (/credentials/derive) and present that")
    if "proof" in presentation:
        raise bad_request("the presentation already carries a proof")


def _base_proof_suite(credential: Mapping[str, Any]) -> str | None:
    """The selective-disclosure suite whose *base* proof ``credential`` carries (ECDSA §3.3.1, BBS §3.3.1:
    the holder derives from it; only a derived proof is ever shown), or None."""
    for name, suite in SD_SUITES.items():
        proof = sd_proof_of(credential, name)
        if proof is None:
            continue
        try:
            suite.mandatory_pointers(proof.get("proofValue"))
        except SdProofError:
            continue  # a derived proof (or none this suite can read): the verifier judges it
        return name
    return None


async def create_presentation(request: Request) -> Response:
    state = state_of(request)
    body = await read_json_object(request)
    reject_unknown(body, {"presentation", "options"}, "request")
    presentation = require_object(body.get("presentation"), "presentation")
    options = require_object(body.get("options"), "options", optional=True)
    reject_unknown(options, {"challenge", "domain"}, "options")
    challenge, domain = options.get("challenge"), options.get("domain")
    if not isinstance(challenge, str) or not challenge:
        raise bad_request("options.challenge is required: a presentation without one can be replayed")
    if domain is not None and not (isinstance(domain, str) and domain):
        raise bad_request("options.domain must be a non-empty string")
    _check_presentation(presentation, state.keys.holder_id)
    signed = await run_in_threadpool(sign_presentation, state, presentation, challenge, domain)
    return JSONResponse({"verifiablePresentation": signed}, status_code=201)


def sign_presentation(state: ReferenceState, presentation: Mapping[str, Any], challenge: str,
                      domain: str | None) -> dict[str, Any]:
    """Name the holder if the caller did not, then sign for authentication."""
    document = copy.deepcopy(dict(presentation))
    document.setdefault("holder", state.keys.holder_id)
    with signing_problems("the presentation"):
        return state.keys.holder.sign(document, PRESENTATION_SUITE, state.verifier.processor,
                                      purpose="authentication", challenge=challenge, domain=domain)


async def derive_credential(request: Request) -> Response:
    """VC API Derive Credential: a disclosure of an ecdsa-sd-2023 or bbs-2023 base-proof credential
    showing the mandatory statements and ``options.selectivePointers`` only (ECDSA §3.3.2, BBS §3.3.2)."""
    state = state_of(request)
    body = await read_json_object(request)
    reject_unknown(body, {"verifiableCredential", "options"}, "request")
    credential = require_object(body.get("verifiableCredential"), "verifiableCredential")
    options = require_object(body.get("options"), "options", optional=True)
    reject_unknown(options, {"selectivePointers"}, "options")
    pointers = options.get("selectivePointers", [])
    if not isinstance(pointers, list) or not all(isinstance(p, str) and p.startswith("/") for p in pointers):
        raise bad_request("options.selectivePointers must be an array of JSON pointers ('/…')")
    derived = await run_in_threadpool(_derived, state, credential, pointers)
    return JSONResponse({"verifiableCredential": derived}, status_code=201)


def _derived(state: ReferenceState, credential: dict[str, Any], pointers: list[str]) -> dict[str, Any]:
    with signing_problems("the credential", action="cannot derive"):
        proofs = credential.get("proof")
        suites = {p.get("cryptosuite") for p in (proofs if isinstance(proofs, list) else [proofs]) if isinstance(p, Mapping)}
        derive = bbs_2023_derive.derive if "bbs-2023" in suites else ecdsa_sd_derive.derive
        return derive(credential, pointers, state.verifier.processor)


ROUTES = [Route("/presentations", create_presentation, methods=["POST"]),
          Route("/credentials/derive", derive_credential, methods=["POST"])]
