"""What lerconf's own endpoints received: a bounded, per-instance log of protocol exchanges.

When lerconf plays the issuer and the verifier for a wallet under test, or the Open Badges 3.0 /
CLR 2.0 host for a consumer under test, the verdict comes from this log ("the wire decides"), never
from what the wallet, the consumer or an adapter reports. An ASGI middleware records every request
under the OID4VCI, OID4VP, VCALM exchange and 1EdTech API paths (method, path, content type, body) with the status
and body of the answer. Under the 1EdTech paths (``/ims/``, and the per-scenario hosts of
``/ob-consumer/s/``) both bodies first go through :func:`lerconf.refimpl.obhost.redaction.scrub`:
client secrets, tokens, codes and PKCE verifiers lose their values, never their names. Scenarios
take a :meth:`WireLog.mark` before they start and read :meth:`WireLog.since` afterwards (scenarios
run one at a time).

The same log keeps who fetched lerconf's published documents: every GET (or HEAD) of a status
list (``/status-lists/...``), a badge's 1EdTech refresh service (``/refresh/...``) or a DID document
(``/.well-known/did.json``, a path-based ``.../did.json``) is a :class:`Fetch` (method, path, status,
client address, User-Agent, time; never a body), read with :meth:`WireLog.fetches_since`. Verifier
scenarios judge with it whether a vendor's verifier reached lerconf's status list or did:web at all
(lerconf.scenarios.reach), and how often it called a badge's refresh service (OB-25,
lerconf.scenarios.ob_refresh). Fetches
share the sequence of :meth:`WireLog.mark` but are kept apart from the protocol exchanges, so the
wallet scenarios never see them.
"""
from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from lerconf.protocol.wire_record import WireRecord, token_digest
from lerconf.refimpl.obhost.redaction import scrub

__all__ = ["Fetch", "WireLog", "WireRecorder", "is_fetched", "wire_of"]

#: path prefixes of the OB 3.0 / CLR 2.0 hosts (lerconf.refimpl.obhost, and the per-scenario hosts a
#: consumer under test is sent to, lerconf.refimpl.obconsumer): their bodies are scrubbed of secrets
SCRUBBED = ("/ims/", "/ob-consumer/s/")
#: path prefixes of the VCALM workflows and interaction URLs (lerconf.refimpl.exchanges) a wallet takes part in
EXCHANGES = ("/workflows/", "/interactions/")
#: path prefixes whose exchanges are recorded (the wallet- and consumer-facing protocol endpoints)
RECORDED = ("/oid4vci", "/oid4vp", "/.well-known/openid-credential-issuer", "/.well-known/oauth-authorization-server",
            *SCRUBBED, *EXCHANGES)
#: lerconf's own test-hook calls (it makes offers and requests, reads results): never wallet traffic,
#: and not recorded, so a hook's record finishing after a scenario's mark cannot pass for the wallet's
NOT_RECORDED = (("POST", "/oid4vci/offers"), ("POST", "/oid4vci-impostor/offers"), ("POST", "/oid4vp/requests"),
                ("GET", "/oid4vp/results/"), ("POST", "/workflows/issue-badge/exchanges"),
                ("POST", "/workflows/verify-badge/exchanges"))
MAX_BODY = 64 * 1024
CAPACITY = 1_000
#: path prefixes of the documents lerconf publishes for verifiers (status lists, the 1EdTech refresh services of
#: its badges: lerconf.refimpl.refresh) and the badges it hands a person to open in a displayer
#: (lerconf.refimpl.display); DID documents are matched by name (see :func:`is_fetched`)
FETCHED = ("/status-lists/", "/display/", "/refresh/")
FETCH_METHODS = ("GET", "HEAD")
#: longest User-Agent kept for a fetch
MAX_AGENT = 200


def is_fetched(method: str, path: str) -> bool:
    """A fetch of a document lerconf publishes: a status list or a DID document (did:web's
    ``/.well-known/did.json`` and path-based ``/<path>/did.json``)."""
    return method in FETCH_METHODS and (path.startswith(FETCHED) or path == "/.well-known/did.json"
                                        or path.endswith("/did.json"))


@dataclass(frozen=True)
class Fetch:
    """One fetch of a status list or DID document lerconf published: what, who, when (no body)."""

    seq: int
    at: float
    method: str
    path: str
    status: int
    client: str       # host:port the request came from
    user_agent: str   # as sent (truncated to MAX_AGENT), "" when none

    @property
    def who(self) -> str:
        return f"{self.client or 'unknown client'} ({self.user_agent or 'no User-Agent'})"

    def to_evidence(self) -> dict[str, Any]:
        return {"seq": self.seq, "method": self.method, "path": self.path, "status": self.status,
                "client": self.client, "user_agent": self.user_agent,
                "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.at))}


class WireLog:
    """The bounded log of :class:`~lerconf.protocol.wire_record.WireRecord` of one reference instance."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self._records: deque[WireRecord] = deque(maxlen=capacity)
        self._fetches: deque[Fetch] = deque(maxlen=capacity)
        self._seq = 0
        self._lock = threading.Lock()

    def add(self, method: str, path: str, content_type: str, body: bytes, status: int, response: bytes,
            query: str = "", token_sha256: str = "") -> None:
        with self._lock:
            self._seq += 1
            self._records.append(WireRecord(self._seq, time.time(), method, path, content_type, body, status, response,
                                            query, token_sha256))

    def add_fetch(self, method: str, path: str, status: int, client: str, user_agent: str) -> None:
        with self._lock:
            self._seq += 1
            self._fetches.append(Fetch(self._seq, time.time(), method, path, status, client, user_agent[:MAX_AGENT]))

    def fetches_since(self, mark: int, *, path: str | None = None) -> list[Fetch]:
        """The fetches of lerconf's status lists and DID documents after ``mark`` (of ``path``)."""
        with self._lock:
            fetches = [f for f in self._fetches if f.seq > mark]
        return [f for f in fetches if path is None or f.path == path]

    def mark(self) -> int:
        with self._lock:
            return self._seq

    def since(self, mark: int, *, path: str | None = None, method: str | None = None) -> list[WireRecord]:
        with self._lock:
            records = [r for r in self._records if r.seq > mark]
        return [r for r in records if (path is None or r.path == path) and (method is None or r.method == method)]


_CREATE = threading.Lock()


def wire_of(state: Any) -> WireLog:
    """The instance's wire log (kept on the ReferenceState, created on first use)."""
    with _CREATE:
        log = getattr(state, "_wire_log", None)
        if log is None:
            log = WireLog()
            state._wire_log = log
        return log


class WireRecorder:
    """ASGI middleware: records the protocol exchanges of a reference instance into its WireLog."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        path = scope.get("path", "") if scope.get("type") == "http" else ""
        method = scope.get("method", "")
        if path and is_fetched(method, path):
            await _record_fetch(self.app, scope, receive, send)
            return
        hook = any(method == m and (path == p or (p.endswith("/") and path.startswith(p))) for m, p in NOT_RECORDED)
        if hook or not path.startswith(RECORDED):
            await self.app(scope, receive, send)
            return
        request_body = bytearray()
        response_body = bytearray()
        status = [0]
        response_type = [""]

        async def recv() -> Any:
            message = await receive()
            if message.get("type") == "http.request" and len(request_body) < MAX_BODY:
                request_body.extend(message.get("body", b"")[: MAX_BODY - len(request_body)])
            return message

        recorded = [False]

        def record() -> None:
            if recorded[0]:
                return
            recorded[0] = True
            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
            reference = getattr(scope["app"].state, "reference", None) if "app" in scope else None
            if reference is not None:
                request_ct = headers.get("content-type", "")
                sent, answered = bytes(request_body), bytes(response_body)
                query = scope.get("query_string", b"")
                if path.startswith(SCRUBBED):  # an OAuth secret is never kept, only that it was sent
                    sent, answered = scrub(sent, request_ct), scrub(answered, response_type[0])
                    query = scrub(query, "application/x-www-form-urlencoded")  # ?access_token=... (RFC 6750 §2.3)
                wire_of(reference).add(scope.get("method", ""), path, request_ct, sent, status[0], answered,
                                       query.decode("latin-1"),
                                       token_digest(headers.get("authorization", "").rpartition(" ")[2]))

        held: list[Any] = []  # the answer, sent only once recorded: a client acting on the status line alone
        # (before reading the body) must find the record too

        async def snd(message: Any) -> None:
            if message.get("type") == "http.response.start":
                status[0] = int(message.get("status", 0))
                response_type[0] = next((v.decode("latin-1") for k, v in message.get("headers", [])
                                         if k.lower() == b"content-type"), "")
            elif message.get("type") == "http.response.body" and len(response_body) < MAX_BODY:
                response_body.extend(message.get("body", b"")[: MAX_BODY - len(response_body)])
            if message.get("type") not in ("http.response.start", "http.response.body"):
                await send(message)
                return
            held.append(message)
            if message.get("type") == "http.response.body" and not message.get("more_body", False):
                record()
                while held:
                    await send(held.pop(0))

        try:
            await self.app(scope, recv, snd)
        finally:
            record()  # an exchange that ended without a final body (an error) is recorded too
            if held and held[-1].get("type") == "http.response.body":
                while held:
                    await send(held.pop(0))


async def _record_fetch(app: Any, scope: Any, receive: Any, send: Any) -> None:
    """Serve a fetch of a published document and log who made it (no body is kept)."""
    status = [0]
    recorded = [False]

    def record() -> None:
        if recorded[0]:
            return
        recorded[0] = True
        reference = getattr(scope["app"].state, "reference", None) if "app" in scope else None
        if reference is None:
            return
        agent = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k.lower() == b"user-agent"), "")
        client = scope.get("client")
        where = f"{client[0]}:{client[1]}" if client else ""
        wire_of(reference).add_fetch(scope.get("method", ""), scope.get("path", ""), status[0], where, agent)

    async def snd(message: Any) -> None:
        if message.get("type") == "http.response.start":
            status[0] = int(message.get("status", 0))
        if message.get("type") == "http.response.body" and not message.get("more_body", False):
            record()  # before the client has the whole answer: a verdict that follows finds the record
        await send(message)

    try:
        await app(scope, receive, snd)
    finally:
        record()
