"""A SHOULD finding inside a passed scenario (a refusal for another reason) shows in the scorecard:
the cell counts it and names it, so a passed mark does not hide it."""
from __future__ import annotations

import re
from pathlib import Path

from _report_data import results, scenario, vendor, write_run

from lerconf.reports import write_report

FINDING = "rejected for another reason: an authentication or authorization error (HTTP 401: Unauthorized)"


def _scorecard(tmp_path: Path, *, warned: bool) -> str:
    s = scenario("Issuer refuses validity dates without a time zone", "Acme", req="VCDM-08")
    if warned:
        s["evidence"]["checks"].append({"id": "VCDM-08", "category": "protocol", "status": "warning", "severity": "SHOULD",
                                        "message": FINDING, "spec_url": "https://www.w3.org/TR/vc-data-model-2.0/",
                                        "details": {"refusal_reason": "another reason"}})
    html = write_report([write_run(tmp_path / "r", results([vendor("Acme")], [s]))]).report.read_text(encoding="utf-8")
    match = re.search(r'<section id="scorecard">.*?</section>', html, re.S)
    assert match, "no scorecard"
    return match.group(0)


def test_a_should_finding_of_a_passed_scenario_shows_in_its_scorecard_cell(tmp_path: Path) -> None:
    card = _scorecard(tmp_path, warned=True)
    assert "\u26a0 1 finding" in card
    assert "VCDM-08: rejected for another reason: an authentication or authorization error" in card


def test_a_clean_pass_has_no_finding_mark(tmp_path: Path) -> None:
    assert "finding" not in _scorecard(tmp_path, warned=False)
