"""`lerconf serve --tls --allow-loopback --profile-out` as a separately started vendor, for the e2e
tests that judge the embedded reference as an external process (only loopback traffic)."""
from __future__ import annotations

import contextlib
import os
import re
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from conftest import shared_env

LERCONF = Path(sys.executable).parent / "lerconf"
HOST = "127.0.0.1"


@dataclass
class Served:
    process: subprocess.Popen[str]
    base_url: str
    port: int
    ca_file: Path
    profile: Path


@contextlib.contextmanager
def running_served(tmp: Path, ready_path: str = "/.well-known/did.json") -> Iterator[Served]:
    """The server on a free loopback port until the block ends; ready once ``ready_path`` answers 200
    over TLS under the CA it wrote."""
    ca, profile = tmp / "ca.pem", tmp / "served.yaml"
    process = subprocess.Popen(
        [str(LERCONF), "serve", "--host", HOST, "--port", "0", "--tls", "--ca-out", str(ca), "--allow-loopback",
         "--profile-out", str(profile)],
        cwd=tmp, env={**os.environ, **shared_env()}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines: list[str] = []
        deadline = time.monotonic() + 60
        assert process.stdout is not None
        while not any(line.startswith("profile:") for line in lines):
            line = process.stdout.readline()
            if not line or time.monotonic() > deadline:
                pytest.fail("lerconf serve did not start:\n" + "".join(lines))
            lines.append(line)
        found = re.search(r"at (https://127\.0\.0\.1:(\d+))", "".join(lines))
        assert found, lines
        threading.Thread(target=process.stdout.read, daemon=True).start()  # keep draining its output
        _wait_until(found.group(1) + ready_path, ca)
        yield Served(process, found.group(1), int(found.group(2)), ca, profile)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def _wait_until(url: str, ca: Path) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            with httpx.Client(verify=ssl.create_default_context(cafile=str(ca)), trust_env=False, timeout=2) as client:
                if client.get(url).status_code == 200:
                    return
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.1)
