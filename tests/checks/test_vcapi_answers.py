"""The VC API answer checks: a verifier's verdict and an issuer's refusal, and the composed
requirements (OB-12, API-08, DIVP-01, the issued-list BSL-04) each catch the defect they are for."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from lerconf.checks.base import CHECKS
from lerconf.checks.issuance import issued_badge_proof_verifies
from lerconf.checks.presentation import holder_signs_a_verifying_presentation, presentation_proof_is_for_authentication
from lerconf.checks.status import issued_status_list_serves_a_verifying_list
from lerconf.checks.vcapi_answers import REFUSAL_CHECKS, VERDICT_CHECKS, refusal_check_for, verdict_check_for
from lerconf.exchange import Exchange
from lerconf.outcome import Outcome
from lerconf.protocol.vcapi import VerifierAnswer, VerifierVerdict
from lerconf.results import Category, CheckResult, Severity, Status

ACCEPTED, REJECTED = VerifierVerdict.ACCEPTED, VerifierVerdict.REJECTED


def _exchange(outcome: Outcome, status: int, reason: str = "") -> Exchange:
    return Exchange("POST", "http://127.0.0.1/x", {}, None, outcome, reason or f"HTTP {status}", status)


def _answer(verdict: VerifierVerdict, reason: str = "HTTP 200, verified: true") -> VerifierAnswer:
    return VerifierAnswer(_exchange(Outcome.ACCEPTED, 200), verdict, reason)


def _part(rid: str, status: Status, severity: Severity = Severity.MUST) -> CheckResult:
    return CheckResult(rid, status, severity, Category.PROOF, f"{rid} said so", "https://example.org/spec")


@pytest.mark.parametrize("rid", sorted(VERDICT_CHECKS))
def test_verdict_check_passes_the_expected_verdict_and_fails_the_other(rid: str) -> None:
    check = verdict_check_for(rid)
    assert check(_answer(REJECTED, "HTTP 400"), REJECTED).status is Status.PASSED
    caught = check(_answer(ACCEPTED), REJECTED)
    assert caught.status is Status.FAILED and caught.requirement == rid
    assert "accepted it, expected rejected (HTTP 200, verified: true)" in caught.message
    assert check(_answer(ACCEPTED), ACCEPTED).status is Status.PASSED
    assert check(_answer(REJECTED, "HTTP 400"), ACCEPTED).status is Status.FAILED


@pytest.mark.parametrize("rid", sorted(VERDICT_CHECKS))
def test_verdict_check_fails_a_contradictory_answer(rid: str) -> None:
    result = verdict_check_for(rid)(_answer(VerifierVerdict.INCONSISTENT, "HTTP 400 but verified: true"), REJECTED)
    assert result.status is Status.FAILED and "contradictory" in result.message


@pytest.mark.parametrize("rid", sorted(REFUSAL_CHECKS))
def test_refusal_check_passes_a_400_and_fails_a_signed_credential(rid: str) -> None:
    check = refusal_check_for(rid)
    assert check(_exchange(Outcome.REJECTED, 422)).status is Status.PASSED
    caught = check(_exchange(Outcome.ACCEPTED, 201))
    assert caught.status is Status.FAILED and "it must be rejected with 400/422" in caught.message


def test_every_answer_check_is_a_registered_check_with_its_spec_link() -> None:
    for rid, func in {**VERDICT_CHECKS, **REFUSAL_CHECKS}.items():
        assert func in CHECKS[rid]
    result = verdict_check_for("DI-15")(_answer(REJECTED, "HTTP 400"), REJECTED)
    assert result.spec_url.startswith("https://") and result.category is Category.PROTOCOL


def test_an_unknown_id_has_no_answer_check() -> None:
    with pytest.raises(KeyError, match="VCDM-99"):
        verdict_check_for("VCDM-99")
    with pytest.raises(KeyError, match="VCDM-99"):
        refusal_check_for("VCDM-99")


@pytest.mark.parametrize("composed,rid", [(issued_badge_proof_verifies, "OB-12"),
                                          (holder_signs_a_verifying_presentation, "API-08"),
                                          (presentation_proof_is_for_authentication, "DIVP-01"),
                                          (issued_status_list_serves_a_verifying_list, "BSL-04")])
def test_a_composed_requirement_fails_with_its_failing_part(composed: Callable[[list[CheckResult]], CheckResult],
                                                           rid: str) -> None:
    run = composed
    ok = run([_part("DI-12", Status.PASSED), _part("DI-14", Status.PASSED)])
    assert ok.requirement == rid and ok.status is Status.PASSED
    caught = run([_part("DI-12", Status.PASSED), _part("DI-14", Status.FAILED)])
    assert caught.status is Status.FAILED and "DI-14: DI-14 said so" in caught.message
    assert run([_part("DI-14", Status.WARNING, Severity.SHOULD)]).status is Status.PASSED
    assert run([_part("DI-14", Status.NOT_APPLICABLE)]).status is Status.FAILED
    assert run([]).status is Status.FAILED
