"""`lerconf run` ends with a report, and with --baseline fails only on regressions.

pytest.main is replaced by a stand-in that writes a known results.json, so these tests check
the runner's wiring, not the scenarios (test_report_real_run.py runs real ones).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from _report_data import results, scenario, vendor, write_run

from lerconf.errors import LerconfError
from lerconf.run.runner import RunOptions, run


@pytest.fixture
def fake_pytest(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    calls: list[list[str]] = []

    def main(args: list[str]) -> int:
        calls.append(args)
        run_dir = Path(next(a for a in args if a.startswith("--lerconf-run-dir=")).split("=", 1)[1])
        write_run(run_dir, results([vendor("A")], [scenario("known", "A", status="failed"), scenario("ok", "A")]))
        return 1

    monkeypatch.setattr(pytest, "main", main)
    return calls


def _baseline(tmp_path: Path, ids: list[str]) -> Path:
    path = tmp_path / "expected.yaml"
    path.write_text("".join(f"- id: '{i}'\n  reason: tracked\n" for i in ids) or "[]\n", encoding="utf-8")
    return path


def test_run_writes_report_and_fails_on_must_failure(tmp_path: Path, fake_pytest: Any) -> None:
    code, run_dir = run(RunOptions(out=tmp_path / "out"))
    assert code == 1 and (run_dir / "report.html").is_file()


def test_run_with_baseline_passes_when_failures_are_known(tmp_path: Path, fake_pytest: Any) -> None:
    code, run_dir = run(RunOptions(out=tmp_path / "out", baseline=_baseline(tmp_path, ["issuer/test.feature::known"])))
    assert code == 0
    assert "Known failures, still failing (1)" in (run_dir / "report.html").read_text(encoding="utf-8")


def test_run_with_baseline_fails_on_regression(tmp_path: Path, fake_pytest: Any) -> None:
    code, _ = run(RunOptions(out=tmp_path / "out", baseline=_baseline(tmp_path, [])))
    assert code == 1


def test_bad_baseline_fails_before_any_scenario(tmp_path: Path, fake_pytest: list[list[str]]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("{nope: [", encoding="utf-8")
    with pytest.raises(LerconfError):
        run(RunOptions(out=tmp_path / "out", baseline=bad))
    assert fake_pytest == []


def test_ctrl_c_as_pytest_ends_the_session_keeps_what_was_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """SIGINT can land after the scenarios, while pytest finishes the session (outside its own Ctrl-C
    handling): the run ends as interrupted, with its report and the message saying where the results are."""
    def main(args: list[str]) -> int:
        run_dir = Path(next(a for a in args if a.startswith("--lerconf-run-dir=")).split("=", 1)[1])
        write_run(run_dir, results([vendor("A")], [scenario("ok", "A")]))
        raise KeyboardInterrupt

    monkeypatch.setattr(pytest, "main", main)
    code, run_dir = run(RunOptions(out=tmp_path / "out"))
    assert code == 130 and (run_dir / "report.html").is_file()
    assert f"interrupted; partial results in {run_dir / 'results.json'}" in capsys.readouterr().err


def test_ctrl_c_while_the_report_is_written_says_where_the_results_are(
        tmp_path: Path, fake_pytest: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import lerconf.reports

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(lerconf.reports, "write_report", interrupted)
    code, run_dir = run(RunOptions(out=tmp_path / "out"))
    assert code == 130 and (run_dir / "results.json").is_file() and not (run_dir / "report.html").exists()
    assert f"interrupted while writing the report; the results are in {run_dir / 'results.json'}" in capsys.readouterr().err


def test_ctrl_c_while_pytest_starts_leaves_no_empty_run_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    def main(args: list[str]) -> int:
        raise KeyboardInterrupt  # before the plugin wrote anything

    monkeypatch.setattr(pytest, "main", main)
    code, run_dir = run(RunOptions(out=tmp_path / "out"))
    assert code == 130 and not run_dir.exists()
    assert not (tmp_path / "out" / "latest").exists(), "latest no longer points at a run that never was"
    assert "interrupted before any scenario ran; nothing written" in capsys.readouterr().err
