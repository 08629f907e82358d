"""VCI-16 and an old ``iat`` (OID4VCI 1.0 App. F.4, §13.8): judged on ``iat`` only when the issuer
does not bound proof age by its own nonces."""
from __future__ import annotations

from typing import Any

from lerconf.checks.oid4vci import key_proof_refused
from lerconf.exchange import Exchange
from lerconf.outcome import Outcome
from lerconf.protocol.oid4vci import Answer
from lerconf.results import Status


def _answer(outcome: Outcome, status: int, body: Any) -> Answer:
    exchange = Exchange("POST", "https://issuer.example/credential", {}, None, outcome, f"HTTP {status}", status,
                        {"content-type": "application/json"}, json=body)
    return Answer(exchange, body)


def test_an_old_iat_with_a_fresh_nonce_may_be_accepted() -> None:
    accepted = _answer(Outcome.ACCEPTED, 200, {"credentials": [{"credential": {}}]})
    result = key_proof_refused(accepted, "an iat an hour old", age_bounded_by_nonce=True)
    assert result.status is Status.PASSED and "App. F.4" in result.message


def test_an_old_iat_without_nonces_must_be_refused() -> None:
    accepted = _answer(Outcome.ACCEPTED, 200, {"credentials": [{"credential": {}}]})
    result = key_proof_refused(accepted, "an iat an hour old")
    assert result.status is Status.FAILED and "was accepted" in result.message


def test_other_defects_are_refused_whatever_the_nonce() -> None:
    accepted = _answer(Outcome.ACCEPTED, 200, {"credentials": [{"credential": {}}]})
    assert key_proof_refused(accepted, "alg none", age_bounded_by_nonce=False).status is Status.FAILED
    refused = _answer(Outcome.REJECTED, 400, {"error": "invalid_proof"})
    assert key_proof_refused(refused, "an iat an hour old", age_bounded_by_nonce=True).status is Status.PASSED
