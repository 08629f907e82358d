"""`lerconf run`s that several test files need, made once per test session and shared read-only (issue 19).

A shared run is made by the first process of the session that asks for it (an xdist worker or the
single pytest process), under an exclusive ``fcntl.flock`` on ``<root>/<name>.lock``; the others wait
on that lock, then read what it left: the run's ``--out`` directory and its exit code, stdout and
stderr (``<root>/<name>/proc.json``). ``<root>`` is the session's own shared temporary directory:
under xdist every worker's base temp is ``<session>/popen-gwN``, so the base temp's parent; without
xdist (or with a base temp not named so), the base temp itself: its parent holds other sessions,
whose runs must never be taken for this one's.

* A run that could not be made (timeout, the command not found) is recorded as such
  (``<root>/<name>/failed.txt``): every test that needs it fails with that message, and nobody
  makes it again. A waiter gives up after ``WAIT_S`` (a test failure, never a hang); a process that
  died while making it releases its lock, and the next one makes it.
* The exit code is not judged here: each test asserts the one it expects, with the output.
* Once made, the run directory is read-only (files 0444, directories 0555): a test that changes a
  run directory (a report written into it) works on ``copy_of()`` it. Root ignores those modes, so
  the session fixtures (tests/conftest.py) also fail, at teardown, when the run's files changed.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

#: the selection of the small shared run: a few MUST scenarios of each VC API role and the lifecycle
SMALL_SELECTION = ("returns_201 or verifies_a_valid_badge or signs_a_presentation or revoked_credential_is_rejected "
                   "or without_the_vc_base")
#: how long a process waits for another one making the run (a whole default run takes under two minutes)
WAIT_S = 1200.0
#: how long the run itself may take
RUN_TIMEOUT_S = 900.0


@dataclass(frozen=True)
class SharedRun:
    """A finished `lerconf run`, read-only: its --out directory, exit code and console."""

    out: Path
    returncode: int
    stdout: str
    stderr: str
    #: of ``out`` as it was made (every path, size and mtime): see changed()
    fingerprint: str

    @property
    def run_dir(self) -> Path:
        """The one run directory in ``out`` (``latest`` is a link to it)."""
        (run_dir,) = [p for p in self.out.iterdir() if p.is_dir() and not p.is_symlink()]
        return run_dir

    def changed(self) -> bool:
        """Whether a test changed the run (root ignores the read-only modes: this catches it anyway)."""
        return _fingerprint(self.out) != self.fingerprint


_MADE: dict[Path, SharedRun] = {}


def session_root(factory: pytest.TempPathFactory) -> Path:
    """The temporary directory every process of this test session shares."""
    base = factory.getbasetemp()
    # an xdist worker's base temp is <session>/popen-gwN; any other is this session's alone
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") and base.name.startswith("popen-") else base
    shared = root / "shared-runs"
    shared.mkdir(exist_ok=True)
    return shared


def shared_run(root: Path, name: str, argv: Sequence[str], *, env: dict[str, str], cwd: Path | None = None) -> SharedRun:
    """``argv + ["--out", DIR]`` run once per session (``root``: session_root()) under ``name``; the
    same result for every caller, in every process."""
    folder, lock = root / name, root / f"{name}.lock"
    if folder in _MADE:
        return _MADE[folder]
    with open(lock, "a+") as handle:
        deadline = time.monotonic() + WAIT_S
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    pytest.fail(f"shared run {name!r}: another process has been making it for over {WAIT_S:.0f} s")
                time.sleep(0.5)
        try:
            if not (folder / "proc.json").is_file() and not (folder / "failed.txt").is_file():
                try:
                    _make(folder, argv, env, cwd)
                except Exception as exc:  # the others must not try again, nor wait for it
                    folder.mkdir(exist_ok=True)
                    (folder / "failed.txt").write_text(f"{' '.join(argv)}: {exc!r}", encoding="utf-8")
                    raise
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    if (folder / "failed.txt").is_file():
        pytest.fail(f"shared run {name!r} could not be made: {(folder / 'failed.txt').read_text(encoding='utf-8')}")
    proc = json.loads((folder / "proc.json").read_text(encoding="utf-8"))
    made = SharedRun(folder / "out", int(proc["returncode"]), str(proc["stdout"]), str(proc["stderr"]),
                     str(proc["fingerprint"]))
    _MADE[folder] = made
    return made


def _make(folder: Path, argv: Sequence[str], env: dict[str, str], cwd: Path | None) -> None:
    if folder.exists():  # a process that died while making it left a part: set aside
        folder.rename(folder.with_name(f"{folder.name}.abandoned-{os.getpid()}-{time.monotonic_ns()}"))
    folder.mkdir()
    out = folder / "out"
    try:  # its own session: a run that overstays is stopped with everything it started (its servers)
        with subprocess.Popen([*argv, "--out", str(out)], cwd=cwd, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, start_new_session=True) as process:
            try:
                stdout, stderr = process.communicate(timeout=RUN_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.communicate()
                raise
        done = subprocess.CompletedProcess(argv, process.returncode, stdout, stderr)
    except (OSError, subprocess.SubprocessError) as exc:
        (folder / "failed.txt").write_text(f"{' '.join(argv)}: {exc!r}", encoding="utf-8")
        return
    _read_only(out)
    partial = folder / "proc.json.part"
    partial.write_text(json.dumps({"argv": list(argv), "returncode": done.returncode, "stdout": done.stdout,
                                   "stderr": done.stderr, "fingerprint": _fingerprint(out)}), encoding="utf-8")
    partial.rename(folder / "proc.json")


def _fingerprint(top: Path) -> str:
    entries = []
    for directory, dirs, files in os.walk(top):
        for name in sorted(dirs + files):
            info = Path(directory, name).lstat()
            entries.append(f"{Path(directory, name).relative_to(top)} {info.st_size} {info.st_mtime_ns}")
    return hashlib.sha256("\n".join(sorted(entries)).encode()).hexdigest()


def _read_only(top: Path) -> None:
    if not top.is_dir():
        return
    for directory, dirs, files in os.walk(top):
        for name in files:
            path = Path(directory, name)
            if not path.is_symlink():
                path.chmod(stat.S_IMODE(path.stat().st_mode) & ~0o222)
        for name in dirs:
            path = Path(directory, name)
            if not path.is_symlink():
                path.chmod(0o555)
    top.chmod(0o555)


def copy_of(shared: Path, target: Path) -> Path:
    """A writable copy of a shared run directory (or any directory under it), at ``target``."""
    shutil.copytree(shared, target, symlinks=True, copy_function=shutil.copyfile)
    for directory, dirs, _files in os.walk(target):
        for name in dirs:
            Path(directory, name).chmod(0o755)
    target.chmod(0o755)
    return target
