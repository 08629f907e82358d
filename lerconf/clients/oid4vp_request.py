"""The wallet side of an OID4VP authorization request: get it from the verifier under test, by
value or by reference, and read it (VP §5; RFC 9101 for request objects).

A request object fetched from ``request_uri`` is a JWT typed ``oauth-authz-req+jwt``. Under the
``decentralized_identifier:`` prefix it must be signed by a key of that DID, which lerconf
checks with ``lerconf.crypto.jose``; under ``redirect_uri:`` it cannot be signed (``alg: none``).
Nothing here raises for vendor behaviour: a bad answer becomes ``AuthorizationRequest.problem``.
"""
from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from lerconf.outcome import Outcome
from lerconf.protocol.request_object import RequestObject, read_request_object

if TYPE_CHECKING:

    from lerconf.clients.http import VendorClient
    from lerconf.exchange import Exchange

__all__ = ["AuthorizationRequest", "fetch_request", "from_hook_answer"]

ACCEPT_REQUEST = "application/oauth-authz-req+jwt, application/json;q=0.5"
#: parameters whose JSON text is carried as a string in a URL query
_JSON_PARAMS = ("dcql_query", "client_metadata")


@dataclass
class AuthorizationRequest:
    """What the wallet learnt: the request parameters, how they came, and any problem."""

    params: dict[str, Any] = field(default_factory=dict)
    delivered_by: str = "value"                  # value | request_uri
    request_uri: str | None = None
    request_uri_method: str = "get"
    outer_client_id: str | None = None            # client_id next to request_uri (must equal the object's)
    request_object: RequestObject | None = None
    exchanges: list[Exchange] = field(default_factory=list)
    problem: str | None = None                    # the verifier gave no usable request
    broken: bool = False                          # no answer at all (5xx, transport): broken, not failed
    wallet_nonce: str | None = field(default=None, repr=False)  # what lerconf POSTed to request_uri (VP §5.10)

    def __repr__(self) -> str:
        return f"AuthorizationRequest({self.delivered_by}, client_id={self.client_id!r}, problem={self.problem!r})"

    @property
    def client_id(self) -> str:
        return str(self.params.get("client_id", ""))

    @property
    def nonce(self) -> str:
        return str(self.params.get("nonce", ""))

    @property
    def state(self) -> str | None:
        value = self.params.get("state")
        return value if isinstance(value, str) else None

    @property
    def response_uri(self) -> str | None:
        value = self.params.get("response_uri")
        return value if isinstance(value, str) else None

    @property
    def dcql_query(self) -> Any:
        return self.params.get("dcql_query")


def _decode_json_params(params: dict[str, Any]) -> dict[str, Any]:
    for name in _JSON_PARAMS:
        value = params.get(name)
        if isinstance(value, str):
            with contextlib.suppress(ValueError):  # left as text: the DCQL check reports it
                params[name] = json.loads(value)
    return params


def from_hook_answer(answer: Any) -> AuthorizationRequest:
    """Read the request hook's answer: ``{request_uri, client_id?, request_uri_method?}``,
    ``{request: <JWT or object>}`` or ``{uri: "openid4vp://?…"}`` (the invocation URI)."""
    if not isinstance(answer, Mapping):
        return AuthorizationRequest(problem="the request hook answered no JSON object")
    if isinstance(answer.get("uri"), str):
        query = dict(parse_qsl(urlsplit(answer["uri"]).query))
        return from_hook_answer(query)
    if isinstance(answer.get("request_uri"), str):
        method = str(answer.get("request_uri_method") or "get").lower()
        return AuthorizationRequest(delivered_by="request_uri", request_uri=answer["request_uri"],
                                    request_uri_method=method,
                                    outer_client_id=answer.get("client_id") if isinstance(answer.get("client_id"), str) else None)
    request = answer.get("request")
    if isinstance(request, str):
        obj = read_request_object(request, "")
        req = AuthorizationRequest(params=_decode_json_params(dict(obj.claims)) if obj else {}, delivered_by="value",
                                   request_object=obj)
        if obj is None:
            req.problem = "the request parameter is not a compact JWT"
        return req
    if isinstance(request, Mapping):
        return AuthorizationRequest(params=_decode_json_params(dict(request)), delivered_by="value")
    if "response_type" in answer or "dcql_query" in answer:  # the parameters themselves
        return AuthorizationRequest(params=_decode_json_params(dict(answer)), delivered_by="value")
    return AuthorizationRequest(problem="the request hook's answer has none of request_uri, request, uri")


def fetch_request(http: VendorClient, request: AuthorizationRequest, *,
                  wallet_nonce: str | None = None) -> AuthorizationRequest:
    """Dereference ``request_uri`` (GET, or a form POST when request_uri_method=post, VP §5.10)."""
    if request.request_uri is None:
        return request
    # what the verifier sent, unredacted: the evidence's copy may have a secret scrubbed out of the token
    raw_json: list[Any] = []
    raw_text: list[str] = []
    if request.request_uri_method == "post":
        form = {"wallet_metadata": json.dumps({"vp_formats_supported": {"ldp_vc": {}}})}
        if wallet_nonce:
            form["wallet_nonce"] = wallet_nonce
            request.wallet_nonce = wallet_nonce
        exchange = http.request("POST", request.request_uri, form=form, headers={"Accept": ACCEPT_REQUEST},
                                keep_json=raw_json, keep_text=raw_text)
    else:
        exchange = http.request("GET", request.request_uri, headers={"Accept": ACCEPT_REQUEST},
                                keep_json=raw_json, keep_text=raw_text)
    request.exchanges.append(exchange)
    ctype = exchange.response_headers.get("content-type", "").split(";")[0].strip().lower()
    if exchange.status is not None and 200 <= exchange.status < 300:
        sent = raw_json[0] if raw_json else None
        if isinstance(sent, Mapping):  # an unsigned request as JSON
            request.params = _decode_json_params(dict(sent))
            return request
        obj = read_request_object(raw_text[0] if raw_text else "", ctype)
        if obj is None:
            request.problem = f"request_uri answered HTTP {exchange.status} ({ctype or 'no Content-Type'}) with no request object"
            return request
        request.request_object = obj
        request.params = _decode_json_params(dict(obj.claims))
        return request
    request.broken = exchange.outcome in (Outcome.SERVER_ERROR, Outcome.TRANSPORT_ERROR, Outcome.AUTH_ERROR)
    request.problem = f"request_uri could not be fetched: {exchange.outcome.value}: {exchange.reason}"
    return request
