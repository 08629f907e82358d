"""A faulty wallet adapter on a free loopback port (only the /wallet routes of a reference
instance, with one rule relaxed), and its vendor profile (only a ``wallet`` section)."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import yaml
from faulty.server import HOST, BedVendor, _vendor_settings, serve_app
from starlette.applications import Starlette

from faulty_wallet.faults import WalletFault
from lerconf.refimpl import app as ref_app
from lerconf.refimpl.problems import exception_handlers
from lerconf.refimpl.server import bind
from lerconf.refimpl.wallet.routes import ROUTES as WALLET_ROUTES
from lerconf.refimpl.wallet.store import WalletStore


def profile_document(name: str, base_url: str) -> dict[str, object]:
    return {"name": name, "version": "0.0.0-faulty",
            "wallet": {"adapter_url": f"{base_url}/wallet",
                       "claims": {"formats": ["ldp_vc", "jwt_vc_json"], "grants": ["pre-authorized_code", "authorization_code"], "dcql": True,
                                  "response_modes": ["direct_post", "direct_post.jwt"],
                                  "client_id_prefixes": ["redirect_uri", "decentralized_identifier", "x509_san_dns",
                                                         "x509_hash"]}}}


@contextlib.contextmanager
def running_wallet(fault: WalletFault, workdir: Path) -> Iterator[BedVendor]:
    workdir.mkdir(parents=True, exist_ok=True)
    sock = bind(HOST, 0)
    state = ref_app.build_state(HOST, sock.getsockname()[1], _vendor_settings(), workdir=workdir)
    app = Starlette(routes=WALLET_ROUTES, exception_handlers=exception_handlers)
    app.state.reference = state
    app.state.wallet = WalletStore(rules=fault.rules)
    profile_path = workdir / "profile.yaml"
    profile_path.write_text(yaml.safe_dump(profile_document(fault.vendor_name, state.base_url), sort_keys=False),
                            encoding="utf-8")
    vendor = BedVendor(fault, state, profile_path, None)
    vendor.served = serve_app(app, sock, f"faulty-wallet-{fault.name}", f"{state.base_url}/wallet/capabilities")
    try:
        yield vendor
    finally:
        vendor.stop()
