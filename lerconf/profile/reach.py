"""How lerconf may reach a vendor, as its profile says: the CA its TLS chains to, the extra hosts
its documents live on, and how hard lerconf may press it (rate, request budget, redirects, timeouts)."""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lerconf.profile.reader import Reader, no_unknown

__all__ = ["TIMEOUT_KINDS", "document_hosts", "limits", "tls_ca_file"]

TIMEOUT_KINDS = ("connect", "read", "total")


def tls_ca_file(r: Reader, raw: Any, base_dir: Path) -> Path | None:
    """``tls: {ca_file: PATH}``: a readable PEM file holding at least one CA certificate."""
    m = r.mapping(raw, "tls")
    no_unknown(r, m, "tls", {"ca_file"})
    name = r.string(m.get("ca_file"), "tls.ca_file", required="tls" in m or raw is not None)
    if name is None:
        return None
    path = Path(name).expanduser()
    path = path if path.is_absolute() else (base_dir / path)
    path = path.resolve()
    if not path.exists():
        raise r.fail("tls.ca_file", f"{path}: no such file (a relative path is read from the profile's folder)")
    if not path.is_file():
        raise r.fail("tls.ca_file", f"{path}: not a file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise r.fail("tls.ca_file", f"{path}: cannot read it: {exc.strerror}") from None
    from cryptography import x509

    try:
        certificates = x509.load_pem_x509_certificates(data)
    except ValueError:
        certificates = []
    if not certificates:
        raise r.fail("tls.ca_file", f"{path}: holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
    return path


_HOST = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(:[0-9]{1,5})?$")


def document_hosts(r: Reader, raw: Any) -> tuple[str, ...]:
    """``documents: {hosts: [host or host:port, ...]}``."""
    m = r.mapping(raw, "documents")
    no_unknown(r, m, "documents", {"hosts"})
    hosts = m.get("hosts")
    if hosts is None:
        return ()
    if not isinstance(hosts, list) or not all(isinstance(h, str) and h for h in hosts):
        raise r.fail("documents.hosts", "must be a list of host names (host or host:port)")
    for host in hosts:
        match = _HOST.match(host)
        if match is None or (match.group(2) and not 0 < int(match.group(2)[1:]) <= 65535):
            raise r.fail("documents.hosts", f"{host!r} is not a host or host:port (no scheme, no path)")
    return tuple(h.lower().replace("[", "").replace("]", "") for h in hosts)  # as URLs' hostname gives them


def limits(r: Reader, top: Mapping[str, Any]) -> tuple[Any, Any, Any, Mapping[str, Any]]:
    """How hard lerconf may press the vendor: rate, request budget, redirect hosts, timeouts."""
    rate = top.get("rate_limit_per_second")
    if rate is not None and (not isinstance(rate, (int, float)) or isinstance(rate, bool)
                             or not math.isfinite(rate) or rate <= 0):
        raise r.fail("rate_limit_per_second", "must be a positive number")
    max_req = top.get("max_requests")
    if max_req is not None and (not isinstance(max_req, int) or isinstance(max_req, bool) or max_req <= 0):
        raise r.fail("max_requests", "must be a positive integer")
    redirect_hosts = top.get("allow_redirects_to")
    if redirect_hosts is not None and (not isinstance(redirect_hosts, list)
                                       or not all(isinstance(h, str) and h for h in redirect_hosts)):
        raise r.fail("allow_redirects_to", "must be a list of host names (host or host:port)")
    timeouts = r.mapping(top.get("timeouts"), "timeouts")
    no_unknown(r, timeouts, "timeouts", set(TIMEOUT_KINDS))
    for kind, value in timeouts.items():
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value) or value <= 0:
            raise r.fail(f"timeouts.{kind}", "must be a positive number of seconds")
    return rate, max_req, redirect_hosts, timeouts
