"""Attested evidence (what an operator reported a person saw) is reported apart from lerconf's
automated verdicts: its own summary row ("displayer (attested)") and counts, its own JUnit suite
with failures said to be attested, its own certificate role result (judgedBy), never in the
vendor's automated pass rate; the operator's answers are shown under their own heading."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from _report_data import evidence, results, scenario, vendor, write_run

from lerconf.crypto.keys import generate
from lerconf.reports import summary, write_report
from lerconf.reports.evidence_html import render_evidence
from lerconf.reports.junit import render_junit
from lerconf.reports.markup import verdict_badge
from lerconf.reports.model import build
from lerconf.run.cli import main

ANSWERS = {"step": 3, "title": "show badge C", "operator": "Kim",
           "questions": [{"id": "status", "label": "Status the displayer showed", "expected": "revoked",
                          "answer": "valid", "verdict": "failed"}],
           "screenshots": [{"sha256": "ab" * 32, "content_type": "image/png", "bytes": 67}]}


def _attested(name: str, status: str = "passed", reason: str = "", **extra: Any) -> dict[str, Any]:
    made = scenario(name, "Acme", role="displayer", req="OB-30", status=status, reason=reason,
                    tags=("attested",), judged_by="attested", **extra)
    made["evidence"] = {**evidence(reason), "attestations": [ANSWERS]}
    return made


def _run(tmp_path: Path) -> Path:
    return write_run(tmp_path / "run", results([vendor("Acme", roles=())], [
        scenario("Displayer fetched the status list", "Acme", role="displayer", req="OB-30"),
        _attested("Displayer shows the valid badge as valid"),
        _attested("Displayer shows the revoked badge as revoked", status="failed",
                  reason="the operator reported the revoked badge shown as valid"),
    ]))


def test_attested_results_are_their_own_row_and_never_in_the_automated_rate(tmp_path: Path) -> None:
    data = build([_run(tmp_path)])
    rows = {r.label: r for r in data.summaries()}
    assert list(rows) == ["displayer", "displayer (attested)"]
    assert rows["displayer"].verdict == "conformant"
    assert rows["displayer (attested)"].verdict == "attested: not conformant"
    assert (rows["displayer (attested)"].counts.passed, rows["displayer (attested)"].counts.failed) == (1, 1)
    grid_rows, cells = summary.grid(data)
    assert grid_rows == ["displayer", "displayer (attested)"]
    assert cells[("displayer (attested)", "Acme")].word == "failed" and cells[("displayer", "Acme")].word == "passed"
    must, _ = summary.vendor_rates(data)["Acme"]
    assert (must.passed, must.failed) == (1, 0)  # the automated rate counts the automated scenario only
    (failing,) = summary.top_failures(data)
    assert (failing.id, failing.failed, failing.attested) == ("OB-30", 1, 1)
    assert "(1 failed, 1 attested)" in summary.section(data)


def test_an_unknown_judged_by_is_read_as_automated(tmp_path: Path) -> None:
    run = write_run(tmp_path / "odd", results([vendor("Acme", roles=())], [
        scenario("x", "Acme", role="displayer", req="OB-30", judged_by="by a hunch")]))
    assert [s.attested for s in build([run]).scenarios] == [False]


def test_junit_has_an_attested_suite_whose_failures_say_so(tmp_path: Path) -> None:
    root = ET.fromstring(render_junit(build([_run(tmp_path)])))
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert list(suites) == ["Acme / displayer", "Acme / displayer (attested)"]
    assert suites["Acme / displayer (attested)"].get("failures") == "1"
    failure = next(suites["Acme / displayer (attested)"].iter("failure"))
    assert failure.get("message", "").startswith("attested (operator-reported): the operator reported")
    judged = {p.get("value") for p in suites["Acme / displayer (attested)"].iter("property") if p.get("name") == "judged_by"}
    assert judged == {"attested"}


def test_the_report_and_certificate_label_attested_rows(tmp_path: Path) -> None:
    keyfile = tmp_path / "key.json"
    keyfile.write_text(json.dumps({"privateKeyMultibase": generate("Ed25519").to_multikey()}), encoding="utf-8")
    run = _run(tmp_path)
    written = write_report([run], sign=keyfile)
    cert = json.loads(written.certificate.read_text(encoding="utf-8"))
    auto, attested = cert["credentialSubject"]["vendor"][0]["roleResult"]
    assert (auto["role"], auto["verdict"], "judgedBy" in auto) == ("displayer", "conformant", False)
    assert (attested["verdict"], attested["judgedBy"], attested["failedCount"]) == ("attested: not conformant", "attested", 1)
    assert main(["verify", str(run / "certificate.json")]) == 0
    html = (run / "report.html").read_text(encoding="utf-8")
    assert html.count('<span class="tag b-attested"') == 2  # the two attested scenario rows, not the automated one
    assert "displayer (attested)" in html
    assert "1 claimed MUST scenario(s) failed or broke (1 of them attested: an operator reported what a person saw)" in html


def test_the_badge_and_the_evidence_say_attested() -> None:
    assert 'class="verdict v-attested"' in verdict_badge("attested: conformant")
    assert 'class="verdict v-conformant"' in verdict_badge("attested: conformant")
    html = render_evidence({**evidence(), "attestations": [ANSWERS]})
    assert "Attested by the operator" in html and "not lerconf's observation" in html
    assert "<td>revoked</td><td>valid</td>" in html and "ab" * 32 in html
