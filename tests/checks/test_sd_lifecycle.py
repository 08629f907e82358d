"""LCS-04, the lifecycle of a badge disclosed in part: the verdict check catches a verifier that still
accepts the disclosure after the revocation, and the reason check one that refuses it for its proof
(the same derived proof it accepted before) rather than its status."""
from __future__ import annotations

from typing import Any

from lerconf.checks.sd_lifecycle import revoked_disclosure_refused_for_its_status
from lerconf.checks.vcapi_answers import verdict_check_for
from lerconf.exchange import Exchange
from lerconf.outcome import Outcome
from lerconf.protocol.vcapi import VerifierAnswer, VerifierVerdict
from lerconf.results import Status
from lerconf.verify.report import STATUS_RESULT

REVOKED = {"verified": False, "problemDetails": [{"type": STATUS_RESULT, "title": "Credential revoked",
                                                  "detail": "credential is revoked (index 7 of https://i.example/sl)"}]}
PROOF = {"verified": False, "problemDetails": [{"type": "https://w3id.org/security#PROOF_VERIFICATION_ERROR",
                                                "detail": "ecdsa-sd-2023 signature does not verify"}]}


def _answer(verdict: VerifierVerdict, body: dict[str, Any]) -> VerifierAnswer:
    exchange = Exchange(method="POST", url="http://v.example/credentials/verify", request_headers={},
                        request_body=None, outcome=Outcome.ACCEPTED, reason="", status=200, json=body)
    return VerifierAnswer(exchange, verdict, "verified" if verdict is VerifierVerdict.ACCEPTED else "verified: false")


def test_accepting_the_disclosure_after_the_revocation_fails() -> None:
    check = verdict_check_for("LCS-04")
    after = check(_answer(VerifierVerdict.ACCEPTED, {"verified": True}), VerifierVerdict.REJECTED, None)
    assert after.status is Status.FAILED and after.requirement == "LCS-04"
    assert "after its issuer revoked" in after.message
    before = check(_answer(VerifierVerdict.ACCEPTED, {"verified": True}), VerifierVerdict.ACCEPTED, None)
    assert before.status is Status.PASSED  # the positive control: the valid disclosure accepted first
    assert check(_answer(VerifierVerdict.REJECTED, REVOKED), VerifierVerdict.REJECTED, None).status is Status.PASSED


def test_a_refusal_for_the_status_passes() -> None:
    result = revoked_disclosure_refused_for_its_status(200, REVOKED)
    assert result.status is Status.PASSED and "for its status" in result.message
    digital_bazaar_style = {"verified": False, "problemDetails": [
        {"title": "credential not verified", "detail": "credential status is set (revocation)",
         "type": "https://w3id.org/security#PROOF_VERIFICATION_ERROR"}]}
    assert revoked_disclosure_refused_for_its_status(200, digital_bazaar_style).status is Status.PASSED


def test_a_refusal_for_the_proof_alone_fails() -> None:
    result = revoked_disclosure_refused_for_its_status(200, PROOF)
    assert result.status is Status.FAILED and result.requirement == "LCS-04"
    assert "for its proof, not its status" in result.message and "PROOF_VERIFICATION_ERROR" in result.message


def test_a_refusal_saying_nothing_is_left_to_the_refusal_reason_rule() -> None:
    result = revoked_disclosure_refused_for_its_status(400, {"verified": False})
    assert result.status is Status.PASSED and "no reason given" in result.message


def test_a_disclosure_without_the_status_entry_fails() -> None:
    from lerconf.checks.sd_lifecycle import disclosure_keeps_the_status_entry

    entry = {"type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "7",
             "statusListCredential": "https://i.example/sl"}
    base = {"id": "urn:uuid:1", "credentialStatus": entry}
    assert disclosure_keeps_the_status_entry({"id": "urn:uuid:1", "credentialStatus": entry}, base, "lerconf").status \
        is Status.PASSED
    dropped = disclosure_keeps_the_status_entry({"id": "urn:uuid:1"}, base, "the holder")
    assert dropped.status is Status.FAILED and "leaves out the badge's status entry" in dropped.message
    other = disclosure_keeps_the_status_entry({"credentialStatus": {**entry, "statusListIndex": "8"}}, base, "the holder")
    assert other.status is Status.FAILED and "another status entry" in other.message
