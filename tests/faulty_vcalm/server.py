"""Faulty exchange beds started as separate processes, all at once, and one in-process
`lerconf run --role …` against one of them, or against several at once (each its own vendor)."""
from __future__ import annotations

import contextlib
import json
import os
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
from faulty.runs import RunResult, run_profile, run_profiles

from conftest import shared_env
from faulty_vcalm.faults import ExchangeFault

TESTS = Path(__file__).resolve().parents[1]


@dataclass
class RunningBed:
    fault: ExchangeFault
    base_url: str
    profile_path: Path
    url_map_path: Path


def _spawn(fault: ExchangeFault, workdir: Path) -> subprocess.Popen[str]:
    env = {**os.environ, **shared_env(), "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen([sys.executable, "-m", "faulty_vcalm.serve", fault.name, str(workdir)], cwd=TESTS, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _ready(process: subprocess.Popen[str], fault: ExchangeFault, workdir: Path, timeout: float = 60) -> str:
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        if line.startswith("ready "):
            threading.Thread(target=process.stdout.read, daemon=True).start()  # keep draining its output
            base_url = line.split()[1]
            verify: ssl.SSLContext | bool = ssl.create_default_context(cafile=workdir / "tls" / "ca.pem") if fault.tls else True
            with httpx.Client(trust_env=False, timeout=timeout, verify=verify) as client:
                client.get(f"{base_url}/.well-known/did.json").raise_for_status()
            return base_url
        lines.append(line)
    raise RuntimeError(f"the bed for {fault.name} did not start:\n" + "".join(lines))


@contextlib.contextmanager
def started_beds(faults: Sequence[ExchangeFault], workdir: Path) -> Iterator[dict[str, RunningBed]]:
    """One process per fault, started together; each bed ready once its did:web answers."""
    processes = {f.name: _spawn(f, workdir / f"bed-{i}") for i, f in enumerate(faults)}
    try:
        beds = {}
        for i, fault in enumerate(faults):
            base = workdir / f"bed-{i}"
            beds[fault.name] = RunningBed(fault, _ready(processes[fault.name], fault, base), base / "profile.yaml",
                                          base / "url-map.json")
        yield beds
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)


def run_lerconf(bed: RunningBed, out: Path, roles: Sequence[str]) -> RunResult:
    """`lerconf run --vendor <bed profile> --role …` in this process."""
    return run_profile(bed.profile_path, bed.url_map_path, out, roles=list(roles))


def run_beds(beds: Sequence[RunningBed], out: Path, role: str) -> RunResult:
    """`lerconf run --vendor <each bed's profile> --role ROLE --tags SELECTION` in this process: every
    bed judged in one run, their did:web URL maps merged. The tags leave out only what the role skips
    as not selected (the other roles' features; lifecycle and interop run whatever the role), so each
    bed gets the scenarios a run of its own would give it."""
    merged: dict[str, str] = {}
    for bed in beds:
        merged.update(json.loads(bed.url_map_path.read_text(encoding="utf-8")))
    out.mkdir(parents=True, exist_ok=True)
    url_map = out / "url-map.json"
    url_map.write_text(json.dumps(merged), encoding="utf-8")
    return run_profiles([b.profile_path for b in beds], url_map, out / "reports", roles=[role],
                        tags=f"{role} or lifecycle or interop")
