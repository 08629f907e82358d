"""How long a whole `lerconf run` takes, one process against `-n N` workers, and how much memory.

Workload: `lerconf run` (every feature against the embedded reference), then the same with
`-n 2` and `-n auto` unless told otherwise. Each variant runs in a fresh process from an empty
output directory; the best of ``--rounds`` wall times is reported with the peak resident memory
of the whole process tree (the parent and its workers, summed, sampled every 50 ms from /proc),
and each variant's counts, so a faster run that judged differently shows.

Run: make bench-run   (or: python benchmarks/run_speed.py --workers 1 2 --rounds 1)
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == pid:
            found.append(int(entry.name))
    return found


def _tree_rss_mb(root: int) -> float:
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
        todo += _children(pid)
    return total / 1024


def measure(argv: list[str]) -> tuple[float, float, int, str]:
    """Run ``argv``: its wall time, the peak memory of its process tree, its exit code and stderr."""
    peak, done = 0.0, threading.Event()
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_mb(process.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    return seconds, peak, process.returncode, err


def counts(results_json: Path) -> str:
    """'N scenarios: a passed, b failed, …' of a run's results.json."""
    scenarios = json.loads(results_json.read_text(encoding="utf-8"))["scenarios"]
    found = {s: sum(1 for x in scenarios if x["status"] == s) for s in ("passed", "failed", "broken", "skipped")}
    return f"{len(scenarios)} scenarios: " + ", ".join(f"{n} {s}" for s, n in found.items())


def one_run(workers: int) -> tuple[float, float, str]:
    with tempfile.TemporaryDirectory(prefix="lerconf-bench-") as out:
        argv = [sys.executable, "-m", "lerconf.run.cli", "run", "--out", out, *(["-n", str(workers)] if workers > 1 else [])]
        seconds, peak, code, err = measure(argv)
        if code not in (0, 1):
            raise SystemExit(f"lerconf run {'-n ' + str(workers) if workers > 1 else ''} failed:\n{err[-2000:]}")
        return seconds, peak, counts(Path(out) / "latest" / "results.json")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", nargs="+", default=["1", "2", "auto"], help="variants (1 = no -n)")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    print(f"lerconf run against the embedded reference; {os.cpu_count()} cores; best of {args.rounds}")
    for value in args.workers:
        workers = (os.cpu_count() or 1) if value == "auto" else int(value)
        best = min((one_run(workers) for _ in range(args.rounds)), key=lambda r: r[0])
        label = "lerconf run" if workers == 1 else f"lerconf run -n {workers}{' (auto)' if value == 'auto' else ''}"
        print(f"{label:<28} {best[0]:6.1f} s   peak memory {best[1]:6.0f} MB   {best[2]}")


if __name__ == "__main__":
    main()
