"""LCS-03's verdict check catches a verifier that refuses another vendor's valid disclosure."""
from __future__ import annotations

from lerconf.checks.vcapi_answers import verdict_check_for
from lerconf.exchange import Exchange
from lerconf.outcome import Outcome
from lerconf.protocol.vcapi import VerifierAnswer, VerifierVerdict
from lerconf.results import Status


def _answer(verdict: VerifierVerdict) -> VerifierAnswer:
    exchange = Exchange(method="POST", url="http://v.example/credentials/verify", request_headers={},
                        request_body=None, outcome=Outcome.ACCEPTED, reason="", status=200,
                        json={"verified": verdict is VerifierVerdict.ACCEPTED})
    return VerifierAnswer(exchange, verdict, "verified: false" if verdict is VerifierVerdict.REJECTED else "verified")


def test_a_refused_disclosure_fails_and_an_accepted_one_passes() -> None:
    check = verdict_check_for("LCS-03")
    refused = check(_answer(VerifierVerdict.REJECTED), VerifierVerdict.ACCEPTED)
    assert refused.status is Status.FAILED and refused.requirement == "LCS-03"
    assert check(_answer(VerifierVerdict.ACCEPTED), VerifierVerdict.ACCEPTED).status is Status.PASSED
