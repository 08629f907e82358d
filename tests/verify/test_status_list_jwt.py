"""Status lists secured as VC-JWT (Bitstring Status List §4: any media type registered for a secured
VC; §3.6: the list SHOULD be secured like the credentials it serves), as an independent OB 3.0
issuing library serves them: a did:web issuer, the public key as ``jwk`` in the header, no ``kid``.
The credential and its list go through the whole engine (``Verifier.verify_text``)."""
from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from lerconf.crypto.jose.encodings import JwtEncoding
from lerconf.crypto.jose.sign import sign_jwt
from lerconf.crypto.keys import PrivateKey, private_key_from_seed
from lerconf.crypto.status_list import STATUS_LIST_2021, build_status_list_credential, encode_status_list
from lerconf.documents.loader import DocumentLoader, LoaderSettings
from lerconf.results import CheckResult, Status
from lerconf.verify.engine import Verifier
from lerconf.verify.report import VerificationReport, VerifyOptions

AT = datetime(2026, 6, 1, tzinfo=UTC)
ISSUER = "did:web:badges.example"
DID_URL = "https://badges.example/.well-known/did.json"
LIST_URL = "https://badges.example/status/1"
KEY = private_key_from_seed("Ed25519", bytes(range(40, 72)))
OTHER = private_key_from_seed("Ed25519", bytes(range(80, 112)))
OB, JOSE, V11 = JwtEncoding.OB30, JwtEncoding.JOSE, JwtEncoding.VCDM11
V1, V2 = "https://www.w3.org/2018/credentials/v1", "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def did_document() -> dict[str, Any]:
    vm = {"id": f"{ISSUER}#key-1", "type": "Multikey", "controller": ISSUER, "publicKeyMultibase": KEY.public.to_multikey()}
    return {"@context": ["https://www.w3.org/ns/did/v1"], "id": ISSUER, "verificationMethod": [vm],
            "assertionMethod": [f"{ISSUER}#key-1"]}


def secure(document: dict[str, Any], encoding: JwtEncoding, key: PrivateKey = KEY) -> str:
    """As the library does it: the public key in the header, no kid (OB 3.0 allows it for its JWT format)."""
    kid = None if encoding is OB else f"{ISSUER}#key-1"  # VC-JOSE-COSE and VCDM 1.1 name the key
    return sign_jwt(document, key, kid, encoding, header={"jwk": key.public.to_jwk()} if encoding is OB else None)


def badge(entry: dict[str, Any], *, v1: bool = False) -> dict[str, Any]:
    return {
        "@context": [V1 if v1 else V2, OB_CONTEXT, *(["https://w3id.org/vc/status-list/2021/v1"] if v1 else [])],
        "id": "urn:uuid:6a2d4c1e-8b3f-4e7a-9c5d-0f1e2d3c4b5a",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": ISSUER, "type": ["Profile"], "name": "Badges Example"},
        ("issuanceDate" if v1 else "validFrom"): "2025-01-01T00:00:00Z",
        "name": "Teamwork",
        "credentialSubject": {"id": "did:example:learner", "type": ["AchievementSubject"],
                              "achievement": {"id": "urn:uuid:a", "type": ["Achievement"], "name": "Teamwork",
                                              "criteria": {"narrative": "Works well."}, "description": "d"}},
        "credentialStatus": entry,
    }


def entry(index: int, purpose: str = "revocation", kind: str = "BitstringStatusListEntry") -> dict[str, Any]:
    return {"id": f"{LIST_URL}#{index}", "type": kind, "statusPurpose": purpose, "statusListIndex": str(index),
            "statusListCredential": LIST_URL}


def status_list(purpose: str = "revocation", *, revoked: tuple[int, ...] = (5,), valid_until: str | None = None,
                v1: bool = False) -> dict[str, Any]:
    doc = build_status_list_credential(LIST_URL, encode_status_list(list(revoked), multibase=not v1), purpose,
                                       issuer=ISSUER, valid_from="2025-01-01T00:00:00Z", valid_until=valid_until,
                                       **({"kind": STATUS_LIST_2021} if v1 else {}))
    return doc


def verify(tmp_path: Path, credential: str, served: str | dict[str, Any]) -> VerificationReport:
    (tmp_path / "did.json").write_text(json.dumps(did_document()), encoding="utf-8")
    listed = tmp_path / "list"
    listed.write_text(served if isinstance(served, str) else json.dumps(served), encoding="utf-8")
    loader = DocumentLoader(LoaderSettings.from_env(offline=True, url_map={DID_URL: tmp_path / "did.json", LIST_URL: listed}))
    return Verifier(loader).verify_text(credential, "badge.jwt", VerifyOptions(at=AT))


def status_results(report: VerificationReport) -> list[CheckResult]:
    return [r for r in report.checks if r.requirement.startswith("BSL-")]


def failed_status(report: VerificationReport) -> list[CheckResult]:
    return [r for r in status_results(report) if r.status is Status.FAILED]


def one(report: VerificationReport, rid: str) -> CheckResult:
    [result] = [r for r in status_results(report) if r.requirement == rid]
    return result


@pytest.mark.parametrize("encoding", [OB, JOSE])
def test_bsl_18_accepts_a_clear_bit_in_a_jwt_secured_list(tmp_path: Path, encoding: JwtEncoding) -> None:
    report = verify(tmp_path, secure(badge(entry(4)), OB), secure(status_list(), encoding))
    assert not failed_status(report), [r.message for r in failed_status(report)]
    assert one(report, "BSL-13").status is Status.PASSED and "compact JWS" in one(report, "BSL-13").message
    assert one(report, "BSL-14").status is Status.PASSED and one(report, "BSL-14").details["secured_by"] == "jwt"
    assert one(report, "BSL-18").status is Status.PASSED
    assert report.verified, [(s, r.requirement, r.message) for s, r in report.blocking_failures()]


def test_bsl_18_accepts_a_clear_bit_in_a_vcdm11_vc_jwt_status_list_2021(tmp_path: Path) -> None:
    cred = secure(badge(entry(4, kind="StatusList2021Entry"), v1=True), V11)
    report = verify(tmp_path, cred, secure(status_list(v1=True), V11))
    assert not failed_status(report), [r.message for r in failed_status(report)]
    assert one(report, "BSL-18").status is Status.PASSED


def test_bsl_18_accepts_a_clear_bit_in_an_enveloped_list_and_a_json_quoted_token(tmp_path: Path) -> None:
    token = secure(status_list(), JOSE)
    enveloped = {"@context": [V2], "type": "EnvelopedVerifiableCredential", "id": f"data:application/vc+jwt,{token}"}
    for served in (enveloped, json.dumps(token)):
        report = verify(tmp_path, secure(badge(entry(4)), OB), served)
        assert not failed_status(report), [r.message for r in failed_status(report)]
        assert one(report, "BSL-18").status is Status.PASSED


@pytest.mark.parametrize("encoding", [OB, JOSE])
def test_bsl_18_rejects_a_revoked_credential_on_a_jwt_secured_list(tmp_path: Path, encoding: JwtEncoding) -> None:
    report = verify(tmp_path, secure(badge(entry(5)), OB), secure(status_list(), encoding))
    [bad] = failed_status(report)
    assert bad.requirement == "BSL-18" and "revoked" in bad.message
    assert one(report, "BSL-15").status is Status.PASSED  # the purpose check was reached, not skipped
    assert not report.verified


def test_bsl_18_rejects_a_suspended_credential_on_a_jwt_secured_list(tmp_path: Path) -> None:
    report = verify(tmp_path, secure(badge(entry(5, "suspension")), OB), secure(status_list("suspension"), OB))
    [bad] = failed_status(report)
    assert bad.requirement == "BSL-18" and "suspended" in bad.message
    assert not report.verified


def test_bsl_15_rejects_an_entry_whose_purpose_the_jwt_secured_list_does_not_serve(tmp_path: Path) -> None:
    report = verify(tmp_path, secure(badge(entry(4, "suspension")), OB), secure(status_list("revocation"), OB))
    [bad] = failed_status(report)
    assert bad.requirement == "BSL-15" and bad.error_type == "STATUS_VERIFICATION_ERROR"
    assert "'suspension' is not among the list's purposes" in bad.message
    assert not report.verified


@pytest.mark.parametrize("encoding", [OB, JOSE])
def test_bsl_14_rejects_a_stale_jwt_secured_list(tmp_path: Path, encoding: JwtEncoding) -> None:
    stale = status_list(valid_until="2026-01-01T00:00:00Z")
    report = verify(tmp_path, secure(badge(entry(4)), OB), secure(stale, encoding))
    [bad] = failed_status(report)
    assert bad.requirement == "BSL-14" and bad.error_type == "STATUS_VERIFICATION_ERROR"
    assert "expire" in bad.message or "exp" in bad.message, bad.message
    assert not report.verified


def test_bsl_14_rejects_a_jwt_secured_list_signed_by_a_key_the_issuer_does_not_list(tmp_path: Path) -> None:
    report = verify(tmp_path, secure(badge(entry(4)), OB), secure(status_list(), OB, OTHER))
    [bad] = failed_status(report)
    assert bad.requirement == "BSL-14" and "embedded jwk is not bound to issuer" in bad.message
    assert not report.verified


def test_bsl_13_rejects_a_list_that_is_neither_json_nor_a_jws(tmp_path: Path) -> None:
    report = verify(tmp_path, secure(badge(entry(4)), OB), "<html>status</html>")
    [bad] = failed_status(report)
    assert bad.requirement == "BSL-13" and bad.error_type == "STATUS_RETRIEVAL_ERROR"


def test_bsl_14_rejects_a_jws_shaped_list_that_does_not_decode(tmp_path: Path) -> None:
    report = verify(tmp_path, secure(badge(entry(4)), OB), "eyJhbGciOiJFZERTQSJ9.bm90LWpzb24.c2ln")
    [bad] = failed_status(report)
    assert bad.requirement == "BSL-14" and bad.error_type == "STATUS_VERIFICATION_ERROR"
