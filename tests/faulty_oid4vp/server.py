"""A faulty OID4VP verifier on a free loopback port, and its vendor profile (only an
``oid4vp_verifier`` section, verdicts through the result hook)."""
from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from faulty.server import HOST, BedVendor, LoopbackDidWeb, _vendor_settings, serve_app
from starlette.applications import Starlette

from faulty_oid4vp.faults import VerifierFault
from lerconf.refimpl import app as ref_app
from lerconf.refimpl.oid4vp.x509 import verifier_certificates
from lerconf.refimpl.problems import exception_handlers
from lerconf.refimpl.server import bind


def profile_document(name: str, base_url: str) -> dict[str, object]:
    return {
        "name": name, "version": "0.0.0-faulty",
        "oid4vp_verifier": {
            "request_hook": f"{base_url}/oid4vp/requests",
            "result_hook": f"{base_url}/oid4vp/results/{{state}}",
            "claims": {"formats": ["ldp_vc", "jwt_vc_json"], "response_modes": ["direct_post", "direct_post.jwt"],
                       "client_id_prefixes": ["redirect_uri", "decentralized_identifier", "x509_san_dns", "x509_hash"],
                       "request_signing": ["signed", "unsigned"], "request_uri_methods": ["get", "post"],
                       "spec_versions": ["1.0", "draft"]},
            "trust_anchors": [verifier_certificates().ca_pem],
        },
    }


@contextlib.contextmanager
def running_verifier(fault: VerifierFault, workdir: Path) -> Iterator[BedVendor]:
    workdir.mkdir(parents=True, exist_ok=True)
    sock = bind(HOST, 0)
    state = ref_app.build_state(HOST, sock.getsockname()[1], _vendor_settings(), workdir=workdir)
    state.verifier.resolver.loader = LoopbackDidWeb(state.verifier.resolver.loader)  # type: ignore[assignment]
    fault.install(state)
    app = Starlette(routes=ref_app.ROUTES, exception_handlers=exception_handlers)
    app.state.reference = state
    profile_path = workdir / "profile.yaml"
    profile_path.write_text(yaml.safe_dump(profile_document(fault.vendor_name, state.base_url), sort_keys=False),
                            encoding="utf-8")
    url_map_path = workdir / "url-map.json"
    url_map_path.write_text(json.dumps({u: str(p) for u, p in state.url_map.items()}), encoding="utf-8")
    vendor = BedVendor(fault, state, profile_path, url_map_path)
    vendor.served = serve_app(app, sock, f"faulty-vp-{fault.name}", f"{state.base_url}/.well-known/did.json")
    try:
        yield vendor
    finally:
        vendor.stop()


@dataclass
class Verifiers:
    """Faulty verifiers served together, each on its own port, and one URL map for all of them."""

    vendors: list[BedVendor]
    url_map: Path


@contextlib.contextmanager
def running_verifiers(faults: Sequence[VerifierFault], workdir: Path) -> Iterator[Verifiers]:
    """Every fault's verifier at once (one `lerconf run` judges them all: each its own vendor)."""
    with contextlib.ExitStack() as stack:
        vendors = [stack.enter_context(running_verifier(f, workdir / f"bed-{i}")) for i, f in enumerate(faults)]
        merged: dict[str, str] = {}
        for vendor in vendors:
            assert vendor.url_map_path is not None
            merged.update(json.loads(vendor.url_map_path.read_text(encoding="utf-8")))
        url_map = workdir / "url-map.json"
        url_map.write_text(json.dumps(merged), encoding="utf-8")
        try:
            yield Verifiers(vendors, url_map)
        finally:
            for vendor in vendors:  # all told to stop at once: each then ends within one of its ticks
                if vendor.served is not None:
                    vendor.served.server.should_exit = True
