"""The OB 3.0 API consumer client: what it sends, what it records (secrets never in evidence),
and how it stops on hostile paging (endless, cyclic, off-host next; huge pages). Traffic goes
only through respx."""
from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
import respx

from lerconf.clients.http import VendorClient
from lerconf.clients.obapi import ObApiClient, ObApiTarget
from lerconf.errors import LerconfError
from lerconf.exchange import Exchange
from lerconf.outcome import Outcome
from lerconf.profile.load import parse_profile
from lerconf.protocol.obapi import CLR_API, OB_API, registration_request

BASE = "http://127.0.0.1:8998"
API = f"{BASE}/ims/ob/v3p0"
CB = "http://127.0.0.1:8998/cb"
SECRET = "client-secret-0123456789"
ACCESS = "access-token-abcdefghij"
REFRESH = "refresh-token-klmnopqrst"
CODE = "auth-code-uvwxyz0123"


def sdd() -> dict[str, Any]:
    return {"openapi": "3.0.1", "info": {"title": "Host", "termsOfService": f"{BASE}/terms"},
            "components": {"securitySchemes": {"OAuth2ACG": {
                "type": "oauth2", "x-imssf-registrationUrl": f"{BASE}/register",
                "flows": {"authorizationCode": {"authorizationUrl": f"{BASE}/authorize", "tokenUrl": f"{BASE}/token",
                                                "refreshUrl": f"{BASE}/refresh", "scopes": {s: "" for s in OB_API.scopes}}}}}}}


@pytest.fixture
def recorded() -> list[Exchange]:
    return []


@pytest.fixture
def http(recorded: list[Exchange]) -> Iterator[VendorClient]:
    profile = parse_profile({"name": "host", "verifier": {"verify_credential_url": f"{BASE}/verify"}}, "host.yaml")
    client = VendorClient(profile, recorder=recorded.append, max_response_bytes=64 * 1024)
    yield client
    client.close()


@pytest.fixture
def ob(http: VendorClient) -> ObApiClient:
    return ObApiClient(http, ObApiTarget(base_url=BASE, redirect_uri=CB, client_uri=BASE,
                                         revocation_url=f"{BASE}/revoke"))


def evidence(recorded: list[Exchange]) -> str:
    return json.dumps([e.to_evidence() for e in recorded]) + "".join(repr(e) for e in recorded)


def registered(ob: ObApiClient, mock: respx.MockRouter) -> None:
    mock.get(f"{API}/discovery").respond(200, json=sdd())
    mock.post(f"{BASE}/register").respond(201, json={"client_id": "c1", "client_secret": SECRET,
                                                     "client_id_issued_at": 1, "client_secret_expires_at": 0})
    ob.discovery()
    ob.register(registration_request(client_uri=BASE, redirect_uris=[CB], scopes=OB_API.scopes))


def with_token(ob: ObApiClient, mock: respx.MockRouter) -> None:
    registered(ob, mock)
    mock.post(f"{BASE}/token").respond(200, json={"access_token": ACCESS, "token_type": "Bearer",
                                                  "refresh_token": REFRESH, "scope": OB_API.scopes[0]})
    ob.exchange_code(CODE, "v" * 43)


# -- discovery, registration, tokens ----------------------------------------------------------------
@respx.mock
def test_discovery_is_asked_without_credentials_and_parsed(ob: ObApiClient) -> None:
    route = respx.get(f"{API}/discovery").respond(200, json=sdd())
    answer = ob.discovery()
    assert answer.outcome is Outcome.ACCEPTED and "authorization" not in route.calls.last.request.headers
    assert ob.description is not None and ob.description.token_url == f"{BASE}/token"


@respx.mock
def test_registration_keeps_the_secret_out_of_evidence(ob: ObApiClient, recorded: list[Exchange]) -> None:
    registered(ob, respx.mock)
    sent = json.loads(respx.calls.last.request.content)
    assert sent["redirect_uris"] == [CB] and "authorization" not in respx.calls.last.request.headers
    assert ob.tokens.client_id == "c1" and ob.tokens.client_secret == SECRET
    assert SECRET not in evidence(recorded) and SECRET not in repr(ob.tokens)


@respx.mock
def test_authorization_code_flow_with_pkce_and_client_secret_basic(ob: ObApiClient, recorded: list[Exchange]) -> None:
    registered(ob, respx.mock)
    start = ob.start_authorization(OB_API.scopes[:1])
    respx.get(url__startswith=f"{BASE}/authorize").respond(302, headers={"Location": f"{CB}?code={CODE}&state={start.state}"})
    response = ob.authorize(start)
    assert response.code == CODE and response.params["state"] == start.state
    query = parse_qs(respx.calls[-1].request.url.query.decode())
    assert query["code_challenge_method"] == ["S256"] and query["client_id"] == ["c1"]
    token = respx.post(f"{BASE}/token").respond(200, json={"access_token": ACCESS, "token_type": "Bearer",
                                                           "refresh_token": REFRESH, "scope": OB_API.scopes[0]})
    assert start.pkce is not None
    answer = ob.exchange_code(CODE, start.pkce.verifier)
    request = token.calls.last.request
    assert request.headers["authorization"] == "Basic " + base64.b64encode(f"c1:{SECRET}".encode()).decode()
    form = parse_qs(request.content.decode())
    assert form["code_verifier"] == [start.pkce.verifier] and form["grant_type"] == ["authorization_code"]
    assert answer.outcome is Outcome.ACCEPTED and ob.tokens.access_token == ACCESS and ob.tokens.refresh_token == REFRESH
    text = evidence(recorded)
    assert len(recorded) == 4 and "/token" in text  # discovery, register, authorize, token
    for secret in (SECRET, ACCESS, REFRESH, CODE, start.pkce.verifier):
        assert secret not in text


@respx.mock
def test_token_endpoint_redirect_to_another_host_is_not_followed(ob: ObApiClient, recorded: list[Exchange]) -> None:
    registered(ob, respx.mock)
    elsewhere = respx.post("https://evil.example/token").respond(200, json={"access_token": "x" * 20})
    respx.post(f"{BASE}/token").respond(307, headers={"Location": "https://evil.example/token"})
    answer = ob.exchange_code(CODE, "v" * 43)
    assert answer.outcome is Outcome.MALFORMED_RESPONSE and answer.exchange.status == 307
    assert not elsewhere.called and ob.tokens.access_token is None
    assert SECRET not in evidence(recorded)


@respx.mock
def test_refresh_and_revoke_send_their_tokens_only_to_their_endpoints(ob: ObApiClient, recorded: list[Exchange]) -> None:
    with_token(ob, respx.mock)
    refresh = respx.post(f"{BASE}/refresh").respond(200, json={"access_token": "new-access-token-1", "token_type": "Bearer"})
    assert ob.refresh().outcome is Outcome.ACCEPTED
    assert parse_qs(refresh.calls.last.request.content.decode())["refresh_token"] == [REFRESH]
    assert ob.tokens.access_token == "new-access-token-1" and ob.tokens.refresh_token == REFRESH
    revoke = respx.post(f"{BASE}/revoke").respond(200)
    assert ob.revoke().outcome is Outcome.ACCEPTED  # RFC 7009: an empty 200 is success
    form = parse_qs(revoke.calls.last.request.content.decode())
    assert form == {"token": ["new-access-token-1"], "token_type_hint": ["access_token"]}
    assert revoke.calls.last.request.headers["authorization"].startswith("Basic ")
    text = evidence(recorded)
    assert "new-access-token-1" not in text and REFRESH not in text


def test_calls_that_need_earlier_steps_say_so(ob: ObApiClient) -> None:
    with pytest.raises(LerconfError, match="registration URL"):
        ob.register({})
    with pytest.raises(LerconfError, match="registered client"):
        ob.start_authorization(OB_API.scopes)
    with pytest.raises(LerconfError, match="refresh token"):
        ob.refresh()


# -- resources ----------------------------------------------------------------------------------------
def page_body(n: int) -> dict[str, Any]:
    return {"credential": [{"id": f"urn:uuid:{i}", "issuer": {"id": "https://i"}} for i in range(n)]}


@respx.mock
def test_get_credentials_sends_paging_and_token_and_reads_headers(ob: ObApiClient) -> None:
    with_token(ob, respx.mock)
    link = f'<{API}/credentials?limit=2&offset=2>; rel="next", <{API}/credentials?limit=2&offset=0>; rel="first", ' \
           f'<{API}/credentials?limit=2&offset=2>; rel="last"'
    route = respx.get(url__startswith=f"{API}/credentials").respond(200, json={**page_body(2), "compactJwsString": ["a.b.c"]},
                                                                      headers={"X-Total-Count": "3", "Link": link})
    page = ob.get_credentials(limit=2, offset=0, since="2024-01-01T00:00:00Z")
    request = route.calls.last.request
    assert parse_qs(request.url.query.decode()) == {"limit": ["2"], "offset": ["0"], "since": ["2024-01-01T00:00:00Z"]}
    assert request.headers["authorization"] == f"Bearer {ACCESS}"
    assert page.total_count == 3 and page.size == 3 and page.compact_jws == ["a.b.c"]
    assert page.links.get("next") == f"{API}/credentials?limit=2&offset=2"
    ob.get_credentials(anonymous=True)
    assert "authorization" not in route.calls.last.request.headers
    ob.get_credentials(token="wrong-scope-token")
    assert route.calls.last.request.headers["authorization"] == "Bearer wrong-scope-token"


def _pages(mock: respx.MockRouter, next_of: Any, total: int | None = None) -> respx.Route:
    def answer(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params.get("offset", "0"))
        target = next_of(offset)
        headers = {"Link": f'<{API}/credentials?limit=2&offset=0>; rel="first"'
                           + (f', <{target}>; rel="next"' if target else "")}
        if total is not None:
            headers["X-Total-Count"] = str(total)
        return httpx.Response(200, json=page_body(2), headers=headers)
    return mock.get(url__startswith=f"{API}/credentials").mock(side_effect=answer)


@respx.mock
def test_walk_follows_next_to_the_end(ob: ObApiClient) -> None:
    with_token(ob, respx.mock)
    _pages(respx.mock, lambda o: f"{API}/credentials?limit=2&offset={o + 2}" if o < 4 else None, total=6)
    walk = ob.walk_pages(2)
    assert walk.problem is None and len(walk.pages) == 3 and walk.walked == 6 and len(walk.credentials) == 6


@respx.mock
def test_walk_stops_an_endless_next(ob: ObApiClient) -> None:
    with_token(ob, respx.mock)
    route = _pages(respx.mock, lambda o: f"{API}/credentials?limit=2&offset={o + 2}")
    walk = ob.walk_pages(2, max_pages=7)
    assert walk.problem is not None and "more than 7 pages" in walk.problem
    assert route.call_count == 7


@respx.mock
def test_walk_stops_a_cyclic_next(ob: ObApiClient) -> None:
    with_token(ob, respx.mock)
    # page 2 points back to page 1, written with its parameters in another order
    route = _pages(respx.mock, lambda o: f"{API}/credentials?limit=2&offset=2" if o == 0 else f"{API}/credentials?offset=0&limit=2")
    walk = ob.walk_pages(2)
    assert walk.problem is not None and "cycle" in walk.problem and route.call_count == 2


@respx.mock
def test_walk_does_not_follow_next_to_another_host(ob: ObApiClient) -> None:
    with_token(ob, respx.mock)
    _pages(respx.mock, lambda o: "https://evil.example/ims/ob/v3p0/credentials?offset=2")
    walk = ob.walk_pages(2)
    assert walk.problem is not None and "leaves the host" in walk.problem and len(walk.pages) == 1


@respx.mock
def test_walk_stops_on_a_huge_page(ob: ObApiClient) -> None:
    with_token(ob, respx.mock)
    respx.get(url__startswith=f"{API}/credentials").respond(200, json={"credential": [{"id": "x" * 100}] * 2000})
    walk = ob.walk_pages(2)
    assert walk.pages[0].answer.outcome is Outcome.TRANSPORT_ERROR
    assert walk.problem is not None and "exceeded" in walk.problem


@respx.mock
def test_upsert_sends_json_with_the_right_or_a_deliberately_wrong_type(ob: ObApiClient) -> None:
    with_token(ob, respx.mock)
    credential = {"id": "urn:uuid:1", "issuer": {"id": "https://i"}}
    route = respx.post(f"{API}/credentials").respond(201, json=credential)
    answer = ob.upsert(credential)
    request = route.calls.last.request
    assert answer.outcome is Outcome.ACCEPTED and answer.exchange.status == 201
    assert request.headers["content-type"] == "application/vc+ld+json" and json.loads(request.content) == credential
    ob.upsert(credential, content_type="application/xml")
    assert route.calls.last.request.headers["content-type"] == "application/xml"


@respx.mock
def test_upsert_sends_a_compact_jws_as_text_and_accepts_the_text_echo(ob: ObApiClient, recorded: list[Exchange]) -> None:
    with_token(ob, respx.mock)
    jws = "eyJhbGciOiJFZERTQSJ9.eyJ2YyI6e319.c2lnbmF0dXJl"
    route = respx.post(f"{API}/credentials").respond(201, text=jws, headers={"Content-Type": "text/plain; charset=utf-8"})
    answer = ob.upsert(jws)
    request = route.calls.last.request
    assert request.headers["content-type"] == "text/plain" and request.content == jws.encode()
    assert answer.outcome is Outcome.ACCEPTED and answer.body == jws
    assert recorded[-1].request_body == jws and ACCESS not in evidence(recorded)


@respx.mock
def test_upsert_of_json_as_text_plain_sends_the_json_text(ob: ObApiClient) -> None:
    with_token(ob, respx.mock)
    credential = {"id": "urn:uuid:1", "issuer": {"id": "https://i"}}
    route = respx.post(f"{API}/credentials").respond(415, json={"imsx_codeMajor": "failure", "imsx_severity": "error"})
    ob.upsert(credential, content_type="text/plain")
    request = route.calls.last.request
    assert request.headers["content-type"] == "text/plain" and json.loads(request.content) == credential


@respx.mock
def test_profile_get_and_put(ob: ObApiClient) -> None:
    with_token(ob, respx.mock)
    profile = {"id": "https://h/p", "type": "Profile", "name": "P"}
    get = respx.get(f"{API}/profile").respond(200, json=profile)
    put = respx.put(f"{API}/profile").respond(202, json={"imsx_codeMajor": "processing", "imsx_severity": "status"})
    assert ob.get_profile().body == profile and get.calls.last.request.headers["authorization"] == f"Bearer {ACCESS}"
    assert ob.put_profile(profile).exchange.status == 202
    assert json.loads(put.calls.last.request.content) == profile


# -- against lerconf's own reference host (loopback) ---------------------------------------------------
@pytest.fixture(params=[OB_API, CLR_API], ids=["ob", "clr"])
def ref_host(ref: Any, request: pytest.FixtureRequest) -> Iterator[ObApiClient]:
    base = str(ref.base_url).rstrip("/")
    profile = parse_profile({"name": "ref", "verifier": {"verify_credential_url": f"{base}/verify"}}, "ref.yaml")
    http = VendorClient(profile)
    yield ObApiClient(http, ObApiTarget(base_url=base, redirect_uri="http://127.0.0.1:9/callback",
                                        client_uri="http://127.0.0.1:9/", api=request.param))
    http.close()


def test_reference_host_round_trip(ref_host: ObApiClient, loader: Any) -> None:
    """lerconf's consumer and checks against lerconf's own host, both APIs: every check passes."""
    from lerconf.checks import obapi as checks
    from lerconf.results import Status

    ob, api = ref_host, ref_host.api
    found = ob.discovery()
    results = [checks.discovery_answers_without_credentials(found.exchange.status),
               checks.service_description_has_openapi_info(found.body),
               checks.service_description_offers_authorization_code(found.body, api)]
    request = registration_request(client_uri="http://127.0.0.1:9/", redirect_uris=["http://127.0.0.1:9/callback"],
                                   scopes=api.scopes)
    reg = ob.register(request)
    results += [checks.registration_answer_has_client_credentials(reg.exchange.status, reg.body),
                checks.registration_answer_echoes_metadata(request, reg.body)]
    start = ob.start_authorization(api.scopes)
    response = ob.authorize(start)
    assert response.problem is None, response.problem
    results.append(checks.authorization_returns_code_and_state(response.params, start.state))
    assert response.code is not None and start.pkce is not None
    token = ob.exchange_code(response.code, start.pkce.verifier)
    results += [checks.token_answer_is_bearer(token.exchange.status, token.body),
                checks.token_answer_states_granted_scope(token.body, api.scopes)]
    page = ob.get_credentials(limit=2, offset=0)
    results += [checks.credentials_answer_lists_credentials(page.answer.exchange.status, page.answer.body),
                checks.credentials_answer_matches_schema(page.answer.body, loader=loader, api=api)]
    walk = ob.walk_pages(2)
    assert walk.problem is None, walk.problem
    assert walk.credentials and (api is CLR_API or len(walk.pages) >= 2)  # OB is seeded over pages: paging is judged
    offset = 0
    for p in walk.pages:
        link = p.answer.header("link")
        results += [checks.paging_link_has_first_and_last(link, offset=offset, returned=p.size, total=walk.walked),
                    checks.paging_link_has_next_while_incomplete(link, offset=offset, returned=p.size, total=walk.walked),
                    checks.paging_link_has_prev_after_offset(link, offset=offset)]
        offset += p.size
    results.append(checks.paging_total_count_matches_walk(walk.pages[0].total_count_raw, walk.walked))
    anonymous = ob.get_credentials(anonymous=True)
    results += [checks.call_without_valid_token_is_401(anonymous.answer.exchange.status),
                checks.error_body_is_imsx_status_info(anonymous.answer.body, loader=loader, api=api)]
    profile = ob.get_profile()
    results.append(checks.get_profile_status_is_200_or_404(profile.exchange.status))
    if profile.exchange.status == 200:
        results.append(checks.profile_matches_schema(profile.body, loader=loader, api=api))
    again = walk.credentials[0]
    upserted = ob.upsert(again)  # the same credential again: replaced
    results += [checks.upsert_status_says_created_or_replaced(upserted.exchange.status, new=False),
                checks.upsert_answer_echoes_credential(again, upserted.body, upserted.header("content-type")),
                checks.read_back_equals_upserted(again, ob.walk_pages(50).credentials)]
    wrong = [r for r in results if r.status not in (Status.PASSED, Status.NOT_APPLICABLE)]
    assert not wrong, [(r.requirement, r.message) for r in wrong]


def test_reference_host_refusals(ref: Any, loader: Any) -> None:
    """The negatives against lerconf's own host: each refusal check passes on what it answered."""
    from lerconf.checks import obapi as checks
    from lerconf.results import Status

    base = str(ref.base_url).rstrip("/")
    profile = parse_profile({"name": "ref", "verifier": {"verify_credential_url": f"{base}/verify"}}, "ref.yaml")
    http = VendorClient(profile)
    try:
        ob = ObApiClient(http, ObApiTarget(base_url=base, redirect_uri="http://127.0.0.1:9/callback",
                                           client_uri="http://127.0.0.1:9/", revocation_url=f"{base}/ims/ob/v3p0/auth/revoke"))
        ob.discovery()
        request = registration_request(client_uri="http://127.0.0.1:9/", redirect_uris=["http://127.0.0.1:9/callback"],
                                       scopes=OB_API.scopes)
        incomplete = ob.register({k: v for k, v in request.items() if k != "software_id"})
        results = [checks.registration_refusal_is_rfc7591_error(incomplete.exchange.status, incomplete.body)]
        ob.register(request)
        read_only = OB_API.scopes[:1]
        no_pkce = ob.authorize(ob.start_authorization(read_only, with_pkce=False))
        results.append(checks.authorization_without_pkce_is_refused(no_pkce.params))
        start = ob.start_authorization(read_only)
        code = ob.authorize(start).code
        assert code is not None and start.pkce is not None
        wrong = ob.exchange_code(code, "w" * 64)
        results.append(checks.token_refusal_is_400_json(wrong.exchange.status, wrong.header("content-type"), wrong.body))
        start = ob.start_authorization(read_only)
        code = ob.authorize(start).code
        assert code is not None and start.pkce is not None
        first = ob.exchange_code(code, start.pkce.verifier)
        results.append(checks.token_answer_has_refresh_token_when_claimed(first.body, True))
        reused = ob.exchange_code(code, start.pkce.verifier)
        results.append(checks.authorization_code_reuse_is_refused(reused.exchange.status, reused.body))
        start = ob.start_authorization(read_only)  # a reused code revokes its tokens (RFC 6749 §4.1.2): a fresh grant
        code = ob.authorize(start).code
        assert code is not None and start.pkce is not None
        assert ob.exchange_code(code, start.pkce.verifier).outcome is Outcome.ACCEPTED
        put = ob.put_profile({"type": "Profile", "id": "https://x.example/p", "name": "P"})
        results += [checks.call_without_operation_scope_is_403(put.exchange.status),
                    checks.error_status_is_4xx(put.exchange.status),
                    checks.error_body_is_imsx_status_info(put.body, loader=loader)]
        previous = ob.tokens.access_token
        assert previous is not None
        refreshed = ob.refresh()
        results.append(checks.refresh_gives_new_access_token(refreshed.exchange.status, refreshed.body, previous))
        ob.revoke()
        after = ob.get_credentials()
        results.append(checks.revoked_token_is_refused(after.answer.exchange.status))
    finally:
        http.close()
    wrong_results = [r for r in results if r.status is not Status.PASSED]
    assert not wrong_results, [(r.requirement, r.message) for r in wrong_results]


@respx.mock
def test_vendor_client_records_raw_content_redacted_and_accepts_text_only_when_asked(
        http: VendorClient, recorded: list[Exchange]) -> None:
    from lerconf.redact import SECRETS

    SECRETS.add("raw-secret-value-42")
    respx.post(f"{BASE}/raw").respond(200, text="plain answer", headers={"Content-Type": "text/plain"})
    strict = http.request("POST", f"{BASE}/raw", content=b"body with raw-secret-value-42", with_auth=False,
                          headers={"Content-Type": "text/plain"})
    assert strict.outcome is Outcome.MALFORMED_RESPONSE  # a 2xx text answer is malformed unless asked for
    assert strict.request_body == "body with [REDACTED]" and respx.calls.last.request.content == b"body with raw-secret-value-42"
    lenient = http.request("POST", f"{BASE}/raw", content="text", with_auth=False, accept_text=True)
    assert lenient.outcome is Outcome.ACCEPTED and lenient.body_text == "plain answer"
    respx.post(f"{BASE}/html").respond(200, text="<html/>", headers={"Content-Type": "text/html"})
    assert http.request("POST", f"{BASE}/html", accept_text=True, with_auth=False).outcome is Outcome.MALFORMED_RESPONSE
