"""The reference's wire log records who fetched its status lists and its did:web document
(method, path, status, client address, User-Agent, time; no body), apart from the protocol
exchanges the wallet scenarios read."""
from __future__ import annotations

from typing import Any

import httpx

from lerconf.refimpl.wire import WireLog, is_fetched, wire_of


def test_status_list_get_is_recorded_with_who_and_what(ref: Any, client: httpx.Client) -> None:
    wire = wire_of(ref.state)
    mark = wire.mark()
    answer = client.get("/status-lists/revocation", headers={"User-Agent": "vendor-verifier/1.0"})
    assert answer.status_code == 200
    fetches = wire.fetches_since(mark)
    assert len(fetches) == 1
    fetch = fetches[0]
    assert (fetch.method, fetch.path, fetch.status, fetch.user_agent) == ("GET", "/status-lists/revocation", 200,
                                                                          "vendor-verifier/1.0")
    assert fetch.client.startswith("127.0.0.1:")
    assert "vendor-verifier/1.0" in fetch.who and fetch.client in fetch.who
    assert fetch.at > 0 and fetch.seq > mark
    evidence = fetch.to_evidence()
    assert evidence["path"] == "/status-lists/revocation" and "body" not in evidence
    assert wire.fetches_since(mark, path="/status-lists/suspension") == []
    assert wire.since(mark) == [], "fetches must not appear among the protocol exchanges"


def test_did_web_document_get_is_recorded(ref: Any, client: httpx.Client) -> None:
    wire = wire_of(ref.state)
    mark = wire.mark()
    assert client.get("/.well-known/did.json", headers={"User-Agent": "did-resolver/2"}).status_code == 200
    client.get("/status-lists/missing-list")  # a list that does not exist: recorded with its 404
    fetches = wire.fetches_since(mark)
    assert [(f.path, f.status, f.user_agent) for f in fetches] == [
        ("/.well-known/did.json", 200, "did-resolver/2"), ("/status-lists/missing-list", 404, "python-httpx/" + httpx.__version__)]


def test_status_update_and_issue_are_not_fetches(ref: Any, client: httpx.Client) -> None:
    wire = wire_of(ref.state)
    mark = wire.mark()
    client.post("/credentials/status", json={})  # a harness fixture setting a bit: not a fetch
    assert wire.fetches_since(mark) == []
    assert not is_fetched("POST", "/status-lists/revocation")
    assert is_fetched("GET", "/issuers/acme/did.json") and is_fetched("HEAD", "/.well-known/did.json")
    assert not is_fetched("GET", "/credentials/verify")


def test_fetch_log_is_bounded() -> None:
    wire = WireLog(capacity=3)
    for i in range(5):
        wire.add_fetch("GET", f"/status-lists/{i}", 200, "127.0.0.1:1", "x" * 1000)
    fetches = wire.fetches_since(0)
    assert [f.path for f in fetches] == ["/status-lists/2", "/status-lists/3", "/status-lists/4"]
    assert all(len(f.user_agent) <= 200 for f in fetches)
