"""The reference wallet: lerconf's own implementation of the HTTP wallet adapter
(``docs/wallet-adapter.openapi.yaml``), mounted under ``/wallet``.

* ``GET  /wallet/capabilities``   what it supports (formats, grants, DCQL, client_id prefixes)
* ``POST /wallet/offers``         ``{credential_offer_uri | credential_offer, tx_code?}``: acts as an
  OID4VCI 1.0 client (metadata, refusing a ``credential_issuer`` mismatch; pre-authorized code with
  tx_code, or the authorization code with PKCE S256; a fresh c_nonce, again after ``invalid_nonce``;
  an ``openid4vci-proof+jwt`` key proof; the credential stored unchanged)
* ``POST /wallet/presentations``  ``{request_uri | request}``: acts as an OID4VP 1.0 responder (request
  object typ and signature by client_id prefix; DCQL for OB 3.0 ``ldp_vc`` and ``jwt_vc_json``; a Data
  Integrity VP with ``challenge`` = nonce and ``domain`` = the full client_id, or a VP JWT with ``nonce``
  and ``aud``; sent by direct_post, or encrypted to the verifier's key for direct_post.jwt; an
  ``access_denied`` error response when it holds no matching credential)
* ``GET  /wallet/credentials``    the credentials as stored
* ``POST /wallet/reset``          forget credentials and keys; ``trust_anchors`` (PEM) are the CAs it
  trusts for ``x509_san_dns:`` / ``x509_hash:`` request objects until the next reset

The holder key is Ed25519, named by did:key (the key proof's ``kid``), so the issued badge's
subject is the DID that signs the presentation. The wallet talks to loopback hosts only.
:class:`WalletRules` exist so the faulty test bed (tests/faulty_wallet) can break one rule.
"""
from __future__ import annotations

import copy
import json
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from lerconf.crypto.jose.compact import JwsParseError, parse_compact
from lerconf.crypto.keys import PrivateKey, generate
from lerconf.crypto.signing import Signer
from lerconf.documents.templates import unsigned_presentation
from lerconf.protocol.dcql import credential_queries, ob3_query
from lerconf.protocol.key_proof import HolderKey, make_key_proof
from lerconf.protocol.oid4vci import AS_WELL_KNOWN, PRE_AUTHORIZED_GRANT, well_known_url
from lerconf.protocol.request_object import (
    REQUEST_OBJECT_TYPE,
    client_id_prefix,
    read_request_object,
)
from lerconf.protocol.request_signature import verify_request_signature
from lerconf.protocol.vp_response import encrypt_response, encryption_key, vp_jwt
from lerconf.protocol.x509_request import load_trust_anchors
from lerconf.refimpl.problems import read_json_object
from lerconf.refimpl.state import ReferenceState, state_of

__all__ = ["ROUTES", "WalletRules", "WalletStore", "wallet_of"]

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
PRESENTED_FORMATS = ("ldp_vc", "jwt_vc_json")
AUTHORIZATION_CODE = "authorization_code"
#: how the reference wallet names itself to authorization servers (a native app: custom-scheme redirect)
WALLET_CLIENT_ID = "lerconf-reference-wallet"
WALLET_REDIRECT_URI = "lerconf-wallet://oid4vci/callback"
RESPONSE_MODES = ("direct_post", "direct_post.jwt")
OB3_SHORT_TYPES = {"OpenBadgeCredential", "AchievementCredential"}
CAPABILITIES = {
    "wallet": {"name": "lerconf reference wallet", "version": "0.1.0", "build": "refimpl"},
    "formats": ["ldp_vc", "jwt_vc_json"], "grants": ["pre-authorized_code", AUTHORIZATION_CODE], "proof_types": ["jwt"],
    "did_methods": ["did:key"],
    "client_id_prefixes": ["redirect_uri", "decentralized_identifier", "x509_san_dns", "x509_hash"],
    "request_uri_methods": ["get"], "response_modes": list(RESPONSE_MODES), "dcql": True, "consent": "auto",
}


@dataclass(frozen=True)
class WalletRules:
    """What the reference wallet does right. All on by default; tests/faulty_wallet breaks one."""

    proof_nonce: bool = True             # put the fresh c_nonce in the key proof
    store_unchanged: bool = True         # keep the credential exactly as issued
    check_credential_issuer: bool = True  # refuse metadata whose credential_issuer mismatches
    domain_is_client_id: bool = True     # domain = the full client_id (with its prefix)
    offer_by_value: bool = True          # accept a credential_offer passed by value
    tx_code_only_when_asked: bool = True  # send a tx_code only when the offer has a tx_code object
    check_request_signature: bool = True  # a did/x509 client_id prefix needs a verified signed request object
    check_outer_client_id: bool = True   # the invocation's client_id must be the request object's
    match_query_format: bool = True      # present only what the DCQL query asks for (format and type)
    follow_redirects: bool = False       # VP §14.8: never follow HTTP redirects from the response_uri
    encrypt_when_asked: bool = True      # direct_post.jwt: encrypt the response to client_metadata.jwks
    retry_after_invalid_nonce: bool = True  # after invalid_nonce: a fresh c_nonce and one retry
    pkce: bool = True                    # authorization code grant: code_challenge S256 + code_verifier
    sign_presentation: bool = True       # a valid signature on the VP (the fault: right nonce, junk proof)


@dataclass
class WalletStore:
    rules: WalletRules = field(default_factory=WalletRules)
    key: PrivateKey = field(default_factory=lambda: generate("Ed25519"), repr=False)
    credentials: list[dict[str, Any]] = field(default_factory=list)
    trust_anchors: list[Any] = field(default_factory=list, repr=False)  # CA certificates for x509 prefixes
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def signer(self) -> Signer:
        return Signer.did_key(self.key)

    def reset(self, trust_anchors: list[Any] | None = None) -> None:
        with self.lock:
            self.key = generate("Ed25519")
            self.credentials = []
            self.trust_anchors = list(trust_anchors or [])


_CREATE = threading.Lock()


def wallet_of(request: Request) -> WalletStore:
    state = request.app.state
    with _CREATE:
        store = getattr(state, "wallet", None)
        if store is None:
            store = WalletStore()
            state.wallet = store
    return store


class WalletError(Exception):
    def __init__(self, outcome: str, code: str, message: str) -> None:
        super().__init__(message)
        self.outcome, self.code, self.message = outcome, code, message

    def answer(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "wallet_error": {"code": self.code, "message": self.message}}


class _Http:
    """The wallet's user agent: loopback only, no redirects followed (VP §14.8), JSON answers."""

    def __init__(self, *, follow_redirects: bool = False) -> None:
        self.client = httpx.Client(trust_env=False, follow_redirects=follow_redirects, timeout=10.0)

    def __enter__(self) -> _Http:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()

    def call(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        host = urlsplit(url).hostname or ""
        if urlsplit(url).scheme not in ("http", "https") or host not in LOOPBACK:
            raise WalletError("error", "unreachable", f"the reference wallet only talks to loopback hosts, not {url!r}")
        try:
            return self.client.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            raise WalletError("error", "transport", f"{method} {url}: {type(exc).__name__}") from None

    def json(self, method: str, url: str, what: str, **kwargs: Any) -> Mapping[str, Any]:
        response = self.call(method, url, **kwargs)
        try:
            body = response.json()
        except ValueError:
            body = None
        if not 200 <= response.status_code < 300 or not isinstance(body, Mapping):
            error = body.get("error") if isinstance(body, Mapping) else None
            raise WalletError("error", str(error or "http_error"), f"{what}: HTTP {response.status_code} {error or ''}".strip())
        return body


# -- OID4VCI: receive a credential ------------------------------------------------------------------
def _offer_document(http: _Http, body: Mapping[str, Any], rules: WalletRules) -> Mapping[str, Any]:
    offer, uri = body.get("credential_offer"), body.get("credential_offer_uri")
    if offer is not None and not rules.offer_by_value:
        raise WalletError("rejected", "invalid_offer", "this wallet only handles offers by reference")
    if isinstance(body.get("uri"), str):  # an openid-credential-offer:// URI as scanned
        query = dict(parse_qsl(urlsplit(body["uri"]).query))
        offer, uri = query.get("credential_offer", offer), query.get("credential_offer_uri", uri)
    if isinstance(offer, str):
        try:
            offer = json.loads(offer)
        except ValueError:
            raise WalletError("rejected", "invalid_offer", "credential_offer is not JSON") from None
    if offer is None and isinstance(uri, str):
        offer = http.json("GET", uri, "the credential_offer_uri")
    if not isinstance(offer, Mapping) or not isinstance(offer.get("credential_issuer"), str):
        raise WalletError("rejected", "invalid_offer", "no credential offer with a credential_issuer")
    return offer


def _request_credential(http: _Http, store: WalletStore, metadata: Mapping[str, Any], issuer: str,
                        request: Mapping[str, Any], auth: Mapping[str, str]) -> Mapping[str, Any]:
    """A fresh c_nonce, a key proof, the credential request; after ``invalid_nonce`` once more
    with a new c_nonce (VCI §8.3.1.2: the wallet gets a fresh nonce and retries)."""
    rules = store.rules
    for attempt in range(2):
        nonce = None
        if isinstance(metadata.get("nonce_endpoint"), str):
            nonce = http.json("POST", metadata["nonce_endpoint"], "the nonce request").get("c_nonce")
        signer = store.signer
        proof = make_key_proof(HolderKey(store.key), audience=issuer, nonce=nonce if rules.proof_nonce else None,
                               header={"jwk": None, "kid": signer.verification_method})
        try:
            return http.json("POST", str(metadata.get("credential_endpoint")), "the credential request",
                             json={**request, "proofs": {"jwt": [proof]}}, headers=dict(auth))
        except WalletError as exc:
            if exc.code != "invalid_nonce" or attempt or not rules.retry_after_invalid_nonce:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _authorize(http: _Http, rules: WalletRules, as_metadata: Mapping[str, Any], grant: Mapping[str, Any]) -> dict[str, str]:
    """The authorization code grant (OID4VCI §5, RFC 6749 §4.1) with PKCE S256 (RFC 7636): the
    authorization request carries the offer's ``issuer_state``; the test user is approved without
    a page, so the code is read from the redirect (``state`` and RFC 9207 ``iss`` checked)."""
    endpoint = as_metadata.get("authorization_endpoint")
    if not isinstance(endpoint, str):
        raise WalletError("rejected", "unsupported_grant", "the authorization server has no authorization_endpoint")
    verifier, state = secrets.token_urlsafe(48), secrets.token_urlsafe(16)
    params = {"response_type": "code", "client_id": WALLET_CLIENT_ID, "redirect_uri": WALLET_REDIRECT_URI,
              "state": state}
    if rules.pkce:
        params.update(code_challenge=create_s256_code_challenge(verifier), code_challenge_method="S256")
    if isinstance(grant.get("issuer_state"), str):
        params["issuer_state"] = grant["issuer_state"]
    response = http.call("GET", endpoint, params=params)
    location = response.headers.get("location", "")
    answer = dict(parse_qsl(urlsplit(location).query))
    if response.status_code not in (302, 303) or not location.startswith(WALLET_REDIRECT_URI):
        raise WalletError("error", "authorization_failed", f"the authorization endpoint answered HTTP {response.status_code}")
    if answer.get("state") != state:
        raise WalletError("rejected", "invalid_state", "the authorization response's state is not the wallet's")
    issuer = as_metadata.get("issuer")
    supports_iss = as_metadata.get("authorization_response_iss_parameter_supported") is True
    if ("iss" in answer or supports_iss) and answer.get("iss") != issuer:  # RFC 9207 mix-up defence
        raise WalletError("rejected", "invalid_iss", "the authorization response's iss is not the authorization server")
    if "code" not in answer:
        raise WalletError("error", str(answer.get("error") or "authorization_failed"),
                          f"no authorization code: {answer.get('error_description', '')}".strip())
    form = {"grant_type": AUTHORIZATION_CODE, "code": answer["code"], "redirect_uri": WALLET_REDIRECT_URI,
            "client_id": WALLET_CLIENT_ID}
    if rules.pkce:
        form["code_verifier"] = verifier
    return form


def receive(store: WalletStore, body: Mapping[str, Any]) -> dict[str, Any]:
    rules = store.rules
    with _Http() as http:
        offer = _offer_document(http, body, rules)
        issuer = str(offer["credential_issuer"])
        metadata = http.json("GET", well_known_url(issuer), "the credential issuer metadata")
        if rules.check_credential_issuer and metadata.get("credential_issuer") != issuer:
            raise WalletError("rejected", "issuer_mismatch", f"the metadata's credential_issuer "
                              f"{metadata.get('credential_issuer')!r} is not the offer's {issuer!r} (VCI §12.2.4)")
        issuer = str(metadata.get("credential_issuer"))
        servers = metadata.get("authorization_servers")
        auth_server = servers[0] if isinstance(servers, list) and servers and isinstance(servers[0], str) else issuer
        as_metadata = http.json("GET", well_known_url(auth_server, AS_WELL_KNOWN), "the authorization server metadata")
        if as_metadata.get("issuer") != auth_server:  # RFC 8414 §3.3: metadata of the server it names
            raise WalletError("rejected", "invalid_issuer", f"the authorization server metadata's issuer "
                              f"{as_metadata.get('issuer')!r} is not {auth_server!r} (RFC 8414 §3.3)")
        offered_grants = offer.get("grants")
        grants: Mapping[str, Any] = offered_grants if isinstance(offered_grants, Mapping) else {}
        grant = grants.get(PRE_AUTHORIZED_GRANT)
        if isinstance(grant, Mapping) and isinstance(grant.get("pre-authorized_code"), str):
            form = {"grant_type": PRE_AUTHORIZED_GRANT, "pre-authorized_code": grant["pre-authorized_code"]}
            if isinstance(grant.get("tx_code"), Mapping):
                if not isinstance(body.get("tx_code"), str):
                    raise WalletError("error", "tx_code_required", "the offer asks for a tx_code and none was given")
                form["tx_code"] = body["tx_code"]
            elif not rules.tx_code_only_when_asked:
                form["tx_code"] = str(body.get("tx_code") or "")  # a remembered or empty code, sent regardless
        elif isinstance(grants.get(AUTHORIZATION_CODE), Mapping):
            form = _authorize(http, rules, as_metadata, grants[AUTHORIZATION_CODE])
        else:
            raise WalletError("rejected", "unsupported_grant", "the offer has no grant this wallet supports")
        token = http.json("POST", str(as_metadata.get("token_endpoint")), "the token request", data=form)
        configs = offer.get("credential_configuration_ids") or []
        supported = metadata.get("credential_configurations_supported") or {}
        config_id = next((c for c in configs if isinstance(c, str) and c in supported), None)
        if config_id is None:
            raise WalletError("rejected", "unknown_configuration", "no offered configuration is in the metadata")
        request = {"credential_configuration_id": config_id}
        auth = {"Authorization": f"Bearer {token.get('access_token')}"}
        answer = _request_credential(http, store, metadata, issuer, request, auth)
    fmt = supported[config_id].get("format") if isinstance(supported[config_id], Mapping) else None
    stored = []
    for item in answer.get("credentials") or []:
        credential = item.get("credential") if isinstance(item, Mapping) else None
        if credential is None:
            continue
        if not rules.store_unchanged and isinstance(credential, dict):
            credential = copy.deepcopy(credential)
            credential["name"] = f"{credential.get('name', 'Badge')} (imported)"  # a "display fix": not as issued
        entry = {"id": f"urn:uuid:{secrets.token_hex(16)}", "format": fmt, "credential": credential,
                 "issuer": issuer, "configuration_id": config_id, "received_at": int(time.time())}
        stored.append(entry)
    if not stored:
        raise WalletError("error", "no_credential", "the credential response carried no credential")
    with store.lock:
        store.credentials.extend(stored)
    return {"outcome": "stored", "stored": [{"id": e["id"], "format": e["format"]} for e in stored]}


# -- OID4VP: present a credential -------------------------------------------------------------------
def _types(credential: Any) -> set[str]:
    value = credential.get("type") if isinstance(credential, Mapping) else None
    return {t for t in (value if isinstance(value, list) else [value]) if isinstance(t, str)}


def _request(http: _Http, state: ReferenceState, body: Mapping[str, Any], rules: WalletRules,
             anchors: list[Any]) -> tuple[dict[str, Any], str | None]:
    """The request object's claims (checked) and the client_id the request URI named, if any."""
    outer: dict[str, str] = {}
    if isinstance(body.get("uri"), str):  # an openid4vp:// URI as scanned
        outer = dict(parse_qsl(urlsplit(body["uri"]).query))
    request_uri = body.get("request_uri") or outer.get("request_uri")
    token = body.get("request") or outer.get("request")
    if isinstance(request_uri, str):
        response = http.call("GET", request_uri, headers={"Accept": "application/oauth-authz-req+jwt"})
        if response.status_code != 200:
            raise WalletError("error", "invalid_request_uri", f"request_uri answered HTTP {response.status_code}")
        token = response.text
    if not isinstance(token, str):
        raise WalletError("rejected", "invalid_request", "neither request_uri nor request was given")
    obj = read_request_object(token, "")
    if obj is None or obj.header.get("typ") != REQUEST_OBJECT_TYPE:
        raise WalletError("rejected", "invalid_request", f"not a request object typed {REQUEST_OBJECT_TYPE}")
    claims = dict(obj.claims)
    client_id = str(claims.get("client_id", ""))
    prefix = client_id_prefix(client_id)
    if prefix in ("decentralized_identifier", "x509_san_dns", "x509_hash"):
        problem = (verify_request_signature(obj, state.verifier.resolver, trust_anchors=anchors)
                   if rules.check_request_signature else None)
        if problem:
            raise WalletError("rejected", "invalid_request_object", problem)
    elif prefix == "redirect_uri":
        if obj.signed:
            raise WalletError("rejected", "invalid_request", "a redirect_uri: request object must not be signed")
        if client_id != f"redirect_uri:{claims.get('response_uri')}":
            raise WalletError("rejected", "invalid_client", "under redirect_uri: the client_id must be the response_uri")
    else:
        raise WalletError("rejected", "invalid_client", f"unsupported client_id prefix {prefix!r}")
    outer_client = body.get("client_id") or outer.get("client_id")
    if outer_client is not None and outer_client != client_id and rules.check_outer_client_id:
        raise WalletError("rejected", "invalid_request", "the client_id of the URI differs from the request object's")
    if not isinstance(claims.get("nonce"), str) or not claims["nonce"]:
        raise WalletError("rejected", "invalid_request", "the request has no nonce")
    if claims.get("response_mode") not in RESPONSE_MODES or not isinstance(claims.get("response_uri"), str):
        raise WalletError("rejected", "invalid_request",
                          f"only response_mode {' or '.join(RESPONSE_MODES)} with a response_uri is supported")
    return claims, outer_client


def _first_query(dcql: Any) -> Any:
    """Whatever the query asks first (the faulty wallet's answer to a query it cannot match)."""
    queries = credential_queries(dcql)
    return queries[0] if queries else None


def _held_types(entry: Mapping[str, Any]) -> set[str]:
    """The credential's short types: the object's ``type``, or the JWT's ``vc.type`` (jwt_vc_json)."""
    credential = entry.get("credential")
    if isinstance(credential, str):
        try:
            payload = parse_compact(credential, allow_sd_jwt=False).payload
        except JwsParseError:
            return set()
        return _types(payload.get("vc"))
    return _types(credential)


def _post_response(http: _Http, claims: Mapping[str, Any], params: dict[str, str], rules: WalletRules) -> httpx.Response:
    """direct_post: the parameters form-encoded; direct_post.jwt (VP §8.3): one ``response``
    parameter, a JWE of the parameters to the verifier's ``client_metadata.jwks`` key."""
    response_uri = str(claims["response_uri"])
    if claims.get("response_mode") == "direct_post.jwt" and rules.encrypt_when_asked:
        key, enc, problem = encryption_key(claims.get("client_metadata"))
        if key is None:
            raise WalletError("rejected", "invalid_request", f"direct_post.jwt without a usable key: {problem}")
        return http.call("POST", response_uri, data={"response": encrypt_response(params, key, enc)})
    return http.call("POST", response_uri, data=params)


def _junk_signature(vp: Any) -> Any:
    """The faulty wallet's presentation: binding values right, signature bytes not a signature."""
    if isinstance(vp, str):
        header, payload, _ = vp.split(".")
        return f"{header}.{payload}.{'A' * 86}"
    vp = copy.deepcopy(vp)
    vp["proof"]["proofValue"] = "z" + "2" * 87
    return vp


def present(state: ReferenceState, store: WalletStore, body: Mapping[str, Any]) -> dict[str, Any]:
    with _Http(follow_redirects=store.rules.follow_redirects) as http:
        with store.lock:
            anchors = list(store.trust_anchors)
        claims, _ = _request(http, state, body, store.rules, anchors)
        client_id = str(claims["client_id"])
        form: dict[str, str] = {"state": str(claims["state"])} if isinstance(claims.get("state"), str) else {}
        query = ob3_query(claims.get("dcql_query"), formats=PRESENTED_FORMATS)
        with store.lock:
            held = [c for c in store.credentials if c.get("format") in PRESENTED_FORMATS and _held_types(c) & OB3_SHORT_TYPES]
        if query is None and not store.rules.match_query_format and held:  # the fault: answer anyway
            query = _first_query(claims.get("dcql_query"))
        else:
            held = [c for c in held if query is not None and c.get("format") == query.format]
        if query is None or not held:
            form.update(error="access_denied", error_description="the wallet holds no credential matching the query")
            _post_response(http, claims, form, store.rules)
            return {"outcome": "no_match"}
        signer = store.signer
        audience = client_id if store.rules.domain_is_client_id else client_id.split(":", 1)[-1]
        credential = held[-1]["credential"]
        if held[-1].get("format") == "jwt_vc_json":  # VP App. B.1.3.1: a VP JWT with nonce and aud
            vp: Any = vp_jwt(signer, [credential], nonce=str(claims["nonce"]), audience=audience)
        else:  # App. B.1.3.2: a Data Integrity VP, challenge = nonce, domain = client_id
            vp = signer.sign(unsigned_presentation([credential], signer.controller), "eddsa-rdfc-2022",
                             state.verifier.processor, purpose="authentication", challenge=str(claims["nonce"]),
                             domain=audience)
        if not store.rules.sign_presentation:
            vp = _junk_signature(vp)
        form["vp_token"] = json.dumps({query.id: [vp]})
        response = _post_response(http, claims, form, store.rules)
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if response.status_code != 200:
        error = answer.get("error") if isinstance(answer, Mapping) else None
        return {"outcome": "error", "wallet_error": {"code": str(error or "verifier_error"),
                                                    "message": f"the response_uri answered HTTP {response.status_code}"}}
    redirect = answer.get("redirect_uri") if isinstance(answer, Mapping) else None
    return {"outcome": "submitted", **({"redirect_uri": redirect} if isinstance(redirect, str) else {})}


# -- routes -----------------------------------------------------------------------------------------
async def capabilities(request: Request) -> Response:
    return JSONResponse(CAPABILITIES)


async def _run(request: Request, work: Any) -> Response:
    try:
        return JSONResponse(await run_in_threadpool(work))
    except WalletError as exc:
        return JSONResponse(exc.answer())


async def offers(request: Request) -> Response:
    body = await read_json_object(request)
    store = wallet_of(request)
    return await _run(request, lambda: receive(store, body))


async def presentations(request: Request) -> Response:
    body = await read_json_object(request)
    store, state = wallet_of(request), state_of(request)
    return await _run(request, lambda: present(state, store, body))


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
    Route("/wallet/credentials", credentials, methods=["GET"]),
    Route("/wallet/reset", reset, methods=["POST"]),
]
