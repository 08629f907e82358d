"""The W3C VC Data Model 2.0 test-suite inputs against lerconf's structure and context checks.

File names give the expected outcome (see the suite README in the shared vectors): every
``-fail`` (and, for a verifier, ``-fail-or-inject``) input must be flagged FAILED by the check
for the requirement it names, and every ``-ok`` input must produce no FAILED structure or
context result. The inputs are the suite's *issue requests*: prepare() does to them what the
suite does before checking (add the implementation's issuer, fill in date placeholders), and
VCDM-15 (securing) is left out of the ``-ok`` verdict because the suite has the implementation
sign them; they are unsigned by design.
"""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from lerconf.checks.vcdm import structure_checks
from lerconf.documents.jsonld import Processor
from lerconf.documents.loader import DocumentLoader
from lerconf.results import Category, CheckResult, Status

SUITE = "vc-data-model-2.0-test-suite/input"
AT = datetime(2025, 6, 1, tzinfo=UTC)
ISSUER = "did:example:implementation-issuer"
UNSIGNED_BY_DESIGN = {"VCDM-15"}

from vcdm_suite_expectations import FAILS  # noqa: E402  (shared with the reference issuer's test)

#: No -ok/-fail suffix and used by no test of the suite: run for robustness only.
UNKNOWN = (
    "presentation-self-asserted-vc-holder-mismatch.json",
    "presentation-self-asserted-vc-issuer-mismatch.json",
    "presentation-self-asserted-vc-no-holder.json",
)

OKS = (
    "credential-context-combo1-ok.json",
    "credential-context-combo2-ok.json",
    "credential-evidence-ok.json",
    "credential-evidences-ok.json",
    "credential-id-other-ok.json",
    "credential-id-single-ok.json",
    "credential-id-subject-single-ok.json",
    "credential-issuer-object-ok.json",
    "credential-ok.json",
    "credential-optional-type-ok.json",
    "credential-proof-ok.json",
    "credential-refresh-ok.json",
    "credential-refresh-type-ok.json",
    "credential-refreshs-ok.json",
    "credential-schema-ok.json",
    "credential-schema-type-ok.json",
    "credential-schemas-ok.json",
    "credential-status-missing-id-ok.json",
    "credential-status-ok.json",
    "credential-subject-multiple-ok.json",
    "credential-termsofuse-id-ok.json",
    "credential-termsofuse-ok.json",
    "credential-termsofuses-ok.json",
    "credential-type-mapped-url-ok.json",
    "credential-type-url-ok.json",
    "credential-type-urls-order-1-ok.json",
    "credential-type-urls-order-2-ok.json",
    "credential-validUntil-validFrom-ok.json",
    "credential-validfrom-far-future-ok.json",
    "credential-validfrom-ms-ok.json",
    "credential-validfrom-tz-ok.json",
    "credential-validuntil-ms-ok.json",
    "credential-validuntil-ok.json",
    "credential-validuntil-tz-ok.json",
    "names-and-descriptions/credential-description-language-direction-en-ok.json",
    "names-and-descriptions/credential-description-language-en-ok.json",
    "names-and-descriptions/credential-description-ok.json",
    "names-and-descriptions/credential-description-optional-ok.json",
    "names-and-descriptions/credential-multi-language-description-ok.json",
    "names-and-descriptions/credential-multi-language-name-ok.json",
    "names-and-descriptions/credential-name-language-direction-en-ok.json",
    "names-and-descriptions/credential-name-language-en-ok.json",
    "names-and-descriptions/credential-name-ok.json",
    "names-and-descriptions/credential-name-optional-ok.json",
    "names-and-descriptions/issuer-description-language-direction-en-ok.json",
    "names-and-descriptions/issuer-description-language-en-ok.json",
    "names-and-descriptions/issuer-description-ok.json",
    "names-and-descriptions/issuer-description-optional-ok.json",
    "names-and-descriptions/issuer-multi-language-description-ok.json",
    "names-and-descriptions/issuer-multi-language-name-ok.json",
    "names-and-descriptions/issuer-name-language-direction-en-ok.json",
    "names-and-descriptions/issuer-name-language-en-ok.json",
    "names-and-descriptions/issuer-name-ok.json",
    "names-and-descriptions/issuer-name-optional-ok.json",
    "presentation-context-combo1-ok.json",
    "presentation-context-combo2-ok.json",
    "presentation-enveloped-vc-ok.json",
    "presentation-holder-object-ok.json",
    "presentation-holder-ok.json",
    "presentation-id-ok.json",
    "presentation-multiple-vc-ok.json",
    "presentation-ok.json",
    "presentation-optional-type-ok.json",
    "presentation-self-asserted-vc-ok.json",
    "presentation-vc-ok.json",
)


@pytest.fixture(scope="module")
def processor(loader: DocumentLoader) -> Processor:
    return Processor(loader)


@pytest.fixture(scope="module")
def suite_dir(vectors_dir: Path) -> Path:
    return vectors_dir / SUITE


def _stamp(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


def prepare(name: str, doc: Any) -> Any:
    """What the suite does to an input before using it (its createRequestBody and assertions).

    The issuer is added only where absent, and never to a file that tests the issuer itself.
    """
    if not isinstance(doc, dict) or name.startswith("presentation-"):
        return doc
    if FAILS.get(name) != "VCDM-06":
        if "issuer" not in doc:
            doc["issuer"] = ISSUER
        elif isinstance(doc["issuer"], dict) and "id" not in doc["issuer"]:
            doc["issuer"]["id"] = ISSUER
    placeholders = {"PAST DATE": _stamp(AT - timedelta(days=365)), "FUTURE DATE": _stamp(AT + timedelta(days=365))}
    for key in ("validFrom", "validUntil"):
        if doc.get(key) in placeholders:
            doc[key] = placeholders[doc[key]]
    return doc


def run(suite_dir: Path, name: str, processor: Processor) -> list[CheckResult]:
    doc = prepare(name, json.loads((suite_dir / name).read_text(encoding="utf-8")))
    kind = "presentation" if name.startswith("presentation-") else "credential"
    return structure_checks(doc, at=AT, processor=processor, kind=kind)


def test_every_input_is_classified(suite_dir: Path) -> None:
    files = {p.relative_to(suite_dir).as_posix() for p in suite_dir.rglob("*.json")}
    classified = set(FAILS) | set(OKS) | set(UNKNOWN)
    assert files == classified
    assert all("-fail" in name for name in FAILS) and all(name.endswith("-ok.json") for name in OKS)


@pytest.mark.parametrize("name", sorted(FAILS))
def test_fail_input_is_flagged_by_its_requirement(suite_dir: Path, processor: Processor, name: str) -> None:
    requirement, _, path = FAILS[name].partition(" ")
    results = run(suite_dir, name, processor)
    flagged = [r for r in results if r.requirement == requirement and r.status is Status.FAILED]
    if path:
        flagged = [r for r in flagged if r.subject.startswith(path)]
    assert flagged, f"{name}: no FAILED {FAILS[name]}; failures: {[(r.requirement, r.subject) for r in results if r.is_failure]}"
    assert all(r.message for r in flagged)


@pytest.mark.parametrize("name", OKS)
def test_ok_input_has_no_structure_or_context_failure(suite_dir: Path, processor: Processor, name: str) -> None:
    results = run(suite_dir, name, processor)
    failures = [
        (r.requirement, r.subject, r.message)
        for r in results
        if r.is_failure
        and r.category in (Category.STRUCTURE, Category.CONTEXT)
        and r.requirement not in UNSIGNED_BY_DESIGN
    ]
    assert failures == []


def test_unsigned_ok_inputs_are_reported_unsecured(suite_dir: Path, processor: Processor) -> None:
    """The exclusion above is real: VCDM-15 does see that the suite's inputs carry no proof."""
    results = run(suite_dir, "credential-ok.json", processor)
    assert [r.status for r in results if r.requirement == "VCDM-15"] == [Status.FAILED]


@pytest.mark.parametrize("name", UNKNOWN)
def test_unclassified_input_is_checked_without_error(suite_dir: Path, processor: Processor, name: str) -> None:
    results = run(suite_dir, name, processor)
    assert results and all(r.message for r in results)
