"""Schema checks: the 1EdTech JSON Schemas for Open Badges 3.0 and CLR 2.0.

The canonical schema is chosen by the credential's type (what the 1EdTech validator runs
first); the declared ``credentialSchema`` entries of type 1EdTechJsonSchemaValidator2019 are
validated as OB verification step 1 asks. Each violation is reported with its JSON path.

A registered schema that cannot be obtained is a harness fault (ResolutionError propagates);
an unregistered schema a credential declares but that cannot be obtained is the credential's
problem and fails the check.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from lerconf.checks.base import Verdict, check, failed, not_applicable, passed
from lerconf.checks.clr import is_clr, nested_credentials
from lerconf.checks.ob import is_open_badge, types_of
from lerconf.documents.registry import REGISTRY
from lerconf.documents.schemas import (
    CLR_CREDENTIAL_SCHEMA,
    OB_ACHIEVEMENT_CREDENTIAL_SCHEMA,
    OB_ENDORSEMENT_CREDENTIAL_SCHEMA,
    SchemaViolation,
    UnusableSchema,
    canonical_schema_url,
    declared_schema_urls,
    validate,
)
from lerconf.errors import ResolutionError
from lerconf.results import Category, CheckResult

if TYPE_CHECKING:
    from lerconf.documents.loader import DocumentLoader

__all__ = ["schema_checks"]

_MAX_LISTED = 20


def _report(violations: list[SchemaViolation], url: str, ok: str) -> Verdict:
    if not violations:
        return passed(ok, schema=url)
    listed = [str(v) for v in violations[:_MAX_LISTED]]
    return failed(
        f"{len(violations)} violation(s) of {url.rsplit('/', 1)[-1]}: {listed[0]}"
        + (f" (+{len(violations) - 1} more)" if len(violations) > 1 else ""),
        schema=url,
        violations=listed,
        paths=[v.path for v in violations],
    )


def _validate_declared(document: Any, url: str, loader: DocumentLoader, base: str = "$") -> list[SchemaViolation] | str:
    """Violations, or why the declared schema could not be used (vendor defect)."""
    try:
        return validate(document, url, loader=loader, base_path=base)
    except ResolutionError as exc:
        if url in REGISTRY:
            raise
        return f"declared schema {url} could not be obtained: {exc}"
    except UnusableSchema as exc:
        return str(exc)


@check("OB-11", Category.SCHEMA)
def validates_against_canonical_schema(credential: Mapping[str, Any], *, loader: DocumentLoader) -> Verdict:
    """The credential validates against the 1EdTech canonical JSON Schema for its type.

    OB 3.0 certification guide; 1EdTech validator JsonSchemasProbe. Achievement/OpenBadge,
    Endorsement credentials and Profiles; ClrCredentials are covered by CLR-06.
    """
    url = canonical_schema_url(credential)
    if url is None or url == CLR_CREDENTIAL_SCHEMA:
        return not_applicable(f"no Open Badges schema governs type {credential.get('type')!r}")
    return _report(validate(credential, url, loader=loader), url, "valid against the canonical OB 3.0 schema")


@check("OB-09", Category.SCHEMA)
def credential_schema_names_official_schema(credential: Mapping[str, Any]) -> Verdict:
    """credentialSchema, if present, has an entry of type 1EdTechJsonSchemaValidator2019 naming the official OB JSON Schema.

    OB 3.0 CredentialSchema.
    """
    if not is_open_badge(credential) and "EndorsementCredential" not in types_of(credential.get("type")):
        return not_applicable("not an Open Badge or Endorsement credential")
    if "credentialSchema" not in credential:
        return not_applicable("credential declares no credentialSchema")
    official = (OB_ENDORSEMENT_CREDENTIAL_SCHEMA if "EndorsementCredential" in types_of(credential.get("type"))
                else OB_ACHIEVEMENT_CREDENTIAL_SCHEMA)
    declared = declared_schema_urls(credential)
    if official not in declared:
        return failed(f"$.credentialSchema has no {official.rsplit('/', 1)[-1]} entry of type 1EdTechJsonSchemaValidator2019",
                      declared=declared)
    return passed("credentialSchema names the official OB 3.0 schema", schema=official)


@check("OB-21", Category.SCHEMA)
def validates_against_declared_schemas(credential: Mapping[str, Any], *, loader: DocumentLoader) -> Verdict:
    """If credentialSchema is of type 1EdTechJsonSchemaValidator2019, the credential MUST validate against it.

    OB 3.0 Verification, OpenBadgeCredential step 1: a failure means it is not conformant.
    """
    urls = declared_schema_urls(credential)
    if not urls:
        return not_applicable("no 1EdTechJsonSchemaValidator2019 credentialSchema declared")
    unregistered = [u for u in urls if u not in REGISTRY]
    problems: list[str] = []
    paths: list[str] = []
    for url in urls:
        outcome = _validate_declared(credential, url, loader)
        if isinstance(outcome, str):
            problems.append(outcome)
        else:
            problems += [f"{v} [{url.rsplit('/', 1)[-1]}]" for v in outcome]
            paths += [v.path for v in outcome]
    if problems:
        return failed(f"{len(problems)} problem(s) against the declared schema(s): {problems[0]}",
                      schemas=urls, violations=problems[:_MAX_LISTED], paths=paths, unregistered=unregistered)
    return passed(f"valid against {len(urls)} declared schema(s)", schemas=urls, unregistered=unregistered)


@check("CLR-06", Category.SCHEMA)
def clr_validates_against_clr_schema(credential: Mapping[str, Any], *, loader: DocumentLoader) -> Verdict:
    """The ClrCredential validates against clr_v2p0_clrcredential_schema.json, which its credentialSchema names.

    CLR 2.0 CLR Proofs / credentialSchema (schema part; the envelope proof is the proof engine's).
    """
    if not is_clr(credential):
        return not_applicable("not a ClrCredential")
    if "credentialSchema" in credential and CLR_CREDENTIAL_SCHEMA not in declared_schema_urls(credential):
        return failed("$.credentialSchema does not name clr_v2p0_clrcredential_schema.json "
                      "with type 1EdTechJsonSchemaValidator2019", declared=declared_schema_urls(credential))
    return _report(validate(credential, CLR_CREDENTIAL_SCHEMA, loader=loader), CLR_CREDENTIAL_SCHEMA,
                   "valid against the CLR 2.0 schema")


@check("CLR-08", Category.SCHEMA)
def clr_nested_credentials_validate(credential: Mapping[str, Any], *, loader: DocumentLoader) -> Verdict:
    """Each AchievementCredential nested in a CLR MUST itself pass Open Badges verification.

    CLR 2.0 Verification (schema side: canonical OB schema and each declared schema, with
    paths into the CLR). Nested proofs are verified by the proof engine.
    """
    nested = nested_credentials(credential)
    if not nested:
        return not_applicable("CLR holds no nested credentials")
    problems: list[str] = []
    paths: list[str] = []
    for path, vc, problem, _jws in nested:
        if problem or not is_open_badge(vc):
            problems.append(f"{path}: {problem or 'not an Open Badge credential'}")
            continue
        for url in dict.fromkeys([OB_ACHIEVEMENT_CREDENTIAL_SCHEMA, *declared_schema_urls(vc)]):
            outcome = _validate_declared(vc, url, loader, base=path)
            if isinstance(outcome, str):
                problems.append(f"{path}: {outcome}")
            else:
                problems += [str(v) for v in outcome]
                paths += [v.path for v in outcome]
    if problems:
        return failed(f"{len(problems)} problem(s) in nested credentials: {problems[0]}",
                      problems=problems[:_MAX_LISTED], paths=paths)
    return passed(f"{len(nested)} nested credential(s) valid against the OB 3.0 schema")


def schema_checks(credential: Any, *, loader: DocumentLoader) -> list[CheckResult]:
    """Every schema check that applies to this credential's format."""
    if not isinstance(credential, Mapping):
        return []
    if is_clr(credential):
        return [clr_validates_against_clr_schema(credential, loader=loader),
                validates_against_declared_schemas(credential, loader=loader),
                clr_nested_credentials_validate(credential, loader=loader)]
    return [validates_against_canonical_schema(credential, loader=loader),
            credential_schema_names_official_schema(credential),
            validates_against_declared_schemas(credential, loader=loader)]
