"""HTTPS for `lerconf serve --tls`: a small local CA and a server certificate made at start.

did:web resolves only over HTTPS (``did:web:127.0.0.1%3A8765`` is
``https://127.0.0.1:8765/.well-known/did.json``), so a reference served as its own process must
speak TLS for its issuer id to resolve as the DID method requires. lerconf makes a fresh CA for
each `lerconf serve` (its private key never leaves memory), signs a certificate for the loopback
names (127.0.0.1, ::1, localhost, and the bound host) and writes the CA certificate where the user
asked, for clients to trust: a vendor profile names it as ``tls: {ca_file: PATH}``. The embedded
reference of `lerconf run` keeps one CA for the process (lerconf.refimpl.server).
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

__all__ = ["CertificateAuthority", "ServerCertificate", "make_server_certificate", "new_ca"]

LOOPBACK_NAMES = ("127.0.0.1", "::1", "localhost")


@dataclass(frozen=True)
class ServerCertificate:
    """Files uvicorn and clients need: the CA certificate (to trust), the server's chain and key."""

    ca_file: Path
    cert_file: Path
    key_file: Path


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "lerconf"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _san(hosts: tuple[str, ...]) -> x509.SubjectAlternativeName:
    entries: list[x509.GeneralName] = []
    for host in dict.fromkeys(hosts):
        try:
            entries.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            entries.append(x509.DNSName(host))
    return x509.SubjectAlternativeName(entries)


@dataclass(frozen=True)
class CertificateAuthority:
    """A CA's key (in memory only) and certificate: it signs the server certificates."""

    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    def days_left(self, now: datetime) -> float:
        """How long the CA is still valid: a long-lived process makes a new one before it expires."""
        return (self.certificate.not_valid_after_utc - now).total_seconds() / 86400


def new_ca(days: int = 7) -> CertificateAuthority:
    """A CA for loopback test servers, valid ``days`` days (an hour back, for clocks a little apart)."""
    now = datetime.now(UTC)
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(f"lerconf serve test CA {now:%Y-%m-%dT%H:%M:%SZ}")
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1)).not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256()))
    return CertificateAuthority(key, certificate)


def make_server_certificate(directory: Path, host: str = "127.0.0.1", *, ca_out: Path | None = None,
                            days: int = 7, ca: CertificateAuthority | None = None) -> ServerCertificate:
    """A server certificate for ``host`` and the loopback names, signed by ``ca`` (by default a fresh CA),
    written to ``directory`` (the CA certificate also to ``ca_out`` when given)."""
    now = datetime.now(UTC)
    ca = ca or new_ca(days)
    ca_key, ca_name = ca.key, ca.certificate.subject
    not_before = now - timedelta(hours=1)
    not_after = min(now + timedelta(days=days), ca.certificate.not_valid_after_utc)
    server_key = ec.generate_private_key(ec.SECP256R1())
    server = (x509.CertificateBuilder().subject_name(_name(host)).issuer_name(ca_name)
              .public_key(server_key.public_key()).serial_number(x509.random_serial_number())
              .not_valid_before(not_before).not_valid_after(not_after)
              .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
              .add_extension(_san((host, *LOOPBACK_NAMES)), critical=False)
              .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
              .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
              .sign(ca_key, hashes.SHA256()))
    directory.mkdir(parents=True, exist_ok=True)
    ca_pem = ca.certificate.public_bytes(serialization.Encoding.PEM)
    files = ServerCertificate(ca_out.resolve() if ca_out else directory / "ca.pem",
                              directory / "server.pem", directory / "server-key.pem")
    files.ca_file.parent.mkdir(parents=True, exist_ok=True)
    files.ca_file.write_bytes(ca_pem)
    files.cert_file.write_bytes(server.public_bytes(serialization.Encoding.PEM) + ca_pem)
    files.key_file.touch(mode=0o600)
    files.key_file.write_bytes(server_key.private_bytes(serialization.Encoding.PEM,
                                                        serialization.PrivateFormat.PKCS8,
                                                        serialization.NoEncryption()))
    return files
