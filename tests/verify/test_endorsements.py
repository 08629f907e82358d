"""OB-29 / CLR-09 (issue 15): the endorsements a badge carries — on the achievement, the issuer
profile or the credential, as Data Integrity objects or compact JWS — are each verified as an
EndorsementCredential; a forged, mistyped or tampered one makes the badge not verified, naming it."""
from __future__ import annotations

import copy
from typing import Any

import pytest

from lerconf.crypto.jose.encodings import JwtEncoding
from lerconf.crypto.jose.sign import sign_jwt
from lerconf.crypto.signing import Signer, deterministic_key
from lerconf.documents.jsonld import Processor
from lerconf.documents.loader import DocumentLoader
from lerconf.documents.templates import issuer_profile, ob3_achievement_credential
from lerconf.verify.engine import Verifier
from lerconf.verify.report import VerificationReport, VerifyOptions

ENDORSER = Signer.did_key(deterministic_key("endorsement-endorser", "Ed25519"))
ISSUER = Signer.did_key(deterministic_key("endorsement-issuer", "Ed25519"))
ACHIEVEMENT = "https://riverside.example/achievements/confined-space-entry-2"
CONTEXTS = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"]


def _endorsement(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "@context": CONTEXTS, "id": "urn:uuid:8a1b9c20-1111-4222-8333-444455556666",
        "type": ["VerifiableCredential", "EndorsementCredential"], "name": "Endorsement by the Safety Council",
        "issuer": issuer_profile(ENDORSER.controller, "Safety Council"), "validFrom": "2026-01-10T00:00:00Z",
        "credentialSubject": {"id": ACHIEVEMENT, "type": ["EndorsementSubject"],
                              "endorsementComment": "Meets the council's standard."},
        "credentialSchema": [{"id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
                                    "ob_v3p0_endorsementcredential_schema.json", "type": "1EdTechJsonSchemaValidator2019"}]}
    document.update(changes)
    return document


@pytest.fixture(scope="module")
def processor(loader: DocumentLoader) -> Processor:
    return Processor(loader)


def _badge(processor: Processor, where: str, endorsement: Any, key: str = "endorsement") -> dict[str, Any]:
    badge = ob3_achievement_credential(ISSUER.controller)
    holder = {"achievement": badge["credentialSubject"]["achievement"], "issuer": badge["issuer"], "credential": badge}[where]
    holder[key] = [endorsement]
    return ISSUER.sign(badge, "eddsa-rdfc-2022", processor)


def _verify(loader: DocumentLoader, badge: dict[str, Any]) -> VerificationReport:
    return Verifier(loader).verify_document(badge, "badge.json")


def _ob29(report: VerificationReport) -> tuple[str, str]:
    [result] = [r for r in report.checks if r.requirement == "OB-29"]
    return result.status.value, result.message


@pytest.mark.parametrize("where", ["achievement", "issuer", "credential"])
def test_a_valid_endorsement_anywhere_is_verified(loader: DocumentLoader, processor: Processor, where: str) -> None:
    endorsement = ENDORSER.sign(_endorsement(), "eddsa-rdfc-2022", processor)
    report = _verify(loader, _badge(processor, where, endorsement))
    assert report.verified and report.conformant, report.to_json()["errors"]
    assert _ob29(report) == ("passed", "1 endorsement(s) verified as EndorsementCredential")
    assert len(report.nested) == 1 and report.nested[0].verified


def test_an_endorsement_as_a_compact_jws_is_judged(loader: DocumentLoader) -> None:
    """endorsementJwt: the published OB 3.0.3 context does not define the term (a badge using it fails
    VCDM-16 for that), but the endorsement it carries is still verified, and judged, as one."""
    token = sign_jwt(_endorsement(), ENDORSER.key, ENDORSER.verification_method, JwtEncoding.OB30)
    badge = ob3_achievement_credential(ISSUER.controller)
    badge["credentialSubject"]["achievement"]["endorsementJwt"] = [token]
    report = Verifier(loader).verify_jwt(sign_jwt(badge, ISSUER.key, ISSUER.verification_method, JwtEncoding.OB30),
                                         "badge.jwt", VerifyOptions())
    assert _ob29(report) == ("passed", "1 endorsement(s) verified as EndorsementCredential")
    assert report.nested[0].verified
    tampered = token[:-6] + ("AAAAAA" if not token.endswith("AAAAAA") else "BBBBBB")
    badge["credentialSubject"]["achievement"]["endorsementJwt"] = [tampered]
    report = Verifier(loader).verify_jwt(sign_jwt(badge, ISSUER.key, ISSUER.verification_method, JwtEncoding.OB30),
                                         "badge.jwt", VerifyOptions())
    assert _ob29(report)[0] == "failed" and not report.nested[0].verified and not report.verified


def test_a_forged_endorsement_makes_the_badge_not_verified(loader: DocumentLoader, processor: Processor) -> None:
    forged = copy.deepcopy(ENDORSER.sign(_endorsement(), "eddsa-rdfc-2022", processor))
    forged["credentialSubject"]["endorsementComment"] = "The council endorses everything."
    report = _verify(loader, _badge(processor, "achievement", forged))
    status, message = _ob29(report)
    assert status == "failed" and "credentialSubject.achievement.endorsement[0] does not verify" in message
    assert not report.verified


def test_an_endorsement_that_is_not_an_endorsement_credential_fails(loader: DocumentLoader, processor: Processor) -> None:
    other = ENDORSER.sign(_endorsement(type=["VerifiableCredential", "OpenBadgeCredential"]), "eddsa-rdfc-2022", processor)
    report = _verify(loader, _badge(processor, "issuer", other))
    status, message = _ob29(report)
    assert status == "failed" and "issuer.endorsement[0] is not an EndorsementCredential" in message
    assert not report.verified  # OB-29 is part of verifying a badge (step 6), not only of its format


def test_a_badge_without_endorsements_has_no_ob29_result(loader: DocumentLoader, processor: Processor) -> None:
    report = _verify(loader, ISSUER.sign(ob3_achievement_credential(ISSUER.controller), "eddsa-rdfc-2022", processor))
    assert report.verified and not [r for r in report.checks if r.requirement == "OB-29"] and not report.nested


def test_endorsements_are_bounded(loader: DocumentLoader, processor: Processor) -> None:
    """At most 64 are verified on one document; more is a failure that says so, not hours of work."""
    endorsement = ENDORSER.sign(_endorsement(), "eddsa-rdfc-2022", processor)
    badge = ob3_achievement_credential(ISSUER.controller)
    badge["credentialSubject"]["achievement"]["endorsement"] = [endorsement] * 65
    report = _verify(loader, ISSUER.sign(badge, "eddsa-rdfc-2022", processor))
    status, message = _ob29(report)
    assert status == "failed" and "65 endorsements: lerconf verifies at most 64" in message
    assert len(report.nested) == 64 and not report.verified
