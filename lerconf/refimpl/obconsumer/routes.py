"""The reference consumer's trigger (the ``ob_consumer`` contract lerconf calls a vendor's consumer
by) and lerconf's hook that makes a host for one consumer scenario."""
from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from lerconf.refimpl.obconsumer.consumer import ConsumerError, ConsumerRules, Order, run_consumer
from lerconf.refimpl.obconsumer.host import PREFIX, SessionHosts, create_session
from lerconf.refimpl.problems import read_json_object
from lerconf.refimpl.state import state_of

__all__ = ["ROUTES", "TRIGGER_PATH", "rules_of", "trigger"]

TRIGGER_PATH = "/ob-consumer/trigger"


def rules_of(app_state: Any) -> ConsumerRules:
    """The consumer's rules on this instance (a faulty bed sets ``app.state.obconsumer_rules``)."""
    rules = getattr(app_state, "obconsumer_rules", None)
    return rules if isinstance(rules, ConsumerRules) else ConsumerRules()


async def trigger(request: Request) -> Response:
    """POST /ob-consumer/trigger ``{"discovery_url", "api", "operation", "format"}``: do the job
    against that host, then answer ``{"outcome": "completed", ...}`` or ``{"outcome": "error", "error"}``.
    A malformed trigger is 400; a job that fails is still 200 (the wire, not this answer, is judged)."""
    body = await read_json_object(request)
    try:
        order = Order.from_json(body)
    except ValueError as exc:
        return JSONResponse({"error": "invalid_request", "error_description": str(exc)}, status_code=400)
    state, rules = state_of(request), rules_of(request.app.state)
    try:
        done = await run_in_threadpool(run_consumer, state, rules, order)
    except ConsumerError as exc:
        return JSONResponse({"outcome": "error", "error": str(exc)})
    return JSONResponse(done)


ROUTES = [
    Route(TRIGGER_PATH, trigger, methods=["POST"]),
    Route("/ob-consumer/sessions", create_session, methods=["POST"]),
    Route(PREFIX + "{sid}/{rest:path}", SessionHosts()),
]
