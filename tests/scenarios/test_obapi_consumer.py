"""The ob_consumer scenarios against the embedded reference consumer (every requirement holds for
it, and each ConsumerRules fault fails exactly its requirement), and the consumer checks on wire
records made by hand (each accepts the right behaviour and rejects the wrong one)."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlencode

import pytest

from lerconf.checks import obapi_consumer as checks
from lerconf.documents.loader import LoaderSettings
from lerconf.evidence import Evidence
from lerconf.protocol.wire_record import WireRecord, token_digest
from lerconf.refimpl.obconsumer import ConsumerRules
from lerconf.results import Status
from lerconf.scenarios import obapi_consumer as consumer
from lerconf.scenarios.harness import Harness, build_vendor, engine_for
from lerconf.verdicts import Broken

OB = "https://purl.imsglobal.org/spec/ob/v3p0/scope/"
BASE = "/ims/ob/v3p0"


@pytest.fixture(scope="module")
def run(ref: Any, offline_settings: LoaderSettings) -> Harness:
    """A run's harness with the reference as the vendor under test (as `lerconf run` builds it)."""
    profile = ref.profile()
    vendor = build_vendor(profile, allow_private=True)
    return Harness(vendors=[vendor], own=vendor, engine=engine_for(ref, [profile], offline_settings), reference=ref)


@pytest.fixture
def rules(ref: Any) -> Iterator[Callable[[ConsumerRules], None]]:
    app = ref.server.config.app

    def use(given: ConsumerRules) -> None:
        app.state.obconsumer_rules = given
    yield use
    app.state.obconsumer_rules = ConsumerRules()


def _judge(run: Harness, requirement: str, api: str, operation: str, fmt: str | None = None, *,
           expire: bool = False) -> Evidence:
    evidence = Evidence()
    host = consumer.open_host(run, run.vendors[0], evidence, api, expire_first_token=expire)
    consumer.satisfies(consumer.tell(host, operation, fmt), evidence, requirement)
    return evidence


@pytest.mark.parametrize(("requirement", "api", "operation", "fmt", "expire"), [
    ("OBAPI-13", "ob", "write", None, False), ("OBAPI-13", "clr", "read", None, False),
    ("LCO-01", "ob", "write", "jwt", False), ("LCO-01", "clr", "write", "ldp_vc", False),
    ("LCO-02", "ob", "read", None, False), ("LCO-03", "clr", "read", None, True), ("LCO-03", "ob", "write", None, True),
])
def test_the_reference_consumer_satisfies(run: Harness, requirement: str, api: str, operation: str, fmt: str | None,
                                          expire: bool) -> None:
    evidence = _judge(run, requirement, api, operation, fmt, expire=expire)
    assert evidence.checks and all(c.status is Status.PASSED for c in evidence.checks if c.requirement == requirement)


@pytest.mark.parametrize(("given", "requirement", "operation", "fmt", "expire", "because"), [
    (ConsumerRules(minimal_scopes=False), "OBAPI-13", "read", None, False, "scopes it does not need"),
    (ConsumerRules(follow_next=False), "LCO-02", "read", None, False, "did not follow 1 of the 1 next link"),
    (ConsumerRules(jwt_as_text=False), "LCO-01", "write", "jwt", False, "as a JSON string"),
    (ConsumerRules(refresh_on_401=False), "LCO-03", "read", None, True, "8 more time(s) after the 401: a retry loop"),
    (ConsumerRules(pkce=False), "OBAPI-13", "write", None, False, "no code_challenge"),
])
def test_a_faulty_consumer_fails_its_requirement(run: Harness, rules: Callable[[ConsumerRules], None], given: ConsumerRules,
                                                 requirement: str, operation: str, fmt: str | None, expire: bool,
                                                 because: str) -> None:
    rules(given)
    with pytest.raises(AssertionError, match=because.replace("(", r"\(").replace(")", r"\)")):
        _judge(run, requirement, "ob", operation, fmt, expire=expire)


@pytest.mark.parametrize(("requirement", "operation", "expire"), [("LCO-01", "write", False), ("LCO-02", "read", False),
                                                                  ("LCO-03", "read", True)])
def test_no_token_leaves_the_token_scenarios_broken(run: Harness, rules: Callable[[ConsumerRules], None], requirement: str,
                                                    operation: str, expire: bool) -> None:
    rules(ConsumerRules(pkce=False))
    with pytest.raises(Broken, match="prerequisite: the consumer obtained no access token"):
        _judge(run, requirement, "ob", operation, expire=expire)


def test_an_unknown_requirement_is_a_feature_mismatch(run: Harness) -> None:
    host = consumer.open_host(run, run.vendors[0], Evidence(), "ob")
    with pytest.raises(KeyError, match="OBAPI-01 is not judged"):
        consumer.satisfies(consumer.tell(host, "read"), Evidence(), "OBAPI-01")


# -- the checks on hand-made wire records -----------------------------------------------------------
_SEQ = iter(range(1, 10_000))


def _record(method: str, path: str, *, body: Any = b"", content_type: str = "", status: int = 200, response: Any = b"",
            query: dict[str, str] | None = None, token: str = "") -> WireRecord:
    raw = body if isinstance(body, bytes) else (json.dumps(body).encode() if "json" in content_type
                                                else urlencode(body).encode())
    answer = response if isinstance(response, bytes) else json.dumps(response).encode()
    return WireRecord(next(_SEQ), 0.0, method, BASE + path, content_type, raw, status, answer,
                      urlencode(query or {}), token_digest(token))


def _registration(**changes: Any) -> WireRecord:
    body = {"client_name": "c", "client_uri": "https://c.example/", "logo_uri": "https://c.example/l.png",
            "tos_uri": "https://c.example/t", "policy_uri": "https://c.example/p", "software_id": "s",
            "software_version": "1", "redirect_uris": ["https://c.example/cb"], "scope": OB + "credential.upsert"}
    body.update(changes)
    return _record("POST", "/auth/register", body={k: v for k, v in body.items() if v is not None},
                   content_type="application/json", status=201)


def _authorize(**changes: str) -> WireRecord:
    query = {"response_type": "code", "client_id": "x", "scope": OB + "credential.upsert", "state": "s",
             "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "code_challenge_method": "S256"}
    query.update(changes)
    return _record("GET", "/auth/authorize", status=302, query={k: v for k, v in query.items() if v})


def test_obapi_13_accepts_a_complete_registration() -> None:
    assert checks.consumer_registers_with_required_members([_registration()]).status is Status.PASSED


@pytest.mark.parametrize(("changes", "seen"), [({"software_id": None}, "software_id is missing"),
                                               ({"redirect_uris": "https://c.example/cb"}, "not an array"),
                                               ({"tos_uri": "https://elsewhere.example/t"}, "not all on one host"),
                                               ({"x_consumer_features": ["bulk"]},
                                                "nor RFC 7591 defines: x_consumer_features")])
def test_obapi_13_rejects_a_registration_lacking(changes: dict[str, Any], seen: str) -> None:
    result = checks.consumer_registers_with_required_members([_registration(**changes)])
    assert result.status is Status.FAILED and seen in result.message


def test_obapi_13_takes_rfc_7591_members_and_language_tags() -> None:
    result = checks.consumer_registers_with_required_members([_registration(**{
        "jwks_uri": "https://c.example/jwks", "client_name#de": "Rucksack", "contacts": ["ops@c.example"]})])
    assert result.status is Status.PASSED, result.message


def test_obapi_13_rejects_no_registration_and_no_discovery() -> None:
    assert checks.consumer_registers_with_required_members([]).status is Status.FAILED
    assert checks.consumer_reads_the_service_description([]).status is Status.FAILED
    assert checks.consumer_reads_the_service_description([_record("GET", "/discovery")]).status is Status.PASSED


@pytest.mark.parametrize(("changes", "verdict"), [({}, Status.PASSED), ({"code_challenge": ""}, Status.FAILED),
                                                  ({"code_challenge_method": "plain"}, Status.FAILED),
                                                  ({"state": ""}, Status.FAILED)])
def test_obapi_13_pkce_and_state(changes: dict[str, str], verdict: Status) -> None:
    assert checks.consumer_authorizes_with_pkce_s256_and_state([_authorize(**changes)]).status is verdict


@pytest.mark.parametrize(("scope", "verdict"), [(OB + "credential.upsert", Status.PASSED),
                                                (f"{OB}credential.upsert {OB}profile.update", Status.FAILED),
                                                (OB + "credential.readonly", Status.FAILED)])
def test_obapi_13_exactly_the_needed_scopes(scope: str, verdict: Status) -> None:
    result = checks.consumer_asks_only_the_scopes_it_needs([_authorize(scope=scope)], [OB + "credential.upsert"], "write")
    assert result.status is verdict


@pytest.mark.parametrize(("form", "status", "verdict"), [
    ({"grant_type": "authorization_code", "code": "[REDACTED]", "code_verifier": "[REDACTED]"}, 200, Status.PASSED),
    ({"grant_type": "authorization_code", "code": "[REDACTED]"}, 200, Status.FAILED),
    ({"grant_type": "authorization_code", "code": "c", "code_verifier": "v", "client_secret": "x"}, 200, Status.FAILED),
    ({"grant_type": "authorization_code", "code": "c", "code_verifier": "v"}, 401, Status.FAILED),
])
def test_obapi_13_token_request(form: dict[str, str], status: int, verdict: Status) -> None:
    record = _record("POST", "/auth/token", body=form, content_type="application/x-www-form-urlencoded", status=status)
    assert checks.consumer_redeems_the_code_with_its_verifier([record]).status is verdict


JWS = "eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJ4In0.c2ln"


@pytest.mark.parametrize(("body", "ctype", "fmt", "verdict"), [
    (JWS.encode(), "text/plain", "jwt", Status.PASSED),
    (json.dumps({"type": ["VerifiableCredential"], "proof": {}}).encode(), "application/vc+ld+json", "ldp_vc", Status.PASSED),
    (json.dumps(JWS).encode(), "application/json", "jwt", Status.FAILED),
    (JWS.encode(), "application/json", "jwt", Status.FAILED),
    (json.dumps({"type": ["VerifiableCredential"]}).encode(), "text/plain", "ldp_vc", Status.FAILED),
    (JWS.encode(), "text/plain", "ldp_vc", Status.FAILED),
])
def test_lco_01_content_type(body: bytes, ctype: str, fmt: str, verdict: Status) -> None:
    record = _record("POST", "/credentials", body=body, content_type=ctype, status=201)
    assert checks.upsert_content_type_fits_the_credential(record, fmt).status is verdict


def test_lco_01_type_and_presence() -> None:
    assert checks.consumer_upserts_a_credential([]).status is Status.FAILED
    types = {"OpenBadgeCredential", "AchievementCredential"}
    assert checks.upserted_credential_is_of_the_api_type({"type": ["VerifiableCredential", "OpenBadgeCredential"]},
                                                         types).status is Status.PASSED
    assert checks.upserted_credential_is_of_the_api_type({"type": ["ClrCredential"]}, types).status is Status.FAILED
    assert checks.upserted_credential_is_of_the_api_type(None, types).status is Status.FAILED


def test_lco_02_every_next_link() -> None:
    served = [f"http://h{BASE}/credentials?limit=2&offset=2", f"http://h{BASE}/credentials?offset=4&limit=2"]
    pages = [_record("GET", "/credentials", query={"limit": "2", "offset": str(o)}) for o in (0, 2, 4)]
    assert checks.consumer_follows_every_next_link(served, pages).status is Status.PASSED
    result = checks.consumer_follows_every_next_link(served, pages[:2])
    assert result.status is Status.FAILED and "did not follow 1 of the 2" in result.message
    assert checks.consumer_follows_every_next_link(served, []).status is Status.FAILED
    assert checks.consumer_reads_the_profile([_record("GET", "/profile")]).status is Status.PASSED
    assert checks.consumer_reads_the_profile([]).status is Status.FAILED


def _refresh_story(retries: int, refresh: bool) -> tuple[WireRecord, list[WireRecord], list[WireRecord]]:
    refusal = _record("GET", "/credentials", status=401, token="old")
    resources = [refusal] + [_record("GET", "/credentials", status=401, token="old") for _ in range(retries)]
    tokens = [_record("POST", "/auth/token", body={"grant_type": "refresh_token"},
                      content_type="application/x-www-form-urlencoded")] if refresh else []
    if refresh:
        resources.append(_record("GET", "/credentials", token="new"))
    return refusal, tokens, resources


def test_lco_03_accepts_one_refresh() -> None:
    story = _refresh_story(0, True)
    assert checks.consumer_gets_a_new_token_after_401(*story).status is Status.PASSED
    assert checks.consumer_does_not_retry_in_a_loop(*story).status is Status.PASSED


def test_lco_03_rejects_a_retry_loop() -> None:
    story = _refresh_story(5, False)
    assert checks.consumer_gets_a_new_token_after_401(*story).status is Status.FAILED
    result = checks.consumer_does_not_retry_in_a_loop(*story)
    assert result.status is Status.FAILED and "5 more time(s)" in result.message
    assert checks.consumer_does_not_retry_in_a_loop(*_refresh_story(1, True)).status is Status.PASSED


def test_lco_03_rejects_a_refresh_loop() -> None:
    refusal, tokens, resources = _refresh_story(0, True)
    tokens = tokens * 3
    assert checks.consumer_does_not_retry_in_a_loop(refusal, tokens, resources).status is Status.FAILED
