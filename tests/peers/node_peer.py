"""Install, start and stop a Node.js peer (a ``server.mjs`` next to a pinned ``package-lock.json``)
for lerconf's own tests: the Digital Bazaar peer and the openid4vc peer share this.

``npm ci`` runs once per lock file (a stamp in node_modules records which); the server binds a free
loopback port and prints ``lerconf-peer ready {json}`` when it listens. Node.js (>= 20) and npm must
be on PATH; without them ``PeerUnavailable`` names what to install. The tests turn that into a
failure, never a skip: CI must have Node.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

READY = "lerconf-peer ready "


class PeerUnavailable(RuntimeError):
    """Node/npm missing, npm ci failed, or the server did not become ready."""


@dataclass(frozen=True)
class NodeService:
    """One peer folder: ``server.mjs``, ``package-lock.json``, and what to say when Node is missing."""

    here: Path
    name: str
    install_help: str

    def _tool(self, tool: str) -> str:
        path = shutil.which(tool)
        if path is None:
            raise PeerUnavailable(f"`{tool}` not found: {self.install_help}")
        return path

    def node_version(self) -> tuple[int, ...]:
        out = subprocess.run([self._tool("node"), "--version"], capture_output=True, text=True, check=True).stdout
        return tuple(int(x) for x in out.strip().lstrip("v").split(".")[:3])

    def _lock_digest(self) -> str:
        return hashlib.sha256((self.here / "package-lock.json").read_bytes()).hexdigest()

    def ensure_installed(self, *, timeout: float = 300) -> None:
        """`npm ci` from the committed lock file, unless node_modules already matches it."""
        if self.node_version() < (20,):
            raise PeerUnavailable(f"Node.js {'.'.join(map(str, self.node_version()))} is too old; {self.install_help}")
        npm = self._tool("npm")
        stamp = self.here / "node_modules" / ".lerconf-installed"
        # one installer at a time: `npm ci` first deletes node_modules, so a second test process (an xdist
        # worker) starting the peer meanwhile found half a tree (seen with four workers: zod's core.js missing)
        with (self.here / ".lerconf-install.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if stamp.is_file() and stamp.read_text().strip() == self._lock_digest():
                return
            result = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=self.here,
                                    capture_output=True, text=True, timeout=timeout, check=False)
            if result.returncode != 0:
                raise PeerUnavailable(f"`npm ci` failed in {self.here} (exit {result.returncode}):\n{result.stderr[-3000:]}")
            stamp.write_text(self._lock_digest() + "\n")

    @contextmanager
    def running(self, env: Mapping[str, str], *, exports: Mapping[str, str], ready_timeout: float = 30,
                ) -> Iterator[tuple[dict[str, Any], list[str]]]:
        """Start server.mjs on a free loopback port (the OS picks it) and yield its ready line's
        fields and its log; ``exports`` sets environment variables from those fields (restored after)."""
        self.ensure_installed()
        proc = subprocess.Popen([self._tool("node"), str(self.here / "server.mjs")], cwd=self.here,
                                env={**os.environ, "HOST": "127.0.0.1", "PORT": "0", **env}, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        log: list[str] = []
        ready = threading.Event()
        info: dict[str, Any] = {}

        def pump() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                log.append(line.rstrip("\n"))
                if line.startswith(READY) and not ready.is_set():
                    info.update(json.loads(line[len(READY):]))
                    ready.set()
            ready.set()  # the process ended

        threading.Thread(target=pump, name=f"{self.name}-log", daemon=True).start()
        saved = {k: os.environ.get(k) for k in exports}
        try:
            deadline = time.monotonic() + ready_timeout
            while not ready.wait(0.1):
                if time.monotonic() > deadline:
                    raise PeerUnavailable(f"the {self.name} did not print its ready line within {ready_timeout}s:\n"
                                          + "\n".join(log[-30:]))
            if not info:
                raise PeerUnavailable(f"the {self.name} exited (code {proc.poll()}) before it was ready:\n"
                                      + "\n".join(log[-30:]))
            for variable, field in exports.items():
                os.environ[variable] = str(info[field])
            yield info, log
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
