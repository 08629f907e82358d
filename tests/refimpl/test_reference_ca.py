"""One CA for the embedded reference's TLS listeners in a process, and client SSL contexts kept per CA
content (issue 19): a process doing many runs built a CA, and every client an SSL context, for each
start. `lerconf serve` and make_server_certificate's callers still get a fresh CA each time."""
from __future__ import annotations

import ssl
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from lerconf.documents import netguard
from lerconf.errors import ResolutionError
from lerconf.refimpl import server as reference_server
from lerconf.refimpl.server import running_reference
from lerconf.refimpl.tls import make_server_certificate, new_ca


def test_two_starts_in_one_process_share_the_ca_and_each_is_trusted_by_it() -> None:
    with running_reference() as first:
        first_ca = Path(first.profile().tls_ca_file).read_bytes()
        first_url = first.tls.base_url
    with running_reference() as second:
        profile = second.profile()
        assert Path(profile.tls_ca_file).read_bytes() == first_ca
        assert second.tls.base_url != first_url  # a server certificate of its own, for its own port
        trust = netguard.ssl_context([profile.tls_ca_file])
        with httpx.Client(verify=trust, trust_env=False) as client:
            assert client.get(f"{second.tls.base_url}/.well-known/did.json").status_code == 200


def test_the_reference_ca_is_made_again_when_a_day_is_left(monkeypatch: pytest.MonkeyPatch) -> None:
    current = reference_server._reference_ca()
    assert reference_server._reference_ca() is current
    monkeypatch.setattr(reference_server, "_REFERENCE_CA", new_ca(days=1))  # less than a day left by now
    renewed = reference_server._reference_ca()
    assert renewed.days_left(datetime.now(UTC)) > 6
    assert renewed.certificate.serial_number != current.certificate.serial_number


def test_a_server_certificate_never_outlives_its_ca(tmp_path: Path) -> None:
    ca = new_ca(days=2)
    files = make_server_certificate(tmp_path, ca=ca, days=30)
    from cryptography import x509

    leaf = x509.load_pem_x509_certificates(files.cert_file.read_bytes())[0]
    assert leaf.not_valid_after_utc == ca.certificate.not_valid_after_utc
    assert leaf.not_valid_after_utc < datetime.now(UTC) + timedelta(days=3)


def test_make_server_certificate_makes_a_fresh_ca_by_default(tmp_path: Path) -> None:
    one = make_server_certificate(tmp_path / "one").ca_file.read_bytes()
    two = make_server_certificate(tmp_path / "two").ca_file.read_bytes()
    assert one != two


def test_a_context_is_kept_per_ca_not_per_file(tmp_path: Path) -> None:
    ca = make_server_certificate(tmp_path / "a").ca_file
    copy = tmp_path / "copy.pem"
    copy.write_bytes(ca.read_bytes())
    built = netguard.ssl_context([ca])
    assert isinstance(built, ssl.SSLContext)
    assert netguard.ssl_context([copy]) is built  # the same CA in another file: the same trust
    ca.write_bytes(make_server_certificate(tmp_path / "b").ca_file.read_bytes())  # another CA at the same path
    assert netguard.ssl_context([ca]) is not built


def test_the_same_ca_at_the_same_path_written_again_keeps_its_context(tmp_path: Path) -> None:
    ca = make_server_certificate(tmp_path / "a").ca_file
    built = netguard.ssl_context([ca])
    ca.write_bytes(ca.read_bytes())  # a new modification time, the same certificate
    assert netguard.ssl_context([ca]) is built


def test_a_pem_file_with_text_outside_its_blocks_is_trusted(tmp_path: Path) -> None:
    """openssl pkcs12 writes "Bag Attributes" with a friendlyName before each certificate, and bundles carry
    comments: bytes outside the PEM blocks, not always ASCII."""
    ca = make_server_certificate(tmp_path / "a").ca_file
    bundle = tmp_path / "bundle.pem"
    bundle.write_bytes("Bag Attributes\n    friendlyName: Café CA — test\n".encode() + ca.read_bytes())
    assert isinstance(netguard.ssl_context([bundle]), ssl.SSLContext)


@pytest.mark.parametrize("content", [b"", b"   \n", b"-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n",
                                     bytes(range(256))])
def test_a_file_holding_no_certificate_is_a_resolution_error(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "ca.pem"
    bad.write_bytes(content)
    with pytest.raises(ResolutionError) as caught:
        netguard.ssl_context([bad])
    assert caught.value.unreached and "tls.ca_file" in caught.value.fix and str(bad) in str(caught.value)


def test_a_file_unreadable_when_read_is_never_trusted_later(tmp_path: Path) -> None:
    """The context is built from the bytes that were hashed, never from the path read again: a CA that
    appears between the two is not cached under the key of the file that was missing."""
    path = tmp_path / "late.pem"
    key = netguard.files_key([path])
    path.write_bytes(make_server_certificate(tmp_path / "a").ca_file.read_bytes())
    with pytest.raises(ResolutionError, match="No such file"):
        netguard._trusting(key)
    path.unlink()
    with pytest.raises(ResolutionError, match="No such file"):
        netguard.ssl_context([path])
