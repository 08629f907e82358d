"""1EdTech JSON Schema validation: published examples pass, one-fault mutations fail with a path."""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from lerconf.checks import schema as sc
from lerconf.documents.loader import DocumentLoader, LoaderSettings
from lerconf.documents.schemas import (
    CLR_CREDENTIAL_SCHEMA,
    OB_ACHIEVEMENT_CREDENTIAL_SCHEMA,
    OB_PROFILE_SCHEMA,
    canonical_schema_url,
    declared_schema_urls,
    validate,
    validator_for,
)
from lerconf.errors import ResolutionError
from lerconf.results import Category, Status

IMPL_GUIDE = "1edtech-ob-clr-impl-guide"


@pytest.fixture(scope="session")
def examples_dir(vectors_dir: Path) -> Path:
    path = vectors_dir.parent / "examples" / "educredentials" / "ref"
    if not path.is_dir():
        pytest.skip(f"{path} not available")
    return path


def _read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture()
def ob(vectors_dir: Path) -> dict[str, Any]:
    return _read(vectors_dir / IMPL_GUIDE / "obv3p0" / "extracted" / "signed-credential.json")


@pytest.fixture()
def clr(vectors_dir: Path) -> dict[str, Any]:
    return _read(vectors_dir / IMPL_GUIDE / "clrv2p0" / "extracted" / "signed-credential.json")


@pytest.fixture()
def full_ex(examples_dir: Path) -> dict[str, Any]:
    return _read(examples_dir / "full_ex.json")


def test_impl_guide_and_educredentials_examples_pass_the_schemas(vectors_dir: Path, examples_dir: Path, loader: DocumentLoader) -> None:
    files = sorted(vectors_dir.glob(f"{IMPL_GUIDE}/*/extracted/signed-credential.json")) + sorted(examples_dir.glob("*.json"))
    assert len(files) == 4
    for path in files:
        results = sc.schema_checks(_read(path), loader=loader)
        assert results and all(r.status in (Status.PASSED, Status.NOT_APPLICABLE) for r in results), (path, results)
        assert any(r.status is Status.PASSED for r in results)


def test_schema_is_chosen_by_type() -> None:
    assert canonical_schema_url({"type": ["VerifiableCredential", "OpenBadgeCredential"]}) == OB_ACHIEVEMENT_CREDENTIAL_SCHEMA
    assert canonical_schema_url({"type": ["VerifiableCredential", "ClrCredential"]}) == CLR_CREDENTIAL_SCHEMA
    assert canonical_schema_url({"type": "Profile"}) == OB_PROFILE_SCHEMA
    assert canonical_schema_url({"type": ["VerifiableCredential"]}) is None


def test_declared_schemas_only_of_the_1edtech_type(full_ex: dict[str, Any]) -> None:
    assert declared_schema_urls(full_ex) == [OB_ACHIEVEMENT_CREDENTIAL_SCHEMA]
    assert declared_schema_urls({"credentialSchema": {"id": "https://x.test/s", "type": "JsonSchema"}}) == []


def test_validators_are_cached(loader: DocumentLoader) -> None:
    assert validator_for(OB_ACHIEVEMENT_CREDENTIAL_SCHEMA, loader=loader) is validator_for(OB_ACHIEVEMENT_CREDENTIAL_SCHEMA, loader=loader)


def test_ob_11_rejects_missing_achievement_name(ob: dict[str, Any], loader: DocumentLoader) -> None:
    del ob["credentialSubject"]["achievement"]["name"]
    result = sc.validates_against_canonical_schema(ob, loader=loader)
    assert result.status is Status.FAILED and result.category is Category.SCHEMA
    assert "$.credentialSubject.achievement" in result.details["paths"]
    assert "'name' is a required property" in result.message


def test_ob_11_rejects_wrong_type(ob: dict[str, Any], loader: DocumentLoader) -> None:
    ob["type"] = ["VerifiableCredential", "AchievementCredential", "X"]
    ob["credentialSubject"]["type"] = ["Learner"]
    result = sc.validates_against_canonical_schema(ob, loader=loader)
    assert result.status is Status.FAILED
    assert "$.credentialSubject.type" in result.details["paths"]


def test_ob_11_rejects_bad_date_time(ob: dict[str, Any], loader: DocumentLoader) -> None:
    ob["validFrom"] = "1 January 2010"
    result = sc.validates_against_canonical_schema(ob, loader=loader)
    assert result.status is Status.FAILED and result.details["paths"] == ["$.validFrom"]


def test_ob_11_rejects_missing_valid_from(ob: dict[str, Any], loader: DocumentLoader) -> None:
    del ob["validFrom"]
    assert sc.validates_against_canonical_schema(ob, loader=loader).details["paths"] == ["$"]


def test_ob_11_not_applicable_to_plain_vc(loader: DocumentLoader) -> None:
    result = sc.validates_against_canonical_schema({"type": ["VerifiableCredential"]}, loader=loader)
    assert result.status is Status.NOT_APPLICABLE


def test_ob_09_accepts_official_schema(full_ex: dict[str, Any]) -> None:
    assert sc.credential_schema_names_official_schema(full_ex).status is Status.PASSED


def test_ob_09_rejects_other_schema(full_ex: dict[str, Any]) -> None:
    full_ex["credentialSchema"] = [{"id": "https://vendor.example/my-schema.json", "type": "1EdTechJsonSchemaValidator2019"}]
    assert sc.credential_schema_names_official_schema(full_ex).status is Status.FAILED


def test_ob_21_accepts_declared_schema(full_ex: dict[str, Any], loader: DocumentLoader) -> None:
    assert sc.validates_against_declared_schemas(full_ex, loader=loader).status is Status.PASSED


def test_ob_21_rejects_badge_violating_declared_schema(full_ex: dict[str, Any], loader: DocumentLoader) -> None:
    full_ex["credentialSubject"]["achievement"]["criteria"] = "be good"
    result = sc.validates_against_declared_schemas(full_ex, loader=loader)
    assert result.status is Status.FAILED
    assert "$.credentialSubject.achievement.criteria" in result.details["paths"]


def test_ob_21_rejects_unobtainable_unregistered_schema(full_ex: dict[str, Any], loader: DocumentLoader) -> None:
    url = "https://vendor.example/schema.json"
    full_ex["credentialSchema"] = [{"id": url, "type": "1EdTechJsonSchemaValidator2019"}]
    result = sc.validates_against_declared_schemas(full_ex, loader=loader)
    assert result.status is Status.FAILED and url in result.message


def test_ob_21_validates_an_unregistered_schema_from_the_url_map(full_ex: dict[str, Any], offline_settings: LoaderSettings, tmp_path: Path) -> None:
    url = "https://vendor.example/schema.json"
    schema = {"$schema": "https://json-schema.org/draft/2019-09/schema", "type": "object", "required": ["vendorField"]}
    (tmp_path / "s.json").write_text(json.dumps(schema))
    settings = copy.copy(offline_settings)
    settings.url_map = {url: tmp_path / "s.json"}
    full_ex["credentialSchema"] = [{"id": url, "type": "1EdTechJsonSchemaValidator2019"}]
    result = sc.validates_against_declared_schemas(full_ex, loader=DocumentLoader(settings))
    assert result.status is Status.FAILED and "vendorField" in result.message
    assert result.details["unregistered"] == [url]


def test_unavailable_registered_schema_is_a_harness_fault(ob: dict[str, Any], tmp_path: Path) -> None:
    bare = DocumentLoader(LoaderSettings(offline=True, cache_dir=tmp_path))
    with pytest.raises(ResolutionError):
        sc.validates_against_canonical_schema(ob, loader=bare)


def test_clr_06_accepts_impl_guide_clr(clr: dict[str, Any], loader: DocumentLoader) -> None:
    assert sc.clr_validates_against_clr_schema(clr, loader=loader).status is Status.PASSED


def test_clr_06_rejects_clr_without_name(clr: dict[str, Any], loader: DocumentLoader) -> None:
    del clr["name"]
    result = sc.clr_validates_against_clr_schema(clr, loader=loader)
    assert result.status is Status.FAILED and "'name' is a required property" in result.message


def test_clr_06_rejects_bad_association_type(clr: dict[str, Any], loader: DocumentLoader) -> None:
    clr["credentialSubject"]["association"][0]["associationType"] = "isCousinOf"
    result = sc.clr_validates_against_clr_schema(clr, loader=loader)
    assert "$.credentialSubject.association[0].associationType" in result.details["paths"]


def test_clr_06_rejects_credential_schema_naming_another_schema(clr: dict[str, Any], loader: DocumentLoader) -> None:
    clr["credentialSchema"][0]["id"] = OB_ACHIEVEMENT_CREDENTIAL_SCHEMA
    assert sc.clr_validates_against_clr_schema(clr, loader=loader).status is Status.FAILED


def test_clr_08_rejects_nested_badge_without_achievement_name(clr: dict[str, Any], loader: DocumentLoader) -> None:
    del clr["credentialSubject"]["verifiableCredential"][0]["credentialSubject"]["achievement"]["name"]
    result = sc.clr_nested_credentials_validate(clr, loader=loader)
    assert result.status is Status.FAILED
    assert "$.credentialSubject.verifiableCredential[0].credentialSubject.achievement" in result.details["paths"]


def test_clr_08_accepts_impl_guide_nested_badge(clr: dict[str, Any], loader: DocumentLoader) -> None:
    assert sc.clr_nested_credentials_validate(clr, loader=loader).status is Status.PASSED


def test_validate_reports_every_violation(ob: dict[str, Any], loader: DocumentLoader) -> None:
    del ob["credentialSubject"]["achievement"]["name"]
    ob["validFrom"] = "soon"
    paths = [v.path for v in validate(ob, OB_ACHIEVEMENT_CREDENTIAL_SCHEMA, loader=loader)]
    assert "$.validFrom" in paths and "$.credentialSubject.achievement" in paths


def test_profile_validates_against_profile_schema(ob: dict[str, Any], loader: DocumentLoader) -> None:
    assert validate(ob["issuer"], OB_PROFILE_SCHEMA, loader=loader) == []
    bad = dict(ob["issuer"])
    del bad["id"]
    assert [v.path for v in validate(bad, OB_PROFILE_SCHEMA, loader=loader)] == ["$"]
