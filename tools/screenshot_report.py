"""Render the README's report images, through the system Chromium (never a downloaded browser).

    python tools/screenshot_report.py              # docs/report.png: the report of a three-vendor example run
    python tools/screenshot_report.py --summary    # docs/report-summary.png: the PDF's first page (executive summary)
    python tools/screenshot_report.py --summary --run RUN_DIR   # ... of a real run instead of the example

docs/report.png is the report on screen. docs/report-summary.png is the first page of
`lerconf report --pdf` as printed: the page laid out with the print stylesheet at Letter width with
its 12 mm margins, clipped at the page's height (Chromium's PDF page; an A4 page is a little
narrower and taller). All network is blocked.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from _report_data import three_vendors, write_run  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from lerconf.reports import write_report  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
#: a Letter page at 96 px per inch (8.5 x 11 in), and the print stylesheet's @page margin (12 mm)
PAGE_W, PAGE_H, MARGIN = 816, 1056, 45


def chromium() -> str:
    found = os.environ.get("LERCONF_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        sys.exit("no system chromium (apt-get install -y chromium, or set LERCONF_CHROMIUM)")
    return found


def screenshot(report: Path, target: Path) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        page.route("**/*", lambda route: route.abort() if not route.request.url.startswith("file:") else route.continue_())
        page.goto(report.as_uri())
        page.screenshot(path=str(target), full_page=False)
        browser.close()


def summary_page(report: Path, target: Path) -> None:
    """The PDF's first page: print media, page width, margins, clipped at one page's height."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=ARGS)
        # bypass_csp: the report's CSP forbids any style but its own; the margin below stands for @page's
        context = browser.new_context(viewport={"width": PAGE_W, "height": PAGE_H}, device_scale_factor=1.5,
                                      bypass_csp=True, offline=True)
        page = context.new_page()
        page.route("**/*", lambda route: route.abort() if not route.request.url.startswith("file:") else route.continue_())
        page.emulate_media(media="print")
        page.goto(report.as_uri())
        page.add_style_tag(content=f"html{{background:#fff}}body{{margin:0!important;padding:{MARGIN}px!important}}"
                           "#executive-summary~*{display:none!important}")  # page 2 onwards
        bottom = page.locator("#executive-summary").evaluate("e => e.getBoundingClientRect().bottom")
        if bottom + MARGIN > PAGE_H:
            print(f"warning: the summary ends at {bottom:.0f} px, past one page ({PAGE_H - MARGIN} px)", file=sys.stderr)
        page.screenshot(path=str(target), clip={"x": 0, "y": 0, "width": PAGE_W, "height": PAGE_H})
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--summary", action="store_true", help="render the PDF's first page to docs/report-summary.png")
    parser.add_argument("--run", type=Path, metavar="RUN_DIR", help="a real run directory instead of the example")
    parser.add_argument("--out", type=Path, metavar="PNG", help="where the image goes")
    args = parser.parse_args()
    target = args.out or ROOT / "docs" / ("report-summary.png" if args.summary else "report.png")
    with tempfile.TemporaryDirectory() as tmp:
        run = args.run or write_run(Path(tmp) / "run", three_vendors())
        report = write_report([run], out=Path(tmp) / "report").report
        (summary_page if args.summary else screenshot)(report, target)
    print(target)


if __name__ == "__main__":
    main()
