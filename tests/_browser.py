"""The system Chromium the browser tests drive (never a downloaded build): CI must have it
(.ci/run installs it), so there a missing one is an error; elsewhere the tests are skipped."""
from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if os.environ.get("CI") and CHROMIUM is None:  # a missing browser in CI is a CI fault, never a skip
    raise RuntimeError("CI=true but no system chromium: .ci/run must apt-get install chromium")
if os.environ.get("CI"):  # the test extra installs playwright: in CI its absence is an error, never a skip
    import playwright.sync_api as playwright_api
else:
    playwright_api = pytest.importorskip("playwright.sync_api")
#: the pytestmark of a browser test module
BROWSER_MARKS = [pytest.mark.slow,
                 pytest.mark.skipif(CHROMIUM is None, reason="no system chromium (apt-get install -y chromium)")]


@contextmanager
def offline_page(start: Path, allowed: Callable[[str], bool]) -> Iterator[tuple[Any, dict[str, list[str]]]]:
    """The system Chromium, offline, on ``start`` (a file): console errors/warnings, page errors and every
    request are logged; a request ``allowed`` refuses is aborted (nothing reaches the network)."""
    log: dict[str, list[str]] = {"console": [], "requests": [], "errors": []}
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        context = browser.new_context(viewport={"width": 1300, "height": 1000}, offline=True)
        page = context.new_page()
        page.on("console", lambda m: log["console"].append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: log["errors"].append(str(e)))
        page.on("request", lambda r: log["requests"].append(r.url))
        context.route("**/*", lambda route: route.continue_() if allowed(route.request.url) else route.abort())
        page.goto(start.as_uri())
        page.wait_for_load_state("load")
        try:
            yield page, log
        finally:
            browser.close()
