"""Texts that can quote what a vendor or its adapter said — check messages and notes in the evidence,
skip reasons, preflight lines, the injected defect — are scrubbed of every secret lerconf knows
before they reach results.json, the console or an exception; `lerconf init` refuses a URL that
carries credentials (it would write them into the profile and print them)."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from lerconf.checks.refusal_reason import judge_reason, reason_finding
from lerconf.evidence import Evidence
from lerconf.redact import REDACTED, SECRETS
from lerconf.run.cli_args import UsageError
from lerconf.run.init_profile import probe
from lerconf.run.preflight import Problem
from lerconf.run.recording import skip_reason

SECRET = "tok-9f8e7d6c5b4a39281706f5e4d3c2b1a0"


@pytest.fixture(autouse=True)
def _known_secret() -> None:
    SECRETS.add(SECRET)


def test_evidence_checks_and_notes_are_scrubbed() -> None:
    evidence = Evidence()
    # a refusal-reason finding quotes what the vendor said
    finding = reason_finding("API-08", judge_reason(400, {"title": "Bad token", "detail": f"token {SECRET} expired"},
                                                      ["MALFORMED_VALUE_ERROR"]))
    assert finding is not None and SECRET in finding.message  # what is scrubbed is in the raw result
    evidence.checks.append(finding)
    evidence.notes.append(f"the wallet adapter reported {{'message': 'bearer {SECRET}'}}")
    evidence.inject(f"an access token {SECRET} in the subject", {"a": 1}, {"a": 2}, None)
    text = evidence.dumps()
    assert SECRET not in text and REDACTED in text


def test_skip_reasons_are_scrubbed() -> None:
    report = SimpleNamespace(longrepr=("f", 1, f"Skipped: cannot be judged: the verifier said {SECRET}"))
    reason = skip_reason(report)  # type: ignore[arg-type]
    assert SECRET not in reason and reason.startswith("cannot be judged: the verifier said ")


def test_preflight_lines_are_scrubbed() -> None:
    line = Problem("Acme", "issuer", f"authentication refused (HTTP 401: token {SECRET} expired)", "check the token",
                   url="https://issuer.acme.example/credentials/issue").line()
    assert SECRET not in line and "Acme / issuer: authentication refused" in line


def test_init_refuses_a_url_with_credentials_without_echoing_them() -> None:
    with pytest.raises(UsageError) as err:
        probe(f"https://admin:{SECRET}@127.0.0.1:9/")
    assert SECRET not in str(err.value) and "credentials" in str(err.value)


def test_allure_step_arguments_show_no_secret_nor_its_head() -> None:
    """allure-pytest-bdd records repr() of step arguments: an artefact's problem is scrubbed before it is cut
    (a secret straddling the cut leaves no head behind), an issuer URL carrying a secret is scrubbed."""
    from lerconf.scenarios.artefacts import Judged

    problem = "x" * 109 + f" {SECRET} was refused"  # the cut at 120 falls ten characters into it
    judged = Judged(delivered=SimpleNamespace(label=f"https://vendor.test/badge?t={SECRET}"),  # type: ignore[arg-type]
                    form="baked PNG", problem=problem)
    shown = repr(judged)
    assert SECRET[:8] not in shown and REDACTED[:5] in shown, shown
    from lerconf.scenarios.oid4vci_flow import VciSession

    session = SimpleNamespace(section=SimpleNamespace(credential_issuer=f"https://vendor.test/{SECRET}", mode="final"),
                              mode="final")
    assert SECRET not in VciSession.__repr__(session)  # type: ignore[arg-type]


def test_the_evidence_is_redacted_once_and_again_when_a_secret_comes_later() -> None:
    """to_json is asked twice as a scenario ends (Allure, then results.json): the same answer, unless a
    secret was registered or something added since; then the evidence is redacted anew."""
    from lerconf.exchange import Exchange
    from lerconf.outcome import Outcome

    late = "tok-0a1b2c3d4e5f60718293a4b5c6d7e8f9-late"
    evidence = Evidence()
    evidence.record(Exchange("POST", "https://vendor.test/verify", {}, None, Outcome.REJECTED, "HTTP 400", 400,
                             {}, "", {"detail": f"token {late} refused"}))
    first = evidence.to_json()
    assert evidence.to_json() is first  # nothing changed: the same answer
    assert late in str(first)
    SECRETS.add(late)  # a later answer told lerconf it is a secret
    second = evidence.to_json()
    assert late not in str(second) and REDACTED in str(second)
    evidence.notes.append("one more note")
    assert evidence.to_json() is not second and evidence.to_json()["notes"] == ["one more note"]
