"""`lerconf verify -j N`: a batch verified by N processes prints what one process prints, in the
order the files were given; a harness error on one file is that file's, never the batch's end."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, VECTORS_DIR, shared_env
from lerconf.errors import ResolutionError
from lerconf.run import cli_verify
from lerconf.run.cli import main
from lerconf.verify.engine import Verifier

LERCONF = [sys.executable, "-m", "lerconf.run.cli"]
AT = "2026-06-01T00:00:00Z"


def _lerconf(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*LERCONF, *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **shared_env()})


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Credentials that verify, fail and cannot be parsed as JSON-LD, a JWT and a presentation, in
    an order that is not alphabetical (the output must follow it, not the file names)."""
    sources = sorted((REPO / "vectors" / "credentials").glob("*.json")) + sorted(
        (REPO / "vectors" / "mutations").glob("*.json"))
    sources += [VECTORS_DIR / "vc-di-eddsa" / "Ed25519Signature2020" / "signedEdSig.json"]
    assert len(sources) >= 20
    folder = tmp_path_factory.mktemp("batch")
    files = []
    for i, source in enumerate(reversed(sources)):
        path = folder / f"{i:02d}-{source.name}"
        path.write_bytes(source.read_bytes())
        files.append(str(path))
    token = folder / "zz-token.jwt"
    token.write_text("eyJhbGciOiJFZERTQSJ9.eyJ2YyI6e319.c2ln\n", encoding="utf-8")
    files.insert(3, str(token))
    return files


def _sources(json_lines: str) -> list[str]:
    return [json.loads(line)["file"] for line in json_lines.splitlines()]


def test_two_jobs_print_what_one_job_prints_in_the_order_given(batch: list[str]) -> None:
    one = _lerconf("verify", "--offline", "--at", AT, "-j", "1", *batch)
    two = _lerconf("verify", "--offline", "--at", AT, "-j", "2", *batch)
    assert one.returncode == two.returncode == 1, one.stderr + two.stderr  # the mutations fail
    assert one.stdout == two.stdout and "NOT VERIFIED" in one.stdout and "=> VERIFIED" in one.stdout
    heads = [line.split(" (", 1)[0] for line in one.stdout.splitlines() if line and not line.startswith(" ")]
    assert heads == batch


def test_json_output_follows_the_file_order_whatever_the_jobs(batch: list[str]) -> None:
    one = _lerconf("verify", "--offline", "--json", "--at", AT, "-j", "1", *batch)
    two = _lerconf("verify", "--offline", "--json", "--at", AT, "-j", "2", *batch)
    assert one.stdout == two.stdout
    assert _sources(two.stdout) == batch


def test_default_is_every_core(batch: list[str]) -> None:
    done = _lerconf("verify", "--help")
    assert f"here {cli_verify.default_jobs()}" in " ".join(done.stdout.split())
    assert cli_verify.default_jobs() == len(os.sched_getaffinity(0))


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_number(value: str) -> None:
    done = _lerconf("verify", "-j", value, "x.json")
    assert done.returncode == 2 and "-j" in done.stderr


def _verify_or_fail(self: Verifier, document: Any, source: str = "-", options: Any = None) -> Any:
    """Verifier.verify_document with a harness error for one file and a crash for another."""
    if source.endswith("-unresolvable.json"):
        raise ResolutionError(f"registered context unavailable for {Path(source).name}")
    if source.endswith("-crash.json"):
        raise RuntimeError("boom")
    return _ORIGINAL(self, document, source, options)


_ORIGINAL = Verifier.verify_document


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_error_on_one_file_does_not_stop_the_others(jobs: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    # the worker processes are forked from this one, so they inherit the patched engine
    monkeypatch.setattr(Verifier, "verify_document", _verify_or_fail)
    for name, value in shared_env().items():
        monkeypatch.setenv(name, value)
    good = (REPO / "vectors" / "credentials" / "ob3-v2.0-eddsa-rdfc-2022.json").read_text(encoding="utf-8")
    files = []
    for i, kind in enumerate(["ok", "unresolvable", "ok", "crash", "ok"]):
        path = tmp_path / f"{i}-{kind}.json"
        path.write_text(good, encoding="utf-8")
        files.append(str(path))
    code = main(["verify", "--offline", "--json", "--at", AT, "-j", jobs, *files])
    out, err = capsys.readouterr()
    assert code == 2
    assert _sources(out) == files  # every file has its line, in the order given; the two errors say so
    outcomes = [json.loads(line)["outcome"] for line in out.splitlines()]
    assert outcomes == ["verified", "error", "verified", "error", "verified"]
    assert json.loads(out.splitlines()[3])["error"] == f"{files[3]}: internal error"
    assert f"lerconf: error: {files[1]}: registered context unavailable for 1-unresolvable.json" in err
    assert f"lerconf: error: {files[3]}: internal error" in err and "RuntimeError: boom" in err
    assert err.index(files[1]) < err.index(files[3])


def test_two_jobs_use_two_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    def verify_here(self: cli_verify._Session, task: cli_verify._Task) -> cli_verify._Done:
        # a task that takes a moment, as a real verification does: with instant tasks, one worker on a
        # loaded machine could take all 40 before the other had started (seen once in CI)
        time.sleep(0.05)
        return cli_verify._Done(stdout=f"{task.name} {os.getpid()}\n")

    monkeypatch.setattr(cli_verify._Session, "verify", verify_here)
    files = []
    for i in range(40):
        path = tmp_path / f"{i:02d}.json"
        path.write_text("{}", encoding="utf-8")
        files.append(str(path))
    assert main(["verify", "--offline", "-j", "2", *files]) == 0
    lines = [line.split() for line in capsys.readouterr().out.splitlines()]
    assert [name for name, _ in lines] == files
    pids = {pid for _, pid in lines}
    assert len(pids) == 2 and str(os.getpid()) not in pids


def test_a_file_that_kills_its_worker_takes_only_itself_down(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """A worker that dies (out of memory, a crash in a native library) breaks the pool: the files not yet
    done are verified one by one, each in a process of its own, and only the killer is reported."""
    def verify_or_die(self: cli_verify._Session, task: cli_verify._Task) -> cli_verify._Done:
        if "killer" in task.name:
            os._exit(9)
        return cli_verify._Done(stdout=f"{Path(task.name).name}\n")

    monkeypatch.setattr(cli_verify._Session, "verify", verify_or_die)
    files = []
    for i in range(12):
        path = tmp_path / (f"{i:02d}-killer.json" if i == 5 else f"{i:02d}.json")
        path.write_text("{}", encoding="utf-8")
        files.append(str(path))
    code = main(["verify", "--offline", "-j", "2", *files])
    out, err = capsys.readouterr()
    assert code == 2
    assert out.splitlines() == [Path(f).name for f in files if "killer" not in f]
    assert f"lerconf: error: {files[5]}: the process verifying it died" in err
