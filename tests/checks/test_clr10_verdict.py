"""CLR-10 (SHOULD), judged on a verifier's answer about a CLR bundling another learner's badge: a
refusal or a warning about the learner passes; an acceptance without one, or with a warning about
something else, does not; an odd answer body never crashes the check."""
from __future__ import annotations

from typing import Any

from lerconf.checks.vcapi_answers import verifier_flags_another_learners_badge as clr_10
from lerconf.exchange import Exchange
from lerconf.outcome import Outcome
from lerconf.protocol.vcapi import VerifierAnswer, VerifierVerdict
from lerconf.results import Status


def _answer(verdict: VerifierVerdict, body: Any) -> VerifierAnswer:
    exchange = Exchange(method="POST", url="http://v.example/credentials/verify", request_headers={},
                        request_body=None, outcome=Outcome.ACCEPTED, reason="", status=200, json=body)
    return VerifierAnswer(exchange, verdict, "verified" if verdict is VerifierVerdict.ACCEPTED else "verified: false")


def test_a_refusal_or_a_warning_about_the_learner_flags_it() -> None:
    assert clr_10(_answer(VerifierVerdict.REJECTED, {"verified": False})).status is Status.PASSED
    warned = {"verified": True, "warnings": [{"title": "CLR-10", "detail": "names another learner"}]}
    assert clr_10(_answer(VerifierVerdict.ACCEPTED, warned)).status is Status.PASSED


def test_an_acceptance_without_a_warning_about_the_learner_does_not() -> None:
    silent = clr_10(_answer(VerifierVerdict.ACCEPTED, {"verified": True}))
    assert silent.status is Status.WARNING and silent.severity.value == "SHOULD"
    unrelated = {"verified": True, "warnings": [{"detail": "credentialSubject.id is a DID the verifier cannot resolve"}]}
    assert clr_10(_answer(VerifierVerdict.ACCEPTED, unrelated)).status is Status.WARNING


def test_an_odd_answer_body_is_judged_not_crashed_on() -> None:
    for body in ({"verified": True, "warnings": 5}, {"verified": True, "problemDetails": "none"}, ["not", "a", "map"]):
        assert clr_10(_answer(VerifierVerdict.ACCEPTED, body)).status is Status.WARNING
