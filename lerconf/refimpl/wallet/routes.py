"""The reference wallet's HTTP adapter routes, mounted under ``/wallet`` (the contract:
``docs/wallet-adapter.openapi.yaml``)."""
from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Mapping
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from lerconf.protocol.x509_request import load_trust_anchors
from lerconf.refimpl.problems import read_json_object
from lerconf.refimpl.state import state_of
from lerconf.refimpl.wallet.exchange import interact
from lerconf.refimpl.wallet.present import present
from lerconf.refimpl.wallet.receive import receive
from lerconf.refimpl.wallet.store import CAPABILITIES, WalletError, wallet_of

__all__ = ["ROUTES"]


async def capabilities(request: Request) -> Response:
    return JSONResponse(CAPABILITIES)


async def _run(work: Callable[[], dict[str, Any]]) -> Response:
    """A flow, off the event loop; a flow the wallet ends answers its outcome and wallet_error."""
    try:
        return JSONResponse(await run_in_threadpool(work))
    except WalletError as exc:
        return JSONResponse(exc.answer())


async def offers(request: Request) -> Response:
    body = await read_json_object(request)
    store = wallet_of(request)
    return await _run(lambda: receive(store, body))


async def presentations(request: Request) -> Response:
    body = await read_json_object(request)
    store, state = wallet_of(request), state_of(request)
    return await _run(lambda: present(state, store, body))


async def interactions(request: Request) -> Response:
    """A VCALM interaction URL, as if scanned: the exchange run to its end (lerconf.refimpl.wallet.exchange)."""
    body = await read_json_object(request)
    store, state = wallet_of(request), state_of(request)
    return await _run(lambda: interact(state, store, body))


async def credentials(request: Request) -> Response:
    store = wallet_of(request)
    with store.lock:
        held = [dict(c) for c in store.credentials]
    return JSONResponse(held)


async def reset(request: Request) -> Response:
    """Forget everything; ``seed`` imports credentials as they are (not bound to the new key)."""
    body = await read_json_object(request, allow_empty=True)
    store = wallet_of(request)
    pems = body.get("trust_anchors") or []
    if not isinstance(pems, list) or not all(isinstance(p, str) and "-----BEGIN CERTIFICATE" in p for p in pems):
        # PEM text only: never a path (load_trust_anchors also reads files, which a request must not name)
        return JSONResponse({"error": "invalid_request", "error_description": "trust_anchors must be PEM certificates"},
                            status_code=400)
    try:
        anchors = load_trust_anchors(pems)
    except ValueError as exc:
        return JSONResponse({"error": "invalid_request", "error_description": f"trust_anchors: {exc}"}, status_code=400)
    store.reset(anchors)
    seed = body.get("seed") or []
    with store.lock:
        for item in seed if isinstance(seed, list) else []:
            if isinstance(item, Mapping) and item.get("credential") is not None:
                store.credentials.append({"id": f"urn:uuid:{secrets.token_hex(16)}", "format": item.get("format"),
                                          "credential": item["credential"], "issuer": None, "received_at": int(time.time())})
    return Response(status_code=204)


ROUTES = [
    Route("/wallet/capabilities", capabilities, methods=["GET"]),
    Route("/wallet/offers", offers, methods=["POST"]),
    Route("/wallet/presentations", presentations, methods=["POST"]),
    Route("/wallet/interactions", interactions, methods=["POST"]),
    Route("/wallet/credentials", credentials, methods=["GET"]),
    Route("/wallet/reset", reset, methods=["POST"]),
]
