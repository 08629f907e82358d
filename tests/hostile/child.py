"""`lerconf run` in a child process for the hostile beds: its own memory peak, its console, and a
run that cannot take the test process down with it. One runner for every bed."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]

_CHILD = r"""
import json, resource, sys
from pathlib import Path
from lerconf.run.runner import RunOptions, run

def peak_mb():
    # this process image's own peak (VmHWM): ru_maxrss is kept across execve on Linux, so it would also
    # count the pytest worker that started this child
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
args = json.loads(sys.argv[1])
paths = {"vendors": [Path(p) for p in args.pop("vendors")], "out": Path(args.pop("out"))}
if args.get("url_map"):
    paths["url_map"] = Path(args.pop("url_map"))
# run-time robustness: the scenarios, not the preflight, must meet the hostility
code, run_dir = run(RunOptions(**paths, **args, preflight=False))
print("LERCONF-CHILD " + json.dumps({"code": code, "run_dir": str(run_dir), "maxrss_mb": peak_mb()}))
"""


@dataclass
class ChildRun:
    """What the child said: its exit code, run directory, own peak memory, console and duration."""

    code: int
    run_dir: Path
    maxrss_mb: float
    stdout: str
    stderr: str
    seconds: float

    @property
    def results(self) -> dict[str, Any]:
        return dict(json.loads((self.run_dir / "results.json").read_text(encoding="utf-8")))


def child_command(options: dict[str, Any]) -> list[str]:
    """The child's command line (for a test that signals it while it runs)."""
    return [sys.executable, "-c", _CHILD, json.dumps(options)]


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The test's environment without a URL map or offline switch of its own, plus ``extra``, as CI."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LERCONF_URL_MAP", "LERCONF_OFFLINE"))}
    return {**env, **(extra or {}), "CI": "1"}


def run_child(options: dict[str, Any], *, env: dict[str, str] | None = None, timeout: float = 300) -> ChildRun:
    """``options``: RunOptions fields as JSON (vendors and out as path strings)."""
    started = time.monotonic()
    proc = subprocess.run(child_command(options), cwd=REPO, env=child_env(env), capture_output=True, text=True,
                          timeout=timeout)
    seconds = time.monotonic() - started
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("LERCONF-CHILD ")), None)
    assert line is not None, f"run failed (rc {proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    said = json.loads(line.removeprefix("LERCONF-CHILD "))
    return ChildRun(said["code"], Path(said["run_dir"]), said["maxrss_mb"], proc.stdout, proc.stderr, seconds)


def parse_child_line(stdout: str) -> dict[str, Any]:
    """The child's last line (for a test that ran it itself)."""
    line = next(ln for ln in stdout.splitlines() if ln.startswith("LERCONF-CHILD "))
    return dict(json.loads(line.removeprefix("LERCONF-CHILD ")))
