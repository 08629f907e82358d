"""report.html in a real browser: headless Chromium, every network request blocked.

Opens a three-vendor report from disk and checks what a reader sees: no console error (a CSP
violation would be one), no request but the file itself, the scorecard and the matrices with
the right marks and numbers, working filters and evidence links. Leaves a screenshot in the run
directory. Needs the `playwright` package and a system Chromium (`apt-get install chromium`);
it never downloads a browser.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _browser import BROWSER_MARKS, offline_page
from _report_data import three_vendors, write_run

from lerconf.reports import write_report

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def page_and_log(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, dict[str, list[str]], Path]]:
    run = write_run(tmp_path_factory.mktemp("three") / "run", three_vendors())
    report = write_report([run]).report
    with offline_page(report, lambda url: url == report.as_uri()) as (page, log):
        yield page, log, run


def test_no_console_errors_and_no_network(page_and_log: tuple[Any, dict[str, list[str]], Path]) -> None:
    page, log, run = page_and_log
    assert log["console"] == [] and log["errors"] == []
    assert set(log["requests"]) == {(run / "report.html").as_uri()}
    page.screenshot(path=str(run / "report-screenshot.png"), full_page=False)
    assert (run / "report-screenshot.png").stat().st_size > 10_000


def test_scorecard_shows_each_vendor_mark(page_and_log: tuple[Any, dict[str, list[str]], Path]) -> None:
    page, _, _ = page_and_log
    card = page.locator("table.scorecard")
    assert card.is_visible()
    headers = card.locator("thead th").all_inner_texts()
    assert headers[-3:] == ["Acme", "Beta", "Gamma"]
    row = card.locator("tr", has=page.locator("th", has_text="VCDM-06"))
    cells = [t.strip() for t in row.locator("td").all_inner_texts()][-3:]
    assert cells == ["\u2714 passed", "\u2718 failed", "\u00b7 not tested"]
    api = card.locator("tr", has=page.locator("th", has_text="API-11"))
    assert [t.strip() for t in api.locator("td").all_inner_texts()][-3:] == ["\u2714 passed", "\u26a0 broken", "\u2714 passed"]
    assert page.locator("#at-risk h2").inner_text() == "Requirements at risk (1)"


def test_summary_numbers(page_and_log: tuple[Any, dict[str, list[str]], Path]) -> None:
    page, _, _ = page_and_log
    beta = page.locator(".card", has=page.locator("h3", has_text="Beta"))
    issuer = [t.strip() for t in beta.locator("tr", has=page.locator("th", has_text="issuer")).locator("td").all_inner_texts()]
    assert issuer[0] == "not conformant" and issuer[1].endswith("67\u202f%") and issuer[3:] == ["3", "1", "0", "0"]


def test_interop_matrix_cells(page_and_log: tuple[Any, dict[str, list[str]], Path]) -> None:
    page, _, _ = page_and_log
    matrix = page.locator('table[data-matrix="issuer-verifier"]')
    assert matrix.is_visible()
    columns = matrix.locator("thead th").all_inner_texts()[1:]
    assert columns == ["Acme", "Beta", "Gamma", "lerconf (harness)"]
    acme = matrix.locator("tbody tr", has=page.locator("th", has_text="Acme"))
    cells = acme.locator("td").all_inner_texts()
    assert "\u2718 failed" in cells[1] and "0/1" in cells[1]  # Acme's badge fails at Beta
    assert "\u2714 passed" in cells[2] and "1/1" in cells[2]
    assert "3/3" in cells[3]


def test_filters_and_evidence_links(page_and_log: tuple[Any, dict[str, list[str]], Path]) -> None:
    page, _, _ = page_and_log
    page.select_option('select[name="status"]', label="\u2718 failed")
    visible = page.locator("#requirements tr[data-filter]:visible")
    assert visible.count() == 2  # Beta VCDM-06, and the Acme -> Beta interop scenario
    assert all("failed" in t for t in visible.all_inner_texts())
    assert "rows shown" in page.locator("#filter-count").inner_text()
    assert page.locator("#scorecard tr[data-filter]:visible").count() == 1  # VCDM-06 issuer (interop is in the matrix)
    page.click("#reset-filters")
    page.select_option('select[name="vendor"]', label="Gamma")
    assert page.locator('#summary tr[data-filter]:visible').count() == 1
    page.click("#reset-filters")
    row = page.locator("table.scorecard tr", has=page.locator("th", has_text="VCDM-06"))
    row.locator("td a").nth(1).click()
    opened = page.locator("#requirements details.ev[open]")
    page.wait_for_selector("#requirements details.ev[open]")  # the page opens it on the hash change, a moment later
    assert opened.count() == 1
    assert "Beta" in opened.inner_text() and "VCDM-01" in opened.inner_text()  # its check output is shown
