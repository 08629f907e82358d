"""Every vendor call against a misbehaving loopback server ends in a named, bounded non-success.

Real sockets, real servers (tests/hostile), all on 127.0.0.1. The canary is another loopback
port; it must never see a connection. Private and link-local refusal is checked at the decision
level with a fake resolver and a transport that fails the test if it is ever used.
"""
from __future__ import annotations

import ssl
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hostile.server import HostileServer, self_signed_tls

from lerconf.clients.http import Timeouts, VendorClient
from lerconf.documents import netguard
from lerconf.errors import ResolutionError
from lerconf.outcome import Outcome
from lerconf.profile.load import parse_profile

FAST = Timeouts(connect=1.0, read=0.5, total=2.0)
SLACK_S = 1.5  # scheduling slack on a loaded 2-core machine


@pytest.fixture(scope="module")
def canary() -> Iterator[HostileServer]:
    with HostileServer(canary=True, lifetime=300) as c:
        yield c
    assert c.connections == 0, f"the canary was reached {c.connections} time(s): {c.requests}"


@pytest.fixture(scope="module")
def hostile(canary: HostileServer) -> Iterator[HostileServer]:
    with HostileServer(canary_url=canary.base_url, lifetime=300) as s:
        s.trickle_interval = 0.3  # "one byte a second", sped up: the total deadline must still cut it
        yield s


def client_for(server: HostileServer, behaviour: str, timeouts: Timeouts = FAST, **kw: Any) -> tuple[VendorClient, str]:
    url = server.url(behaviour, "/credentials/verify")
    profile = parse_profile({"name": f"hostile {behaviour}", "verifier": {"verify_credential_url": url}}, "hostile.yaml")
    return VendorClient(profile, timeouts=timeouts, **kw), url


#: misbehaviour -> (outcome, words the reason must contain)
CASES: dict[str, tuple[Outcome, str]] = {
    "never": (Outcome.TRANSPORT_ERROR, "read timeout after 0.5 s"),
    "stall-headers": (Outcome.TRANSPORT_ERROR, "timeout after 0.5 s waiting for the body"),
    "trickle": (Outcome.TRANSPORT_ERROR, "total time limit of 2 s exceeded while reading the body"),
    "reset": (Outcome.TRANSPORT_ERROR, "Connection reset by peer"),
    "close-early": (Outcome.TRANSPORT_ERROR, "Server disconnected without sending a response"),
    "chunked-bad": (Outcome.TRANSPORT_ERROR, "illegal chunk header"),
    "huge": (Outcome.TRANSPORT_ERROR, "response body exceeded 10 MB limit"),
    "gzip-bomb": (Outcome.TRANSPORT_ERROR, "response body exceeded 10 MB limit"),
    "deflate-bomb": (Outcome.TRANSPORT_ERROR, "response body exceeded 10 MB limit"),
    "length-short": (Outcome.MALFORMED_RESPONSE, "body is not JSON"),
    "length-long": (Outcome.TRANSPORT_ERROR, "without sending complete message body"),
    "invalid-json": (Outcome.MALFORMED_RESPONSE, "body is not JSON"),
    "deep-json": (Outcome.MALFORMED_RESPONSE, "JSON nested too deeply"),
    "huge-number": (Outcome.MALFORMED_RESPONSE, "JSON number with more digits"),
    "duplicate-keys": (Outcome.MALFORMED_RESPONSE, "duplicate key"),
    "wrong-content-type": (Outcome.MALFORMED_RESPONSE, "Content-Type text/html; charset=utf-8, not JSON"),
    "empty-200": (Outcome.MALFORMED_RESPONSE, "body is not JSON"),
    "html-200": (Outcome.MALFORMED_RESPONSE, "body is not JSON (Content-Type text/html)"),
    "redirect-loop": (Outcome.MALFORMED_RESPONSE, "more than 5 redirects"),
    "redirect-canary": (Outcome.MALFORMED_RESPONSE, "not followed (other origin)"),
}


@pytest.mark.parametrize("behaviour", sorted(CASES))
def test_misbehaviour_is_a_named_bounded_non_success(hostile: HostileServer, behaviour: str) -> None:
    client, url = client_for(hostile, behaviour)
    started = time.monotonic()
    ex = client.post_json(url, {"verifiableCredential": {"id": "urn:x"}})
    took = time.monotonic() - started
    outcome, words = CASES[behaviour]
    assert (ex.outcome, words in ex.reason) == (outcome, True), ex.reason
    assert took < FAST.connect + FAST.total + SLACK_S, f"{behaviour} took {took:.1f} s"
    assert ex.elapsed_ms <= (FAST.connect + FAST.total + SLACK_S) * 1000
    client.close()


def test_circuit_opens_after_three_stalls_and_later_calls_cost_nothing(hostile: HostileServer) -> None:
    client, url = client_for(hostile, "never")
    outcomes = [client.post_json(url, {}) for _ in range(3)]
    assert all(o.outcome is Outcome.TRANSPORT_ERROR for o in outcomes)
    started = time.monotonic()
    fourth = client.post_json(url, {})
    assert time.monotonic() - started < 0.1
    assert "circuit open after 3 consecutive transport failures" in fourth.reason
    assert client.request_count == 3


# -- TLS ----------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory, hostile: HostileServer) -> Iterator[tuple[HostileServer, Path]]:
    ctx, cert = self_signed_tls(tmp_path_factory.mktemp("tls"))
    with HostileServer(tls=ctx, lifetime=300) as s:
        s.http_target = hostile.base_url.replace("/hostile", "")
        yield s, cert


def test_untrusted_certificate_is_a_transport_error(tls: tuple[HostileServer, Path]) -> None:
    server, _ = tls
    client, url = client_for(server, "echo-json")
    ex = client.post_json(url, {})
    assert ex.outcome is Outcome.TRANSPORT_ERROR
    assert "CERTIFICATE_VERIFY_FAILED" in ex.reason
    assert server.requests == []  # the handshake failed: nothing was sent


def test_redirect_from_https_to_http_is_not_followed(tls: tuple[HostileServer, Path], hostile: HostileServer) -> None:
    server, cert = tls
    trusting = httpx.HTTPTransport(verify=ssl.create_default_context(cafile=str(cert)))  # trust it, to reach the redirect
    before = len(hostile.requests)
    client, url = client_for(server, "redirect-http", transport=trusting)
    ex = client.post_json(url, {})
    assert ex.outcome is Outcome.MALFORMED_RESPONSE
    assert "not followed (other origin)" in ex.reason and ex.reason.startswith("redirect to http://")
    assert len(hostile.requests) == before  # the plain-HTTP target saw nothing


# -- private and link-local addresses: decided before any connection, never tried ---------------------------
class NoTraffic(httpx.BaseTransport):
    def handle_request(self, request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"a request was sent to {request.url}")


@pytest.mark.parametrize("address", ["10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254", "fe80::1",
                                     "::ffff:10.0.0.1", "100.64.0.1", "0.0.0.0"])
def test_vendor_name_resolving_to_a_non_public_address_is_refused_without_traffic(
        monkeypatch: pytest.MonkeyPatch, address: str) -> None:
    monkeypatch.setattr(netguard, "_system_resolver", lambda host, port: [address])
    monkeypatch.setattr(netguard.check_url, "__kwdefaults__",
                        {**netguard.check_url.__kwdefaults__, "resolver": lambda host, port: [address]})
    profile = parse_profile({"name": "x", "verifier": {"verify_credential_url": "https://vendor.test/verify"}}, "x.yaml")
    # the profile names vendor.test, so only a document URL on another name is checked by address
    with pytest.raises(ResolutionError, match="non-public address"):
        netguard.check_url("https://status.vendor.test/list", allowed_hosts=profile.hosts,
                           resolver=lambda host, port: [address])
    client = VendorClient(profile, transport=NoTraffic(), timeouts=FAST)
    # a redirect to another origin is refused before the address is even looked at
    assert not client._may_follow("https://vendor.test/verify", f"http://{address}/latest/meta-data")


def test_named_loopback_port_does_not_open_other_loopback_ports() -> None:
    """A profile naming 127.0.0.1:8000 allows that port, not the whole loopback host."""
    profile = parse_profile({"name": "x", "verifier": {"verify_credential_url": "http://127.0.0.1:8000/v"}}, "x.yaml")
    netguard.check_url("http://127.0.0.1:8000/status", allowed_hosts=profile.hosts)
    with pytest.raises(ResolutionError, match="non-public address 127.0.0.1"):
        netguard.check_url("http://127.0.0.1:2375/containers", allowed_hosts=profile.hosts)
