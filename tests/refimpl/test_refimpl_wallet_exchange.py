"""The reference wallet in VCALM exchanges (POST /wallet/interactions): it follows the interaction
URL's protocols, receives and stores the badge unchanged, presents only what QueryByExample asks
for with a DIDAuthentication bound to the request, and refuses hostile input with a reason."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from lerconf.refimpl import RunningReference
from lerconf.refimpl.wallet.exchange import MAX_URL
from lerconf.refimpl.wire import wire_of

pytestmark = pytest.mark.slow


@pytest.fixture
def empty(client: httpx.Client) -> Iterator[None]:
    assert client.post("/wallet/reset", json={}).status_code == 204
    yield


def interaction(client: httpx.Client, workflow: str) -> tuple[str, str]:
    made = client.post(f"/workflows/{workflow}/exchanges", json={}).json()
    return made["id"], made["interactionUrl"]


def exchange_record(ref: RunningReference, exchange_id: str) -> Any:
    app: Any = ref.server.config.app
    return app.state.vcalm_exchanges.get(exchange_id)  # made by the first exchange


@pytest.mark.usefixtures("empty")
def test_the_wallet_receives_stores_and_presents_only_the_badge(ref: RunningReference, client: httpx.Client) -> None:
    clr = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential", "ClrCredential"], "id": "urn:x"}
    assert client.post("/wallet/reset", json={"seed": [{"format": "ldp_vc", "credential": clr}]}).status_code == 204
    _, url = interaction(client, "issue-badge")
    mark = wire_of(ref.state).mark()
    said = client.post("/wallet/interactions", json={"interaction_url": url}).json()
    assert said["outcome"] == "stored", said
    wire = wire_of(ref.state).since(mark)
    assert [r.method for r in wire][:3] == ["GET", "POST", "POST"]  # protocols, {} , the presentation
    issued = wire[2].response_json()["verifiablePresentation"]["verifiableCredential"][0]
    held = [e["credential"] for e in client.get("/wallet/credentials").json()]
    assert issued in held and clr in held
    vp = wire[2].json()["verifiablePresentation"]
    assert vp["proof"]["proofPurpose"] == "authentication" and vp["verifiableCredential"] == []

    exchange_id, url = interaction(client, "verify-badge")
    mark = wire_of(ref.state).mark()
    said = client.post("/wallet/interactions", json={"interaction_url": url}).json()
    assert said["outcome"] == "submitted", said
    presented = [r.json()["verifiablePresentation"] for r in wire_of(ref.state).since(mark) if r.method == "POST" and r.json()]
    assert presented[0]["verifiableCredential"] == [issued]  # the badge, unchanged; never the CLR
    assert exchange_record(ref, exchange_id).result["verified"] is True


@pytest.mark.usefixtures("empty")
def test_with_nothing_the_example_matches_the_wallet_presents_nothing(client: httpx.Client) -> None:
    _, url = interaction(client, "verify-badge")
    said = client.post("/wallet/interactions", json={"interaction_url": url}).json()
    assert said["outcome"] == "rejected" and said["wallet_error"]["code"] == "no_match", said


@pytest.mark.parametrize(("body", "code"), [
    ({"interaction_url": "x" * (MAX_URL + 1)}, "invalid_request"),
    ({"interaction_url": 7}, "invalid_request"),
    ({}, "invalid_request"),
    ({"interaction_url": "https://wallet.example/interactions/z1?iuv=1"}, "unreachable"),
])
def test_hostile_interaction_urls_are_refused_with_a_reason(client: httpx.Client, body: dict[str, Any], code: str) -> None:
    said = client.post("/wallet/interactions", json=body)
    assert said.status_code == 200 and said.json()["wallet_error"]["code"] == code, said.text


def test_an_interaction_url_naming_no_vcapi_protocol_ends_the_flow(ref: RunningReference, client: httpx.Client) -> None:
    for url, code in ((f"{ref.base_url}/wallet/capabilities", "unsupported_protocol"),   # JSON without protocols
                      (f"{ref.base_url}/interactions/nope?iuv=1", "http_error"),          # a 404 problem
                      (f"{ref.base_url}/artefacts/badge.png", "http_error")):             # not JSON at all
        said = client.post("/wallet/interactions", json={"interaction_url": url}).json()
        assert said["outcome"] in ("rejected", "error") and said["wallet_error"]["code"] == code, (url, said)


def test_a_garbage_body_is_a_problem_not_a_crash(client: httpx.Client) -> None:
    said = client.post("/wallet/interactions", content=b"[not json", headers={"content-type": "application/json"})
    assert said.status_code == 400
