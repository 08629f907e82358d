"""The operator page in the system Chromium, at a phone's width: a guided step (step i of n, one
sentence, the badge's links, the questions, one screenshot control), the live timeline filling as
lerconf's endpoints receive requests, answers sent by clicking, no script errors, nothing fetched
from anywhere but loopback. Leaves a screenshot of the page."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from _browser import BROWSER_MARKS, CHROMIUM, playwright_api

from lerconf.clients.manual.page import PageServer, start_page
from lerconf.clients.manual.session import Link, ManualSession, Question
from lerconf.refimpl.display import publish
from lerconf.refimpl.server import RunningReference, running_reference
from lerconf.refimpl.wire import wire_of

pytestmark = BROWSER_MARKS

QUESTIONS = (Question("form", "Which did you open in it?", (("link", "the link"), ("png", "the baked PNG"))),
             Question("name", "The badge name", (("same", "shown, the same as lerconf issued"), ("missing", "not shown")),
                      "Confined Space Entry — Level 2 (badge A)"),
             Question("status", "The status it showed for this badge",
                      (("valid", "valid / verified"), ("expired", "expired"), ("revoked", "revoked"))))


@pytest.fixture
def served() -> Iterator[tuple[PageServer, RunningReference]]:
    with running_reference() as reference:
        server = start_page(ManualSession())
        try:
            yield server, reference
        finally:
            server.stop()


def test_the_guided_step_in_a_narrow_window(served: tuple[PageServer, RunningReference], tmp_path: Path) -> None:
    page_server, reference = served
    session = page_server.session
    session.plan(6)
    path = publish(reference.state, "badge.json", b"{}", "application/vc+ld+json")
    link = reference.base_url + path
    step = session.begin("attest", "Open badge A in the displayer",
                         "Open badge A in the displayer with one of the links below, then say what it shows.",
                         timeout_s=60, wire=wire_of(reference.state), questions=QUESTIONS,
                         links=(Link("the link", link), Link("the baked PNG", link)))
    log: dict[str, list[str]] = {"console": [], "errors": [], "requests": []}
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport={"width": 390, "height": 1100})
        context.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).hostname == "127.0.0.1"
                      else route.abort())
        page = context.new_page()
        page.on("console", lambda m: log["console"].append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: log["errors"].append(str(e)))
        page.on("request", lambda r: log["requests"].append(r.url))
        page.goto(page_server.url)
        assert page.locator(".progress").inner_text() == "Step 1 of 6"
        assert page.locator("input[type=file]").count() == 1
        assert page.locator("#timeline li").inner_text() == "nothing received yet"
        with httpx.Client(trust_env=False) as client:  # the displayer opens the badge's link
            assert client.get(link).status_code == 200
        page.locator("#timeline li", has_text="GET /display/").wait_for(timeout=5000)  # the page's own poll shows it
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
        page.screenshot(path=str(tmp_path / "operator-page.png"), full_page=True)
        assert (tmp_path / "operator-page.png").stat().st_size > 10_000
        page.get_by_label("the link").check()
        page.get_by_label("shown, the same as lerconf issued").check()
        page.get_by_label("revoked").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Send what the screen showed").click()
        problem = page.locator("[role=alert]").all_inner_texts()
        refused = "cross-origin post refused" in page.content()  # the page's own post must pass its Origin check
        browser.close()
    assert not problem and not refused, problem
    assert step.ended == "reported" and step.answers == {"form": "link", "name": "same", "status": "revoked"}
    assert not log["errors"] and not log["console"], log
    assert all(urlsplit(u).hostname == "127.0.0.1" for u in log["requests"]), log["requests"]
