"""The wire log has an exchange before its client can see any of the answer: a wallet that acts on
the status line alone (before reading the body) is judged from a log that already holds its POST.
Found by the independent OpenID peer (tests/peers/openid4vc, OVC-L2): recorded at the end of the
body only, the record came after the status line, and a verdict could miss the wallet's POST."""
from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from lerconf.refimpl.wire import WireRecorder, wire_of


def _app_answering(chunks: list[bytes], status: int = 200) -> Any:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"application/json")]})
        for i, chunk in enumerate(chunks):
            await send({"type": "http.response.body", "body": chunk, "more_body": i < len(chunks) - 1})
    return app


def _exchange(app: Any) -> tuple[list[tuple[str, int]], Any]:
    reference = SimpleNamespace()
    scope = {"type": "http", "method": "POST", "path": "/oid4vp/responses", "headers": [], "query_string": b"",
             "app": SimpleNamespace(state=SimpleNamespace(reference=reference))}
    seen: list[tuple[str, int]] = []  # (message type, records in the log when the client got it)

    async def receive() -> Any:
        return {"type": "http.request", "body": b"state=s&vp_token=x", "more_body": False}

    async def send(message: Any) -> None:
        seen.append((message["type"], len(wire_of(reference).since(0))))

    asyncio.run(WireRecorder(app)(scope, receive, send))
    return seen, reference


def test_the_status_line_leaves_only_once_the_exchange_is_recorded() -> None:
    seen, reference = _exchange(_app_answering([b'{"redirect_uri":', b'"https://v.example/done"}']))
    assert [t for t, _ in seen] == ["http.response.start", "http.response.body", "http.response.body"]
    assert all(records == 1 for _, records in seen), seen
    [record] = wire_of(reference).since(0)
    assert (record.method, record.path, record.status) == ("POST", "/oid4vp/responses", 200)
    assert record.response_json() == {"redirect_uri": "https://v.example/done"}


def test_a_single_chunk_answer_is_recorded_first_too() -> None:
    seen, _ = _exchange(_app_answering([b"{}"], status=400))
    assert seen == [("http.response.start", 1), ("http.response.body", 1)]
