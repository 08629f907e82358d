"""Reference OID4VCI credential endpoint: access token, request shape, key proof (``jwt``: typ,
alg, aud, iat, signature; ``di_vp``: a Data Integrity presentation with purpose authentication
and domain; then the nonce), and an OB 3.0 credential bound to the proven key
(``credentialSubject.id`` = the proof key's DID), signed with the reference issuer's keys.

An access token from an offer made with ``deferred: true`` gets 202 ``{transaction_id,
interval}``; the deferred credential endpoint (§9) answers 202 with ``interval`` until the
transaction is ready, then the credential, once. Draft-13 requests are read by ``draft13``."""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from lerconf import entropy
from lerconf.refimpl.oid4vci.draft13 import credential_draft13
from lerconf.refimpl.oid4vci.issuing import UNBOUND_SUBJECT, issue_bound_credential, validate_proof
from lerconf.refimpl.oid4vci.metadata import CONFIGURATIONS
from lerconf.refimpl.oid4vci.store import (
    NOTHING_MORE,
    IssuerStore,
    TokenGrant,
    store_of,
)
from lerconf.refimpl.oid4vci.token import NO_STORE, oauth_error
from lerconf.refimpl.state import state_of

__all__ = ["credential", "deferred_credential", "read_request"]

MAX_BODY = 256 * 1024


def _unauthorized(description: str) -> JSONResponse:
    return JSONResponse({"error": "invalid_token", "error_description": description}, status_code=401,
                        headers={**NO_STORE, "WWW-Authenticate": f'Bearer error="invalid_token", error_description="{description}"'})


async def read_request(request: Request, store: IssuerStore) -> tuple[TokenGrant | None, dict[str, Any]] | Response:
    """The access token's grant and the JSON body, or the error response."""
    auth = request.headers.get("authorization", "")
    scheme, _, token = auth.partition(" ")
    granted = store.token_info(token.strip()) if scheme.lower() == "bearer" and token.strip() else None
    if granted is None and store.rules.require_access_token:
        return _unauthorized("a valid access token is required" if auth else "no access token")
    raw = await request.body()
    if "application/json" not in request.headers.get("content-type", "") or len(raw) > MAX_BODY:
        return oauth_error("invalid_credential_request", "the credential request must be a JSON object")
    try:
        body = json.loads(raw)
    except ValueError:
        return oauth_error("invalid_credential_request", "the credential request is not JSON")
    if not isinstance(body, dict):
        return oauth_error("invalid_credential_request", "the credential request is not a JSON object")
    return granted, body


async def credential(request: Request) -> Response:
    store = store_of(request)
    read = await read_request(request, store)
    if isinstance(read, Response):
        return read
    granted, body = read
    if store.rules.draft13:
        return await credential_draft13(request, store, granted, body)
    problem = _request_problem(body, granted.configuration_ids if granted else None)
    if problem is not None:
        return problem
    config_id = str(body["credential_configuration_id"])
    if granted is not None and granted.offered.refuse_first_nonce and not granted.nonce_refused:
        granted.nonce_refused = True  # once per token: the wallet must fetch a fresh c_nonce and retry
        return oauth_error("invalid_nonce", "the c_nonce is no longer valid: get a fresh one from the nonce endpoint")
    proofs = body.get("proofs")
    if not isinstance(proofs, Mapping) or len(proofs) != 1:
        return oauth_error("invalid_proof", "proofs must name exactly one proof type")
    ((proof_type, items),) = proofs.items()
    if not isinstance(items, list) or len(items) != 1:
        return oauth_error("invalid_proof", f"proofs.{proof_type} must hold one key proof (no batch issuance)")
    checked = await validate_proof(state_of(request), store, config_id, str(proof_type), items[0])
    if isinstance(checked, Response):
        return checked
    subject = checked.holder_did if store.rules.bind_to_proof_key else UNBOUND_SUBJECT
    offered = granted.offered if granted is not None else NOTHING_MORE
    if offered.deferred:
        transaction_id = store.new_transaction(config_id, subject, offered)
        return JSONResponse({"transaction_id": transaction_id, "interval": store.rules.deferred_interval_s},
                            status_code=202, headers=NO_STORE)
    issued = await run_in_threadpool(issue_bound_credential, state_of(request), store, config_id, subject,
                                     offered.status_purpose)
    return JSONResponse({"credentials": [{"credential": issued}]}, headers=NO_STORE)


def _request_problem(body: Mapping[str, Any], granted: tuple[str, ...] | None) -> JSONResponse | None:
    if "proof" in body:
        return oauth_error("invalid_credential_request", "'proof' is the draft form; OID4VCI 1.0 uses 'proofs'")
    has_config, has_identifier = "credential_configuration_id" in body, "credential_identifier" in body
    if has_config == has_identifier:
        return oauth_error("invalid_credential_request",
                           "exactly one of credential_configuration_id and credential_identifier is required")
    if has_identifier:
        return oauth_error("unknown_credential_identifier", "this issuer issues no credential identifiers")
    config_id = body["credential_configuration_id"]
    if not isinstance(config_id, str) or config_id not in CONFIGURATIONS:
        return oauth_error("unknown_credential_configuration", f"{config_id!r} is not a credential configuration of this issuer")
    if granted is not None and config_id not in granted:
        return oauth_error("invalid_credential_request", f"the access token does not cover {config_id}")
    if "proofs" not in body:
        return oauth_error("invalid_proof", f"{config_id} is bound to a key: proofs are required")
    return None


async def deferred_credential(request: Request) -> Response:
    """§9: ``{transaction_id}`` with the access token -> 202 ``{interval}`` while pending, then the
    credential (the transaction is then spent); unknown or spent ids get invalid_transaction_id."""
    store = store_of(request)
    read = await read_request(request, store)
    if isinstance(read, Response):
        return read
    _, body = read
    transaction_id = body.get("transaction_id")
    with store.lock:
        transaction = store.transactions.get(transaction_id) if isinstance(transaction_id, str) else None
        if transaction is not None and transaction.done:
            transaction = None  # already redeemed
        pending = transaction is not None and transaction.ready_at > entropy.unix_time()
        if transaction is not None and not pending:
            transaction.done = True
    if transaction is None:
        if store.rules.check_transaction_id:
            return oauth_error("invalid_transaction_id", "the transaction_id is unknown or was already redeemed")
        config_id, subject, offered = next(iter(CONFIGURATIONS)), UNBOUND_SUBJECT, NOTHING_MORE  # a faulty instance issues anyway
    elif pending:
        return JSONResponse({"transaction_id": transaction_id, "interval": store.rules.deferred_interval_s},
                            status_code=202, headers=NO_STORE)
    else:
        config_id, subject, offered = transaction.configuration_id, transaction.subject, transaction.offered
    issued = await run_in_threadpool(issue_bound_credential, state_of(request), store, config_id, subject,
                                     offered.status_purpose)
    return JSONResponse({"credentials": [{"credential": issued}]}, headers=NO_STORE)
