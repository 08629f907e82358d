"""Faulty exchange beds in a process of their own, apart from lerconf's:
``python -m faulty_vcalm.serve FAULT WORKDIR [FAULT WORKDIR ...]``.

Each bed binds a free port on 127.0.0.1 (never another address), writes its vendor profile
(``vcalm_issuer`` and ``vcalm_verifier`` sections only, as a vendor would write them) and the URL
map of its did:web into its WORKDIR, and has its own reference state, exchange store and (over
HTTPS) CA. The process prints ``ready <i> <base_url>`` for the i-th bed and serves them all, each
on its own port and thread, until terminated: one interpreter for a module's beds, not one a bed."""
from __future__ import annotations

import json
import signal
import sys
import threading
from pathlib import Path
from typing import Any

import uvicorn
import yaml

from faulty_vcalm.faults import BY_NAME
from lerconf.documents.loader import DocumentLoader, LoaderSettings
from lerconf.refimpl import app as ref_app
from lerconf.refimpl.exchanges import ExchangeStore, Rules
from lerconf.refimpl.server import bind
from lerconf.refimpl.tls import make_server_certificate

HOST = "127.0.0.1"


def profile_document(name: str, base_url: str, ca_file: Path | None = None, claims_lmc: bool = False) -> dict[str, object]:
    features = ["protocols", "request", "interaction_url"]
    return {"name": name, "version": "0.0.0-faulty",
            "vcalm_issuer": {"workflow_url": f"{base_url}/workflows/issue-badge", "claims": {"features": features}},
            "vcalm_verifier": {"workflow_url": f"{base_url}/workflows/verify-badge", "claims": {"features": features}},
            **({"tls": {"ca_file": str(ca_file)}} if ca_file else {}),
            **({"ecosystems": {"lmc": ["vcalm-eddsa"]}} if claims_lmc else {})}


def _reuse_probe_lists(loader: DocumentLoader) -> None:
    """The verifier keeps the first copy of each status list lerconf serves ``no-cache`` (its probe
    lists, ``/status-lists/probe/``) and never fetches it again; every other document as before."""
    kept: dict[str, bytes] = {}
    fetch = loader.load_remote_bytes

    def load_remote_bytes(url: str) -> bytes:
        if "/status-lists/probe/" not in url:
            return fetch(url)
        if url not in kept:
            kept[url] = fetch(url)
        return kept[url]

    loader.load_remote_bytes = load_remote_bytes  # type: ignore[method-assign]


def prepare(fault_name: str, workdir: Path) -> tuple[uvicorn.Server, Any, str]:
    """One bed, bound and ready to serve: (its server, its listening socket, its base URL)."""
    fault = BY_NAME[fault_name]
    workdir.mkdir(parents=True, exist_ok=True)
    sock = bind(HOST, 0)
    tls = make_server_certificate(workdir / "tls", HOST) if fault.tls else None
    state = ref_app.build_state(HOST, sock.getsockname()[1], LoaderSettings.from_env(), workdir=workdir,
                                ca_file=tls.ca_file if tls else None,
                                allow_loopback=True)  # lerconf's status lists live on another loopback port
    if fault.reuses_no_cache_lists:
        _reuse_probe_lists(state.loader)
    app = ref_app.create_app(state)
    app.state.vcalm_exchanges = ExchangeStore(Rules(**fault.rules))
    profile = profile_document(fault.vendor_name, state.base_url, tls.ca_file if tls else None, fault.claims_lmc)
    (workdir / "profile.yaml").write_text(yaml.safe_dump(profile, sort_keys=False))
    (workdir / "url-map.json").write_text(json.dumps({url: str(path) for url, path in state.url_map.items()}))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                                           ssl_certfile=str(tls.cert_file) if tls else None,
                                           ssl_keyfile=str(tls.key_file) if tls else None))
    return server, sock, state.base_url


def main(pairs: list[tuple[str, Path]]) -> None:
    beds = [prepare(name, workdir) for name, workdir in pairs]
    for i, (server, sock, base_url) in enumerate(beds):
        threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=f"bed-{i}", daemon=True).start()
        print(f"ready {i} {base_url}", flush=True)  # the socket listens already: requests wait in its backlog
    signal.pause()  # until terminated (SIGTERM's default action): the process ends, its beds with it


if __name__ == "__main__":
    args = sys.argv[1:]
    main([(args[i], Path(args[i + 1])) for i in range(0, len(args), 2)])
