"""Scenario ids in results.json are unique within a run (baselines and reports key on them)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import shared_env

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


def test_scenario_ids_are_unique(tmp_path: Path) -> None:
    import os

    done = subprocess.run([sys.executable, "-m", "lerconf.run.cli", "run", "--out", str(tmp_path), "--role", "issuer"],
                          cwd=REPO, capture_output=True, text=True, timeout=600, env={**os.environ, "CI": "true", **shared_env()})
    results = json.loads((tmp_path / "latest" / "results.json").read_text())
    ids = [s["id"] for s in results["scenarios"]]
    assert len(ids) > 40, done.stderr[-2000:]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
