"""The embedded reference under `lerconf run --record` and `lerconf replay` (lerconf.tape).

Two jobs, one ASGI middleware:

* **Its own choices, per request.** Each request is answered under a tape of its own (codes,
  nonces, tokens, c_nonces, the time), kept by the running scenario under the request's method,
  path and body digest. A replay, which runs the reference live, answers the same request with
  the same values, so a wallet's recorded requests (which quote them) still fit.
* **What a wallet sent.** Requests to the wallet-facing endpoints that did not come from lerconf's
  own client (its User-Agent says ``lerconf/``) are kept whole in :class:`InboundLog`, so a replay
  can send them to the reference again in the recorded order: the wallet is then judged by the
  current checks on the requests it made, without running.

The log keeps what the wallet sent, the access token the reference issued to it included
(a throwaway value of a test server that no longer runs: the same value is one of the
reference's recorded draws anyway); never a vendor's secret.
"""
from __future__ import annotations

import base64
import threading
from dataclasses import dataclass
from typing import Any

from lerconf.refimpl.wire import RECORDED
from lerconf.tape import body_digest, served_tape, serving_tapes, taped

__all__ = ["InboundLog", "InboundRequest", "TapeMiddleware", "inbound_of"]

#: request headers a replay sends again (a wallet's protocol request needs no other)
KEPT_HEADERS = ("content-type", "authorization", "dpop", "accept", "user-agent", "origin")
#: the User-Agent prefix of lerconf's own calls (lerconf.clients.http.USER_AGENT)
OWN_AGENT = "lerconf/"
#: ... and of its calls to this reference as its own (lerconf.clients.http.OWN_USER_AGENT)
OWN_MARK = "own reference"
MAX_KEPT = 2_000


@dataclass(frozen=True)
class InboundRequest:
    seq: int
    method: str
    path: str
    query: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def to_json(self) -> dict[str, Any]:
        return {"method": self.method, "path": self.path, "query": self.query, "headers": [list(h) for h in self.headers],
                "body": base64.b64encode(self.body).decode()}

    @staticmethod
    def from_json(data: dict[str, Any]) -> InboundRequest:
        return InboundRequest(0, str(data["method"]), str(data["path"]), str(data.get("query", "")),
                              tuple((str(k), str(v)) for k, v in data.get("headers", [])),
                              base64.b64decode(str(data.get("body", ""))))


class InboundLog:
    """What wallets (anyone but lerconf's own client) sent to the reference's protocol endpoints."""

    def __init__(self) -> None:
        self._items: list[InboundRequest] = []
        self._seq = 0
        self._lock = threading.Lock()
        self.capturing = False

    def add(self, method: str, path: str, query: str, headers: tuple[tuple[str, str], ...], body: bytes) -> None:
        with self._lock:
            self._seq += 1
            self._items.append(InboundRequest(self._seq, method, path, query, headers, body))
            del self._items[:-MAX_KEPT]

    def mark(self) -> int:
        with self._lock:
            return self._seq

    def since(self, mark: int) -> list[InboundRequest]:
        with self._lock:
            return [r for r in self._items if r.seq > mark]


_CREATE = threading.Lock()


def inbound_of(state: Any) -> InboundLog:
    with _CREATE:
        log = getattr(state, "_inbound_log", None)
        if log is None:
            log = InboundLog()
            state._inbound_log = log
        return log


class TapeMiddleware:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        body = bytearray()
        more = True
        while more:  # the whole body first: the request is recognised by its digest
            message = await receive()
            if message.get("type") != "http.request":
                break
            body.extend(message.get("body", b""))
            more = bool(message.get("more_body", False))
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        method, path = scope.get("method", ""), scope.get("path", "")
        reference = getattr(scope["app"].state, "reference", None) if "app" in scope else None
        log = inbound_of(reference) if reference is not None else None
        if (log is not None and log.capturing and path.startswith(RECORDED)
                and not headers.get("user-agent", "").startswith(OWN_AGENT)):
            log.add(method, path, scope.get("query_string", b"").decode("latin-1"),
                    tuple((k, headers[k]) for k in KEPT_HEADERS if k in headers), bytes(body))
        replayed = [False]

        async def replay_body() -> Any:
            if not replayed[0]:
                replayed[0] = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        agent = headers.get("user-agent", "")
        # lerconf's calls to a vendor that this reference stands in for are answered from the recording
        # when replaying: their draws (a token it issued lerconf) are never kept
        vendor_call = agent.startswith(OWN_AGENT) and OWN_MARK not in agent
        query = scope.get("query_string", b"").decode("latin-1")
        tape = served_tape(method, path + (f"?{query}" if query else ""),
                           body_digest(bytes(body), headers.get("content-type", ""))) \
            if serving_tapes() and not vendor_call else None
        with taped(tape):
            await self.app(scope, replay_body, send)
