"""The reference's VCALM exchange endpoints (API-19 create and participate, API-20 protocols,
API-21 current request, API-22 interaction URL).

``POST /workflows/{w}/exchanges`` creates an exchange (201, ``Location``, and a body naming the
exchange and interaction URLs). ``POST`` the exchange URL with ``{}`` starts it and answers the
VPR; with ``{verifiablePresentation}`` it completes it. A completed exchange refuses every further
step (a replay). Errors are problem details (API-17), unless a bed's ``Rules`` says otherwise.
"""
from __future__ import annotations

import html

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from lerconf.refimpl.exchanges.store import ACTIVE, COMPLETE, PENDING, ExchangeRecord, ExchangeStore
from lerconf.refimpl.exchanges.workflows import WORKFLOWS, complete_step, request_for
from lerconf.refimpl.problems import ProblemError, problem_response, read_json_object, reject_unknown
from lerconf.refimpl.state import state_of

__all__ = ["ROUTES", "store_of"]

EXCHANGE_ERRORS = "https://w3id.org/vc/exchanges"


def store_of(request: Request) -> ExchangeStore:
    """The app's exchange store (made on first use; a bed may set ``app.state.vcalm_exchanges``)."""
    app_state = request.app.state
    store = getattr(app_state, "vcalm_exchanges", None)
    if store is None:
        store = app_state.vcalm_exchanges = ExchangeStore()
    assert isinstance(store, ExchangeStore)
    return store


def _exchange_url(request: Request, record: ExchangeRecord) -> str:
    return f"{state_of(request).base_url}/workflows/{record.workflow}/exchanges/{record.id}"


def _interaction_url(request: Request, record: ExchangeRecord) -> str:
    return f"{state_of(request).base_url}/interactions/{record.id}?iuv=1"


def _error(request: Request, exc: ProblemError) -> Response:
    if store_of(request).rules.problem_details:
        return problem_response(exc)
    return PlainTextResponse(exc.detail, status_code=exc.status)


def _refused_step(detail: str) -> ProblemError:
    return ProblemError(409, detail, code="EXCHANGE_STEP_REFUSED", type_=f"{EXCHANGE_ERRORS}#EXCHANGE_STEP_REFUSED")


def _record(request: Request, workflow: str | None = None) -> ExchangeRecord:
    w = workflow or request.path_params["workflow"]
    if w not in WORKFLOWS:
        raise ProblemError(404, f"no workflow {w!r}; this reference has {', '.join(WORKFLOWS)}")
    record = store_of(request).get(request.path_params["exchange"])
    if record is None or record.workflow != w:
        raise ProblemError(404, "no such exchange")
    return record


async def create_exchange(request: Request) -> Response:
    try:
        workflow = request.path_params["workflow"]
        if workflow not in WORKFLOWS:
            raise ProblemError(404, f"no workflow {workflow!r}; this reference has {', '.join(WORKFLOWS)}")
        body = await read_json_object(request, allow_empty=True)
        reject_unknown(body, {"variables", "expires", "ttl"}, "request")
        record = store_of(request).create(workflow, state_of(request).base_url)
        url = _exchange_url(request, record)
        return JSONResponse({"id": record.id, "exchangeUrl": url, "interactionUrl": _interaction_url(request, record)},
                            status_code=201, headers={"Location": url})
    except ProblemError as exc:
        return _error(request, exc)


async def participate(request: Request) -> Response:
    """One step: ``{}`` starts (or re-reads) the exchange, a presentation completes it."""
    try:
        record = _record(request)
        body = await read_json_object(request, allow_empty=True)
        reject_unknown(body, {"verifiablePresentation"}, "request")
        store = store_of(request)
        if record.state == COMPLETE:
            raise _refused_step("this exchange is complete: a step is never accepted twice")
        if "verifiablePresentation" not in body:
            record.state, record.sequence = ACTIVE, record.sequence + 1
            return JSONResponse({"verifiablePresentationRequest": request_for(record, _exchange_url(request, record),
                                                                              store.rules)})
        refused = store.claim_step(record)
        if refused:
            raise _refused_step(refused)
        try:
            answer = await run_in_threadpool(complete_step, state_of(request), record,
                                             body["verifiablePresentation"], store.rules)
            record.state, record.sequence = COMPLETE, record.sequence + 1
        except ProblemError as exc:
            record.attempts.append(exc.detail)
            record.result = {"verified": False, "problem": exc.detail}
            raise
        finally:
            record.busy = False
        return JSONResponse(answer)
    except ProblemError as exc:
        return _error(request, exc)


async def current_request(request: Request) -> Response:
    """API-21: the VPR the exchange waits on, without advancing it; ``{}`` when it waits on none."""
    try:
        record = _record(request)
        if record.state == COMPLETE:
            return JSONResponse({})
        if not store_of(request).rules.request_is_read_only:
            store_of(request).new_challenge(record)
            record.sequence += 1
        return JSONResponse({"verifiablePresentationRequest": request_for(record, _exchange_url(request, record), store_of(request).rules)})
    except ProblemError as exc:
        return _error(request, exc)


async def protocols(request: Request) -> Response:
    """API-20: the protocols this exchange can be run over (the reference speaks only vcapi)."""
    try:
        record = _record(request)
        return JSONResponse({"protocols": {"vcapi": _exchange_url(request, record)}})
    except ProblemError as exc:
        return _error(request, exc)


async def exchange_state(request: Request) -> Response:
    """The exchange's state and, once done, its outcome (what a verifying workflow recorded)."""
    try:
        record = _record(request)
        return JSONResponse({"exchange": {"id": record.id, "workflow": record.workflow, "state": record.state,
                                          "sequence": record.sequence, "result": record.result}})
    except ProblemError as exc:
        return _error(request, exc)


async def interaction(request: Request) -> Response:
    """API-22: ``iuv=1``; JSON clients get ``{protocols}``, browsers a page saying what to do."""
    try:
        if request.query_params.get("iuv") != "1":
            raise ProblemError(400, "an interaction URL carries iuv=1 (interaction URL version 1)")
        record = store_of(request).get(request.path_params["exchange"])
        if record is None:
            raise ProblemError(404, "no such exchange")
        url = _exchange_url(request, record)
        if "application/json" in request.headers.get("accept", ""):
            return JSONResponse({"protocols": {"vcapi": url}})
        what = "receive your badge" if record.state == PENDING and record.workflow == "issue-badge" else "continue"
        return HTMLResponse(f"<!doctype html><title>lerconf exchange</title><p>Open this page in your digital "
                            f"wallet to {what}, or give your wallet this VC API exchange URL:</p>"
                            f"<p><code>{html.escape(url)}</code></p>")
    except ProblemError as exc:
        return _error(request, exc)


ROUTES = [
    Route("/workflows/{workflow}/exchanges", create_exchange, methods=["POST"]),
    Route("/workflows/{workflow}/exchanges/{exchange}", participate, methods=["POST"]),
    Route("/workflows/{workflow}/exchanges/{exchange}", exchange_state, methods=["GET"]),
    Route("/workflows/{workflow}/exchanges/{exchange}/protocols", protocols, methods=["GET"]),
    Route("/workflows/{workflow}/exchanges/{exchange}/request", current_request, methods=["GET"]),
    Route("/interactions/{exchange}", interaction, methods=["GET"]),
]
