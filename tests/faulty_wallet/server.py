"""A faulty wallet adapter on a free loopback port (only the /wallet routes of a reference
instance, with one rule relaxed), and its vendor profile (only a ``wallet`` section)."""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import httpx
import yaml
from faulty.server import HOST, BedVendor, _vendor_settings, serve_app
from starlette.applications import Starlette

from faulty_wallet.faults import WalletFault
from lerconf.refimpl import app as ref_app
from lerconf.refimpl.problems import exception_handlers
from lerconf.refimpl.server import bind
from lerconf.refimpl.wallet.routes import ROUTES as WALLET_ROUTES
from lerconf.refimpl.wallet.store import WalletStore

#: the scenarios a profile with only a ``wallet`` section can be judged on (lerconf.roles.vendor_role:
#: the wallet features, and the lifecycle tagged oid4vci, where the vendor is the wallet), and the OpenID
#: interop cases (none with only wallets in the run); every other scenario is skipped as not claimed.
#: A wallet bed's run selects these alone: 17 wallets times every feature was ~8,400 skips, most of the
#: run's time. tests/e2e/test_faulty_wallet.py checks that it leaves out no scenario a wallet is judged on.
WALLET_TAGS = "wallet or (lifecycle and oid4vci) or (interop and oid4vp)"


def profile_document(name: str, base_url: str, isolation: bool = True) -> dict[str, object]:
    """A bed wallet claims what the reference wallet does; scenario isolation (LCW-05) where ``isolation``."""
    return {"name": name, "version": "0.0.0-faulty",
            "wallet": {"adapter_url": f"{base_url}/wallet", "isolation": "scenario" if isolation else "none",
                       "claims": {"formats": ["ldp_vc", "jwt_vc_json"], "grants": ["pre-authorized_code", "authorization_code"], "dcql": True,
                                  "response_modes": ["direct_post", "direct_post.jwt"],
                                  "client_id_prefixes": ["redirect_uri", "decentralized_identifier", "x509_san_dns",
                                                         "x509_hash"]}}}


@contextlib.contextmanager
def running_wallet(fault: WalletFault, workdir: Path, wrap: Callable[[Any], Any] | None = None) -> Iterator[BedVendor]:
    """The wallet adapter with ``fault``'s rules on a free loopback port; ``wrap`` puts ASGI middleware in front of
    it (benchmarks/one_wallet.py: a wallet that takes its time)."""
    workdir.mkdir(parents=True, exist_ok=True)
    sock = bind(HOST, 0)
    state = ref_app.build_state(HOST, sock.getsockname()[1], _vendor_settings(), workdir=workdir)
    app = Starlette(routes=WALLET_ROUTES, exception_handlers=exception_handlers)
    app.state.reference = state
    # the TLS trust the wallet's user agent gets by default (httpx's verify=True, without the environment),
    # built once for the bed: left to httpx, every flow's client loads the CA bundle again (a third of a
    # wallet bed's run, measured)
    app.state.wallet = WalletStore(rules=fault.rules, tls_verify=httpx.create_ssl_context(trust_env=False))
    profile_path = workdir / "profile.yaml"
    profile_path.write_text(yaml.safe_dump(profile_document(fault.vendor_name, state.base_url, fault.isolation), sort_keys=False),
                            encoding="utf-8")
    vendor = BedVendor(fault, state, profile_path, None)
    vendor.served = serve_app(wrap(app) if wrap else app, sock, f"faulty-wallet-{fault.name}",
                              f"{state.base_url}/wallet/capabilities")
    try:
        yield vendor
    finally:
        vendor.stop()


@contextlib.contextmanager
def started_wallets(faults: Iterable[WalletFault], workdir: Path) -> Iterator[list[BedVendor]]:
    """A faulty wallet per fault, each on its own loopback port (judged together in one `lerconf run`)."""
    with contextlib.ExitStack() as stack:
        wallets = [stack.enter_context(running_wallet(fault, workdir / fault.name)) for fault in faults]
        try:
            yield wallets
        finally:  # all told to stop at once: each then only waits for its own (~0.2 s each, one after another)
            for wallet in wallets:
                if wallet.served is not None:
                    wallet.served.server.should_exit = True
