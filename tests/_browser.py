"""The system Chromium the browser tests drive (never a downloaded build): CI must have it
(.ci/run installs it), so there a missing one is an error; elsewhere the tests are skipped."""
from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if os.environ.get("CI") and CHROMIUM is None:  # a missing browser in CI is a CI fault, never a skip
    raise RuntimeError("CI=true but no system chromium: .ci/run must apt-get install chromium")
playwright_api = pytest.importorskip("playwright.sync_api")
#: the pytestmark of a browser test module
BROWSER_MARKS = [pytest.mark.slow,
                 pytest.mark.skipif(CHROMIUM is None, reason="no system chromium (apt-get install -y chromium)")]
