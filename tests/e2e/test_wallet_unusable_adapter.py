"""A wallet adapter that gives no usable answer makes the wallet scenarios broken, never failed or
passed: a 5xx on POST /offers and /presentations, or garbage on POST /interactions (VCALM
exchanges), with nothing on lerconf's wire is the adapter's breakdown, not evidence that the wallet
misbehaved (and a reset it cannot do leaves "holds no credential" unknown)."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from faulty.runs import describe, run_profile
from faulty.server import serve_app
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from lerconf.refimpl.server import bind

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_data_env")]


async def _capabilities(request: Request) -> Response:
    return JSONResponse({"wallet": {"name": "broken adapter"}, "formats": ["ldp_vc"]})


async def _server_error(request: Request) -> Response:
    return JSONResponse({"error": "internal"}, status_code=500)


async def _garbage(request: Request) -> Response:
    return Response(b"\x00<html>not an answer", media_type="application/json")


async def _no_reset(request: Request) -> Response:
    return JSONResponse({"error": "not_supported"}, status_code=501)


@contextlib.contextmanager
def _broken_adapter() -> Iterator[str]:
    app = Starlette(routes=[Route("/w/capabilities", _capabilities), Route("/w/offers", _server_error, methods=["POST"]),
                            Route("/w/presentations", _server_error, methods=["POST"]),
                            Route("/w/interactions", _garbage, methods=["POST"]),
                            Route("/w/credentials", _server_error), Route("/w/reset", _no_reset, methods=["POST"])])
    sock = bind("127.0.0.1", 0)
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/w"
    served = serve_app(app, sock, "broken-wallet-adapter", url + "/capabilities")
    try:
        yield url
    finally:
        served.stop()


def test_an_adapter_answering_500_breaks_every_wallet_scenario_and_fails_none(tmp_path: Path) -> None:
    with _broken_adapter() as url:
        profile = tmp_path / "broken.yaml"
        profile.write_text(yaml.safe_dump({"name": "broken adapter", "wallet": {"adapter_url": url},
                                           "vcalm_wallet": {"claims": {"exchanges": ["issuing", "verifying"]}}}),
                           encoding="utf-8")
        result = run_profile(profile, None, tmp_path / "reports", roles=["wallet", "vcalm_wallet"])  # type: ignore[arg-type]
    ran = [s for s in result.scenarios if s["role"] in ("wallet", "lifecycle", "vcalm_wallet") and s["status"] != "skipped"]
    # the VCALM rows: all but "presents only what was asked", which needs POST /reset to import a credential
    assert len(ran) >= 20 and len([s for s in ran if "vcalm_wallet" in s["tags"]]) == 9, result.summary()
    only = next(s for s in result.scenarios if s["requirement_ids"] == ["LCX-06"])
    assert only["status"] == "skipped" and "cannot be given a credential the request does not ask for" in only["reason"]
    wrong = [s for s in ran if s["status"] != "broken"]
    assert not wrong, "\n".join(map(describe, wrong))
    reasons = " ".join(s["reason"] for s in ran)
    assert "no usable answer" in reasons and "holds no credential" in reasons
    assert result.exit_code == 1
