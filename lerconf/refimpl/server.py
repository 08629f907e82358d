"""Run the reference on loopback: in a background thread for tests and `lerconf run`, or in
the foreground for `lerconf serve`.

The socket is bound before the app is built, because the port is part of the issuer's
did:web identifier (``did:web:127.0.0.1%3A<port>``) and so of every signature it makes.
"""
from __future__ import annotations

import contextlib
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING, Iterator

import httpx
import uvicorn
from starlette.applications import Starlette

from lerconf.documents.loader import LoaderSettings
from lerconf.refimpl.app import build_state, create_app

if TYPE_CHECKING:
    from lerconf.profiles import VendorProfile
    from lerconf.refimpl.keys import ReferenceKeys
    from lerconf.refimpl.state import ReferenceState

__all__ = ["PROFILE_PATH", "RunningReference", "bind", "running_reference", "serve"]

PROFILE_PATH = Path(__file__).resolve().parents[2] / "fixtures" / "vendors" / "reference.yaml"
PORT_VARIABLE = "LERCONF_REFERENCE_PORT"


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket (port 0 = any free port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    return sock


@dataclass
class RunningReference:
    """A started reference; everything a harness needs to call and trust it."""

    state: "ReferenceState"
    _server: uvicorn.Server = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    @property
    def base_url(self) -> str:
        return self.state.base_url

    @property
    def port(self) -> int:
        return self.state.port

    @property
    def issuer_id(self) -> str:
        return self.state.issuer_id

    @property
    def keys(self) -> "ReferenceKeys":
        return self.state.keys

    @property
    def did_document_path(self) -> Path:
        return self.state.did_document_path

    @property
    def url_map(self) -> dict[str, Path]:
        """did:web resolves to https://host:port/.well-known/did.json; the server speaks HTTP."""
        return self.state.url_map

    @property
    def allowed_hosts(self) -> frozenset[str]:
        return self.state.allowed_hosts

    def loader_settings(self, base: LoaderSettings | None = None) -> LoaderSettings:
        """``base`` plus what a harness loader needs to verify this reference's output."""
        base = base or LoaderSettings.from_env()
        return LoaderSettings(
            context_dirs=base.context_dirs, schema_dirs=base.schema_dirs, cache_dir=base.cache_dir,
            url_map={**base.url_map, **self.url_map}, offline=False,  # status lists come over loopback
            allow_unregistered_contexts=base.allow_unregistered_contexts,
            allowed_hosts=base.allowed_hosts | self.allowed_hosts,
            allow_private_addresses=base.allow_private_addresses,
        )

    def profile(self, path: Path = PROFILE_PATH) -> "VendorProfile":
        """The vendor profile with ${LERCONF_REFERENCE_PORT} replaced by this instance's port."""
        from lerconf.profiles import parse_profile
        import yaml

        text = Template(path.read_text(encoding="utf-8")).substitute({PORT_VARIABLE: str(self.port)})
        return parse_profile(yaml.safe_load(text), str(path))

    def stop(self, timeout: float = 5.0) -> None:
        self._server.should_exit = True
        self._thread.join(timeout)


def _config(app: Starlette, host: str, port: int) -> uvicorn.Config:
    return uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False, lifespan="off")


def start_reference(host: str = "127.0.0.1", port: int = 0, settings: LoaderSettings | None = None,
                    timeout: float = 10.0) -> RunningReference:
    """Start in a daemon thread and return once the server answers HTTP."""
    sock = bind(host, port)
    state = build_state(host, sock.getsockname()[1], settings)
    server = uvicorn.Server(_config(create_app(state), host, state.port))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="lerconf-reference", daemon=True)
    thread.start()
    running = RunningReference(state, server, thread)
    deadline = time.monotonic() + timeout
    while True:
        try:
            if server.started:
                with httpx.Client(trust_env=False, timeout=1.0) as client:
                    if client.get(f"{state.base_url}/.well-known/did.json").status_code == 200:
                        return running
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or not thread.is_alive():
            running.stop()
            sock.close()
            raise RuntimeError(f"reference implementation did not start on {state.base_url}")
        time.sleep(0.02)


@contextlib.contextmanager
def running_reference(host: str = "127.0.0.1", port: int = 0,
                      settings: LoaderSettings | None = None) -> Iterator[RunningReference]:
    """``with running_reference() as ref:`` – the reference on a free loopback port."""
    running = start_reference(host, port, settings)
    try:
        yield running
    finally:
        running.stop()


def serve(host: str, port: int, settings: LoaderSettings | None = None, *, announce: bool = True) -> None:
    """Serve in the foreground until interrupted (``lerconf serve``)."""
    sock = bind(host, port)
    state = build_state(host, sock.getsockname()[1], settings)
    if announce:
        print(f"lerconf reference implementation at {state.base_url}", flush=True)
        print(f"issuer {state.issuer_id}", flush=True)
        print(f"holder {state.keys.holder_id}", flush=True)
        print(f"url map: {state.did_url} -> {state.did_document_path}", flush=True)
    uvicorn.Server(_config(create_app(state), host, state.port)).run(sockets=[sock])
