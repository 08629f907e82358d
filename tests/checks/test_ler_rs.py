"""LER-01…LER-05 (issue 15): HR Open LER-RS résumé credentials, judged on the two LER-RS V2
examples in ../shared/examples/ler-rs (SOURCES.md §6) and on edits that break one rule each."""
from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin

import pytest

from lerconf.checks import ler_rs
from lerconf.checks.ler_rs import (
    LER_RS_BASE_SCHEMA,
    LER_RS_CONTEXT,
    LER_RS_TYPE_SCHEMA,
    Embedded,
    embedded_credentials,
    embedded_credentials_verify,
    is_ler_rs,
    self_asserted_resume_names_holder,
    subject_is_ler_rs_type,
    verifiable_sections_carry_verifications,
    wrapper_is_ler_rs_credential,
)
from lerconf.documents.loader import DocumentLoader, LoaderSettings
from lerconf.documents.registry import REGISTRY
from lerconf.documents.schemas import fast_validator_for, validator_for
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.results import CheckResult, Status
from tests.conftest import REPO, SCHEMAS_DIR

EXAMPLES = SCHEMAS_DIR.parent / "examples" / "ler-rs"
WRAPPER = "LER-RS_V2_VCwrapper.json"
PORTABILITY = "LER-RS_V2_UC008_portability.json"
#: what LER-RSType.json (v4.4, published under 4.5) wants in ``type``; the examples write the 4.5 URL
TYPE_44 = "http://schema.hropenstandards.org/4.4/recruiting/json/ler-rs/LER-RSType.json"
PROVISIONAL_44 = ("http://schema.hropenstandards.org/4.4/recruiting/json/ler-rs/"
                  "ProvisionalVerifiableCredentialEducationAndLearningType.json")


def example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return data


def good_resume() -> dict[str, Any]:
    """The VC-wrapper example with its three LER-RSType violations repaired (the 4.4 type URLs the
    schema enumerates; time zones on the certification's date-times): a résumé LER-01…03 accept."""
    resume = example(WRAPPER)
    subject = resume["credentialSubject"]
    subject["type"] = TYPE_44
    period = subject["certifications"][0]["effectiveTimePeriod"]
    period["validFrom"], period["validTo"] = "2014-08-25T00:00:00Z", "2024-08-25T00:00:00Z"
    subject["educationAndLearnings"][1]["verifications"][0]["@context"][1] = PROVISIONAL_44
    return resume


def _status(result: CheckResult) -> str:
    return str(result.status.value)


# -- which documents are résumés ----------------------------------------------------------------
def test_both_shared_examples_are_ler_rs_resumes() -> None:
    assert is_ler_rs(example(WRAPPER)) and is_ler_rs(example(PORTABILITY))


def test_a_badge_is_not_a_resume() -> None:
    assert not is_ler_rs(ob3_achievement_credential("did:example:issuer"))


def test_a_resume_with_the_wrong_context_is_still_recognised_by_its_subject_type() -> None:
    resume = good_resume()
    resume["@context"] = ["https://www.w3.org/2018/credentials/v1"]
    assert is_ler_rs(resume)


# -- LER-01 -------------------------------------------------------------------------------------
def test_ler_01_accepts_the_wrapper_example(loader: DocumentLoader) -> None:
    result = wrapper_is_ler_rs_credential(example(WRAPPER), loader=loader)
    assert (result.requirement, _status(result)) == ("LER-01", "passed"), result.message
    assert "not a JSON-LD context" in result.details["json_ld"]


def test_ler_01_rejects_a_missing_issuance_date(loader: DocumentLoader) -> None:
    resume = good_resume()
    del resume["issuanceDate"]
    result = wrapper_is_ler_rs_credential(resume, loader=loader)
    assert _status(result) == "failed"
    assert result.message.startswith("not an LER-RS wrapper: issuanceDate is missing")


@pytest.mark.parametrize("field", ["type", "issuer"])
def test_ler_01_rejects_a_missing_required_field(loader: DocumentLoader, field: str) -> None:
    resume = good_resume()
    del resume[field]
    result = wrapper_is_ler_rs_credential(resume, loader=loader)
    assert _status(result) == "failed" and f"{field} is missing" in result.details["problems"]


@pytest.mark.parametrize(("contexts", "named"), [
    (["https://www.w3.org/ns/credentials/v2", LER_RS_CONTEXT], "@context[0]"),
    (["https://www.w3.org/2018/credentials/v1",
      "http://schema.hropenstandards.org/4.4/recruiting/json/VerifiableCredentialLER-RSType.json"], "@context[1]"),
    (["https://www.w3.org/2018/credentials/v1"], "@context[1]"),
    ("https://www.w3.org/2018/credentials/v1", "not an ordered set"),
])
def test_ler_01_rejects_a_wrong_context(loader: DocumentLoader, contexts: Any, named: str) -> None:
    resume = good_resume()
    resume["@context"] = contexts
    result = wrapper_is_ler_rs_credential(resume, loader=loader)
    assert _status(result) == "failed" and named in result.message


def test_ler_01_reports_other_wrapper_schema_violations(loader: DocumentLoader) -> None:
    resume = good_resume()
    resume["type"] = "VerifiableCredential"  # the provisional base wants an array
    result = wrapper_is_ler_rs_credential(resume, loader=loader)
    assert _status(result) == "failed" and any(p.startswith("$.type") for p in result.details["problems"])


# -- LER-02 -------------------------------------------------------------------------------------
def test_ler_02_accepts_the_repaired_example(loader: DocumentLoader) -> None:
    result = subject_is_ler_rs_type(good_resume(), loader=loader)
    assert (result.requirement, _status(result)) == ("LER-02", "passed"), result.message


def test_ler_02_reports_the_published_examples_violations_with_their_paths(loader: DocumentLoader) -> None:
    """The examples are not valid LER-RSType as published: the type URL (4.5 vs the 4.4 enum), a
    date-time without a time zone, and (UC008) 'In Progress' for the code 'InProgress'."""
    result = subject_is_ler_rs_type(example(WRAPPER), loader=loader)
    assert _status(result) == "failed" and result.message.startswith("3 violation(s) of LER-RSType")
    paths = [v.split(": ", 1)[0] for v in result.details["violations"]]
    assert paths == ["$.credentialSubject.certifications[0].effectiveTimePeriod.validFrom",
                     "$.credentialSubject.educationAndLearnings[1].verifications[0]['@context'][1]",
                     "$.credentialSubject.type"]
    portability = subject_is_ler_rs_type(example(PORTABILITY), loader=loader)
    assert any("'In Progress' is not one of" in v for v in portability.details["violations"])


def test_ler_02_rejects_a_subject_without_type(loader: DocumentLoader) -> None:
    resume = good_resume()
    del resume["credentialSubject"]["type"]
    result = subject_is_ler_rs_type(resume, loader=loader)
    assert _status(result) == "failed"
    assert result.details["violations"] == ["$.credentialSubject: 'type' is a required property"]


def test_ler_02_rejects_a_section_of_the_wrong_shape(loader: DocumentLoader) -> None:
    resume = good_resume()
    resume["credentialSubject"]["skills"] = []  # minItems 1
    result = subject_is_ler_rs_type(resume, loader=loader)
    assert _status(result) == "failed" and result.details["violations"][0].startswith("$.credentialSubject.skills")


def test_ler_02_bounds_the_violations_it_lists(loader: DocumentLoader) -> None:
    resume = good_resume()
    resume["credentialSubject"]["narratives"] = [{"name": n} for n in range(40)]  # each name must be a string
    result = subject_is_ler_rs_type(resume, loader=loader)
    assert _status(result) == "failed" and len(result.details["violations"]) == 20
    assert "(+" in result.message


def test_ler_02_rejects_several_subjects(loader: DocumentLoader) -> None:
    resume = good_resume()
    resume["credentialSubject"] = [resume["credentialSubject"]]
    assert _status(subject_is_ler_rs_type(resume, loader=loader)) == "failed"


# -- LER-03 -------------------------------------------------------------------------------------
def test_ler_03_accepts_an_embedded_credential_and_a_reference() -> None:
    result = verifiable_sections_carry_verifications(example(WRAPPER))
    assert _status(result) == "passed"
    assert result.message == "2 verifiable section(s), each with verifications: 1 embedded credential(s), 1 external reference(s)"


def test_ler_03_accepts_a_verifying_organization_and_a_wrapped_credential() -> None:
    resume = good_resume()
    resume["credentialSubject"]["certifications"][0]["verifications"] = [
        {"verifyingOrganization": {"name": "Cornell University"}},
        {"otherW3CVerifiableCredential": ob3_achievement_credential("did:example:issuer")}]
    assert _status(verifiable_sections_carry_verifications(resume)) == "passed"


@pytest.mark.parametrize("value", [[], None, {"reference": "https://example.org/v/1"}])
def test_ler_03_rejects_empty_or_non_array_verifications(value: Any) -> None:
    resume = good_resume()
    resume["credentialSubject"]["certifications"][0]["verifications"] = value
    result = verifiable_sections_carry_verifications(resume)
    assert _status(result) == "failed"
    assert result.message.startswith("credentialSubject.certifications[0].verifications is ")


@pytest.mark.parametrize("item", [{"reference": "not a uri"}, {"comment": "trust me"}, "https://example.org/v/1",
                                  {"verifyingOrganization": {"name": "X"}, "extra": 1}])
def test_ler_03_rejects_an_item_of_no_known_kind(item: Any) -> None:
    resume = good_resume()
    resume["credentialSubject"]["certifications"][0]["verifications"] = [item]
    result = verifiable_sections_carry_verifications(resume)
    assert _status(result) == "failed" and "credentialSubject.certifications[0].verifications[0] is neither" in result.message


def test_ler_03_does_not_apply_to_a_resume_without_verifiable_sections() -> None:
    resume = good_resume()
    del resume["credentialSubject"]["educationAndLearnings"][1]
    del resume["credentialSubject"]["certifications"][0]["verifications"]
    assert _status(verifiable_sections_carry_verifications(resume)) == "not_applicable"


# -- LER-04 (the judgement; the engine's part is tests/verify/test_ler_rs_verify.py) ------------------
def test_ler_04_finds_each_embedded_credential_by_its_path() -> None:
    resume = good_resume()
    badge = ob3_achievement_credential("did:example:issuer")
    resume["credentialSubject"]["certifications"][0]["verifications"].append({"otherW3CVerifiableCredential": badge})
    resume["credentialSubject"]["certifications"][0]["verifications"].append("eyJh.eyJi.c2ln")
    assert [where for where, _ in embedded_credentials(resume)] == [
        "credentialSubject.educationAndLearnings[1].verifications[0]",
        "credentialSubject.certifications[0].verifications[1].otherW3CVerifiableCredential",
        "credentialSubject.certifications[0].verifications[2]"]


def test_ler_04_passes_when_every_embedded_credential_verifies() -> None:
    result = embedded_credentials_verify([Embedded("credentialSubject.skills[0].verifications[0]", True)])
    assert (result.requirement, _status(result)) == ("LER-04", "passed")


def test_ler_04_fails_naming_the_embedded_credential_that_does_not_verify() -> None:
    result = embedded_credentials_verify([Embedded("a", True), Embedded("b", False, ["DI-15: signature does not verify"])])
    assert _status(result) == "failed"
    assert result.message == "b does not verify (DI-15: signature does not verify)"
    assert "could_not_check" not in result.details


def test_ler_04_says_when_lerconf_could_not_check() -> None:
    result = embedded_credentials_verify([Embedded("b", False, ["CID-01: offline"], could_not_check=True, fix="go online")])
    assert _status(result) == "failed" and result.details["could_not_check"] and result.details["fix"] == "go online"


def test_ler_04_does_not_apply_without_embedded_credentials() -> None:
    assert _status(embedded_credentials_verify([])) == "not_applicable"


# -- LER-05 -------------------------------------------------------------------------------------
def _presentation(resume: dict[str, Any], holder: str | None) -> dict[str, Any]:
    vp: dict[str, Any] = {"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["VerifiablePresentation"],
                          "verifiableCredential": [resume]}
    if holder is not None:
        vp["holder"] = holder
    return vp


def test_ler_05_rejects_a_resume_presented_without_holder() -> None:
    result = self_asserted_resume_names_holder(_presentation(good_resume(), None))
    assert (result.requirement, _status(result)) == ("LER-05", "failed") and "names no holder" in result.message


def test_ler_05_accepts_a_self_asserted_resume_with_its_holder() -> None:
    resume = good_resume()
    resume["issuer"] = "did:example:gunilla"
    result = self_asserted_resume_names_holder(_presentation(resume, "did:example:gunilla"))
    assert _status(result) == "passed" and "(self-asserted)" in result.message


def test_ler_05_rejects_a_self_asserted_resume_whose_embedded_credential_claims_the_holder_as_issuer() -> None:
    resume = good_resume()
    resume["issuer"] = "did:example:gunilla"
    resume["credentialSubject"]["educationAndLearnings"][1]["verifications"][0]["issuer"] = "did:example:gunilla"
    result = self_asserted_resume_names_holder(_presentation(resume, "did:example:gunilla"))
    assert _status(result) == "failed" and "not distinguishable" in result.message


def test_ler_05_does_not_apply_to_a_presentation_without_resume() -> None:
    vp = _presentation(ob3_achievement_credential("did:example:issuer"), None)
    assert _status(self_asserted_resume_names_holder(vp)) == "not_applicable"


# -- every check says what it judged ------------------------------------------------------------------
CALLS: list[Callable[[DocumentLoader], CheckResult]] = [
    lambda loader: wrapper_is_ler_rs_credential(example(PORTABILITY), loader=loader),
    lambda loader: subject_is_ler_rs_type(example(PORTABILITY), loader=loader),
    lambda loader: verifiable_sections_carry_verifications(example(PORTABILITY)),
    lambda loader: embedded_credentials_verify([Embedded("x", True)]),
    lambda loader: self_asserted_resume_names_holder(_presentation(example(PORTABILITY), "did:example:h")),
]


@pytest.mark.parametrize("call", CALLS)
def test_each_ler_check_returns_its_id_and_a_message(loader: DocumentLoader, call: Callable[[DocumentLoader], CheckResult]) -> None:
    result = call(loader)
    assert result.requirement.startswith("LER-0") and result.message and result.status is not Status.NOT_APPLICABLE


def test_ler_rs_checks_runs_ler_01_to_03_and_leaves_the_input_alone(loader: DocumentLoader) -> None:
    resume = example(WRAPPER)
    before = copy.deepcopy(resume)
    assert [r.requirement for r in ler_rs.ler_rs_checks(resume, loader=loader)] == ["LER-01", "LER-02", "LER-03"]
    assert resume == before


# -- the registered LER-RS schemas ----------------------------------------------------------------------
HROPEN = [url for url, entry in REGISTRY.items() if url.startswith("http://schema.hropenstandards.org/")]


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == "$ref" and isinstance(v, str)] + [
            r for k, v in node.items() if k != "$ref" for r in _refs(v)]
    return [r for v in node for r in _refs(v)] if isinstance(node, list) else []


def test_every_ref_of_a_registered_ler_rs_schema_names_a_registered_schema(loader: DocumentLoader) -> None:
    assert len(HROPEN) >= 100 and all(REGISTRY[url].kind == "schema" for url in HROPEN)
    for root in (LER_RS_CONTEXT, LER_RS_BASE_SCHEMA, LER_RS_TYPE_SCHEMA):
        assert root in REGISTRY
    unresolved = [(url, ref) for url in HROPEN for ref in _refs(loader.load_registered(url))
                  if (target := urldefrag(urljoin(url, ref)).url) and target not in REGISTRY]
    assert unresolved == []


def test_validating_a_resume_fetches_nothing(offline_settings: LoaderSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = DocumentLoader(offline_settings)  # nothing cached yet: every $ref is loaded now

    def no_fetch(url: str) -> Any:
        raise AssertionError(f"fetched {url}")

    monkeypatch.setattr(fresh, "load_remote_json", no_fetch)
    monkeypatch.setattr(fresh, "load_remote_bytes", no_fetch)
    assert _status(subject_is_ler_rs_type(example(PORTABILITY), loader=fresh)) == "failed"
    assert _status(wrapper_is_ler_rs_credential(example(PORTABILITY), loader=fresh)) == "passed"


def _resume_variants() -> list[Any]:
    variants: list[Any] = [example(WRAPPER), example(PORTABILITY), good_resume()]
    for edit in ("type", "person", "educationAndLearnings", "certifications"):
        changed = good_resume()
        del changed["credentialSubject"][edit]
        variants.append(changed)
    changed = good_resume()
    changed["credentialSubject"]["certifications"][0]["verifications"] = []
    variants.append(changed)
    return variants


@pytest.mark.parametrize("url", [LER_RS_CONTEXT, LER_RS_BASE_SCHEMA, LER_RS_TYPE_SCHEMA], ids=lambda u: u.rsplit("/", 1)[-1])
def test_the_compiled_validator_agrees_with_jsonschema_on_resumes(loader: DocumentLoader, url: str) -> None:
    fast, slow = fast_validator_for(url, loader=loader), validator_for(url, loader=loader)
    assert fast is not None
    for variant in _resume_variants():
        document = variant["credentialSubject"] if url == LER_RS_TYPE_SCHEMA else variant
        assert fast.is_valid(document) == slow.is_valid(document)


def test_documents_json_is_what_the_generator_writes(tmp_path: Path) -> None:
    out = tmp_path / "documents.json"
    subprocess.run([sys.executable, str(REPO / "tools" / "gen_documents.py"), str(SCHEMAS_DIR.parent), str(out)],
                   check=True, capture_output=True, timeout=120)
    assert out.read_bytes() == (REPO / "lerconf" / "data" / "documents.json").read_bytes()


def test_ler_01_reports_a_missing_credential_subject_from_the_wrapper_schema(loader: DocumentLoader) -> None:
    resume = good_resume()
    del resume["credentialSubject"], resume["issuanceDate"]
    result = wrapper_is_ler_rs_credential(resume, loader=loader)
    assert result.details["problems"] == ["issuanceDate is missing", "$: 'credentialSubject' is a required property"]
