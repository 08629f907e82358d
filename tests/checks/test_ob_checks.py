"""Open Badges 3.0 and CLR 2.0 structure checks: each accepts the published examples and
catches its one defect."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lerconf.checks import clr as cc
from lerconf.checks import ob as oc
from lerconf.results import Status

IMPL = "1edtech-ob-clr-impl-guide"


def _read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture()
def ob(vectors_dir: Path) -> dict[str, Any]:
    return _read(vectors_dir / IMPL / "obv3p0" / "extracted" / "signed-credential.json")


@pytest.fixture()
def clr(vectors_dir: Path) -> dict[str, Any]:
    return _read(vectors_dir / IMPL / "clrv2p0" / "extracted" / "signed-credential.json")


@pytest.fixture()
def full_ex(vectors_dir: Path) -> dict[str, Any]:
    path = vectors_dir.parent / "examples" / "educredentials" / "ref" / "full_ex.json"
    if not path.is_file():
        pytest.skip(f"{path} not available")
    return _read(path)


def _status(results: list[Any], rid: str) -> Status:
    return next(r.status for r in results if r.requirement == rid)


def test_published_examples_pass_every_ob_check(ob: dict[str, Any], full_ex: dict[str, Any]) -> None:
    for cred in (ob, full_ex):
        assert all(r.status in (Status.PASSED, Status.NOT_APPLICABLE) for r in oc.ob_checks(cred)), oc.ob_checks(cred)


def test_ob_checks_not_applicable_to_clr(clr: dict[str, Any]) -> None:
    [result] = oc.ob_checks(clr)
    assert result.status is Status.NOT_APPLICABLE and result.requirement == "OB-02"


def test_ob_01_rejects_swapped_contexts(ob: dict[str, Any]) -> None:
    ob["@context"].reverse()
    assert oc.ob_context_lists_vc_and_ob_contexts(ob).status is Status.FAILED


def test_ob_01_rejects_vcdm_1_context(ob: dict[str, Any]) -> None:
    ob["@context"][0] = "https://www.w3.org/2018/credentials/v1"
    assert "@context[0]" in oc.ob_context_lists_vc_and_ob_contexts(ob).message


def test_ob_02_rejects_missing_open_badge_type(ob: dict[str, Any]) -> None:
    ob["type"] = ["VerifiableCredential", "ExampleCredential"]
    assert oc.ob_type_is_open_badge_credential(ob).status is Status.FAILED


def test_ob_03_rejects_string_issuer_and_missing_id(ob: dict[str, Any]) -> None:
    ob["issuer"] = "https://example.edu/issuers/565049"
    del ob["id"]
    result = oc.ob_id_and_issuer_profile(ob)
    assert result.status is Status.FAILED and "$.id" in result.message and "$.issuer" in result.message


def test_ob_03_rejects_issuer_without_profile_type(ob: dict[str, Any]) -> None:
    ob["issuer"]["type"] = ["Organization"]
    assert "$.issuer.type" in oc.ob_id_and_issuer_profile(ob).message


def test_ob_04_rejects_missing_valid_from(ob: dict[str, Any]) -> None:
    ob["issuanceDate"] = ob.pop("validFrom")
    result = oc.ob_valid_from_is_date_time_z(ob)
    assert result.status is Status.FAILED and "VCDM 1.1" in result.message


def test_ob_04_rejects_date_time_without_zone(ob: dict[str, Any]) -> None:
    ob["validUntil"] = "2030-01-01T00:00:00"
    assert "$.validUntil" in oc.ob_valid_from_is_date_time_z(ob).message


def test_ob_05_rejects_wrong_subject_type(ob: dict[str, Any]) -> None:
    ob["credentialSubject"]["type"] = ["Person"]
    assert oc.ob_subject_is_identified_achievement_subject(ob).status is Status.FAILED


def test_ob_05_and_ob_22_accept_identifier_instead_of_id(full_ex: dict[str, Any]) -> None:
    full_ex["credentialSubject"].pop("id", None)
    assert oc.ob_subject_is_identified_achievement_subject(full_ex).status is Status.PASSED
    assert oc.ob_recipient_is_identified(full_ex).status is Status.PASSED


def test_ob_22_rejects_unidentified_recipient(ob: dict[str, Any]) -> None:
    del ob["credentialSubject"]["id"]
    assert oc.ob_recipient_is_identified(ob).status is Status.FAILED
    assert oc.ob_subject_is_identified_achievement_subject(ob).status is Status.FAILED


def _with_identifier(ob: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    ident = {"type": "IdentityObject", "hashed": True, "identityType": "emailAddress", "salt": "s4lt",
             "identityHash": oc.identity_hash("learner@example.edu", "s4lt")}
    ident.update(overrides)
    ob["credentialSubject"]["identifier"] = [ident]
    return ob


def test_ob_06_accepts_sha256_identity_hash_and_recomputes_it(ob: dict[str, Any]) -> None:
    cred = _with_identifier(ob)
    assert oc.ob_identity_objects_well_formed(cred).status is Status.PASSED
    assert oc.ob_identity_objects_well_formed(cred, expected_identity="learner@example.edu").status is Status.PASSED
    assert oc.ob_identity_objects_well_formed(cred, expected_identity="other@example.edu").status is Status.FAILED


def test_ob_06_rejects_malformed_identity_hash(ob: dict[str, Any]) -> None:
    result = oc.ob_identity_objects_well_formed(_with_identifier(ob, identityHash="sha256:abc"))
    assert result.status is Status.FAILED and "identifier[0].identityHash" in result.message


def test_ob_06_rejects_string_boolean(ob: dict[str, Any]) -> None:
    assert oc.ob_identity_objects_well_formed(_with_identifier(ob, hashed="true")).status is Status.FAILED


def test_ob_06_not_applicable_without_identifier(ob: dict[str, Any]) -> None:
    assert oc.ob_identity_objects_well_formed(ob).status is Status.NOT_APPLICABLE


@pytest.mark.parametrize("field", ["name", "description", "criteria", "id"])
def test_ob_07_rejects_achievement_missing_field(ob: dict[str, Any], field: str) -> None:
    del ob["credentialSubject"]["achievement"][field]
    result = oc.ob_achievement_has_required_fields(ob)
    assert result.status is Status.FAILED and f"achievement.{field}" in result.message


def test_ob_07_rejects_missing_achievement(ob: dict[str, Any]) -> None:
    del ob["credentialSubject"]["achievement"]
    assert oc.ob_achievement_has_required_fields(ob).status is Status.FAILED


def test_ob_08_rejects_untyped_image(full_ex: dict[str, Any]) -> None:
    del full_ex["credentialSubject"]["achievement"]["image"]["type"]
    result = oc.ob_nested_objects_declare_types(full_ex)
    assert result.status is Status.FAILED and "$.credentialSubject.achievement.image.type" in result.message


def test_ob_08_rejects_alignment_without_target_url(full_ex: dict[str, Any]) -> None:
    del full_ex["credentialSubject"]["achievement"]["alignment"][0]["targetUrl"]
    assert "alignment[0].targetUrl" in oc.ob_nested_objects_declare_types(full_ex).message


def test_ob_08_not_applicable_without_nested_objects(ob: dict[str, Any]) -> None:
    assert oc.ob_nested_objects_declare_types(ob).status is Status.NOT_APPLICABLE


def test_ob_10_rejects_null_and_empty_array(ob: dict[str, Any]) -> None:
    ob["description"] = None
    ob["credentialSubject"]["achievement"]["alignment"] = []
    result = oc.ob_json_serialization(ob)
    assert result.status is Status.FAILED and "$.description" in result.message and "alignment" in result.message


def test_ob_10_rejects_quoted_number(full_ex: dict[str, Any]) -> None:
    full_ex["credentialSubject"]["creditsEarned"] = "4"
    assert oc.ob_json_serialization(full_ex).status is Status.FAILED


# -- CLR ---------------------------------------------------------------------------------------
def test_impl_guide_clr_passes_every_clr_check(clr: dict[str, Any]) -> None:
    results = cc.clr_checks(clr)
    assert len(results) == 6 and all(r.status is Status.PASSED for r in results), results


def test_clr_checks_not_applicable_to_open_badge(ob: dict[str, Any]) -> None:
    [result] = cc.clr_checks(ob)
    assert result.status is Status.NOT_APPLICABLE


def test_clr_01_rejects_missing_ob_context(clr: dict[str, Any]) -> None:
    clr["@context"] = clr["@context"][:2]
    assert cc.clr_context_lists_vc_clr_and_ob_contexts(clr).status is Status.FAILED


def test_clr_01_rejects_ob_before_clr_context(clr: dict[str, Any]) -> None:
    clr["@context"][1], clr["@context"][2] = clr["@context"][2], clr["@context"][1]
    assert "@context[1]" in cc.clr_context_lists_vc_clr_and_ob_contexts(clr).message


@pytest.mark.parametrize("field", ["name", "id", "validFrom", "issuer"])
def test_clr_02_rejects_missing_required_field(clr: dict[str, Any], field: str) -> None:
    del clr[field]
    assert f"$.{field}" in cc.clr_declares_type_id_name_issuer_valid_from(clr).message


def test_clr_02_rejects_string_partial(clr: dict[str, Any]) -> None:
    clr["partial"] = "false"
    assert cc.clr_declares_type_id_name_issuer_valid_from(clr).status is Status.FAILED


def test_clr_03_rejects_unidentified_learner(clr: dict[str, Any]) -> None:
    del clr["credentialSubject"]["id"]
    assert cc.clr_subject_is_identified(clr).status is Status.FAILED


def test_clr_03_rejects_wrong_subject_type(clr: dict[str, Any]) -> None:
    clr["credentialSubject"]["type"] = "AchievementSubject"
    assert cc.clr_subject_is_identified(clr).status is Status.FAILED


def test_clr_04_rejects_empty_record(clr: dict[str, Any]) -> None:
    clr["credentialSubject"]["verifiableCredential"] = []
    assert cc.clr_nested_credentials_are_secured_open_badges(clr).status is Status.FAILED


def test_clr_04_rejects_unsecured_nested_badge(clr: dict[str, Any]) -> None:
    del clr["credentialSubject"]["verifiableCredential"][0]["proof"]
    result = cc.clr_nested_credentials_are_secured_open_badges(clr)
    assert result.status is Status.FAILED and "verifiableCredential[0] has no proof" in result.message


def test_clr_04_rejects_nested_badge_failing_ob_structure(clr: dict[str, Any]) -> None:
    del clr["credentialSubject"]["verifiableCredential"][0]["credentialSubject"]["achievement"]["criteria"]
    assert "fails OB-07" in cc.clr_nested_credentials_are_secured_open_badges(clr).message


def test_clr_04_reads_nested_compact_jws(clr: dict[str, Any]) -> None:
    from lerconf.crypto.encoding import b64url_encode

    nested = clr["credentialSubject"]["verifiableCredential"][0]
    del nested["proof"]
    token = ".".join([b64url_encode(b'{"alg":"EdDSA"}'), b64url_encode(json.dumps(nested).encode()), "c2ln"])
    clr["credentialSubject"]["verifiableCredential"] = [token]
    assert cc.clr_nested_credentials_are_secured_open_badges(clr).status is Status.PASSED
    clr["credentialSubject"]["verifiableCredential"] = ["not-a-jws"]
    assert cc.clr_nested_credentials_are_secured_open_badges(clr).status is Status.FAILED


def test_clr_05_rejects_association_to_absent_achievement(clr: dict[str, Any]) -> None:
    clr["credentialSubject"]["association"][0]["targetId"] = "urn:uuid:not-in-record"
    result = cc.clr_associations_reference_present_achievements(clr)
    assert result.status is Status.FAILED and "association[0].targetId" in result.message


def test_clr_05_rejects_unknown_association_type(clr: dict[str, Any]) -> None:
    clr["credentialSubject"]["association"][0]["associationType"] = "isCousinOf"
    assert cc.clr_associations_reference_present_achievements(clr).status is Status.FAILED


def test_clr_05_not_applicable_without_associations(clr: dict[str, Any]) -> None:
    del clr["credentialSubject"]["association"]
    assert cc.clr_associations_reference_present_achievements(clr).status is Status.NOT_APPLICABLE


# -- CLR-10 (a harness heuristic, SHOULD): the nested badges are about the CLR's learner ------------------------------
def _nested_subject(clr: dict[str, Any]) -> dict[str, Any]:
    subject: dict[str, Any] = clr["credentialSubject"]["verifiableCredential"][0]["credentialSubject"]
    return subject


def test_clr_10_passes_a_nested_badge_of_the_same_learner(clr: dict[str, Any]) -> None:
    result = cc.clr_nested_credentials_name_the_clr_learner(clr)
    assert result.status is Status.PASSED and result.severity.value == "SHOULD"


def test_clr_10_flags_a_nested_badge_of_another_learner(clr: dict[str, Any]) -> None:
    _nested_subject(clr)["id"] = "did:example:someone-else"
    result = cc.clr_nested_credentials_name_the_clr_learner(clr)
    assert result.status is Status.WARNING and "names another learner (did:example:someone-else)" in result.message
    assert "[0].credentialSubject" in result.message


def test_clr_10_links_a_plain_email_to_the_same_email_hashed(clr: dict[str, Any]) -> None:
    salt = "s4lt"
    clr["credentialSubject"]["identifier"] = [{"type": "IdentityObject", "identityType": "emailAddress",
                                               "hashed": False, "identityHash": "ada@example.edu"}]
    nested = _nested_subject(clr)
    nested["id"] = "did:example:another-did-of-ada"
    nested["identifier"] = [{"type": "IdentityObject", "identityType": "emailAddress", "hashed": True,
                             "identityHash": oc.identity_hash("ada@example.edu", salt), "salt": salt}]
    assert cc.clr_nested_credentials_name_the_clr_learner(clr).status is Status.PASSED
    nested["identifier"][0]["identityHash"] = oc.identity_hash("grace@example.edu", salt)
    assert cc.clr_nested_credentials_name_the_clr_learner(clr).status is Status.WARNING


def test_clr_10_concludes_nothing_from_two_hashes_with_different_salts(clr: dict[str, Any]) -> None:
    del clr["credentialSubject"]["id"]
    clr["credentialSubject"]["identifier"] = [{"type": "IdentityObject", "identityType": "emailAddress", "hashed": True,
                                               "identityHash": oc.identity_hash("ada@example.edu", "a"), "salt": "a"}]
    nested = _nested_subject(clr)
    del nested["id"]
    nested["identifier"] = [{"type": "IdentityObject", "identityType": "emailAddress", "hashed": True,
                             "identityHash": oc.identity_hash("ada@example.edu", "b"), "salt": "b"}]
    result = cc.clr_nested_credentials_name_the_clr_learner(clr)
    assert result.status is Status.NOT_APPLICABLE and "no nested subject can be compared" in result.message
    nested["identifier"][0]["identityHash"] = oc.identity_hash("ada@example.edu", "a", "md5")
    nested["identifier"][0]["salt"] = "a"  # the same salt, another algorithm: not comparable either
    assert cc.clr_nested_credentials_name_the_clr_learner(clr).status is Status.NOT_APPLICABLE
