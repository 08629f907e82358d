"""lerconf-signed tokens in all three encodings: valid ones verify, each one-fault token is
rejected by the check that owns the fault."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from lerconf.crypto.did import DidResolver
from lerconf.crypto.encoding import b64url_encode
from lerconf.crypto.jose.encodings import JwtEncoding
from lerconf.crypto.jose.sign import sign_jwt
from lerconf.crypto.keys import PrivateKey, generate, private_key_from_seed
from lerconf.documents.loader import DocumentLoader, LoaderSettings
from lerconf.results import Category, Status
from lerconf.verify.jose import JwtVerification, verify_jwt

AT = datetime(2026, 6, 1, tzinfo=UTC)
OB = JwtEncoding.OB30
V11 = JwtEncoding.VCDM11
JOSE = JwtEncoding.JOSE


def did_key(key: PrivateKey) -> tuple[str, str]:
    mk = key.public.to_multikey()
    return f"did:key:{mk}", f"did:key:{mk}#{mk}"


def did_jwk(key: PrivateKey) -> tuple[str, str]:
    did = "did:jwk:" + b64url_encode(json.dumps(key.public.to_jwk()).encode())
    return did, did + "#0"


@pytest.fixture(scope="module")
def rsa_key() -> PrivateKey:
    return generate("RSA")  # no seeded RSA in lerconf.crypto.keys; signatures are still deterministic per key


ED = private_key_from_seed("Ed25519", bytes(range(32)))
P256 = private_key_from_seed("P-256", bytes(range(1, 33)))
P384 = private_key_from_seed("P-384", bytes(range(2, 50)))
K256 = private_key_from_seed("secp256k1", bytes(range(3, 35)))
OTHER = private_key_from_seed("Ed25519", bytes(range(100, 132)))


@pytest.fixture(scope="module")
def resolver() -> DidResolver:
    return DidResolver(DocumentLoader(LoaderSettings(offline=True)))


def badge(issuer: str, *, v1: bool = False, valid_until: str | None = "2030-01-01T00:00:00Z") -> dict[str, Any]:
    doc: dict[str, Any] = {
        "@context": [
            "https://www.w3.org/2018/credentials/v1" if v1 else "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Example University"},
        ("issuanceDate" if v1 else "validFrom"): "2025-01-01T00:00:00Z",
        "name": "Teamwork",
        "credentialSubject": {
            "id": "did:example:learner",
            "type": ["AchievementSubject"],
            "achievement": {"id": "urn:uuid:a", "type": ["Achievement"], "name": "Teamwork",
                            "criteria": {"narrative": "Works well."}, "description": "d"},
        },
    }
    if valid_until:
        doc["validUntil" if not v1 else "expirationDate"] = valid_until
    return doc


def doc_for(encoding: JwtEncoding, issuer: str, **kw: Any) -> dict[str, Any]:
    return badge(issuer, v1=encoding is V11, **kw)


def failed_ids(outcome: JwtVerification) -> set[tuple[str, str | None]]:
    return {(r.requirement, r.error_type) for r in outcome.failures}


# -- valid tokens -------------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", [OB, V11, JOSE])
@pytest.mark.parametrize(
    ("name", "alg"),
    [("ed", "EdDSA"), ("p256", "ES256"), ("p384", "ES384"), ("k256", "ES256K"), ("rsa", "RS256"), ("rsa", "PS256")],
)
def test_lerconf_signed_tokens_verify(
    resolver: DidResolver, rsa_key: PrivateKey, encoding: JwtEncoding, name: str, alg: str
) -> None:
    key = {"ed": ED, "p256": P256, "p384": P384, "k256": K256, "rsa": rsa_key}[name]
    issuer, kid = did_jwk(key) if name in ("k256", "rsa") else did_key(key)
    document = doc_for(encoding, issuer)
    token = sign_jwt(document, key, kid, encoding, alg=alg)
    outcome = verify_jwt(token, resolver, at=AT)
    assert outcome.encoding is encoding
    assert outcome.signature_valid and outcome.verified, [r.to_json() for r in outcome.failures]
    assert outcome.key is not None and outcome.key.method.controller == issuer
    assert outcome.credential is not None and outcome.credential["id"] == document["id"]
    assert outcome.credential["credentialSubject"]["id"] == "did:example:learner"
    assert not [r for r in outcome.checks if r.status is Status.WARNING and encoding is not V11]


def test_v11_claims_are_mapped_back_into_the_credential(resolver: DidResolver) -> None:
    issuer, kid = did_key(ED)
    document = doc_for(V11, issuer)
    slim = {k: v for k, v in document.items() if k not in ("id", "issuanceDate", "expirationDate")}
    claims = {"jti": document["id"], "nbf": 1735689600, "exp": 1893456000, "vc": slim}
    outcome = verify_jwt(sign_jwt(document, ED, kid, V11, claims=claims), resolver, at=AT)
    assert outcome.verified, [r.to_json() for r in outcome.failures]
    assert outcome.credential["id"] == document["id"]
    assert outcome.credential["issuanceDate"] == "2025-01-01T00:00:00Z"
    assert outcome.credential["expirationDate"] == "2030-01-01T00:00:00Z"


def test_presentations_in_each_encoding_verify(resolver: DidResolver) -> None:
    holder, kid = did_key(P256)
    for encoding, context in ((V11, "https://www.w3.org/2018/credentials/v1"), (JOSE, "https://www.w3.org/ns/credentials/v2")):
        vp = {"@context": [context], "type": ["VerifiablePresentation"],
              "id": "urn:uuid:p1", "holder": holder, "verifiableCredential": []}
        outcome = verify_jwt(sign_jwt(vp, P256, kid, encoding), resolver, at=AT)
        assert outcome.kind == "presentation" and outcome.encoding is encoding
        assert outcome.verified, [r.to_json() for r in outcome.failures]


# -- one fault each ---------------------------------------------------------------------------
def _split(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    h, p, _ = token.split(".")
    dec = lambda s: json.loads(base64.urlsafe_b64decode(s + "=" * (-len(s) % 4)))  # noqa: E731
    return dec(h), dec(p)


def _assemble(header: dict[str, Any], payload: dict[str, Any], signature: bytes) -> str:
    enc = lambda v: b64url_encode(json.dumps(v).encode())  # noqa: E731
    return f"{enc(header)}.{enc(payload)}.{b64url_encode(signature)}"


@pytest.mark.parametrize("encoding", [OB, V11, JOSE])
def test_alg_none_is_rejected(resolver: DidResolver, encoding: JwtEncoding) -> None:
    issuer, kid = did_key(ED)
    header, payload = _split(sign_jwt(doc_for(encoding, issuer), ED, kid, encoding))
    outcome = verify_jwt(_assemble({**header, "alg": "none"}, payload, b""), resolver, at=AT)
    assert ("JC-05", "FORBIDDEN_ALG") in failed_ids(outcome)
    assert not outcome.signature_valid and not outcome.verified


@pytest.mark.parametrize("encoding", [OB, V11, JOSE])
def test_hs256_signed_with_the_public_key_is_rejected(resolver: DidResolver, encoding: JwtEncoding) -> None:
    """The classic confusion attack: HMAC keyed with the issuer's public key, which anyone has."""
    issuer, kid = did_key(P256)
    header, payload = _split(sign_jwt(doc_for(encoding, issuer), P256, kid, encoding))
    header["alg"] = "HS256"
    enc = lambda v: b64url_encode(json.dumps(v).encode())  # noqa: E731
    signing_input = f"{enc(header)}.{enc(payload)}".encode()
    secret = json.dumps(P256.public.to_jwk()).encode()
    forged = f"{signing_input.decode()}.{b64url_encode(hmac.new(secret, signing_input, hashlib.sha256).digest())}"
    outcome = verify_jwt(forged, resolver, at=AT)
    assert ("JC-05", "FORBIDDEN_ALG") in failed_ids(outcome)
    assert ("JC-09", "FORBIDDEN_ALG") in failed_ids(outcome)
    assert not outcome.verified


@pytest.mark.parametrize("encoding", [OB, V11, JOSE])
def test_tampered_payload_is_rejected(resolver: DidResolver, encoding: JwtEncoding) -> None:
    issuer, kid = did_key(ED)
    token = sign_jwt(doc_for(encoding, issuer), ED, kid, encoding)
    h, _p, s = token.split(".")
    payload = _split(token)[1]
    target = payload["vc"] if encoding is V11 else payload
    target["name"] = "Tampered"
    tampered = f"{h}.{b64url_encode(json.dumps(payload).encode())}.{s}"
    outcome = verify_jwt(tampered, resolver, at=AT)
    assert ("JC-09", "INVALID_SIGNATURE") in failed_ids(outcome)
    assert not outcome.verified


def test_signature_by_a_key_other_than_kid_is_rejected(resolver: DidResolver) -> None:
    issuer, kid = did_key(ED)
    outcome = verify_jwt(sign_jwt(doc_for(OB, issuer), OTHER, kid, OB), resolver, at=AT)
    assert ("JC-09", "INVALID_SIGNATURE") in failed_ids(outcome)


@pytest.mark.parametrize("encoding", [OB, V11, JOSE])
def test_valid_signature_by_someone_elses_key_is_not_verified(resolver: DidResolver, encoding: JwtEncoding) -> None:
    issuer, _ = did_key(ED)
    _, other_kid = did_key(OTHER)
    outcome = verify_jwt(sign_jwt(doc_for(encoding, issuer), OTHER, other_kid, encoding), resolver, at=AT)
    assert outcome.signature_valid
    assert ("JC-04", "KEY_NOT_CONTROLLED_BY_ISSUER") in failed_ids(outcome)
    assert not outcome.verified
    binding = next(r for r in outcome.result("JC-04") if r.status is Status.FAILED)
    assert binding.category is Category.ISSUER_BINDING


@pytest.mark.parametrize(
    ("claims", "doc_kw", "error"),
    [
        ({"jti": "urn:uuid:other"}, {}, "CLAIM_MISMATCH"),
        ({"sub": "did:example:someone-else"}, {}, "CLAIM_MISMATCH"),
        ({"iss": "did:example:not-the-issuer"}, {}, "CLAIM_MISMATCH"),
        ({}, {"valid_until": "2026-01-01T00:00:00Z"}, "EXPIRED"),
    ],
    ids=["jti", "sub", "iss", "expired"],
)
def test_ob_claim_faults_fail_ob_24(resolver: DidResolver, claims: dict[str, Any], doc_kw: dict[str, Any], error: str) -> None:
    issuer, kid = did_key(ED)
    outcome = verify_jwt(sign_jwt(badge(issuer, **doc_kw), ED, kid, OB, claims=claims), resolver, at=AT)
    assert ("OB-24", error) in failed_ids(outcome)
    assert not outcome.verified
    if error == "CLAIM_MISMATCH":
        assert ("OB-14", "CLAIM_MISMATCH") in failed_ids(outcome)


def test_ob_future_nbf_fails_ob_24(resolver: DidResolver) -> None:
    issuer, kid = did_key(ED)
    document = badge(issuer)
    document["validFrom"] = "2027-01-01T00:00:00Z"
    outcome = verify_jwt(sign_jwt(document, ED, kid, OB), resolver, at=AT)
    assert ("OB-24", "NOT_YET_VALID") in failed_ids(outcome)
    assert outcome.signature_valid and not outcome.verified


def test_ob_nbf_differing_from_valid_from_fails(resolver: DidResolver) -> None:
    issuer, kid = did_key(ED)
    outcome = verify_jwt(sign_jwt(badge(issuer), ED, kid, OB, claims={"nbf": 1700000000}), resolver, at=AT)
    assert ("OB-24", "CLAIM_MISMATCH") in failed_ids(outcome)


@pytest.mark.parametrize(("claims", "error"), [
    ({"sub": "did:example:someone-else"}, "CLAIM_MISMATCH"),
    ({"jti": "urn:uuid:other"}, "CLAIM_MISMATCH"),
    ({"exp": 1767225600}, "CLAIM_MISMATCH"),  # differs from expirationDate
], ids=["sub", "jti", "exp"])
def test_v11_claim_faults_fail_jwt11(resolver: DidResolver, claims: dict[str, Any], error: str) -> None:
    issuer, kid = did_key(ED)
    outcome = verify_jwt(sign_jwt(doc_for(V11, issuer), ED, kid, V11, claims=claims), resolver, at=AT)
    assert ("JWT11-03", error) in failed_ids(outcome)
    assert ("JWT11-01", error) in failed_ids(outcome)
    assert not outcome.verified


def test_v11_expired_fails_jwt11_03(resolver: DidResolver) -> None:
    issuer, kid = did_key(ED)
    document = badge(issuer, v1=True, valid_until="2026-01-01T00:00:00Z")
    outcome = verify_jwt(sign_jwt(document, ED, kid, V11), resolver, at=AT)
    assert ("JWT11-03", "EXPIRED") in failed_ids(outcome)


def test_v11_unmirrored_property_fails_jwt11_01(resolver: DidResolver) -> None:
    issuer, kid = did_key(ED)
    outcome = verify_jwt(sign_jwt(doc_for(V11, issuer), ED, kid, V11, claims={"jti": None}), resolver, at=AT)
    assert ("JWT11-01", "CLAIM_MISMATCH") in failed_ids(outcome)


def test_vc_claim_in_vc_jwt_fails_jc_02(resolver: DidResolver) -> None:
    issuer, kid = did_key(ED)
    document = badge(issuer)
    outcome = verify_jwt(sign_jwt(document, ED, kid, JOSE, claims={"vc": document}), resolver, at=AT)
    assert ("JC-02", "FORBIDDEN_CLAIM") in failed_ids(outcome)
    assert outcome.signature_valid and not outcome.verified


def test_jose_iss_mismatch_fails_jc_03(resolver: DidResolver) -> None:
    issuer, kid = did_key(ED)
    outcome = verify_jwt(sign_jwt(badge(issuer), ED, kid, JOSE, claims={"iss": "did:example:x"}), resolver, at=AT)
    assert ("JC-03", "ISS_MISMATCH") in failed_ids(outcome)


def test_jose_expired_exp_fails_jc_03(resolver: DidResolver) -> None:
    issuer, kid = did_key(ED)
    outcome = verify_jwt(sign_jwt(badge(issuer), ED, kid, JOSE, claims={"exp": 1700000000}), resolver, at=AT)
    assert ("JC-03", "EXPIRED") in failed_ids(outcome)


def test_jose_conflicting_jti_is_a_warning(resolver: DidResolver) -> None:
    issuer, kid = did_key(ED)
    outcome = verify_jwt(sign_jwt(badge(issuer), ED, kid, JOSE, claims={"jti": "urn:x"}), resolver, at=AT)
    assert next(r.status for r in outcome.result("JC-03")) is Status.WARNING
    assert outcome.verified


def test_jose_without_kid_fails_jc_04(resolver: DidResolver) -> None:
    issuer, _ = did_key(ED)
    outcome = verify_jwt(sign_jwt(badge(issuer), ED, None, JOSE), resolver, at=AT)
    assert outcome.signature_valid
    assert ("JC-04", "MISSING_KID") in failed_ids(outcome)


def test_jwk_header_with_private_d_is_refused(resolver: DidResolver) -> None:
    issuer, _ = did_jwk(ED)
    private_jwk = ED.to_jwk()
    token = sign_jwt(badge(issuer), ED, None, OB, header={"jwk": private_jwk})
    outcome = verify_jwt(token, resolver, at=AT)
    assert ("OB-13", "BAD_JOSE_HEADER") in failed_ids(outcome)
    assert ("JC-09", "KEY_NOT_RESOLVED") in failed_ids(outcome)
    assert not outcome.verified
    assert private_jwk["d"] not in json.dumps([r.to_json() for r in outcome.checks])


def test_public_jwk_header_bound_by_did_jwk_issuer_verifies(resolver: DidResolver) -> None:
    issuer, _ = did_jwk(ED)
    token = sign_jwt(badge(issuer), ED, None, OB, header={"jwk": ED.public.to_jwk()})
    outcome = verify_jwt(token, resolver, at=AT)
    assert outcome.verified, [r.to_json() for r in outcome.failures]


def test_public_jwk_header_not_bound_to_issuer_fails(resolver: DidResolver) -> None:
    issuer, _ = did_key(ED)
    token = sign_jwt(badge(issuer), OTHER, None, OB, header={"jwk": OTHER.public.to_jwk()})
    outcome = verify_jwt(token, resolver, at=AT)
    assert outcome.signature_valid
    assert ("JC-04", "KEY_NOT_BOUND") in failed_ids(outcome)


def test_ob_header_with_wrong_typ_and_extra_headers_fails_ob_13(resolver: DidResolver) -> None:
    issuer, kid = did_key(ED)
    token = sign_jwt(badge(issuer), ED, kid, OB, header={"x-vendor": 1})
    assert ("OB-13", "BAD_JOSE_HEADER") in failed_ids(verify_jwt(token, resolver, at=AT))


def test_v2_document_in_vc_claim_fails_vcdm_d3(resolver: DidResolver) -> None:
    issuer, kid = did_key(ED)
    outcome = verify_jwt(sign_jwt(badge(issuer), ED, kid, V11), resolver, at=AT)
    assert ("VCDM-D3", "V2_IN_VC_CLAIM") in failed_ids(outcome)


def test_expected_encoding_is_enforced(resolver: DidResolver) -> None:
    issuer, kid = did_key(ED)
    token = sign_jwt(badge(issuer), ED, kid, JOSE)
    outcome = verify_jwt(token, resolver, at=AT, expect=OB)
    assert ("VCDM-D3", "WRONG_ENCODING") in failed_ids(outcome)


def test_relative_kid_is_resolved_against_iss(resolver: DidResolver) -> None:
    issuer, kid = did_key(ED)
    token = sign_jwt(badge(issuer), ED, "#" + kid.split("#")[1], OB)
    assert verify_jwt(token, resolver, at=AT).verified
