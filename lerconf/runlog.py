"""results.json: lerconf's own result model, written as scenarios finish.

Every finished scenario is appended to results.jsonl at once (one line, handed to the operating
system before the next scenario starts), and results.json is rewritten atomically at most once a
second and when the run ends: a run killed at any moment keeps what it did (``load_results`` adds
the lines results.json does not hold yet), and the report can be built from a partial run.
Rewriting results.json after every scenario made long runs quadratic: 2,359 scenarios (six hostile
hosts, every scenario of every role recorded) spent 37 s rewriting a 9.5 MB file.

results.jsonl is synced to the disk by the first line that comes a second or more after the last
sync, and as the run ends: a killed process never needed a sync (what it wrote is the kernel's), and
a machine that loses power loses the lines since the last sync (the operating system writes them out
within seconds anyway). An fsync per scenario kept lerconf's test workers waiting ~26 s of a suite
run (the disk shared by four of them) and costs a 500-scenario run seconds on a slow CI disk.
"""
from __future__ import annotations

import json
import os
import platform
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lerconf.version import __version__

SCHEMA_VERSION = "1"
#: how often results.json is rewritten while scenarios finish (results.jsonl gets each one at once)
WRITE_INTERVAL_S = 1.0
STATUSES = ("passed", "failed", "broken", "skipped")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass
class RunLog:
    directory: Path
    run: dict[str, Any] = field(default_factory=dict)
    vendors: list[dict[str, Any]] = field(default_factory=list)
    scenarios: list[dict[str, Any]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _lines: list[str] = field(default_factory=list, repr=False)  # scenarios, already JSON
    _written: float = field(default=0.0, repr=False)  # time.monotonic() of the last results.json write
    _synced: float = field(default=0.0, repr=False)  # time.monotonic() of the last fsync of results.jsonl

    @classmethod
    def start(cls, directory: Path, *, run_id: str, command: list[str], vendors: list[dict[str, Any]],
              environment: dict[str, Any] | None = None) -> RunLog:
        directory.mkdir(parents=True, exist_ok=True)
        log = cls(directory)
        log.run = {
            "id": run_id,
            "schema_version": SCHEMA_VERSION,
            "lerconf_version": __version__,
            "python": platform.python_version(),
            "platform": sys.platform,
            "started": _now(),
            "finished": None,
            "complete": False,
            "command": command,
            "environment": environment or {},
        }
        log.vendors = vendors
        log._write()
        return log

    def add(self, scenario: dict[str, Any]) -> None:
        if scenario.get("status") not in STATUSES:
            raise ValueError(f"bad scenario status {scenario.get('status')!r}")
        line = json.dumps(scenario, ensure_ascii=False)
        with self._lock:
            self.scenarios.append(scenario)
            self._lines.append(line)
            with open(self.directory / "results.jsonl", "a", encoding="utf-8") as fh:
                fh.write(line + "\n")
                fh.flush()
                if time.monotonic() - self._synced >= WRITE_INTERVAL_S:
                    self._sync(fh.fileno())
            if time.monotonic() - self._written >= WRITE_INTERVAL_S:
                self._write()

    def flush(self) -> None:
        """results.json now (after the run's own fields changed, e.g. its digests and selection)."""
        with self._lock:
            self._write()

    def finish(self, *, interrupted: bool = False) -> None:
        with self._lock:
            self.run["finished"] = _now()
            self.run["complete"] = not interrupted
            self._write()
            lines = self.directory / "results.jsonl"
            if lines.is_file():
                fd = os.open(lines, os.O_RDONLY)
                try:
                    self._sync(fd)
                finally:
                    os.close(fd)

    def _sync(self, fd: int) -> None:
        """results.jsonl onto the disk (the caller holds the lock)."""
        os.fsync(fd)
        self._synced = time.monotonic()

    def to_json(self) -> dict[str, Any]:
        return {"run": self.run, "vendors": self.vendors, "scenarios": self.scenarios}

    def _write(self) -> None:
        target = self.directory / "results.json"
        tmp = target.with_suffix(".json.tmp")
        # Each scenario is serialised once (in add); re-encoding them all after every scenario
        # made a run quadratic (seconds per 100 scenarios). Same document, scenarios one per line.
        head = json.dumps({"run": self.run, "vendors": self.vendors}, indent=1, ensure_ascii=False)
        body = ",\n".join(self._lines)
        tmp.write_text(f'{head[:-2]},\n "scenarios": [\n{body}\n ]\n}}', encoding="utf-8")
        os.replace(tmp, target)
        self._written = time.monotonic()


def load_results(path: Path) -> dict[str, Any]:
    """Read results.json, or rebuild it from results.jsonl when the run was killed mid-write."""
    if path.is_dir():
        path = path / "results.json"
    data: dict[str, Any]  # results.json is always a JSON object (RunLog._write writes one)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {"run": {"id": path.parent.name, "complete": False}, "vendors": [], "scenarios": []}
    lines = path.parent / "results.jsonl"
    # results.jsonl is the run's write-ahead log: a complete run's results.json already holds every line of it
    if lines.is_file() and not (data.get("run") or {}).get("complete"):
        known = {s.get("id") for s in data.get("scenarios", [])}
        for line in lines.read_text(encoding="utf-8").splitlines():
            try:
                scenario = json.loads(line)
            except ValueError:
                continue  # a line cut by a kill
            if scenario.get("id") not in known:
                data["scenarios"].append(scenario)
                known.add(scenario.get("id"))
    return data
