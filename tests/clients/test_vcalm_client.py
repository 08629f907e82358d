"""lerconf's wallet client for VCALM exchanges: where it finds a fresh exchange in the vendor's
answer (Location, exchangeUrl, id; relative URLs resolved), what it sends, and that wallet calls
carry no profile credentials."""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from lerconf.clients.http import VendorClient
from lerconf.clients.vcalm import VcalmClient
from lerconf.profile.load import parse_profile

BASE = "https://x.example"
Handler = Callable[[httpx.Request], httpx.Response]


class _Transport(httpx.BaseTransport):
    """Hands the client a fresh response around the handler's raw stream (read with iter_raw, as
    from the network)."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        mocked = self.handler(request)
        return httpx.Response(mocked.status_code, headers=mocked.headers, stream=mocked.stream, request=request)


def _client(handler: Handler, section: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> VcalmClient:
    monkeypatch.setenv("X_TOKEN", "s3cret-token-value")
    profile = parse_profile({"name": "x", "auth": {"bearer_token_env": "X_TOKEN"},
                             "vcalm_issuer": {**section, "claims": {"features": []}}}, "x.yaml")
    http = VendorClient(profile, transport=_Transport(handler), taped=False)
    return VcalmClient(http, profile.vcalm_issuer)


@pytest.mark.parametrize(("status", "headers", "body", "expected"), [
    (201, {"Location": "/workflows/w/exchanges/e1"}, None, f"{BASE}/workflows/w/exchanges/e1"),
    (200, {}, {"exchangeUrl": f"{BASE}/x/e2"}, f"{BASE}/x/e2"),
    (200, {}, {"id": "e3"}, f"{BASE}/workflows/w/exchanges/e3"),
    (204, {}, None, None),
])
def test_the_exchange_url_is_found_where_the_vendor_put_it(status: int, headers: dict[str, str], body: Any,
                                                           expected: str | None,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, headers=headers, json=body) if body is not None else httpx.Response(status,
                                                                                                          headers=headers)
    new = _client(handler, {"workflow_url": f"{BASE}/workflows/w"}, monkeypatch).new_exchange()
    assert new.exchange_url == expected
    assert str(seen[0].url) == f"{BASE}/workflows/w/exchanges" and json.loads(seen[0].content) == {}
    assert seen[0].headers["authorization"] == "Bearer s3cret-token-value"  # creating is the service's call
    assert "s3cret" not in json.dumps(new.answer.exchange.to_evidence())  # never in evidence


def test_a_hook_names_the_exchange_and_interaction_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"exchangeUrl": "/ex/1", "interactionUrl": "/i/1?iuv=1"})
    new = _client(handler, {"exchange_hook": f"{BASE}/test/exchanges"}, monkeypatch).new_exchange()
    assert (new.exchange_url, new.interaction_url) == (f"{BASE}/ex/1", f"{BASE}/i/1?iuv=1")


def test_wallet_calls_carry_no_profile_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/i"):
            return httpx.Response(200, html="<p>open your wallet</p>")
        return httpx.Response(200, json={"verifiablePresentationRequest": {"challenge": "c"}})
    client = _client(handler, {"workflow_url": f"{BASE}/w"}, monkeypatch)
    url = f"{BASE}/w/exchanges/e"
    assert client.start(url).body == {"verifiablePresentationRequest": {"challenge": "c"}}
    client.present(url, {"type": ["VerifiablePresentation"]})
    client.current_request(url)
    client.protocols(url)
    page = client.interaction(f"{BASE}/i?iuv=1", as_json=False)
    assert page.body == "<p>open your wallet</p>" and str(page.header("content-type")).startswith("text/html")
    assert [(r.method, r.url.path) for r in seen] == [("POST", "/w/exchanges/e"), ("POST", "/w/exchanges/e"),
                                                      ("GET", "/w/exchanges/e/request"),
                                                      ("GET", "/w/exchanges/e/protocols"), ("GET", "/i")]
    assert json.loads(seen[1].content) == {"verifiablePresentation": {"type": ["VerifiablePresentation"]}}
    assert not any("authorization" in r.headers for r in seen)
    assert seen[-1].headers["accept"].startswith("text/html")
