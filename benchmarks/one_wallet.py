"""Several scenarios on one wallet at once (issue 19, goal 3): one separately started wallet, its
scenarios one after another against two workers.

The wallet is the reference's (`lerconf serve --tls --allow-loopback`, its own process: its adapter
gives each X-Lerconf-Scenario value a wallet of its own). Its profile is kept to the wallet section,
once as served (``isolation: scenario``) and once without that line (one wallet: lerconf keeps
its scenarios in one worker). Runs, each a fresh `lerconf run --role wallet` process: no -n, -n 2
without isolation, -n 2 with it. Reported: wall time, peak memory of the process tree, counts, and
how many wallet scenarios each worker ran.

Run: make bench-wallet   (needs the shared data directories; loopback only)
"""
from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "tests"), str(REPO / "benchmarks")]

from _served import running_served  # noqa: E402
from run_speed import counts, measure  # noqa: E402


def _wallet_profile(served: Path, out: Path, *, isolated: bool) -> Path:
    raw = yaml.safe_load(served.read_text(encoding="utf-8"))
    wallet = dict(raw["wallet"])
    if not isolated:
        wallet.pop("isolation", None)
    out.write_text(yaml.safe_dump({"name": raw["name"], "tls": raw["tls"], "wallet": wallet}, sort_keys=False),
                   encoding="utf-8")
    return out


def _per_worker(run_dir: Path) -> list[int]:
    """Wallet scenarios each worker judged (from the workers' own run directories)."""
    found = []
    for worker in sorted((run_dir / "workers").iterdir()) if (run_dir / "workers").is_dir() else []:
        run = next(p for p in worker.iterdir() if p.is_dir() and not p.is_symlink())
        scenarios = json.loads((run / "results.json").read_text(encoding="utf-8"))["scenarios"]
        found.append(sum(1 for s in scenarios if s["role"] == "wallet" and s["status"] in ("passed", "failed")))
    return found


def _run(profile: Path, out: Path, workers: int) -> tuple[float, float, str, list[int]]:
    argv = [sys.executable, "-m", "lerconf.run.cli", "run", "--vendor", str(profile), "--role", "wallet",
            "--out", str(out), *(["-n", str(workers)] if workers > 1 else [])]
    seconds, peak, code, err = measure(argv)
    results = out / "latest" / "results.json"
    if code not in (0, 1) or not results.is_file():
        raise SystemExit(f"lerconf run failed (exit {code}):\n{err[-3000:]}")
    return seconds, peak, counts(results), _per_worker(results.parent.resolve())


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="lerconf-bench-wallet-") as tmp, contextlib.ExitStack() as stack:
        work = Path(tmp)
        (work / "served").mkdir()
        served = stack.enter_context(running_served(work / "served")).profile
        isolated = _wallet_profile(served, work / "isolated.yaml", isolated=True)
        shared = _wallet_profile(served, work / "shared.yaml", isolated=False)
        print(f"one separately started wallet (lerconf serve), lerconf run --role wallet; {os.cpu_count()} cores")
        base = None
        for label, profile, workers in (("no -n", isolated, 1), ("-n 2, one wallet", shared, 2),
                                        ("-n 2, isolation: scenario", isolated, 2)):
            seconds, peak, found, per_worker = _run(profile, work / label.replace(" ", "").replace(",", "-"), workers)
            base = base or seconds
            split = f"   wallet scenarios per worker {per_worker}" if per_worker else ""
            print(f"{label:<28} {seconds:6.1f} s   peak memory {peak:6.0f} MB   {found}   ({seconds / base:.2f}x){split}")


if __name__ == "__main__":
    main()
