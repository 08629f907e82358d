"""Faulty exchange beds served by a process of their own, all at once, and one in-process
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
from _served import stop
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


def _spawn(faults: Sequence[ExchangeFault], workdirs: Sequence[Path]) -> subprocess.Popen[str]:
    env = {**os.environ, **shared_env(), "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}
    pairs = [arg for fault, workdir in zip(faults, workdirs, strict=True) for arg in (fault.name, str(workdir))]
    return subprocess.Popen([sys.executable, "-m", "faulty_vcalm.serve", *pairs], cwd=TESTS, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _ready(process: subprocess.Popen[str], faults: Sequence[ExchangeFault], workdirs: Sequence[Path],
           timeout: float = 60) -> list[str]:
    """Each bed's base URL, once the process says it serves them all and each bed's did:web answers."""
    assert process.stdout is not None
    lines: list[str] = []
    urls: dict[int, str] = {}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(urls) < len(faults):
        line = process.stdout.readline()
        if not line:
            break
        if line.startswith("ready "):
            _, index, base_url = line.split()
            urls[int(index)] = base_url
        else:
            lines.append(line)
    if len(urls) < len(faults):
        missing = [f.name for i, f in enumerate(faults) if i not in urls]
        raise RuntimeError(f"the beds for {', '.join(missing)} did not start:\n" + "".join(lines))
    threading.Thread(target=process.stdout.read, daemon=True).start()  # keep draining its output
    for i, fault in enumerate(faults):
        verify: ssl.SSLContext | bool = ssl.create_default_context(cafile=workdirs[i] / "tls" / "ca.pem") if fault.tls else True
        with httpx.Client(trust_env=False, timeout=timeout, verify=verify) as client:
            client.get(f"{urls[i]}/.well-known/did.json").raise_for_status()
    return [urls[i] for i in range(len(faults))]


@contextlib.contextmanager
def started_beds(faults: Sequence[ExchangeFault], workdir: Path) -> Iterator[dict[str, RunningBed]]:
    """Every bed, each on its own port with its own state, served by one process apart from lerconf's
    (faulty_vcalm.serve: one interpreter start, not one a bed); each ready once its did:web answers."""
    workdirs = [workdir / f"bed-{i}" for i in range(len(faults))]
    process = _spawn(faults, workdirs)
    try:
        urls = _ready(process, faults, workdirs)
        yield {fault.name: RunningBed(fault, url, base / "profile.yaml", base / "url-map.json")
               for fault, url, base in zip(faults, urls, workdirs, strict=True)}
    finally:
        stop(process)


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
