"""A faulty OB 3.0 / CLR 2.0 host on a free loopback port, and one in-process `lerconf run --role
ob_provider` against it.

The instance is a full reference (its did:web issuer signs the seeded credentials; lerconf reaches
the DID document through a URL map, as for tests/faulty) whose two host stores (OB and CLR) run
with the fault's :class:`~lerconf.refimpl.obhost.Rules`, optionally behind an ASGI wrapper that
alters one kind of answer. Its profile has only an ``ob_provider`` section, written as a vendor
would write it.
"""
from __future__ import annotations

import contextlib
import dataclasses
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from faulty.runs import RunResult, run_profile
from faulty.server import ServedApp, serve_app
from starlette.applications import Starlette

from faulty_obhost.faults import HostFault
from lerconf.documents.loader import LoaderSettings
from lerconf.refimpl import app as ref_app
from lerconf.refimpl.obhost import APIS, HostStore, Rules
from lerconf.refimpl.problems import exception_handlers
from lerconf.refimpl.server import bind

HOST = "127.0.0.1"


@dataclass
class RunningHost:
    fault: HostFault
    base_url: str
    profile_path: Path
    url_map_path: Path
    served: ServedApp


def profile_document(name: str, base_url: str) -> dict[str, Any]:
    """An ``ob_provider`` section as a host's vendor would write it (the reference's claims)."""
    return {"name": name, "version": "0.0.0-faulty", "ob_provider": {
        "base_url": base_url, "apis": ["ob", "clr"],
        "claims": {"operations": ["read", "write", "profile", "profile_update", "refresh", "revocation"],
                   "formats": ["ldp_vc", "jwt"]},
        "options": {"revocation_url": f"{base_url}/ims/ob/v3p0/auth/revoke"}}}


@contextlib.contextmanager
def running_host(fault: HostFault, workdir: Path) -> Iterator[RunningHost]:
    workdir.mkdir(parents=True, exist_ok=True)
    sock = bind(HOST, 0)
    state = ref_app.build_state(HOST, sock.getsockname()[1], LoaderSettings.from_env(), workdir=workdir)
    app = Starlette(routes=ref_app.ROUTES, exception_handlers=exception_handlers)
    app.state.reference = state
    rules = dataclasses.replace(Rules(), **fault.rules)
    app.state.obhost = {api.key: HostStore(api, state.base_url, rules) for api in APIS}
    profile_path = workdir / "profile.yaml"
    profile_path.write_text(yaml.safe_dump(profile_document(fault.vendor_name, state.base_url), sort_keys=False))
    url_map_path = workdir / "url-map.json"
    url_map_path.write_text(json.dumps({url: str(path) for url, path in state.url_map.items()}))
    served_app: Any = fault.wrapper(app) if fault.wrapper is not None else app
    served = serve_app(served_app, sock, f"faulty-obhost-{fault.name}", f"{state.base_url}/ims/ob/v3p0/terms")
    try:
        yield RunningHost(fault, state.base_url, profile_path, url_map_path, served)
    finally:
        served.stop()


#: the LER lifecycle through a host (features/lifecycle, @lifecycle @ob_provider) needs the host to
#: resolve the harness's own issuer: it is not what this bed judges
NOT_LIFECYCLE = "not lifecycle"


def run_lerconf(host: RunningHost, out: Path, keyword: str | None = None) -> RunResult:
    """`lerconf run --vendor <profile> --role ob_provider -k "[(<scope>) and ]not lifecycle"` in this process."""
    scope = keyword if keyword is not None else host.fault.keyword
    return run_profile(host.profile_path, host.url_map_path, out, roles=["ob_provider"],
                       keyword=f"({scope}) and {NOT_LIFECYCLE}" if scope else NOT_LIFECYCLE)
