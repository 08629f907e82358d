"""Attested and automated verdicts never mix (lerconf.run.recording): an operator's attestation in an
automated scenario's evidence, or an @attested scenario without one, breaks the scenario (a lerconf
fault), never passes or fails it; results.json says judged_by only for attested scenarios."""
from __future__ import annotations

from typing import Any

import pytest

from lerconf.evidence import Evidence
from lerconf.redact import SECRETS
from lerconf.run.meta import ATTESTED, AUTOMATED
from lerconf.run.recording import _kept_apart
from lerconf.run.tags import classify


def _meta(judged_by: str) -> dict[str, Any]:
    return {"judged_by": judged_by}


@pytest.mark.parametrize("status", ["passed", "failed"])
def test_an_attestation_in_an_automated_scenario_breaks_it(status: str) -> None:
    record = _kept_apart(_meta(AUTOMATED), {"status": status, "reason": ""}, attested=True)
    assert record["status"] == "broken" and "attested and automated verdicts never mix" in record["reason"]


@pytest.mark.parametrize("status", ["passed", "failed"])
def test_an_attested_scenario_without_an_attestation_is_broken(status: str) -> None:
    record = _kept_apart(_meta(ATTESTED), {"status": status, "reason": ""}, attested=False)
    assert record["status"] == "broken" and "without any operator attestation" in record["reason"]


def test_matching_kinds_and_unjudged_scenarios_are_left_alone() -> None:
    assert _kept_apart(_meta(ATTESTED), {"status": "failed", "reason": "r"}, attested=True)["status"] == "failed"
    assert _kept_apart(_meta(AUTOMATED), {"status": "passed", "reason": ""}, attested=False)["status"] == "passed"
    skipped = {"status": "skipped", "reason": "not claimed: x"}
    assert _kept_apart(_meta(ATTESTED), skipped, attested=False) == skipped


def test_the_attested_tag_is_known_and_evidence_keeps_attestations_apart() -> None:
    assert classify("attested") == "known"
    ev = Evidence()
    assert "attestations" not in ev.to_json()
    SECRETS.add("operator-pasted-secret-41")
    ev.attest({"step": 1, "questions": [{"id": "status", "answer": "valid", "verdict": "passed"}],
               "message": "the page said operator-pasted-secret-41", "client_secret": "x" * 12})
    out = ev.to_json()
    assert out["attestations"][0]["questions"][0]["answer"] == "valid"
    assert "operator-pasted-secret-41" not in str(out) and "x" * 12 not in str(out)  # redacted like all evidence


def test_the_console_line_of_an_attested_scenario_says_so() -> None:
    import io

    from lerconf.run.console import Console
    out = io.StringIO()
    console = Console(out, environ={}, color=False)
    console.scenario({"status": "failed", "vendor": "V", "name": "Displayer shows the revoked badge as revoked",
                      "reason": "the operator reported it shown as valid", "severity": "MUST", "judged_by": "attested"}, 2)
    console.scenario({"status": "passed", "vendor": "V", "name": "Displayer fetches the status list", "severity": "MUST"}, 2)
    first, second = out.getvalue().splitlines()
    assert "revoked [attested] -- the operator reported" in first and "[attested]" not in second
