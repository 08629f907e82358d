"""Many runs over time: the model behind `lerconf site` (see lerconf.reports.site).

Each run directory is read on its own (lerconf.reports.model.build of one run, so vendor names
stay as the run wrote them) and runs are ordered by their start time. From that come, per
vendor, the verdict of each role in each run and, per requirement, its status in each run and
when it broke (the first failing run after a passing one) and was fixed (the reverse).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from lerconf.errors import LerconfError
from lerconf.reports.model import ReportData, RoleSummary, RunInfo, Scenario, build, cell_status, spec_prefix

FAILING = ("failed", "broken")


@dataclass(frozen=True)
class RunEntry:
    """One run directory and what it holds."""

    path: Path
    data: ReportData

    @property
    def info(self) -> RunInfo:
        return self.data.runs[0]

    @property
    def label(self) -> str:
        """A short x-axis label: the start time to the minute (the run id when it has none)."""
        return self.info.started[:16].replace("T", " ") or self.info.id

    @property
    def vendor_set(self) -> frozenset[str]:
        return frozenset(self.data.vendor_names)

    def summaries(self, vendor: str) -> list[RoleSummary]:
        return [s for s in self.data.summaries() if s.vendor == vendor]


@dataclass(frozen=True)
class Change:
    """A requirement broke (failing after passing) or was fixed (passing after failing) in run `index`."""

    kind: str  # "broke" or "fixed"
    index: int
    reason: str = ""


def is_run_dir(path: Path) -> bool:
    return (path / "results.json").is_file() or (path / "results.jsonl").is_file()


def find_runs(paths: Iterable[Path]) -> list[Path]:
    """Run directories: each path is one, or a directory holding them (its `latest` link is skipped)."""
    found: list[Path] = []
    seen: set[Path] = set()
    for path in map(Path, paths):
        if is_run_dir(path):
            candidates = [path]
        elif path.is_dir():
            candidates = sorted(c for c in path.iterdir() if c.is_dir() and not c.is_symlink() and is_run_dir(c))
        else:
            raise LerconfError(f"{path}: no such run directory")
        if not candidates:
            raise LerconfError(f"{path}: neither a run directory (no results.json) nor a directory holding run directories")
        for c in candidates:
            if c.resolve() not in seen:
                seen.add(c.resolve())
                found.append(c)
    return found


def _start_key(entry: RunEntry) -> tuple[int, float, str]:
    """Runs by start time (results.json run.started); runs without one go last, by id."""
    try:
        return (0, datetime.fromisoformat(entry.info.started.replace("Z", "+00:00")).timestamp(), entry.info.id)
    except ValueError:
        return (1, 0.0, entry.info.id)


def load_history(paths: Iterable[Path]) -> list[RunEntry]:
    entries = [RunEntry(d, build([d])) for d in find_runs(paths)]
    return sorted(entries, key=_start_key)


def vendor_names(history: Sequence[RunEntry]) -> list[str]:
    """Every vendor, in order of first appearance."""
    names: dict[str, None] = {}
    for entry in history:
        names.update(dict.fromkeys(entry.data.vendor_names))
    return list(names)


def vendor_runs(history: Sequence[RunEntry], vendor: str) -> list[RunEntry]:
    return [e for e in history if vendor in e.data.vendor_names]


def latest_per_vendor_set(history: Sequence[RunEntry]) -> list[RunEntry]:
    """The latest run of each set of vendors, in time order."""
    latest: dict[frozenset[str], RunEntry] = {}
    for entry in history:
        latest[entry.vendor_set] = entry
    return [e for e in history if latest.get(e.vendor_set) is e]


def spec_rates(entry: RunEntry) -> dict[str, tuple[int, int]]:
    """Spec area (requirement id prefix) -> (passed, ran) over the run's scenarios, each counted once per area."""
    rates: dict[str, tuple[int, int]] = {}
    for s in entry.data.scenarios:
        if s.status not in ("passed", *FAILING):
            continue
        for prefix in {spec_prefix(r) for r in s.requirement_ids}:
            passed, ran = rates.get(prefix, (0, 0))
            rates[prefix] = (passed + (s.status == "passed"), ran + 1)
    return rates


def _cells(entry: RunEntry, vendor: str) -> dict[tuple[str, str], list[Scenario]]:
    return {(rid, role): found for (rid, role, v), found in entry.data.requirement_cells().items() if v == vendor}


def requirement_history(runs: Sequence[RunEntry], vendor: str) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(requirement id, role) -> per run: (status, the first failure's reason); ("", "") when the run lacked it."""
    per_run = [_cells(e, vendor) for e in runs]
    keys = {k for cells in per_run for k in cells}
    table: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for key in keys:
        row = []
        for cells in per_run:
            found = cells.get(key, [])
            failing = next((s.reason for s in found if s.status in FAILING), "")
            row.append((cell_status(s.status for s in found), failing))
        table[key] = row
    return table


def changes(row: Sequence[tuple[str, str]]) -> list[Change]:
    """When a requirement broke and was fixed; skipped and absent runs change nothing."""
    found: list[Change] = []
    last = ""
    for i, (status, reason) in enumerate(row):
        if status == "passed":
            if last == "failing":
                found.append(Change("fixed", i))
            last = "passing"
        elif status in FAILING:
            if last == "passing":
                found.append(Change("broke", i, reason))
            last = "failing"
    return found
