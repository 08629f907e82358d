"""OB 3.0 / CLR 2.0 API checks: each on a good answer and on the defect it exists to catch."""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from lerconf.checks import obapi as c
from lerconf.checks.base import CHECKS
from lerconf.documents.loader import DocumentLoader
from lerconf.protocol.obapi import CLR_API, OB_API, imsx_status, registration_request
from lerconf.results import Category, Status

P, F, W, NA = Status.PASSED, Status.FAILED, Status.WARNING, Status.NOT_APPLICABLE
BASE = "https://h.example/ims/ob/v3p0/credentials?limit=2&offset="
ISSUER = {"id": "https://i.example/issuers/1", "type": ["Profile"], "name": "I"}


@pytest.fixture(scope="module")
def badge(vectors_dir: Path) -> dict[str, Any]:
    path = vectors_dir / "1edtech-ob-clr-impl-guide" / "obv3p0" / "extracted" / "signed-credential.json"
    return dict(json.loads(path.read_text(encoding="utf-8")))


def sdd() -> dict[str, Any]:
    return {"openapi": "3.0.1",
            "info": {"title": "Host", "termsOfService": "https://h.example/terms", "x-imssf-privacyPolicyUrl": "https://h.example/p"},
            "components": {"securitySchemes": {"OAuth2ACG": {
                "type": "oauth2", "x-imssf-registrationUrl": "https://h.example/register",
                "flows": {"authorizationCode": {"authorizationUrl": "https://h.example/authorize", "tokenUrl": "https://h.example/token",
                                                "scopes": {s: "" for s in OB_API.scopes}}}}}}}


def link(*rels: str, offset: int = 0) -> str:
    return ", ".join(f'<{BASE}{offset}>; rel="{r}"' for r in rels)


def test_every_check_registers_an_obapi_id_and_says_something() -> None:
    ids = {rid for rid, funcs in CHECKS.items() for f in funcs if f.__module__ == c.__name__}
    assert ids == {f"OBAPI-{n:02d}" for n in range(1, 13)} | {"CLR-11"}  # the CLR API mirrors the OB API
    result = c.discovery_answers_without_credentials(200)
    assert result.requirement == "OBAPI-01" and result.message and result.category is Category.PROTOCOL


# -- OBAPI-01 -------------------------------------------------------------------------------------
def test_obapi_01_accepts_unprotected_discovery_and_rejects_401() -> None:
    assert c.discovery_answers_without_credentials(200).status is P
    assert c.discovery_answers_without_credentials(401).status is F


def test_obapi_01_https_or_loopback_only() -> None:
    assert c.discovery_served_over_https("https://h.example/ims/ob/v3p0/discovery").status is P
    assert c.discovery_served_over_https("http://127.0.0.1:8000/ims/ob/v3p0/discovery").details["loopback"] is True
    assert c.discovery_served_over_https("http://h.example/ims/ob/v3p0/discovery").status is F


def test_obapi_01_accepts_full_description_and_rejects_missing_terms() -> None:
    assert c.service_description_has_openapi_info(sdd()).status is P
    doc = sdd()
    del doc["info"]["termsOfService"]
    result = c.service_description_has_openapi_info(doc)
    assert result.status is F and "info.termsOfService" in result.message
    doc = sdd()
    doc["openapi"] = "2.0"
    assert c.service_description_has_openapi_info(doc).status is F


def test_obapi_01_rejects_missing_registration_url_and_missing_scope() -> None:
    assert c.service_description_offers_authorization_code(sdd()).status is P
    doc = sdd()
    del doc["components"]["securitySchemes"]["OAuth2ACG"]["x-imssf-registrationUrl"]
    assert "x-imssf-registrationUrl" in c.service_description_offers_authorization_code(doc).message
    doc = sdd()
    del doc["components"]["securitySchemes"]["OAuth2ACG"]["flows"]["authorizationCode"]["scopes"][OB_API.scopes[3]]
    assert c.service_description_offers_authorization_code(doc).status is F
    assert c.service_description_offers_authorization_code(sdd(), CLR_API).status is F  # OB scopes only
    assert c.service_description_offers_authorization_code({"openapi": "3.0.1"}).status is F


# -- OBAPI-02 -------------------------------------------------------------------------------------
def _registration() -> tuple[dict[str, Any], dict[str, Any]]:
    request = registration_request(client_uri="https://l.example", redirect_uris=["https://l.example/cb"], scopes=OB_API.scopes)
    answer = {**request, "client_id": "c1", "client_secret": "s" * 32, "client_id_issued_at": 1700000000,
              "client_secret_expires_at": 0}
    return request, answer


def test_obapi_02_accepts_201_with_credentials_and_rejects_200_or_missing_secret() -> None:
    _, answer = _registration()
    assert c.registration_answer_has_client_credentials(201, answer).status is P
    assert c.registration_answer_has_client_credentials(200, answer).status is F
    del answer["client_secret_expires_at"]
    assert "client_secret_expires_at" in c.registration_answer_has_client_credentials(201, answer).message


def test_obapi_02_echo_missing_member_fails_replaced_member_warns() -> None:
    request, answer = _registration()
    answer["scope"] = " ".join(reversed(OB_API.scopes))  # order does not matter
    assert c.registration_answer_echoes_metadata(request, answer).status is P
    answer["client_name"] = "other"
    assert c.registration_answer_echoes_metadata(request, answer).status is W
    del answer["software_id"]
    assert c.registration_answer_echoes_metadata(request, answer).status is F


def test_obapi_02_refusal_must_be_400_with_registration_error() -> None:
    assert c.registration_refusal_is_rfc7591_error(400, {"error": "invalid_client_metadata"}).status is P
    assert c.registration_refusal_is_rfc7591_error(400, {"error": "oops"}).status is W
    assert c.registration_refusal_is_rfc7591_error(201, {}).status is F
    assert c.registration_refusal_is_rfc7591_error(500, {}).status is F


# -- OBAPI-03 -------------------------------------------------------------------------------------
def test_obapi_03_code_and_state_returned() -> None:
    assert c.authorization_returns_code_and_state({"code": "x", "state": "s"}, "s").status is P
    assert c.authorization_returns_code_and_state({"code": "x", "state": "t"}, "s").status is F
    assert c.authorization_returns_code_and_state({"code": "x"}, "s").status is F
    assert c.authorization_returns_code_and_state({"error": "access_denied"}, "s").status is F


def test_obapi_03_no_code_without_pkce() -> None:
    assert c.authorization_without_pkce_is_refused({"error": "invalid_request"}).status is P
    assert c.authorization_without_pkce_is_refused({}).status is P
    assert c.authorization_without_pkce_is_refused({"code": "x", "state": "s"}).status is F


def test_obapi_03_code_reuse_denied() -> None:
    assert c.authorization_code_reuse_is_refused(400, {"error": "invalid_grant"}).status is P
    assert c.authorization_code_reuse_is_refused(400, {"error": "invalid_request"}).status is W
    assert c.authorization_code_reuse_is_refused(200, {"access_token": "t", "token_type": "Bearer"}).status is F
    assert c.authorization_code_reuse_is_refused(500, None).status is F


# -- OBAPI-04 -------------------------------------------------------------------------------------
TOKEN = {"access_token": "at-123456", "token_type": "Bearer", "scope": OB_API.scopes[0], "refresh_token": "rt-123456"}


def test_obapi_04_bearer_token_and_not_mac() -> None:
    assert c.token_answer_is_bearer(200, TOKEN).status is P
    assert c.token_answer_is_bearer(200, {**TOKEN, "token_type": "mac"}).status is F
    assert c.token_answer_is_bearer(200, {"token_type": "bearer"}).status is F


def test_obapi_04_scope_stated_and_not_wider() -> None:
    assert c.token_answer_states_granted_scope(TOKEN, OB_API.scopes[:2]).status is P
    assert c.token_answer_states_granted_scope({**TOKEN, "scope": ""}, OB_API.scopes).status is F
    assert c.token_answer_states_granted_scope({**TOKEN, "scope": " ".join(OB_API.scopes)}, OB_API.scopes[:1]).status is F


def test_obapi_04_refresh_token_when_claimed() -> None:
    assert c.token_answer_has_refresh_token_when_claimed(TOKEN, True).status is P
    assert c.token_answer_has_refresh_token_when_claimed({"access_token": "x"}, True).status is F
    assert c.token_answer_has_refresh_token_when_claimed({"access_token": "x"}, False).status is NA


def test_obapi_04_wrong_verifier_gets_400_json() -> None:
    assert c.token_refusal_is_400_json(400, "application/json", {"error": "invalid_grant"}).status is P
    assert c.token_refusal_is_400_json(400, "application/json;charset=UTF-8", {"error": "invalid_request"}).status is W
    assert c.token_refusal_is_400_json(400, "text/html", None).status is F
    assert c.token_refusal_is_400_json(200, "application/json", TOKEN).status is F


# -- OBAPI-05 -------------------------------------------------------------------------------------
@pytest.mark.parametrize("status,expected", [(401, P), (403, F), (200, F), (404, F)])
def test_obapi_05_no_token_is_401(status: int, expected: Status) -> None:
    assert c.call_without_valid_token_is_401(status).status is expected


@pytest.mark.parametrize("status,expected", [(403, P), (401, F), (201, F), (500, F)])
def test_obapi_05_wrong_scope_is_403(status: int, expected: Status) -> None:
    assert c.call_without_operation_scope_is_403(status).status is expected


# -- OBAPI-06 -------------------------------------------------------------------------------------
def test_obapi_06_body_shape(badge: dict[str, Any]) -> None:
    assert c.credentials_answer_lists_credentials(200, {"credential": [badge], "compactJwsString": ["a.b.c"]}).status is P
    assert c.credentials_answer_lists_credentials(200, {"credential": []}).status is P
    assert c.credentials_answer_lists_credentials(200, {"credentials": [badge]}).status is F
    assert c.credentials_answer_lists_credentials(200, {"compactJwsString": ["not-a-jws"]}).status is F
    assert c.credentials_answer_lists_credentials(200, {"credential": badge}).status is W
    assert c.credentials_answer_lists_credentials(200, {"credential": [badge, "x"]}).status is F
    assert c.credentials_answer_lists_credentials(206, {"credential": []}).status is F


def test_obapi_06_schema(badge: dict[str, Any], loader: DocumentLoader) -> None:
    result = c.credentials_answer_matches_schema({"credential": [badge]}, loader=loader)
    assert result.status is P, result.message
    assert result.category is Category.SCHEMA
    broken = copy.deepcopy(badge)
    del broken["credentialSubject"]
    assert c.credentials_answer_matches_schema({"credential": [broken]}, loader=loader).status is F
    assert c.credentials_answer_matches_schema({"credential": [badge], "extra": 1}, loader=loader).status is F


# -- OBAPI-07 -------------------------------------------------------------------------------------
def test_obapi_07_first_and_last_always() -> None:
    assert c.paging_link_has_first_and_last(link("first", "last", "next"), offset=0, returned=2, total=5).status is P
    assert c.paging_link_has_first_and_last(link("first", "next"), offset=0, returned=2, total=5).status is F
    assert c.paging_link_has_first_and_last(None, offset=0, returned=2, total=5).status is F  # incomplete: Link is due
    assert c.paging_link_has_first_and_last(None, offset=0, returned=2, total=2).status is P  # complete: may be omitted


def test_obapi_07_next_iff_incomplete() -> None:
    assert c.paging_link_has_next_while_incomplete(link("first", "last", "next"), offset=0, returned=2, total=3).status is P
    assert c.paging_link_has_next_while_incomplete(link("first", "last"), offset=2, returned=1, total=3).status is P
    assert c.paging_link_has_next_while_incomplete(link("first", "last"), offset=0, returned=2, total=3).status is F
    last_page = c.paging_link_has_next_while_incomplete(link("first", "last", "next", "prev"), offset=2, returned=1, total=3)
    assert last_page.status is F and "last page" in last_page.message


def test_obapi_07_prev_iff_offset() -> None:
    assert c.paging_link_has_prev_after_offset(link("first", "last", "prev"), offset=2).status is P
    assert c.paging_link_has_prev_after_offset(link("first", "last"), offset=0).status is P
    assert c.paging_link_has_prev_after_offset(link("first", "last"), offset=2).status is F
    assert c.paging_link_has_prev_after_offset(link("first", "last", "prev"), offset=0).status is W


def test_obapi_07_total_count_consistent_with_walk() -> None:
    assert c.paging_total_count_matches_walk("5", 5).status is P
    assert c.paging_total_count_matches_walk(None, 5).status is NA
    wrong = c.paging_total_count_matches_walk("7", 5)
    assert wrong.status is F and wrong.details == {"total_count": 7, "walked": 5}
    assert c.paging_total_count_matches_walk("-1", 5).status is F


# -- OBAPI-08 -------------------------------------------------------------------------------------
def test_obapi_08_new_is_201_replaced_is_200() -> None:
    assert c.upsert_status_says_created_or_replaced(201, new=True).status is P
    assert c.upsert_status_says_created_or_replaced(200, new=False).status is P
    assert c.upsert_status_says_created_or_replaced(200, new=True).status is F
    assert c.upsert_status_says_created_or_replaced(201, new=False).status is F


def test_obapi_08_echo_of_json_and_jws(badge: dict[str, Any]) -> None:
    assert c.upsert_answer_echoes_credential(badge, copy.deepcopy(badge), "application/vc+ld+json").status is P
    assert c.upsert_answer_echoes_credential(badge, copy.deepcopy(badge), "application/json; charset=utf-8").status is P
    assert c.upsert_answer_echoes_credential(badge, badge, "text/html").status is F
    trimmed = copy.deepcopy(badge)
    del trimmed["credentialSubject"]
    result = c.upsert_answer_echoes_credential(badge, trimmed, "application/json")
    assert result.status is F and "$.credentialSubject" in result.details["lost"]
    assert c.upsert_answer_echoes_credential("a.b.c", "a.b.c\n", "text/plain").status is P
    assert c.upsert_answer_echoes_credential("a.b.c", "a.b.d", "text/plain").status is F
    assert c.upsert_answer_echoes_credential("a.b.c", "a.b.c", "application/json").status is F


# -- OBAPI-09 -------------------------------------------------------------------------------------
def _cred(cid: str, valid_from: str, **extra: Any) -> dict[str, Any]:
    return {"id": cid, "issuer": ISSUER, "validFrom": valid_from, "name": "Badge", **extra}


def test_obapi_09_read_back_keeps_every_member() -> None:
    sent = _cred("urn:uuid:1", "2024-01-01T00:00:00Z", evidence=[{"id": "https://e/1", "narrative": "n"}])
    listed = [_cred("urn:uuid:0", "2024-01-01T00:00:00Z"), {**copy.deepcopy(sent), "id": "urn%3Auuid%3A1 ", "extra": 1}]
    listed[1]["id"] = "urn:uuid:1"
    assert c.read_back_equals_upserted(sent, listed).status is P
    lost = copy.deepcopy(sent)
    del lost["evidence"][0]["narrative"]
    result = c.read_back_equals_upserted(sent, [lost])
    assert result.status is F and result.details["lost"] == ["$.evidence[0].narrative"]
    assert c.read_back_equals_upserted(sent, [listed[0]]).status is F


def test_obapi_09_equality_after_percent_decoding() -> None:
    sent = _cred("urn:uuid:1", "2024-01-01T00:00:00Z")
    encoded = {**sent, "id": " urn%3Auuid%3A1"}
    assert c.read_back_equals_upserted(sent, [encoded]).status is F  # found as equal, but the id changed
    assert "changed" in c.read_back_equals_upserted(sent, [encoded]).message


def test_obapi_09_newer_valid_from_replaces() -> None:
    old, new = _cred("urn:uuid:1", "2024-01-01T00:00:00Z"), _cred("urn:uuid:1", "2025-01-01T00:00:00Z")
    assert c.replacement_keeps_the_newer([new, _cred("urn:uuid:2", "2020-01-01T00:00:00Z")], new).status is P
    assert c.replacement_keeps_the_newer([old, new], new).status is F
    assert c.replacement_keeps_the_newer([old], new).status is F
    assert c.replacement_keeps_the_newer([], new).status is F


# -- OBAPI-10 -------------------------------------------------------------------------------------
PROFILE = {"@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
           "type": ["Profile"], "id": "https://h.example/issuers/565049", "name": "Example University"}


def test_obapi_10_profile_schema(loader: DocumentLoader) -> None:
    result = c.profile_matches_schema(PROFILE, loader=loader)
    assert result.status is P, result.message
    assert c.profile_matches_schema({**PROFILE, "id": 5}, loader=loader).status is F
    assert c.profile_matches_schema(PROFILE, loader=loader, api=CLR_API).status is P


def test_obapi_10_status_codes() -> None:
    assert c.get_profile_status_is_200_or_404(200).status is P
    assert c.get_profile_status_is_200_or_404(404).status is P
    assert c.get_profile_status_is_200_or_404(500).status is F
    assert c.put_profile_status_is_200_or_202(202).status is P
    assert c.put_profile_status_is_200_or_202(204).status is F


# -- OBAPI-11 -------------------------------------------------------------------------------------
def test_obapi_11_imsx_error_body(loader: DocumentLoader) -> None:
    body = imsx_status("failure", "error", "not signed", ["invalid_data"])
    assert c.error_body_is_imsx_status_info(body, loader=loader).status is P
    assert c.error_body_is_imsx_status_info(body, loader=loader, api=CLR_API).status is P
    html = c.error_body_is_imsx_status_info("<html><body>Bad Request</body></html>", loader=loader)
    assert html.status is F and "not JSON" in html.message
    assert c.error_body_is_imsx_status_info({"error": "invalid"}, loader=loader).status is F
    bad_minor = imsx_status("failure", "error", code_minor=["teapot"])
    assert c.error_body_is_imsx_status_info(bad_minor, loader=loader).status is F


def test_obapi_11_imsx_check_does_not_judge_a_call_that_was_served(loader: DocumentLoader) -> None:
    """A call that should have been refused but was served (a read-only token upserting, 201) has no
    error body: its reason is the status check's ("served (HTTP 201)"), not "the error body is JSON
    without imsx_codeMajor" of the credential it echoed (faulty-host bed, read-only-token-can-upsert)."""
    echoed = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"]}
    served = c.error_body_is_imsx_status_info(echoed, loader=loader, status=201)
    assert served.status is Status.NOT_APPLICABLE and "not refused" in served.message
    refused = c.error_body_is_imsx_status_info(echoed, loader=loader, status=403)
    assert refused.status is F and "without imsx_codeMajor" in refused.message
    html = c.error_body_is_imsx_status_info("<html><body>Server Error</body></html>", loader=loader, status=500)
    assert html.status is F and "not JSON" in html.message


@pytest.mark.parametrize("status,expected", [(400, P), (415, P), (500, F), (201, F), (None, F)])
def test_obapi_11_error_status_is_4xx(status: int | None, expected: Status) -> None:
    assert c.error_status_is_4xx(status).status is expected


# -- OBAPI-12 (MAY: a failure is a warning) -----------------------------------------------------------
def test_obapi_12_refresh_gives_a_new_token_and_never_shows_it() -> None:
    assert c.refresh_gives_new_access_token(200, {"access_token": "new-token-1"}, "old-token-1").status is P
    same = c.refresh_gives_new_access_token(200, {"access_token": "old-token-1"}, "old-token-1")
    assert same.status is W and "old-token-1" not in same.message + repr(same.details)
    assert c.refresh_gives_new_access_token(400, {"error": "invalid_grant"}, "old-token-1").status is W


def test_obapi_12_revoked_token_refused() -> None:
    assert c.revoked_token_is_refused(401).status is P
    assert c.revoked_token_is_refused(200).status is W


# -- checks added with the ob_provider scenarios ----------------------------------------------------
def test_obapi_06_accepts_a_badge_on_the_ob_api_and_rejects_it_on_the_clr_api(badge: dict[str, Any]) -> None:
    assert c.listed_credential_is_of_the_api_type(badge, OB_API).status is P
    result = c.listed_credential_is_of_the_api_type(badge, CLR_API)
    assert result.status is F and "ClrCredential" in result.message
    clr = {**badge, "type": ["VerifiableCredential", "ClrCredential"]}
    assert c.listed_credential_is_of_the_api_type(clr, CLR_API).status is P


def test_obapi_06_reads_a_compact_jws_from_its_payload_and_rejects_garbage() -> None:
    import base64

    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    jws = f"{part({'alg': 'EdDSA'})}.{part({'vc': {'type': ['VerifiableCredential', 'OpenBadgeCredential']}})}.c2ln"
    assert c.listed_credential_is_of_the_api_type(jws, OB_API).status is P
    assert c.listed_credential_is_of_the_api_type("not a jws", OB_API).status is F


def test_obapi_07_a_walk_that_did_not_end_fails() -> None:
    assert c.paging_walk_ends(None).status is P
    result = c.paging_walk_ends("Link next of page 3 points back to a page already read: a cycle")
    assert result.status is F and "cycle" in result.message



def test_a_page_larger_than_the_limit_is_a_host_that_ignores_limit() -> None:
    assert c.paging_page_honours_limit(2, 2).status is Status.PASSED
    result = c.paging_page_honours_limit(5, 2)
    assert result.status is Status.FAILED and "ignores limit" in result.message


def test_a_refreshed_token_must_work() -> None:
    assert c.refreshed_token_works(200).status is Status.PASSED
    result = c.refreshed_token_works(401)
    assert result.status is Status.WARNING  # OBAPI-12 is a MAY: the failure shows as a warning
    assert "does not work" in result.message


def test_clr_11_the_clr_api_serves_the_learners_clrs() -> None:
    from lerconf.checks.obapi import clr_api_serves_clrs_as_the_ob_api_serves_badges as clr_11

    url = "https://host.example/ims/clr/v2p0/credentials?limit=10"
    assert clr_11(url, 200, [["VerifiableCredential", "ClrCredential"]]).status is Status.PASSED
    badges = clr_11(url, 200, [["VerifiableCredential", "ClrCredential"], ["VerifiableCredential", "OpenBadgeCredential"]])
    assert badges.status is Status.FAILED and "1 of 2" in badges.message and "OpenBadgeCredential" in badges.message
    assert "listed no credential" in clr_11(url, 200, []).message
    assert "answered 404" in clr_11(url, 404, []).message
    elsewhere = clr_11("https://host.example/ims/ob/v3p0/credentials", 200, [["ClrCredential"]])
    assert elsewhere.status is Status.FAILED and "not served under /ims/clr/v2p0/" in elsewhere.message
