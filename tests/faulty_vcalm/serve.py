"""One faulty exchange bed as its own process: ``python -m faulty_vcalm.serve FAULT WORKDIR``.

Binds a free port on 127.0.0.1 (never another address), writes the vendor profile (``vcalm_issuer``
and ``vcalm_verifier`` sections only, as a vendor would write them) and the URL map of its did:web
into WORKDIR, prints ``ready <base_url>`` and serves until terminated."""
from __future__ import annotations

import json
import sys
from pathlib import Path

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


def main(fault_name: str, workdir: Path) -> None:
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
    print(f"ready {state.base_url}", flush=True)  # the socket listens already: requests wait in its backlog
    uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                                  ssl_certfile=str(tls.cert_file) if tls else None,
                                  ssl_keyfile=str(tls.key_file) if tls else None)).run(sockets=[sock])


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
