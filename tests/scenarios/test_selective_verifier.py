"""The selective-disclosure verifier scenarios (issue 18): lerconf's disclosures are what they say —
the valid one verifies in lerconf's engine and each broken one fails there for its own requirement
(EC-05 base proof, DI-15 changed value, EC-06 uncovered statement) — and a verifier that accepts
everything fails every negative, naming the defect, while one that refuses everything fails the
positive."""
from __future__ import annotations

from typing import Any

import pytest

from lerconf.documents.loader import LoaderSettings
from lerconf.evidence import Evidence
from lerconf.exchange import Exchange
from lerconf.outcome import Outcome
from lerconf.protocol.vcapi import VerifierAnswer, VerifierVerdict
from lerconf.scenarios import selective
from lerconf.scenarios.expect import expect_verdict
from lerconf.scenarios.harness import Harness, build_vendor, engine_for
from lerconf.verify.report import VerifyOptions

NEGATIVES = {"the base proof itself": "EC-05", "a disclosed value altered": "DI-15",
             "a statement added that the proof does not cover": "EC-06", "a mandatory statement left out": "EC-06"}


@pytest.fixture(scope="module")
def run(ref: Any, offline_settings: LoaderSettings) -> Harness:
    profile = ref.profile()
    vendor = build_vendor(profile, allow_private=True)
    return Harness(vendors=[vendor], own=vendor, engine=engine_for(ref, [profile], offline_settings), reference=ref)


def _answer(verdict: VerifierVerdict) -> VerifierAnswer:
    exchange = Exchange("POST", "http://127.0.0.1/credentials/verify", {}, None, Outcome.ACCEPTED, "HTTP 200", 200)
    return VerifierAnswer(exchange, verdict, f"verified: {verdict is VerifierVerdict.ACCEPTED}")


def test_the_valid_disclosure_verifies_and_hides_the_withheld_part(run: Harness) -> None:
    badge = selective.selective_badge(run, Evidence(), "a valid disclosure")
    assert selective.WITHHELD not in str(badge.credential) and "description" not in badge.credential
    report = run.engine.verify_document(badge.credential, "disclosed", VerifyOptions())
    assert report.verified and report.conformant, report.to_json()["errors"]


@pytest.mark.parametrize(("variant", "requirement"), NEGATIVES.items())
def test_each_broken_disclosure_fails_its_own_requirement(run: Harness, variant: str, requirement: str) -> None:
    evidence = Evidence()
    badge = selective.selective_badge(run, evidence, variant)
    report = run.engine.verify_document(badge.credential, variant, VerifyOptions())
    assert not report.verified
    assert requirement in {r.requirement for r in report.checks if r.status.value == "failed"}, report.to_json()["errors"]
    assert evidence.defect is not None and variant in evidence.defect.what


@pytest.mark.parametrize(("variant", "requirement"), NEGATIVES.items())
def test_a_verifier_that_accepts_everything_fails_the_negatives(run: Harness, variant: str, requirement: str) -> None:
    evidence = Evidence()
    selective.selective_badge(run, evidence, variant)
    with pytest.raises(AssertionError, match=f"{requirement}: .*the verifier accepted it, expected rejected"):
        expect_verdict(evidence, _answer(VerifierVerdict.ACCEPTED), VerifierVerdict.REJECTED, (requirement,))


def test_a_verifier_that_refuses_everything_fails_the_positive(run: Harness) -> None:
    evidence = Evidence()
    selective.selective_badge(run, evidence, "a valid disclosure")
    with pytest.raises(AssertionError, match="LCS-01: .*expected accepted"):
        expect_verdict(evidence, _answer(VerifierVerdict.REJECTED), VerifierVerdict.ACCEPTED, ("LCS-01",))
