"""A loopback HTTP(S) server whose every path prefix is a named misbehaviour.

``http://127.0.0.1:PORT/<behaviour>/anything`` misbehaves as ``<behaviour>`` for any method, so
one server can play any role's endpoint (issue, verify, present, status, token) badly. Exact
paths registered with ``serve()`` answer fixed documents (contexts, DID documents, status lists).

The server runs an asyncio loop in a daemon thread, written on raw streams so it can break HTTP
in ways a framework would not allow (lying Content-Length, broken chunks, resets). It stops when
its ``with`` block ends, and in any case after ``lifetime`` seconds; stalls are bounded sleeps
that are cancelled on stop. A ``canary`` server answers nothing useful and records every
connection: tests assert it stays empty.
"""
from __future__ import annotations

import asyncio
import contextlib
import datetime
import ipaddress
import json
import socket
import ssl
import struct
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from hostile import payloads

LOOPBACK = "127.0.0.1"
STALL_S = 60.0           # a stalling answer sleeps at most this long (and is cancelled on stop)
HUGE_BYTES = 200 * 1024 * 1024
MAX_REQUEST_BYTES = 12 * 1024 * 1024  # requests above this are cut (a 10 MB JWT still fits)


@dataclass
class Request:
    method: str
    path: str
    headers: list[tuple[str, str]]
    body: bytes
    peer: str = ""
    at: float = field(default_factory=time.monotonic)

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers if k.lower() == name.lower()), "")


Behaviour = Callable[["HostileServer", Request, asyncio.StreamWriter], Awaitable[None]]
BEHAVIOURS: dict[str, Behaviour] = {}


def behaviour(name: str) -> Callable[[Behaviour], Behaviour]:
    def register(fn: Behaviour) -> Behaviour:
        BEHAVIOURS[name] = fn
        return fn
    return register


def _head(status: int, headers: dict[str, str] | list[tuple[str, str]]) -> bytes:
    items = headers.items() if isinstance(headers, dict) else headers
    lines = [f"HTTP/1.1 {status} X"] + [f"{k}: {v}" for k, v in items]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _answer(writer: asyncio.StreamWriter, status: int, body: bytes, ctype: str = "application/json",
                  extra: dict[str, str] | None = None) -> None:
    headers = {"Content-Type": ctype, "Content-Length": str(len(body)), "Connection": "close", **(extra or {})}
    writer.write(_head(status, headers) + body)
    await writer.drain()


def _echo(req: Request) -> dict[str, object]:
    return {"method": req.method, "path": req.path, "headers": dict(req.headers),
            "body": req.body[:4096].decode("utf-8", "replace")}


# -- transport -----------------------------------------------------------------------------------
@behaviour("never")
async def _never(server: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    await asyncio.sleep(STALL_S)


@behaviour("stall-headers")
async def _stall_headers(server: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    w.write(_head(200, {"Content-Type": "application/json", "Content-Length": "4096"}))
    await w.drain()
    await asyncio.sleep(STALL_S)


@behaviour("trickle")
async def _trickle(server: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    body = b'{"verified": true, "padding": "' + b"x" * 200 + b'"}'
    w.write(_head(200, {"Content-Type": "application/json", "Content-Length": str(len(body))}))
    await w.drain()
    for i in range(len(body)):  # one byte a second (server.trickle_interval in tests)
        w.write(body[i:i + 1])
        await w.drain()
        await asyncio.sleep(server.trickle_interval)


@behaviour("reset")
async def _reset(server: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    w.write(_head(200, {"Content-Type": "application/json", "Content-Length": "1000"}) + b'{"verified": tr')
    await w.drain()
    await asyncio.sleep(0.05)
    sock = w.get_extra_info("socket")
    if sock is not None:  # SO_LINGER 0: close() sends RST, not FIN
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    w.transport.abort()


@behaviour("close-early")
async def _close_early(server: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    w.close()


@behaviour("chunked-bad")
async def _chunked_bad(server: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    w.write(_head(200, {"Content-Type": "application/json", "Transfer-Encoding": "chunked"})
            + b"5\r\n{\"ver\r\nzz-not-a-size\r\n" + b"garbage" * 10)
    await w.drain()


# -- size ----------------------------------------------------------------------------------------
@behaviour("huge")
async def _huge(server: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    w.write(_head(200, {"Content-Type": "application/json", "Content-Length": str(HUGE_BYTES)}))
    block = b'{"x": "' + b"a" * (64 * 1024 - 7)
    sent = 0
    while sent < HUGE_BYTES:  # streamed; never built in memory
        w.write(block)
        await w.drain()
        sent += len(block)
        server.bytes_sent += len(block)


async def _bomb(w: asyncio.StreamWriter, encoding: str, data: bytes) -> None:
    w.write(_head(200, {"Content-Type": "application/json", "Content-Encoding": encoding,
                        "Content-Length": str(len(data))}))
    for i in range(0, len(data), 64 * 1024):
        w.write(data[i:i + 64 * 1024])
        await w.drain()


@behaviour("gzip-bomb")
async def _gzip_bomb(server: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    await _bomb(w, "gzip", payloads.gzip_bomb())


@behaviour("deflate-bomb")
async def _deflate_bomb(server: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    await _bomb(w, "deflate", payloads.deflate_bomb())


@behaviour("length-short")  # Content-Length smaller than the body: the client reads a cut document
async def _length_short(server: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    body = b'{"verified": true, "verifiableCredential": {"id": "urn:x"}}'
    w.write(_head(200, {"Content-Type": "application/json", "Content-Length": "12"}) + body)
    await w.drain()


@behaviour("length-long")  # Content-Length larger than the body, then the connection closes
async def _length_long(server: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    body = b'{"verified": true}'
    w.write(_head(200, {"Content-Type": "application/json", "Content-Length": "100000"}) + body)
    await w.drain()


# -- shape ---------------------------------------------------------------------------------------
@behaviour("invalid-json")
async def _invalid_json(server: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    await _answer(w, 200, payloads.INVALID_JSON)


@behaviour("deep-json")
async def _deep_json(server: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    await _answer(w, 200, payloads.deep_json())


@behaviour("huge-number")
async def _huge_number(server: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    await _answer(w, 200, payloads.huge_number_json())


@behaviour("duplicate-keys")
async def _duplicate_keys(server: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    await _answer(w, 200, payloads.DUPLICATE_KEYS)


@behaviour("wrong-content-type")
async def _wrong_ctype(server: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    await _answer(w, 200, b'{"verified": true, "checks": ["proof"]}', ctype="text/html; charset=utf-8")


@behaviour("empty-200")
async def _empty(server: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    await _answer(w, 200, b"")


@behaviour("html-200")
async def _html(server: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    await _answer(w, 200, payloads.HTML_ERROR, ctype="text/html")


# -- redirects -----------------------------------------------------------------------------------
@behaviour("redirect-loop")
async def _redirect_loop(server: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    await _answer(w, 307, b"", extra={"Location": req.path})


@behaviour("redirect-canary")
async def _redirect_canary(server: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    await _answer(w, 307, b"", extra={"Location": f"{server.canary_url}/stolen{req.path}"})


@behaviour("redirect-http")  # on the TLS server: HTTPS -> plain HTTP, same host
async def _redirect_http(server: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    await _answer(w, 307, b"", extra={"Location": f"{server.http_target}{req.path}"})


# -- a VCALM workflow that creates exchanges well, whose exchanges then misbehave ----------------------
@behaviour("exchange-then")  # /exchange-then/<behaviour>/…: POST creates an exchange under /<behaviour>/
async def _exchange_then(server: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    inner = req.path.split("?", 1)[0].split("/")[2] if req.path.count("/") >= 2 else ""
    if inner not in BEHAVIOURS or inner == "exchange-then":
        await _answer(w, 404, b'{"title": "no such behaviour"}')
        return
    exchange = f"{server.base_url}/{inner}/exchanges/x{len(server.requests)}"
    body = {"exchangeUrl": exchange, "interactionUrl": f"{server.base_url}/{inner}/interactions/x?iuv=1"}
    await _answer(w, 201, json.dumps(body).encode(), extra={"Location": exchange})


# -- secrets: everything the client sent comes back, in success and error pages ----------------------
@behaviour("echo-json")
async def _echo_json(server: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    await _answer(w, 200, json.dumps({"verified": True, "echo": _echo(req)}).encode())


@behaviour("echo-400")
async def _echo_400(server: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    echo = _echo(req)
    detail = f"bad request; you sent {echo['headers']!r} and {echo['body']!r}"
    await _answer(w, 400, json.dumps({"title": "Bad Request", "detail": detail, "echo": echo}).encode(),
                  ctype="application/problem+json")


@behaviour("echo-html-500")
async def _echo_html(server: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    rows = "".join(f"<tr><td>{k}</td><td>{v}</td></tr>" for k, v in req.headers)
    body = f"<html><body><h1>500</h1><table>{rows}</table><pre>{_echo(req)['body']}</pre></body></html>"
    await _answer(w, 500, body.encode(), ctype="text/html", extra={"X-Echo-Authorization": req.header("authorization")})


@behaviour("oauth")  # a token endpoint that works, then echoes its form (with client_secret) in headers
async def _oauth(server: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    token = server.oauth_token
    await _answer(w, 200, json.dumps({"access_token": token, "token_type": "Bearer", "expires_in": 3600,
                                      "echo": _echo(req)}).encode(),
                  extra={"X-Echo-Body": req.body[:500].decode("latin-1")})


# -- the canary ------------------------------------------------------------------------------------
async def _canary(server: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    await _answer(w, 200, b'{"@context": {"canary": "urn:canary"}, "id": "did:web:canary", "verified": true}')


class HostileServer:
    """One misbehaving loopback server (``with HostileServer() as s: s.url("never")``)."""

    def __init__(self, *, canary: bool = False, tls: ssl.SSLContext | None = None, lifetime: float = 600.0,
                 canary_url: str = "http://127.0.0.1:9") -> None:
        self.canary = canary
        self.tls = tls
        self.lifetime = lifetime
        self.canary_url = canary_url
        self.http_target = "http://127.0.0.1:9"
        self.oauth_token = ""
        self.trickle_interval = 1.0
        self.documents: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.requests: list[Request] = []
        self.connections = 0
        self.bytes_sent = 0
        self._loop = asyncio.new_event_loop()
        self._loop.set_exception_handler(lambda loop, ctx: None)  # TLS handshakes refused by clients etc.
        self._tasks: set[asyncio.Task[None]] = set()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((LOOPBACK, 0))
        self._sock.listen(64)
        self.port = self._sock.getsockname()[1]
        self._server: asyncio.base_events.Server | None = None
        self._thread = threading.Thread(target=self._run, name=f"hostile-{self.port}", daemon=True)
        self._timer = threading.Timer(lifetime, self.stop)
        self._timer.daemon = True
        self._stopped = threading.Event()

    @property
    def base_url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{LOOPBACK}:{self.port}"

    def url(self, behaviour_name: str, path: str = "") -> str:
        if behaviour_name not in BEHAVIOURS:
            raise KeyError(behaviour_name)
        return f"{self.base_url}/{behaviour_name}{path}"

    def serve(self, path: str, body: bytes | dict[str, object] | list[object], *, status: int = 200,
              headers: dict[str, str] | None = None) -> str:
        """Answer GET ``path`` with a fixed document; returns its URL."""
        data = json.dumps(body).encode() if isinstance(body, (dict, list)) else body
        self.documents[path] = (status, {"Content-Type": "application/json", **(headers or {})}, data)
        return f"{self.base_url}{path}"

    # -- lifecycle ---------------------------------------------------------------------------------
    def start(self) -> HostileServer:
        payloads.gzip_bomb()  # built before serving, so a bomb is never late
        payloads.deflate_bomb()
        ready = threading.Event()
        self._ready = ready
        self._thread.start()
        self._timer.start()
        if not ready.wait(10):
            raise RuntimeError("hostile server did not start")
        return self

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)

        async def main() -> None:
            self._server = await asyncio.start_server(self._handle, sock=self._sock, ssl=self.tls,
                                                      ssl_handshake_timeout=5 if self.tls else None)
            self._ready.set()
            await self._stop_requested.wait()
            self._server.close()
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)

        self._stop_requested = asyncio.Event()
        try:
            self._loop.run_until_complete(main())
        finally:
            self._loop.close()
            self._stopped.set()

    def stop(self) -> None:
        self._timer.cancel()
        if self._thread.is_alive() and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(self._stop_requested.set)
            self._thread.join(10)
        if not self._sock._closed:  # type: ignore[attr-defined]
            self._sock.close()

    def __enter__(self) -> HostileServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- one connection ------------------------------------------------------------------------------
    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self.connections += 1
        try:
            req = await self._read_request(reader, writer)
            if req is None:
                return
            self.requests.append(req)
            if self.canary:
                await _canary(self, req, writer)
                return
            doc = self.documents.get(req.path.split("?", 1)[0])
            if doc is not None:
                status, headers, body = doc
                await _answer(writer, status, body, headers.get("Content-Type", "application/json"),
                              {k: v for k, v in headers.items() if k != "Content-Type"})
                return
            name = req.path.lstrip("/").split("/", 1)[0]
            handler = BEHAVIOURS.get(name)
            if handler is None:
                await _answer(writer, 404, b'{"title": "no such behaviour"}')
                return
            await handler(self, req, writer)
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError, OSError):
            pass
        except asyncio.CancelledError:
            pass
        finally:
            self._tasks.discard(task)
            with contextlib.suppress(Exception):
                writer.close()

    async def _read_request(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> Request | None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
        except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            return None
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) < 2:
            return None
        headers = [(k.strip(), v.strip()) for k, _, v in (line.partition(":") for line in lines[1:] if line)]
        req = Request(parts[0], parts[1], headers, b"", str(writer.get_extra_info("peername")))
        length = int(req.header("content-length") or 0)
        if length:
            req.body = await asyncio.wait_for(reader.readexactly(min(length, MAX_REQUEST_BYTES)), 30)
        return req


def self_signed_tls(directory: Path) -> tuple[ssl.SSLContext, Path]:
    """A server context with a fresh self-signed certificate for 127.0.0.1, and the cert file
    (which a test may trust explicitly; lerconf by default must not)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "lerconf hostile test")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(hours=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(LOOPBACK))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    directory.mkdir(parents=True, exist_ok=True)
    cert_file, key_file = directory / "cert.pem", directory / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert_file, key_file)
    return ctx, cert_file


@dataclass
class Canaries:
    """Every canary of a test, so one assertion covers them all."""

    servers: list[HostileServer] = field(default_factory=list)

    def hits(self) -> int:
        return sum(s.connections for s in self.servers)
