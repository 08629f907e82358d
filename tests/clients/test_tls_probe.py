"""The TLS probe (lerconf.clients.tls_probe) and the LMC TLS rule against real TLS servers on
127.0.0.1: one that speaks only TLS 1.2+, one forced down to TLS 1.0/1.1 (the local OpenSSL allows
it at security level 0), one that still accepts TLS 1.0 next to 1.3, one with an expired
certificate and one with a certificate for another host; and hostile ones: a server that accepts
and never speaks, one that trickles its answer a byte at a time, one that is not TLS at all, and an
address the profile does not name. Loopback only."""
from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from lerconf.checks import lmc
from lerconf.checks.ecosystem import tls_problems
from lerconf.clients.tls_probe import ProbeLimits, probe_tls
from lerconf.results import Status
from lerconf.tape import Tape, taped

HOST = "127.0.0.1"
#: the profile names 127.0.0.1 (as a vendor on loopback does): the probe may connect there
LIMITS = ProbeLimits(allowed_hosts=frozenset({HOST}))
CA = tuple[ec.EllipticCurvePrivateKey, x509.Certificate, Path]


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> CA:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(_name("probe test CA")).issuer_name(_name("probe test CA"))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=30)).not_valid_after(now + timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True).sign(key, hashes.SHA256()))
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key, cert, path


def _leaf(ca: CA, folder: Path, *, san: x509.GeneralName,
          expired: bool = False) -> tuple[Path, Path]:
    ca_key, ca_cert, _ = ca
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    start, end = (now - timedelta(days=20), now - timedelta(days=10)) if expired else (now - timedelta(hours=1), now + timedelta(days=1))
    cert = (x509.CertificateBuilder().subject_name(_name("server")).issuer_name(ca_cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(end)
            .add_extension(x509.SubjectAlternativeName([san]), critical=False).sign(ca_key, hashes.SHA256()))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    return folder / "cert.pem", folder / "key.pem"


@contextmanager
def tls_server(cert: Path, key: Path, minimum: ssl.TLSVersion, maximum: ssl.TLSVersion) -> Iterator[str]:
    """A TLS server on a free loopback port that completes handshakes until closed."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version, context.maximum_version = minimum, maximum
    context.set_ciphers("DEFAULT:@SECLEVEL=0")

    def handshake(conn: socket.socket, stop: threading.Event) -> None:
        try:
            with context.wrap_socket(conn, server_side=True) as tls:
                tls.recv(1)  # the client closes after the handshake
        except (OSError, ssl.SSLError):
            pass

    with _serving(handshake) as (url, _):
        yield url


@contextmanager
def _serving(handle: Callable[[socket.socket, threading.Event], None]) -> Iterator[tuple[str, list[int]]]:
    """A loopback listener handing each accepted connection to ``handle`` (one at a time, until closed);
    yields its URL and a counter of the connections it accepted."""
    listener = socket.socket()
    listener.bind((HOST, 0))
    listener.listen()
    listener.settimeout(0.2)
    stop = threading.Event()
    accepted = [0]

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            accepted[0] += 1
            handle(conn, stop)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"https://{HOST}:{listener.getsockname()[1]}/workflows/issue-badge", accepted
    finally:
        stop.set()
        thread.join(5)
        listener.close()


LOOPBACK = x509.IPAddress(ipaddress.ip_address(HOST))


def test_tls12_or_later_with_a_valid_certificate_passes(ca: CA, tmp_path: Path) -> None:
    cert, key = _leaf(ca, tmp_path / "good", san=LOOPBACK)
    with tls_server(cert, key, ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3) as url:
        facts = probe_tls(url, [ca[2]], LIMITS)
    assert facts.version == "TLSv1.3" and facts.certificate_error is None and facts.obsolete_accepted is None
    assert facts.obsolete_probed, "the local OpenSSL offered TLS 1.0/1.1 and the server refused"
    assert lmc.endpoints_tls12([facts]).status is Status.PASSED


def test_a_server_forced_to_tls10_is_failed(ca: CA, tmp_path: Path) -> None:
    cert, key = _leaf(ca, tmp_path / "old", san=LOOPBACK)
    with tls_server(cert, key, ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1) as url:
        facts = probe_tls(url, [ca[2]], LIMITS)
    assert facts.version in ("TLSv1", "TLSv1.1")
    result = lmc.endpoints_tls12([facts])
    assert result.status is Status.FAILED and "below TLSv1.2" in result.message


def test_a_server_that_still_accepts_tls10_beside_tls13_is_failed(ca: CA, tmp_path: Path) -> None:
    cert, key = _leaf(ca, tmp_path / "both", san=LOOPBACK)
    with tls_server(cert, key, ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_3) as url:
        facts = probe_tls(url, [ca[2]], LIMITS)
    assert facts.version == "TLSv1.3" and facts.obsolete_accepted in ("TLSv1", "TLSv1.1")
    assert any("accepts TLSv1" in p for p in tls_problems(facts))


def test_an_expired_certificate_is_failed(ca: CA, tmp_path: Path) -> None:
    cert, key = _leaf(ca, tmp_path / "expired", san=LOOPBACK, expired=True)
    with tls_server(cert, key, ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3) as url:
        facts = probe_tls(url, [ca[2]], LIMITS)
    assert facts.version == "TLSv1.3" and facts.certificate_error and "expired" in facts.certificate_error
    assert lmc.endpoints_tls12([facts]).status is Status.FAILED


def test_a_certificate_for_another_host_is_failed(ca: CA, tmp_path: Path) -> None:
    cert, key = _leaf(ca, tmp_path / "elsewhere", san=x509.DNSName("other.example"))
    with tls_server(cert, key, ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3) as url:
        facts = probe_tls(url, [ca[2]], LIMITS)
    assert facts.certificate_error and "mismatch" in facts.certificate_error.lower()
    assert "certificate not valid" in lmc.endpoints_tls12([facts]).message


def test_an_untrusted_certificate_is_failed(ca: CA, tmp_path: Path) -> None:
    cert, key = _leaf(ca, tmp_path / "untrusted", san=LOOPBACK)
    with tls_server(cert, key, ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3) as url:
        facts = probe_tls(url, limits=LIMITS)  # the test CA is not trusted
    assert facts.certificate_error and lmc.endpoints_tls12([facts]).status is Status.FAILED


def test_plain_http_is_not_contacted_and_fails() -> None:
    facts = probe_tls("http://127.0.0.1:9/workflows/issue-badge")
    assert facts.scheme == "http" and "plain HTTP" in lmc.endpoints_tls12([facts]).message


def test_a_probe_is_recorded_on_the_tape_and_replayed_without_connecting(ca: CA, tmp_path: Path) -> None:
    cert, key = _leaf(ca, tmp_path / "taped", san=LOOPBACK)
    recording = Tape("record")
    with tls_server(cert, key, ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3) as url, taped(recording):
        seen = probe_tls(url, [ca[2]], LIMITS)
    assert [e["k"] for e in recording.entries] == ["tls"]
    with taped(Tape("replay", list(recording.entries))):  # the server is gone: the facts come from the tape
        assert probe_tls(url, [ca[2]], LIMITS) == seen


@contextmanager
def raw_server(answer: bytes, *, every_s: float = 0.0) -> Iterator[tuple[str, list[int]]]:
    """A TCP server on loopback that sends ``answer`` (a byte every ``every_s`` seconds when set, else
    at once; nothing at all when empty) and keeps the connection open; yields its URL and a counter
    of the connections it accepted."""
    def send(conn: socket.socket, stop: threading.Event) -> None:
        with conn:
            try:
                for i in range(len(answer)):
                    if stop.is_set():
                        break
                    if every_s:
                        conn.sendall(answer[i:i + 1])
                        stop.wait(every_s)
                    elif i == 0:
                        conn.sendall(answer)
                stop.wait(30)
            except OSError:
                pass

    with _serving(send) as served:
        yield served


FAST = ProbeLimits(connect=1.0, total=1.0, allowed_hosts=frozenset({HOST}))


def _timed(url: str) -> tuple[float, str]:
    import time
    started = time.monotonic()
    facts = probe_tls(url, limits=FAST)
    return time.monotonic() - started, str(facts.connect_error)


def test_a_server_that_never_speaks_is_given_up_on_at_the_deadline() -> None:
    with raw_server(b"") as (url, accepted):
        seconds, error = _timed(url)
    assert accepted[0] >= 1 and seconds < 3 * FAST.total + 1, seconds
    assert "timed out" in error, error
    assert lmc.endpoints_tls12([probe_tls("https://127.0.0.1:9/x", limits=FAST)]).status is Status.FAILED


def test_a_server_that_trickles_its_handshake_is_given_up_on_at_the_deadline() -> None:
    """Each byte comes well within the read timeout; only the deadline of the whole handshake ends it."""
    garbage = b"\x16\x03\x03\x40\x00" + b"\x02" * 4000  # a TLS record header announcing 16 KB, then slowly
    with raw_server(garbage, every_s=0.05) as (url, accepted):
        seconds, error = _timed(url)
    assert accepted[0] >= 1 and seconds < 3 * FAST.total + 1, seconds
    assert "handshake operation timed out" in error, error


def test_a_server_that_is_not_tls_is_reported_with_the_reason() -> None:
    with raw_server(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n") as (url, _):
        facts = probe_tls(url, limits=FAST)
    assert facts.version is None and facts.connect_error and "WRONG_VERSION_NUMBER" in facts.connect_error.upper()
    assert lmc.endpoints_tls12([facts]).status is Status.FAILED


def test_an_address_the_profile_does_not_name_is_not_contacted() -> None:
    """Loopback is not a public address: without the profile naming it, the probe refuses before
    connecting, exactly as the vendor's HTTP calls would."""
    with raw_server(b"") as (url, accepted):
        facts = probe_tls(url, limits=ProbeLimits(connect=1.0, total=1.0))
    assert accepted[0] == 0
    assert facts.connect_error and "non-public address 127.0.0.1" in facts.connect_error
    assert lmc.endpoints_tls12([facts]).status is Status.FAILED
