"""A recording is input like any other (issue 17 point 5): a recording changed since its run (whose
results.json pins every file) is refused; names that point outside it are a usage error naming them;
where nothing pins it, a damaged tape breaks its own scenario, with the reason, and every other
scenario is replayed as recorded. Tape files are readable by their owner only."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from lerconf.run.cli import EXIT_USAGE, main
from lerconf.runlog import load_results

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_data_env")]


def _recorded(tmp_path: Path) -> Path:
    assert main(["run", "--record", "--role", "issuer", "-k", "returns_201", "--out", str(tmp_path / "rec")]) == 0
    return (tmp_path / "rec" / "latest").resolve()


def test_damaged_recordings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_dir = _recorded(tmp_path)
    recording = run_dir / "recording"
    index = json.loads((recording / "index.json").read_text(encoding="utf-8"))
    assert len(index) >= 5
    assert all(p.stat().st_mode & 0o077 == 0 for p in recording.rglob("*.json"))
    recorded = {s["id"]: s for s in load_results(run_dir / "results.json")["scenarios"]}
    last_tape = list(index.values())[-1]
    (recording / last_tape).write_text("{not json", encoding="utf-8")
    # the run's results.json pins every file of the recording: a changed one is refused before anything runs
    capsys.readouterr()
    assert main(["replay", str(run_dir), "--out", str(tmp_path / "refused")]) == EXIT_USAGE
    assert f"changed since its run ({last_tape})" in capsys.readouterr().err
    assert not (tmp_path / "refused").exists()
    # a run that did not finish pins nothing: the damaged tape breaks its own scenario, every other one replays
    results = json.loads((run_dir / "results.json").read_text(encoding="utf-8"))
    results["run"].pop("recording")
    (run_dir / "results.json").write_text(json.dumps(results), encoding="utf-8")
    assert main(["replay", str(run_dir), "--out", str(tmp_path / "replay")]) == 1
    replayed = {s["id"]: s for s in load_results((tmp_path / "replay" / "latest").resolve() / "results.json")["scenarios"]}
    broken = [s for s in replayed.values() if s["status"] == "broken"]
    assert len(broken) == 1 and broken[0]["reason"].startswith(f"cannot replay: the recording's tape {last_tape} cannot be read")
    assert sum(1 for i, s in replayed.items() if s["status"] == recorded[i]["status"]) == len(recorded) - 1
    # the first tape damaged: the scenarios that build on what it made (lerconf signs a badge once and judges it
    # in several) say the replay diverged; none is judged on answers that are not theirs
    first_node, first_tape = next(iter(index.items()))
    (recording / first_tape).write_text("[]", encoding="utf-8")
    assert main(["replay", str(run_dir), "--out", str(tmp_path / "replay1")]) == 1
    replayed = {s["id"]: s for s in load_results((tmp_path / "replay1" / "latest").resolve() / "results.json")["scenarios"]}
    assert all(s["status"] == recorded[i]["status"] or s["reason"].startswith(("cannot replay:", "replay diverged:"))
               for i, s in replayed.items()), [s["reason"] for s in replayed.values()]
    assert any(s["reason"].startswith(f"cannot replay: the recording's tape {first_tape} is damaged") for s in replayed.values())
    # a name that leaves the recording: refused before anything runs
    index[first_node] = "../../results.json"
    (recording / "index.json").write_text(json.dumps(index), encoding="utf-8")
    capsys.readouterr()
    assert main(["replay", str(run_dir), "--out", str(tmp_path / "replay2")]) == EXIT_USAGE
    assert "names files outside the recording" in capsys.readouterr().err
    assert not (tmp_path / "replay2").exists()
