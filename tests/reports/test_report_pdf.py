"""Issue 17 (point 8): `lerconf report RUN --pdf` from a small real run, printed by the system Chromium.

A real `lerconf run` (a small selection against the embedded reference), then `lerconf report
--pdf`; the PDF's text is read with pypdf (pure Python). The first page is the executive summary and
only it: the next heading of the report ("Summary", the per-vendor cards) is on page two.
Needs a system Chromium (`apt-get install chromium`; CI installs it in .ci/run).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pypdf
import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if os.environ.get("CI") and CHROMIUM is None:  # CI installs chromium (.ci/run): a missing one is a CI fault
    raise RuntimeError("CI=true but no system chromium: .ci/run must apt-get install chromium")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None, reason="no system chromium (apt-get install -y chromium)")]
SELECTION = "returns_201 or verifies_a_valid_badge"
VENDOR = "lerconf reference implementation"


def _lerconf(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "lerconf.run.cli", *args], capture_output=True, text=True, timeout=300,
                          check=False, env={**os.environ, "CI": "1"})


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    out = tmp_path_factory.mktemp("runs")
    proc = _lerconf("run", "--out", str(out), "-k", SELECTION)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    run = next(d for d in out.iterdir() if d.is_dir() and not d.is_symlink())
    target = tmp_path_factory.mktemp("pdf") / "summary.pdf"
    proc = _lerconf("report", str(run), "--pdf", str(target))
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert f"lerconf: PDF: {target}" in proc.stdout
    pages = [unicodedata.normalize("NFKC", page.extract_text()) for page in pypdf.PdfReader(target).pages]
    return target, pages


def test_the_pdf_has_the_summary_then_the_evidence(pdf: tuple[Path, list[str]]) -> None:
    path, pages = pdf
    assert path.read_bytes().startswith(b"%PDF-")
    assert len(pages) > 1
    assert all(page.strip() for page in pages)  # every page has text (not a blank or an image)


def test_the_first_page_is_the_executive_summary_alone(pdf: tuple[Path, list[str]]) -> None:
    _, pages = pdf
    first, second = pages[0], pages[1]
    assert "Executive summary" in first and VENDOR in first
    for text in ("No claimed MUST scenario failed or broke", "MUST pass rate", "Top failing requirements", "Scope",
                 f"-k {SELECTION}", "The technical evidence follows"):
        assert text in first, text
    lines = [line.strip() for line in first.splitlines()]
    assert "Summary" not in lines and "Scorecard" not in first  # the next heading is not on page one ...
    assert "Summary" in [line.strip() for line in second.splitlines()]  # ... but opens page two
    assert "Executive summary" not in "".join(pages[1:])
