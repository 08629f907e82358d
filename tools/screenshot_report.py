"""Render docs/report.png: the report of a three-vendor example run, as the README shows it.

Uses the system Chromium through Playwright (never a downloaded browser), all network blocked.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from _report_data import three_vendors, write_run  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from lerconf.reports import write_report  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        run = write_run(Path(tmp) / "run", three_vendors())
        report = write_report([run]).report
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                        args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            page = browser.new_page(viewport={"width": 1400, "height": 1100})
            page.route("**/*", lambda route: route.abort() if not route.request.url.startswith("file:") else route.continue_())
            page.goto(report.as_uri())
            page.screenshot(path=str(ROOT / "docs" / "report.png"), full_page=False)
            browser.close()
    print(ROOT / "docs" / "report.png")


if __name__ == "__main__":
    main()
