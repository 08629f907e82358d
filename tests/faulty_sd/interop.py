"""Selective-disclosure interop beds (LCS-03): the reference claiming ecdsa-sd-2023 and bbs-2023 as
issuer, holder (with a derive_url) and verifier, one clean and two with one fault each, run together so
lerconf pairs them in "disclosure" cases (issuer -> holder -> verifier, three distinct vendors):

* ``sd-interop-verifier-refuses``  its verifier refuses every credential carrying a derived proof of
                                   either suite ("derived proofs are not supported"), valid or not
* ``sd-interop-holder-alters``     its holder derives the disclosure asked for, then changes a value it
                                   shows (the subject's id): the derived proof no longer matches

A case must fail exactly when the faulty verifier is its verifier or the faulty holder its holder,
each for its own reason (the verifier refused a valid disclosure; the holder's disclosure is broken,
the verifier never asked); every other case passes.
"""
from __future__ import annotations

from typing import Any

from faulty import wrappers as w
from faulty.faults import Fault, Parts
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from lerconf.crypto.di.sd_suites import SD_SUITES, sd_proof_of, selective_suite
from lerconf.refimpl.problems import read_json_object
from lerconf.refimpl.state import ReferenceState, state_of
from lerconf.results import Category, CheckResult, Severity, Status
from lerconf.verify.report import VerificationReport, VerifyOptions

#: the interop disclosure scenario of features/interop/vcapi-interop.feature
KEYWORD = "accepts_a_badge_another_vendor_issued_for_selective_disclosure"
SCENARIO = "A verifier accepts a badge another vendor issued for selective disclosure, disclosed in part by a holder"
REFUSAL = "derived proofs are not supported by this verifier"


class _RefusesDisclosures(w.FaultyEngine):
    """lerconf's engine, except that a document with a derived proof of an SD suite never verifies."""

    def verify_document(self, document: Any, source: str = "-", options: VerifyOptions | None = None) -> VerificationReport:
        report = super().verify_document(document, source, options)
        if isinstance(document, dict) and any(sd_proof_of(document, s) is not None for s in SD_SUITES):
            report.checks.append(CheckResult("DI-15", Status.FAILED, Severity.MUST, Category.PROOF, REFUSAL, "",
                                             error_type="PROOF_VERIFICATION_ERROR"))
        return report


def _refuses_disclosures(state: ReferenceState) -> Parts:
    state.verifier = _RefusesDisclosures(state.verifier)
    return Parts()


def _alters_what_it_shows(state: ReferenceState) -> Parts:
    """Derive as asked, then change the subject's id in the disclosure."""

    async def derive(request: Request) -> Response:
        body = await read_json_object(request)
        credential = body["verifiableCredential"]
        suite = next(s for s in SD_SUITES if sd_proof_of(credential, s) is not None)
        pointers = list(body.get("options", {}).get("selectivePointers", []))
        derived = await run_in_threadpool(selective_suite(suite).derive, credential, pointers,
                                          state_of(request).verifier.processor)
        derived["credentialSubject"]["id"] = "did:example:someone-else"
        return JSONResponse({"verifiableCredential": derived}, status_code=201)

    return Parts(routes=[Route("/credentials/derive", derive, methods=["POST"])])


CLEAN = Fault("sd-interop-clean", "", "no fault: the reference claiming ecdsa-sd-2023 and bbs-2023", (), frozenset(),
              lambda state: Parts())
VERIFIER_REFUSES = Fault("sd-interop-verifier-refuses", "verifier", "refuses every derived proof", ("LCS-03",),
                         frozenset({SCENARIO}), _refuses_disclosures,
                         because="disclosed in part: the verifier rejected it, expected accepted")
HOLDER_ALTERS = Fault("sd-interop-holder-alters", "holder", "changes a value it shows after deriving", ("LCS-03",),
                      frozenset({SCENARIO}), _alters_what_it_shows,
                      because="holder derived is broken (lerconf's verifier refuses the disclosure")
#: the beds, in the order the run lists them (which decides the holder a case takes: the first third vendor)
BEDS = (CLEAN, VERIFIER_REFUSES, HOLDER_ALTERS)
