"""Shared fixtures for lerconf's own tests: where the shared data lives, a loader over it."""
from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from lerconf.documents.loader import DocumentLoader, LoaderSettings
from lerconf.verify.engine import Verifier

REPO = Path(__file__).resolve().parent.parent


def _shared_dir(env: str, sub: str) -> Path:
    value = os.environ.get(env)
    if value:
        return Path(value.split(os.pathsep)[0])
    return REPO.parent / "shared" / sub


#: the environment as the session started: a shared run is made with it, whichever test asks first
#: (that test may have changed os.environ with monkeypatch)
_SESSION_ENV = dict(os.environ)
CONTEXTS_DIR = _shared_dir("LERCONF_CONTEXTS_DIR", "contexts")
SCHEMAS_DIR = _shared_dir("LERCONF_SCHEMAS_DIR", "schemas")
VECTORS_DIR = _shared_dir("LERCONF_VECTORS_DIR", "vectors")


def shared_env() -> dict[str, str]:
    """Environment for a `lerconf` subprocess: the shared data directories this run uses."""
    return {"LERCONF_CONTEXTS_DIR": str(CONTEXTS_DIR), "LERCONF_SCHEMAS_DIR": str(SCHEMAS_DIR),
            "LERCONF_VECTORS_DIR": str(VECTORS_DIR)}


@dataclass(frozen=True)
class Ran:
    """What a `lerconf` command returned and printed."""

    returncode: int
    stdout: str
    stderr: str


def cli_in_process(*argv: str, env: dict[str, str] | None = None, unset: tuple[str, ...] = (),
                   cwd: Path | None = None, stdin: str | None = None) -> Ran:
    """`lerconf ARGV` through lerconf.run.cli.main in this process: its exit code and the console a user
    sees, without starting Python again; the shared data directories, ``env`` set and ``unset`` removed
    meanwhile, ``stdin`` what standard input holds. The installed command itself is run as a process by
    tests/e2e/test_ci_console.py."""
    import contextlib
    import io

    from lerconf.run.cli import main

    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        for name in unset:
            patch.delenv(name, raising=False)
        for name, value in {**shared_env(), **(env or {})}.items():
            patch.setenv(name, value)
        if cwd is not None:
            patch.chdir(cwd)
        if stdin is not None:
            patch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8"))
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = main(list(argv))
    return Ran(code, stdout.getvalue(), stderr.getvalue())


@pytest.fixture
def shared_data_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process `lerconf run`s and test vendors read the shared data directories from the environment."""
    for name, value in shared_env().items():
        monkeypatch.setenv(name, value)


def pytest_configure(config: pytest.Config) -> None:
    for path in (CONTEXTS_DIR, SCHEMAS_DIR, VECTORS_DIR):
        if not path.is_dir():
            raise pytest.UsageError(
                f"{path} not found: set LERCONF_CONTEXTS_DIR, LERCONF_SCHEMAS_DIR and LERCONF_VECTORS_DIR "
                "to the shared data directories"
            )


@pytest.fixture(scope="session")
def vectors_dir() -> Path:
    return VECTORS_DIR


@pytest.fixture(scope="session")
def offline_settings(tmp_path_factory: pytest.TempPathFactory) -> LoaderSettings:
    return LoaderSettings(
        context_dirs=(CONTEXTS_DIR,),
        schema_dirs=(SCHEMAS_DIR,),
        cache_dir=tmp_path_factory.mktemp("cache"),
        offline=True,
    )


@pytest.fixture(scope="session")
def loader(offline_settings: LoaderSettings) -> DocumentLoader:
    return DocumentLoader(offline_settings)


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


# -- the embedded reference on loopback, one per test module ----------------------------------------
@pytest.fixture(scope="module")
def ref(offline_settings: LoaderSettings) -> Iterator[Any]:
    from lerconf.refimpl import running_reference

    with running_reference(settings=offline_settings) as running:
        yield running


@pytest.fixture(scope="module")
def client(ref: Any) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=ref.base_url, trust_env=False, timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def harness(ref: Any, offline_settings: LoaderSettings) -> Verifier:
    """lerconf's verifier in the harness process, trusting nothing but the reference's URL map."""
    return Verifier(DocumentLoader(ref.loader_settings(offline_settings)))


# -- `lerconf run`s that several test files judge: made once per test session, shared read-only ------------
def _shared(tmp_path_factory: pytest.TempPathFactory, name: str, argv: list[str], env: dict[str, str],
            cwd: Path | None = None) -> Iterator[Any]:
    from _shared_runs import session_root, shared_run

    made = shared_run(session_root(tmp_path_factory), name, argv, env=env, cwd=cwd)
    yield made
    if made.changed():
        pytest.fail(f"a test changed the shared run {made.out}: copy it first (tests/_shared_runs.py copy_of)")


@pytest.fixture(scope="session")
def recorded_reference_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """`lerconf run --record`, every feature against the embedded reference, through the installed entry
    point (a tests/_shared_runs.SharedRun): tests/e2e/test_harness_e2e.py judges the run and its console,
    tests/e2e/test_record_replay.py replays it. Recording changes nothing the harness test checks (it
    adds recording/, run.recorded and run.recording, and takes the reference's ports below the ephemeral range)."""
    import sys

    lerconf = Path(sys.executable).parent / "lerconf"
    yield from _shared(tmp_path_factory, "recorded-reference", [str(lerconf), "run", "--record"],
                       {**_SESSION_ENV, **shared_env()}, cwd=REPO)


@pytest.fixture(scope="session")
def small_reference_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """`python -m lerconf.run.cli run -k SMALL_SELECTION` against the embedded reference, CI=1 (MUST
    scenarios of the issuer, verifier, holder and lifecycle roles; a tests/_shared_runs.SharedRun):
    judged by tests/reports/test_report_real_run.py and test_status_list_minimum_report.py (a run with
    the default minimum), and by test_report_allure.py on a copy (its --allure report goes into the run)."""
    import sys

    from _shared_runs import SMALL_SELECTION

    yield from _shared(tmp_path_factory, "small-reference",
                       [sys.executable, "-m", "lerconf.run.cli", "run", "-k", SMALL_SELECTION],
                       {**_SESSION_ENV, **shared_env(), "CI": "1"})
