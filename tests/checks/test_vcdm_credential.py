"""Accepts/rejects tests for the credential structure checks (VCDM-03..VCDM-17, VCDM-D2)."""
from __future__ import annotations

import copy
from typing import Any

import pytest

from lerconf.checks import vcdm_credential as vc
from lerconf.results import Category, Status

V1 = "https://www.w3.org/2018/credentials/v1"
V2 = "https://www.w3.org/ns/credentials/v2"
PROOF = {
    "type": "DataIntegrityProof",
    "cryptosuite": "eddsa-rdfc-2022",
    "created": "2024-01-01T00:00:00Z",
    "verificationMethod": "did:example:issuer#key-1",
    "proofPurpose": "assertionMethod",
    "proofValue": "z3FXQjecWufY46yg5abdVZsXqLhxhueuSoZgNSARiKBk9czhSePTFehP8c3PGfb6a22gkfUKods5D2UCsaGmYJyvd",
}


def make(**changes: Any) -> dict[str, Any]:
    """A conforming VCDM 2.0 credential with ``changes`` applied (value None deletes a key)."""
    doc: dict[str, Any] = {
        "@context": [V2, "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:uuid:3f1a8c4e-3d61-4f7e-9e0c-5c3a9a0b1e2d",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "did:example:issuer", "type": ["Profile"], "name": "Example University"},
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner", "type": ["AchievementSubject"]},
        "proof": copy.deepcopy(PROOF),
    }
    for key, value in changes.items():
        if value is None:
            doc.pop(key, None)
        else:
            doc[key] = value
    return doc


def test_every_credential_check_passes_a_conforming_credential() -> None:
    for name in vc.__all__:
        result = getattr(vc, name)(make())
        assert result.status in (Status.PASSED, Status.NOT_APPLICABLE), (name, result.message)
        assert result.category is Category.STRUCTURE and result.message


# VCDM-03
def test_vcdm_03_accepts_verifiable_credential_plus_specific_type() -> None:
    assert vc.credential_has_verifiable_credential_type(make()).status is Status.PASSED


def test_vcdm_03_rejects_type_without_verifiable_credential() -> None:
    result = vc.credential_has_verifiable_credential_type(make(type=["OpenBadgeCredential"]))
    assert result.status is Status.FAILED and result.error_type == "MALFORMED_VALUE_ERROR"


def test_vcdm_03_rejects_missing_type() -> None:
    assert vc.credential_has_verifiable_credential_type(make(type=None)).status is Status.FAILED


def test_vcdm_03_warns_when_no_specific_type() -> None:
    result = vc.credential_has_verifiable_credential_type(make(type="VerifiableCredential"))
    assert result.status is Status.WARNING


# VCDM-04
def test_vcdm_04_accepts_term_and_absolute_url_in_any_order() -> None:
    doc = make(type=["https://example.org/#ExampleCredential", "VerifiableCredential"])
    assert vc.credential_type_values_are_terms_or_urls(doc).status is Status.PASSED


@pytest.mark.parametrize("bad", [2, "https ://not-a-url#X", "", ["VerifiableCredential", None]])
def test_vcdm_04_rejects_non_term_type_values(bad: Any) -> None:
    result = vc.credential_type_values_are_terms_or_urls(make(type=bad))
    assert result.status is Status.FAILED


# VCDM-05
def test_vcdm_05_accepts_urn_uuid_id() -> None:
    assert vc.credential_id_is_single_url(make()).status is Status.PASSED


def test_vcdm_05_not_applicable_without_id() -> None:
    assert vc.credential_id_is_single_url(make(id=None)).status is Status.NOT_APPLICABLE


@pytest.mark.parametrize("bad", [["https://a.example/1", "https://b.example/1"], "not a url", 42])
def test_vcdm_05_rejects_multiple_or_non_url_ids(bad: Any) -> None:
    result = vc.credential_id_is_single_url(make(id=bad))
    assert result.status is Status.FAILED and result.subject == "id"


def test_vcdm_05_rejects_null_id() -> None:
    doc = make()
    doc["id"] = None
    assert vc.credential_id_is_single_url(doc).status is Status.FAILED


# VCDM-06
def test_vcdm_06_accepts_issuer_url() -> None:
    assert vc.issuer_is_url_or_object_with_url(make(issuer="https://issuer.example")).status is Status.PASSED


def test_vcdm_06_accepts_issuer_object() -> None:
    assert vc.issuer_is_url_or_object_with_url(make()).status is Status.PASSED


def test_vcdm_06_rejects_null_issuer_id() -> None:
    result = vc.issuer_is_url_or_object_with_url(make(issuer={"id": None, "name": "X"}))
    assert result.status is Status.FAILED and result.subject == "issuer.id"


def test_vcdm_06_rejects_null_issuer() -> None:
    doc = make()
    doc["issuer"] = None
    assert vc.issuer_is_url_or_object_with_url(doc).status is Status.FAILED


def test_vcdm_06_rejects_missing_issuer() -> None:
    assert vc.issuer_is_url_or_object_with_url(make(issuer=None)).status is Status.FAILED


def test_vcdm_06_rejects_non_url_issuer() -> None:
    assert vc.issuer_is_url_or_object_with_url(make(issuer="fake-issuer")).status is Status.FAILED


# VCDM-07
def test_vcdm_07_accepts_several_subjects() -> None:
    doc = make(credentialSubject=[{"id": "did:example:a"}, {"name": "B"}])
    assert vc.credential_subject_is_object_with_claims(doc).status is Status.PASSED


@pytest.mark.parametrize(
    "bad",
    ["did:example:subject", {}, [], [{"id": "did:example:a"}, {}], {"id": ["did:example:a", "did:example:b"]}],
)
def test_vcdm_07_rejects_string_empty_or_multi_id_subjects(bad: Any) -> None:
    assert vc.credential_subject_is_object_with_claims(make(credentialSubject=bad)).status is Status.FAILED


def test_vcdm_07_rejects_missing_subject() -> None:
    assert vc.credential_subject_is_object_with_claims(make(credentialSubject=None)).status is Status.FAILED


# VCDM-08
@pytest.mark.parametrize("good", ["2023-02-26T01:02:58.447Z", "2023-02-25T19:10:39-06:00", "2023-02-25T19:10:39.1+14:00"])
def test_vcdm_08_accepts_date_time_stamps(good: str) -> None:
    assert vc.validity_dates_are_date_time_stamps(make(validFrom=good)).status is Status.PASSED


@pytest.mark.parametrize("bad", ["2023-02-26T01:02:58", "2023-02-26", "Sat 25 Feb 2023 07:16:31 PM CST", 1677373378])
def test_vcdm_08_rejects_values_without_time_zone_or_wrong_format(bad: Any) -> None:
    result = vc.validity_dates_are_date_time_stamps(make(validUntil=bad))
    assert result.status is Status.FAILED and result.subject == "validUntil"


# VCDM-09
def test_vcdm_09_accepts_equal_bounds() -> None:
    doc = make(validFrom="2024-01-01T00:00:00Z", validUntil="2024-01-01T01:00:00+01:00")
    assert vc.valid_from_not_after_valid_until(doc).status is Status.PASSED


def test_vcdm_09_rejects_valid_from_after_valid_until() -> None:
    doc = make(validFrom="2025-01-01T00:00:00Z", validUntil="2024-01-01T00:00:00Z")
    assert vc.valid_from_not_after_valid_until(doc).status is Status.FAILED


def test_vcdm_09_rejects_inverted_v1_dates() -> None:
    doc = make(validFrom=None, issuanceDate="2025-01-01T00:00:00Z", expirationDate="2024-01-01T00:00:00Z")
    doc["@context"] = [V1]
    assert vc.valid_from_not_after_valid_until(doc).status is Status.FAILED


# VCDM-10 .. VCDM-13: typed entries
STATUS = {"id": "https://status.example/1#5", "type": "BitstringStatusListEntry"}


@pytest.mark.parametrize(
    "func,key,good",
    [
        (vc.credential_status_entries_are_typed, "credentialStatus", STATUS),
        (vc.credential_schemas_are_typed_urls, "credentialSchema", {"id": "https://s.example/schema.json", "type": "JsonSchema"}),
        (vc.evidence_entries_are_typed_objects, "evidence", [{"type": ["Evidence"]}, {"id": "https://e.example", "type": "Evidence"}]),
        (vc.refresh_and_terms_of_use_are_typed, "refreshService", {"id": "https://r.example", "type": "VerifiableCredentialRefreshService2021"}),
        (vc.refresh_and_terms_of_use_are_typed, "termsOfUse", {"type": "TrustFrameworkPolicy"}),
    ],
)
def test_vcdm_10_to_13_accept_typed_entries(func: Any, key: str, good: Any) -> None:
    assert func(make(**{key: good})).status is Status.PASSED
    assert func(make()).status is Status.NOT_APPLICABLE


@pytest.mark.parametrize(
    "func,key,bad",
    [
        (vc.credential_status_entries_are_typed, "credentialStatus", {"id": "https://status.example/1"}),
        (vc.credential_status_entries_are_typed, "credentialStatus", {"id": "https ://x", "type": "T"}),
        (vc.credential_status_entries_are_typed, "credentialStatus", {"id": ["did:a:1", "did:a:2"], "type": "T"}),
        (vc.credential_status_entries_are_typed, "credentialStatus", {"type": 2}),
        (vc.credential_schemas_are_typed_urls, "credentialSchema", {"type": "JsonSchema"}),
        (vc.credential_schemas_are_typed_urls, "credentialSchema", {"id": "https://s.example/schema.json"}),
        (vc.credential_schemas_are_typed_urls, "credentialSchema", {"id": "https ://s.example", "type": "JsonSchema"}),
        (vc.evidence_entries_are_typed_objects, "evidence", {"id": "https://e.example"}),
        (vc.evidence_entries_are_typed_objects, "evidence", "https://e.example"),
        (vc.refresh_and_terms_of_use_are_typed, "refreshService", {"id": "https://r.example"}),
        (vc.refresh_and_terms_of_use_are_typed, "termsOfUse", {}),
    ],
)
def test_vcdm_10_to_13_reject_untyped_or_non_url_entries(func: Any, key: str, bad: Any) -> None:
    result = func(make(**{key: bad}))
    assert result.status is Status.FAILED and result.subject.startswith(key)


# VCDM-14
@pytest.mark.parametrize(
    "good",
    ["Badge", {"@value": "Badge", "@language": "en"}, [{"@value": "Chien", "@language": "fr", "@direction": "ltr"}]],
)
def test_vcdm_14_accepts_strings_and_language_values(good: Any) -> None:
    assert vc.names_and_descriptions_are_strings_or_language_values(make(name=good)).status is Status.PASSED


@pytest.mark.parametrize(
    "bad",
    [
        {"@value": "Badge", "@language": "en", "url": "did:example:x"},
        {"@language": "en"},
        {"@value": "Badge", "@language": "not a tag"},
        {"@value": "Badge", "@direction": "up"},
        7,
    ],
)
def test_vcdm_14_rejects_malformed_language_values(bad: Any) -> None:
    result = vc.names_and_descriptions_are_strings_or_language_values(make(description=bad))
    assert result.status is Status.FAILED and result.subject.startswith("description")


def test_vcdm_14_rejects_extra_property_in_issuer_name() -> None:
    doc = make(issuer={"id": "did:example:issuer", "name": {"@value": "X", "url": "did:example:x"}})
    assert vc.names_and_descriptions_are_strings_or_language_values(doc).subject == "issuer.name"


# VCDM-15
def test_vcdm_15_accepts_embedded_proof_or_envelope() -> None:
    assert vc.credential_is_secured(make()).status is Status.PASSED
    assert vc.credential_is_secured(make(proof=None), secured_by="vc+jwt envelope").status is Status.PASSED


def test_vcdm_15_rejects_unsecured_credential() -> None:
    result = vc.credential_is_secured(make(proof=None))
    assert result.status is Status.FAILED and result.error_type == "CRYPTOGRAPHIC_SECURITY_ERROR"


def test_vcdm_15_rejects_non_object_proof() -> None:
    assert vc.credential_is_secured(make(proof="z3FXQ")).status is Status.FAILED


# VCDM-17
def test_vcdm_17_accepts_sha384_digests() -> None:
    rr = [{"id": "https://a.example/img.png", "digestSRI": "sha384-abc"}, {"id": "https://b.example", "digestMultibase": "uEiB"}]
    assert vc.related_resources_carry_digests(make(relatedResource=rr)).status is Status.PASSED


@pytest.mark.parametrize(
    "bad",
    [
        [{"id": "https://a.example"}],
        [{"id": "https://a.example", "digestSRI": "sha384-a"}, {"id": "https://a.example", "digestSRI": "sha384-b"}],
        [{"digestSRI": "sha384-a"}],
    ],
)
def test_vcdm_17_rejects_missing_digest_or_duplicate_id(bad: Any) -> None:
    assert vc.related_resources_carry_digests(make(relatedResource=bad)).status is Status.FAILED


def test_vcdm_17_warns_on_sha256_digest() -> None:
    rr = [{"id": "https://a.example", "digestSRI": "sha256-abc"}]
    assert vc.related_resources_carry_digests(make(relatedResource=rr)).status is Status.WARNING


# VCDM-D2
def test_vcdm_d2_accepts_v1_issuance_date() -> None:
    doc = make(validFrom=None, issuanceDate="2020-01-01T00:00:00Z")
    doc["@context"] = [V1]
    assert vc.validity_names_match_data_model(doc).status is Status.PASSED


def test_vcdm_d2_rejects_v1_without_issuance_date() -> None:
    doc = make()
    doc["@context"] = [V1]
    result = vc.validity_names_match_data_model(doc)
    assert result.status is Status.FAILED and result.subject == "issuanceDate"


def test_vcdm_d2_rejects_v2_with_issuance_date() -> None:
    result = vc.validity_names_match_data_model(make(issuanceDate="2020-01-01T00:00:00Z"))
    assert result.status is Status.FAILED and result.subject == "issuanceDate"
