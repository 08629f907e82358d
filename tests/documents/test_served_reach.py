"""Reach and trust for documents of vendors that run as their own processes.

- a served reference's verifier refuses loopback documents other than its own unless started
  with --allow-loopback (and then still refuses other private ranges);
- a vendor's ``tls.ca_file`` is trusted for that vendor's hosts only, besides the system store;
- --allow-private-network reaches the loader and the vendor clients through the environment.

Every connection here goes to 127.0.0.1.
"""
from __future__ import annotations

import http.server
import json
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from lerconf.documents import netguard
from lerconf.documents.loader import ALLOW_PRIVATE_VARIABLE, DocumentLoader, LoaderSettings
from lerconf.errors import ResolutionError
from lerconf.profile.load import parse_profile
from lerconf.refimpl.app import build_state
from lerconf.refimpl.tls import ServerCertificate, make_server_certificate
from lerconf.scenarios.harness import build_vendor


def _settings() -> LoaderSettings:
    """The environment's document dirs, never its private-network allowance: the guard is under test."""
    return LoaderSettings.from_env(allow_private_addresses=False)


def test_served_verifier_refuses_loopback_lists_by_default(tmp_path: Path) -> None:
    state = build_state("127.0.0.1", 18999, _settings(), tmp_path)
    with pytest.raises(ResolutionError, match="non-public address 127.0.0.1.*--allow-private-network"):
        state.loader.load_remote_json("http://127.0.0.1:1/status-lists/revocation")


def test_served_verifier_with_allow_loopback_reaches_loopback_only(tmp_path: Path) -> None:
    state = build_state("127.0.0.1", 18999, _settings(), tmp_path, allow_loopback=True)
    with pytest.raises(ResolutionError) as err:  # port 1: nothing listens; the guard let it through
        state.loader.load_remote_json("http://127.0.0.1:1/status-lists/revocation")
    assert "non-public" not in str(err.value)
    # a private address stays refused: judged by the guard the loader applies, with no connection attempted
    with pytest.raises(ResolutionError, match="non-public address 10.1.2.3"):
        netguard.check_url("http://10.1.2.3/status-lists/revocation", allowed_hosts=state.loader.settings.allowed_hosts,
                           allow_private=state.loader.settings.allow_private_addresses,
                           allow_loopback=state.loader.settings.allow_loopback)


def test_netguard_allow_loopback_is_not_allow_private() -> None:
    netguard.check_url("http://127.0.0.5:8000/x", allow_loopback=True)
    netguard.check_url("http://[::1]:8000/x", allow_loopback=True)
    for url in ("http://192.168.1.1/x", "http://169.254.169.254/x", "http://[fd00::1]/x"):
        with pytest.raises(ResolutionError):
            netguard.check_url(url, allow_loopback=True)
    with pytest.raises(ResolutionError):
        netguard.check_url("http://127.0.0.5:8000/x")


@pytest.fixture(scope="module")
def https_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, ServerCertificate]]:
    """A tiny HTTPS server on 127.0.0.1 under a CA of lerconf.refimpl.tls, serving one JSON document."""
    certificate = make_server_certificate(tmp_path_factory.mktemp("tls"))

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = json.dumps({"id": "doc"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate.cert_file, certificate.key_file)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], certificate
    finally:
        server.shutdown()
        server.server_close()


def test_vendor_ca_is_trusted_for_its_hosts_only(https_server: tuple[int, ServerCertificate]) -> None:
    port, certificate = https_server
    url = f"https://127.0.0.1:{port}/.well-known/did.json"
    named = frozenset({f"127.0.0.1:{port}"})
    trusted = DocumentLoader(LoaderSettings(allowed_hosts=named, ca_files={f"127.0.0.1:{port}": (certificate.ca_file,)}))
    assert trusted.load_remote_json(url) == {"id": "doc"}
    untrusted = DocumentLoader(LoaderSettings(allowed_hosts=named, ca_files={"127.0.0.1:1": (certificate.ca_file,)}))
    with pytest.raises(ResolutionError, match="CERTIFICATE_VERIFY_FAILED"):
        untrusted.load_remote_json(url)


def test_vendor_client_trusts_the_profile_ca(https_server: tuple[int, ServerCertificate], tmp_path: Path) -> None:
    port, certificate = https_server
    raw = {"name": "acme", "verifier": {"verify_credential_url": f"https://127.0.0.1:{port}/credentials/verify"}}
    without = build_vendor(parse_profile(raw, str(tmp_path / "acme.yaml")))
    with_ca = build_vendor(parse_profile({**raw, "tls": {"ca_file": str(certificate.ca_file)}}, str(tmp_path / "a.yaml")))
    try:
        refused = without.http.get_json(f"https://127.0.0.1:{port}/x")
        assert refused.outcome.value == "transport_error" and "CERTIFICATE_VERIFY_FAILED" in refused.reason, refused.reason
        assert with_ca.http.get_json(f"https://127.0.0.1:{port}/x").outcome.value == "accepted"
    finally:
        without.http.close()
        with_ca.http.close()


def test_allow_private_network_reaches_loader_and_clients(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ALLOW_PRIVATE_VARIABLE, raising=False)
    assert not LoaderSettings.from_env().allow_private_addresses
    profile = parse_profile({"name": "acme", "holder": {"present_url": "https://vendor.example/p"}}, "acme.yaml")
    vendor = build_vendor(profile)
    assert not vendor.http.allow_private
    vendor.http.close()
    monkeypatch.setenv(ALLOW_PRIVATE_VARIABLE, "1")
    assert LoaderSettings.from_env().allow_private_addresses
    vendor = build_vendor(profile)
    assert vendor.http.allow_private
    vendor.http.close()


def test_run_option_allow_private_network_sets_the_variable() -> None:
    from lerconf.run.runner import RunOptions, document_environment

    assert ALLOW_PRIVATE_VARIABLE not in document_environment(RunOptions())
    assert document_environment(RunOptions(allow_private_network=True))[ALLOW_PRIVATE_VARIABLE] == "1"
