"""Reference OID4VP 1.0 verifier (lerconf plays the wallet against it, or against a vendor's).

* ``POST /oid4vp/requests``                 test hook: a new transaction; answers ``{request_uri, client_id,
  request_uri_method, transaction_id}``. Body (optional): ``client_id_prefix`` (``redirect_uri`` or
  ``decentralized_identifier``), ``request_uri_method`` (``get``/``post``)
* ``GET|POST /oid4vp/request-objects/{id}`` the request object (``application/oauth-authz-req+jwt``):
  unsigned (``alg: none``) under ``redirect_uri:``, signed by the verifier's did:key under
  ``decentralized_identifier:``; a POST's ``wallet_nonce`` is echoed (VP §5.10)
* ``POST /oid4vp/responses``                response_uri for ``direct_post``: ``vp_token`` + ``state``, or an
  error response. 200 ``{redirect_uri}`` on success, 400 ``{error, error_description}`` otherwise
* ``GET /oid4vp/results/{state}``          ``{status, verified, errors}`` (the result hook)

A transaction is single-use: its state answers once, and its nonce binds one presentation
(VP proof ``challenge`` = nonce, ``domain`` = the full client_id, VP §14.10 / App. B.1.3.2.5).
Every presentation and embedded credential goes through lerconf's Verifier (proofs, status).
"""
from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from lerconf.encoding import b64url_encode
from lerconf.jose.algorithms import sign
from lerconf.oid4vp.dcql import OB_VOCAB
from lerconf.refimpl.problems import MAX_BODY_BYTES, read_json_object
from lerconf.refimpl.state import ReferenceState, state_of
from lerconf.signing import Signer, deterministic_key
from lerconf.verify import VerifyOptions

__all__ = ["ROUTES", "Oid4vpStore", "Transaction", "store_of", "validate_vp_token", "verifier_signer"]

QUERY_ID = "openbadge"
PREFIXES = ("redirect_uri", "decentralized_identifier")
OB3_TYPES = {"OpenBadgeCredential", "AchievementCredential"}


def verifier_signer() -> Signer:
    """The key that signs request objects under ``decentralized_identifier:`` (a did:key)."""
    return Signer.did_key(deterministic_key("refimpl-oid4vp-verifier", "Ed25519"))


@dataclass
class Transaction:
    id: str
    state: str
    nonce: str
    client_id: str
    response_uri: str
    request_uri_method: str
    signed: bool
    status: str = "pending"                  # pending | done
    verified: bool | None = None
    errors: list[str] = field(default_factory=list)
    created: float = field(default_factory=time.time)

    def dcql_query(self) -> dict[str, Any]:
        return {"credentials": [{
            "id": QUERY_ID, "format": "ldp_vc",
            "meta": {"type_values": [[OB_VOCAB + "OpenBadgeCredential"], [OB_VOCAB + "AchievementCredential"]]},
            "claims": [{"path": ["credentialSubject", "achievement", "name"]}],
        }]}

    def request_claims(self, wallet_nonce: str | None = None) -> dict[str, Any]:
        claims: dict[str, Any] = {
            "client_id": self.client_id, "response_type": "vp_token", "response_mode": "direct_post",
            "response_uri": self.response_uri, "nonce": self.nonce, "state": self.state,
            "dcql_query": self.dcql_query(), "aud": "https://self-issued.me/v2", "iat": int(time.time()),
            "client_metadata": {"vp_formats_supported": {"ldp_vc": {
                "proof_type_values": ["DataIntegrityProof"],
                "cryptosuite_values": ["eddsa-rdfc-2022", "ecdsa-rdfc-2019", "eddsa-jcs-2022", "ecdsa-jcs-2019"]}}},
        }
        if wallet_nonce:
            claims["wallet_nonce"] = wallet_nonce
        return claims


class Oid4vpStore:
    """Transactions of one reference instance, by id and by state (bounded, thread-safe)."""

    def __init__(self, capacity: int = 10_000) -> None:
        self._by_id: dict[str, Transaction] = {}
        self._by_state: dict[str, Transaction] = {}
        self._lock = threading.Lock()
        self._capacity = capacity

    def create(self, base_url: str, prefix: str, request_uri_method: str) -> Transaction:
        response_uri = f"{base_url}/oid4vp/responses"
        client_id = (f"redirect_uri:{response_uri}" if prefix == "redirect_uri"
                     else f"decentralized_identifier:{verifier_signer().controller}")
        txn = Transaction(secrets.token_urlsafe(12), secrets.token_urlsafe(24), secrets.token_urlsafe(24), client_id,
                          response_uri, request_uri_method, signed=prefix != "redirect_uri")
        with self._lock:
            if len(self._by_id) >= self._capacity:
                oldest = min(self._by_id.values(), key=lambda t: t.created)
                self._by_id.pop(oldest.id, None)
                self._by_state.pop(oldest.state, None)
            self._by_id[txn.id] = txn
            self._by_state[txn.state] = txn
        return txn

    def by_id(self, txn_id: str) -> Transaction | None:
        with self._lock:
            return self._by_id.get(txn_id)

    def by_state(self, state: str) -> Transaction | None:
        with self._lock:
            return self._by_state.get(state)

    def nonces(self) -> set[str]:
        with self._lock:
            return {t.nonce for t in self._by_id.values()}

    def begin(self, txn: Transaction) -> bool:
        """Claim a pending transaction for its one response; False if it already had one."""
        with self._lock:
            if txn.status != "pending":
                return False
            txn.status = "answering"
            return True

    def finish(self, txn: Transaction, verified: bool, errors: list[str]) -> None:
        with self._lock:
            txn.status, txn.verified, txn.errors = "done", verified, list(errors)

    def wallet_error(self, txn: Transaction, error: str) -> None:
        """A wallet's error response ends the transaction unverified (VP §8.5)."""
        self.finish(txn, False, [f"the wallet answered with error {error!r}"])


_STORE_LOCK = threading.Lock()


def store_of(state: ReferenceState) -> Oid4vpStore:
    """The instance's OID4VP transactions (kept on the instance, created on first use)."""
    with _STORE_LOCK:
        store = getattr(state, "_oid4vp_store", None)
        if store is None:
            store = Oid4vpStore()
            state._oid4vp_store = store  # type: ignore[attr-defined]
        return store


def _types(doc: Mapping[str, Any]) -> set[str]:
    value = doc.get("type")
    return {t for t in (value if isinstance(value, list) else [value]) if isinstance(t, str)}


def validate_vp_token(state: ReferenceState, txn: Transaction, raw: str) -> list[str]:
    """Why ``raw`` (the vp_token form value) does not answer ``txn``; empty when it does (VP §8.6)."""
    try:
        token = json.loads(raw)
    except ValueError:
        return ["vp_token is not JSON"]
    if not isinstance(token, dict):
        return ["vp_token is not a JSON object keyed by DCQL credential query ids"]
    unknown = set(token) - {QUERY_ID}
    if unknown:
        return [f"vp_token has unknown credential query id(s) {sorted(unknown)}"]
    presentations = token.get(QUERY_ID)
    if not isinstance(presentations, list) or len(presentations) != 1:
        return [f"vp_token[{QUERY_ID!r}] must be an array with one presentation"]
    vp = presentations[0]
    if not isinstance(vp, dict) or "VerifiablePresentation" not in _types(vp):
        return [("the presentation is not a VerifiablePresentation: holder binding is required "
                 "(require_cryptographic_holder_binding defaults to true)")]
    if not vp.get("proof"):
        return ["the presentation has no proof: holder binding is required"]
    options = VerifyOptions(challenge=txn.nonce, domain=txn.client_id)
    report = state.verifier.verify_document(vp, f"vp_token.{QUERY_ID}[0]", options)
    errors = [f"{source}: {r.requirement}: {r.message}" for source, r in report.blocking_failures()]
    credentials = vp.get("verifiableCredential")
    credentials = credentials if isinstance(credentials, list) else [credentials]
    if not any(isinstance(c, dict) and _types(c) & OB3_TYPES for c in credentials):
        errors.append("no presented credential is an OpenBadgeCredential (the DCQL type_values)")
    return errors


async def create_request(request: Request) -> Response:
    body = await read_json_object(request, allow_empty=True)
    prefix = body.get("client_id_prefix") or "redirect_uri"
    method = str(body.get("request_uri_method") or "get").lower()
    if prefix not in PREFIXES:
        return JSONResponse({"error": "invalid_request", "error_description": f"unsupported client_id_prefix {prefix!r}"},
                            status_code=400)
    if method not in ("get", "post"):
        return JSONResponse({"error": "invalid_request", "error_description": "request_uri_method is get or post"},
                            status_code=400)
    state = state_of(request)
    txn = store_of(state).create(state.base_url, prefix, method)
    return JSONResponse({"client_id": txn.client_id, "request_uri": f"{state.base_url}/oid4vp/request-objects/{txn.id}",
                         "request_uri_method": method, "transaction_id": txn.id})


def _request_object(txn: Transaction, wallet_nonce: str | None) -> str:
    claims = txn.request_claims(wallet_nonce)
    signer = verifier_signer()
    header: dict[str, Any] = {"typ": "oauth-authz-req+jwt"}
    header.update({"alg": "EdDSA", "kid": signer.verification_method} if txn.signed else {"alg": "none"})
    signing_input = (b64url_encode(json.dumps(header, separators=(",", ":")).encode()) + "."
                     + b64url_encode(json.dumps(claims, separators=(",", ":")).encode()))
    signature = b64url_encode(sign("EdDSA", signer.key, signing_input.encode("ascii"))) if txn.signed else ""
    return f"{signing_input}.{signature}"


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
    return Response(_request_object(txn, wallet_nonce), media_type="application/oauth-authz-req+jwt")


def _refuse(description: str, error: str = "invalid_request") -> Response:
    return JSONResponse({"error": error, "error_description": description}, status_code=400)


async def direct_post(request: Request) -> Response:
    state = state_of(request)
    form = await _form(request)
    if form is None:
        return _refuse("the response must be form-encoded (response_mode=direct_post)")
    txn = store_of(state).by_state(form.get("state", ""))
    if txn is None:
        return _refuse("unknown state: no transaction of this verifier has it")
    store = store_of(state)
    if not store.begin(txn):
        return _refuse("this transaction has already been answered: a response is accepted once")
    if "error" in form:
        store.wallet_error(txn, form["error"])
        return JSONResponse({})
    if "vp_token" not in form:
        store.finish(txn, False, ["the response has neither vp_token nor error"])
        return _refuse("the response has neither vp_token nor error")
    errors = await run_in_threadpool(validate_vp_token, state, txn, form["vp_token"])
    store.finish(txn, not errors, errors)
    if errors:
        return _refuse("; ".join(errors)[:1000])
    return JSONResponse({"redirect_uri": f"{state.base_url}/oid4vp/done#response_code={secrets.token_urlsafe(16)}"})


async def result(request: Request) -> Response:
    txn = store_of(state_of(request)).by_state(request.path_params["state"])
    if txn is None:
        return JSONResponse({"error": "unknown state"}, status_code=404)
    done = txn.status == "done"
    return JSONResponse({"status": txn.status if done else "pending", "verified": bool(txn.verified) if done else None,
                         "errors": txn.errors})


ROUTES = [
    Route("/oid4vp/requests", create_request, methods=["POST"]),
    Route("/oid4vp/request-objects/{txn}", request_object, methods=["GET", "POST"]),
    Route("/oid4vp/responses", direct_post, methods=["POST"]),
    Route("/oid4vp/results/{state}", result, methods=["GET"]),
]
