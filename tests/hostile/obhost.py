"""Hostile Open Badges 3.0 / CLR 2.0 hosts: the reference host (a full instance on a free loopback
port, as in tests/faulty_obhost) behind an ASGI wrapper that misbehaves on one endpoint, by name.

* ``huge-page``          getCredentials streams a 50 MB page (Content-Length announced; never built in memory)
* ``endless-next``       every page of getCredentials has a ``Link: rel="next"`` one page further, forever
* ``cyclic-next``        the second page's ``next`` leads back to the first
* ``token-redirect``     the token endpoint answers 307 to the canary (another loopback port)
* ``html-500``           every request under the APIs answers an HTML 500 page echoing the request
* ``html-500-resources`` the OAuth flow works; every resource call answers an HTML 500 echoing the
                         request, its ``Authorization`` header (the access token) included

The wrapper also records every secret the host issued (client secrets, codes, access and refresh
tokens), so a test can look for them in what lerconf wrote. Everything is on 127.0.0.1.
"""
from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import html
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit

import yaml
from faulty.server import ServedApp, serve_app
from starlette.applications import Starlette
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lerconf.documents.loader import LoaderSettings
from lerconf.refimpl import app as ref_app
from lerconf.refimpl.obhost import APIS, HostStore, Rules
from lerconf.refimpl.problems import exception_handlers
from lerconf.refimpl.server import bind

HOST = "127.0.0.1"
HUGE_PAGE_BYTES = 50 * 1024 * 1024
ENDLESS_TOTAL = 1_000_000  # what the endless and cyclic hosts say they hold
OB_BEHAVIOURS = ("huge-page", "endless-next", "cyclic-next", "token-redirect", "html-500", "html-500-resources")
_SECRET_KEYS = ("client_secret", "access_token", "refresh_token", "registration_access_token")
_RESOURCES = ("/credentials", "/profile")


def _header(scope: Scope, name: bytes) -> str:
    return next((v.decode("latin-1") for k, v in scope.get("headers", []) if k.lower() == name), "")


@dataclass
class HostileObApp:
    """The reference app, misbehaving as ``behaviour``; ``issued`` collects the secrets it handed out."""

    app: ASGIApp
    behaviour: str
    canary_url: str
    base_url: str
    issued: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/ims/"):
            await self.app(scope, receive, send)
            return
        path, method = scope["path"], scope["method"]
        if self.behaviour == "html-500" or (self.behaviour == "html-500-resources" and path.endswith(_RESOURCES)):
            await self._html_500(scope, receive, send)
            return
        if self.behaviour == "token-redirect" and method == "POST" and path.endswith("/auth/token"):
            await _answer(send, 307, b"", [(b"location", f"{self.canary_url}/stolen{path}".encode())])
            return
        if method == "GET" and path.endswith("/credentials") and _header(scope, b"authorization"):
            if self.behaviour == "huge-page":
                await self._huge(receive, send)
                return
            if self.behaviour in ("endless-next", "cyclic-next"):
                await self._chained(scope, receive, send)
                return
        await self.app(scope, receive, self._recording(send))

    # -- misbehaviours --------------------------------------------------------------------------------
    async def _huge(self, receive: Receive, send: Send) -> None:
        gone = asyncio.Event()

        async def watch() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass
            gone.set()

        watcher = asyncio.ensure_future(watch())
        try:
            await self._stream_huge(send, gone)
        finally:
            watcher.cancel()

    async def _stream_huge(self, send: Send, gone: asyncio.Event) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"content-type", b"application/json"), (b"content-length", str(HUGE_PAGE_BYTES).encode()),
            (b"x-total-count", b"1")]})
        block = b"a" * (64 * 1024)
        head = b'{"credential": ["'
        await send({"type": "http.response.body", "body": head, "more_body": True})
        sent = len(head)
        while sent + len(block) < HUGE_PAGE_BYTES:
            if gone.is_set():  # lerconf stopped reading: stop writing
                return
            await send({"type": "http.response.body", "body": block, "more_body": True})
            sent += len(block)
            await asyncio.sleep(0)
        await send({"type": "http.response.body", "body": b"a" * (HUGE_PAGE_BYTES - sent - 3) + b'"]}'})

    async def _chained(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The first page's credentials at every offset, with a next link that never ends (or cycles)."""
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        limit = int(query.get("limit", "2") or 2)
        offset = int(query.get("offset", "0") or 0)
        nxt = offset + limit if self.behaviour == "endless-next" else (limit if offset == 0 else 0)
        url = f"{self.base_url}{scope['path']}"

        def link(at: int) -> str:
            return f"<{url}?{urlencode({'limit': limit, 'offset': at})}>"

        # first, last and prev as a host of ENDLESS_TOTAL credentials would send them: only next misleads
        rels = [(0, "first"), ((ENDLESS_TOTAL - 1) // limit * limit, "last"), (nxt, "next")]
        if offset > 0:
            rels.append((max(0, offset - limit), "prev"))
        links = ", ".join(f'{link(at)}; rel="{rel}"' for at, rel in rels)

        inner = dict(scope, query_string=urlencode({"limit": limit, "offset": 0}).encode())

        async def rewrite(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in (b"link", b"x-total-count")]
                message = dict(message, headers=[*headers, (b"link", links.encode()),
                                                 (b"x-total-count", str(ENDLESS_TOTAL).encode())])
            await send(message)

        await self.app(inner, receive, rewrite)

    async def _html_500(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body") or len(body) > 64 * 1024:
                break
        rows = "".join(f"<tr><td>{html.escape(k.decode('latin-1'))}</td><td>{html.escape(v.decode('latin-1'))}</td></tr>"
                       for k, v in scope.get("headers", []))
        page = (f"<!doctype html><html><head><title>500 Internal Server Error</title></head><body><h1>500</h1>"
                f"<table>{rows}</table><pre>{html.escape(body[:4096].decode('utf-8', 'replace'))}</pre></body></html>")
        await _answer(send, 500, page.encode(), [(b"content-type", b"text/html; charset=utf-8"),
                                                 (b"x-echo-authorization", _header(scope, b"authorization").encode())])

    # -- what the host issued -----------------------------------------------------------------------------
    def _recording(self, send: Send) -> Send:
        chunks: list[bytes] = []

        async def recording(message: Message) -> None:
            if message["type"] == "http.response.start":
                for k, v in message.get("headers", []):
                    if k.lower() == b"location":
                        self._remember_query(v.decode("latin-1"))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body"):
                    self._remember_json(b"".join(chunks))
            await send(message)
        return recording

    def _remember_query(self, location: str) -> None:
        for name, values in parse_qs(urlsplit(location).query).items():
            if name in ("code", *_SECRET_KEYS):
                with self.lock:
                    self.issued.update(values)

    def _remember_json(self, body: bytes) -> None:
        if not body.startswith(b"{") or len(body) > 1024 * 1024:
            return
        with contextlib.suppress(ValueError):
            doc = json.loads(body)
            if isinstance(doc, dict):
                with self.lock:
                    self.issued.update(str(doc[k]) for k in _SECRET_KEYS if isinstance(doc.get(k), str))


async def _answer(send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [*headers, (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


@dataclass
class RunningObHost:
    behaviour: str
    base_url: str
    app: HostileObApp
    profile_path: Path
    url_map: dict[str, str]
    served: ServedApp

    @property
    def vendor_name(self) -> str:
        return f"hostile OB host {self.behaviour}"


def profile_document(name: str, base_url: str, timeouts: dict[str, float]) -> dict[str, Any]:
    """An ``ob_provider`` section as the host's vendor would write it (the reference's claims)."""
    return {"name": name, "version": "0.0.0-hostile", "timeouts": timeouts, "ob_provider": {
        "base_url": base_url, "apis": ["ob", "clr"],
        "claims": {"operations": ["read", "write", "profile", "profile_update", "refresh", "revocation"],
                   "formats": ["ldp_vc", "jwt"]},
        "options": {"revocation_url": f"{base_url}/ims/ob/v3p0/auth/revoke"}}}


@contextlib.contextmanager
def running_ob_host(behaviour: str, workdir: Path, canary_url: str,
                    timeouts: dict[str, float]) -> Iterator[RunningObHost]:
    """A reference host misbehaving as ``behaviour`` on a free loopback port, with its profile."""
    if behaviour not in OB_BEHAVIOURS:
        raise KeyError(behaviour)
    workdir.mkdir(parents=True, exist_ok=True)
    sock = bind(HOST, 0)
    state = ref_app.build_state(HOST, sock.getsockname()[1], LoaderSettings.from_env(), workdir=workdir)
    app = Starlette(routes=ref_app.ROUTES, exception_handlers=exception_handlers)
    app.state.reference = state
    app.state.obhost = {api.key: HostStore(api, state.base_url, dataclasses.replace(Rules())) for api in APIS}
    hostile = HostileObApp(app, behaviour, canary_url, state.base_url)
    name = f"hostile OB host {behaviour}"
    profile_path = workdir / "profile.yaml"
    profile_path.write_text(yaml.safe_dump(profile_document(name, state.base_url, timeouts), sort_keys=False))
    served = serve_app(hostile, sock, f"hostile-obhost-{behaviour}", f"{state.base_url}/ready")
    try:
        yield RunningObHost(behaviour, state.base_url, hostile, profile_path,
                            {url: str(path) for url, path in state.url_map.items()}, served)
    finally:
        served.stop()
