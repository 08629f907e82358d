"""The one HTTP client every vendor call goes through.

It applies timeouts and a total deadline, caps (decoded) response size, never retries a
non-idempotent call, follows redirects only within the same origin (or hosts the profile
allows), refuses non-public addresses the profile did not name, honours the profile's rate
limit and request budget, opens a circuit after repeated transport failures, classifies the
outcome and records a redacted Exchange as evidence. TLS trusts the system store and the CA
file the profile names (``tls.ca_file``).
"""
from __future__ import annotations

import json
import os
import threading
import time
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from lerconf import __version__
from lerconf.clients.tape_transport import TapeTransport, guard_refusal
from lerconf.documents import netguard
from lerconf.documents.json_values import nests_within
from lerconf.errors import ProfileError, ResolutionError
from lerconf.exchange import EVIDENCE_BODY_LIMIT, Exchange
from lerconf.outcome import Outcome, classify_status
from lerconf.profile.load import VendorProfile
from lerconf.redact import (
    REDACTED,
    SECRETS,
    clean_json_copy,
    redact_headers,
    redact_json,
    redact_text,
    secret_values,
)
from lerconf.tape import replay_session

MAX_RESPONSE_BYTES = 10 * 1024 * 1024
#: how lerconf's calls name themselves (lerconf's own endpoints tell them from a wallet's by it)
USER_AGENT = f"lerconf/{__version__} (conformance harness)"
#: lerconf's calls to its own embedded reference (which keeps their draws for a replay; lerconf.refimpl.replay)
OWN_USER_AGENT = f"lerconf/{__version__} (conformance harness; own reference)"
MAX_REDIRECTS = 5
CIRCUIT_THRESHOLD = 3


@dataclass
class Timeouts:
    connect: float = 5.0
    read: float = 10.0
    total: float = 30.0


class _Decoder:
    """gzip/deflate decoding with a hard cap on output, so a decompression bomb stops early."""

    def __init__(self, encoding: str) -> None:
        enc = encoding.lower().strip()
        self._z = zlib.decompressobj(16 + zlib.MAX_WBITS) if enc == "gzip" else (
            zlib.decompressobj() if enc == "deflate" else None)
        if enc not in ("", "identity", "gzip", "deflate"):
            raise ValueError(f"unsupported Content-Encoding {encoding!r}")

    def feed(self, data: bytes, budget: int) -> bytes:
        if self._z is None:
            return data
        out = self._z.decompress(data, budget + 1)
        while self._z.unconsumed_tail and len(out) <= budget:
            out += self._z.decompress(self._z.unconsumed_tail, budget + 1 - len(out))
        return out


class VendorClient:
    """Calls one vendor's endpoints under its profile's rules."""

    def __init__(
        self,
        profile: VendorProfile,
        *,
        timeouts: Timeouts | None = None,
        transport: httpx.BaseTransport | None = None,
        recorder: Callable[[Exchange], None] | None = None,
        allow_private_addresses: bool = False,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        taped: bool = True,
    ) -> None:
        """``taped`` False: calls to lerconf's own embedded reference, which runs (deterministically)
        in a replay too, so they are neither recorded nor answered from a recording."""
        self.profile = profile
        self.timeouts = timeouts or Timeouts()
        self.recorder = recorder
        self.allow_private = allow_private_addresses
        self.max_response_bytes = max_response_bytes
        self.allowed_hosts = profile.hosts | frozenset(profile.allow_redirects_to)
        if transport is None:  # the address decision is made again on the address connected to
            try:  # TLS trusts the system store plus the profile's tls.ca_file
                verify = netguard.ssl_context([profile.tls_ca_file] if profile.tls_ca_file else [])
            except ResolutionError as exc:
                raise ProfileError(f"{profile.source}: tls.ca_file: {exc}") from None
            transport = netguard.pinned_transport(allowed_hosts=self.allowed_hosts, allow_private=allow_private_addresses,
                                                  verify=verify)
        if taped:
            transport = TapeTransport(transport, max_response_bytes, self.timeouts.total)  # `lerconf run --record` / `lerconf replay`
        self._client = httpx.Client(
            timeout=httpx.Timeout(self.timeouts.read, connect=self.timeouts.connect),
            follow_redirects=False, transport=transport,
            headers={"Accept-Encoding": "gzip, deflate", "User-Agent": USER_AGENT if taped else OWN_USER_AGENT},
        )
        self._lock = threading.Lock()
        self._last_call = 0.0
        self.request_count = 0
        self._consecutive_transport = 0
        self._token: tuple[str, float] | None = None
        self._auth_headers = self._static_auth_headers()

    # -- auth -------------------------------------------------------------------------------
    def _env(self, name: str, where: str) -> str:
        value = os.environ.get(name)
        if not value and replay_session():  # answers come from the recording: the secret is never sent
            return REDACTED
        if not value:
            raise ProfileError(f"{self.profile.source}: {where}: environment variable {name} is not set")
        SECRETS.add(value)
        return value

    def _static_auth_headers(self) -> dict[str, str]:
        auth = self.profile.auth
        if auth.bearer_token_env:
            return {"Authorization": f"Bearer {self._env(auth.bearer_token_env, 'auth.bearer_token_env')}"}
        headers = {name: self._env(env, f"auth.headers_env.{name}") for name, env in auth.headers_env.items()}
        if auth.oauth2:
            self._env(str(auth.oauth2["client_secret_env"]), "auth.oauth2.client_secret_env")
        return headers

    def _oauth_header(self) -> dict[str, str]:
        o = self.profile.auth.oauth2
        if not o:
            return {}
        if self._token and self._token[1] > time.monotonic() + 30:
            return {"Authorization": f"Bearer {self._token[0]}"}
        form = {"grant_type": "client_credentials", "client_id": str(o["client_id"]),
                "client_secret": self._env(str(o["client_secret_env"]), "auth.oauth2.client_secret_env")}
        if o.get("scopes"):
            form["scope"] = " ".join(o["scopes"])
        if o.get("audience"):
            form["audience"] = str(o["audience"])
        raw: list[Any] = []  # the unredacted body: the evidence copy has the token scrubbed
        ex = self._send("POST", str(o["token_url"]), form=form, with_auth=False, keep_json=raw)
        body = raw[0] if raw else None
        token = body.get("access_token") if isinstance(body, Mapping) else None
        if ex.outcome is not Outcome.ACCEPTED or not isinstance(token, str) or not isinstance(body, Mapping):
            raise ProfileError(f"{self.profile.source}: OAuth2 token request failed: {ex.outcome.value} {ex.reason}")
        SECRETS.add(token)
        expires = body.get("expires_in", 300)
        self._token = (token, time.monotonic() + (float(expires) if isinstance(expires, (int, float)) else 300.0))
        return {"Authorization": f"Bearer {token}"}

    # -- calls ------------------------------------------------------------------------------
    def post_json(self, url: str, body: Any) -> Exchange:
        return self._send("POST", url, json_body=body)

    def get_json(self, url: str) -> Exchange:
        return self._send("GET", url)

    def post_form(self, url: str, form: Mapping[str, str]) -> Exchange:
        """A form-encoded POST (OAuth-style endpoints, e.g. OID4VP direct_post)."""
        return self._send("POST", url, form=form)

    def request(self, method: str, url: str, *, json_body: Any = None, form: Mapping[str, str] | None = None,
                headers: Mapping[str, str] | None = None, with_auth: bool = True,
                keep_json: list[Any] | None = None, keep_text: list[str] | None = None,
                follow_redirects: bool = True, content: str | bytes | None = None,
                accept_text: bool = False, keep_bytes: list[bytes] | None = None,
                keep_headers: list[dict[str, str]] | None = None) -> Exchange:
        """A protocol call (OID4VCI, OID4VP): form bodies, the protocol's own headers (e.g. an access
        token, recorded redacted), without the profile's auth when ``with_auth`` is False, and the
        unredacted JSON body appended to ``keep_json``, the unredacted text to ``keep_text`` (the
        Exchange keeps only the redacted copies: a protocol document is read from what was sent,
        never from evidence, where a secret value may have been scrubbed out of a token).
        With ``follow_redirects`` False a redirect is the answer (its Location in the headers), as
        an OAuth client reads an authorization response.

        ``content`` is a raw body (e.g. a compact JWS posted as ``text/plain``; give its
        Content-Type in ``headers``), recorded redacted as text. With ``accept_text`` a 2xx
        ``text/plain`` or empty answer is accepted (e.g. the VC-JWT an OB 3.0 upsert echoes, an RFC
        7009 revocation's empty 200), not malformed. ``keep_bytes`` receives the body as it came (an
        issuer's delivered artefact may be an image). ``keep_headers`` receives the response headers
        unredacted: a URL the vendor names in ``Location`` or ``Link`` is followed as sent, never as
        evidence shows it (a random id that happens to contain a short secret seen earlier is
        scrubbed there)."""
        return self._send(method, url, json_body=json_body, form=form, with_auth=with_auth, keep_json=keep_json,
                          keep_text=keep_text, extra_headers=headers, follow_redirects=follow_redirects,
                          content=content, accept_text=accept_text, keep_bytes=keep_bytes, keep_headers=keep_headers)

    def _send(self, method: str, url: str, *, json_body: Any = None, form: Mapping[str, str] | None = None,
              with_auth: bool = True, keep_json: list[Any] | None = None, keep_text: list[str] | None = None,
              extra_headers: Mapping[str, str] | None = None, follow_redirects: bool = True,
              content: str | bytes | None = None, accept_text: bool = False,
              keep_bytes: list[bytes] | None = None, keep_headers: list[dict[str, str]] | None = None) -> Exchange:
        started = time.monotonic()
        body_evidence = redact_json(json_body) if json_body is not None else (
            {k: "[REDACTED]" if k in ("client_secret",) else v for k, v in redact_json(dict(form)).items()}
            if form else _content_evidence(content))
        headers = {"Accept": "application/json"}
        refused = self._refusal()
        if refused is None and with_auth:
            # before taking this call's rate-limit slot: a token request takes its own
            headers.update(self._auth_headers)
            headers.update(self._oauth_header())
        headers.update(extra_headers or {})
        refused = refused or self._admit()
        if refused:
            return self._record(Exchange(method, url, {}, body_evidence, Outcome.TRANSPORT_ERROR, refused))
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            if time.monotonic() - started > self.timeouts.total:  # slow redirect hops add up
                return self._record(self._fail(method, url, headers, body_evidence, Outcome.TRANSPORT_ERROR,
                                               f"total time limit of {self.timeouts.total:g} s exceeded", started))
            try:
                guard_refusal(current, lambda at=current: netguard.check_url(at, allowed_hosts=self.allowed_hosts,
                                                                             allow_private=self.allow_private))
            except ResolutionError as exc:
                return self._record(self._fail(method, url, headers, body_evidence, Outcome.TRANSPORT_ERROR, str(exc), started))
            try:
                request = self._client.build_request(method, current, headers=headers, json=json_body, data=form,
                                                     content=content)
                response = self._client.send(request, stream=True)
            except httpx.TimeoutException as exc:
                return self._record(self._fail(method, url, headers, body_evidence, Outcome.TRANSPORT_ERROR,
                                               self._timeout_reason(exc), started))
            except httpx.HTTPError as exc:
                return self._record(self._fail(method, url, headers, body_evidence, Outcome.TRANSPORT_ERROR,
                                               f"{type(exc).__name__}: {redact_text(str(exc)) or 'connection failed'}", started))
            try:
                if response.has_redirect_location and follow_redirects:
                    target = urljoin(current, response.headers.get("location", ""))
                    response.close()
                    if not self._may_follow(url, target):
                        return self._record(self._fail(method, url, headers, body_evidence, Outcome.MALFORMED_RESPONSE,
                                                       f"redirect to {redact_text(target)} not followed (other origin)",
                                                       started, status=response.status_code))
                    if method == "POST" and response.status_code in (301, 302, 303):
                        return self._record(self._fail(method, url, headers, body_evidence, Outcome.MALFORMED_RESPONSE,
                                                       f"HTTP {response.status_code} redirect of a POST not followed",
                                                       started, status=response.status_code))
                    current = target
                    continue
                if keep_headers is not None:
                    keep_headers.append({k.lower(): v for k, v in response.headers.items()})
                return self._record(self._read(method, url, headers, body_evidence, response, started, keep_json,
                                                 keep_text, accept_text, keep_bytes))
            finally:
                response.close()
        return self._record(self._fail(method, url, headers, body_evidence, Outcome.MALFORMED_RESPONSE,
                                       f"more than {MAX_REDIRECTS} redirects", started))

    def _may_follow(self, original: str, target: str) -> bool:
        a, b = urlsplit(original), urlsplit(target)
        if b.scheme not in ("http", "https"):
            return False
        if a.scheme == "https" and b.scheme != "https":
            return False
        if (a.scheme, a.hostname, a.port) == (b.scheme, b.hostname, b.port):
            return True
        host = b.hostname or ""
        return host in self.profile.allow_redirects_to or f"{host}:{b.port}" in self.profile.allow_redirects_to

    def _timeout_reason(self, exc: httpx.TimeoutException) -> str:
        kind, limit = {httpx.ConnectTimeout: ("connect", self.timeouts.connect),
                       httpx.WriteTimeout: ("write", self.timeouts.read),
                       httpx.PoolTimeout: ("pool", self.timeouts.read)}.get(type(exc), ("read", self.timeouts.read))
        return f"{kind} timeout after {limit:g} s ({type(exc).__name__})"

    def _read(self, method: str, url: str, headers: dict[str, str], body: Any, response: httpx.Response,
              started: float, keep_json: list[Any] | None = None, keep_text: list[str] | None = None,
              accept_text: bool = False, keep_bytes: list[bytes] | None = None) -> Exchange:
        status = response.status_code
        try:
            decoder = _Decoder(response.headers.get("content-encoding", ""))
            chunks: list[bytes] = []
            size = 0
            for raw in response.iter_raw():
                if time.monotonic() - started > self.timeouts.total:
                    return self._fail(method, url, headers, body, Outcome.TRANSPORT_ERROR,
                                      f"total time limit of {self.timeouts.total:g} s exceeded while reading the body",
                                      started, status=status, response=response)
                data = decoder.feed(raw, self.max_response_bytes - size)
                size += len(data)
                if size > self.max_response_bytes:
                    return self._fail(method, url, headers, body, Outcome.TRANSPORT_ERROR,
                                      f"response body exceeded {_size(self.max_response_bytes)} limit",
                                      started, status=status, response=response)
                chunks.append(data)
        except httpx.TimeoutException:
            return self._fail(method, url, headers, body, Outcome.TRANSPORT_ERROR,
                              f"timeout after {self.timeouts.read:g} s waiting for the body", started, status=status, response=response)
        except (httpx.HTTPError, zlib.error, ValueError) as exc:
            return self._fail(method, url, headers, body, Outcome.TRANSPORT_ERROR,
                              f"body could not be read: {type(exc).__name__}: {exc}", started, status=status, response=response)
        raw_body = b"".join(chunks)
        if keep_bytes is not None:
            keep_bytes.append(raw_body)
        text = raw_body.decode("utf-8", errors="replace")
        parsed, safe_json, problem = _parse_json(raw_body)
        if keep_json is not None:
            keep_json.append(parsed)
        if keep_text is not None:
            keep_text.append(text)
        # the scrubbed text is kept only for an answer that is not JSON (evidence shows the JSON otherwise),
        # and read for a reason only where the JSON names none: scrubbing a whole body costs
        safe_text = redact_text(text) if safe_json is None else None
        ctype = response.headers.get("content-type", "")
        outcome, reason = _classify(status, ctype, parsed, problem, safe_json, text)
        if accept_text and outcome is Outcome.MALFORMED_RESPONSE and 200 <= status < 300:
            if ctype.split(";")[0].strip().lower() == "text/plain":
                outcome, reason = Outcome.ACCEPTED, f"HTTP {status} (text/plain)"
            elif not raw_body.strip():
                outcome, reason = Outcome.ACCEPTED, f"HTTP {status} (no body)"
        self._consecutive_transport = 0
        return Exchange(method, url, redact_headers(headers.items(), self.profile.auth.headers_env), body, outcome,
                        redact_text(reason), status, redact_headers(response.headers.items()),
                        # scrubbed before cutting: no secret is cut in half
                        safe_text[:EVIDENCE_BODY_LIMIT] if safe_text is not None else "",
                        safe_json, int((time.monotonic() - started) * 1000))

    def _fail(self, method: str, url: str, headers: dict[str, str], body: Any, outcome: Outcome, reason: str,
              started: float, status: int | None = None, response: httpx.Response | None = None) -> Exchange:
        if outcome is Outcome.TRANSPORT_ERROR:
            self._consecutive_transport += 1
        else:  # the vendor answered: failures are no longer consecutive
            self._consecutive_transport = 0
        return Exchange(method, url, redact_headers(headers.items(), self.profile.auth.headers_env), body, outcome,
                        redact_text(reason), status,
                        redact_headers(response.headers.items()) if response is not None else {},
                        elapsed_ms=int((time.monotonic() - started) * 1000))

    def _refusal(self) -> str | None:
        """Why a call may not be made now (circuit open, budget spent), or None."""
        if self._consecutive_transport >= CIRCUIT_THRESHOLD:
            return (f"not called: circuit open after {self._consecutive_transport} consecutive transport failures "
                    f"to {self.profile.name}")
        if self.profile.max_requests is not None and self.request_count >= self.profile.max_requests:
            return f"not called: request budget of {self.profile.max_requests} for {self.profile.name} is spent"
        return None

    def _admit(self) -> str | None:
        """Rate limit, request budget and circuit breaker; a reason when the call is refused."""
        with self._lock:
            refused = self._refusal()
            if refused:
                return refused
            if self.profile.rate_limit_per_second:
                wait = self._last_call + 1.0 / self.profile.rate_limit_per_second - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
            self._last_call = time.monotonic()
            self.request_count += 1
        return None

    def _record(self, exchange: Exchange) -> Exchange:
        if self.recorder is not None:
            self.recorder(exchange)
        return exchange

    def close(self) -> None:
        self._client.close()


def _content_evidence(content: str | bytes | None) -> str | None:
    """A raw request body as evidence shows it: text, secrets scrubbed, cut to the evidence limit."""
    if content is None:
        return None
    text = content.decode("utf-8", errors="replace") if isinstance(content, bytes) else content
    return redact_text(text)[:EVIDENCE_BODY_LIMIT]


def _parse_json(raw_body: bytes) -> tuple[Any, Any, str]:
    """(the JSON body, its redacted copy, why it could not be read): secrets it carries are
    registered first, so they are scrubbed from the text as well."""
    if not raw_body.strip():
        return None, None, ""
    try:
        parsed = json.loads(raw_body, object_pairs_hook=_unique_keys)
        if not nests_within(parsed, MAX_ANSWER_DEPTH):  # every walk of it (redaction, checks) would give up
            return None, None, "JSON nested too deeply to read"
        clean = clean_json_copy(raw_body)
        if clean is not None:  # no secret field, no known secret: nothing to register or redact
            return parsed, clean, ""
        SECRETS.add_all(secret_values(parsed))  # e.g. a token in the body: scrub it from the text too
        return parsed, redact_json(parsed), ""
    except _DuplicateKey as exc:  # two readings of one answer: lerconf takes neither
        return None, None, f"duplicate key {redact_text(str(exc))!r} in a JSON object"
    except RecursionError:
        return None, None, "JSON nested too deeply to read"
    except ValueError as exc:  # not JSON (or a number longer than Python converts)
        too_long = "integer string conversion" in str(exc)
        return None, None, "a JSON number with more digits than lerconf reads" if too_long else ""


#: the deepest nesting of objects and arrays lerconf reads in an answer: json.loads takes ~1,000 levels, a
#: recursive walk of the answer (redaction two frames a level, checks) from inside a scenario would not;
#: such an answer is malformed, said once, here, whatever the depth of the stack it is read from
MAX_ANSWER_DEPTH = 256


def _classify(status: int, ctype: str, parsed: Any, problem: str, safe_json: Any, text: str) -> tuple[Outcome, str]:
    """The outcome of an answer and the reason evidence gives: a 2xx that is not JSON is malformed."""
    outcome = classify_status(status)
    if outcome is Outcome.ACCEPTED:
        if parsed is None:
            return Outcome.MALFORMED_RESPONSE, f"HTTP {status} but the body is not JSON (Content-Type {ctype or 'missing'})" + (
                f": {problem}" if problem else "")
        if "json" not in ctype.lower():  # the answer does not say it is JSON: not the promised shape
            return Outcome.MALFORMED_RESPONSE, f"HTTP {status} with Content-Type {ctype or 'missing'}, not JSON"
        return outcome, f"HTTP {status}"
    if outcome is Outcome.REJECTED:
        detail = _reason_text(safe_json, text)
        return outcome, f"HTTP {status}: {detail}" if detail else f"HTTP {status} without a reason"
    if outcome is Outcome.SERVER_ERROR:
        return outcome, f"HTTP {status} server error"
    if outcome is Outcome.AUTH_ERROR:
        return outcome, f"HTTP {status}: credentials refused"
    detail = _reason_text(safe_json, text)
    return outcome, f"HTTP {status} is neither a success nor a rejection (400/422)" + (f": {detail}" if detail else "")


class _DuplicateKey(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _size(n: int) -> str:
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= scale and n % scale == 0:
            return f"{n // scale} {unit}"
    return f"{n} byte"


def _reason_text(parsed: Any, text: str) -> str:
    """The vendor's reason: a JSON answer's reason field (``parsed`` is the scrubbed JSON), else the start of
    the body's text, scrubbed here (``text`` may be the raw body)."""
    if isinstance(parsed, Mapping):
        for key in ("detail", "message", "error_description", "title", "error", "errors", "problemDetails"):
            if parsed.get(key):
                value = parsed[key]
                return (json.dumps(value)[:300] if not isinstance(value, str) else value[:300])
    return redact_text(text).strip()[:200]
