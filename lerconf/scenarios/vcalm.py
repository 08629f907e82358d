"""VCALM exchange scenarios as library functions (lerconf plays the wallet; the vendor runs an
issuing or verifying workflow); steps call these in one line.

Each function runs one scenario in a fresh exchange (lerconf.scenarios.vcalm_flow) and returns an
:class:`Attempt`: the answer judged, the checks of lerconf.checks.vcalm on what the wire showed
and, for a negative, its positive control (the valid counterpart in a fresh exchange).
:func:`judge` hands the named requirement's results to the one verdict rule (lerconf.scenarios.expect).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lerconf import entropy
from lerconf.checks import vcalm as checks
from lerconf.evidence import Evidence
from lerconf.outcome import Outcome
from lerconf.protocol.oid4vci import Answer
from lerconf.results import CheckResult
from lerconf.scenarios.expect import PositiveControl, expect_checkable, expect_requirement_met, under_positive_control
from lerconf.scenarios.vcalm_flow import VcalmSession, badge, created, expect_usable, presentation, started
from lerconf.scenarios.vcapi import verify
from lerconf.verdicts import Broken
from lerconf.verify.report import VerificationReport

__all__ = ["BADGES", "DEFECTS", "Attempt", "complete", "create_and_start", "defective", "error_answer", "interaction",
           "judge", "present_badge", "protocols", "replay", "request_read", "vendor_request"]


@dataclass
class Attempt:
    """What lerconf sent, what the exchange answered, the checks of it and (negatives) the control."""

    what: str
    answer: Answer | None
    results: list[CheckResult] = field(default_factory=list)
    control: PositiveControl | None = None
    control_what: str = ""


def judge(attempt: Attempt, evidence: Evidence, requirement: str) -> None:
    """The one verdict on ``requirement``'s results: no usable answer breaks; a refusal then counts
    only under its positive control."""
    if attempt.answer is not None:
        expect_usable(attempt.answer, attempt.what)
    mine = [r for r in attempt.results if r.requirement == requirement]
    if not mine:
        raise KeyError(f"{requirement} is not judged by this scenario (it judges "
                       f"{', '.join(sorted({r.requirement for r in attempt.results}))})")
    expect_checkable(mine, evidence=evidence)
    expect_requirement_met(evidence, mine, requirement)
    if attempt.control is not None:
        under_positive_control(evidence, attempt.control, attempt.control_what)


def _ctype(answer: Answer) -> str | None:
    return answer.header("content-type")


def create_and_start(session: VcalmSession) -> Attempt:
    """API-19: create an exchange through the workflow (or hook) and start it with ``{}``."""
    answer, url, _ = created(session)
    start = session.client().start(url)
    return Attempt("starting the exchange", start, [checks.exchange_created(answer.exchange.status, url),
                                                    checks.start_answers_request(start.exchange.status, start.body)])


def vendor_request(session: VcalmSession) -> Attempt:
    """API-10: the vendor's verifiablePresentationRequest, as a wallet must answer it."""
    run = started(session)
    results = [checks.did_authentication_has_challenge_and_domain(run.request)]
    if not session.issuing:
        results.append(checks.query_by_example_well_formed(run.request))
    return Attempt("the exchange's request", run.start, results)


def _answer_valid(session: VcalmSession) -> tuple[Answer, dict[str, Any], str]:
    run = started(session)
    vp = presentation(session, run.request)
    return session.client().present(run.url, vp), vp, run.url


def complete(session: VcalmSession) -> Attempt:
    """The whole exchange: lerconf's correct presentation; an issuing exchange's credential is then
    checked by lerconf's engine and for its binding to lerconf's DID (LCX-03)."""
    answer, _, _ = _answer_valid(session)
    results = [checks.completion_answer_well_formed(answer.exchange.status, answer.body, issuing=session.issuing),
               checks.reference_id_is_urn_uuid(answer.body)]
    if session.issuing:
        results += _issued_results(session, answer)
    else:
        results.append(checks.verifying_exchange_verdict(answer.exchange.status, valid=True, what="a valid badge"))
    return Attempt("the exchange's answer to lerconf's presentation", answer, results)


def _issued_results(session: VcalmSession, answer: Answer) -> list[CheckResult]:
    vp = answer.body.get("verifiablePresentation") if isinstance(answer.body, Mapping) else None
    creds = vp.get("verifiableCredential") if isinstance(vp, Mapping) else None
    listed = creds if isinstance(creds, list) else [creds] if creds is not None else []
    if answer.outcome is not Outcome.ACCEPTED or not listed:
        return [checks.issued_credential_verifies([f"no credential was issued ({answer.exchange.reason})"])]
    results = []
    for i, credential in enumerate(listed):
        session.evidence.keep(f"issued credential {i}", credential)
        report = verify(session.harness, credential, f"issued credential {i}")
        expect_checkable([], report, session.evidence)
        results += [checks.issued_credential_verifies([f"{r.requirement}: {r.message}"
                                                       for _, r in report.blocking_failures()]),
                    checks.issued_to_authenticated_did(_claims(report, credential), session.holder.controller)]
    return results


def _claims(report: VerificationReport, credential: Any) -> Any:
    """The credential's claims as the engine read them: the object itself, or what a VC-JWT or an
    EnvelopedVerifiableCredential carries (the first document with a credentialSubject)."""
    pending = [report]
    while pending:
        current = pending.pop(0)
        if isinstance(current.document, Mapping) and "credentialSubject" in current.document:
            return current.document
        pending.extend(current.nested)
    return credential


def _accepted_control(session: VcalmSession) -> PositiveControl:
    def control() -> None:
        answer, _, _ = _answer_valid(session)
        expect_usable(answer, "the correct presentation")
        if answer.outcome is not Outcome.ACCEPTED:
            raise AssertionError(answer.exchange.reason)
    return control


#: defect (as features name it) -> the presentation's arguments that make it
DEFECTS = {
    "a challenge it did not ask for": "challenge",
    "a domain it did not ask for": "domain",
    "a key the holder DID does not control": "signer",
}


def defective(session: VcalmSession, defect: str) -> Attempt:
    """A DIDAuthentication presentation wrong in one way (LCX-01)."""
    run = started(session)
    kind = DEFECTS[defect]
    vp = presentation(session, run.request,
                      challenge=entropy.token_urlsafe(24) if kind == "challenge" else None,
                      domain="https://elsewhere.lerconf.invalid" if kind == "domain" else None,
                      signer=session.stranger if kind == "signer" else None)
    session.evidence.inject(defect, presentation(session, run.request), vp, None)
    answer = session.client().present(run.url, vp)
    return Attempt(f"a presentation with {defect}", answer,
                   [checks.defective_presentation_refused(answer.exchange.status, answer.body, defect)],
                   _accepted_control(session), "the correct presentation in a fresh exchange")


def replay(session: VcalmSession) -> Attempt:
    """The completed exchange's last step sent again (LCX-02)."""
    first, vp, url = _answer_valid(session)
    expect_usable(first, "the first presentation")
    if first.outcome is not Outcome.ACCEPTED:
        raise Broken(f"prerequisite: the exchange accepts lerconf's correct presentation: {first.exchange.reason}")
    again = session.client().present(url, vp)
    return Attempt("the replayed step", again, [checks.replayed_step_refused(again.exchange.status, again.body)],
                   _accepted_control(session), "the correct presentation in a fresh exchange")


#: badges lerconf presents to a verifying exchange -> (badge kind, valid?)
BADGES = {"a valid badge": ("valid", True), "a revoked badge": ("revoked", False),
          "a tampered badge": ("tampered", False), "an expired badge": ("expired", False)}


def present_badge(session: VcalmSession, which: str) -> Attempt:
    """A verifying exchange given a valid, revoked, tampered or expired badge (LCX-04)."""
    kind, valid = BADGES[which]
    run = started(session)
    credential = badge(session, kind)
    if not valid:
        session.evidence.inject(which, badge(session), credential, None)
    answer = session.client().present(run.url, presentation(session, run.request, credentials=[credential]))
    return Attempt(f"the presentation of {which}", answer,
                   [checks.verifying_exchange_verdict(answer.exchange.status, valid=valid, what=which)],
                   None if valid else _accepted_control(session), "a valid badge in a fresh exchange")


def protocols(session: VcalmSession) -> Attempt:
    """API-20: GET …/protocols of a fresh exchange."""
    _, url, _ = created(session)
    answer = session.client().protocols(url)
    return Attempt("the exchange's protocols", answer, [checks.protocols_name_vcapi(answer.exchange.status, answer.body)])


def interaction(session: VcalmSession) -> Attempt:
    """API-22: the interaction URL, read as a JSON client and as a browser."""
    _, _, url = created(session)
    if not url:  # the section claims interaction_url (the scenario's example row), yet none came
        raise Broken("prerequisite: the profile claims interaction_url, but the vendor named no interactionUrl "
                     "when the exchange was created (in its body, or the hook's answer)")
    client = session.client()
    as_json = client.interaction(url, as_json=True)
    as_html = client.interaction(url, as_json=False)
    expect_usable(as_html, "the interaction URL as a browser reads it")
    return Attempt("the interaction URL", as_json, [
        checks.interaction_url_has_iuv(url), checks.interaction_url_is_short(url),
        checks.interaction_json_names_protocols(as_json.exchange.status, _ctype(as_json), as_json.body),
        checks.interaction_html_otherwise(as_html.exchange.status, _ctype(as_html))])


def request_read(session: VcalmSession) -> Attempt:
    """API-21: GET …/request twice, then the presentation answering the request it started with."""
    run = started(session)
    client = session.client()
    client.current_request(run.url)
    read = client.current_request(run.url)
    expect_usable(read, "reading the request")
    answer = client.present(run.url, presentation(session, run.request))
    return Attempt("reading the exchange's request", read, [
        checks.request_is_current_vpr(read.exchange.status, read.body, run.request),
        checks.exchange_continues_after_reading(answer.exchange.status)])


def error_answer(session: VcalmSession) -> Attempt:
    """API-17: a step the exchange must refuse (a presentation that is not an object) is answered
    as a problem detail."""
    run = started(session)
    answer = session.client().present_raw(run.url, {"verifiablePresentation": "not a presentation"})
    return Attempt("the exchange's error", answer, [
        checks.error_is_problem_details(answer.exchange.status, _ctype(answer), answer.body),
        checks.problem_details_explain(answer.body)])
