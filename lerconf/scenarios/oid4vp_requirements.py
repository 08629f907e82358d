"""Which checks judge each OID4VP verifier requirement, on which facts of a scenario.

A feature says ``Then the request satisfies "VP-01"`` (or ``... reports success, satisfying
"VP-05"``); the step looks the id up in the table of that subject here
(lerconf.scenarios.subjects.satisfied): the table's entry gathers the facts from the scenario's
objects and returns the CheckResults of the @check functions registered for the id
(lerconf.checks.oid4vp). So every id is one grep: its checks, and the one line here that feeds them.

Before a verdict check runs, the verdict must be there to judge: a direct_post without a usable
answer, or no verdict at all, breaks the scenario (:class:`~lerconf.verdicts.Broken`); a verdict
the profile's verdict source cannot show is *not observable*. A reported success is judged first,
whatever else happened. Negative scenarios then hand their positive control to
:func:`~lerconf.scenarios.expect.under_positive_control`.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from lerconf.checks import oid4vp as c
from lerconf.outcome import Outcome
from lerconf.protocol.vp_verdict import Observation, Seen
from lerconf.scenarios.expect import PositiveControl, expect_checks, expect_observed, under_positive_control
from lerconf.scenarios.oid4vp_verifier import VALID_PRESENTATION, Oid4vpSession, PresentationAnswer
from lerconf.scenarios.subjects import satisfied
from lerconf.verdicts import Broken, NotObservable

if TYPE_CHECKING:
    from lerconf.evidence import Evidence
    from lerconf.results import CheckResult

__all__ = ["ANSWER", "NO_SUCCESS", "REFUSED", "REQUEST", "SUCCESS", "expect_no_success", "expect_refused"]

_NO_ANSWER = (Outcome.SERVER_ERROR, Outcome.TRANSPORT_ERROR, Outcome.AUTH_ERROR)


# -- the requests the verifier sent -------------------------------------------------------------------
def _vp_01(group: list[Oid4vpSession]) -> list[CheckResult]:
    out = [c.draft_request_has_required_parameters(s.request.params) if s.draft
           else c.request_has_required_parameters(s.request.params) for s in group]
    out += [c.client_metadata_offers_encryption_key(s.request.params) for s in group
            if s.request.params.get("response_mode") == "direct_post.jwt"]
    out += [c.nonce_has_enough_entropy(s.request.nonce) for s in group]
    out.append(c.nonces_are_fresh([s.request.nonce for s in group]))
    return out


def _vp_02(group: list[Oid4vpSession]) -> list[CheckResult]:
    out = []
    for s in group:
        out.append(c.request_served_by_reference(s.request.delivered_by, s.request.request_object))
        if s.request.request_object is not None:
            out.append(c.request_object_is_typed_and_signed(s.request.request_object, s.signature_problem))
            out.append(c.invocation_client_id_matches(s.request.outer_client_id, s.request.client_id))
            out.append(c.request_object_audience(s.request.request_object))
            out.append(c.response_uri_is_the_san_name(s.request.request_object))
            out.append(c.wallet_nonce_echoed(s.request.wallet_nonce, s.request.request_object))
    return out


def _vp_03(group: list[Oid4vpSession]) -> list[CheckResult]:
    return [c.presentation_definition_asks_for_open_badge(s.request.params.get("presentation_definition"))
            if s.draft else c.dcql_asks_for_open_badge(s.request.dcql_query, s.format) for s in group]


#: the presentation requests of the verifier under test (one, or several to compare)
REQUEST: dict[str, Callable[[list[Oid4vpSession]], list[CheckResult]]] = {
    "VP-01": _vp_01,
    "VP-02": _vp_02,
    "VP-03": _vp_03,
}


# -- the answer to lerconf's direct_post ----------------------------------------------------------------
def _answered(answer: PresentationAnswer) -> PresentationAnswer:
    """The answer, once the direct_post got a usable one (else the scenario is broken)."""
    if answer.exchange.outcome in _NO_ANSWER:
        raise Broken(f"the direct_post got no usable answer: {answer.exchange.outcome.value}: {answer.exchange.reason}")
    return answer


#: the verifier's answer to lerconf's direct_post
ANSWER: dict[str, Callable[[PresentationAnswer], list[CheckResult]]] = {
    "VP-04": lambda a: [c.direct_post_answered_with_json(_answered(a).exchange)],
}


# -- the verifier's verdict -------------------------------------------------------------------------------
def _verdict(answer: PresentationAnswer) -> Observation:
    """The verdict on a presentation the verifier must accept, once there is one to judge."""
    return expect_observed(answer.observation, answer.sent)


def _verdict_unless_success(answer: PresentationAnswer) -> Observation:
    """The verdict on something the verifier must not accept: a reported success is judged whatever
    else; otherwise a direct_post without a usable answer, or no verdict, breaks the scenario."""
    seen = answer.observation
    if seen.seen is Seen.SUCCESS:
        return seen
    if answer.exchange.outcome in _NO_ANSWER:
        raise Broken(f"{answer.sent}: the direct_post got no usable answer: {answer.exchange.outcome.value}: "
                     f"{answer.exchange.reason}")
    if seen.seen is Seen.NOT_OBSERVABLE and seen.source != "result_hook":
        # known from how the profile says verdicts are observed, not the vendor's breakdown: say so
        raise NotObservable(f"not observable with verdict_from={seen.source}: {seen.reason}")
    if seen.seen is Seen.NOT_OBSERVABLE:  # a result hook that gives no usable verdict
        raise Broken(f"verdict not observable: {seen.reason}")
    if seen.seen is Seen.BROKEN:
        raise Broken(f"{answer.sent}: no verdict: {seen.reason}")
    return seen


def _refusal(answer: PresentationAnswer) -> PresentationAnswer:
    """A direct_post the verifier must refuse, once it was answered (accepted or refused)."""
    outcome = answer.exchange.outcome
    if outcome not in (Outcome.ACCEPTED, Outcome.REJECTED):
        raise Broken(f"{answer.sent}: expected a 400 refusal, got {outcome.value}: {answer.exchange.reason}")
    return answer


#: lerconf's valid answer: the verifier reports success
SUCCESS: dict[str, Callable[[PresentationAnswer], list[CheckResult]]] = {
    "VP-04": lambda a: [c.response_accepted(_verdict(a), a.sent)],
    "VP-05": lambda a: [c.valid_presentation_accepted(_verdict(a), a.sent)],
    "OB-23": lambda a: [c.dual_proof_badge_accepted(_verdict(a), a.sent)],
}

#: lerconf's answer broken in one way: the verifier never reports success
NO_SUCCESS: dict[str, Callable[[PresentationAnswer], list[CheckResult]]] = {
    "VP-04": lambda a: [c.unencrypted_response_not_accepted(_verdict_unless_success(a), a.sent)],
    "VP-05": lambda a: [c.defective_credential_not_accepted(_verdict_unless_success(a), a.sent)],
    "VP-06": lambda a: [c.presentation_bound_elsewhere_not_accepted(_verdict_unless_success(a), a.sent)],
    "VP-07": lambda a: [c.replayed_presentation_not_accepted(_verdict_unless_success(a), a.sent)],
    "VP-08": lambda a: [c.unbound_credential_not_accepted(_verdict_unless_success(a), a.sent)],
    "VP-12": lambda a: [c.wallet_error_not_reported_as_success(_verdict_unless_success(a), a.sent)],
    "OB-24": lambda a: [c.badge_jwt_contradicting_its_credential_not_accepted(_verdict_unless_success(a), a.sent)],
}

#: a response the verifier cannot attribute to its transaction: the direct_post itself is refused
REFUSED: dict[str, Callable[[PresentationAnswer], list[CheckResult]]] = {
    "VP-04": lambda a: [c.unattributable_response_refused(_refusal(a).exchange, a.observation, a.sent)],
}


def expect_no_success(evidence: Evidence, answer: PresentationAnswer, requirement: str,
                      control: PositiveControl) -> None:
    """The verifier must never report success for ``answer`` (judged by ``requirement``'s checks),
    and must accept the valid counterpart (``control``), or its refusal proves nothing."""
    expect_checks(evidence, satisfied(NO_SUCCESS, requirement, answer))
    under_positive_control(evidence, control, VALID_PRESENTATION)


def expect_refused(evidence: Evidence, answer: PresentationAnswer, requirement: str, control: PositiveControl) -> None:
    """The verifier must refuse the direct_post of ``answer`` (judged by ``requirement``'s checks),
    and must accept the valid counterpart (``control``), or its refusal proves nothing."""
    expect_checks(evidence, satisfied(REFUSED, requirement, answer))
    under_positive_control(evidence, control, VALID_PRESENTATION)
