"""The reference verifier's HTTP endpoints (see the package docstring for the contract)."""
from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from lerconf import entropy
from lerconf.crypto.encoding import b64url_encode
from lerconf.crypto.jose.algorithms import sign
from lerconf.refimpl.oid4vp.store import (
    OptionError,
    PresentationTransaction,
    RequestOptions,
    store_of,
    verifier_signer,
)
from lerconf.refimpl.oid4vp.validate import open_response, validate_vp_token
from lerconf.refimpl.oid4vp.x509 import verifier_certificates
from lerconf.refimpl.problems import MAX_BODY_BYTES, read_json_object
from lerconf.refimpl.state import state_of

__all__ = ["ROUTES", "request_object_for"]


async def create_request(request: Request) -> Response:
    body = await read_json_object(request, allow_empty=True)
    try:
        options = RequestOptions.parse(body)
    except OptionError as exc:
        return JSONResponse({"error": "invalid_request", "error_description": str(exc)}, status_code=400)
    state = state_of(request)
    txn = store_of(state).create(state.base_url, options)
    request_uri = f"{state.base_url}/oid4vp/request-objects/{txn.id}"
    invocation = {"client_id": txn.outer_client_id, "request_uri": request_uri,
                  **({"request_uri_method": "post"} if options.request_uri_method == "post" else {})}
    return JSONResponse({"client_id": txn.outer_client_id, "request_uri": request_uri,
                         "request_uri_method": options.request_uri_method, "transaction_id": txn.id,
                         "invocation_uri": "openid4vp://?" + urlencode(invocation), "options": options.as_dict()})


def _b64json(value: dict[str, Any]) -> str:
    return b64url_encode(json.dumps(value, separators=(",", ":")).encode())


def request_object_for(txn: PresentationTransaction, wallet_nonce: str | None) -> str:
    """The request object: unsigned (``alg: none``), signed by the did:key (DID prefix and the
    test hook's ``signed`` under redirect_uri:), or by the x509 leaf with ``x5c`` (x509_* prefixes)."""
    claims = txn.request_claims(wallet_nonce)
    header: dict[str, Any] = {"typ": "oauth-authz-req+jwt"}
    if not txn.signed:
        header["alg"] = "none"
        return f"{_b64json(header)}.{_b64json(claims)}."
    if txn.options.client_id_prefix.startswith("x509_"):
        certs = verifier_certificates()
        header.update({"alg": "ES256", "x5c": certs.x5c})
        key = certs.leaf_key
    else:
        signer = verifier_signer()
        header.update({"alg": "EdDSA", "kid": signer.verification_method})
        key = signer.key
    signing_input = f"{_b64json(header)}.{_b64json(claims)}"
    return f"{signing_input}.{b64url_encode(sign(header['alg'], key, signing_input.encode('ascii')))}"


async def _form(request: Request) -> dict[str, str] | None:
    if "application/x-www-form-urlencoded" not in request.headers.get("content-type", ""):
        return None
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        return None
    return dict(parse_qsl(raw.decode("utf-8", errors="replace"), keep_blank_values=True))


async def request_object(request: Request) -> Response:
    txn = store_of(state_of(request)).by_id(request.path_params["txn"])
    if txn is None:
        return JSONResponse({"error": "invalid_request_uri", "error_description": "unknown request_uri"}, status_code=404)
    wallet_nonce = None
    if request.method == "POST":
        form = await _form(request)
        if form is None:
            return JSONResponse({"error": "invalid_request", "error_description": "a form-encoded POST is expected"},
                                status_code=400)
        wallet_nonce = form.get("wallet_nonce")
    return Response(request_object_for(txn, wallet_nonce), media_type="application/oauth-authz-req+jwt")


def _refuse(description: str, error: str = "invalid_request") -> Response:
    return JSONResponse({"error": error, "error_description": description}, status_code=400)


def _answer(request: Request, txn: PresentationTransaction, answer: Response) -> Response:
    """``answer``, or — when the request was made with ``redirect_on_response`` — an HTTP
    redirect to a loopback target that records whether the wallet followed it (VP-13)."""
    status = txn.options.redirect_on_response
    if not status:
        return answer
    return RedirectResponse(f"{state_of(request).base_url}/oid4vp/redirect-target/{txn.id}", status_code=status)


async def direct_post(request: Request) -> Response:
    state = state_of(request)
    form = await _form(request)
    if form is None:
        return _refuse("the response must be form-encoded (response_mode=direct_post)")
    store = store_of(state)
    txn, params, problem = open_response(state, form)
    if txn is None:
        return _refuse(problem or "unknown state: no transaction of this verifier has it")
    if not store.begin(txn):
        return _answer(request, txn, _refuse("this transaction has already been answered: a response is accepted once"))
    if problem:
        store.finish(txn, False, [problem])
        return _answer(request, txn, _refuse(problem))
    if "error" in params:
        store.wallet_error(txn, str(params["error"]))
        return _answer(request, txn, JSONResponse({}))
    if "vp_token" not in params:
        store.finish(txn, False, ["the response has neither vp_token nor error"])
        return _answer(request, txn, _refuse("the response has neither vp_token nor error"))
    errors = await run_in_threadpool(validate_vp_token, state, txn, params["vp_token"],
                                     params.get("presentation_submission"))
    store.finish(txn, not errors, errors)
    if errors:
        return _answer(request, txn, _refuse("; ".join(errors)[:1000]))
    return _answer(request, txn, JSONResponse(
        {"redirect_uri": f"{state.base_url}/oid4vp/done#response_code={entropy.token_urlsafe(16)}"}))


async def redirect_target(request: Request) -> Response:
    """Where ``redirect_on_response`` sends the wallet; a hit is recorded on the transaction."""
    store = store_of(state_of(request))
    txn = store.by_id(request.path_params["txn"])
    if txn is None:
        return JSONResponse({"error": "unknown transaction"}, status_code=404)
    store.redirect_hit(txn, request.method)
    return JSONResponse({"followed": True})


async def result(request: Request) -> Response:
    txn = store_of(state_of(request)).by_state(request.path_params["state"])
    if txn is None:
        return JSONResponse({"error": "unknown state"}, status_code=404)
    done = txn.status == "done"
    return JSONResponse({"status": txn.status if done else "pending", "verified": bool(txn.verified) if done else None,
                         "errors": txn.errors, **txn.record()})


ROUTES = [
    Route("/oid4vp/requests", create_request, methods=["POST"]),
    Route("/oid4vp/request-objects/{txn}", request_object, methods=["GET", "POST"]),
    Route("/oid4vp/responses", direct_post, methods=["POST"]),
    Route("/oid4vp/redirect-target/{txn}", redirect_target, methods=["GET", "POST"]),
    Route("/oid4vp/results/{state}", result, methods=["GET"]),
]
