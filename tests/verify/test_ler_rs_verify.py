"""LER-04 (issue 15): lerconf's engine judges an HR Open LER-RS résumé (LER-01…03) and verifies every
credential embedded in its ``verifications`` with that credential's own rules, as a nested report;
a tampered badge inside a résumé fails LER-04, naming it. Also: `lerconf verify` on the two shared
LER-RS V2 examples, which are not validly signed, reports and never crashes or fetches."""
from __future__ import annotations

import copy
import json
import subprocess
import sys
from typing import Any

import pytest

from lerconf.crypto.jose.encodings import JwtEncoding
from lerconf.crypto.jose.sign import sign_jwt
from lerconf.crypto.signing import Signer, deterministic_key
from lerconf.documents.jsonld import Processor
from lerconf.documents.loader import DocumentLoader
from lerconf.documents.templates import clr2_credential, ob3_achievement_credential
from lerconf.results import CheckResult
from lerconf.verify.engine import Verifier
from lerconf.verify.report import VerificationReport
from tests.conftest import SCHEMAS_DIR, shared_env

EXAMPLES = SCHEMAS_DIR.parent / "examples" / "ler-rs"
WRAPPER = "LER-RS_V2_VCwrapper.json"
PORTABILITY = "LER-RS_V2_UC008_portability.json"
ISSUER = Signer.did_key(deterministic_key("ler-rs-badge-issuer", "Ed25519"))
BADGE_AT = "credentialSubject.certifications[0].verifications[0]"
CLR_AT = "credentialSubject.educationAndLearnings[1].verifications[0]"


def example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return data


def good_resume() -> dict[str, Any]:
    """The VC-wrapper example with its LER-RSType violations repaired (as tests/checks/test_ler_rs.py does)."""
    resume = example(WRAPPER)
    subject = resume["credentialSubject"]
    subject["type"] = "http://schema.hropenstandards.org/4.4/recruiting/json/ler-rs/LER-RSType.json"
    period = subject["certifications"][0]["effectiveTimePeriod"]
    period["validFrom"], period["validTo"] = "2014-08-25T00:00:00Z", "2024-08-25T00:00:00Z"
    subject["educationAndLearnings"][1]["verifications"][0]["@context"][1] = (
        "http://schema.hropenstandards.org/4.4/recruiting/json/ler-rs/ProvisionalVerifiableCredentialEducationAndLearningType.json")
    return resume


@pytest.fixture(scope="module")
def processor(loader: DocumentLoader) -> Processor:
    return Processor(loader)


@pytest.fixture(scope="module")
def badge(processor: Processor) -> dict[str, Any]:
    return ISSUER.sign(ob3_achievement_credential(ISSUER.controller), "eddsa-rdfc-2022", processor)


def _resume_with(items: dict[str, list[Any]]) -> dict[str, Any]:
    """The repaired wrapper example whose certification and education entries carry these verifications."""
    resume = good_resume()
    subject = resume["credentialSubject"]
    subject["certifications"][0]["verifications"] = items.get("certification", [{"reference": "https://example.org/v/1"}])
    subject["educationAndLearnings"][1]["verifications"] = items.get("education", [{"reference": "https://example.org/v/2"}])
    return resume


def _only(report: VerificationReport, requirement: str) -> CheckResult:
    [result] = [r for r in report.checks if r.requirement == requirement]
    return result


def test_an_embedded_badge_is_verified_as_an_open_badge(loader: DocumentLoader, badge: dict[str, Any]) -> None:
    report = Verifier(loader).verify_document(_resume_with({"certification": [badge]}), "resume.json")
    ler04 = _only(report, "LER-04")
    assert ler04.status.value == "passed", ler04.message
    [nested] = report.nested
    assert nested.source == f"resume.json#{BADGE_AT}" and nested.verified and nested.conformant, nested.to_json()["errors"]
    assert {r.requirement for r in nested.checks} >= {"OB-11", "DI-15"}  # OB rules and the proof, by its own report
    assert [_only(report, f"LER-0{n}").status.value for n in (1, 2, 3)] == ["passed", "passed", "passed"]


def test_a_tampered_embedded_badge_fails_ler_04_naming_it(loader: DocumentLoader, badge: dict[str, Any]) -> None:
    tampered = copy.deepcopy(badge)
    tampered["credentialSubject"]["achievement"]["name"] = "Master of Everything"
    report = Verifier(loader).verify_document(_resume_with({"certification": [tampered]}), "resume.json")
    ler04 = _only(report, "LER-04")
    assert ler04.status.value == "failed" and ler04.message.startswith(f"{BADGE_AT} does not verify (")
    assert ler04.details["not_verified"] == [BADGE_AT] and "could_not_check" not in ler04.details
    assert not report.nested[0].verified and not report.verified


def test_an_embedded_clr_is_verified_as_a_clr_with_its_own_badges(loader: DocumentLoader, processor: Processor,
                                                                     badge: dict[str, Any]) -> None:
    clr = ISSUER.sign(clr2_credential(ISSUER.controller, "did:example:learner-7c1f0a", [badge]), "eddsa-rdfc-2022", processor)
    report = Verifier(loader).verify_document(_resume_with({"education": [clr]}), "resume.json")
    assert _only(report, "LER-04").status.value == "passed"
    [nested] = report.nested
    assert nested.source == f"resume.json#{CLR_AT}" and nested.verified
    assert any(r.requirement.startswith("CLR-") for r in nested.checks) and len(nested.nested) == 1  # CLR-08 inside


def test_a_badge_as_a_compact_jws_is_verified_as_a_jwt(loader: DocumentLoader) -> None:
    token = sign_jwt(ob3_achievement_credential(ISSUER.controller), ISSUER.key, ISSUER.verification_method, JwtEncoding.OB30)
    report = Verifier(loader).verify_document(_resume_with({"certification": [token]}), "resume.json")
    assert _only(report, "LER-04").status.value == "passed" and report.nested[0].verified
    forged = token[:-6] + ("AAAAAA" if not token.endswith("AAAAAA") else "BBBBBB")
    report = Verifier(loader).verify_document(_resume_with({"certification": [forged]}), "resume.json")
    assert _only(report, "LER-04").status.value == "failed" and not report.nested[0].verified


def test_a_resume_without_embedded_credentials_has_ler_04_not_applicable(loader: DocumentLoader) -> None:
    report = Verifier(loader).verify_document(_resume_with({}), "resume.json")
    assert _only(report, "LER-04").status.value == "not_applicable" and report.nested == []


def test_a_badge_gets_no_ler_results(loader: DocumentLoader, badge: dict[str, Any]) -> None:
    report = Verifier(loader).verify_document(badge, "badge.json")
    assert not [r for r in report.all_checks() if r.requirement.startswith("LER-")]


def test_a_presentation_of_a_resume_without_holder_fails_ler_05(loader: DocumentLoader, badge: dict[str, Any]) -> None:
    vp = {"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["VerifiablePresentation"],
          "verifiableCredential": [_resume_with({"certification": [badge]})]}
    report = Verifier(loader).verify_document(vp, "vp.json")
    assert _only(report, "LER-05").status.value == "failed"
    [resume] = report.nested
    assert _only(resume, "LER-04").status.value == "passed" and resume.nested[0].verified
    vp["holder"] = "did:example:gunilla"
    assert _only(Verifier(loader).verify_document(vp, "vp.json"), "LER-05").status.value == "passed"


# -- the shared LER-RS V2 examples ----------------------------------------------------------------
@pytest.mark.parametrize(("name", "embedded"), [(WRAPPER, 1), (PORTABILITY, 2)])
def test_the_shared_examples_are_judged_not_verified(loader: DocumentLoader, name: str, embedded: int) -> None:
    """Their proofs are RsaSignature2018 with a JWS copied from another document (and, in UC008, a
    badge signed by an example.com key): they cannot be verified; LER-RS conformance is still judged."""
    report = Verifier(loader).verify_document(example(name), name)
    assert not report.verified and len(report.nested) == embedded
    assert _only(report, "LER-01").status.value == "passed"
    assert _only(report, "LER-02").status.value == "failed"
    assert _only(report, "LER-03").status.value == "passed"
    ler04 = _only(report, "LER-04")
    assert ler04.status.value == "failed" and "verifications[0] does not verify" in ler04.message


def test_lerconf_verify_reports_the_wrapper_example_offline() -> None:
    run = subprocess.run([sys.executable, "-m", "lerconf.run.cli", "verify", "--offline", "--json", "-j", "1",
                          str(EXAMPLES / WRAPPER)], capture_output=True, text=True, timeout=120,
                         env={**shared_env(), "PATH": "/usr/bin:/bin", "LERCONF_CACHE_DIR": "/nonexistent-cache"})
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    [out] = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    ids = {c["id"]: c["status"] for c in out["checks"] if c["id"].startswith("LER-")}
    assert ids == {"LER-01": "passed", "LER-02": "failed", "LER-03": "passed", "LER-04": "failed"}
    assert out["verified"] is False and len(out["nested"]) == 1


def test_the_ler_rs_schema_url_is_not_processed_as_a_json_ld_context(loader: DocumentLoader) -> None:
    report = Verifier(loader).verify_document(example(WRAPPER), WRAPPER)
    vcdm02 = _only(report, "VCDM-02")
    assert vcdm02.status.value == "failed" and "VerifiableCredentialLER-RSType.json" in vcdm02.message
