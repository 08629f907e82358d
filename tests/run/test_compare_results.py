"""tools/compare_results.py: two runs with the same scenarios compare equal; a changed status,
changed requirement ids or a lost scenario make it exit 1 and say which."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

TOOL = Path(__file__).resolve().parents[2] / "tools" / "compare_results.py"


def _write(path: Path, scenarios: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"scenarios": scenarios}), encoding="utf-8")
    return path


def _scenario(sid: str, status: str = "passed", ids: tuple[str, ...] = ("DI-15",)) -> dict[str, Any]:
    return {"id": sid, "status": status, "requirement_ids": list(ids)}


def _compare(before: Path, after: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(TOOL), str(before), str(after)], capture_output=True, text=True, timeout=60)


def test_equal_runs_compare_equal(tmp_path: Path) -> None:
    run = _write(tmp_path / "a.json", [_scenario("s1"), _scenario("s2", "skipped")])
    proc = _compare(run, run)
    assert proc.returncode == 0 and "0 changed" in proc.stdout


def test_a_changed_status_a_changed_id_and_a_lost_scenario_are_reported(tmp_path: Path) -> None:
    before = _write(tmp_path / "a.json", [_scenario("s1"), _scenario("s2"), _scenario("s3")])
    after = _write(tmp_path / "b.json", [_scenario("s1", "failed"), _scenario("s2", ids=("DI-14",))])
    proc = _compare(before, after)
    assert proc.returncode == 1
    assert "changed:     s1" in proc.stdout and "changed:     s2" in proc.stdout and "only before: s3" in proc.stdout
