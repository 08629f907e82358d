"""The `lerconf site` pages in a real browser: headless Chromium, every network request blocked.

Opens index.html from disk, then a vendor page through its link: no console error (a CSP
violation would be one), no request but the site's own files, and the charts drawn. Needs the
`playwright` package and a system Chromium, like tests/reports/test_report_browser.py; under
CI a missing browser is a failure, elsewhere the test is skipped.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _browser import BROWSER_MARKS, offline_page
from _site_data import HOSTILE, write_history

from lerconf.reports.site import vendor_page, write_site

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def browser_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, dict[str, list[str]], Path]]:
    base = tmp_path_factory.mktemp("site")
    site = base / "site"
    write_site([write_history(base / "runs")], site)
    local = {p.as_uri() for p in site.glob("*.html")}
    with offline_page(site / "index.html", lambda url: url.split("#")[0] in local) as (page, log):
        yield page, log, site


def test_index_renders_offline_with_no_console_errors(browser_page: tuple[Any, dict[str, list[str]], Path]) -> None:
    page, log, site = browser_page
    assert log["console"] == [] and log["errors"] == []
    assert log["requests"] == [(site / "index.html").as_uri()]
    assert page.locator("h1").inner_text() == "Conformance history"
    assert page.locator("#vendors tbody tr").count() == 2
    assert page.locator("#vendors tbody th").all_inner_texts() == ["Acme", HOSTILE]  # shown as text, not run
    chart = page.locator("#spec-areas svg.trend")
    assert chart.is_visible() and chart.bounding_box()["height"] > 100
    assert page.locator("#spec-areas circle.pt").count() == 8
    assert page.locator("table.scorecard").is_visible()
    page.screenshot(path=str(site.parent / "index.png"), full_page=True)
    assert (site.parent / "index.png").stat().st_size > 10_000


def test_vendor_page_through_its_link(browser_page: tuple[Any, dict[str, list[str]], Path]) -> None:
    page, log, site = browser_page
    page.click(f'#vendors a[href="{vendor_page("Acme")}"]')
    page.wait_for_load_state("load")
    assert page.url == (site / vendor_page("Acme")).as_uri()
    assert log["console"] == [] and log["errors"] == []
    assert set(log["requests"]) <= {p.as_uri() for p in site.glob("*.html")}
    assert page.locator("#verdicts circle.pt").count() == 6  # two roles, three runs
    row = page.locator("table.history tr", has=page.locator("th", has_text="VCDM-06"))
    assert "run-2" in row.locator("td.broke").inner_text() and "run-3" in row.locator("td.fixed").inner_text()
