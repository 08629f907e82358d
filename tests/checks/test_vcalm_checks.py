"""VCALM exchange checks: each on a good answer and on the defect it exists to catch."""
from __future__ import annotations

from typing import Any

from lerconf.checks import vcalm as c
from lerconf.results import Severity, Status

P, F, W = Status.PASSED, Status.FAILED, Status.WARNING
DID = "did:key:z6MkholderA"
VPR: dict[str, Any] = {"query": [{"type": "DIDAuthentication", "acceptedMethods": [{"method": "key"}]}],
                       "challenge": "c-1", "domain": "https://x.example"}
QBE = {"type": "QueryByExample", "credentialQuery": [{"example": {"type": ["VerifiableCredential", "OpenBadgeCredential"]}}]}


def test_exchange_created() -> None:
    assert c.exchange_created(201, "https://x.example/workflows/w/exchanges/e").status is P
    assert c.exchange_created(500, None).status is F
    assert c.exchange_created(204, None).status is F  # created, but named nowhere


def test_start_answers_request() -> None:
    assert c.start_answers_request(200, {"verifiablePresentationRequest": VPR}).status is P
    assert c.start_answers_request(200, {}).status is F  # done before the wallet did anything
    assert c.start_answers_request(200, {"verifiablePresentationRequest": VPR, "vp": 1}).status is F
    assert c.start_answers_request(404, None).status is F


def test_completion_answer() -> None:
    issued = {"verifiablePresentation": {"verifiableCredential": [{"id": "urn:uuid:1"}]}}
    assert c.completion_answer_well_formed(200, issued, issuing=True).status is P
    assert c.completion_answer_well_formed(200, {}, issuing=True).status is F  # issued nothing
    assert c.completion_answer_well_formed(200, {}, issuing=False).status is P  # a verifier may just be done
    assert c.completion_answer_well_formed(400, {"type": "x"}, issuing=False).status is F


def test_reference_id() -> None:
    assert c.reference_id_is_urn_uuid({}).status is P
    assert c.reference_id_is_urn_uuid({"referenceId": "urn:uuid:6f1c"}).status is P
    assert c.reference_id_is_urn_uuid({"referenceId": "1234"}).status is W


def test_did_authentication_has_challenge_and_domain() -> None:
    assert c.did_authentication_has_challenge_and_domain(VPR).status is P
    assert c.did_authentication_has_challenge_and_domain({**VPR, "query": []}).status is F  # issues without DIDAuth
    result = c.did_authentication_has_challenge_and_domain({k: v for k, v in VPR.items() if k != "domain"})
    assert result.status is F and "domain" in result.message


def test_query_by_example() -> None:
    assert c.query_by_example_well_formed({**VPR, "query": [QBE, *VPR["query"]]}).status is P
    assert c.query_by_example_well_formed(VPR).status is F  # none at all
    broken = {"type": "QueryByExample", "credentialQuery": [{"example": {}}]}
    assert c.query_by_example_well_formed({"query": [broken]}).status is F
    assert c.query_by_example_well_formed({"query": [{"type": "QueryByExample", "credentialQuery": "x"}]}).status is F


def test_problem_details() -> None:
    body = {"type": "https://x.example/e", "title": "Bad", "detail": "why"}
    assert c.error_is_problem_details(400, "application/problem+json", body).status is P
    assert c.error_is_problem_details(400, "text/plain", None).status is F  # errors without ProblemDetails
    assert c.error_is_problem_details(400, "application/json", {"title": "Bad"}).status is F  # no type
    assert c.error_is_problem_details(200, "application/json", {}).status is F  # accepted garbage
    explained = c.problem_details_explain({"type": "t"})
    assert explained.status is W and explained.severity is Severity.SHOULD
    assert c.problem_details_explain(body).status is P


def test_protocols() -> None:
    assert c.protocols_name_vcapi(200, {"protocols": {"vcapi": "https://x.example/e"}}).status is P
    assert c.protocols_name_vcapi(200, {"protocols": {"OID4VP": "openid4vp://"}}).status is F
    assert c.protocols_name_vcapi(200, {}).status is F
    assert c.protocols_name_vcapi(404, None).status is F


def test_interaction_url() -> None:
    assert c.interaction_url_has_iuv("https://x.example/i/1?iuv=1").status is P
    assert c.interaction_url_has_iuv("https://x.example/i/1").status is F
    assert c.interaction_url_has_iuv("https://x.example/i/1?iuv=1&p=" + "a" * 4300).status is F
    assert c.interaction_url_is_short("https://x.example/i/1?iuv=1&p=" + "a" * 400).status is W
    assert c.interaction_json_names_protocols(200, "application/json", {"protocols": {"vcapi": "u"}}).status is P
    assert c.interaction_json_names_protocols(200, "text/html", "<p>").status is F
    assert c.interaction_html_otherwise(200, "text/html; charset=utf-8").status is P
    assert c.interaction_html_otherwise(200, "application/json").status is F


def test_request_read_does_not_advance() -> None:
    assert c.request_is_current_vpr(200, {"verifiablePresentationRequest": VPR}, VPR).status is P
    moved = c.request_is_current_vpr(200, {"verifiablePresentationRequest": {**VPR, "challenge": "c-2"}}, VPR)
    assert moved.status is F and "challenge" in moved.message  # GET …/request minted a new challenge
    assert c.request_is_current_vpr(200, {}, VPR).status is F
    assert c.exchange_continues_after_reading(200).status is P
    assert c.exchange_continues_after_reading(400).status is F


def test_defective_presentation_and_replay() -> None:
    assert c.defective_presentation_refused(400, {"type": "t"}, "a wrong challenge").status is P
    issued = {"verifiablePresentation": {"verifiableCredential": [{}]}}
    accepted = c.defective_presentation_refused(200, issued, "a wrong challenge")
    assert accepted.status is F and "issued a credential" in accepted.message
    assert c.defective_presentation_refused(404, None, "x").status is F  # a missing endpoint is no refusal
    assert c.replayed_step_refused(409, {}).status is P
    assert c.replayed_step_refused(200, issued).status is F


def test_binding_and_verification() -> None:
    assert c.issued_to_authenticated_did({"credentialSubject": {"id": DID}}, DID).status is P
    other = c.issued_to_authenticated_did({"credentialSubject": {"id": "did:key:z6Mkother"}}, DID)
    assert other.status is F and "did:key:z6Mkother" in other.message  # issued to a different DID
    assert c.issued_to_authenticated_did({"credentialSubject": [{"id": DID}]}, DID).status is P
    assert c.issued_credential_verifies([]).status is P
    assert c.issued_credential_verifies(["DI-15: signature does not verify"]).status is F


def test_verifying_exchange_verdict() -> None:
    assert c.verifying_exchange_verdict(200, valid=True, what="a valid badge").status is P
    assert c.verifying_exchange_verdict(400, valid=True, what="a valid badge").status is F
    assert c.verifying_exchange_verdict(400, valid=False, what="a revoked badge").status is P
    assert c.verifying_exchange_verdict(200, valid=False, what="a revoked badge").status is F


def test_a_bad_step_that_bought_a_credential_says_so() -> None:
    """Accepting a defective or replayed step fails; when the answer carries a credential the reason says it
    (and a 500 or no answer at all is never a refusal)."""
    from lerconf.checks import vcalm as vcalm_checks
    from lerconf.results import Status

    bought = {"verifiablePresentation": {"verifiableCredential": [{"id": "urn:x"}]}}
    first = vcalm_checks.defective_presentation_refused(200, bought, "a wrong challenge")
    assert first.status is Status.FAILED and first.message.endswith("(HTTP 200) and issued a credential for it")
    again = vcalm_checks.replayed_step_refused(200, bought)
    assert again.status is Status.FAILED and again.message.endswith("and issued a second credential")
    for status in (500, None, 404):
        assert vcalm_checks.replayed_step_refused(status, {}).status is Status.FAILED
