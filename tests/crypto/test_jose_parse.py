"""Compact JWS parsing, encoding detection and enveloped data URLs: garbage in, clear errors out."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from lerconf.crypto.did import DidResolver
from lerconf.crypto.encoding import b64url_encode
from lerconf.crypto.jose.compact import MAX_TOKEN_CHARS, JwsParseError, parse_compact
from lerconf.crypto.jose.encodings import JwtEncoding, detect_encoding
from lerconf.crypto.jose.envelope import (
    EnvelopeError,
    decode_data_url,
    decode_enveloped,
)
from lerconf.documents.loader import DocumentLoader, LoaderSettings
from lerconf.results import Status
from lerconf.verify.jose import jose_checks, verify_jwt

AT = datetime(2026, 1, 1, tzinfo=UTC)
H = b64url_encode(b'{"alg":"EdDSA","typ":"vc+jwt"}')
P = b64url_encode(b'{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"]}')


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("", "empty"),
        ("not a jwt", "3 dot-separated parts"),
        ("a.b.c.d.e", "JWE"),
        ('{"@context": []}', "JSON, not a compact JWS"),
        (f"{H}.{P}.***", "signature is not base64url"),
        (f"e30=.{P}.", "protected header is not base64url"),
        (f"{b64url_encode(b'[1]')}.{P}.", "not an object"),
        (f"{b64url_encode(bytes([0xff, 0xfe]))}.{P}.", "not UTF-8 JSON"),
        (12345, "must be a string"),
        ("x" * (MAX_TOKEN_CHARS + 1), "limit"),
        (f"{H}.{P}.~~", "empty disclosure"),
    ],
)
def test_garbage_gives_a_clear_parse_error(token: object, message: str) -> None:
    with pytest.raises(JwsParseError, match=message):
        parse_compact(token)


def test_parse_keeps_the_signing_input() -> None:
    parsed = parse_compact(f"{H}.{P}.AAAA")
    assert parsed.signing_input == f"{H}.{P}".encode()
    assert parsed.signature == b"\0\0\0" and parsed.header["typ"] == "vc+jwt"


@pytest.mark.parametrize(
    ("header", "payload", "expected"),
    [
        ({"typ": "vc+jwt"}, {"@context": []}, (JwtEncoding.JOSE, "credential")),
        ({"typ": "vp+jwt"}, {"@context": []}, (JwtEncoding.JOSE, "presentation")),
        ({"typ": "vc+sd-jwt"}, {"_sd": []}, (JwtEncoding.SD_JWT, "credential")),
        ({"typ": "JWT"}, {"vc": {"type": ["VerifiableCredential"]}}, (JwtEncoding.VCDM11, "credential")),
        ({}, {"vp": {"type": ["VerifiablePresentation"]}}, (JwtEncoding.VCDM11, "presentation")),
        ({"typ": "JWT"}, {"@context": [], "type": ["VerifiableCredential", "OpenBadgeCredential"]}, (JwtEncoding.OB30, "credential")),
        ({"typ": "bad+typ"}, {"@context": []}, (JwtEncoding.UNKNOWN, "credential")),
    ],
)
def test_encoding_is_detected(header: dict, payload: dict, expected: tuple) -> None:  # type: ignore[type-arg]
    assert detect_encoding(header, payload) == expected


def test_data_urls_decode_by_media_type() -> None:
    jwt = f"{H}.{P}.AAAA"
    assert decode_data_url(f"data:application/vc+jwt,{jwt}").token == jwt
    cose = decode_data_url("data:application/vc+cose;base64,0oRA")
    assert cose.securing == "cose" and cose.content == bytes([0xD2, 0x84, 0x40])
    env = decode_enveloped({"@context": "https://www.w3.org/ns/credentials/v2", "type": "EnvelopedVerifiablePresentation",
                            "id": f"data:application/vp+jwt,{jwt}"})
    assert env.kind == "presentation"


@pytest.mark.parametrize(
    ("obj", "message"),
    [
        ({"type": "EnvelopedVerifiableCredential", "id": "not-a-credential"}, "not a data: URL"),
        ({"type": "EnvelopedVerifiableCredential", "id": "data:text/plain,hello"}, "unsupported media type"),
        ({"type": "EnvelopedVerifiableCredential", "id": "data:application/vc+cose,raw"}, "must be base64"),
        ({"type": "EnvelopedVerifiableCredential", "id": "data:application/vp+jwt,a.b.c"}, "carries application/vp"),
        ({"type": "VerifiableCredential", "id": "data:application/vc+jwt,a.b.c"}, "not typed"),
        ({"type": "EnvelopedVerifiableCredential", "id": "data:application/vc+jwt"}, "no ','"),
    ],
)
def test_bad_envelopes_are_refused(obj: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(EnvelopeError, match=message):
        decode_enveloped(obj)


@pytest.mark.parametrize("token", ["", "garbage", f"{H}.{P}.", f"{H}.{P}.AAAA", '{"a":1}', None])
def test_every_check_reports_with_its_id_and_never_raises(token: object) -> None:
    resolver = DidResolver(DocumentLoader(LoaderSettings(offline=True)))
    outcome = verify_jwt(token, resolver, at=AT)  # type: ignore[arg-type]
    assert len(outcome.checks) == len(jose_checks())
    for func, result in zip(jose_checks(), outcome.checks, strict=False):
        assert result.requirement == func.requirement_id and result.message  # type: ignore[attr-defined]
    assert not outcome.verified
    assert any(r.status is Status.FAILED for r in outcome.checks)


def test_naive_at_is_a_harness_fault() -> None:
    resolver = DidResolver(DocumentLoader(LoaderSettings(offline=True)))
    with pytest.raises(ValueError, match="timezone-aware"):
        verify_jwt(f"{H}.{P}.AAAA", resolver, at=datetime(2026, 1, 1))
