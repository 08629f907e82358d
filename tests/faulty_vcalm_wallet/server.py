"""The faulty VCALM wallets on free loopback ports (the /wallet routes of a reference instance
each, one rule relaxed), and their vendor profiles (a ``wallet`` and a ``vcalm_wallet`` section)."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path

import yaml
from faulty.server import HOST, BedVendor, _vendor_settings, serve_app
from starlette.applications import Starlette

from faulty_vcalm_wallet.faults import WalletExchangeFault
from lerconf.refimpl import app as ref_app
from lerconf.refimpl.problems import exception_handlers
from lerconf.refimpl.server import bind
from lerconf.refimpl.wallet.routes import ROUTES as WALLET_ROUTES
from lerconf.refimpl.wallet.store import WalletStore


def profile_document(name: str, base_url: str) -> dict[str, object]:
    return {"name": name, "version": "0.0.0-faulty",
            "wallet": {"adapter_url": f"{base_url}/wallet", "claims": {"formats": ["ldp_vc"]}},
            "vcalm_wallet": {"claims": {"exchanges": ["issuing", "verifying"]}}}


def _start(fault: WalletExchangeFault, workdir: Path) -> BedVendor:
    workdir.mkdir(parents=True, exist_ok=True)
    sock = bind(HOST, 0)
    state = ref_app.build_state(HOST, sock.getsockname()[1], _vendor_settings(), workdir=workdir)
    routes = [r for r in WALLET_ROUTES if fault.interactions or getattr(r, "path", "") != "/wallet/interactions"]
    app = Starlette(routes=routes, exception_handlers=exception_handlers)
    app.state.reference = state
    app.state.wallet = WalletStore(rules=fault.rules)
    profile_path = workdir / "profile.yaml"
    profile_path.write_text(yaml.safe_dump(profile_document(fault.vendor_name, state.base_url), sort_keys=False),
                            encoding="utf-8")
    vendor = BedVendor(fault, state, profile_path, None)
    vendor.served = serve_app(app, sock, f"faulty-vcalm-wallet-{fault.name}", f"{state.base_url}/wallet/capabilities")
    return vendor


@contextlib.contextmanager
def running_wallets(faults: Sequence[WalletExchangeFault], workdir: Path) -> Iterator[list[BedVendor]]:
    """Every wallet of ``faults`` served at once (stopped, all of them, on the way out)."""
    vendors: list[BedVendor] = []
    try:
        for fault in faults:
            vendors.append(_start(fault, workdir / fault.name))
        yield vendors
    finally:
        for vendor in vendors:
            vendor.stop()
