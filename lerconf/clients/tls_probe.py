"""What an endpoint's TLS looks like to a client: the version it negotiates, whether its certificate
verifies for its host, and whether it still accepts TLS 1.0/1.1 when a client offers only those.

Three handshakes, no HTTP request: lerconf's modern client (TLS 1.2 or later offered, the system
store plus the profile's ``tls.ca_file`` trusted), the same without verification when the first
fails on the certificate (to still learn the version), and an obsolete-only client. The facts go to
lerconf.checks.ecosystem.tls_problems; nothing is judged here.

The socket goes where the vendor's HTTP calls may go (lerconf.documents.netguard decides the
address, once), within the vendor's timeouts: ``connect`` to open it, ``total`` for each whole
handshake (a server that trickles its handshake a byte at a time is given up on at that deadline).
"""
from __future__ import annotations

import functools
import socket
import ssl
import warnings
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

from lerconf.checks.ecosystem import TlsFacts
from lerconf.documents import netguard
from lerconf.tape import Diverged, active, redacted_url

__all__ = ["ProbeLimits", "probe_tls"]


@dataclass(frozen=True)
class ProbeLimits:
    """Where the probe may connect and how long it may take (the vendor client's settings)."""

    #: seconds to open the TCP connection
    connect: float = 10.0
    #: seconds for one whole handshake, connection included
    total: float = 10.0
    #: hosts the profile names (connected to as they are; others only at public addresses)
    allowed_hosts: frozenset[str] = frozenset()
    allow_private: bool = False


def _context(ca_files: Iterable[Path], *, verify: bool, obsolete: bool = False) -> ssl.SSLContext:
    return _built_context(netguard.files_key(ca_files), verify, obsolete)


@functools.lru_cache(maxsize=32)
def _built_context(files: netguard.FilesKey, verify: bool, obsolete: bool) -> ssl.SSLContext:
    """One context per kind of handshake and set of CA files (never changed once built): loading the
    system store took a tenth of a default run's TLS scenarios."""
    context = ssl.create_default_context()
    for ca in files:
        ca.load_into(context)
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    with warnings.catch_warnings():  # TLS 1.0/1.1 are deprecated: offering only them is the point of the probe
        warnings.simplefilter("ignore", DeprecationWarning)
        if obsolete:
            context.minimum_version = ssl.TLSVersion.TLSv1
            context.maximum_version = ssl.TLSVersion.TLSv1_1
            context.set_ciphers("DEFAULT:@SECLEVEL=0")
        else:
            context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def _handshake(host: str, address: str, port: int, context: ssl.SSLContext, limits: ProbeLimits) -> str | None:
    with socket.create_connection((address, port), timeout=limits.connect) as raw:
        # CPython bounds an SSL socket's whole handshake by its timeout (a deadline, not per read)
        raw.settimeout(limits.total)
        with context.wrap_socket(raw, server_hostname=host) as tls:
            return tls.version()


def _obsolete(host: str, address: str, port: int, ca_files: tuple[Path, ...], limits: ProbeLimits) -> tuple[str | None, bool]:
    """(the obsolete version the server accepted, or None; whether lerconf could offer one at all)."""
    try:
        context = _context(ca_files, verify=False, obsolete=True)
    except (ssl.SSLError, ValueError):
        return None, False
    try:
        return _handshake(host, address, port, context, limits), True
    except ssl.SSLError as exc:
        # our own OpenSSL refusing to offer TLS 1.0/1.1 is not the server's answer
        text = str(exc).lower()
        return None, "no protocols available" not in text
    except OSError:
        return None, True


def probe_tls(url: str, ca_files: Iterable[Path] = (), limits: ProbeLimits | None = None) -> TlsFacts:
    """The TLS facts of the endpoint at ``url`` (an http URL is reported as such, not contacted).
    Under a scenario's tape they are recorded, and a replay reads them back instead of connecting:
    the vendor may be gone by then, and the facts are what the recorded run saw."""
    tape = active()
    if tape is not None and tape.replaying and not tape.lenient:
        entry = tape.next("tls", f"a TLS probe of {redacted_url(url)}")
        facts = entry.get("facts")
        if entry.get("url") != redacted_url(url) or not isinstance(facts, dict):
            raise Diverged(f"lerconf now probes the TLS of {redacted_url(url)}, the recording probed {entry.get('url')}")
        return TlsFacts(**{k: v for k, v in facts.items() if k in TlsFacts.__dataclass_fields__})
    facts = _probe(url, tuple(ca_files), limits or ProbeLimits())
    if tape is not None and not tape.replaying:
        tape.entries.append({"k": "tls", "url": redacted_url(url), "facts": {**asdict(facts), "url": redacted_url(url)}})
    return facts


def _probe(url: str, ca_files: tuple[Path, ...], limits: ProbeLimits) -> TlsFacts:
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return TlsFacts(url, parts.scheme or "?")
    host, port, files = parts.hostname, parts.port or 443, tuple(ca_files)
    try:  # decided once: every handshake goes to this address
        address = netguard.address_to_connect(host, port, allowed_hosts=limits.allowed_hosts,
                                              allow_private=limits.allow_private)
    except (netguard.GuardRefused, netguard.NameUnresolved) as exc:
        return TlsFacts(url, "https", connect_error=str(exc))
    certificate_error = None
    try:
        version = _handshake(host, address, port, _context(files, verify=True), limits)
    except ssl.SSLCertVerificationError as exc:
        certificate_error = exc.verify_message or str(exc)
        try:
            version = _handshake(host, address, port, _context(files, verify=False), limits)
        except (OSError, ssl.SSLError) as again:
            return TlsFacts(url, "https", certificate_error=certificate_error, connect_error=str(again))
    except ssl.SSLError as exc:
        # no TLS 1.2+: does it speak only TLS 1.0/1.1?
        old, probed = _obsolete(host, address, port, files, limits)
        if old is not None:
            return TlsFacts(url, "https", version=old, obsolete_accepted=old, obsolete_probed=probed)
        return TlsFacts(url, "https", connect_error=str(exc) or type(exc).__name__, obsolete_probed=probed)
    except OSError as exc:
        return TlsFacts(url, "https", connect_error=str(exc) or type(exc).__name__)
    obsolete, probed = _obsolete(host, address, port, files, limits)
    return TlsFacts(url, "https", version=version, certificate_error=certificate_error, obsolete_accepted=obsolete,
                    obsolete_probed=probed)
