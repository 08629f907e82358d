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
from typing import Any

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
        stop(process)


def stop(process: subprocess.Popen[Any]) -> None:
    """Terminate a served process; kill it if it has not gone within ten seconds."""
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


@dataclass
class PersonRun:
    """A `lerconf run` whose logins a robot person did by hand (``login: person``)."""

    returncode: int
    stdout: str
    said: list[str]
    opened: list[tuple[str, int, str]]  # (where the browser ended, its status, the page)
    run_dir: Path


def _browse(url: str, ca_file: str) -> tuple[str, int, str]:
    """A browser trusting ``ca_file`` opens ``url`` and follows every redirect: (where it ended, status, page)."""
    try:
        with httpx.Client(verify=ssl.create_default_context(cafile=ca_file), follow_redirects=True,
                          trust_env=False, timeout=30) as browser:
            landed = browser.get(url)
        return str(landed.url), landed.status_code, landed.text
    except httpx.HTTPError as exc:  # a browser that got nowhere: the caller's assertions say so
        return url, 0, repr(exc)


def _person_at_the_page(page_root: str, ca_file: str, opened: list[tuple[str, int, str]], stop: threading.Event) -> None:
    """Reads lerconf's operator page as a person does and opens each login step's address once."""
    done: set[int] = set()
    with httpx.Client(trust_env=False, timeout=10, follow_redirects=True) as page:
        session = None
        while not stop.is_set():
            try:
                session = session or str(page.get(page_root).url)
                step = page.get(session + "state.json").json().get("step")
            except (httpx.HTTPError, ValueError):
                session = None
                stop.wait(0.1)
                continue
            if step and step["kind"] == "login" and step["id"] not in done and not step["ended"]:
                done.add(step["id"])
                opened.append(_browse(step["links"][0]["url"], ca_file))
            stop.wait(0.1)


def run_with_a_person(args: list[str], ca_file: str, out: Path, timeout: float = 300,
                      page_port: int | None = None) -> PersonRun:
    """`lerconf run ARGS --out OUT` in its own session (no terminal: lerconf's prompts go to its
    stderr), with a robot person that opens each address lerconf prints after "log in by hand" in a
    browser trusting ``ca_file`` (the vendor's AS auto-approves, so opening it is logging in); with
    ``page_port``, the person reads the login steps off lerconf's operator page there instead."""
    proc = subprocess.Popen([str(LERCONF), "run", *args, "--out", str(out)], cwd=Path(__file__).resolve().parents[1],
                            env={**os.environ, **shared_env()}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    opened: list[tuple[str, int, str]] = []
    said: list[str] = []

    def person() -> None:
        assert proc.stderr is not None
        waiting = False
        for line in proc.stderr:
            said.append(line)
            if "log in by hand" in line:
                waiting = True
            elif waiting and line.startswith("  https://"):
                waiting = False
                if page_port is None:
                    opened.append(_browse(line.strip(), ca_file))

    reader = threading.Thread(target=person, daemon=True)
    reader.start()  # the only reader of stderr (communicate() would read it too, and take lines away)
    stop = threading.Event()
    at_page = threading.Thread(target=_person_at_the_page, args=(f"http://{HOST}:{page_port}/", ca_file, opened, stop),
                               daemon=True)
    if page_port is not None:
        at_page.start()
    assert proc.stdout is not None
    stdout = proc.stdout.read()
    proc.wait(timeout=timeout)
    stop.set()
    reader.join(10)
    if page_port is not None:
        at_page.join(10)
    dirs = [p for p in out.iterdir() if p.is_dir() and not p.is_symlink()]
    assert len(dirs) == 1, stdout[-2000:] + "".join(said)[-4000:]
    return PersonRun(proc.returncode, stdout, said, opened, dirs[0])


def landed_on_lerconfs_callback(opened: list[tuple[str, int, str]]) -> bool:
    """Every browser ended on lerconf's callback, whose page never shows the code."""
    return bool(opened) and all(url.startswith("http://127.0.0.1:") and "/login/callback?" in url and status == 200
                                and "lerconf received the login" in page and "code=" not in page
                                for url, status, page in opened)
