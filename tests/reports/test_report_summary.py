"""Issue 17 (point 8): the executive summary, first in report.html and alone on the PDF's first page.

Hand-made report data with known numbers: the role x vendor grid (plain verdict words and counts),
the MUST/SHOULD pass rates per vendor, the top failing requirements, the scope; and the `--pdf`
plumbing that needs no browser (where the PDF goes, a clear error when no Chromium is found).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from _report_data import results, scenario, three_vendors, vendor, write_run

from lerconf.errors import LerconfError
from lerconf.reports import summary, write_report
from lerconf.reports.assets import CSS
from lerconf.reports.model import INTEROP, ReportData, build
from lerconf.reports.pdf import CHROMIUM_ENV, find_chromium, pdf_path
from lerconf.run.cli import main

UNJUDGED = "cannot be judged: the issuer refused the valid request too (positive control)"


def three(tmp_path: Path) -> ReportData:
    return build([write_run(tmp_path / "three", three_vendors())])


def test_grid_gives_each_vendor_and_role_a_plain_verdict_with_counts(tmp_path: Path) -> None:
    rows, cells = summary.grid(three(tmp_path))
    assert rows == ["issuer", "verifier", INTEROP]
    seen = {(row, v): (c.word, c.parts()) for (row, v), c in cells.items()}
    assert seen[("issuer", "Acme")] == ("passed", ["4 passed"])
    assert seen[("issuer", "Beta")] == ("failed", ["3 passed", "1 failed"])
    assert seen[("verifier", "Beta")] == ("cannot be judged", ["2 passed", "1 broken"])  # a MUST scenario broke
    assert seen[("verifier", "Gamma")] == ("passed", ["2 passed", "1 not claimed"])
    assert ("issuer", "Gamma") not in cells  # Gamma offers no issuer: shown as not claimed in the table
    # cross-vendor scenarios count for each vendor in them: Acme -> Beta failed, Acme -> Gamma passed
    assert seen[(INTEROP, "Acme")] == ("failed", ["1 passed", "1 failed"])
    assert seen[(INTEROP, "Beta")] == ("failed", ["1 failed"])
    assert seen[(INTEROP, "Gamma")] == ("passed", ["1 passed"])


def test_pass_rates_per_vendor(tmp_path: Path) -> None:
    rates = summary.vendor_rates(three(tmp_path))
    flat = {v: ((m.passed, m.ran), (s.passed, s.ran)) for v, (m, s) in rates.items()}
    assert flat == {"Acme": ((6, 6), (1, 1)), "Beta": ((4, 6), (1, 1)), "Gamma": ((2, 2), (0, 0))}
    html = summary.section(three(tmp_path))
    must_row = re.search(r'<tr class="es-rates"><th scope="row">MUST pass rate</th>(.*?)</tr>', html)
    assert must_row is not None
    assert re.findall(r"(\d+\u202f%) \((\d+/\d+)\)", must_row.group(1)) == [("100\u202f%", "6/6"), ("67\u202f%", "4/6"),
                                                                          ("100\u202f%", "2/2")]
    assert "\u2014 (none ran)" in html  # Gamma's SHOULD rate: nothing ran is not 0 %


def test_top_failing_requirements_in_plain_words(tmp_path: Path) -> None:
    top = summary.top_failures(three(tmp_path))
    assert [(f.id, f.failed, f.broken, sorted(f.vendors)) for f in top] == [
        ("API-11", 1, 1, ["Acme", "Beta"]),  # Beta's verifier broke; the Acme -> Beta interop scenario failed
        ("VCDM-06", 1, 0, ["Beta"]),
    ]
    html = summary.section(three(tmp_path))
    assert "<strong>Issuer is a URL or an object with a URL id</strong>" in html  # the registry's title, not only the id
    assert "1 scenario (1 failed), 1 vendor: Beta" in html
    assert "2 scenarios (1 failed, 1 broke), 2 vendors: Acme, Beta" in html
    assert "3 claimed MUST scenarios failed or broke (Beta, 1 across vendors)" in html


def test_cannot_be_judged_not_claimed_and_draft_rows(tmp_path: Path) -> None:
    data = build([write_run(tmp_path / "r", results([vendor("Solo", roles=("issuer", "verifier"))], [
        scenario("Issuer refuses a bad request", "Solo", req="VCDM-01", status="skipped", reason=UNJUDGED),
        scenario("Issuer refuses another bad request", "Solo", req="VCDM-06", status="skipped", reason=UNJUDGED),
        scenario("Verifier verifies a valid badge", "Solo", role="verifier", req="API-11", status="skipped",
                 reason="not claimed: verifier does not claim vc_versions 1.1"),
        scenario("Verifier verifies over a draft", "Solo", role="verifier", req="API-11", status="failed",
                 reason="no", spec_mode="draft-only: OID4VP draft 18"),
    ], command=["lerconf", "run", "-k", "refuses or verifies", "--tags=NEG", "--role", "issuer"],
       status_list_minimum={"entries": 16, "default": 131072, "source": "--status-list-minimum"}))])
    rows, cells = summary.grid(data)
    assert rows == ["issuer", "verifier", "verifier (draft-only)"]
    assert (cells[("issuer", "Solo")].word, cells[("issuer", "Solo")].parts()) == ("cannot be judged", ["2 cannot be judged"])
    assert cells[("verifier", "Solo")].word == "not claimed"
    assert cells[("verifier (draft-only)", "Solo")].word == "failed"
    must, _should = summary.vendor_rates(data)["Solo"]
    assert must.ran == 0  # a draft-mode failure is its own row, not the final-spec pass rate
    html = summary.section(data)
    assert "-k refuses or verifies; --tags NEG; --role issuer" in html
    assert "BSL-16 minimum lowered to 16 entries (default 131,072), set by --status-list-minimum" in html
    assert "4: 0 passed, 1 failed, 0 broken, 1 not claimed, 2 cannot be judged" in html


def test_the_summary_comes_first_and_escapes_vendor_text(tmp_path: Path) -> None:
    data = three_vendors()
    data["vendors"][0]["name"] = "<b>Acme</b>"
    for s in data["scenarios"]:
        if s["vendor"] == "Acme":
            s["vendor"] = "<b>Acme</b>"
    page = write_report([write_run(tmp_path / "x", data)]).report.read_text(encoding="utf-8")
    first = page.index('id="executive-summary"')
    assert first < page.index('class="banner') < page.index('<section id="summary"')
    assert "<b>Acme</b>" not in page and "&lt;b&gt;Acme&lt;/b&gt;" in page[first:page.index('class="banner')]
    assert page.count("<h2>Executive summary</h2>") == 1


def test_print_css_puts_the_summary_alone_on_page_one() -> None:
    print_rules = CSS[CSS.index("@media print"):]
    assert re.search(r"\.es\{[^}]*break-after:page", print_rules)
    assert "thead{display:table-header-group}" in print_rules and "pre{max-height:none" in print_rules


def test_pdf_goes_beside_report_html_or_where_asked(tmp_path: Path) -> None:
    report = tmp_path / "run" / "report.html"
    assert pdf_path(report, None) == pdf_path(report, "") == tmp_path / "run" / "report.pdf"
    assert pdf_path(report, tmp_path / "out.pdf") == tmp_path / "out.pdf"
    assert pdf_path(report, tmp_path) == tmp_path / "report.pdf"  # a directory


def test_no_chromium_is_a_clear_setup_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.delenv(CHROMIUM_ENV, raising=False)
    with pytest.raises(LerconfError, match="apt-get install chromium"):
        find_chromium()
    monkeypatch.setenv(CHROMIUM_ENV, str(tmp_path / "no-such-chromium"))
    with pytest.raises(LerconfError, match=f"{CHROMIUM_ENV}=.*no such executable"):
        find_chromium()
    run = write_run(tmp_path / "run", three_vendors())
    assert main(["report", str(run), "--pdf"]) == 2
    err = capsys.readouterr().err
    assert "no Chromium found for --pdf" in err or "no such executable" in err
    assert (run / "report.html").is_file() and not (run / "report.pdf").exists()
