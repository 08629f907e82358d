"""Scenario ids in results.json are unique within a run (baselines and reports key on them)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import cli_in_process

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


def test_scenario_ids_are_unique(tmp_path: Path) -> None:
    done = cli_in_process("run", "--out", str(tmp_path), "--role", "issuer", env={"CI": "true"}, cwd=REPO)
    results = json.loads((tmp_path / "latest" / "results.json").read_text())
    ids = [s["id"] for s in results["scenarios"]]
    assert len(ids) > 40, done.stderr[-2000:]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_runs_started_in_the_same_second_get_directories_of_their_own(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A script or service calling ``run`` twice within one second (same time, same process) used to
    fail on the first run's directory."""
    from lerconf.run import runner

    monkeypatch.setattr(runner, "new_run_id", lambda: "20261206T085155Z-4242")
    made = [runner.new_run_dir(tmp_path / "reports") for _ in range(3)]
    assert [p.name for p in made] == ["20261206T085155Z-4242", "20261206T085155Z-4242-2", "20261206T085155Z-4242-3"]
    assert all(p.is_dir() and not any(p.iterdir()) for p in made)


def test_two_runs_in_the_same_second_both_write_their_results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            shared_data_env: None) -> None:
    from lerconf.run import runner

    monkeypatch.setattr(runner, "new_run_id", lambda: "20261206T085155Z-4242")
    options = runner.RunOptions(out=tmp_path / "reports", keyword="verifies_a_valid_badge and eddsa-rdfc-2022 and "
                                "not tampered and not presentation")
    dirs = [runner.run(options)[1] for _ in range(2)]
    assert [d.name for d in dirs] == ["20261206T085155Z-4242", "20261206T085155Z-4242-2"]
    assert all((d / "results.json").is_file() for d in dirs)
