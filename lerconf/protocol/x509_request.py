"""Request objects under the ``x509_san_dns:`` and ``x509_hash:`` client identifier prefixes
(VP §5.9.3), checked the way a wallet must: the ``x5c`` chain leads to a trust anchor the
profile names, the leaf matches the client_id (a SAN dNSName, or the SHA-256 hash of the leaf's
DER), and the request object's signature verifies with the leaf's key.

Chain validation is deliberately small and explicit (each certificate signed by the next, CAs
marked as CAs, every certificate within its validity, the last one issued by or equal to a
trust anchor): enough to tell a verifier's chain from an untrusted one, without the web-PKI
policy (EKUs, name constraints) that verifier access certificates do not follow uniformly.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization

from lerconf import entropy
from lerconf.crypto.encoding import b64url_encode
from lerconf.crypto.jose.algorithms import (
    curve_of,
    is_forbidden,
    key_mismatch,
    verify_signature,
)
from lerconf.crypto.jose.compact import parse_compact
from lerconf.crypto.keys import PublicKey
from lerconf.protocol.request_object import RequestObject

__all__ = [
    "X509_PREFIXES",
    "chain_problem",
    "client_id_problem",
    "leaf_hash",
    "load_trust_anchors",
    "parse_x5c",
    "response_uri_problem",
    "x509_request_problem",
]

X509_PREFIXES = ("x509_san_dns", "x509_hash")


def load_trust_anchors(entries: Sequence[str]) -> list[x509.Certificate]:
    """Certificates from PEM text or PEM files (raises ValueError naming the bad entry)."""
    anchors: list[x509.Certificate] = []
    for i, entry in enumerate(entries):
        text = entry if "-----BEGIN" in entry else None
        if text is None:
            try:
                text = Path(entry).read_text(encoding="ascii")
            except (OSError, UnicodeDecodeError) as exc:
                raise ValueError(f"entry {i}: {entry!r} is neither PEM text nor a readable PEM file ({exc})") from None
        try:
            found = x509.load_pem_x509_certificates(text.encode("ascii"))
        except ValueError as exc:
            raise ValueError(f"entry {i}: not a PEM certificate ({exc})") from None
        anchors.extend(found)
    return anchors


def parse_x5c(x5c: object) -> tuple[list[x509.Certificate], str | None]:
    """The certificates of an ``x5c`` header (base64 DER, leaf first), or why there are none."""
    if not isinstance(x5c, list) or not x5c or not all(isinstance(c, str) for c in x5c):
        return [], "the request object has no x5c header (a non-empty array of base64 DER certificates)"
    certs = []
    for i, value in enumerate(x5c):
        try:
            certs.append(x509.load_der_x509_certificate(base64.b64decode(value, validate=True)))
        except (ValueError, binascii.Error):
            return [], f"x5c[{i}] is not a base64 DER certificate"
    return certs, None


def _der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def _issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
    except (InvalidSignature, ValueError, TypeError):  # another issuer name, key or signature
        return False
    return True


def chain_problem(certs: Sequence[x509.Certificate], anchors: Sequence[x509.Certificate], *,
                  at: datetime | None = None) -> str | None:
    """None when ``certs`` (leaf first) is a valid chain to one of ``anchors``, else why not."""
    if not anchors:
        return "no trust anchors are configured (oid4vp_verifier.trust_anchors): the chain cannot be trusted"
    at = at or entropy.utc_now()
    for i, cert in enumerate(certs):
        if not cert.not_valid_before_utc <= at <= cert.not_valid_after_utc:
            return (f"x5c[{i}] ({cert.subject.rfc4514_string()}) is not valid now "
                    f"({cert.not_valid_before_utc:%Y-%m-%d} to {cert.not_valid_after_utc:%Y-%m-%d})")
    for i in range(len(certs) - 1):
        if not _is_ca(certs[i + 1]):
            return f"x5c[{i + 1}] issues x5c[{i}] but is not a CA certificate"
        if not _issued_by(certs[i], certs[i + 1]):
            return f"x5c[{i}] is not signed by x5c[{i + 1}]"
    last = certs[-1]
    anchor_ders = {_der(a) for a in anchors}
    if _der(last) in anchor_ders:
        return None
    for anchor in anchors:
        if _is_ca(anchor) and _issued_by(last, anchor):
            return None
    return f"the chain does not lead to a trust anchor (last issuer: {last.issuer.rfc4514_string()})"


def leaf_hash(cert: x509.Certificate) -> str:
    """base64url(SHA-256(DER)): the ``x509_hash:`` client identifier of a leaf certificate."""
    return b64url_encode(hashlib.sha256(_der(cert)).digest())


def client_id_problem(client_id: str, leaf: x509.Certificate) -> str | None:
    """None when the leaf certificate is the one ``client_id`` names (VP §5.9.3), else why not."""
    prefix, _, value = client_id.partition(":")
    if prefix == "x509_san_dns":
        try:
            names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value \
                .get_values_for_type(x509.DNSName)
        except x509.ExtensionNotFound:
            names = []
        if value not in names:
            return f"the leaf certificate's SAN dNSNames {names} do not include the client_id's {value!r}"
        return None
    if prefix == "x509_hash":
        actual = leaf_hash(leaf)
        if value != actual:
            return f"the client_id's hash {value!r} is not the leaf certificate's SHA-256 ({actual})"
        return None
    return f"{prefix!r} is not an x509 client identifier prefix"


def x509_request_problem(obj: RequestObject, anchors: Sequence[x509.Certificate], *,
                         at: datetime | None = None) -> str | None:
    """None when an x509-prefix request object is signed by a trusted leaf that matches its
    client_id, else the first reason it is not."""
    alg = obj.header.get("alg")
    if not obj.signed:
        return "the request object is not signed (alg none)"
    if not isinstance(alg, str) or is_forbidden(alg):
        return f"alg {alg!r} is not an asymmetric signature algorithm"
    certs, problem = parse_x5c(obj.header.get("x5c"))
    if problem:
        return problem
    leaf = certs[0]
    problem = client_id_problem(str(obj.claims.get("client_id", "")), leaf)
    if problem:
        return problem
    key = PublicKey(curve_of(leaf.public_key()), leaf.public_key())
    mismatch = key_mismatch(alg, key)
    if mismatch:
        return f"the leaf certificate's key cannot verify {alg}: {mismatch}"
    parsed = parse_compact(obj.token, allow_sd_jwt=False)
    if not verify_signature(alg, key, parsed.signing_input, parsed.signature):
        return "the signature does not verify with the leaf certificate's key"
    return chain_problem(certs, anchors, at=at)


def response_uri_problem(client_id: str, response_uri: object) -> str | None:
    """Under ``x509_san_dns:`` the FQDN of the response_uri is the client identifier's DNS name
    (VP 1.0 §5.9.3), unless the wallet already trusts that client identifier (a list of trusted
    verifiers), which lerconf's wallets do not keep. None when it holds or does not apply."""
    prefix, _, value = client_id.partition(":")
    if prefix != "x509_san_dns" or not isinstance(response_uri, str):
        return None
    host = urlsplit(response_uri).hostname or ""
    if host.lower() != value.lower():
        return (f"under x509_san_dns:{value} the response_uri host must be {value!r} (VP 1.0 §5.9.3), "
                f"not {host!r}, unless the wallet already trusts this client_id")
    return None
