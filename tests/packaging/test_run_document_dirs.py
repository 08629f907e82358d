"""`lerconf run --contexts-dir/--schemas-dir` reach the whole run: the setup check and the pytest
session's document loader (through LERCONF_CONTEXTS_DIR/LERCONF_SCHEMAS_DIR, restored after the
run). pytest.main is replaced by a stand-in that records what the session would have seen, as in
test_report_runner.py; test_installed_wheel.py does the real run from an installed wheel.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from _report_data import results, scenario, vendor, write_run

from conftest import CONTEXTS_DIR, SCHEMAS_DIR
from lerconf.documents.loader import LoaderSettings
from lerconf.errors import LerconfError
from lerconf.run.cli import build_parser, main
from lerconf.run.runner import RunOptions, run

VARIABLES = ("LERCONF_CONTEXTS_DIR", "LERCONF_SCHEMAS_DIR", "LERCONF_OFFLINE", "LERCONF_URL_MAP")


@pytest.fixture
def bare_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No shared directories in the environment, an empty cache: only the flags can supply contexts."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LERCONF_CACHE_DIR", str(tmp_path / "empty-cache"))


@pytest.fixture
def session_view(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What each (stand-in) pytest session saw: its LERCONF_* variables and LoaderSettings.from_env()."""
    seen: list[dict[str, Any]] = []

    def fake_main(args: list[str]) -> int:
        settings = LoaderSettings.from_env()
        seen.append({"env": {k: os.environ.get(k) for k in VARIABLES},
                     "contexts": settings.context_dirs, "schemas": settings.schema_dirs, "offline": settings.offline})
        run_dir = Path(next(a for a in args if a.startswith("--lerconf-run-dir=")).split("=", 1)[1])
        write_run(run_dir, results([vendor("A")], [scenario("ok", "A")]))
        return 0

    monkeypatch.setattr(pytest, "main", fake_main)
    return seen


def test_without_dirs_the_setup_check_fails(bare_env: None, session_view: list[dict[str, Any]], tmp_path: Path) -> None:
    with pytest.raises(LerconfError, match="not available offline"):
        run(RunOptions(out=tmp_path / "out", offline=True))
    assert session_view == []


def test_dirs_reach_the_setup_check_and_the_session(bare_env: None, session_view: list[dict[str, Any]], tmp_path: Path) -> None:
    code, run_dir = run(RunOptions(out=tmp_path / "out", offline=True,
                                   contexts_dirs=[CONTEXTS_DIR], schemas_dirs=[SCHEMAS_DIR]))
    assert code == 0 and (run_dir / "report.html").is_file()
    [view] = session_view
    assert view["contexts"] == (CONTEXTS_DIR.resolve(),) and view["schemas"] == (SCHEMAS_DIR.resolve(),)
    assert view["offline"] is True
    # restored: the run's settings do not outlive it
    assert {k: os.environ.get(k) for k in VARIABLES} == dict.fromkeys(VARIABLES)


def test_flag_dirs_come_before_the_environment_ones(monkeypatch: pytest.MonkeyPatch, session_view: list[dict[str, Any]],
                                                    tmp_path: Path) -> None:
    other = tmp_path / "more-contexts"
    other.mkdir()
    monkeypatch.setenv("LERCONF_CONTEXTS_DIR", str(CONTEXTS_DIR))
    monkeypatch.setenv("LERCONF_SCHEMAS_DIR", str(SCHEMAS_DIR))
    assert main(["run", "--out", str(tmp_path / "out"), "--contexts-dir", str(other), "--contexts-dir", str(other)]) == 0
    [view] = session_view
    assert view["contexts"] == (other.resolve(), other.resolve(), CONTEXTS_DIR)
    assert view["env"]["LERCONF_CONTEXTS_DIR"] == os.pathsep.join([str(other.resolve())] * 2 + [str(CONTEXTS_DIR)])
    assert os.environ["LERCONF_CONTEXTS_DIR"] == str(CONTEXTS_DIR)


def test_cli_flags_reach_the_run(bare_env: None, session_view: list[dict[str, Any]], tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["run", "--offline", "--out", str(tmp_path / "out"),
                 "--contexts-dir", str(CONTEXTS_DIR), "--schemas-dir", str(SCHEMAS_DIR)])
    assert code == 0, capsys.readouterr().err
    [view] = session_view
    assert view["contexts"] == (CONTEXTS_DIR.resolve(),) and view["schemas"] == (SCHEMAS_DIR.resolve(),)
    assert "LERCONF_CONTEXTS_DIR" not in os.environ


@pytest.mark.parametrize("flag", ["--contexts-dir", "--schemas-dir"])
def test_a_missing_dir_is_a_usage_error(flag: str, session_view: list[dict[str, Any]], tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "typo"
    assert main(["run", "--out", str(tmp_path / "out"), flag, str(missing)]) == 2
    assert f"{flag} {missing}: no such directory" in capsys.readouterr().err
    assert session_view == [] and not (tmp_path / "out").exists()


def test_a_file_is_not_a_dir(session_view: list[dict[str, Any]], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    afile = tmp_path / "contexts.json"
    afile.write_text("{}")
    assert main(["verify", "--contexts-dir", str(afile), "-"]) == 2
    assert f"--contexts-dir {afile}: not a directory" in capsys.readouterr().err


def test_run_and_verify_take_the_same_dir_flags() -> None:
    parser = build_parser()
    for command in ("run", "verify", "serve"):
        args = parser.parse_args([command, *(["x"] if command == "verify" else []),
                                  "--contexts-dir", "a", "--contexts-dir", "b", "--schemas-dir", "c"])
        assert args.contexts_dir == [Path("a"), Path("b")] and args.schemas_dir == [Path("c")], command


def test_run_help_lists_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    text = capsys.readouterr().out
    epilog = text[text.index("exit codes:"):]
    for code in ("0", "1", "2", "130"):
        assert any(line.strip().startswith(code + " ") for line in epilog.splitlines()), code
    assert "no claimed MUST scenario failed or broke" in epilog and "--baseline" in epilog
