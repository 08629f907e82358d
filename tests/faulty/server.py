"""A faulty vendor: a reference instance with one fault, on a free loopback port.

Its profile is written like a real vendor's (YAML, the reference's claims, under its own name)
and its did:web document is served to the harness through a URL map, because did:web is
HTTPS-only and the vendor speaks HTTP on loopback.
"""
from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import uvicorn
import yaml
from starlette.applications import Starlette

from lerconf.documents.loader import LoaderSettings
from lerconf.documents.netguard import default_tls
from lerconf.refimpl import app as ref_app
from lerconf.refimpl.problems import exception_handlers
from lerconf.refimpl.server import bind

if TYPE_CHECKING:
    from faulty.faults import Fault
    from lerconf.refimpl.state import ReferenceState

HOST = "127.0.0.1"

#: what the embedded reference claims (fixtures/vendors/reference.yaml), spelled out here so a
#: faulty vendor is judged on exactly the scenarios the reference is judged on
SECURING = ["eddsa-rdfc-2022", "eddsa-jcs-2022", "ecdsa-rdfc-2019", "ecdsa-jcs-2019", "Ed25519Signature2020"]
TYPES = ["OpenBadgeCredential", "AchievementCredential", "ClrCredential"]


@dataclass
class FaultyVendor:
    fault: Fault
    state: ReferenceState
    profile_path: Path
    url_map_path: Path
    _server: uvicorn.Server = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    @property
    def name(self) -> str:
        return self.fault.vendor_name

    @property
    def base_url(self) -> str:
        return self.state.base_url

    def stop(self, timeout: float = 5.0) -> None:
        self._server.should_exit = True
        self._thread.join(timeout)


@dataclass
class ServedApp:
    """An ASGI app served on a listening loopback socket in a daemon thread (the test beds' vendors)."""

    server: uvicorn.Server = field(repr=False)
    thread: threading.Thread = field(repr=False)

    def stop(self, timeout: float = 5.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout)


@dataclass
class BedVendor:
    """A test-bed vendor as a scenario run needs it: its fault, state, profile and the served app."""

    fault: Any
    state: ReferenceState
    profile_path: Path
    url_map_path: Path | None
    served: ServedApp | None = field(default=None, repr=False)

    def stop(self, timeout: float = 5.0) -> None:
        if self.served is not None:
            self.served.stop(timeout)


def serve_app(app: Any, sock: Any, name: str, ready_url: str, timeout: float = 10.0) -> ServedApp:
    """Serve ``app`` on ``sock`` and return once ``ready_url`` answers (the socket already listens,
    so that request waits in its backlog until uvicorn serves it: no polling loop)."""
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=name, daemon=True)
    thread.start()
    served = ServedApp(server, thread)
    try:
        with httpx.Client(trust_env=False, timeout=timeout, verify=default_tls(False)) as client:
            client.get(ready_url)
    except BaseException:
        served.stop()
        raise
    return served


def profile_document(name: str, base_url: str, issuer_id: str,
                     timeouts: dict[str, float] | None = None) -> dict[str, object]:
    claims = {"vc_versions": ["1.1", "2.0"], "credential_types": TYPES, "securing": SECURING,
              "status": ["BitstringStatusList"]}
    return {
        "name": name,
        "version": "0.0.0-faulty",
        **({"timeouts": timeouts} if timeouts else {}),
        "issuer": {"issue_url": f"{base_url}/credentials/issue", "status_url": f"{base_url}/credentials/status",
                   "id": issuer_id, "claims": claims},
        "verifier": {"verify_credential_url": f"{base_url}/credentials/verify",
                     "verify_presentation_url": f"{base_url}/presentations/verify",
                     "challenges_url": f"{base_url}/challenges", "failure_style": "verified_false",
                     # the reference verifier checks 1EdTech Revocation Lists too (OB-26); its issuer issues none
                     "claims": {**claims, "status": ["BitstringStatusList", "1EdTechRevocationList"]}},
        "holder": {"present_url": f"{base_url}/presentations",
                   "claims": {"vc_versions": ["1.1", "2.0"], "securing": ["eddsa-rdfc-2022"]}},
    }


def _vendor_settings() -> LoaderSettings:
    """The vendor may fetch from loopback: the harness's status lists live on its embedded reference."""
    settings = LoaderSettings.from_env()
    settings.allow_private_addresses = True
    return settings


class LoopbackDidWeb:
    """The vendor's loader, except that did:web documents on 127.0.0.1 are fetched over HTTP.

    did:web is HTTPS-only; lerconf's embedded reference (which signs the harness's status lists
    and did:web badges) speaks HTTP on loopback. A real vendor would fetch that did:web over
    HTTPS; this one is told where to find it, as the harness is through its URL map.
    """

    def __init__(self, loader: Any) -> None:
        self._loader = loader

    def __getattr__(self, name: str) -> Any:
        return getattr(self._loader, name)

    def load_remote_json(self, url: str) -> Any:
        parts = urlsplit(url)
        if (parts.scheme == "https" and parts.hostname == HOST and parts.path == "/.well-known/did.json"
                and url not in self._loader.settings.url_map):
            url = urlunsplit(("http", *parts[1:]))
        return self._loader.load_remote_json(url)


def build_app(state: ReferenceState, fault: Fault) -> Starlette:
    state.verifier.resolver.loader = LoopbackDidWeb(state.verifier.resolver.loader)  # type: ignore[assignment]
    parts = fault.install(state)
    app = Starlette(routes=[*parts.routes, *ref_app.ROUTES], exception_handlers=exception_handlers)
    app.state.reference = state
    wrapped = app
    for middleware in parts.middleware:
        wrapped = middleware(wrapped)  # type: ignore[assignment]
    return wrapped


def start_vendor(fault: Fault, workdir: Path, timeout: float = 10.0) -> FaultyVendor:
    workdir.mkdir(parents=True, exist_ok=True)
    sock = bind(HOST, 0)
    state = ref_app.build_state(HOST, sock.getsockname()[1], _vendor_settings(), workdir=workdir)
    app = build_app(state, fault)
    profile_path = workdir / "profile.yaml"
    profile_path.write_text(yaml.safe_dump(profile_document(fault.vendor_name, state.base_url, state.issuer_id,
                                                            fault.harness_timeouts),
                                           sort_keys=False), encoding="utf-8")
    url_map_path = workdir / "url-map.json"
    url_map_path.write_text(json.dumps({url: str(path) for url, path in state.url_map.items()}), encoding="utf-8")
    server = uvicorn.Server(uvicorn.Config(app, host=HOST, port=state.port, log_level="warning",
                                           access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=f"faulty-{fault.name}", daemon=True)
    thread.start()
    vendor = FaultyVendor(fault, state, profile_path, url_map_path, server, thread)
    # The socket already listens, so this request waits in its backlog until uvicorn serves it:
    # no polling loop.
    try:
        with httpx.Client(trust_env=False, timeout=timeout, verify=default_tls(False)) as client:
            answer = client.get(f"{state.base_url}/.well-known/did.json")
    except httpx.HTTPError as exc:
        vendor.stop()
        sock.close()
        raise RuntimeError(f"faulty vendor {fault.name} did not start on {state.base_url}: {exc}") from None
    if answer.status_code != 200:
        vendor.stop()
        raise RuntimeError(f"faulty vendor {fault.name} does not serve its DID document ({answer.status_code})")
    return vendor


@contextlib.contextmanager
def running_vendor(fault: Fault, workdir: Path) -> Iterator[FaultyVendor]:
    vendor = start_vendor(fault, workdir)
    try:
        yield vendor
    finally:
        vendor.stop()


@contextlib.contextmanager
def running_vendors(faults: Iterable[Fault], workdir: Path) -> Iterator[tuple[list[FaultyVendor], Path]]:
    """Each fault on its own loopback server (in ``workdir/<fault name>``) and one URL map merging theirs
    (``workdir/url-map.json``): several vendors for one `lerconf run`. Every server stops on exit."""
    with contextlib.ExitStack() as stack:
        vendors = [stack.enter_context(running_vendor(fault, workdir / fault.name)) for fault in faults]
        merged: dict[str, str] = {}
        for vendor in vendors:
            mine = json.loads(vendor.url_map_path.read_text(encoding="utf-8"))
            shared = {url for url in mine if merged.get(url, mine[url]) != mine[url]}
            assert not shared, f"{vendor.name} maps URLs another vendor maps elsewhere: {sorted(shared)}"
            merged.update(mine)
        url_map = workdir / "url-map.json"
        url_map.write_text(json.dumps(merged), encoding="utf-8")
        yield vendors, url_map
