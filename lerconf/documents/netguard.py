"""Decides whether lerconf may connect to an address.

Vendor documents (DID documents, status lists, key URLs) can point anywhere. lerconf refuses
private, loopback, link-local and other special-purpose addresses unless the user allowed
them (a vendor profile naming a loopback endpoint allows exactly that host). The decision is
made before any connection, on every address the name resolves to. ``allow_loopback`` opens
loopback addresses only (127.0.0.0/8, ::1), for a reference served next to the harness on one
machine; ``allow_private`` opens every non-public address.

TLS: :func:`ssl_context` trusts the system store plus the CA files a vendor profile names.
"""
from __future__ import annotations

import functools
import hashlib
import ipaddress
import socket
import ssl
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from lerconf.errors import ResolutionError

Resolver = Callable[[str, int], list[str]]

#: how to let lerconf reach a document it refused or could not reach (ResolutionError.fix)
FIX_GUARD = ("name the host under `documents.hosts` in the vendor profile, or pass --allow-private-network "
             "(LERCONF_ALLOW_PRIVATE_NETWORK=1)")
FIX_DNS = "check the host name and this machine's DNS, or map the URL to a local file with --url-map"
FIX_CA_FILE = "check the `tls.ca_file` the vendor profile gives: it must be a readable PEM CA certificate"


class GuardRefused(httpcore.ConnectError):
    """The address guard refused a connection (raised at connect time, so httpx wraps it: the
    loader finds it as the ``__cause__`` of the httpx error)."""


class NameUnresolved(httpcore.ConnectError):
    """The host name did not resolve (DNS) when the guard looked it up."""


def _system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def is_public_address(addr: str) -> bool:
    ip = ipaddress.ip_address(addr.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour  # ::ffff:a.b.c.d and 2002::/16 stand for an IPv4 address
        if embedded is not None:
            ip = embedded
    return ip.is_global and not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved)


def is_loopback_address(addr: str) -> bool:
    ip = ipaddress.ip_address(addr.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped.is_loopback
    return ip.is_loopback


def _may_use(addr: str, allow_loopback: bool) -> bool:
    return is_public_address(addr) or (allow_loopback and is_loopback_address(addr))


@functools.cache
def default_tls(trust_env: bool = True) -> ssl.SSLContext:
    """httpx's default trust (``verify=True``: certifi's bundle, and SSL_CERT_FILE / SSL_CERT_DIR where
    ``trust_env``), built once: building it reads the whole bundle (tens of milliseconds), and a
    transport per document fetch or per wallet flow used to build it each time (issue 19)."""
    return httpx.create_ssl_context(trust_env=trust_env)


def ssl_context(ca_files: Iterable[Path] = ()) -> ssl.SSLContext | bool:
    """``True`` (httpx's default trust) without CA files; else a context that trusts the system
    store, certifi's bundle and each CA file (a vendor's test CA, e.g. ``lerconf serve --tls``)."""
    files = files_key(ca_files)
    if not files:
        return True
    return _trusting(files)


@dataclass(frozen=True)
class CaFile:
    """A CA file as read once: equal to another when it holds the same bytes, wherever it lies (lerconf's
    embedded reference writes its one CA to a new folder at each start), so contexts are kept per CA."""

    digest: str
    path: str = field(compare=False)
    #: what the file held; None when it could not be read
    data: bytes | None = field(compare=False, repr=False)
    #: why it could not be read
    error: str = field(default="", compare=False)

    def load_into(self, context: ssl.SSLContext) -> None:
        """Trust the certificates read from the file (never the path read again: what was hashed is what is
        trusted). Raises OSError when it could not be read and ssl.SSLError when it holds no certificate."""
        if self.data is None:
            raise OSError(self.error)
        # PEM is ASCII; bytes outside its blocks (a bundle's comments, a friendlyName) are not read anyway
        text = self.data.decode("ascii", errors="ignore")
        try:
            context.load_verify_locations(cadata=text if "-----BEGIN" in text else self.data)
        except (ValueError, TypeError) as exc:  # empty data and the like: what OpenSSL says of a bad file
            raise ssl.SSLError(str(exc)) from None


#: CA files as a cache key: what each holds
FilesKey = tuple[CaFile, ...]


def files_key(paths: Iterable[Path]) -> FilesKey:
    """Each file as it is now: a context built from these files is the same context until one of them
    holds something else (a test CA made again at the same path is a new key)."""
    key = []
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            key.append(CaFile(f"unreadable:{path}", str(path), None, str(exc)))
            continue
        key.append(CaFile(hashlib.sha256(data).hexdigest(), str(path), data))
    return tuple(key)


@functools.lru_cache(maxsize=32)
def _trusting(files: FilesKey) -> ssl.SSLContext:
    """Built once per set of CAs: loading the system store and certifi's bundle takes tens of
    milliseconds, and every vendor client of a run (one per scenario) asked for it (issue 19)."""
    import certifi

    context = ssl.create_default_context()
    context.load_verify_locations(cafile=certifi.where())
    for ca in files:
        try:
            ca.load_into(context)
        except (OSError, ssl.SSLError) as exc:
            raise ResolutionError(f"cannot use CA file {ca.path}: {exc}", ca.path, unreached=True,
                                  fix=FIX_CA_FILE) from None
    return context


def check_url(
    url: str,
    *,
    allowed_hosts: Iterable[str] = (),
    allow_private: bool = False,
    allow_loopback: bool = False,
    resolver: Resolver = _system_resolver,
) -> None:
    """Raise ResolutionError if url points at a host lerconf must not contact."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ResolutionError(f"refusing to fetch {url}: scheme {parts.scheme!r} is not http(s)", url)
    host = parts.hostname
    if not host:
        raise ResolutionError(f"refusing to fetch {url}: no host", url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if host in allowed_hosts or f"{host}:{port}" in allowed_hosts or allow_private:
        return
    try:
        addrs = [host] if _is_ip(host) else resolver(host, port)
    except OSError as exc:
        raise ResolutionError(f"cannot resolve host of {url}: {exc}", url, unreached=True, fix=FIX_DNS) from None
    if not addrs:
        raise ResolutionError(f"refusing to fetch {url}: {host} resolves to no address", url, unreached=True,
                              fix=FIX_DNS)
    for addr in addrs:
        if not _may_use(addr, allow_loopback):
            raise ResolutionError(
                f"refusing to fetch {url}: {host} resolves to non-public address {addr} "
                "(name the host in the vendor profile (documents.hosts) or allow private addresses "
                "with --allow-private-network to permit it)",
                url,
                unreached=True,
                fix=FIX_GUARD,
            )


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


def address_to_connect(host: str, port: int, *, allowed_hosts: Iterable[str] = (), allow_private: bool = False,
                       allow_loopback: bool = False, resolver: Resolver = _system_resolver) -> str:
    """The address to connect to for ``host`` (resolved once: connect to exactly this one), or
    NameUnresolved / GuardRefused. A host the profile names, or any with ``allow_private``, is
    returned as it is. Every socket lerconf opens to a vendor decides here (the HTTP client's
    backend, the TLS probe)."""
    allowed = frozenset(allowed_hosts)
    if allow_private or host in allowed or f"{host}:{port}" in allowed:
        return host
    try:
        addrs = [host] if _is_ip(host) else resolver(host, port)
    except OSError as exc:
        raise NameUnresolved(f"cannot resolve {host}: {exc}") from None
    if not addrs:
        raise NameUnresolved(f"{host} resolves to no address")
    for addr in addrs:
        if not _may_use(addr, allow_loopback):
            raise GuardRefused(f"refusing to connect to {host}: non-public address {addr}")
    return addrs[0]


class PinningBackend(httpcore.NetworkBackend):
    """Makes the address decision at connect time, on the address actually connected to.

    check_url() decides on the name before a request; a name can resolve differently a moment
    later (DNS rebinding). This backend resolves once, refuses non-public addresses the user did
    not allow, and connects to that very address, so no second lookup can redirect the call.
    TLS still verifies the certificate against the original host name.
    """

    def __init__(self, *, allowed_hosts: Iterable[str] = (), allow_private: bool = False,
                 resolver: Resolver = _system_resolver, inner: httpcore.NetworkBackend | None = None,
                 allow_loopback: bool = False) -> None:
        self.allowed_hosts = frozenset(allowed_hosts)
        self.allow_private = allow_private
        self.allow_loopback = allow_loopback
        self.resolver = resolver
        self.inner = inner or httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        target = address_to_connect(host, port, allowed_hosts=self.allowed_hosts, allow_private=self.allow_private,
                                    allow_loopback=self.allow_loopback, resolver=self.resolver)
        return self.inner.connect_tcp(target, port, timeout=timeout, local_address=local_address,
                                      socket_options=socket_options)

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not used by lerconf")

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


def pinned_transport(*, allowed_hosts: Iterable[str] = (), allow_private: bool = False,
                     resolver: Resolver = _system_resolver, allow_loopback: bool = False,
                     verify: ssl.SSLContext | bool = True) -> httpx.HTTPTransport:
    """An httpx transport whose connections go only where PinningBackend allows; ``verify`` is
    the TLS trust (see :func:`ssl_context`)."""
    transport = httpx.HTTPTransport(verify=default_tls() if verify is True else verify)
    transport._pool._network_backend = PinningBackend(  # no public seam in httpx 0.28
        allowed_hosts=allowed_hosts, allow_private=allow_private, resolver=resolver, allow_loopback=allow_loopback)
    return transport
