"""JOSE/JWT and COSE securing of credentials: the JWT encodings, COSE_Sign1, signatures, envelopes.

Public surface::

    verify_jwt(token, resolver, *, at, expect=None) -> JwtVerification
    verify_cose(data, resolver, *, at) -> JwtVerification      (bytes, or base64 text)
    sign_jwt(document, private_key, kid, encoding, *, alg=None, header=None, claims=None) -> str
    sign_cose(document, private_key, kid, *, alg=None, protected=None, unprotected=None) -> bytes
    parse_compact(token) -> ParsedJws            (raises JwsParseError)
    parse_cose_sign1(data) -> ParsedCose         (raises CoseParseError)
    decode_enveloped(obj) / decode_data_url(url) -> Envelope   (raise EnvelopeError)
"""
from __future__ import annotations

from lerconf.jose.compact import JwsParseError, ParsedJws, parse_compact
from lerconf.jose.cose import CoseParseError, ParsedCose, parse_cose_sign1, sign_cose
from lerconf.jose.encodings import JwtEncoding, detect_encoding
from lerconf.jose.envelope import Envelope, EnvelopeError, decode_data_url, decode_enveloped, is_enveloped
from lerconf.jose.sign import sign_jwt
from lerconf.jose.verify import JwtVerification, build_evidence, cose_checks, jose_checks, verify_cose, verify_jwt

__all__ = [
    "CoseParseError",
    "Envelope",
    "EnvelopeError",
    "JwsParseError",
    "JwtEncoding",
    "JwtVerification",
    "ParsedCose",
    "ParsedJws",
    "build_evidence",
    "cose_checks",
    "decode_data_url",
    "decode_enveloped",
    "detect_encoding",
    "is_enveloped",
    "jose_checks",
    "parse_compact",
    "parse_cose_sign1",
    "sign_cose",
    "sign_jwt",
    "verify_cose",
    "verify_jwt",
]
