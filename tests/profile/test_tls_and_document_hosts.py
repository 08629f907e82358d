"""Profile fields for vendors that run as their own processes: ``tls.ca_file`` (a test CA lerconf
trusts besides the system store) and ``documents.hosts`` (where its documents live)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest

from lerconf.clients.http import VendorClient
from lerconf.documents.loader import LoaderSettings
from lerconf.errors import ProfileError
from lerconf.profile.load import load_profile, parse_profile
from lerconf.refimpl.tls import make_server_certificate
from lerconf.scenarios.harness import engine_for


def _profile(**extra: Any) -> dict[str, Any]:
    return {"name": "acme", "issuer": {"issue_url": "https://127.0.0.1:8443/credentials/issue",
                                       "id": "did:web:127.0.0.1%3A8443"}, **extra}


@pytest.fixture(scope="module")
def ca_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_server_certificate(tmp_path_factory.mktemp("tls")).ca_file


def test_ca_file_relative_to_the_profile_folder(tmp_path: Path, ca_file: Path) -> None:
    (tmp_path / "certs").mkdir()
    (tmp_path / "certs" / "vendor-ca.pem").write_bytes(ca_file.read_bytes())
    path = tmp_path / "acme.yaml"
    path.write_text("name: acme\nissuer: {issue_url: 'https://127.0.0.1:8443/i', id: 'did:web:127.0.0.1%3A8443'}\n"
                    "tls: {ca_file: certs/vendor-ca.pem}\n", encoding="utf-8")
    profile = load_profile(path)
    assert profile.tls_ca_file == (tmp_path / "certs" / "vendor-ca.pem").resolve()
    assert profile.public_view()["tls"] == {"ca_file": str(profile.tls_ca_file)}
    VendorClient(profile).close()  # the client builds its TLS trust from it


def test_missing_ca_file_names_the_field_and_the_resolved_path(tmp_path: Path) -> None:
    with pytest.raises(ProfileError) as err:
        parse_profile(_profile(tls={"ca_file": "nope/ca.pem"}), str(tmp_path / "acme.yaml"))
    message = str(err.value)
    assert "tls.ca_file" in message and str(tmp_path / "nope" / "ca.pem") in message and "no such file" in message


@pytest.mark.parametrize(("content", "problem"), [
    (b"not a certificate\n", "holds no PEM certificate"),
    (b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "holds no PEM certificate"),
])
def test_ca_file_that_is_not_a_certificate(tmp_path: Path, content: bytes, problem: str) -> None:
    (tmp_path / "ca.pem").write_bytes(content)
    with pytest.raises(ProfileError, match=problem):
        parse_profile(_profile(tls={"ca_file": "ca.pem"}), str(tmp_path / "acme.yaml"))


@pytest.mark.parametrize(("tls", "problem"), [
    ({"ca_file": None}, "tls.ca_file: is required"),
    ({"cafile": "x.pem"}, "tls: unknown field"),
    ("x.pem", "tls: must be a mapping"),
    ({"ca_file": "."}, "not a file"),
])
def test_bad_tls_section(tmp_path: Path, tls: Any, problem: str) -> None:
    with pytest.raises(ProfileError, match=problem):
        parse_profile(_profile(tls=tls), str(tmp_path / "acme.yaml"))


@pytest.mark.parametrize("hosts", [["https://status.example"], ["status.example/lists"], ["a:99999"], [""], "a"])
def test_bad_document_hosts(hosts: Any) -> None:
    with pytest.raises(ProfileError, match="documents.hosts"):
        parse_profile(_profile(documents={"hosts": hosts}), "acme.yaml")


def test_document_hosts_reach_and_trust_are_scoped_to_the_vendor(tmp_path: Path, ca_file: Path) -> None:
    profile = parse_profile(_profile(tls={"ca_file": str(ca_file)},
                                     documents={"hosts": ["Status.Example:8444", "[::1]:9000"]}), "acme.yaml")
    assert profile.document_hosts == ("status.example:8444", "::1:9000")
    # its endpoints, its did:web issuer's host and the named hosts
    assert {"127.0.0.1:8443", "status.example:8444", "::1:9000"} <= profile.documents_hosts

    class Reference:
        allowed_hosts = frozenset({"127.0.0.1:1"})
        url_map: ClassVar[dict[str, Path]] = {}

    settings = engine_for(Reference(), [profile], LoaderSettings()).loader.settings
    assert {"127.0.0.1:8443", "status.example:8444", "127.0.0.1:1"} <= settings.allowed_hosts
    assert settings.ca_files["status.example:8444"] == (ca_file,)
    assert "127.0.0.1:1" not in settings.ca_files  # the CA is trusted for this vendor's hosts only
    assert not settings.allow_private_addresses


def test_reference_profile_without_its_port_says_how_to_run_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from lerconf.refimpl.server import PROFILE_PATH

    monkeypatch.delenv("LERCONF_REFERENCE_PORT", raising=False)
    with pytest.raises(ProfileError, match=r"LERCONF_REFERENCE_PORT is not set.*--profile-out"):
        load_profile(PROFILE_PATH)


def test_served_profile_is_a_valid_profile_with_https_and_the_ca(tmp_path: Path, ca_file: Path) -> None:
    import yaml

    from lerconf.refimpl.app import build_state
    from lerconf.refimpl.server import SERVED_NAME, served_profile_text

    state = build_state("127.0.0.1", 18443, LoaderSettings.from_env(), tmp_path, ca_file=ca_file)
    text = served_profile_text(state, ca_file)
    profile = parse_profile(yaml.safe_load(text), str(tmp_path / "served.yaml"))
    assert profile.name == SERVED_NAME and profile.tls_ca_file == ca_file.resolve()
    issuer = profile.role("issuer")
    assert issuer is not None and issuer.issuer_id == "did:web:127.0.0.1%3A18443"
    assert issuer.urls["issue_url"] == "https://127.0.0.1:18443/credentials/issue"
    assert "http://" not in text


def test_ca_out_without_tls_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from lerconf.run.cli import main

    assert main(["serve", "--port", "0", "--ca-out", str(tmp_path / "ca.pem")]) == 2
    assert "--ca-out needs --tls" in capsys.readouterr().err
