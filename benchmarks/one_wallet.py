"""Several scenarios on one wallet at once (issue 19, goal 3): one separately started wallet, its
scenarios one after another against two workers.

Two wallets, each tested alone. The reference's (`lerconf serve --tls --allow-loopback`, its own
process), which answers an adapter call in milliseconds; and the same adapter as a wallet a person's
phone or an emulator stands behind, taking ``--delay`` seconds (default 0.5) before each adapter call
(served in this process, on loopback). Both give each X-Lerconf-Scenario value a wallet of its own.
Each profile is kept to the wallet section, once with ``isolation: scenario`` and once without (one
wallet: lerconf keeps its scenarios in one worker). Runs, each a fresh `lerconf run --role wallet`
process: no -n, -n 2 without isolation, -n 2 and -n 4 with it (more workers than cores pays
where the workers wait on the wallet). Reported: wall time, peak memory of the
process tree, counts, and how many wallet scenarios each worker ran.

Run: make bench-wallet   (needs the shared data directories; loopback only)
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "tests"), str(REPO / "benchmarks")]

from _served import running_served  # noqa: E402
from faulty_wallet import CLEAN  # noqa: E402
from faulty_wallet.server import running_wallet  # noqa: E402
from run_speed import counts, measure  # noqa: E402


class _Delayed:
    """ASGI: wait ``seconds`` before every adapter call but GET /capabilities (a person or an emulator
    between the adapter and the wallet); waits overlap, as separate phones' would."""

    def __init__(self, app: Any, seconds: float) -> None:
        self.app, self.seconds = app, seconds

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and not scope["path"].endswith("/capabilities"):
            await asyncio.sleep(self.seconds)
        await self.app(scope, receive, send)


@contextlib.contextmanager
def slow_wallet(workdir: Path, seconds: float) -> Iterator[Path]:
    """The reference wallet's adapter (the test bed's clean wallet) behind the delay, on a free loopback port;
    its profile."""
    with running_wallet(CLEAN, workdir, wrap=lambda app: _Delayed(app, seconds)) as wallet:
        yield wallet.profile_path


def _wallet_profile(served: Path, out: Path, *, isolated: bool) -> Path:
    raw = yaml.safe_load(served.read_text(encoding="utf-8"))
    wallet = {**raw["wallet"], "isolation": "scenario" if isolated else "none"}
    kept = {"name": raw["name"], **({"tls": raw["tls"]} if "tls" in raw else {}), "wallet": wallet}
    out.write_text(yaml.safe_dump(kept, sort_keys=False), encoding="utf-8")
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


def _compare(label: str, source: Path, work: Path) -> None:
    work.mkdir(parents=True, exist_ok=True)
    isolated = _wallet_profile(source, work / "isolated.yaml", isolated=True)
    shared = _wallet_profile(source, work / "shared.yaml", isolated=False)
    print(label)
    base = None
    for variant, profile, workers in (("no -n", isolated, 1), ("-n 2, one wallet", shared, 2),
                                      ("-n 2, isolation: scenario", isolated, 2),
                                      ("-n 4, isolation: scenario", isolated, 4)):
        seconds, peak, found, per_worker = _run(profile, work / variant.replace(" ", "").replace(",", "-"), workers)
        base = base or seconds
        split = f"   wallet scenarios per worker {per_worker}" if per_worker else ""
        print(f"  {variant:<28} {seconds:6.1f} s   peak memory {peak:6.0f} MB   {found}   ({seconds / base:.2f}x){split}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=0.5, help="seconds the slow wallet takes per adapter call")
    args = parser.parse_args()
    print(f"lerconf run --role wallet against one wallet; {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="lerconf-bench-wallet-") as tmp, contextlib.ExitStack() as stack:
        work = Path(tmp)
        (work / "served").mkdir()
        served = stack.enter_context(running_served(work / "served")).profile
        _compare("the reference's wallet, served by `lerconf serve` (milliseconds per adapter call)", served, work / "a")
        slow = stack.enter_context(slow_wallet(work / "slow", args.delay))
        _compare(f"the same adapter taking {args.delay} s per call (a phone or an emulator behind it)", slow, work / "b")


if __name__ == "__main__":
    main()
