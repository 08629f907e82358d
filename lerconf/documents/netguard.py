"""Decides whether lerconf may connect to an address.

Vendor documents (DID documents, status lists, key URLs) can point anywhere. lerconf refuses
private, loopback, link-local and other special-purpose addresses unless the user allowed
them (a vendor profile naming a loopback endpoint allows exactly that host). The decision is
made before any connection, on every address the name resolves to.
"""
from __future__ import annotations

import ipaddress
import socket
from typing import Callable, Iterable
from urllib.parse import urlsplit

from lerconf.errors import ResolutionError

Resolver = Callable[[str, int], list[str]]


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


def check_url(
    url: str,
    *,
    allowed_hosts: Iterable[str] = (),
    allow_private: bool = False,
    resolver: Resolver = _system_resolver,
) -> None:
    """Raise ResolutionError if url points at a host lerconf must not contact."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ResolutionError(f"refusing to fetch {url}: scheme {parts.scheme!r} is not http(s)", url)
    host = parts.hostname
    if not host:
        raise ResolutionError(f"refusing to fetch {url}: no host", url)
    hostport = f"{host}:{parts.port}" if parts.port else host
    if host in allowed_hosts or hostport in allowed_hosts or allow_private:
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addrs = [host] if _is_ip(host) else resolver(host, port)
    except OSError as exc:
        raise ResolutionError(f"cannot resolve host of {url}: {exc}", url) from None
    if not addrs:
        raise ResolutionError(f"refusing to fetch {url}: {host} resolves to no address", url)
    for addr in addrs:
        if not is_public_address(addr):
            raise ResolutionError(
                f"refusing to fetch {url}: {host} resolves to non-public address {addr} "
                "(name the host in the vendor profile or allow private addresses to permit it)",
                url,
            )


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False
