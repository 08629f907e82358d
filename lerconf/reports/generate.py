"""`lerconf report`: from run directories to report.html (and certificate.json), with an exit code.

Used by the CLI and at the end of every `lerconf run`, so a run directory always carries its
report. The exit code follows `lerconf run`: 1 when a claimed MUST scenario failed or broke;
with a baseline, 1 only when one did so newly (a regression).
"""
from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lerconf.errors import LerconfError
from lerconf.reports.baseline import Baseline, BaselineDiff, diff, load_baseline
from lerconf.reports.certificate import load_key, write_certificate
from lerconf.reports.html import render
from lerconf.reports.interop import build_matrices
from lerconf.reports.junit import write_junit
from lerconf.reports.model import ReportData, build
from lerconf.runlog import load_results
from lerconf.shards import is_shard, merge_shards


@dataclass
class ReportOutcome:
    """What a report run produced, for the CLI's summary line and its exit code."""

    data: ReportData
    report: Path
    certificate: Path | None
    diff: BaselineDiff | None
    seconds: float

    @property
    def exit_code(self) -> int:
        if self.diff is not None:
            return self.diff.exit_code
        return 1 if self.data.must_failures() else 0

    def summary(self) -> str:
        counts = {s: sum(1 for x in self.data.scenarios if x.status == s) for s in ("passed", "failed", "broken", "skipped")}
        line = ", ".join(f"{n} {s}" for s, n in counts.items())
        if self.diff is not None:
            line += f"; {self.diff.summary()}"
        line += f"; report: {self.report}"
        if self.certificate is not None:
            line += f"; certificate: {self.certificate}"
        return line


def write_report(run_dirs: Sequence[Path], out: Path | None = None, baseline: Path | Baseline | None = None,
                 sign: Path | None = None, merge: bool = False,
                 results: Mapping[Path, Mapping[str, Any]] | None = None) -> ReportOutcome:
    """Write report.html (and certificate.json when `sign` names a key file) into `out`.

    `out` defaults to the first run directory. With ``merge`` (`lerconf report`), run directories
    that are the shards of one run (`lerconf run --shard I/N`) are first joined into `out` (default:
    beside the first shard), with one junit.xml. Setup problems (no results, bad baseline or key,
    an incomplete or mixed set of shards) raise LerconfError before anything is written.
    """
    if not run_dirs:
        raise LerconfError("no run directory given")
    started = time.perf_counter()

    key = load_key(sign) if sign is not None else None  # fail before writing anything
    base = load_baseline(baseline) if isinstance(baseline, (str, Path)) else baseline
    dirs = [Path(d) for d in run_dirs]
    known = {Path(d): r for d, r in (results or {}).items()}  # results.json the caller has read (`lerconf run`)
    shards = merge and any(is_shard(known.get(d) or load_results(d / "results.json")) for d in dirs)
    target = Path(out) if out is not None else (_merged_dir(dirs[0]) if shards else dirs[0])
    if target.suffix == ".html":
        target, name = target.parent, target.name
    else:
        name = "report.html"
    if shards:  # the N shards of one run become one run directory (refused unless they are exactly that)
        dirs = [merge_shards(dirs, target)]
    data = build(dirs, known)
    changes = diff(data.scenarios, base, data.runs) if base is not None else None
    target.mkdir(parents=True, exist_ok=True)
    report = target / name
    _atomic_write(report, render(data, build_matrices(data), changes))
    certificate = None
    if key is not None:  # beside report.html, with the certified results.json (see lerconf.reports.certificate)
        certificate = write_certificate(data, dirs, report, key,
                                        regressions=len(changes.regressions) if changes else None)
    if shards:
        write_junit(data, target / "junit.xml", changes)  # a CI matrix reads one JUnit file for the whole run
    return ReportOutcome(data, report, certificate, changes, time.perf_counter() - started)


def _merged_dir(first: Path) -> Path:
    """Beside the first shard, never in it: its own results.json stays the shard's."""
    return first.parent / f"{first.name}-merged"


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
