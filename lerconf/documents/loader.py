"""Resolve documents under lerconf's rules.

Registered documents (contexts, schemas) are taken, in order, from: the URL map, the user's
directories, the user cache, then an HTTPS fetch of the registered URL. Every copy must match
one of the registered sha256 digests. Any other document (a DID document, a status list, a
key URL) comes from the URL map or, when online, from a guarded HTTP fetch. Unregistered
contexts are refused unless the user allowed them.

TLS for those fetches trusts the system store and, for the hosts a vendor profile names, the
CA file that profile gives (``tls.ca_file``: a vendor serving HTTPS with a test CA, such as
``lerconf serve --tls``). Private addresses stay refused unless the user allowed them
(``--allow-private-network``, ``LERCONF_ALLOW_PRIVATE_NETWORK=1``) or named the host.
"""
from __future__ import annotations

import hashlib
import json
import os
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from lerconf.documents import netguard
from lerconf.documents.registry import REGISTRY, RegisteredDocument
from lerconf.errors import ResolutionError
from lerconf.redact import redact_text
from lerconf.tape import Diverged, active, keep_body, kept_body, redacted_url

MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
#: JSON first; a secured credential (a VC-JWT status list) where that is all a server has
ACCEPT = "application/json, application/ld+json, application/vc;q=0.9, application/vc+jwt;q=0.9, application/jwt;q=0.8"
MAX_REDIRECTS = 5
#: how to let lerconf reach a document it could not reach (ResolutionError.fix; see netguard for the guard's)
FIX_OFFLINE = "run without --offline, or map the URL to a local file with --url-map"
FIX_TLS = ("trust the server's certificate: give the vendor's CA as `tls.ca_file` in its profile "
           "(e.g. the file `lerconf serve --tls --ca-out FILE` writes)")
FIX_NOT_TLS = ("the server does not speak TLS on that port: serve HTTPS there (e.g. `lerconf serve --tls`), "
               "or map the URL to a local file with --url-map")
FIX_CONNECT = ("make sure the server is running and reachable from this machine (host, port, firewall), "
               "or map the URL to a local file with --url-map")
#: set by `lerconf run --allow-private-network` for the pytest session it runs
ALLOW_PRIVATE_VARIABLE = "LERCONF_ALLOW_PRIVATE_NETWORK"


def _split_dirs(value: str | None) -> tuple[Path, ...]:
    if not value:
        return ()
    return tuple(Path(p) for p in value.split(os.pathsep) if p)


def default_cache_dir() -> Path:
    base = os.environ.get("LERCONF_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "lerconf"
    )
    return Path(base)


@dataclass
class LoaderSettings:
    """Where documents may come from. Built from CLI flags and LERCONF_* variables."""

    context_dirs: tuple[Path, ...] = ()
    schema_dirs: tuple[Path, ...] = ()
    cache_dir: Path | None = None
    url_map: Mapping[str, Path] = field(default_factory=dict)
    offline: bool = False
    allow_unregistered_contexts: bool = False
    allowed_hosts: frozenset[str] = frozenset()
    allow_private_addresses: bool = False
    #: loopback addresses only (not other private ranges): a reference served next to the harness
    allow_loopback: bool = False
    #: host or host:port -> CA files trusted (besides the system store) for documents on that host
    ca_files: Mapping[str, tuple[Path, ...]] = field(default_factory=dict)
    fetch_timeout: float = 10.0   # connect and each read, seconds
    fetch_deadline: float = 30.0  # one whole fetch, redirects included: a trickling server is cut here

    @classmethod
    def from_env(cls, **overrides: Any) -> LoaderSettings:
        url_map_file = os.environ.get("LERCONF_URL_MAP")
        settings = cls(
            context_dirs=_split_dirs(os.environ.get("LERCONF_CONTEXTS_DIR")),
            schema_dirs=_split_dirs(os.environ.get("LERCONF_SCHEMAS_DIR")),
            cache_dir=default_cache_dir(),
            offline=os.environ.get("LERCONF_OFFLINE", "") not in ("", "0", "false"),
            url_map=load_url_map(Path(url_map_file)) if url_map_file else {},
            allow_private_addresses=private_network_allowed(),
        )
        for key, value in overrides.items():
            if value is not None:
                setattr(settings, key, value)
        return settings


def private_network_allowed() -> bool:
    """Whether the user allowed private addresses for vendor documents (``--allow-private-network``)."""
    return os.environ.get(ALLOW_PRIVATE_VARIABLE, "") not in ("", "0", "false")


def load_url_map(path: Path) -> dict[str, Path]:
    """Read a --url-map file: {"https://...": "relative/or/absolute/path"}."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ResolutionError(f"cannot read URL map {path}: {exc}") from None
    if not isinstance(raw, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in raw.items()):
        raise ResolutionError(f"URL map {path} must be a JSON object of URL strings to path strings")
    return {url: (path.parent / target).resolve() for url, target in raw.items()}


class DocumentLoader:
    """Thread-safe resolver with an in-memory cache of parsed documents."""

    def __init__(self, settings: LoaderSettings | None = None, *, transport: httpx.BaseTransport | None = None) -> None:
        self.settings = settings or LoaderSettings.from_env()
        self._parsed: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._transport = transport
        self.digests_used: dict[str, str] = {}
        self._tls: dict[tuple[Path, ...], ssl.SSLContext | bool] = {}

    # -- registered documents -------------------------------------------------------------
    def load_registered(self, url: str) -> Any:
        """Return the parsed JSON of a registered context or schema, digest-checked."""
        with self._lock:
            if url in self._parsed:
                return self._parsed[url]
        entry = REGISTRY.get(url)
        if entry is None:
            raise ResolutionError(f"{url} is not a registered document", url)
        data = self._registered_bytes(entry)
        doc = _parse_json(data, url)
        with self._lock:
            self._parsed[url] = doc
            self.digests_used[url] = hashlib.sha256(data).hexdigest()
        return doc

    def _registered_bytes(self, entry: RegisteredDocument) -> bytes:
        url, digests = entry.url, entry.digests
        mismatched: list[str] = []
        mapped = self.settings.url_map.get(url)
        if mapped is not None:
            data = _read(mapped, url)
            if hashlib.sha256(data).hexdigest() in digests:
                return data
            raise ResolutionError(
                f"{mapped} (mapped for {url}) does not match any registered sha256 of that URL", url
            )
        dirs = self.settings.context_dirs if entry.kind == "context" else self.settings.schema_dirs
        for directory in dirs:
            for version in entry.versions:
                for candidate in (directory / version.file, directory / Path(version.file).name):
                    if candidate.is_file():
                        data = candidate.read_bytes()
                        if hashlib.sha256(data).hexdigest() in digests:
                            return data
                        mismatched.append(str(candidate))
        cache = self.settings.cache_dir
        if cache is not None:
            for digest in sorted(digests):
                cached = cache / "documents" / digest
                if cached.is_file():
                    data = cached.read_bytes()
                    if hashlib.sha256(data).hexdigest() == digest:
                        return data
        if self.settings.offline:
            hint = f" ({', '.join(mismatched)} did not match the registered digest)" if mismatched else ""
            raise ResolutionError(
                f"{entry.kind} {url} is not available offline{hint}; supply it with "
                f"--{'contexts' if entry.kind == 'context' else 'schemas'}-dir, "
                f"LERCONF_{'CONTEXTS' if entry.kind == 'context' else 'SCHEMAS'}_DIR or --url-map",
                url,
                setup=True,
            )
        data = self._http_get(url, registered=True)
        digest = hashlib.sha256(data).hexdigest()
        if digest not in digests:
            raise ResolutionError(
                f"{url} was fetched but its sha256 {digest} matches no registered version "
                f"({', '.join(sorted(d[:12] for d in digests))}); refusing to use it",
                url,
            )
        if cache is not None:
            try:
                (cache / "documents").mkdir(parents=True, exist_ok=True)
                partial = cache / "documents" / f".{digest}.{os.getpid()}.part"
                partial.write_bytes(data)
                os.replace(partial, cache / "documents" / digest)  # atomic: parallel runs never read half a file
            except OSError:
                pass  # a read-only cache only costs a refetch
        return data

    # -- JSON-LD contexts ----------------------------------------------------------------
    def load_context(self, url: str) -> Any:
        """A context document for the JSON-LD processor; unregistered URLs are refused."""
        if url in REGISTRY:
            if REGISTRY[url].kind != "context":  # e.g. LER-RS names a JSON Schema as a @context
                raise ResolutionError(f"{url} is a registered JSON Schema, not a JSON-LD context: lerconf does not "
                                      "process it as one", url)
            return self.load_registered(url)
        if url in self.settings.url_map:
            return self.load_remote_json(url)
        if not self.settings.allow_unregistered_contexts:
            raise ResolutionError(
                f"refusing to load unregistered JSON-LD context {url} "
                "(pass --allow-unregistered-contexts, or supply it with --url-map)",
                url,
            )
        return self.load_remote_json(url)

    def pyld_loader(self) -> Callable[[str, Any], dict[str, Any]]:
        """The document loader callable pyld expects."""

        def load(url: str, options: Any = None) -> dict[str, Any]:
            return {"contextUrl": None, "documentUrl": url, "document": self.load_context(url)}

        return load

    # -- anything else (DID documents, status lists, key URLs) ------------------------------
    def load_remote_json(self, url: str) -> Any:
        """A non-registered document. Fetched afresh each time: status lists and DID
        documents change during a run (a revocation must be seen at once)."""
        with self._lock:
            if url in self._parsed:
                return self._parsed[url]
        doc = _parse_json(self.load_remote_bytes(url), url)
        if self.settings.url_map.get(url) is not None:  # files given by the user do not change during a run
            with self._lock:
                self._parsed[url] = doc
        return doc

    def load_remote_bytes(self, url: str) -> bytes:
        """A non-registered document as served, under every fetch rule (URL map, offline, address
        guard, size and time limits): for documents that need not be JSON, e.g. a status list
        secured as a VC-JWT (Bitstring Status List §4 allows any secured-VC media type)."""
        mapped = self.settings.url_map.get(url)
        if mapped is not None:
            return _read(mapped, url)
        tape = active()
        if tape is None:
            return self._fetch_remote(url)
        if tape.lenient:  # lerconf's reference answering a request: what it fetched then, else live
            upcoming = tape.entries[tape.position] if tape.position < len(tape.entries) else {}
            if upcoming.get("k") != "fetch" or upcoming.get("url") != redacted_url(url):
                return self._fetch_remote(url)
        if tape.replaying:
            entry = tape.next("fetch", f"a fetch of {redacted_url(url)}")
            if entry.get("url") != redacted_url(url):
                raise Diverged(f"step {tape.position}: lerconf now fetches {redacted_url(url)}, the recording fetched "
                               f"{entry.get('url')}")
            if "error" in entry:
                error = entry["error"]
                raise ResolutionError(str(error.get("message", "")), url, unreached=bool(error.get("unreached")),
                                      fix=str(error.get("fix") or ""))
            return kept_body(entry)
        try:
            data = self._fetch_remote(url)
        except ResolutionError as exc:
            tape.entries.append({"k": "fetch", "url": redacted_url(url), "error": {
                "message": redact_text(str(exc)), "unreached": exc.unreached, "fix": exc.fix}})
            raise
        tape.entries.append({"k": "fetch", "url": redacted_url(url), "body": keep_body(data, "")})
        return data

    def _fetch_remote(self, url: str) -> bytes:
        if self.settings.offline and not self._named_host(url):
            raise ResolutionError(f"{url} is not in the URL map and lerconf is offline", url, unreached=True,
                                  fix=FIX_OFFLINE)
        return self._http_get(url, registered=False)

    def _named_host(self, url: str) -> bool:
        """Hosts the user named (vendor endpoints, the embedded reference) stay reachable offline:
        offline means no fetching from the wider network, not cutting off the systems under test."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return host in self.settings.allowed_hosts or f"{host}:{port}" in self.settings.allowed_hosts

    def _trust_for(self, url: str) -> ssl.SSLContext | bool:
        """TLS trust for a document on ``url``'s host: the system store, plus the CA files of the
        vendor profile that names this host (never for other hosts)."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        files = tuple(self.settings.ca_files.get(f"{host}:{port}", ())) + tuple(self.settings.ca_files.get(host, ()))
        if not files:
            return True
        with self._lock:
            if files not in self._tls:
                try:
                    self._tls[files] = netguard.ssl_context(files)
                except ResolutionError as exc:
                    raise ResolutionError(f"{url}: {exc}", url, unreached=exc.unreached, fix=exc.fix) from None
            return self._tls[files]

    def _http_get(self, url: str, *, registered: bool) -> bytes:
        current = url
        timeout = httpx.Timeout(self.settings.fetch_timeout, connect=min(5.0, self.settings.fetch_timeout))
        started = time.monotonic()
        transport = self._transport
        if transport is None and not registered:  # registered documents are digest-checked instead
            transport = netguard.pinned_transport(allowed_hosts=self.settings.allowed_hosts,
                                                  allow_private=self.settings.allow_private_addresses,
                                                  allow_loopback=self.settings.allow_loopback,
                                                  verify=self._trust_for(url))
        with httpx.Client(timeout=timeout, follow_redirects=False, transport=transport,
                          headers={"Accept-Encoding": "gzip, deflate"}) as client:
            for _ in range(MAX_REDIRECTS + 1):
                if time.monotonic() - started > self.settings.fetch_deadline:
                    raise ResolutionError(f"{url}: fetch took longer than {self.settings.fetch_deadline:g} s", url)
                if not registered:
                    netguard.check_url(
                        current,
                        allowed_hosts=self.settings.allowed_hosts,
                        allow_private=self.settings.allow_private_addresses,
                        allow_loopback=self.settings.allow_loopback,
                    )
                elif urlsplit(current).scheme != "https":
                    raise ResolutionError(f"refusing non-HTTPS location {current} for registered {url}", url)
                try:
                    with client.stream("GET", current, headers={"Accept": ACCEPT}) as resp:
                        if resp.is_redirect:
                            target = urljoin(current, resp.headers.get("location", ""))
                            if not registered and _origin(target) != _origin(url):
                                raise ResolutionError(
                                    f"{url} redirected to another origin ({target}); not followed", url
                                )
                            current = target
                            continue
                        if resp.status_code != 200:
                            raise ResolutionError(f"GET {current} answered HTTP {resp.status_code}", url)
                        chunks: list[bytes] = []
                        size = 0
                        decoder = _capped_decoder(resp.headers.get("content-encoding", ""), url)
                        for raw in resp.iter_raw():  # decoded here, at most the limit: a gzip bomb stops early
                            if time.monotonic() - started > self.settings.fetch_deadline:
                                raise ResolutionError(
                                    f"{url}: fetch took longer than {self.settings.fetch_deadline:g} s", url)
                            chunk = decoder(raw, MAX_DOCUMENT_BYTES - size)
                            size += len(chunk)
                            if size > MAX_DOCUMENT_BYTES:
                                raise ResolutionError(
                                    f"{url}: response exceeded the {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB limit", url
                                )
                            chunks.append(chunk)
                        return b"".join(chunks)
                except httpx.TimeoutException:
                    raise ResolutionError(
                        f"timeout after {self.settings.fetch_timeout:g} s fetching {current}", url, unreached=True,
                        fix=f"make sure the server answers within {self.settings.fetch_timeout:g} s, or map the URL "
                            "to a local file with --url-map") from None
                except zlib.error as exc:
                    raise ResolutionError(f"{url}: body could not be decoded: {exc}", url) from None
                except httpx.HTTPError as exc:
                    raise _fetch_error(exc, current, url) from None
        raise ResolutionError(f"{url}: more than {MAX_REDIRECTS} redirects", url)


def _fetch_error(exc: httpx.HTTPError, current: str, url: str) -> ResolutionError:
    """What went wrong with one fetch, classified: lerconf got no answer (``unreached``, with the
    fix) — the address guard refused, DNS, TLS trust, connection refused or reset — or the server
    answered something unusable (a protocol error)."""
    message = f"cannot fetch {current}: {type(exc).__name__}: {exc}"
    cause = exc.__cause__
    if isinstance(cause, netguard.GuardRefused):
        return ResolutionError(message, url, unreached=True, fix=netguard.FIX_GUARD)
    if isinstance(cause, netguard.NameUnresolved):
        return ResolutionError(message, url, unreached=True, fix=netguard.FIX_DNS)
    if not isinstance(exc, httpx.NetworkError):  # the server answered, but not HTTP lerconf can read
        return ResolutionError(message, url)
    text = str(exc)
    if "WRONG_VERSION_NUMBER" in text or "wrong version number" in text:
        return ResolutionError(f"cannot fetch {current}: TLS handshake failed (the server does not speak TLS): {exc}",
                               url, unreached=True, fix=FIX_NOT_TLS)
    if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text or "SSL" in text:
        return ResolutionError(f"cannot fetch {current}: TLS trust failed: {exc}", url, unreached=True, fix=FIX_TLS)
    if any(m in text for m in ("Name or service not known", "nodename nor servname", "name resolution",
                               "No address associated")):
        return ResolutionError(message, url, unreached=True, fix=netguard.FIX_DNS)
    return ResolutionError(message, url, unreached=True, fix=FIX_CONNECT)


def _capped_decoder(encoding: str, url: str) -> Callable[[bytes, int], bytes]:
    """gzip/deflate decoding that never produces more than budget + 1 bytes per call."""
    enc = encoding.lower().strip()
    if enc in ("", "identity"):
        return lambda data, budget: data
    if enc not in ("gzip", "deflate"):
        raise ResolutionError(f"{url}: unsupported Content-Encoding {encoding!r}", url)
    z = zlib.decompressobj(16 + zlib.MAX_WBITS if enc == "gzip" else zlib.MAX_WBITS)

    def feed(data: bytes, budget: int) -> bytes:
        out = z.decompress(data, budget + 1)
        while z.unconsumed_tail and len(out) <= budget:
            out += z.decompress(z.unconsumed_tail, budget + 1 - len(out))
        return out

    return feed


def _origin(url: str) -> tuple[str, str, int | None]:
    p = urlsplit(url)
    return (p.scheme, p.hostname or "", p.port)


def _read(path: Path, url: str) -> bytes:
    try:
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            raise ResolutionError(f"{path} (mapped for {url}) is larger than the document limit", url)
        return path.read_bytes()
    except OSError as exc:
        raise ResolutionError(f"cannot read {path} (mapped for {url}): {exc.strerror}", url) from None


def _parse_json(data: bytes, url: str) -> Any:
    try:
        return json.loads(data)
    except ValueError as exc:
        raise ResolutionError(f"{url} is not valid JSON: {exc}", url) from None
