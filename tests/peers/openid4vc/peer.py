"""Install, start and stop the openid4vc peer (server.mjs) for lerconf's own tests.

    with running_peer() as peer:        # npm ci once (skipped while node_modules is current)
        peer.base, peer.credential_issuer, peer.issuer_id, peer.profile   # OID4VC_PEER_BASE is set

Node.js (>= 20) and npm must be on PATH; without them ``PeerUnavailable`` names what to
install. The tests turn that into a failure, never a skip: CI must have Node.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROFILE = HERE / "profile.yaml"
LOCK = HERE / "package-lock.json"
STAMP = HERE / "node_modules" / ".lerconf-installed"
READY = "lerconf-peer ready "
INSTALL_HELP = (
    "the openid4vc peer needs Node.js >= 20 and npm on PATH. On Debian/Ubuntu CI: "
    "`curl -fsSL https://deb.nodesource.com/setup_20.x | sudo -E bash - && sudo apt-get install -y nodejs` "
    "(or actions/setup-node with node-version: 20); then `npm ci --prefix tests/peers/openid4vc` "
    "(the tests run it themselves when node_modules is missing or stale)"
)


class PeerUnavailable(RuntimeError):
    """Node/npm missing, npm ci failed, or the server did not become ready."""


@dataclass(frozen=True)
class Peer:
    base: str
    credential_issuer: str
    issuer_id: str
    profile: Path
    log: list[str]


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise PeerUnavailable(f"`{name}` not found: {INSTALL_HELP}")
    return path


def node_version() -> tuple[int, ...]:
    out = subprocess.run([_tool("node"), "--version"], capture_output=True, text=True, check=True).stdout
    return tuple(int(x) for x in out.strip().lstrip("v").split(".")[:3])


def _lock_digest() -> str:
    return hashlib.sha256(LOCK.read_bytes()).hexdigest()


def ensure_installed(*, timeout: float = 300) -> None:
    """`npm ci` from the committed lock file, unless node_modules already matches it."""
    if node_version() < (20,):
        raise PeerUnavailable(f"Node.js {'.'.join(map(str, node_version()))} is too old; {INSTALL_HELP}")
    npm = _tool("npm")
    if STAMP.is_file() and STAMP.read_text().strip() == _lock_digest():
        return
    result = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE,
                            capture_output=True, text=True, timeout=timeout, check=False)
    if result.returncode != 0:
        raise PeerUnavailable(f"`npm ci` failed in {HERE} (exit {result.returncode}):\n{result.stderr[-3000:]}")
    STAMP.write_text(_lock_digest() + "\n")


@contextmanager
def running_peer(*, ready_timeout: float = 30) -> Iterator[Peer]:
    """Start server.mjs on a free loopback port (the OS picks it), yield, then stop it."""
    ensure_installed()
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": "0"}
    proc = subprocess.Popen([_tool("node"), str(HERE / "server.mjs")], cwd=HERE, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    log: list[str] = []
    ready = threading.Event()
    info: dict[str, str] = {}

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            log.append(line.rstrip("\n"))
            if line.startswith(READY) and not ready.is_set():
                info.update(json.loads(line[len(READY):]))
                ready.set()
        ready.set()  # the process ended

    threading.Thread(target=pump, name="openid4vc-peer-log", daemon=True).start()
    saved = {k: os.environ.get(k) for k in ("OID4VC_PEER_BASE",)}
    try:
        deadline = time.monotonic() + ready_timeout
        while not ready.wait(0.1):
            if time.monotonic() > deadline:
                raise PeerUnavailable(f"the peer did not print its ready line within {ready_timeout}s:\n" + "\n".join(log[-30:]))
        if not info:
            raise PeerUnavailable(f"the peer exited (code {proc.poll()}) before it was ready:\n" + "\n".join(log[-30:]))
        os.environ["OID4VC_PEER_BASE"] = info["base"]
        yield Peer(info["base"], info["credential_issuer"], info["issuer"], PROFILE, log)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
