"""LER credential templates the harness signs: Open Badges 3.0 and CLR 2.0, VCDM 1.1 and 2.0.

The content is lerconf's own (a workplace-safety micro-credential); the shapes follow the
OB 3.0 and CLR 2.0 data models so the 1EdTech schemas accept them.
"""
from __future__ import annotations

from typing import Any

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
#: defines 1EdTechJsonSchemaValidator2019 (and other extension terms); without it the
#: credentialSchema type is an undefined term (a classic OB 3.0 breakage)
OB_EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
OB_SCHEMA = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
CLR_SCHEMA = "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json"
STATUS_CONTEXT = "https://www.w3.org/ns/credentials/status/v1"


def issuer_profile(issuer_id: str, name: str = "Riverside Technical College") -> dict[str, Any]:
    return {"id": issuer_id, "type": ["Profile"], "name": name, "url": "https://riverside.example/"}


def ob3_achievement_credential(
    issuer_id: str,
    subject_id: str = "did:example:learner-7c1f0a",
    *,
    credential_id: str = "urn:uuid:2f1c8c44-5b7e-4a61-9d2e-6a1f3e9b7c10",
    vc_version: str = "2.0",
    valid_from: str = "2026-01-15T09:00:00Z",
    valid_until: str | None = None,
    credential_status: dict[str, Any] | None = None,
    issuer_name: str = "Riverside Technical College",
) -> dict[str, Any]:
    """An OB 3.0 AchievementCredential; vc_version "1.1" uses the v1 base context and issuanceDate.

    A 1.1 badge is the legacy form verifiers must still accept (VCDM-D4, OB-30); it is not
    conformant to OB 3.0 as published now, whose schema requires the VC 2.0 context.
    """
    base = VC_V2 if vc_version == "2.0" else VC_V1
    contexts: list[Any] = [base, OB_CONTEXT, OB_EXTENSIONS]
    credential: dict[str, Any] = {
        "@context": contexts,
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer_profile(issuer_id, issuer_name),
        "name": "Confined Space Entry — Level 2",
        "credentialSubject": {
            "id": subject_id,
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://riverside.example/achievements/confined-space-entry-2",
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": "Confined Space Entry — Level 2",
                "description": "Plans and supervises entry into permit-required confined spaces, "
                "including atmospheric testing and rescue planning.",
                "criteria": {
                    "narrative": "Passed the 40-hour practical assessment and a written examination "
                    "with a score of at least 80%."
                },
            },
        },
        "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }
    if vc_version == "2.0":
        credential["validFrom"] = valid_from
        if valid_until:
            credential["validUntil"] = valid_until
    else:
        credential["issuanceDate"] = valid_from
        if valid_until:
            credential["expirationDate"] = valid_until
    if credential_status is not None:
        if vc_version == "1.1" and STATUS_CONTEXT not in contexts:
            contexts.append(STATUS_CONTEXT)
        credential["credentialStatus"] = credential_status
    return credential


def clr2_credential(
    issuer_id: str,
    subject_id: str,
    achievements: list[dict[str, Any]],
    *,
    credential_id: str = "urn:uuid:8d0e6a52-3c1b-4f7a-b2d9-1e4c5a6b7f80",
    valid_from: str = "2026-02-01T09:00:00Z",
) -> dict[str, Any]:
    """A CLR 2.0 ClrCredential bundling already-signed AchievementCredentials."""
    return {
        "@context": [VC_V2, CLR_CONTEXT, OB_CONTEXT, OB_EXTENSIONS],
        "id": credential_id,
        "type": ["VerifiableCredential", "ClrCredential"],
        "issuer": issuer_profile(issuer_id),
        "validFrom": valid_from,
        "name": "Riverside Technical College — Industrial Safety Record",
        "credentialSubject": {
            "id": subject_id,
            "type": ["ClrSubject"],
            "verifiableCredential": achievements,
        },
        "credentialSchema": [{"id": CLR_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }


def unsigned_presentation(credentials: list[Any], holder: str | None = None) -> dict[str, Any]:
    """A VCDM 2.0 presentation of ``credentials`` (not yet signed), naming ``holder`` when given."""
    vp: dict[str, Any] = {"@context": [VC_V2], "type": ["VerifiablePresentation"], "verifiableCredential": credentials}
    if holder:
        vp["holder"] = holder
    return vp



#: the HR Open LER-RS wrapper URL a résumé names as its second @context (a JSON Schema: lerconf.checks.ler_rs)
LER_RS_WRAPPER = "http://schema.hropenstandards.org/4.5/recruiting/json/VerifiableCredentialLER-RSType.json"
#: what LER-RSType.json (v4.4, published under HR Open 4.5) accepts as the subject's ``type``
LER_RS_SUBJECT_TYPE = "http://schema.hropenstandards.org/4.4/recruiting/json/ler-rs/LER-RSType.json"


def ler_rs_resume(issuer_id: str, badge: Any, clr: Any, *, credential_id: str) -> dict[str, Any]:
    """An HR Open LER-RS résumé (a VCDM 1.1 credential) whose certification is verified by ``badge``
    and whose education by ``clr``, each embedded as ``otherW3CVerifiableCredential`` (LER-RSType
    holds embedded credentials to VCDM 1.1 contexts; OB 3.0 and CLR 2.0 credentials are VCDM 2.0)."""
    institution = {"tradeName": "Riverside Technical College", "domainName": "dns:riverside.example"}
    return {
        "@context": [VC_V1, LER_RS_WRAPPER],
        "id": credential_id,
        "type": ["VerifiableCredential", "LER-RS"],
        "issuer": issuer_id,
        "issuanceDate": "2026-03-01T09:00:00Z",
        "credentialSubject": {
            "type": LER_RS_SUBJECT_TYPE,
            "person": {"name": {"formattedName": "Avery Quinn", "given": "Avery", "family": "Quinn"}},
            "certifications": [{"name": "Confined Space Entry — Level 2", "status": "Active", "firstIssued": "2026-01-15",
                                "issuingAuthority": institution,
                                "verifications": [{"otherW3CVerifiableCredential": badge}]}],
            "educationAndLearnings": [{"institution": {"name": "Riverside Technical College"},
                                       "verifications": [{"otherW3CVerifiableCredential": clr}]}],
        },
    }
