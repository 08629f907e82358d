"""A run with five vendors against a run with one: time and memory (issue 19, goal 3).

The five: lerconf's reference (`lerconf serve --tls --allow-loopback`, a vendor of its own), the
Digital Bazaar peer (tests/peers/digitalbazaar, Node.js), and three faulty vendors from the test bed
(tests/faulty: the reference with one fault each). Every feature runs against each vendor that claims
it, and the interop scenarios pair them (issuer x verifier, holder x verifier, lifecycles). The
one-vendor run is that served reference alone, through the same profile. Each run is a fresh `lerconf run`
process; reported: wall time, the peak memory of its whole process tree, and the counts, for the
one-vendor run, the five-vendor run, and the five-vendor run with `-n 2`.

Run: make bench-vendors   (needs Node.js >= 20 and the shared data directories; loopback only)
"""
from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "tests"), str(REPO / "benchmarks")]

from _served import running_served  # noqa: E402
from faulty.faults import FAULTS  # noqa: E402  (the test bed's vendors)
from faulty.server import running_vendor  # noqa: E402
from peers.digitalbazaar import peer as db_peer  # noqa: E402
from run_speed import counts, measure  # noqa: E402

#: one fault of each role the bed has (verifier, issuer, holder)
CHOSEN = ("verifier-ignores-status", "issuer-drops-status", "holder-ignores-challenge")


def _run(vendors: list[Path], url_map: Path, out: Path, workers: int = 1) -> tuple[float, float, str]:
    argv = [sys.executable, "-m", "lerconf.run.cli", "run", "--out", str(out), "--url-map", str(url_map),
            "--no-preflight", *(["-n", str(workers)] if workers > 1 else [])]
    for vendor in vendors:
        argv += ["--vendor", str(vendor)]
    seconds, peak, code, err = measure(argv)
    latest = out / "latest" / "results.json"
    if not latest.is_file():
        raise SystemExit(f"lerconf run wrote no results (exit {code}):\n{err[-3000:]}")
    if os.environ.get("BENCH_SHOW_FAILURES"):
        for x in json.loads(latest.read_text(encoding="utf-8"))["scenarios"]:
            if x["status"] in ("failed", "broken"):
                print(f"  {x['status']}: {x['vendor']}: {x['name'][:90]} -- {str(x['reason'])[:160]}", file=sys.stderr)
    return seconds, peak, counts(latest)


def main() -> None:
    faults = [f for f in FAULTS if f.name in CHOSEN]
    if len(faults) != len(CHOSEN):
        raise SystemExit(f"the test bed no longer has all of {CHOSEN}: choose three of its faults")
    with tempfile.TemporaryDirectory(prefix="lerconf-bench-5-") as tmp, contextlib.ExitStack() as stack:
        work = Path(tmp)
        peer = stack.enter_context(db_peer.running_peer())
        (work / "served").mkdir()
        reference = stack.enter_context(running_served(work / "served")).profile
        mapping: dict[str, str] = {}
        faulty = [stack.enter_context(running_vendor(f, work / f.name)) for f in faults]
        for vendor in faulty:
            mapping.update(json.loads(vendor.url_map_path.read_text(encoding="utf-8")))
        url_map = work / "map.json"
        url_map.write_text(json.dumps(mapping), encoding="utf-8")
        five = [reference, peer.profile, *(v.profile_path for v in faulty)]
        print(f"vendors: reference, Digital Bazaar peer, {', '.join(f.vendor_name for f in faults)}; {os.cpu_count()} cores")
        one = _run([reference], url_map, work / "one")
        print(f"{'one vendor':<22} {one[0]:6.1f} s   peak memory {one[1]:6.0f} MB   {one[2]}")
        if os.environ.get("BENCH_ONE_ONLY"):
            return
        all5 = _run(five, url_map, work / "five")
        print(f"{'five vendors':<22} {all5[0]:6.1f} s   peak memory {all5[1]:6.0f} MB   {all5[2]}   ({all5[0] / one[0]:.2f}x)")
        if os.environ.get("BENCH_ONE_ONLY"):
            return
        par = _run(five, url_map, work / "five-n2", workers=2)
        print(f"{'five vendors, -n 2':<22} {par[0]:6.1f} s   peak memory {par[1]:6.0f} MB   {par[2]}   ({par[0] / one[0]:.2f}x)")


if __name__ == "__main__":
    main()
