"""VendorClient: every vendor call is bounded, classified and recorded with secrets redacted.

Traffic goes only through respx or to loopback sockets this module opens itself. netguard's
system resolver is replaced for the whole module, so no test can resolve or reach a real host.
"""
from __future__ import annotations

import gzip
import itertools
import json
import socket
import threading
import time
import tracemalloc
import uuid
import zlib
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
import respx

from lerconf.clients import http as http_module
from lerconf.clients.http import MAX_ANSWER_DEPTH, MAX_REDIRECTS, Timeouts, VendorClient
from lerconf.documents import netguard
from lerconf.errors import ProfileError
from lerconf.exchange import EVIDENCE_BODY_LIMIT, Exchange
from lerconf.outcome import Outcome, classify_status
from lerconf.profile.load import VendorProfile, parse_profile
from lerconf.redact import REDACTED

HOST = "vendor.test"
BASE = f"https://{HOST}"
ISSUE = f"{BASE}/credentials/issue"
VERIFY = f"{BASE}/credentials/verify"
STATUS = f"{BASE}/status/1"
TOKEN_URL = "http://127.0.0.1:9000/oauth/token"  # loopback on purpose: the profile naming it must allow it

JSON = {"Content-Type": "application/json"}
PROBLEM = {"Content-Type": "application/problem+json"}


def make_profile(auth: dict[str, Any] | None = None, **top: Any) -> VendorProfile:
    data: dict[str, Any] = {
        "name": "Acme",
        "issuer": {"id": f"did:web:{HOST}", "issue_url": ISSUE, "status_url": STATUS},
        "verifier": {"verify_credential_url": VERIFY},
        **top,
    }
    if auth is not None:
        data["auth"] = auth
    return parse_profile(data, "vendors/acme.yaml")


def unique_secret(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex}"


@pytest.fixture(autouse=True)
def dns(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A fake DNS for netguard: names map to addresses here, any other lookup fails the test."""
    table: dict[str, str] = {}

    def getaddrinfo(host: str, port: int, *args: Any, **kwargs: Any) -> list[tuple[Any, ...]]:
        if host not in table:
            raise AssertionError(f"unexpected DNS lookup of {host}")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (table[host], port))]

    monkeypatch.setattr(netguard, "socket", SimpleNamespace(getaddrinfo=getaddrinfo, SOCK_STREAM=socket.SOCK_STREAM))
    return table


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False, assert_all_mocked=True) as router:
        yield router


Factory = Callable[..., VendorClient]


class RouterTransport(httpx.BaseTransport):
    """The respx router behind the client's transport seam.

    Like respx's own mocker it hands over a fresh response around the mocked raw stream, so the
    client reads it with iter_raw() as it would read the network; and it spares each client the TLS
    context httpx would otherwise build (about 0.1 s a client).
    """

    def __init__(self, router: respx.MockRouter) -> None:
        self.router = router

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        mocked = self.router.handler(request)
        return httpx.Response(mocked.status_code, headers=mocked.headers, stream=mocked.stream, request=request)


def _factory(transport: Callable[[], httpx.BaseTransport | None]) -> Iterator[Factory]:
    clients: list[VendorClient] = []

    def factory(profile: VendorProfile | None = None, **kwargs: Any) -> VendorClient:
        kwargs.setdefault("transport", transport())
        client = VendorClient(profile or make_profile(), **kwargs)
        clients.append(client)
        return client

    yield factory
    for client in clients:
        client.close()


@pytest.fixture
def make_client(mock: respx.MockRouter) -> Iterator[Factory]:
    """Clients whose transport is the respx router (the transport seam; no TLS context to build)."""
    yield from _factory(lambda: RouterTransport(mock))


@pytest.fixture
def loopback_client() -> Iterator[Factory]:
    """Clients with httpx's real transport, for the tests that open loopback sockets themselves."""
    yield from _factory(lambda: None)


class FakeClock:
    """Stands in for the time module inside lerconf.clients.http: sleeping advances it."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(http_module, "time", fake)
    return fake


# -- classification ------------------------------------------------------------------------------

def test_201_json_is_accepted(mock: respx.MockRouter, make_client: Factory) -> None:
    route = mock.post(ISSUE).mock(return_value=httpx.Response(201, json={"id": "urn:uuid:1"}))
    ex = make_client().post_json(ISSUE, {"credential": {"type": ["VerifiableCredential"]}})
    assert ex.outcome is Outcome.ACCEPTED
    assert (ex.status, ex.json, ex.reason) == (201, {"id": "urn:uuid:1"}, "HTTP 201")
    sent = route.calls.last.request
    assert json.loads(sent.content) == {"credential": {"type": ["VerifiableCredential"]}}
    assert sent.headers["Accept"] == "application/json"
    assert ex.request_body == {"credential": {"type": ["VerifiableCredential"]}}


@pytest.mark.parametrize(("status", "body", "reason"), [
    (400, {"type": "about:blank", "title": "Bad Request", "detail": "proof is invalid"}, "HTTP 400: proof is invalid"),
    (422, {"title": "Unprocessable", "detail": "credentialSubject missing"}, "HTTP 422: credentialSubject missing"),
    (400, {"message": "issuer mismatch"}, "HTTP 400: issuer mismatch"),
    (400, {"error": "invalid_request", "error_description": "bad proof"}, "HTTP 400: bad proof"),
    (422, {"errors": ["a", "b"]}, 'HTTP 422: ["a", "b"]'),
])
def test_400_and_422_with_problem_details_are_rejected_with_the_detail(
        mock: respx.MockRouter, make_client: Factory, status: int, body: dict[str, Any], reason: str) -> None:
    mock.post(VERIFY).mock(return_value=httpx.Response(status, json=body, headers=PROBLEM))
    ex = make_client().post_json(VERIFY, {"verifiableCredential": {}})
    assert ex.outcome is Outcome.REJECTED
    assert ex.reason == reason
    assert ex.json == body


def test_rejection_reason_from_a_text_body(mock: respx.MockRouter, make_client: Factory) -> None:
    mock.post(VERIFY).mock(return_value=httpx.Response(400, text="  signature does not verify\n"))
    ex = make_client().post_json(VERIFY, {})
    assert (ex.outcome, ex.reason) == (Outcome.REJECTED, "HTTP 400: signature does not verify")


def test_rejection_without_a_body_says_so(mock: respx.MockRouter, make_client: Factory) -> None:
    mock.post(VERIFY).mock(return_value=httpx.Response(400))
    ex = make_client().post_json(VERIFY, {})
    assert (ex.outcome, ex.reason) == (Outcome.REJECTED, "HTTP 400 without a reason")


@pytest.mark.parametrize("status", [401, 403])
def test_401_and_403_are_auth_errors(mock: respx.MockRouter, make_client: Factory, status: int) -> None:
    mock.post(ISSUE).mock(return_value=httpx.Response(status, json={"error": "invalid_token"}))
    ex = make_client().post_json(ISSUE, {})
    assert ex.outcome is Outcome.AUTH_ERROR
    assert ex.reason == f"HTTP {status}: credentials refused"


@pytest.mark.parametrize("status", [500, 502, 503])
def test_5xx_are_server_errors(mock: respx.MockRouter, make_client: Factory, status: int) -> None:
    mock.post(VERIFY).mock(return_value=httpx.Response(status, json={"detail": "verification failed"}))
    ex = make_client().post_json(VERIFY, {})
    assert ex.outcome is Outcome.SERVER_ERROR
    assert ex.reason == f"HTTP {status} server error"


@pytest.mark.parametrize("status", [404, 405, 409, 415, 429])
def test_other_4xx_are_not_a_rejection(mock: respx.MockRouter, make_client: Factory, status: int) -> None:
    """A missing endpoint or throttling is broken, not a correct rejection of a bad credential."""
    mock.post(VERIFY).mock(return_value=httpx.Response(status, json={"detail": "nope"}))
    ex = make_client().post_json(VERIFY, {})
    assert ex.outcome is Outcome.MALFORMED_RESPONSE
    assert ex.reason.startswith(f"HTTP {status}") and "nope" in ex.reason


def test_classify_status_table() -> None:
    assert [classify_status(s) for s in (200, 201, 204, 299)] == [Outcome.ACCEPTED] * 4
    assert [classify_status(s) for s in (400, 422)] == [Outcome.REJECTED] * 2
    assert [classify_status(s) for s in (401, 403)] == [Outcome.AUTH_ERROR] * 2
    assert [classify_status(s) for s in (500, 504, 599)] == [Outcome.SERVER_ERROR] * 3
    assert [classify_status(s) for s in (100, 302, 404, 429)] == [Outcome.MALFORMED_RESPONSE] * 4


@pytest.mark.parametrize(("exc", "words"), [
    (httpx.ConnectTimeout("timed out"), ("connect timeout", "1.5 s")),
    (httpx.ReadTimeout("timed out"), ("read timeout", "4 s")),
    (httpx.WriteTimeout("timed out"), ("write timeout", "4 s")),
    (httpx.PoolTimeout("timed out"), ("pool timeout",)),
])
def test_timeouts_are_transport_errors_naming_the_timeout(
        mock: respx.MockRouter, make_client: Factory, exc: Exception, words: tuple[str, ...]) -> None:
    route = mock.post(ISSUE).mock(side_effect=exc)
    ex = make_client(timeouts=Timeouts(connect=1.5, read=4.0)).post_json(ISSUE, {})
    assert ex.outcome is Outcome.TRANSPORT_ERROR
    for word in words:
        assert word in ex.reason
    assert route.call_count == 1  # a POST is never retried


def test_connection_refused_is_a_transport_error(mock: respx.MockRouter, make_client: Factory) -> None:
    mock.get(STATUS).mock(side_effect=httpx.ConnectError("[Errno 111] Connection refused"))
    ex = make_client().get_json(STATUS)
    assert ex.outcome is Outcome.TRANSPORT_ERROR
    assert ex.reason == "ConnectError: [Errno 111] Connection refused"


@pytest.mark.parametrize(("body", "ctype"), [
    (b"not json at all", "text/plain"),
    (b"<!doctype html><html><body>Login</body></html>", "text/html; charset=utf-8"),
    (b"{\"truncated\": ", "application/json"),
    (b"", "application/json"),
])
def test_2xx_without_json_is_malformed(mock: respx.MockRouter, make_client: Factory, body: bytes, ctype: str) -> None:
    mock.post(VERIFY).mock(return_value=httpx.Response(200, content=body, headers={"Content-Type": ctype}))
    ex = make_client().post_json(VERIFY, {})
    assert ex.outcome is Outcome.MALFORMED_RESPONSE
    assert ex.reason == f"HTTP 200 but the body is not JSON (Content-Type {ctype})"


def test_2xx_without_content_type_or_body_is_malformed(mock: respx.MockRouter, make_client: Factory) -> None:
    mock.post(VERIFY).mock(return_value=httpx.Response(204))
    ex = make_client().post_json(VERIFY, {})
    assert ex.outcome is Outcome.MALFORMED_RESPONSE
    assert "Content-Type missing" in ex.reason


def test_json_with_the_wrong_content_type_is_malformed(mock: respx.MockRouter, make_client: Factory) -> None:
    # issue 6: a 2xx that does not say it is JSON is not the promised shape, even if it parses
    mock.post(VERIFY).mock(return_value=httpx.Response(200, content=b'{"verified": true}',
                                                       headers={"Content-Type": "text/html"}))
    ex = make_client().post_json(VERIFY, {})
    assert ex.outcome is Outcome.MALFORMED_RESPONSE
    assert ex.json == {"verified": True}
    assert ex.reason == "HTTP 200 with Content-Type text/html, not JSON"


def test_deeply_nested_json_is_malformed_not_a_crash(mock: respx.MockRouter, make_client: Factory) -> None:
    depth = 600  # json.loads takes it; walking it in Python (two frames a level) would not
    mock.post(VERIFY).mock(return_value=httpx.Response(200, content=b"[" * depth + b"]" * depth, headers=JSON))
    ex = make_client().post_json(VERIFY, {})
    assert ex.outcome is Outcome.MALFORMED_RESPONSE
    assert ex.json is None
    assert "nested too deeply" in ex.reason


def test_nesting_is_read_up_to_the_limit_and_not_beyond(mock: respx.MockRouter, make_client: Factory) -> None:
    """The limit holds whatever the answer holds (with nothing to redact, no walk would have noticed)."""
    for depth, outcome in ((MAX_ANSWER_DEPTH, Outcome.ACCEPTED), (MAX_ANSWER_DEPTH + 1, Outcome.MALFORMED_RESPONSE)):
        body = b'{"a":' * (depth - 1) + b"[]" + b"}" * (depth - 1)
        mock.post(VERIFY).mock(return_value=httpx.Response(200, content=body, headers=JSON))
        assert make_client().post_json(VERIFY, {}).outcome is outcome, depth


# -- size caps and decompression ----------------------------------------------------------------

def test_body_over_the_cap_is_a_transport_error(mock: respx.MockRouter, make_client: Factory) -> None:
    mock.get(STATUS).mock(return_value=httpx.Response(200, content=b'"' + b"a" * 5000 + b'"', headers=JSON))
    ex = make_client(max_response_bytes=1000).get_json(STATUS)
    assert ex.outcome is Outcome.TRANSPORT_ERROR
    assert ex.reason == "response body exceeded 1000 byte limit"
    assert ex.status == 200 and ex.json is None


def test_body_of_exactly_the_cap_is_read(mock: respx.MockRouter, make_client: Factory) -> None:
    body = b'"' + b"a" * 998 + b'"'
    mock.get(STATUS).mock(return_value=httpx.Response(200, content=body, headers=JSON))
    ex = make_client(max_response_bytes=1000).get_json(STATUS)
    assert ex.outcome is Outcome.ACCEPTED and ex.json == "a" * 998


def test_default_cap_is_named_in_megabytes(mock: respx.MockRouter, make_client: Factory) -> None:
    mock.get(STATUS).mock(return_value=httpx.Response(200, content=iter([b"0" * (6 << 20)] * 2)))
    ex = make_client().get_json(STATUS)
    assert (ex.outcome, ex.reason) == (Outcome.TRANSPORT_ERROR, "response body exceeded 10 MB limit")


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "GZIP"])
def test_compressed_json_is_decoded(mock: respx.MockRouter, make_client: Factory, encoding: str) -> None:
    payload = json.dumps({"verified": True, "pad": "x" * 5000}).encode()
    body = gzip.compress(payload) if encoding.lower() == "gzip" else zlib.compress(payload)
    mock.get(STATUS).mock(return_value=httpx.Response(200, content=body,
                                                      headers={**JSON, "Content-Encoding": encoding}))
    client = make_client(max_response_bytes=len(payload))
    ex = client.get_json(STATUS)
    assert ex.outcome is Outcome.ACCEPTED
    assert ex.json == {"verified": True, "pad": "x" * 5000}
    assert "gzip" in mock.calls.last.request.headers["Accept-Encoding"]


def _gzip_bomb(decoded: int) -> bytes:
    z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1 << 20)
    return b"".join(z.compress(block) for _ in range(decoded >> 20)) + z.flush()


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    return _gzip_bomb(32 << 20)  # 32 MiB of zeros in about 32 KiB


@pytest.mark.parametrize("chunked", [False, True])
def test_gzip_bomb_stops_at_the_cap_without_decoding_everything(
        mock: respx.MockRouter, make_client: Factory, monkeypatch: pytest.MonkeyPatch,
        gzip_bomb: bytes, chunked: bool) -> None:
    cap = 256 * 1024
    assert len(gzip_bomb) < cap  # small on the wire, huge once decoded
    decoded: list[int] = []
    feed = http_module._Decoder.feed

    def counting_feed(self: Any, data: bytes, budget: int) -> bytes:
        out = feed(self, data, budget)
        decoded.append(len(out))
        return out

    monkeypatch.setattr(http_module._Decoder, "feed", counting_feed)
    # content given as an iterator stays a raw stream (bytes content would be decoded by httpx.Response itself)
    content = (gzip_bomb[i:i + 512] for i in range(0, len(gzip_bomb), 512)) if chunked else iter([gzip_bomb])
    mock.get(STATUS).mock(return_value=httpx.Response(200, content=content,
                                                      headers={**JSON, "Content-Encoding": "gzip"}))
    client = make_client(max_response_bytes=cap)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        ex = client.get_json(STATUS)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert ex.outcome is Outcome.TRANSPORT_ERROR
    assert ex.reason == "response body exceeded 256 KB limit"
    assert sum(decoded) <= cap + 1  # decoding stopped one byte past the cap
    assert peak < 8 * cap  # nowhere near the 32 MiB the bomb expands to
    assert time.perf_counter() - started < 2.0


@pytest.mark.parametrize(("encoding", "body"), [("br", b"\x1b\x00"), ("gzip", b"not gzip at all"),
                                                ("gzip, deflate", b"{}")])
def test_undecodable_body_is_never_accepted(mock: respx.MockRouter, make_client: Factory, encoding: str,
                                            body: bytes) -> None:
    mock.get(STATUS).mock(return_value=httpx.Response(200, content=iter([body]),
                                                      headers={**JSON, "Content-Encoding": encoding}))
    ex = make_client().get_json(STATUS)
    assert ex.outcome is Outcome.TRANSPORT_ERROR
    assert ex.reason.startswith("body could not be read")


def test_total_deadline_stops_a_trickling_body(mock: respx.MockRouter, make_client: Factory, clock: FakeClock) -> None:
    def trickle() -> Iterator[bytes]:
        yield b'{"verified":'
        clock.advance(31)
        yield b" true}"

    mock.post(VERIFY).mock(return_value=httpx.Response(200, content=trickle(), headers=JSON))
    ex = make_client(timeouts=Timeouts(total=30)).post_json(VERIFY, {})
    assert ex.outcome is Outcome.TRANSPORT_ERROR
    assert ex.reason == "total time limit of 30 s exceeded while reading the body"


def test_read_timeout_while_reading_the_body(mock: respx.MockRouter, make_client: Factory) -> None:
    def stalls() -> Iterator[bytes]:
        yield b'{"a"'
        raise httpx.ReadTimeout("timed out")

    mock.get(STATUS).mock(return_value=httpx.Response(200, content=stalls(), headers=JSON))
    ex = make_client(timeouts=Timeouts(read=2.5)).get_json(STATUS)
    assert (ex.outcome, ex.reason) == (Outcome.TRANSPORT_ERROR, "timeout after 2.5 s waiting for the body")


# -- redirects ---------------------------------------------------------------------------------

def test_same_origin_redirect_is_followed_for_get(mock: respx.MockRouter, make_client: Factory) -> None:
    first = mock.get(STATUS).mock(return_value=httpx.Response(302, headers={"Location": "/status/2"}))
    second = mock.get(f"{BASE}/status/2").mock(return_value=httpx.Response(200, json={"ok": 1}))
    ex = make_client().get_json(STATUS)
    assert (ex.outcome, ex.json) == (Outcome.ACCEPTED, {"ok": 1})
    assert first.call_count == 1 and second.call_count == 1
    assert ex.url == STATUS


def test_redirect_to_another_origin_is_not_followed(mock: respx.MockRouter, make_client: Factory) -> None:
    mock.get(STATUS).mock(return_value=httpx.Response(302, headers={"Location": "https://evil.test/steal"}))
    elsewhere = mock.get("https://evil.test/steal").mock(return_value=httpx.Response(200, json={}))
    ex = make_client().get_json(STATUS)
    assert ex.outcome is Outcome.MALFORMED_RESPONSE
    assert ex.reason == "redirect to https://evil.test/steal not followed (other origin)"
    assert ex.status == 302
    assert elsewhere.call_count == 0


@pytest.mark.parametrize("location", [f"http://{HOST}/status/2", f"https://{HOST}:8443/status/2",
                                      "file:///etc/passwd"])
def test_redirect_changing_scheme_or_port_is_not_followed(mock: respx.MockRouter, make_client: Factory,
                                                          location: str) -> None:
    mock.get(STATUS).mock(return_value=httpx.Response(301, headers={"Location": location}))
    ex = make_client().get_json(STATUS)
    assert ex.outcome is Outcome.MALFORMED_RESPONSE
    assert len(mock.calls) == 1


def test_redirect_to_an_allowed_host_is_followed(mock: respx.MockRouter, make_client: Factory) -> None:
    mock.get(STATUS).mock(return_value=httpx.Response(302, headers={"Location": "https://cdn.vendor.test/s/1"}))
    cdn = mock.get("https://cdn.vendor.test/s/1").mock(return_value=httpx.Response(200, json={"list": "x"}))
    ex = make_client(make_profile(allow_redirects_to=["cdn.vendor.test"])).get_json(STATUS)
    assert ex.outcome is Outcome.ACCEPTED and cdn.call_count == 1


@pytest.mark.parametrize("status", [301, 302, 303])
def test_post_redirect_is_not_followed(mock: respx.MockRouter, make_client: Factory, status: int) -> None:
    mock.post(ISSUE).mock(return_value=httpx.Response(status, headers={"Location": "/credentials/issue2"}))
    target = mock.route(url=f"{BASE}/credentials/issue2").mock(return_value=httpx.Response(201, json={}))
    ex = make_client().post_json(ISSUE, {"a": 1})
    assert ex.outcome is Outcome.MALFORMED_RESPONSE
    assert ex.reason == f"HTTP {status} redirect of a POST not followed"
    assert target.call_count == 0


def test_post_307_same_origin_keeps_method_and_body(mock: respx.MockRouter, make_client: Factory) -> None:
    mock.post(ISSUE).mock(return_value=httpx.Response(307, headers={"Location": "/v2/issue"}))
    target = mock.post(f"{BASE}/v2/issue").mock(return_value=httpx.Response(201, json={"id": "x"}))
    ex = make_client().post_json(ISSUE, {"a": 1})
    assert ex.outcome is Outcome.ACCEPTED
    assert json.loads(target.calls.last.request.content) == {"a": 1}


def test_redirect_loop_is_bounded(mock: respx.MockRouter, make_client: Factory) -> None:
    route = mock.get(STATUS).mock(return_value=httpx.Response(302, headers={"Location": STATUS}))
    ex = make_client().get_json(STATUS)
    assert ex.outcome is Outcome.MALFORMED_RESPONSE
    assert ex.reason == f"more than {MAX_REDIRECTS} redirects"
    assert route.call_count == MAX_REDIRECTS + 1


def test_redirect_without_location_is_malformed(mock: respx.MockRouter, make_client: Factory) -> None:
    mock.get(STATUS).mock(return_value=httpx.Response(302))
    ex = make_client().get_json(STATUS)
    assert ex.outcome is Outcome.MALFORMED_RESPONSE and ex.status == 302


# -- never retried -------------------------------------------------------------------------------

@pytest.mark.parametrize("effect", [httpx.Response(503), httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("eof")])
def test_post_is_never_retried(mock: respx.MockRouter, make_client: Factory, effect: Any) -> None:
    route = mock.post(ISSUE)
    if isinstance(effect, Exception):
        route.mock(side_effect=effect)
    else:
        route.mock(return_value=effect)
    ex = make_client().post_json(ISSUE, {})
    assert ex.outcome in (Outcome.SERVER_ERROR, Outcome.TRANSPORT_ERROR)
    assert route.call_count == 1


# -- auth and redaction ----------------------------------------------------------------------------

def test_bearer_token_is_on_the_wire_and_redacted_in_evidence(
        mock: respx.MockRouter, make_client: Factory, monkeypatch: pytest.MonkeyPatch) -> None:
    token = unique_secret("bearer")
    monkeypatch.setenv("ACME_TOKEN", token)
    route = mock.post(ISSUE).mock(return_value=httpx.Response(201, json={"id": "1"}))
    recorded: list[Exchange] = []
    ex = make_client(make_profile({"bearer_token_env": "ACME_TOKEN"}), recorder=recorded.append).post_json(ISSUE, {})
    assert route.calls.last.request.headers["Authorization"] == f"Bearer {token}"
    assert ex.request_headers["Authorization"] == REDACTED
    assert recorded == [ex]
    for text in (repr(ex), json.dumps(ex.to_evidence())):
        assert token not in text
    assert ex.to_evidence()["request"]["headers"]["Authorization"] == REDACTED


def test_header_auth_is_on_the_wire_and_redacted_by_name(
        mock: respx.MockRouter, make_client: Factory, monkeypatch: pytest.MonkeyPatch) -> None:
    key = unique_secret("key")
    monkeypatch.setenv("ACME_KEY", key)
    monkeypatch.setenv("ACME_TENANT", "tenant-42")
    route = mock.get(STATUS).mock(return_value=httpx.Response(200, json={}))
    profile = make_profile({"headers_env": {"X-Vendor-Key": "ACME_KEY", "X-Tenant": "ACME_TENANT"}})
    ex = make_client(profile).get_json(STATUS)
    sent = route.calls.last.request.headers
    assert sent["X-Vendor-Key"] == key and sent["X-Tenant"] == "tenant-42"
    assert ex.request_headers["X-Vendor-Key"] == REDACTED and ex.request_headers["X-Tenant"] == REDACTED
    assert key not in repr(ex) and "tenant-42" not in json.dumps(ex.to_evidence())


def test_token_echoed_by_the_vendor_is_scrubbed(
        mock: respx.MockRouter, make_client: Factory, monkeypatch: pytest.MonkeyPatch) -> None:
    token = unique_secret("echo")
    monkeypatch.setenv("ACME_TOKEN", token)
    body = {"detail": f"token {token} is not allowed to verify", "debug": {"authorization": f"Bearer {token}"}}
    mock.post(VERIFY).mock(return_value=httpx.Response(
        400, json=body, headers={"X-Debug-Auth": f"Bearer {token}", "Set-Cookie": "sid=abc"}))
    ex = make_client(make_profile({"bearer_token_env": "ACME_TOKEN"})).post_json(VERIFY, {"note": token})
    assert ex.outcome is Outcome.REJECTED
    assert ex.reason == f"HTTP 400: token {REDACTED} is not allowed to verify"
    assert ex.json["debug"]["authorization"] == f"Bearer {REDACTED}"
    assert ex.response_headers["x-debug-auth"] == f"Bearer {REDACTED}"
    assert ex.response_headers["set-cookie"] == REDACTED
    assert ex.request_body == {"note": REDACTED}
    for text in (repr(ex), json.dumps(ex.to_evidence()), ex.body_text):
        assert token not in text


def test_a_json_rejection_without_a_reason_field_gives_its_text_scrubbed(
        mock: respx.MockRouter, make_client: Factory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reason falls back on the answer's text (the JSON names none); the text is scrubbed there too,
    although a JSON answer's whole text is no longer scrubbed up front."""
    token = unique_secret("reasonless")
    monkeypatch.setenv("ACME_TOKEN", token)
    mock.post(VERIFY).mock(return_value=httpx.Response(400, json={"seen": f"Bearer {token}"}))
    ex = make_client(make_profile({"bearer_token_env": "ACME_TOKEN"})).post_json(VERIFY, {})
    assert ex.outcome is Outcome.REJECTED
    assert ex.reason == f'HTTP 400: {{"seen":"Bearer {REDACTED}"}}'
    assert token not in json.dumps(ex.to_evidence()) and token not in ex.body_text
    # the reason is cut at 200 characters: scrubbed before the cut, no head of the token is left over
    padded = {"seen": "x" * (200 - len('{"seen":"') - 12) + token}
    mock.post(VERIFY).mock(return_value=httpx.Response(400, json=padded))
    ex = make_client(make_profile({"bearer_token_env": "ACME_TOKEN"})).post_json(VERIFY, {})
    assert token[:12] not in ex.reason, ex.reason


def test_token_straddling_the_evidence_limit_does_not_leak_a_prefix(
        mock: respx.MockRouter, make_client: Factory, monkeypatch: pytest.MonkeyPatch) -> None:
    token = unique_secret("edge")
    monkeypatch.setenv("ACME_TOKEN", token)
    text = "x" * (EVIDENCE_BODY_LIMIT - 10) + token + " trailing"
    mock.post(VERIFY).mock(return_value=httpx.Response(500, text=text))
    ex = make_client(make_profile({"bearer_token_env": "ACME_TOKEN"})).post_json(VERIFY, {})
    assert token[:10] not in ex.body_text
    assert len(ex.body_text) <= EVIDENCE_BODY_LIMIT


@pytest.mark.parametrize(("auth", "variable", "where"), [
    ({"bearer_token_env": "LERCONF_TEST_UNSET_TOKEN"}, "LERCONF_TEST_UNSET_TOKEN", "auth.bearer_token_env"),
    ({"headers_env": {"X-Set": "LERCONF_TEST_SET", "X-Unset": "LERCONF_TEST_UNSET_KEY"}}, "LERCONF_TEST_UNSET_KEY",
     "auth.headers_env.X-Unset"),
    ({"oauth2": {"token_url": TOKEN_URL, "client_id": "c", "client_secret_env": "LERCONF_TEST_UNSET_SECRET"}},
     "LERCONF_TEST_UNSET_SECRET", "auth.oauth2.client_secret_env"),
])
def test_missing_environment_variable_names_the_variable_only(
        make_client: Factory, monkeypatch: pytest.MonkeyPatch, auth: dict[str, Any], variable: str, where: str) -> None:
    set_value = unique_secret("present")
    monkeypatch.setenv("LERCONF_TEST_SET", set_value)
    monkeypatch.delenv(variable, raising=False)
    with pytest.raises(ProfileError) as info:
        make_client(make_profile(auth))
    message = str(info.value)
    assert message == f"vendors/acme.yaml: {where}: environment variable {variable} is not set"
    assert set_value not in message


@pytest.fixture
def oauth_profile(monkeypatch: pytest.MonkeyPatch) -> tuple[VendorProfile, str]:
    secret = unique_secret("client-secret")
    monkeypatch.setenv("ACME_CLIENT_SECRET", secret)
    profile = make_profile({"oauth2": {"token_url": TOKEN_URL, "client_id": "lerconf", "scopes": ["issue", "verify"],
                                       "client_secret_env": "ACME_CLIENT_SECRET"}})
    return profile, secret


def test_oauth2_token_is_fetched_once_and_cached(
        mock: respx.MockRouter, make_client: Factory, oauth_profile: tuple[VendorProfile, str]) -> None:
    profile, secret = oauth_profile
    token = unique_secret("access")
    token_route = mock.post(TOKEN_URL).mock(return_value=httpx.Response(
        200, json={"access_token": token, "token_type": "Bearer", "expires_in": 3600}))
    issue = mock.post(ISSUE).mock(return_value=httpx.Response(201, json={"id": "1"}))
    recorded: list[Exchange] = []
    client = make_client(profile, recorder=recorded.append)  # no allow_private: the profile names the token host

    first = client.post_json(ISSUE, {})
    second = client.post_json(ISSUE, {})

    assert first.outcome is Outcome.ACCEPTED and second.outcome is Outcome.ACCEPTED
    assert token_route.call_count == 1
    form = dict(x.split("=", 1) for x in token_route.calls.last.request.content.decode().split("&"))
    assert form["grant_type"] == "client_credentials" and form["client_id"] == "lerconf"
    assert form["client_secret"] == secret and form["scope"] == "issue+verify"
    assert [c.request.headers["Authorization"] for c in issue.calls] == [f"Bearer {token}"] * 2
    assert [e.url for e in recorded] == [TOKEN_URL, ISSUE, ISSUE]
    assert recorded[0].request_body["client_secret"] == REDACTED
    for ex in recorded:
        for text in (repr(ex), json.dumps(ex.to_evidence())):
            assert token not in text and secret not in text


def test_oauth2_token_is_refetched_after_expiry(
        mock: respx.MockRouter, make_client: Factory, oauth_profile: tuple[VendorProfile, str], clock: FakeClock) -> None:
    tokens = [unique_secret("access1"), unique_secret("access2")]
    token_route = mock.post(TOKEN_URL).mock(side_effect=[
        httpx.Response(200, json={"access_token": t, "expires_in": 600}) for t in tokens])
    issue = mock.post(ISSUE).mock(return_value=httpx.Response(201, json={}))
    client = make_client(oauth_profile[0])

    client.post_json(ISSUE, {})
    clock.advance(500)  # still valid for more than the 30 s margin
    client.post_json(ISSUE, {})
    assert token_route.call_count == 1
    clock.advance(90)  # within 30 s of expiry: fetch a fresh one
    client.post_json(ISSUE, {})
    assert token_route.call_count == 2
    assert [c.request.headers["Authorization"] for c in issue.calls] == [
        f"Bearer {tokens[0]}", f"Bearer {tokens[0]}", f"Bearer {tokens[1]}"]


def test_oauth2_token_failure_is_reported_without_secrets(
        mock: respx.MockRouter, make_client: Factory, oauth_profile: tuple[VendorProfile, str]) -> None:
    profile, secret = oauth_profile
    mock.post(TOKEN_URL).mock(return_value=httpx.Response(401, json={"error": "invalid_client"}))
    issue = mock.post(ISSUE)
    with pytest.raises(ProfileError, match="OAuth2 token request failed: auth_error") as info:
        make_client(profile).post_json(ISSUE, {})
    assert secret not in str(info.value)
    assert issue.call_count == 0


# -- rate limit, budget, circuit breaker ------------------------------------------------------------

def test_rate_limit_spaces_calls(mock: respx.MockRouter, make_client: Factory) -> None:
    sent_at: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent_at.append(time.monotonic())
        return httpx.Response(200, json={})

    mock.get(STATUS).mock(side_effect=answer)
    client = make_client(make_profile(rate_limit_per_second=10))  # one call per 100 ms
    for _ in range(4):
        assert client.get_json(STATUS).outcome is Outcome.ACCEPTED
    # each call waits until 100 ms after the previous one started, so the four span at least 300 ms; a
    # single gap seen by the server may be shorter when the call before it was held up between starting
    # and arriving (a loaded machine): the span, less up to 60 ms of that lag of the first call, is what
    # is bounded. The exact spacing is test_rate_limit_spacing_with_a_fake_clock's.
    gaps = [b - a for a, b in itertools.pairwise(sent_at)]
    assert len(gaps) == 3 and min(gaps) > 0, gaps
    assert 0.24 <= sent_at[-1] - sent_at[0] < 2.0, gaps


def test_rate_limit_spacing_with_a_fake_clock(mock: respx.MockRouter, make_client: Factory, clock: FakeClock) -> None:
    mock.get(STATUS).mock(return_value=httpx.Response(200, json={}))
    client = make_client(make_profile(rate_limit_per_second=2))
    client.get_json(STATUS)
    client.get_json(STATUS)
    clock.advance(0.2)
    client.get_json(STATUS)
    assert clock.slept == pytest.approx([0.5, 0.3])


def test_rate_limit_also_spaces_the_token_request(
        mock: respx.MockRouter, make_client: Factory, monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> None:
    monkeypatch.setenv("ACME_CLIENT_SECRET", unique_secret("cs"))
    stamps: list[tuple[str, float]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        stamps.append((request.url.path, clock.now))
        if request.url.path == "/oauth/token":
            return httpx.Response(200, json={"access_token": unique_secret("at"), "expires_in": 3600})
        return httpx.Response(201, json={})

    mock.route().mock(side_effect=answer)
    profile = make_profile({"oauth2": {"token_url": TOKEN_URL, "client_id": "c", "client_secret_env": "ACME_CLIENT_SECRET"}},
                           rate_limit_per_second=1)
    make_client(profile).post_json(ISSUE, {})
    assert [p for p, _ in stamps] == ["/oauth/token", "/credentials/issue"]
    assert stamps[1][1] - stamps[0][1] >= 1.0


def test_request_budget_stops_calls(mock: respx.MockRouter, make_client: Factory) -> None:
    route = mock.get(STATUS).mock(return_value=httpx.Response(200, json={}))
    client = make_client(make_profile(max_requests=2))
    outcomes = [client.get_json(STATUS) for _ in range(3)]
    assert [e.outcome for e in outcomes] == [Outcome.ACCEPTED, Outcome.ACCEPTED, Outcome.TRANSPORT_ERROR]
    assert outcomes[2].reason == "not called: request budget of 2 for Acme is spent"
    assert route.call_count == 2


def test_circuit_opens_after_three_consecutive_transport_errors(mock: respx.MockRouter, make_client: Factory) -> None:
    route = mock.get(STATUS).mock(side_effect=httpx.ConnectError("refused"))
    recorded: list[Exchange] = []
    client = make_client(recorder=recorded.append)
    results = [client.get_json(STATUS) for _ in range(4)]
    assert all(e.outcome is Outcome.TRANSPORT_ERROR for e in results)
    assert route.call_count == 3
    assert results[3].reason == "not called: circuit open after 3 consecutive transport failures to Acme"
    assert recorded == results


def test_a_response_between_failures_resets_the_circuit(mock: respx.MockRouter, make_client: Factory) -> None:
    refused = httpx.ConnectError("refused")
    route = mock.get(STATUS).mock(side_effect=[
        refused, refused, httpx.Response(200, text="<html>"), refused, refused,
        httpx.Response(302, headers={"Location": "https://elsewhere.test/"}), refused, refused,
        httpx.Response(200, json={"ok": True}),
    ])
    client = make_client()
    outcomes = [client.get_json(STATUS).outcome for _ in range(9)]
    assert outcomes[2] is Outcome.MALFORMED_RESPONSE and outcomes[5] is Outcome.MALFORMED_RESPONSE
    assert outcomes[8] is Outcome.ACCEPTED
    assert route.call_count == 9


# -- netguard inside the client -----------------------------------------------------------------------

@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.5/status",
                                 "http://[::ffff:127.0.0.1]:8080/", "http://127.0.0.1:6379/"])
def test_unnamed_non_public_address_is_refused_before_sending(
        mock: respx.MockRouter, make_client: Factory, url: str) -> None:
    route = mock.route().mock(return_value=httpx.Response(200, json={}))
    ex = make_client().get_json(url)
    assert ex.outcome is Outcome.TRANSPORT_ERROR
    assert "non-public address" in ex.reason
    assert route.call_count == 0


def test_name_resolving_to_a_private_address_is_refused(
        mock: respx.MockRouter, make_client: Factory, dns: dict[str, str]) -> None:
    dns["status.elsewhere.test"] = "10.0.0.5"
    route = mock.route().mock(return_value=httpx.Response(200, json={}))
    ex = make_client().get_json("https://status.elsewhere.test/list/1")
    assert ex.outcome is Outcome.TRANSPORT_ERROR
    assert "resolves to non-public address 10.0.0.5" in ex.reason
    assert route.call_count == 0


def test_name_resolving_to_a_public_address_is_called(
        mock: respx.MockRouter, make_client: Factory, dns: dict[str, str]) -> None:
    dns["status.elsewhere.test"] = "93.184.215.14"
    route = mock.get("https://status.elsewhere.test/list/1").mock(return_value=httpx.Response(200, json={}))
    assert make_client().get_json("https://status.elsewhere.test/list/1").outcome is Outcome.ACCEPTED
    assert route.call_count == 1


def test_allow_private_addresses_allows_an_unnamed_private_host(mock: respx.MockRouter, make_client: Factory) -> None:
    route = mock.get("http://10.0.0.5/status").mock(return_value=httpx.Response(200, json={}))
    ex = make_client(allow_private_addresses=True).get_json("http://10.0.0.5/status")
    assert ex.outcome is Outcome.ACCEPTED and route.call_count == 1


def test_profile_naming_a_loopback_endpoint_allows_it(mock: respx.MockRouter, make_client: Factory) -> None:
    url = "http://127.0.0.1:8088/credentials/issue"
    route = mock.post(url).mock(return_value=httpx.Response(201, json={}))
    profile = parse_profile({"name": "Local", "issuer": {"id": "did:web:localhost", "issue_url": url}}, "local.yaml")
    assert make_client(profile).post_json(url, {}).outcome is Outcome.ACCEPTED
    assert route.call_count == 1


# -- real loopback sockets (no respx) -----------------------------------------------------------------

def _loopback_profile(port: int) -> VendorProfile:
    return parse_profile({"name": "Loop", "verifier": {"verify_credential_url": f"http://127.0.0.1:{port}/verify"}},
                         "loop.yaml")


def test_connection_refused_on_loopback(loopback_client: Factory) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # the port is closed now: nothing listens
    ex = loopback_client(_loopback_profile(port)).post_json(f"http://127.0.0.1:{port}/verify", {})
    assert ex.outcome is Outcome.TRANSPORT_ERROR
    assert ex.reason.startswith("ConnectError")


def test_read_timeout_on_a_silent_loopback_server(loopback_client: Factory) -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    accepted: list[socket.socket] = []
    thread = threading.Thread(target=lambda: accepted.append(server.accept()[0]), daemon=True)
    thread.start()
    try:
        started = time.perf_counter()
        ex = loopback_client(_loopback_profile(port), timeouts=Timeouts(connect=1.0, read=0.2)).post_json(
            f"http://127.0.0.1:{port}/verify", {})
        elapsed = time.perf_counter() - started
    finally:
        thread.join(2)
        for conn in accepted:
            conn.close()
        server.close()
    assert ex.outcome is Outcome.TRANSPORT_ERROR
    assert ex.reason == "read timeout after 0.2 s (ReadTimeout)"
    assert elapsed < 2.0


def test_a_request_object_is_read_from_what_was_sent_not_from_scrubbed_evidence(
        mock: respx.MockRouter, make_client: Factory) -> None:
    """A secret lerconf saw earlier may occur inside a token's base64 by chance: the evidence scrubs
    it, and reading the request object from the evidence would break it (a flaky false failure)."""
    from lerconf.clients.oid4vp_request import AuthorizationRequest, fetch_request
    from lerconf.crypto.encoding import b64url_encode
    from lerconf.redact import SECRETS

    header = b64url_encode(json.dumps({"typ": "oauth-authz-req+jwt", "alg": "none"}).encode())
    payload = b64url_encode(json.dumps({"client_id": "redirect_uri:https://v.example/r", "nonce": "n" * 32}).encode())
    token = f"{header}.{payload}."
    SECRETS.add(payload[10:30])  # a registered secret that happens to be a piece of the token
    url = f"https://{HOST}/request-objects/1"
    mock.get(url).mock(return_value=httpx.Response(200, text=token,
                                                   headers={"Content-Type": "application/oauth-authz-req+jwt"}))
    request = fetch_request(make_client(), AuthorizationRequest(request_uri=url, delivered_by="request_uri"))
    assert REDACTED in request.exchanges[0].body_text  # the evidence is scrubbed ...
    assert request.problem is None and request.request_object is not None  # ... the protocol is not
    assert request.params["nonce"] == "n" * 32
