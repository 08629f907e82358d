"""`lerconf report --allure`: a single-file Allure report from a small real run (a copy of the
session's shared one, tests/_shared_runs.py), built offline
by the pinned npm `allure` package (allure2 plugin, singleFile), with no analytics in it.

The pinned package is installed once per lock file into the lerconf cache (`npm ci`), so only
the first test of a fresh cache pays for it. Without Node.js the command says how to get it,
exits 2, and report.html is still written.
"""
from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from _shared_runs import SharedRun, copy_of

from lerconf.reports.allure_html import OUTPUT_NAME, install_dir

pytestmark = pytest.mark.slow
NODE = shutil.which("node") and shutil.which("npm")
if os.environ.get("CI") and not NODE:  # .ci/run installs Node.js: a missing one is a CI fault
    raise RuntimeError("CI=true but no node/npm on PATH: .ci/run must install nodejs and npm")
needs_node = pytest.mark.skipif(not NODE, reason="no Node.js/npm (apt-get install nodejs npm)")
ANALYTICS_HOSTS = re.compile(r"googletagmanager|google-analytics|gtag\(|doubleclick|analytics\.google", re.IGNORECASE)


def _lerconf(*args: str, env: dict[str, str] | None = None, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "lerconf.run.cli", *args], capture_output=True, text=True,
                          timeout=timeout, check=False, env=env or {**os.environ, "CI": "1"})


@pytest.fixture(scope="module")
def run_dir(small_reference_run: SharedRun, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the session's shared small run (tests/conftest.py: `-k SMALL_SELECTION`, CI=1): the
    --allure report is written into the run directory."""
    proc = small_reference_run
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    dirs = [d for d in proc.out.iterdir() if d.is_dir() and not d.is_symlink()]
    assert len(dirs) == 1
    return copy_of(dirs[0], tmp_path_factory.mktemp("allure-runs") / dirs[0].name)


@pytest.fixture(scope="module")
def allure_report(run_dir: Path) -> Path:
    if not NODE:
        pytest.skip("no Node.js/npm (apt-get install nodejs npm)")
    proc = _lerconf("report", str(run_dir), "--allure")
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    assert f"Allure report: {run_dir / OUTPUT_NAME}" in proc.stdout
    return run_dir / OUTPUT_NAME


def _decoded(html: str) -> str:
    """The report inlines its scripts as data: URIs and its data as d("path", "<base64>") calls."""
    chunks = re.findall(r"data:[\w/+.-]+;base64,([A-Za-z0-9+/=]+)", html)
    chunks += re.findall(r'd\("[^"]+",\s*"([A-Za-z0-9+/=]+)"\)', html)
    return "\n".join(base64.b64decode(c).decode("utf-8", "replace") for c in chunks)


@needs_node
def test_one_self_contained_file_with_the_scenarios(allure_report: Path, run_dir: Path) -> None:
    assert allure_report.is_file() and (run_dir / "report.html").is_file()
    assert not (run_dir / "allure-report").exists()  # no report folder, only the one file
    html = allure_report.read_text(encoding="utf-8")
    assert html.lstrip().startswith("<!DOCTYPE html>") and "window.reportDataReady" in html
    # nothing is loaded from elsewhere: every script and style is inline or a data: URI
    assert re.findall(r"""(?:src|href)\s*=\s*["']?(?!data:)[a-z]+:""", html, re.IGNORECASE) == []
    decoded = _decoded(html)
    names = {s["name"] for s in json.loads((run_dir / "results.json").read_text(encoding="utf-8"))["scenarios"]}
    assert len(names) >= 3
    missing = [n for n in names if json.dumps(n)[1:-1] not in decoded]
    assert missing == []
    assert "lerconf reference implementation" in decoded  # parentSuite = vendor


@needs_node
def test_no_analytics(allure_report: Path) -> None:
    html = allure_report.read_text(encoding="utf-8")
    assert ANALYTICS_HOSTS.search(html) is None
    assert ANALYTICS_HOSTS.search(_decoded(html)) is None
    # the pinned plugin still honours the switch lerconf sets (a future pin must keep it)
    plugin = install_dir() / "node_modules" / "@allurereport" / "plugin-allure2" / "dist" / "generators.js"
    assert "process.env.ALLURE_NO_ANALYTICS" in plugin.read_text(encoding="utf-8")


@needs_node
def test_opens_offline_in_chromium(allure_report: Path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("no system chromium (apt-get install -y chromium)")
    api = pytest.importorskip("playwright.sync_api")
    log: dict[str, list[str]] = {"requests": [], "errors": []}
    with api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            context = browser.new_context(viewport={"width": 1300, "height": 1000}, offline=True)
            page = context.new_page()
            page.on("pageerror", lambda e: log["errors"].append(str(e)))
            page.on("request", lambda r: log["requests"].append(r.url))
            url = allure_report.as_uri()
            context.route("**/*", lambda route: route.continue_() if route.request.url == url else route.abort())
            page.goto(url + "#suites")
            page.wait_for_selector("text=lerconf reference implementation", timeout=30_000)
        finally:
            browser.close()
    assert log["errors"] == []
    assert set(log["requests"]) == {allure_report.as_uri()}


def test_without_node_says_how_to_get_it(run_dir: Path, tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    out = tmp_path / "out"
    env = {**os.environ, "PATH": str(empty)}
    proc = _lerconf("report", str(run_dir), "--out", str(out), "--allure", env=env)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "`node` not found" in proc.stderr and "Node.js >= 20" in proc.stderr
    assert "apt-get install nodejs npm" in proc.stderr and "report.html does not" in proc.stderr
    assert (out / "report.html").is_file() and not (out / OUTPUT_NAME).exists()
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "lerconf reference implementation" in html


def test_too_old_node_says_so(run_dir: Path, tmp_path: Path) -> None:
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "node").write_text("#!/bin/sh\necho v18.19.1\n")
    (fake / "node").chmod(0o755)
    env = {**os.environ, "PATH": str(fake)}
    proc = _lerconf("report", str(run_dir), "--out", str(tmp_path / "out"), "--allure", env=env)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Node.js 18.19.1" in proc.stderr and "is too old" in proc.stderr and "20.19" in proc.stderr
    assert (tmp_path / "out" / "report.html").is_file() and not (tmp_path / "out" / OUTPUT_NAME).exists()
