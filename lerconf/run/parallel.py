"""`lerconf run -n N`: one run in N worker processes on this machine, merged into one run directory.

Each worker is `lerconf run --shard I/N` (lerconf.shards) with its own embedded reference on its
own loopback ports, so lerconf's endpoints (which read what a wallet sent in the order it
arrived) are never shared between workers. Every scenario of one vendor's wallet stays in one
worker, one after another, unless its adapter gives each scenario a wallet of its own
(``wallet.isolation: scenario``, LCW-05): then they are dealt like any other. The parent checks the setup once (preflight included), prints
each worker's scenarios as they finish from their results.jsonl, and merges the workers' run
directories into its own: results.json in the order of an unsharded run, allure-results, then
the report and JUnit as any run. A worker that dies takes only its own part down: the merge keeps
what the others wrote and marks the run incomplete.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from lerconf.errors import LerconfError
from lerconf.refimpl.server import BIND_PORT_VARIABLE, PUBLIC_BASE_VARIABLE
from lerconf.run.console import Console
from lerconf.shards import Shard, merge_shards

if TYPE_CHECKING:
    from lerconf.run.runner import RunOptions

__all__ = ["WorkerOutcome", "refuse_parallel", "run_workers", "worker_argv"]

POLL_S = 0.2


def refuse_parallel(options: RunOptions, profiles: list[Any]) -> None:
    """What cannot be split over workers, said before anything runs (a setup error, exit 2)."""
    if options.record or options.replay is not None:
        raise LerconfError("-n: a recorded or replayed run goes one scenario after another (one tape set); drop -n")
    if options.shard is not None:
        raise LerconfError("-n with --shard: give each CI job one shard and no -n, or run -n on one machine")
    for variable in (BIND_PORT_VARIABLE, PUBLIC_BASE_VARIABLE):
        if os.environ.get(variable):
            raise LerconfError("-n: workers each start their own reference on a free port; a fixed --port or "
                               "--public-base-url (a tunnel) cannot be shared by several; drop -n")
    for profile in profiles:
        by_hand = done_by_hand(profile)
        if by_hand:
            raise LerconfError(f"-n: {profile.name}'s {by_hand} by hand (one operator, one page); drop -n")


def done_by_hand(profile: Any) -> str | None:
    """What of a profile a person does on an operator page (workers would each open their own), or None."""
    wallet = getattr(profile, "wallet", None)
    if wallet is not None and getattr(wallet, "mode", None) == "manual":
        return "wallet is tested"
    for role in ("displayer", "page_verifier"):
        if getattr(profile, role, None) is not None:
            return f"{role.replace('_', ' ')} is tested"
    consumer = getattr(profile, "ob_consumer", None)
    if consumer is not None and getattr(consumer, "by_hand", None) is not None:
        return "OB API consumer is driven"
    provider, issuer = getattr(profile, "ob_provider", None), getattr(profile, "oid4vci_issuer", None)
    if (provider is not None and provider.options.get("login") == "person") or \
            (issuer is not None and issuer.authorization.get("login") == "person"):
        return "login at the authorization server is done"
    return None


def worker_argv(options: RunOptions, shard: Shard, out: Path) -> list[str]:
    """The `lerconf run` of one worker: the parent's selection, one shard, no second preflight.

    Document settings (contexts, schemas, offline, URL map, private network) reach workers through
    the LERCONF_* environment the parent's run has set (lerconf.run.runner.document_environment)."""
    argv = [sys.executable, "-m", "lerconf.run.cli", "run", "--out", str(out), "--shard", str(shard), "--no-preflight"]
    for vendor in options.vendors:
        argv += ["--vendor", str(Path(vendor).resolve())]
    for role in options.roles:
        argv += ["--role", role]
    if options.tags:
        argv += ["--tags", options.tags]
    if options.keyword:
        argv += ["-k", options.keyword]
    if options.read_only:
        argv.append("--read-only")
    if options.status_list_minimum is not None:
        argv += ["--status-list-minimum", str(options.status_list_minimum)]
    return argv


@dataclass
class _Worker:
    shard: Shard
    out: Path
    process: subprocess.Popen[bytes]
    log: IO[bytes]
    offset: int = 0
    partial: bytes = b""
    results: Path | None = None

    def run_dir(self) -> Path | None:
        latest = self.out / "latest"
        if latest.is_dir():
            return latest.resolve()
        marker = self.out / "LATEST"
        if marker.is_file():
            return self.out / marker.read_text(encoding="utf-8").strip()
        return None

    def new_scenarios(self) -> list[dict[str, Any]]:
        """Scenarios this worker finished since the last call (whole lines of results.jsonl)."""
        run_dir = self.run_dir()
        if run_dir is None or not (run_dir / "results.jsonl").is_file():
            return []
        with open(run_dir / "results.jsonl", "rb") as fh:
            fh.seek(self.offset)
            chunk = fh.read()
        self.offset += len(chunk)
        self.partial += chunk
        *lines, self.partial = self.partial.split(b"\n")
        found = []
        for line in lines:
            try:
                found.append(json.loads(line))
            except ValueError:
                continue
        return found

    def counted(self) -> int | None:
        run_dir = self.run_dir()
        try:
            head = json.loads((run_dir / "results.json").read_text(encoding="utf-8")) if run_dir else {}
        except (OSError, ValueError):
            return None
        shard = head.get("run", {}).get("shard") or {}
        return int(shard["counted"]) if "counted" in shard else None


@dataclass
class WorkerOutcome:
    """How the workers ended: their exit codes, whether the user interrupted, the logs of failed ones."""

    codes: list[int | None]
    interrupted: bool
    failed_logs: list[Path] = field(default_factory=list)


def run_workers(options: RunOptions, workers: int, run_dir: Path, console: Console) -> WorkerOutcome:
    """Start ``workers`` shards of the run, print their scenarios as they finish, merge into ``run_dir``."""
    base = run_dir / "workers"
    base.mkdir(parents=True, exist_ok=True)
    started: list[_Worker] = []
    for index in range(1, workers + 1):
        shard = Shard(index, workers)
        out = base / str(index)
        out.mkdir(parents=True, exist_ok=True)
        log = open(out / "worker.log", "wb")  # noqa: SIM115 - closed when the worker has ended
        process = subprocess.Popen(worker_argv(options, shard, out), stdout=log, stderr=subprocess.STDOUT,
                                   env={**os.environ, "NO_COLOR": "1"}, start_new_session=True)
        started.append(_Worker(shard, out, process, log))
    interrupted = False
    try:
        _follow(started, console)
    except KeyboardInterrupt:
        interrupted = True
        for worker in started:  # each worker writes what it finished, as an interrupted run does
            if worker.process.poll() is None:
                os.killpg(worker.process.pid, signal.SIGINT)
        for worker in started:
            try:
                worker.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(worker.process.pid, signal.SIGKILL)
                worker.process.wait()
    finally:
        for worker in started:
            worker.log.close()
    codes = [w.process.returncode for w in started]
    failed_logs = [w.out / "worker.log" for w in started if w.process.returncode not in (0, 1)]
    dirs = [d for d in (w.run_dir() for w in started) if d is not None and (d / "results.json").is_file()]
    if not dirs:
        raise LerconfError("no worker started its run; see " + ", ".join(str(w.out / "worker.log") for w in started))
    merge_shards(dirs, run_dir, partial=True, run_id=run_dir.name, command=sys.argv)
    return WorkerOutcome(codes, interrupted, failed_logs)


def _follow(workers: list[_Worker], console: Console) -> None:
    total: int | None = None
    while True:
        running = [w for w in workers if w.process.poll() is None]
        if total is None:
            counts = [w.counted() for w in workers]
            if all(c is not None for c in counts):
                total = sum(c for c in counts if c is not None)
        for worker in workers:
            for scenario in worker.new_scenarios():
                console.scenario(scenario, total)
        if not running:
            return
        time.sleep(POLL_S)
