"""A faulty consumer on a free loopback port (only the reference consumer's trigger, with one
behaviour turned off), and its vendor profile (only an ``ob_consumer`` section)."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path

import yaml
from faulty.server import HOST, BedVendor, _vendor_settings, serve_app
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from faulty_obconsumer.faults import ConsumerFault
from lerconf.refimpl import app as ref_app
from lerconf.refimpl.obconsumer import TRIGGER_PATH
from lerconf.refimpl.obconsumer.routes import trigger
from lerconf.refimpl.problems import exception_handlers
from lerconf.refimpl.server import bind


def profile_document(name: str, base_url: str) -> dict[str, object]:
    return {"name": name, "version": "0.0.0-faulty",
            "ob_consumer": {"trigger_url": f"{base_url}{TRIGGER_PATH}", "apis": ["ob", "clr"],
                            "claims": {"operations": ["write", "read"], "formats": ["ldp_vc", "jwt"]}}}


@contextlib.contextmanager
def running_consumer(fault: ConsumerFault, workdir: Path) -> Iterator[BedVendor]:
    workdir.mkdir(parents=True, exist_ok=True)
    sock = bind(HOST, 0)
    state = ref_app.build_state(HOST, sock.getsockname()[1], _vendor_settings(), workdir=workdir)
    app = Starlette(routes=[Route(TRIGGER_PATH, trigger, methods=["POST"]),
                            Route("/ready", _ready, methods=["GET"])],
                    exception_handlers=exception_handlers)
    app.state.reference = state
    app.state.obconsumer_rules = fault.rules
    profile_path = workdir / "profile.yaml"
    profile_path.write_text(yaml.safe_dump(profile_document(fault.vendor_name, state.base_url), sort_keys=False),
                            encoding="utf-8")
    vendor = BedVendor(fault, state, profile_path, None)
    vendor.served = serve_app(app, sock, f"faulty-consumer-{fault.name}", f"{state.base_url}/ready")
    try:
        yield vendor
    finally:
        vendor.stop()


async def _ready(request: Request) -> Response:
    """Answers once the bed serves (serve_app waits for it)."""
    return PlainTextResponse("ready")


@contextlib.contextmanager
def running_consumers(faults: Sequence[ConsumerFault], workdir: Path) -> Iterator[list[BedVendor]]:
    """Every fault's consumer at once, each on its own port (one `lerconf run` judges them all)."""
    with contextlib.ExitStack() as stack:
        vendors = [stack.enter_context(running_consumer(f, workdir / f"bed-{i}")) for i, f in enumerate(faults)]
        try:
            yield vendors
        finally:
            for vendor in vendors:  # all told to stop at once: each then ends within one of its ticks
                if vendor.served is not None:
                    vendor.served.server.should_exit = True
