"""Run `lerconf …` in a child process and read that process image's own peak memory.

``ru_maxrss`` from wait4 is kept across execve on Linux: a child forked from a large pytest worker
reports the worker's peak, not its own. The child here records VmHWM (its own high-water mark)
from /proc/self/status just before it exits."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any

_CHILD = r"""
import sys
from pathlib import Path
from lerconf.run.cli import main

try:
    code = main(sys.argv[2:])
finally:
    status = Path("/proc/self/status").read_text().splitlines()
    Path(sys.argv[1]).write_text(next((line.split()[1] for line in status if line.startswith("VmHWM:")), "0"))
sys.exit(code)
"""


def run_lerconf(args: list[str], peak_file: Path, env: dict[str, str], *, stdout: IO[Any] | int = subprocess.DEVNULL,
                stderr: IO[Any] | int = subprocess.PIPE) -> tuple[int, float, float, str]:
    """(exit code, seconds, the child's own peak resident memory in MB, its stderr when piped)."""
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-c", _CHILD, str(peak_file), *args], stdout=stdout, stderr=stderr,
                               env={**os.environ, **env})
    _, err = process.communicate()
    seconds = time.monotonic() - started
    peak_kb = int(peak_file.read_text() or 0) if peak_file.exists() else 0
    return process.returncode, seconds, peak_kb / 1024, err.decode() if isinstance(err, bytes) else ""
