"""The transport under :class:`lerconf.clients.http.VendorClient` that records and replays (lerconf.tape).

Recording, every request that reaches the network is kept with its answer (status, headers, the
decoded body, redacted) or with the error it ended in, plus what lerconf's own endpoints saw
meanwhile (the tape's side channels: who fetched lerconf's status lists, what reached its wire).
Replaying, the same request is answered from the recording and never sent; a request that is not
the recorded one stops the scenario (:class:`lerconf.tape.Diverged`). Outside a tape it is the
plain transport underneath.
"""
from __future__ import annotations

import time
import zlib
from typing import Any

import httpx

from lerconf.errors import ResolutionError
from lerconf.redact import redact_headers, redact_text
from lerconf.tape import Diverged, Tape, active, keep_body, keep_location, kept_body, redacted_url, request_digest

__all__ = ["TapeTransport", "guard_refusal"]

#: headers that describe the bytes on the wire, not the kept (decoded) body
_WIRE_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


class TapeTransport(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport, max_bytes: int, total_s: float = 30.0) -> None:
        self.inner = inner
        self.max_bytes = max_bytes
        self.total_s = total_s

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        tape = active()
        if tape is None or tape.lenient:
            return self.inner.handle_request(request)
        if tape.replaying:
            return _replay(tape, request)
        return self._record(tape, request)

    def close(self) -> None:
        self.inner.close()

    def _record(self, tape: Tape, request: httpx.Request) -> httpx.Response:
        entry: dict[str, Any] = {"k": "http", "method": request.method, "url": redacted_url(str(request.url)),
                                 "req": _digest(request)}
        marks = tape.marks()
        try:
            response = self.inner.handle_request(request)
            body, decoded = self._read(response)
        except (httpx.HTTPError, ResolutionError) as exc:
            entry["error"] = _error_json(exc)
            entry["side"] = tape.changes(marks)
            tape.entries.append(entry)
            raise
        headers = [(k, v) for k, v in response.headers.items()
                   if k.lower() not in _WIRE_HEADERS or (k.lower() == "content-encoding" and not decoded)]
        kept = [(k, keep_location(v) if k.lower() == "location" else v) for k, v in headers]
        entry.update(status=response.status_code, headers=list(redact_headers(kept).items()),
                     body=keep_body(body, response.headers.get("content-type", "")), side=tape.changes(marks))
        tape.entries.append(entry)
        return httpx.Response(response.status_code, headers=headers, stream=httpx.ByteStream(body), request=request)

    def _read(self, response: httpx.Response) -> tuple[bytes, bool]:
        """The body and whether it is decoded: at most ``max_bytes`` (+1, so the client above still
        sees it was too large), so a decompression bomb stops early here too. A body that does not
        decode is kept as sent, for the client above to report as it always does."""
        if response.is_stream_consumed:  # made whole in memory (an in-process transport): already decoded
            return response.content[: self.max_bytes + 1], True
        encoding = response.headers.get("content-encoding", "").lower().strip()
        z = zlib.decompressobj(16 + zlib.MAX_WBITS) if encoding == "gzip" else (
            zlib.decompressobj() if encoding == "deflate" else None)
        raw = bytearray()
        started = time.monotonic()
        try:
            for chunk in response.iter_raw():
                if time.monotonic() - started > self.total_s:  # a body dripping without end
                    raise httpx.ReadTimeout(f"total time limit of {self.total_s:g} s exceeded while reading the body",
                                            request=response.request)
                raw += chunk
                if z is None and len(raw) > self.max_bytes:
                    break
                if z is not None and len(raw) > 4 * self.max_bytes:
                    break
        finally:
            response.close()
        if z is None:
            return bytes(raw[: self.max_bytes + 1]), encoding in ("", "identity")
        try:
            return z.decompress(bytes(raw), self.max_bytes + 1), True
        except zlib.error:
            return bytes(raw), False


def _digest(request: httpx.Request) -> str:
    return request_digest(request.content, request.headers.get("content-type", ""), request.headers.get("authorization"))


def _error_json(exc: Exception) -> dict[str, Any]:
    error: dict[str, Any] = {"type": type(exc).__name__, "message": redact_text(str(exc))}
    if isinstance(exc, ResolutionError):
        error.update(unreached=exc.unreached, fix=exc.fix, url=redact_text(exc.url or ""))
    return error


def _raise(error: dict[str, Any], request: httpx.Request) -> None:
    kind, message = str(error.get("type")), str(error.get("message", ""))
    if kind == "ResolutionError":
        raise ResolutionError(message, str(error.get("url") or "") or None, unreached=bool(error.get("unreached")),
                              fix=str(error.get("fix") or ""))
    cls = getattr(httpx, kind, None)
    if isinstance(cls, type) and issubclass(cls, httpx.RequestError):
        raise cls(message, request=request)
    raise httpx.TransportError(message)


def _replay(tape: Tape, request: httpx.Request) -> httpx.Response:
    url = redacted_url(str(request.url))
    entry = tape.next("http", f"{request.method} {url}")
    if (entry.get("method"), entry.get("url")) != (request.method, url):
        raise Diverged(f"step {tape.position}: lerconf now sends {request.method} {url}, the recording has "
                       f"{entry.get('method')} {entry.get('url')}")
    if entry.get("req") != _digest(request):
        raise Diverged(f"step {tape.position}: lerconf now sends another body, media type or authentication in "
                       f"{request.method} {url} than the recording")
    tape.restore(entry)
    if "error" in entry:
        _raise(dict(entry["error"]), request)
    return httpx.Response(int(entry["status"]), headers=[(str(k), str(v)) for k, v in entry.get("headers", [])],
                         stream=httpx.ByteStream(kept_body(entry)), request=request)


def guard_refusal(url: str, check: Any) -> None:
    """Run lerconf's address guard for ``url`` (``check()``), keeping a refusal on the tape; when
    replaying, the recorded refusal is raised again and nothing is resolved (no DNS offline)."""
    tape = active()
    if tape is not None and tape.lenient:
        tape = None
    if tape is not None and tape.replaying:
        upcoming = tape.entries[tape.position] if tape.position < len(tape.entries) else {}
        if upcoming.get("k") == "guard" and upcoming.get("url") == redacted_url(url):
            tape.position += 1
            error = dict(upcoming["error"])
            raise ResolutionError(str(error.get("message", "")), url, unreached=bool(error.get("unreached")),
                                  fix=str(error.get("fix") or ""))
        return
    try:
        check()
    except ResolutionError as exc:
        if tape is not None:
            tape.entries.append({"k": "guard", "url": redacted_url(url), "error": _error_json(exc)})
        raise
