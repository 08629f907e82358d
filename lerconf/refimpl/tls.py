"""HTTPS for `lerconf serve --tls`: a small local CA and a server certificate made at start.

did:web resolves only over HTTPS (``did:web:127.0.0.1%3A8765`` is
``https://127.0.0.1:8765/.well-known/did.json``), so a reference served as its own process must
speak TLS for its issuer id to resolve as the DID method requires. lerconf makes a fresh CA for
each start (its private key never leaves memory and the temporary folder), signs a certificate
for the loopback names (127.0.0.1, ::1, localhost, and the bound host) and writes the CA
certificate where the user asked, for clients to trust: a vendor profile names it as
``tls: {ca_file: PATH}``.
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

__all__ = ["ServerCertificate", "make_server_certificate"]

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


def make_server_certificate(directory: Path, host: str = "127.0.0.1", *, ca_out: Path | None = None,
                            days: int = 7) -> ServerCertificate:
    """A fresh CA and a server certificate for ``host`` and the loopback names, written to
    ``directory`` (the CA certificate also to ``ca_out`` when given)."""
    now = datetime.now(UTC)
    not_before, not_after = now - timedelta(hours=1), now + timedelta(days=days)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name(f"lerconf serve test CA {now:%Y-%m-%dT%H:%M:%SZ}")
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(not_before).not_valid_after(not_after)
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                       crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
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
    ca_pem = ca.public_bytes(serialization.Encoding.PEM)
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
