"""Vendors that refuse lerconf's defective requests and documents, but for the wrong reason (or
none): the refusal is right (the MUST passes), what they say is not the defect (a SHOULD finding).

Each behaviour rewrites only the answers to what the reference refuses (a 400 issue answer, a
``verified: false`` verification), so everything the reference accepts stays as it is. They are
not faults in ``faulty.FAULTS`` (no scenario must fail), but ``Fault`` objects so the same
``running_vendor`` serves them.
"""
from __future__ import annotations

from typing import Any

from faulty import wrappers as w
from faulty.faults import Fault, Parts
from lerconf.refimpl.state import ReferenceState

VCDM = "https://www.w3.org/TR/vc-data-model#"
STATUS_RETRIEVAL = "https://www.w3.org/TR/vc-bitstring-status-list/#STATUS_RETRIEVAL_ERROR"


def _issue_refusals(rewrite_400: Any) -> Any:
    def install(state: ReferenceState) -> Parts:
        def rewrite(status: int, body: Any) -> tuple[int, Any]:
            return rewrite_400(body) if status == 400 else (status, body)

        return Parts(middleware=[lambda app: w.ResponseRewriter(app, (w.ISSUE_PATH,), rewrite)])
    return install


def _verify_rejections(state: ReferenceState) -> Parts:
    """Every ``verified: false`` names a status list it could not fetch, whatever was wrong."""
    def rewrite(status: int, body: Any) -> tuple[int, Any]:
        if status == 200 and isinstance(body, dict) and body.get("verified") is False:
            problem = {"type": STATUS_RETRIEVAL, "title": "Status retrieval error", "detail": "status list unavailable"}
            return 200, {"verified": False, "problemDetails": [problem]}
        return status, body

    return Parts(middleware=[lambda app: w.ResponseRewriter(app, w.VERIFY_PATHS, rewrite)])


def _verify_rejections_silently(state: ReferenceState) -> Parts:
    """Every ``verified: false`` comes without any problem detail."""
    def rewrite(status: int, body: Any) -> tuple[int, Any]:
        if status == 200 and isinstance(body, dict) and body.get("verified") is False:
            return 200, {"verified": False}
        return status, body

    return Parts(middleware=[lambda app: w.ResponseRewriter(app, w.VERIFY_PATHS, rewrite)])


def _reason(name: str, role: str, summary: str, install: Any) -> Fault:
    return Fault(name, role, summary, (), frozenset(), install)


ISSUER_401 = _reason("issuer-refuses-with-401", "issuer", "refuses every malformed issue request with 401 Unauthorized",
                     _issue_refusals(lambda body: (401, {"type": "about:blank", "title": "Unauthorized",
                                                        "detail": "missing or invalid credentials"})))
ISSUER_UNKNOWN_OPTIONS = _reason(
    "issuer-blames-options", "issuer", "refuses every malformed issue request for an unknown options member",
    _issue_refusals(lambda body: (400, {"type": f"{VCDM}MALFORMED_VALUE_ERROR", "title": "Malformed value error",
                                        "detail": "unknown options member(s): lerconfTrace"})))
ISSUER_NO_REASON = _reason("issuer-refuses-silently", "issuer", "refuses every malformed issue request with an empty 400",
                           _issue_refusals(lambda body: (400, {})))
VERIFIER_WRONG_TYPE = _reason("verifier-blames-status-list", "verifier",
                              "rejects every defective credential with STATUS_RETRIEVAL_ERROR", _verify_rejections)
VERIFIER_NO_REASON = _reason("verifier-rejects-silently", "verifier",
                             "rejects every defective credential with verified: false and no problem detail",
                             _verify_rejections_silently)

ISSUER_REFUSES_ALL = _reason(
    "issuer-refuses-everything", "issuer", "answers every issue request, valid or not, with 401 Unauthorized",
    lambda state: Parts(middleware=[lambda app: w.ResponseRewriter(
        app, (w.ISSUE_PATH,), lambda status, body: (401, {"type": "about:blank", "title": "Unauthorized"}))]))
ISSUER_REJECTS_ALL = _reason(
    "issuer-rejects-everything", "issuer", "answers every issue request, valid or not, with 400 MALFORMED_VALUE_ERROR",
    lambda state: Parts(middleware=[lambda app: w.ResponseRewriter(
        app, (w.ISSUE_PATH,), lambda status, body: (400, {"type": f"{VCDM}MALFORMED_VALUE_ERROR", "title": "Malformed"}))]))
