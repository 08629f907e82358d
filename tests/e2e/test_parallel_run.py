"""`lerconf run -n N`: the selection in N worker processes, one run directory with the verdicts of a
sequential run; a worker that dies takes only its own part down; what cannot be split is refused."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import shared_env
from lerconf.run import parallel
from lerconf.run.cli import main
from lerconf.run.runner import RunOptions, run
from lerconf.shards import Shard

pytestmark = pytest.mark.usefixtures("shared_data_env")
SELECTION = ["--role", "holder", "--role", "wallet"]


def _lerconf(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "lerconf.run.cli", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, env={**os.environ, "CI": "true", **shared_env()})


def _results(out: Path) -> dict[str, Any]:
    return dict(json.loads((out / "latest" / "results.json").read_text()))


@pytest.mark.slow
def test_two_workers_give_the_verdicts_of_a_sequential_run(tmp_path: Path) -> None:
    sequential = _lerconf("run", "--out", str(tmp_path / "one"), *SELECTION, cwd=tmp_path)
    assert sequential.returncode == 0, sequential.stdout[-2000:] + sequential.stderr[-2000:]
    parallel_run = _lerconf("run", "-n", "2", "--out", str(tmp_path / "two"), *SELECTION, cwd=tmp_path)
    assert parallel_run.returncode == 0, parallel_run.stdout[-2000:] + parallel_run.stderr[-2000:]

    expected, got = _results(tmp_path / "one"), _results(tmp_path / "two")
    assert [(s["id"], s["status"], s["reason"]) for s in got["scenarios"]] == \
        [(s["id"], s["status"], s["reason"]) for s in expected["scenarios"]]
    assert got["run"]["complete"] and [s["index"] for s in got["run"]["shards"]] == [1, 2]
    assert got["run"]["id"] == (tmp_path / "two" / "latest").resolve().name
    # one line per scenario on the parent's console, counted over both workers, as a sequential run prints
    ran = [s for s in expected["scenarios"] if not s["reason"].startswith("role ")]
    lines = [line for line in parallel_run.stdout.splitlines() if line.startswith("[")]
    assert len(lines) == len(ran) and lines[-1].startswith(f"[{len(ran)}/{len(ran)}]")
    # the embedded reference's wallet keeps each scenario apart (isolation: scenario): both workers ran
    # wallet scenarios at once, each against its own reference (tests/e2e/test_served_vendor.py: one served
    # wallet for both workers)
    run_dir = (tmp_path / "two" / "latest").resolve()
    holding = []
    for worker in sorted((run_dir / "workers").iterdir()):
        scenarios = json.loads(((worker / "latest").resolve() / "results.json").read_text())["scenarios"]
        if any(s["role"] == "wallet" and s["status"] != "skipped" for s in scenarios):
            holding.append(worker.name)
    assert holding == ["1", "2"], holding
    assert (run_dir / "report.html").is_file() and (run_dir / "junit.xml").is_file()


def test_a_worker_that_dies_takes_only_its_part_down(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """Worker 2 exits at once with nothing written: worker 1's scenarios are kept, the run is marked
    incomplete, and the exit code (2) and the message name the dead worker's output."""
    real = parallel.worker_argv

    def argv(options: RunOptions, shard: Shard, out: Path) -> list[str]:
        if shard.index == 2:
            return [sys.executable, "-c", "import sys; print('worker crashed'); sys.exit(3)"]
        return real(options, shard, out)

    monkeypatch.setattr(parallel, "worker_argv", argv)
    code, run_dir = run(RunOptions(roles=["holder"], out=tmp_path, workers=2, preflight=False))
    assert code == 2
    results = json.loads((run_dir / "results.json").read_text())
    assert not results["run"]["complete"]
    assert [s["complete"] for s in results["run"]["shards"]] == [True, False]
    assert any(s["role"] == "holder" and s["status"] == "passed" for s in results["scenarios"])
    err = capsys.readouterr().err
    assert "a worker ended without finishing its part" in err and "workers/2/worker.log" in err
    assert "worker crashed" in (run_dir / "workers" / "2" / "worker.log").read_text()


@pytest.mark.parametrize(("extra", "message"), [
    (["--record"], "recorded or replayed run"),
    (["--shard", "1/2"], "-n with --shard"),
    (["--port", "18999"], "fixed --port"),
])
def test_what_cannot_be_split_is_refused_before_anything_runs(tmp_path: Path, extra: list[str], message: str,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "-n", "2", "--role", "holder", "--out", str(tmp_path / "out"), *extra]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize("value", ["0", "65", "two", "-1"])
def test_a_bad_worker_count_is_a_usage_error(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["run", "-n", value])
    assert exit_info.value.code == 2 and "number of workers" in capsys.readouterr().err


@pytest.mark.parametrize(("section", "said"), [
    ({"displayer": {"open": "a screen"}}, "displayer is tested by hand"),
    ({"page_verifier": {"open": "a page"}}, "page verifier is tested by hand"),
    ({"ob_consumer": {"by_hand": {"open": "a backpack"}, "apis": ["ob"],
                      "claims": {"operations": ["read"], "formats": []}}}, "OB API consumer is driven by hand"),
    ({"ob_provider": {"base_url": "https://host.example", "apis": ["ob"], "options": {"login": "person"},
                      "claims": {"operations": ["read"], "formats": []}}},
     "login at the authorization server is done by hand"),
])
def test_a_person_driven_part_is_not_split_over_workers(tmp_path: Path, section: dict[str, Any], said: str,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    profile = tmp_path / "by-hand.json"
    profile.write_text(json.dumps({"name": "By hand", **section}), encoding="utf-8")
    assert main(["run", "-n", "2", "--vendor", str(profile), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert said in err and "one operator, one page" in err
