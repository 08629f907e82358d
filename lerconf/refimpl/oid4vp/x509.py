"""The reference verifier's X.509 material for the ``x509_san_dns:`` and ``x509_hash:`` client
identifier prefixes (VP §5.9.3): a lerconf test CA and a leaf certificate it issues, made at
runtime with ``cryptography``.

The CA key is derived from a fixed label (``deterministic_key``), so a CA certificate made once
and put in a profile as a trust anchor (``fixtures/vendors/reference.yaml``) keeps validating
every leaf a later run makes: the leaf names the CA's subject and is signed by its key. The
leaf's key is a fresh P-256 key per process; its SAN has the DNS name ``localhost`` (the
``x509_san_dns:`` client identifier) and the loopback address.
"""
from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import ipaddress
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from lerconf.crypto.encoding import b64url_encode
from lerconf.crypto.keys import PrivateKey
from lerconf.crypto.signing import deterministic_key

__all__ = ["CA_NAME", "SAN_DNS", "VerifierCertificates", "make_ca", "make_leaf", "verifier_certificates"]

CA_NAME = "lerconf test verifier CA"
SAN_DNS = "localhost"
_NOT_BEFORE = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
_NOT_AFTER = dt.datetime(2045, 1, 1, tzinfo=dt.UTC)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "lerconf"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_ca(key: PrivateKey, common_name: str = CA_NAME) -> x509.Certificate:
    """A self-signed CA certificate (basicConstraints CA, keyCertSign) for ``key``."""
    public = key.key.public_key()
    return (x509.CertificateBuilder().subject_name(_name(common_name)).issuer_name(_name(common_name))
            .public_key(public).serial_number(1).not_valid_before(_NOT_BEFORE).not_valid_after(_NOT_AFTER)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
            .sign(key.key, hashes.SHA256(), ecdsa_deterministic=True))  # the same CA in every process (replay)


def make_leaf(key: PrivateKey, ca: x509.Certificate, ca_key: PrivateKey, *, dns: str = SAN_DNS,
              common_name: str = "lerconf reference verifier",
              not_before: dt.datetime | None = None, not_after: dt.datetime | None = None,
              serial: int | None = None) -> x509.Certificate:
    """A request-object signing certificate for ``key`` issued by ``ca`` (SAN: ``dns``, 127.0.0.1)."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    public = key.key.public_key()
    return (x509.CertificateBuilder().subject_name(_name(common_name)).issuer_name(ca.subject)
            .public_key(public).serial_number(serial or x509.random_serial_number())
            .not_valid_before(not_before or now - dt.timedelta(days=1))
            .not_valid_after(not_after or now + dt.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(dns),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.key.public_key()), critical=False)
            .sign(ca_key.key, hashes.SHA256(), ecdsa_deterministic=True))


@dataclass(frozen=True)
class VerifierCertificates:
    """The leaf that signs request objects, its key, and the CA that issued it."""

    leaf: x509.Certificate
    leaf_key: PrivateKey = field(repr=False)
    ca: x509.Certificate

    @property
    def x5c(self) -> list[str]:
        """The ``x5c`` header: the leaf only (the CA is the wallet's trust anchor, not sent)."""
        return [base64.b64encode(self.leaf.public_bytes(serialization.Encoding.DER)).decode("ascii")]

    @property
    def leaf_hash(self) -> str:
        """base64url(SHA-256(DER of the leaf)): the value of an ``x509_hash:`` client identifier."""
        return b64url_encode(hashlib.sha256(self.leaf.public_bytes(serialization.Encoding.DER)).digest())

    @property
    def ca_pem(self) -> str:
        return self.ca.public_bytes(serialization.Encoding.PEM).decode("ascii")

    def client_id(self, prefix: str) -> str:
        return f"x509_san_dns:{SAN_DNS}" if prefix == "x509_san_dns" else f"x509_hash:{self.leaf_hash}"


@functools.lru_cache(maxsize=1)
def verifier_certificates() -> VerifierCertificates:
    """The reference verifier's certificates (made once per process)."""
    ca_key = deterministic_key("refimpl-oid4vp-verifier-ca", "P-256")
    ca = make_ca(ca_key)
    # the same leaf in every process: its hash is the x509_hash client_id a wallet's recorded answer
    # names, which `lerconf replay` sends to a reference started anew
    leaf_key = deterministic_key("refimpl-oid4vp-verifier-leaf", "P-256")
    return VerifierCertificates(make_leaf(leaf_key, ca, ca_key, not_before=_NOT_BEFORE, not_after=_NOT_AFTER, serial=2),
                                leaf_key, ca)
