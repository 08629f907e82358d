"""results.json while a run goes on: every finished scenario is in results.jsonl at once (synced once a second),
results.json is rewritten at most once a second and at the end, and reading the run at any moment
(load_results) gives every finished scenario."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from lerconf import runlog
from lerconf.runlog import RunLog, load_results


def _scenario(i: int) -> dict[str, object]:
    return {"id": f"f::s{i}::A", "name": f"s{i}", "vendor": "A", "status": "passed", "reason": "", "evidence": {"x": "y" * 500}}


def test_results_json_is_not_rewritten_for_every_scenario(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    writes = []
    real = RunLog._write

    def counting(self: RunLog) -> None:
        writes.append(len(self.scenarios))
        real(self)

    monkeypatch.setattr(RunLog, "_write", counting)
    log = RunLog.start(tmp_path, run_id="r", command=[], vendors=[{"name": "A"}])
    for i in range(500):
        log.add(_scenario(i))
    assert len(writes) < 50, f"results.json rewritten {len(writes)} times for 500 scenarios (quadratic in the run's size)"
    assert len((tmp_path / "results.jsonl").read_text().splitlines()) == 500, "each scenario is on disk at once"
    assert len(load_results(tmp_path / "results.json")["scenarios"]) == 500, "a reader mid-run sees every finished scenario"
    log.finish()
    final = json.loads((tmp_path / "results.json").read_text())
    assert len(final["scenarios"]) == 500 and final["run"]["complete"] is True


def test_a_slow_run_keeps_results_json_current(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Scenarios a second apart (the usual pace) each still reach results.json as they finish."""
    monkeypatch.setattr(runlog, "WRITE_INTERVAL_S", 0.0)
    log = RunLog.start(tmp_path, run_id="r", command=[], vendors=[{"name": "A"}])
    for i in range(3):
        log.add(_scenario(i))
        assert len(json.loads((tmp_path / "results.json").read_text())["scenarios"]) == i + 1


def test_flush_writes_the_run_fields_at_once(tmp_path: Path) -> None:
    log = RunLog.start(tmp_path, run_id="r", command=[], vendors=[{"name": "A"}])
    log.add(_scenario(0))
    log.run["selection"] = {"keyword": "k", "tags": "", "roles": []}
    log.flush()
    assert json.loads((tmp_path / "results.json").read_text())["run"]["selection"]["keyword"] == "k"


def test_a_complete_run_is_read_from_results_json_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """results.jsonl is the write-ahead log: read back only for a run that did not finish (killed), not
    parsed a second time for a finished one; both readings give the same scenarios."""
    log = RunLog.start(tmp_path, run_id="r", command=[], vendors=[{"name": "A"}])
    for i in range(3):
        log.add(_scenario(i))
    unfinished = load_results(tmp_path)
    log.finish()
    parsed: list[str] = []
    real = json.loads

    def counting(text: str | bytes, *args: object, **kwargs: object) -> object:
        parsed.append("jsonl" if isinstance(text, str) and text.startswith('{"id"') else "json")
        return real(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(runlog.json, "loads", counting)
    finished = load_results(tmp_path)
    assert parsed == ["json"]
    assert [s["id"] for s in finished["scenarios"]] == [s["id"] for s in unfinished["scenarios"]] == \
        [f"f::s{i}::A" for i in range(3)]


def test_results_jsonl_is_synced_once_a_second_and_at_the_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every line reaches the file at once (a reader sees it); the disk sync is bounded, not one per scenario."""
    synced: list[int] = []
    real = runlog.os.fsync
    monkeypatch.setattr(runlog.os, "fsync", lambda fd: synced.append(fd) or real(fd))
    log = RunLog.start(tmp_path, run_id="r", command=[], vendors=[{"name": "A"}])
    for i in range(200):
        log.add(_scenario(i))
        assert len((tmp_path / "results.jsonl").read_text().splitlines()) == i + 1
    assert 1 <= len(synced) < 10, f"{len(synced)} syncs for 200 scenarios added within a moment"
    before = len(synced)
    log.finish()
    assert len(synced) == before + 1, "the run's end syncs what the last second added"
