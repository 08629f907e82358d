"""OID4VP verifier checks added with the verdict checks (VP-02's request by reference; VP-04..08,
VP-12 on the verifier's observed verdict): each accepts what the spec calls for and rejects what
its requirement exists to catch, over plain data; a verdict check that sees no verdict says so as
not applicable (the scenario breaks before it runs)."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from lerconf.checks import oid4vp as c
from lerconf.exchange import Exchange
from lerconf.outcome import classify_status
from lerconf.protocol.request_object import RequestObject
from lerconf.protocol.vp_verdict import Observation, Seen
from lerconf.results import CheckResult, Severity, Status

SUCCESS = Observation(Seen.SUCCESS, "the result hook says verified: true", "result_hook")
FAILURE = Observation(Seen.FAILURE, "the result hook says verified: false", "result_hook")
NO_VERDICT = Observation(Seen.NOT_OBSERVABLE, "the result hook's answer has no boolean 'verified'", "result_hook")

#: the checks that a verifier never reports success for what lerconf sent, by requirement id
NEVER_SUCCESS: dict[str, Callable[[Observation, str], CheckResult]] = {
    "VP-04": c.unencrypted_response_not_accepted,
    "VP-05": c.defective_credential_not_accepted,
    "VP-06": c.presentation_bound_elsewhere_not_accepted,
    "VP-07": c.replayed_presentation_not_accepted,
    "VP-08": c.unbound_credential_not_accepted,
    "VP-12": c.wallet_error_not_reported_as_success,
}
#: the checks that the verifier reports success for lerconf's valid answer
REPORTED_SUCCESS: dict[str, Callable[[Observation, str], CheckResult]] = {
    "VP-04": c.response_accepted,
    "VP-05": c.valid_presentation_accepted,
}


def direct_post(status: int) -> Exchange:
    return Exchange("POST", "https://verifier.example/response", {}, None, classify_status(status), f"HTTP {status}", status, {})


# -- never success ------------------------------------------------------------------------------------
@pytest.mark.parametrize("requirement", sorted(NEVER_SUCCESS))
def test_never_success_checks_accept_a_reported_failure(requirement: str) -> None:
    result = NEVER_SUCCESS[requirement](FAILURE, "a presentation bound to another nonce")
    assert (result.requirement, result.status, result.severity) == (requirement, Status.PASSED, Severity.MUST)
    assert "did not accept a presentation bound to another nonce" in result.message and result.spec_url


@pytest.mark.parametrize("requirement", sorted(NEVER_SUCCESS))
def test_never_success_checks_reject_a_reported_success(requirement: str) -> None:
    result = NEVER_SUCCESS[requirement](SUCCESS, "a bare credential")
    assert (result.requirement, result.status) == (requirement, Status.FAILED)
    assert result.message.startswith("the verifier reported success for a bare credential (result_hook:")


@pytest.mark.parametrize("requirement", sorted(NEVER_SUCCESS))
def test_never_success_checks_judge_nothing_without_a_verdict(requirement: str) -> None:
    assert NEVER_SUCCESS[requirement](NO_VERDICT, "x").status is Status.NOT_APPLICABLE


def test_vp_04_accepts_an_unencrypted_response_refused() -> None:
    assert c.unencrypted_response_not_accepted(FAILURE, "a response sent unencrypted").status is Status.PASSED


def test_vp_04_rejects_an_unencrypted_response_reported_as_success() -> None:
    assert c.unencrypted_response_not_accepted(SUCCESS, "a response sent unencrypted").status is Status.FAILED


def test_vp_05_accepts_a_tampered_badge_refused() -> None:
    assert c.defective_credential_not_accepted(FAILURE, "a badge mutated by tampered-claim").status is Status.PASSED


def test_vp_05_rejects_a_revoked_badge_reported_as_success() -> None:
    assert c.defective_credential_not_accepted(SUCCESS, "a badge mutated by revoked").status is Status.FAILED


def test_vp_06_accepts_another_nonce_refused() -> None:
    assert c.presentation_bound_elsewhere_not_accepted(FAILURE, "another nonce").status is Status.PASSED


def test_vp_06_rejects_another_client_id_reported_as_success() -> None:
    assert c.presentation_bound_elsewhere_not_accepted(SUCCESS, "another client_id").status is Status.FAILED


def test_vp_07_accepts_a_replay_refused() -> None:
    assert c.replayed_presentation_not_accepted(FAILURE, "an earlier presentation").status is Status.PASSED


def test_vp_07_rejects_a_replay_reported_as_success() -> None:
    assert c.replayed_presentation_not_accepted(SUCCESS, "an earlier presentation").status is Status.FAILED


def test_vp_08_accepts_a_bare_credential_refused() -> None:
    assert c.unbound_credential_not_accepted(FAILURE, "a bare credential").status is Status.PASSED


def test_vp_08_rejects_an_unsigned_presentation_reported_as_success() -> None:
    assert c.unbound_credential_not_accepted(SUCCESS, "an unsigned presentation").status is Status.FAILED


def test_vp_12_accepts_a_wallet_error_not_reported_as_success() -> None:
    assert c.wallet_error_not_reported_as_success(FAILURE, "the wallet error access_denied").status is Status.PASSED


def test_vp_12_rejects_a_wallet_error_reported_as_success() -> None:
    result = c.wallet_error_not_reported_as_success(SUCCESS, "the wallet error access_denied")
    assert result.status is Status.FAILED and "access_denied" in result.message


# -- reported success ----------------------------------------------------------------------------------
@pytest.mark.parametrize("requirement", sorted(REPORTED_SUCCESS))
def test_success_checks_accept_a_reported_success(requirement: str) -> None:
    result = REPORTED_SUCCESS[requirement](SUCCESS, "a valid presentation")
    assert (result.requirement, result.status) == (requirement, Status.PASSED)


@pytest.mark.parametrize("requirement", sorted(REPORTED_SUCCESS))
def test_success_checks_reject_a_reported_failure(requirement: str) -> None:
    result = REPORTED_SUCCESS[requirement](FAILURE, "a valid presentation")
    assert (result.requirement, result.status) == (requirement, Status.FAILED)
    assert result.message == "a valid presentation was not accepted: the result hook says verified: false"


def test_vp_05_accepts_a_valid_presentation_reported_as_success() -> None:
    assert c.valid_presentation_accepted(SUCCESS, "a valid presentation").status is Status.PASSED


def test_vp_05_rejects_a_valid_presentation_refused() -> None:
    assert c.valid_presentation_accepted(FAILURE, "a valid presentation").status is Status.FAILED


# -- refusals of responses the verifier cannot attribute ---------------------------------------------
def test_vp_04_accepts_an_unknown_state_refused_with_400() -> None:
    result = c.unattributable_response_refused(direct_post(400), NO_VERDICT, "a response with a state never issued")
    assert (result.requirement, result.status) == ("VP-04", Status.PASSED)


def test_vp_04_rejects_an_unknown_state_accepted() -> None:
    result = c.unattributable_response_refused(direct_post(200), FAILURE, "a response with a state never issued")
    assert result.status is Status.FAILED and "it must be refused" in result.message


def test_vp_04_rejects_a_refused_response_then_reported_as_success() -> None:
    result = c.unattributable_response_refused(direct_post(400), SUCCESS, "a response encrypted to another key")
    assert result.status is Status.FAILED and "refused the direct_post but reported success" in result.message


def test_vp_04_judges_no_refusal_without_an_answer() -> None:
    assert c.unattributable_response_refused(direct_post(503), NO_VERDICT, "x").status is Status.NOT_APPLICABLE


# -- VP-02: the request by reference -------------------------------------------------------------------
def test_vp_02_accepts_a_request_object_from_request_uri() -> None:
    obj = RequestObject({"typ": "oauth-authz-req+jwt", "alg": "none"}, {"client_id": "redirect_uri:https://v.example/r"},
                        "e30.e30.", signed=False)
    assert c.request_served_by_reference("request_uri", obj).status is Status.PASSED


def test_vp_02_rejects_a_request_passed_by_value() -> None:
    result = c.request_served_by_reference("value", None)
    assert (result.requirement, result.status) == ("VP-02", Status.FAILED)
    assert result.message == "the request came value, not as a request object from request_uri"
