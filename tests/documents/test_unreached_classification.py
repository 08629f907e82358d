"""Issue 12 (points 2 and 6): the loader says whether lerconf got no answer at all (``unreached``,
with a ``fix``) or the server answered something unusable. Real loopback servers, no mocks."""
from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile.server import HostileServer, self_signed_tls

from lerconf.documents import netguard
from lerconf.documents.loader import (
    FIX_CONNECT,
    FIX_NOT_TLS,
    FIX_OFFLINE,
    FIX_TLS,
    DocumentLoader,
    LoaderSettings,
)
from lerconf.errors import ResolutionError


@pytest.fixture(scope="module")
def plain() -> Iterator[HostileServer]:
    with HostileServer(lifetime=120) as server:
        server.trickle_interval = 0.5
        yield server


TLS_CERT: list[Path] = []


@pytest.fixture(scope="module")
def tls_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileServer]:
    context, cert = self_signed_tls(tmp_path_factory.mktemp("tls"))
    TLS_CERT[:] = [cert]
    with HostileServer(tls=context, lifetime=120) as server:
        yield server


def loader(tmp_path: Path, *hosts: str, **settings: object) -> DocumentLoader:
    return DocumentLoader(LoaderSettings(cache_dir=tmp_path, allowed_hosts=frozenset(hosts), fetch_timeout=1.0,
                                         fetch_deadline=2.0, **settings))  # type: ignore[arg-type]


def failure(load: DocumentLoader, url: str, *, json_body: bool = False) -> ResolutionError:
    with pytest.raises(ResolutionError) as caught:
        (load.load_remote_json if json_body else load.load_remote_bytes)(url)
    return caught.value


def closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- lerconf got no answer: unreached, with the fix ------------------------------------------------
def test_the_address_guard_refusing_a_loopback_host_is_unreached(plain: HostileServer, tmp_path: Path) -> None:
    before = plain.connections
    error = failure(loader(tmp_path), plain.serve("/list", {"a": 1}))
    assert error.unreached and error.fix == netguard.FIX_GUARD
    assert "non-public address 127.0.0.1" in str(error)
    assert "documents.hosts" in error.fix and "--allow-private-network" in error.fix
    assert plain.connections == before  # refused before any connection


def test_offline_and_not_in_the_url_map_is_unreached(tmp_path: Path) -> None:
    error = failure(loader(tmp_path, offline=True), "https://issuer.example/.well-known/did.json")
    assert error.unreached and error.fix == FIX_OFFLINE and "--url-map" in error.fix
    assert str(error) == "https://issuer.example/.well-known/did.json is not in the URL map and lerconf is offline"


def test_connection_refused_on_a_closed_loopback_port_is_unreached(tmp_path: Path) -> None:
    port = closed_port()
    error = failure(loader(tmp_path, f"127.0.0.1:{port}"), f"http://127.0.0.1:{port}/status/1")
    assert error.unreached and error.fix == FIX_CONNECT
    assert str(error).startswith(f"cannot fetch http://127.0.0.1:{port}/status/1: ConnectError")


def test_an_untrusted_self_signed_certificate_is_unreached(tls_site: HostileServer, tmp_path: Path) -> None:
    url = tls_site.serve("/.well-known/did.json", {"id": "did:web:x"})
    error = failure(loader(tmp_path, f"127.0.0.1:{tls_site.port}"), url)
    assert error.unreached and error.fix == FIX_TLS and "tls.ca_file" in error.fix
    assert "TLS trust failed" in str(error) and "CERTIFICATE_VERIFY_FAILED" in str(error)


def test_https_to_a_plain_http_server_is_unreached(tmp_path: Path) -> None:
    """did:web asks for https; a plain-http server (``lerconf serve`` without --tls) answers garbage to TLS."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    try:
        error = failure(loader(tmp_path, f"127.0.0.1:{port}"), f"https://127.0.0.1:{port}/.well-known/did.json")
    finally:
        server.shutdown()
        server.server_close()
    assert error.unreached and error.fix == FIX_NOT_TLS
    assert "the server does not speak TLS" in str(error)


def test_a_timeout_is_unreached(plain: HostileServer, tmp_path: Path) -> None:
    error = failure(loader(tmp_path, f"127.0.0.1:{plain.port}"), plain.url("never", "/status/1"))
    assert error.unreached and "timeout after 1 s" in str(error) and "--url-map" in error.fix


def test_a_name_that_does_not_resolve_is_unreached() -> None:
    def no_dns(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with pytest.raises(ResolutionError) as caught:
        netguard.check_url("https://issuer.invalid/did.json", resolver=no_dns)
    assert caught.value.unreached and caught.value.fix == netguard.FIX_DNS


def test_an_unusable_ca_file_is_unreached(tmp_path: Path) -> None:
    bad = tmp_path / "ca.pem"
    bad.write_text("not a certificate")
    with pytest.raises(ResolutionError) as caught:
        netguard.ssl_context([bad])
    assert caught.value.unreached and "tls.ca_file" in caught.value.fix


# -- the server answered something unusable: the server's failure ------------------------------------
@pytest.mark.parametrize(("behaviour", "words", "json_body"), [
    ("", "answered HTTP 404", False),
    ("invalid-json", "is not valid JSON", True),
    ("huge", "exceeded the 2 MB limit", False),
    ("redirect-canary", "redirected to another origin", False),
])
def test_a_server_answer_is_not_unreached(plain: HostileServer, tmp_path: Path, behaviour: str, words: str,
                                          json_body: bool) -> None:
    url = plain.url(behaviour, "/x") if behaviour else plain.serve("/gone", {"title": "gone"}, status=404)
    error = failure(loader(tmp_path, f"127.0.0.1:{plain.port}"), url, json_body=json_body)
    assert not error.unreached and error.fix == "", str(error)
    assert words in str(error)


def test_a_trusted_ca_reaches_the_tls_site(tls_site: HostileServer, tmp_path: Path) -> None:
    """The positive control of the TLS case: with the site's CA as ``tls.ca_file`` the same fetch works."""
    url = tls_site.serve("/ok.json", {"ok": True})
    ca = {f"127.0.0.1:{tls_site.port}": (TLS_CERT[0],)}
    assert loader(tmp_path, f"127.0.0.1:{tls_site.port}", ca_files=ca).load_remote_json(url) == {"ok": True}
