"""Selective-disclosure lifecycle beds (LCS-04): the reference claiming ecdsa-sd-2023 and bbs-2023 with
one fault each in the lifecycle of a revocable badge disclosed in part, judged in one `lerconf run`
limited to that lifecycle's rows (both suites):

* ``sd-life-verifier-ignores-status``  its verifier never reports a set status bit: the revoked
                                       disclosure goes through
* ``sd-life-verifier-blames-proof``    its verifier refuses the revoked disclosure, but says its derived
                                       proof does not verify (the same proof it accepted before)
* ``sd-life-issuer-drops-status``      its issuer leaves ``/credentialStatus`` out of the mandatory
                                       pointers it was asked for: a disclosure can drop the status entry
"""
from __future__ import annotations

import dataclasses
from typing import Any

from faulty import wrappers as w
from faulty.faults import Fault, Parts

from lerconf.refimpl.state import ReferenceState
from lerconf.refimpl.validation import IssueRequest
from lerconf.verify.report import STATUS_RESULT

LIFECYCLE = "A badge shown in part is refused once its issuer revokes it ({suite})"
ROWS = tuple(LIFECYCLE.format(suite=s) for s in ("ecdsa-sd-2023", "bbs-2023"))
#: the lifecycle rows of features/lifecycle/vcapi-revocation-selective.feature
KEYWORD = "shown_in_part"


def _ignores_status(state: ReferenceState) -> Parts:
    w.replace_engine(state, ignore=lambda result: result.requirement == "BSL-18")
    return Parts()


def _blames_the_proof(state: ReferenceState) -> Parts:
    """A refusal for a set status bit is answered as a proof failure."""

    def rewrite(status: int, body: Any) -> tuple[int, Any]:
        problems = body.get("problemDetails") if isinstance(body, dict) else None
        if isinstance(problems, list) and any(isinstance(p, dict) and p.get("type") == STATUS_RESULT for p in problems):
            body = {"verified": False, "problemDetails": [{
                "type": "https://w3id.org/security#PROOF_VERIFICATION_ERROR", "code": "PROOF_VERIFICATION_ERROR",
                "title": "PROOF_VERIFICATION_ERROR", "detail": "the derived proof does not verify"}]}
        return status, body

    return Parts(middleware=[lambda app: w.ResponseRewriter(app, w.VERIFY_PATHS, rewrite)])


def _drops_status_pointer(state: ReferenceState) -> Parts:
    def transform(parsed: IssueRequest) -> IssueRequest:
        kept = tuple(p for p in parsed.mandatory_pointers if not p.startswith("/credentialStatus"))
        return dataclasses.replace(parsed, mandatory_pointers=kept)

    return Parts(routes=[w.issue_route(transform)])


CLEAN = Fault("sd-life-clean", "", "no fault: the reference claiming ecdsa-sd-2023 and bbs-2023", (), frozenset(),
              lambda state: Parts())
FAULTS = [
    Fault("sd-life-verifier-ignores-status", "verifier", "never reports a set status bit", ("LCS-04",),
          frozenset(ROWS), _ignores_status,
          because="the disclosure after its issuer revoked the badge: the verifier accepted it, expected rejected"),
    Fault("sd-life-verifier-blames-proof", "verifier", "refuses a revoked disclosure for its proof", ("LCS-04",),
          frozenset(ROWS), _blames_the_proof, because="for its proof, not its status"),
    Fault("sd-life-issuer-drops-status", "issuer", "leaves /credentialStatus out of the mandatory pointers", ("LCS-04",),
          frozenset(ROWS), _drops_status_pointer, because="leaves out the badge's status entry"),
]
