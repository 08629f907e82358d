"""One `lerconf run` against a vendor (or several), in this process, through ``lerconf.run.runner.run``.

In-process is measured faster than a subprocess `lerconf run` (no interpreter start; imports
and JSON-LD contexts stay warm across runs).
"""
from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from faulty.faults import Fault
from faulty.server import FaultyVendor, running_vendors
from lerconf.run.runner import RunOptions, exit_code, run
from lerconf.runlog import load_results

#: environment variables lerconf.run.runner.run sets for the rest of the process; restored after a run
_RUNNER_ENV = ("LERCONF_URL_MAP", "LERCONF_OFFLINE")


@dataclass
class RunResult:
    exit_code: int
    run_dir: Path
    scenarios: list[dict[str, Any]]
    seconds: float

    def with_status(self, *statuses: str) -> list[dict[str, Any]]:
        return [s for s in self.scenarios if s["status"] in statuses]

    def count(self, status: str) -> int:
        return len(self.with_status(status))

    def summary(self) -> str:
        return ", ".join(f"{self.count(k)} {k}" for k in ("passed", "failed", "broken", "skipped"))

    def for_vendor(self, name: str) -> RunResult:
        """One vendor's share of a run over several: its scenarios, and the exit code lerconf's own rule
        (``lerconf.run.runner.exit_code``) gives for them alone, as a run over that vendor only would
        end (the shared run's own code is for all its vendors)."""
        mine = [s for s in self.scenarios if s["vendor"] == name]
        return RunResult(exit_code({"scenarios": mine}), self.run_dir, mine, self.seconds)


@contextlib.contextmanager
def _restored_environment() -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in _RUNNER_ENV}
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_profile(profile: Path, url_map: Path, out: Path, *, roles: list[str] | None = None,
                tags: str | None = None, keyword: str | None = None) -> RunResult:
    """`lerconf run --vendor PROFILE --url-map MAP [--tags T] [-k K]` in this process, environment restored after."""
    return run_profiles([profile], url_map, out, roles=roles, tags=tags, keyword=keyword)


def run_profiles(profiles: list[Path], url_map: Path, out: Path, *, roles: list[str] | None = None,
                 tags: str | None = None, keyword: str | None = None) -> RunResult:
    """One `lerconf run` over several vendors (``--vendor`` each): several beds for the price of one run."""
    # the beds test the scenarios' judgments (a bed refusing with 401 is a wrong reason, not a setup error)
    options = RunOptions(vendors=list(profiles), roles=list(roles or []), tags=tags, keyword=keyword, out=out, url_map=url_map,
                         preflight=False)
    started = time.monotonic()
    with _restored_environment():
        code, run_dir = run(options)
    seconds = time.monotonic() - started
    results = load_results(run_dir / "results.json")
    return RunResult(code, run_dir, list(results.get("scenarios", [])), seconds)


def run_vendors(faults: Iterable[Fault], workdir: Path, *, roles: list[str] | None = None, tags: str | None = None,
                keyword: str | None = None) -> RunResult:
    """Each fault on its own loopback server, all judged in ONE `lerconf run` (``--vendor`` each, reports
    in ``workdir/reports``); the servers stop when it ends. ``RunResult.for_vendor`` tells them apart."""
    with running_vendors(faults, workdir) as (vendors, url_map):
        return run_profiles([v.profile_path for v in vendors], url_map, workdir / "reports", roles=roles, tags=tags,
                            keyword=keyword)


def run_lerconf(vendor: FaultyVendor, out: Path, *, roles: list[str] | None = None) -> RunResult:
    """Run the features against ``vendor`` (limited to ``roles``; lifecycle always runs)."""
    return run_profile(vendor.profile_path, vendor.url_map_path, out, roles=roles)


def describe(scenario: dict[str, Any]) -> str:
    """One line per scenario for assertion messages."""
    return f"{scenario['status']}: {scenario['name']} [{scenario['vendor']}] -- {str(scenario['reason'])[:300]}"
