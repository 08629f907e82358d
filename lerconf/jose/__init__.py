"""JOSE/JWT securing of credentials: the three JWT encodings, signatures, enveloped credentials.

Public surface::

    verify_jwt(token, resolver, *, at, expect=None) -> JwtVerification
    sign_jwt(document, private_key, kid, encoding, *, alg=None, header=None, claims=None) -> str
    parse_compact(token) -> ParsedJws            (raises JwsParseError)
    decode_enveloped(obj) / decode_data_url(url) -> Envelope   (raise EnvelopeError)
"""
from __future__ import annotations

from lerconf.jose.compact import JwsParseError, ParsedJws, parse_compact
from lerconf.jose.encodings import JwtEncoding, detect_encoding
from lerconf.jose.envelope import Envelope, EnvelopeError, decode_data_url, decode_enveloped, is_enveloped
from lerconf.jose.sign import sign_jwt
from lerconf.jose.verify import JwtVerification, build_evidence, jose_checks, verify_jwt

__all__ = [
    "Envelope",
    "EnvelopeError",
    "JwsParseError",
    "JwtEncoding",
    "JwtVerification",
    "ParsedJws",
    "build_evidence",
    "decode_data_url",
    "decode_enveloped",
    "detect_encoding",
    "is_enveloped",
    "jose_checks",
    "parse_compact",
    "sign_jwt",
    "verify_jwt",
]
