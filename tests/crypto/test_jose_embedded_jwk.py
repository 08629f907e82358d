"""JC-04 for a VC-JWT whose header carries the public key as ``jwk`` and no ``kid`` (OB 3.0, JSON Web
Token Proof Format › Create the JOSE Header): bound through the did:web issuer's DID document."""
from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lerconf.crypto.did import DidResolver
from lerconf.crypto.jose.encodings import JwtEncoding
from lerconf.crypto.jose.sign import sign_jwt
from lerconf.crypto.keys import PrivateKey, private_key_from_seed
from lerconf.documents.loader import DocumentLoader, LoaderSettings
from lerconf.verify.jose import JwtVerification, verify_jwt

AT = datetime(2026, 6, 1, tzinfo=UTC)
ISSUER = "did:web:badges.example"
DID_URL = "https://badges.example/.well-known/did.json"
KEY = private_key_from_seed("Ed25519", bytes(range(40, 72)))
OTHER = private_key_from_seed("Ed25519", bytes(range(80, 112)))
P256 = private_key_from_seed("P-256", bytes(range(7, 39)))


def did_document(key: PrivateKey, *, relationship: str = "assertionMethod", as_jwk: bool = False) -> dict[str, Any]:
    vm: dict[str, Any] = {"id": f"{ISSUER}#key-1", "controller": ISSUER}
    if as_jwk:
        vm.update(type="JsonWebKey", publicKeyJwk=key.public.to_jwk())
    else:
        vm.update(type="Multikey", publicKeyMultibase=key.public.to_multikey())
    return {"@context": ["https://www.w3.org/ns/did/v1"], "id": ISSUER, "verificationMethod": [vm],
            relationship: [f"{ISSUER}#key-1"]}


def resolver_for(tmp_path: Path, doc: dict[str, Any] | None) -> DidResolver:
    url_map = {}
    if doc is not None:
        path = tmp_path / "did.json"
        path.write_text(json.dumps(doc), encoding="utf-8")
        url_map[DID_URL] = path
    return DidResolver(DocumentLoader(LoaderSettings(url_map=url_map, offline=True)))


def badge() -> dict[str, Any]:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:uuid:0d3c7e54-1b8f-4d5a-9d0e-2f4b6a8c9e01",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": ISSUER, "type": ["Profile"], "name": "Badges Example"},
        "validFrom": "2025-01-01T00:00:00Z",
        "name": "Teamwork",
        "credentialSubject": {"id": "did:example:learner", "type": ["AchievementSubject"],
                              "achievement": {"id": "urn:uuid:a", "type": ["Achievement"], "name": "Teamwork",
                                              "criteria": {"narrative": "Works well."}, "description": "d"}},
    }


def token_signed_by(key: PrivateKey, **header: Any) -> str:
    return sign_jwt(badge(), key, None, JwtEncoding.OB30, header={"jwk": key.public.to_jwk(), **header})


def jc04(outcome: JwtVerification) -> list[Any]:
    return outcome.result("JC-04")


def test_jc_04_accepts_embedded_jwk_listed_under_the_did_web_issuers_assertion_method(tmp_path: Path) -> None:
    outcome = verify_jwt(token_signed_by(KEY), resolver_for(tmp_path, did_document(KEY)), at=AT)
    assert outcome.verified, [r.to_json() for r in outcome.failures]
    [binding] = jc04(outcome)
    assert binding.status.value == "passed" and f"{ISSUER}#key-1" in binding.message
    assert outcome.key is not None and outcome.key.method.controller == ISSUER


def test_jc_04_accepts_embedded_p256_jwk_listed_as_a_json_web_key(tmp_path: Path) -> None:
    token = sign_jwt(badge(), P256, None, JwtEncoding.OB30, alg="ES256", header={"jwk": P256.public.to_jwk()})
    outcome = verify_jwt(token, resolver_for(tmp_path, did_document(P256, as_jwk=True)), at=AT)
    assert outcome.verified, [r.to_json() for r in outcome.failures]


def test_jc_04_rejects_embedded_jwk_that_is_not_in_the_issuers_did_document(tmp_path: Path) -> None:
    outcome = verify_jwt(token_signed_by(OTHER), resolver_for(tmp_path, did_document(KEY)), at=AT)
    assert outcome.signature_valid and not outcome.verified
    [binding] = jc04(outcome)
    assert binding.status.value == "failed" and binding.error_type == "KEY_NOT_BOUND"
    assert "no verification method of did:web:badges.example has this public key" in binding.message


def test_jc_04_rejects_embedded_jwk_the_issuer_lists_only_for_authentication(tmp_path: Path) -> None:
    doc = did_document(KEY, relationship="authentication")
    outcome = verify_jwt(token_signed_by(KEY), resolver_for(tmp_path, doc), at=AT)
    [binding] = jc04(outcome)
    assert binding.status.value == "failed" and binding.error_type == "INVALID_PROOF_PURPOSE_FOR_VERIFICATION_METHOD"
    assert not outcome.verified


def test_jc_04_names_the_cause_when_the_issuers_did_document_cannot_be_resolved(tmp_path: Path) -> None:
    outcome = verify_jwt(token_signed_by(KEY), resolver_for(tmp_path, None), at=AT)
    [binding] = jc04(outcome)
    assert binding.status.value == "failed" and f"cannot resolve {ISSUER}" in binding.message
    assert not outcome.verified


def test_jc_04_binds_embedded_jwk_through_the_key_url_it_names(tmp_path: Path) -> None:
    jwk = {**KEY.public.to_jwk(), "kid": f"{ISSUER}#key-1"}
    token = sign_jwt(badge(), KEY, None, JwtEncoding.OB30, header={"jwk": jwk})
    outcome = verify_jwt(token, resolver_for(tmp_path, did_document(KEY)), at=AT)
    assert outcome.verified, [r.to_json() for r in outcome.failures]
