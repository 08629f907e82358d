"""The refusal-reason rule (lerconf.checks.refusal_reason) and how the verdict rule uses it: a
refusal naming the defect's error type is clean, one for another reason or none is a SHOULD warning
under the scenario's requirement, and the MUST (the refusal itself) still passes."""
from __future__ import annotations

from typing import Any

import pytest

from lerconf.checks.refusal_reason import Reason, judge_reason, reason_finding
from lerconf.evidence import CURRENT_EVIDENCE, Evidence, json_changes, json_diff
from lerconf.exchange import Exchange
from lerconf.negatives.issue_requests import malformed_issue_request
from lerconf.outcome import Outcome
from lerconf.protocol.vcapi import VerifierAnswer, VerifierVerdict
from lerconf.results import Severity, Status
from lerconf.scenarios.expect import expect_refusal, expect_verdict

PROOF = {"PROOF_VERIFICATION_ERROR", "CRYPTOGRAPHIC_SECURITY_ERROR"}
MALFORMED = {"MALFORMED_VALUE_ERROR", "PARSING_ERROR"}


# -- the matcher ---------------------------------------------------------------------------------
@pytest.mark.parametrize("body", [
    {"type": "https://w3id.org/security#PROOF_VERIFICATION_ERROR", "title": "x"},          # type URL
    {"type": "https://www.w3.org/TR/vc-data-model#CRYPTOGRAPHIC_SECURITY_ERROR"},          # VCDM §7.1 URL
    {"code": "PROOF_VERIFICATION_ERROR"},                                                  # bare code
    {"title": "Proof verification error"},                                                 # title spelled out
    {"verified": False, "errors": [{"type": "https://w3id.org/security#PROOF_VERIFICATION_ERROR"}]},  # errors[]
    {"verified": False, "problemDetails": [{"type": "about:blank"}, {"code": "PROOF_VERIFICATION_ERROR"}]},
    {"verified": False, "errors": ["PROOF_VERIFICATION_ERROR: signature mismatch"]},       # errors[] as text
])
def test_a_stated_type_or_code_of_the_defect_matches(body: dict[str, Any]) -> None:
    assert judge_reason(400, body, PROOF).reason is Reason.MATCHES


@pytest.mark.parametrize("status, body", [
    (401, {"type": "https://w3id.org/security#PROOF_VERIFICATION_ERROR"}),  # an auth status is never a match
    (403, None),
    (400, {"error": "invalid_token", "error_description": "the access token expired"}),
])
def test_an_auth_failure_is_another_reason_never_a_match(status: int, body: Any) -> None:
    judged = judge_reason(status, body, PROOF)
    assert judged.reason is Reason.OTHER
    assert judged.message.startswith("rejected for another reason: an authentication or authorization error")
    assert judge_reason(status, body, None).reason is Reason.OTHER  # even where any reason would do


def test_a_complaint_about_the_request_options_is_another_reason() -> None:
    body = {"type": "https://www.w3.org/TR/vc-data-model#MALFORMED_VALUE_ERROR",
            "detail": "unknown options member(s): credentialStatus"}
    judged = judge_reason(400, body, MALFORMED)
    assert judged.reason is Reason.OTHER and "options" in judged.message
    assert "expected MALFORMED_VALUE_ERROR or PARSING_ERROR" in judged.message


def test_a_different_error_type_is_another_reason() -> None:
    body = {"verified": False, "problemDetails": [{"type": "https://www.w3.org/TR/vc-data-model#MALFORMED_VALUE_ERROR",
                                                   "detail": "bad"}]}
    judged = judge_reason(200, body, PROOF)
    assert judged.reason is Reason.OTHER
    assert "MALFORMED_VALUE_ERROR" in judged.message and "expected CRYPTOGRAPHIC_SECURITY_ERROR or" in judged.message


@pytest.mark.parametrize("body", [None, {}, "", {"type": "about:blank", "title": "Bad Request"},
                                  {"verified": False, "errors": []}])
def test_no_body_or_nothing_but_the_status_is_no_reason(body: Any) -> None:
    judged = judge_reason(400, body, PROOF)
    assert judged.reason is Reason.NONE and judged.message.startswith("rejected without saying why")
    assert judge_reason(400, body, None).reason is Reason.NONE  # noted even when lerconf expects no type


def test_without_an_expected_type_any_stated_reason_will_do() -> None:
    assert judge_reason(400, {"detail": "validFrom needs a time zone"}, None).reason is Reason.MATCHES


def test_openid_error_codes_are_matched_as_codes() -> None:
    assert judge_reason(400, {"error": "invalid_proof"}, ("invalid_proof",)).reason is Reason.MATCHES
    wrong = judge_reason(400, {"error": "invalid_request", "error_description": "bad invalid_proof"}, ("invalid_nonce",))
    assert wrong.reason is Reason.OTHER and "expected invalid_nonce" in wrong.message


def test_a_finding_is_a_should_warning_under_the_scenario_requirement() -> None:
    finding = reason_finding("DI-15", judge_reason(401, None, PROOF))
    assert finding is not None
    assert (finding.requirement, finding.status, finding.severity) == ("DI-15", Status.WARNING, Severity.SHOULD)
    assert reason_finding("DI-15", judge_reason(400, {"code": "PROOF_VERIFICATION_ERROR"}, PROOF)) is None


# -- the verdict rule uses it ----------------------------------------------------------------------
def _exchange(outcome: Outcome, status: int, body: Any) -> Exchange:
    return Exchange("POST", "http://127.0.0.1/credentials/issue", {}, None, outcome, f"HTTP {status}", status, json=body)


def _malformed(defect: str) -> Evidence:
    evidence = Evidence()
    token = CURRENT_EVIDENCE.set(evidence)
    try:
        malformed_issue_request("did:example:issuer", defect)
    finally:
        CURRENT_EVIDENCE.reset(token)
    return evidence


def test_an_issuer_refusing_with_401_passes_with_a_should_finding() -> None:
    evidence = _malformed("a validFrom without time zone")
    expect_refusal(evidence, _exchange(Outcome.AUTH_ERROR, 401, {"title": "Unauthorized"}), ("VCDM-08",))
    findings = [c for c in evidence.checks if c.status is Status.WARNING]
    assert [(f.requirement, f.severity) for f in findings] == [("VCDM-08", Severity.SHOULD)]
    assert "rejected for another reason: an authentication or authorization error (HTTP 401" in findings[0].message


def test_an_issuer_refusing_with_the_right_type_has_no_finding() -> None:
    evidence = _malformed("a validFrom without time zone")
    body = {"type": "https://www.w3.org/TR/vc-data-model#MALFORMED_VALUE_ERROR", "detail": "validFrom has no time zone"}
    expect_refusal(evidence, _exchange(Outcome.REJECTED, 400, body), ("VCDM-08",))
    assert [c.status for c in evidence.checks] == [Status.PASSED]


def test_an_accepted_defect_fails_naming_it_and_the_evidence_holds_the_diff() -> None:
    evidence = _malformed("a validFrom without time zone")
    with pytest.raises(AssertionError) as caught:
        expect_refusal(evidence, _exchange(Outcome.ACCEPTED, 201, {"verifiableCredential": {}}), ("VCDM-08",))
    assert "validFrom '2026-01-15T09:00:00' has no time zone; the issuer accepted it with 201" in str(caught.value)
    assert evidence.defect is not None
    assert '-  "validFrom": "2026-01-15T09:00:00Z"' in evidence.defect.diff.splitlines()
    assert '+  "validFrom": "2026-01-15T09:00:00"' in evidence.defect.diff.splitlines()
    assert evidence.defect.changes == ('/validFrom: "2026-01-15T09:00:00Z" -> "2026-01-15T09:00:00"',)
    shown = evidence.to_json()["documents"]
    assert any(name == "defective credential in the issue request (diff against the valid one)" for name in shown)
    assert "lerconf injected: validFrom '2026-01-15T09:00:00' has no time zone" in evidence.notes


def test_a_verifier_rejecting_for_a_wrong_type_gets_a_finding_and_a_valid_document_none() -> None:
    evidence = Evidence()
    evidence.inject("a subject claim changed after signing", {"a": 1}, {"a": 2}, PROOF, kind="credential")
    body = {"verified": False, "problemDetails": [{"type": "https://www.w3.org/TR/vc-bitstring-status-list#STATUS_RETRIEVAL_ERROR"}]}
    answer = VerifierAnswer(_exchange(Outcome.ACCEPTED, 200, body), VerifierVerdict.REJECTED, "HTTP 200, verified: false")
    expect_verdict(evidence, answer, VerifierVerdict.REJECTED, ("DI-15",))
    warned = [c for c in evidence.checks if c.status is Status.WARNING]
    assert len(warned) == 1 and "STATUS_RETRIEVAL_ERROR" in warned[0].message
    accepted = Evidence()
    answer = VerifierAnswer(_exchange(Outcome.ACCEPTED, 200, {"verified": True}), VerifierVerdict.ACCEPTED, "verified: true")
    expect_verdict(accepted, answer, VerifierVerdict.ACCEPTED, ("API-11",))
    assert [c.status for c in accepted.checks] == [Status.PASSED]


def test_a_verifier_accepting_a_defect_fails_naming_it() -> None:
    evidence = Evidence()
    evidence.inject("a subject claim changed after signing: /name: \"A\" -> \"A (tampered)\"", {"name": "A"},
                    {"name": "A (tampered)"}, PROOF, kind="credential")
    answer = VerifierAnswer(_exchange(Outcome.ACCEPTED, 200, {"verified": True}), VerifierVerdict.ACCEPTED,
                            "HTTP 200, verified: true")
    with pytest.raises(AssertionError, match=r'/name: "A" -> "A \(tampered\)"; the verifier accepted it, expected rejected'):
        expect_verdict(evidence, answer, VerifierVerdict.REJECTED, ("DI-15",))


def test_the_diff_is_redacted() -> None:
    valid = {"access_token": "s3cr3t-value-xyz", "a": 1}
    defective = {"access_token": "s3cr3t-value-xyz", "a": 2}
    assert "s3cr3t" not in json_diff(valid, defective)
    assert json_changes(valid, defective) == ["/a: 1 -> 2"]


# -- OpenID: the key proof refusal checks use the same rule ------------------------------------------
def _oid_answer(status: int, body: Any) -> Any:
    from lerconf.protocol.oid4vci import Answer
    outcome = Outcome.REJECTED if status in (400, 422) else Outcome.ACCEPTED
    return Answer(Exchange("POST", "http://127.0.0.1/credential", {}, None, outcome, f"HTTP {status}", status, json=body), body)


def test_a_key_proof_refused_for_another_code_is_a_should_finding_and_the_right_code_none() -> None:
    from lerconf.checks.oid4vci import di_vp_proof_refused, key_proof_refused
    from lerconf.scenarios.oid4vci_requirements import _reason_is_should

    right = key_proof_refused(_oid_answer(400, {"error": "invalid_proof"}), "alg none")
    assert right.status is Status.PASSED
    other = _reason_is_should(key_proof_refused(_oid_answer(400, {"error": "invalid_request"}), "alg none"))
    assert (other.status, other.severity) == (Status.WARNING, Severity.SHOULD)
    assert other.message == ("a key proof with alg none was rejected for another reason: HTTP 400: invalid_request; "
                             "expected invalid_proof")
    silent = _reason_is_should(di_vp_proof_refused(_oid_answer(400, {}), ("invalid_nonce",), "the wrong challenge"))
    assert silent.status is Status.WARNING and "rejected without saying why (HTTP 400)" in silent.message
    accepted = key_proof_refused(_oid_answer(200, {"credentials": []}), "alg none")
    assert accepted.status is Status.FAILED  # the MUST: a refusal
