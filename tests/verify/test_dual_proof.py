"""OB-15 / OB-23 (issue 15): a dual-proof badge (a Data Integrity proof, then the credential wrapped
in a VC-JWT). One valid proof verifies it (OB-23); the embedded proof must still verify inside the
JWT (OB-15), or the badge is verified but not conformant."""
from __future__ import annotations

import copy
from typing import Any

from lerconf.crypto.jose.encodings import JwtEncoding
from lerconf.crypto.jose.sign import sign_jwt
from lerconf.crypto.signing import Signer, deterministic_key
from lerconf.documents.jsonld import Processor
from lerconf.documents.loader import DocumentLoader
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.verify.engine import Verifier
from lerconf.verify.report import VerificationReport, VerifyOptions

KEY = Signer.did_key(deterministic_key("dual-proof", "Ed25519"))


def _verify(loader: DocumentLoader, document: dict[str, Any]) -> VerificationReport:
    token = sign_jwt(document, KEY.key, KEY.verification_method, JwtEncoding.OB30)
    return Verifier(loader).verify_jwt(token, "dual.jwt", VerifyOptions())


def _ob15(report: VerificationReport) -> list[tuple[str, str]]:
    return [(r.status.value, r.message) for r in report.checks if r.requirement == "OB-15"]


def test_a_dual_proof_badge_verifies_both_ways(loader: DocumentLoader) -> None:
    signed = KEY.sign(ob3_achievement_credential(KEY.controller), "eddsa-rdfc-2022", Processor(loader))
    report = _verify(loader, signed)
    assert report.verified and report.conformant, report.to_json()["errors"]
    assert [s for s, _ in _ob15(report)] == ["passed"]


def test_a_broken_embedded_proof_makes_it_not_conformant_but_still_verified(loader: DocumentLoader) -> None:
    signed = copy.deepcopy(KEY.sign(ob3_achievement_credential(KEY.controller), "eddsa-rdfc-2022", Processor(loader)))
    signed["name"] = "changed after the Data Integrity proof, before the JWT"
    report = _verify(loader, signed)
    [(status, message)] = _ob15(report)
    assert status == "failed" and "DI-15" in message
    assert report.verified and not report.conformant  # the JWT is one valid proof (OB-23)


def test_a_jwt_badge_without_an_embedded_proof_has_no_ob15(loader: DocumentLoader) -> None:
    report = _verify(loader, ob3_achievement_credential(KEY.controller))
    assert report.verified and not _ob15(report)
