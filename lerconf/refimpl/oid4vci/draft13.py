"""The reference credential endpoint in OID4VCI draft 13 mode (``Rules.draft13``), so lerconf's
draft-13 mode can be tested end to end.

Draft 13 §7: the request names ``format`` + ``credential_definition`` (or a
``credential_identifier``, which this issuer does not issue) and carries one ``proof`` object
``{proof_type: "jwt", jwt}``; the nonce comes from the token response and each answer (errors
included) hands out the next ``c_nonce``; the response is ``{credential, c_nonce,
c_nonce_expires_in}``; nonce problems are ``invalid_proof``; an unknown type is
``unsupported_credential_type``."""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from lerconf.refimpl.oid4vci.issuing import UNBOUND_SUBJECT, issue_bound_credential, validate_proof
from lerconf.refimpl.oid4vci.metadata import CONFIGURATIONS
from lerconf.refimpl.oid4vci.store import IssuerStore, TokenGrant
from lerconf.refimpl.oid4vci.token import NO_STORE
from lerconf.refimpl.state import state_of

__all__ = ["credential_draft13"]


def _error(store: IssuerStore, error: str, description: str) -> JSONResponse:
    body: dict[str, Any] = {"error": error, "error_description": description}
    if error == "invalid_proof":  # draft 13 §7.3.2: a fresh c_nonce for the retry
        body.update(c_nonce=store.new_nonce(), c_nonce_expires_in=int(store.rules.nonce_lifetime_s))
    return JSONResponse(body, status_code=400, headers=NO_STORE)


def _configuration(fmt: Any, definition: Any) -> str | tuple[str, str]:
    formats = {c["format"] for c in CONFIGURATIONS.values()}
    if fmt not in formats:
        return "unsupported_credential_format", f"format {fmt!r} is not issued here"
    types = definition.get("type") if isinstance(definition, Mapping) else None
    for cid, c in CONFIGURATIONS.items():
        if c["format"] == fmt and isinstance(types, list) and types and set(types) <= set(c["credential_definition"]["type"]):
            return cid
    return "unsupported_credential_type", f"no {fmt} credential of type {types!r} is issued here"


async def credential_draft13(request: Request, store: IssuerStore, granted: TokenGrant | None,
                             body: Mapping[str, Any]) -> Response:
    if "credential_configuration_id" in body or "proofs" in body:
        return _error(store, "invalid_credential_request",
                      "draft 13: name format and credential_definition, and send one proof object")
    if "credential_identifier" in body:
        return _error(store, "invalid_credential_request", "this issuer issues no credential identifiers")
    found = _configuration(body.get("format"), body.get("credential_definition"))
    if isinstance(found, tuple):
        return _error(store, *found)
    if granted is not None and found not in granted.configuration_ids:
        return _error(store, "invalid_credential_request", f"the access token does not cover {found}")
    proof = body.get("proof")
    if not isinstance(proof, Mapping) or not isinstance(proof.get("proof_type"), str):
        return _error(store, "invalid_proof", f"{found} is bound to a key: a proof object is required")
    proof_type = str(proof["proof_type"])
    checked = await validate_proof(state_of(request), store, found, proof_type, proof.get(proof_type),
                                   nonce_error="invalid_proof")
    if isinstance(checked, Response):
        answer = json.loads(bytes(checked.body))
        return _error(store, str(answer["error"]), str(answer.get("error_description", "")))
    subject = checked.holder_did if store.rules.bind_to_proof_key else UNBOUND_SUBJECT
    issued = await run_in_threadpool(issue_bound_credential, state_of(request), store, found, subject,
                                     granted.offered.status_purpose if granted is not None else None)
    return JSONResponse({"credential": issued, "c_nonce": store.new_nonce(),
                         "c_nonce_expires_in": int(store.rules.nonce_lifetime_s)}, headers=NO_STORE)
