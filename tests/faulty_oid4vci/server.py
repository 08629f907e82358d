"""A faulty OID4VCI issuer on a free loopback port, and one in-process `lerconf run` of the
OID4VCI features against it (``run_together``: against several, each on its own port).

The instance is a full reference (its did:web keys sign the badges; lerconf reaches the DID
document through a URL map, as for tests/faulty) whose OID4VCI store has one rule relaxed. Its
profile has only an ``oid4vci_issuer`` section with the reference's claims.
"""
from __future__ import annotations

import contextlib
import dataclasses
import json
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
import yaml
from faulty.runs import RunResult, run_profile, run_profiles
from starlette.applications import Starlette

from faulty_oid4vci.faults import IssuerFault
from lerconf.documents.loader import LoaderSettings
from lerconf.refimpl import app as ref_app
from lerconf.refimpl.oid4vci import IssuerStore, Rules
from lerconf.refimpl.problems import exception_handlers
from lerconf.refimpl.server import bind

HOST = "127.0.0.1"
#: features/wallet are @oid4vci too (lerconf plays the issuer there); the LMC oid4-ecdsa rows have their own bed
OID4VCI_TAG = "oid4vci and oid4vci_issuer and not lmc-oid4-ecdsa"


@dataclass
class RunningIssuer:
    fault: IssuerFault
    profile_path: Path
    url_map_path: Path
    server: uvicorn.Server
    thread: threading.Thread


def profile_document(name: str, base_url: str, claims: dict[str, Any] | None = None,
                     options: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": name, "version": "0.0.0-faulty", "oid4vci_issuer": {
        "credential_issuer": f"{base_url}/oid4vci", "offer_url": f"{base_url}/oid4vci/offers",
        "claims": {"formats": ["ldp_vc", "jwt_vc_json"], "grants": ["pre-authorized_code", "authorization_code"],
                   "proof_types": ["jwt", "di_vp"], "spec_versions": ["final"],
                   "features": ["tx_code", "offer_by_value", "offer_by_reference", "nonce_expiry", "deferred"],
                   **(claims or {})},
        "options": {"nonce_lifetime_s": Rules().nonce_lifetime_s, **(options or {})}}}


@contextlib.contextmanager
def running_issuer(fault: IssuerFault, workdir: Path) -> Iterator[RunningIssuer]:
    workdir.mkdir(parents=True, exist_ok=True)
    sock = bind(HOST, 0)
    state = ref_app.build_state(HOST, sock.getsockname()[1], LoaderSettings.from_env(), workdir=workdir)
    app = Starlette(routes=ref_app.ROUTES, exception_handlers=exception_handlers)
    app.state.reference = state
    app.state.oid4vci = IssuerStore(state.base_url, dataclasses.replace(Rules(), **fault.rules))
    profile_path = workdir / "profile.yaml"
    profile_path.write_text(yaml.safe_dump(profile_document(fault.vendor_name, state.base_url, fault.claims, fault.options),
                                           sort_keys=False))
    url_map_path = workdir / "url-map.json"
    url_map_path.write_text(json.dumps({url: str(path) for url, path in state.url_map.items()}))
    server = uvicorn.Server(uvicorn.Config(app, host=HOST, port=state.port, log_level="warning", access_log=False,
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=f"faulty-vci-{fault.name}", daemon=True)
    thread.start()
    try:
        yield RunningIssuer(fault, profile_path, url_map_path, server, thread)
    finally:
        server.should_exit = True
        thread.join(5)


def run_lerconf(issuer: RunningIssuer, out: Path) -> RunResult:
    """`lerconf run --vendor <profile> --tags oid4vci... [-k <the fault's scope>]` in this process."""
    return run_profile(issuer.profile_path, issuer.url_map_path, out, tags=OID4VCI_TAG, keyword=issuer.fault.keyword)


def run_together(faults: Iterable[IssuerFault], workdir: Path) -> RunResult:
    """A faulty issuer per fault, each on its own loopback port, judged in one `lerconf run --vendor <each
    profile> --tags oid4vci... [-k <their scope>]` (one URL map for all their did:web documents). The
    faults must share their scope: -k is the run's, not a vendor's."""
    faults = list(faults)
    keywords = {fault.keyword for fault in faults}
    if len(keywords) != 1:
        raise ValueError(f"beds of different scopes cannot share a run: {sorted(map(str, keywords))}")
    with contextlib.ExitStack() as stack:
        issuers = [stack.enter_context(running_issuer(fault, workdir / fault.name)) for fault in faults]
        merged: dict[str, str] = {}
        for issuer in issuers:
            merged.update(json.loads(issuer.url_map_path.read_text()))
        url_map = workdir / "url-map.json"
        url_map.write_text(json.dumps(merged))
        try:
            return run_profiles([i.profile_path for i in issuers], url_map, workdir / "reports", tags=OID4VCI_TAG,
                                keyword=keywords.pop())
        finally:  # all told to stop at once: each then only waits for its own (~0.2 s each, one after another)
            for issuer in issuers:
                issuer.server.should_exit = True
