"""A faulty wallet adapter on a free loopback port (only the /wallet routes of a reference
instance, with one rule relaxed), and its vendor profile (only a ``wallet`` section)."""
from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import uvicorn
import yaml
from faulty.server import HOST, _vendor_settings
from starlette.applications import Starlette

from faulty_wallet.faults import WalletFault
from lerconf.refimpl import app as ref_app
from lerconf.refimpl import wallet
from lerconf.refimpl.problems import exception_handlers
from lerconf.refimpl.server import bind
from lerconf.refimpl.state import ReferenceState


def profile_document(name: str, base_url: str) -> dict[str, object]:
    return {"name": name, "version": "0.0.0-faulty",
            "wallet": {"adapter_url": f"{base_url}/wallet",
                       "claims": {"formats": ["ldp_vc", "jwt_vc_json"], "grants": ["pre-authorized_code", "authorization_code"], "dcql": True,
                                  "response_modes": ["direct_post", "direct_post.jwt"],
                                  "client_id_prefixes": ["redirect_uri", "decentralized_identifier", "x509_san_dns",
                                                         "x509_hash"]}}}


@dataclass
class FaultyWallet:
    fault: WalletFault
    state: ReferenceState
    profile_path: Path
    url_map_path: Path | None
    _server: uvicorn.Server = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    def stop(self, timeout: float = 5.0) -> None:
        self._server.should_exit = True
        self._thread.join(timeout)


@contextlib.contextmanager
def running_wallet(fault: WalletFault, workdir: Path) -> Iterator[FaultyWallet]:
    workdir.mkdir(parents=True, exist_ok=True)
    sock = bind(HOST, 0)
    state = ref_app.build_state(HOST, sock.getsockname()[1], _vendor_settings(), workdir=workdir)
    app = Starlette(routes=wallet.ROUTES, exception_handlers=exception_handlers)
    app.state.reference = state
    app.state.wallet = wallet.WalletStore(rules=fault.rules)
    profile_path = workdir / "profile.yaml"
    profile_path.write_text(yaml.safe_dump(profile_document(fault.vendor_name, state.base_url), sort_keys=False),
                            encoding="utf-8")
    server = uvicorn.Server(uvicorn.Config(app, host=HOST, port=state.port, log_level="warning", access_log=False,
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=f"faulty-wallet-{fault.name}",
                              daemon=True)
    thread.start()
    vendor = FaultyWallet(fault, state, profile_path, None, server, thread)
    try:
        with httpx.Client(trust_env=False, timeout=10) as client:  # waits in the listen backlog until served
            client.get(f"{state.base_url}/wallet/capabilities")
        yield vendor
    finally:
        vendor.stop()
