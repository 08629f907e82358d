"""The reference wallet as an OID4VP 1.0 responder: read the request object (typ, signature by
client_id prefix), match the DCQL query against what it holds, and answer with a presentation
bound to the request's nonce and client_id (direct_post, or encrypted for direct_post.jwt), or
with an ``access_denied`` error response when nothing matches."""
from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

from lerconf.crypto.jose.compact import JwsParseError, parse_compact
from lerconf.documents.templates import unsigned_presentation
from lerconf.protocol.dcql import CredentialQuery, claims_present, credential_queries, ob3_query
from lerconf.protocol.request_object import (
    REQUEST_OBJECT_TYPE,
    RequestObject,
    client_id_prefix,
    read_request_object,
)
from lerconf.protocol.request_signature import verify_request_signature
from lerconf.protocol.vp_response import encrypt_response, encryption_key, vp_jwt
from lerconf.protocol.x509_request import response_uri_problem
from lerconf.refimpl.state import ReferenceState
from lerconf.refimpl.wallet.agent import UserAgent
from lerconf.refimpl.wallet.store import RESPONSE_MODES, WalletError, WalletRules, WalletStore

__all__ = ["PRESENTED_FORMATS", "present"]

PRESENTED_FORMATS = ("ldp_vc", "jwt_vc_json")
OB3_SHORT_TYPES = {"OpenBadgeCredential", "AchievementCredential"}
SIGNED_PREFIXES = ("decentralized_identifier", "x509_san_dns", "x509_hash")


# -- reading the request ----------------------------------------------------------------------------
def _request_object(http: UserAgent, body: Mapping[str, Any]) -> tuple[RequestObject, dict[str, str]]:
    """The request object (from request_uri, or passed as ``request``) and the parameters of the
    scanned invocation URI, if one was given."""
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
    return obj, outer


def _enforce_prefix_rules(obj: RequestObject, claims: Mapping[str, Any], state: ReferenceState, rules: WalletRules,
                          anchors: list[Any]) -> None:
    """VP §5.9: a did/x509 client_id needs a verified signature; a redirect_uri one an unsigned
    request object whose client_id is its response_uri; any other prefix is refused."""
    client_id = str(claims.get("client_id", ""))
    prefix = client_id_prefix(client_id)
    if prefix in SIGNED_PREFIXES:
        problem = (verify_request_signature(obj, state.verifier.resolver, trust_anchors=anchors)
                   if rules.check_request_signature else None)
        if problem:
            raise WalletError("rejected", "invalid_request_object", problem)
        if rules.check_response_uri_host and (problem := response_uri_problem(client_id, claims.get("response_uri"))):
            raise WalletError("rejected", "invalid_request_object", problem)
    elif prefix == "redirect_uri":
        if obj.signed:
            raise WalletError("rejected", "invalid_request", "a redirect_uri: request object must not be signed")
        if client_id != f"redirect_uri:{claims.get('response_uri')}":
            raise WalletError("rejected", "invalid_client", "under redirect_uri: the client_id must be the response_uri")
    else:
        raise WalletError("rejected", "invalid_client", f"unsupported client_id prefix {prefix!r}")


def _request(http: UserAgent, state: ReferenceState, body: Mapping[str, Any], rules: WalletRules,
             anchors: list[Any]) -> dict[str, Any]:
    """The request object's claims, checked: prefix rules, the invocation's client_id, a nonce,
    a response mode this wallet answers."""
    obj, outer = _request_object(http, body)
    claims = dict(obj.claims)
    _enforce_prefix_rules(obj, claims, state, rules, anchors)
    outer_client = body.get("client_id") or outer.get("client_id")
    if outer_client is not None and outer_client != str(claims.get("client_id", "")) and rules.check_outer_client_id:
        raise WalletError("rejected", "invalid_request", "the client_id of the URI differs from the request object's")
    if not isinstance(claims.get("nonce"), str) or not claims["nonce"]:
        raise WalletError("rejected", "invalid_request", "the request has no nonce")
    if claims.get("response_mode") not in RESPONSE_MODES or not isinstance(claims.get("response_uri"), str):
        raise WalletError("rejected", "invalid_request",
                          f"only response_mode {' or '.join(RESPONSE_MODES)} with a response_uri is supported")
    return claims


# -- matching and answering -------------------------------------------------------------------------
def _types(credential: Any) -> set[str]:
    value = credential.get("type") if isinstance(credential, Mapping) else None
    return {t for t in (value if isinstance(value, list) else [value]) if isinstance(t, str)}


def _held(entry: Mapping[str, Any]) -> tuple[Mapping[str, Any], Mapping[str, Any] | None]:
    """The held credential as claims: the object itself, or a JWT's ``vc`` claim and its payload
    (jwt_vc_json); empty when it cannot be read."""
    credential = entry.get("credential")
    if isinstance(credential, str):
        try:
            payload = parse_compact(credential, allow_sd_jwt=False).payload
        except JwsParseError:
            return {}, None
        vc = payload.get("vc")
        return (vc if isinstance(vc, Mapping) else {}), payload
    return (credential if isinstance(credential, Mapping) else {}), None


def _held_types(entry: Mapping[str, Any]) -> set[str]:
    """The credential's short types: the object's ``type``, or the JWT's ``vc.type`` (jwt_vc_json)."""
    return _types(_held(entry)[0])


def _answers(query: CredentialQuery, entry: Mapping[str, Any]) -> bool:
    """The held credential is in the query's format and has every claim it asks for (VP §6.3)."""
    credential, payload = _held(entry)
    return entry.get("format") == query.format and claims_present(credential, query.claim_paths, jwt_payload=payload)


def _matching(store: WalletStore, dcql: Any) -> tuple[CredentialQuery | None, list[dict[str, Any]]]:
    """The DCQL credential query this wallet can answer and the held credentials that match it."""
    query = ob3_query(dcql, formats=PRESENTED_FORMATS)
    with store.lock:
        held = [c for c in store.credentials if c.get("format") in PRESENTED_FORMATS and _held_types(c) & OB3_SHORT_TYPES]
    if query is None and not store.rules.match_query_format and held:  # the fault: answer anyway
        queries = credential_queries(dcql)
        return (queries[0] if queries else None), held
    return query, [c for c in held if query is not None and _answers(query, c)]


def _junk_signature(vp: Any) -> Any:
    """The faulty wallet's presentation: binding values right, signature bytes not a signature."""
    if isinstance(vp, str):
        header, payload, _ = vp.split(".")
        return f"{header}.{payload}.{'A' * 86}"
    vp = copy.deepcopy(vp)
    vp["proof"]["proofValue"] = "z" + "2" * 87
    return vp


def _presentation(state: ReferenceState, store: WalletStore, claims: Mapping[str, Any], entry: Mapping[str, Any]) -> Any:
    """The presentation of one held credential, bound to the request's nonce and full client_id."""
    signer = store.signer
    client_id = str(claims["client_id"])
    audience = client_id if store.rules.domain_is_client_id else client_id.split(":", 1)[-1]
    credential = entry["credential"]
    if entry.get("format") == "jwt_vc_json":  # VP App. B.1.3.1: a VP JWT with nonce and aud
        vp: Any = vp_jwt(signer, [credential], nonce=str(claims["nonce"]), audience=audience)
    else:  # App. B.1.3.2: a Data Integrity VP, challenge = nonce, domain = client_id
        vp = signer.sign(unsigned_presentation([credential], signer.controller), "eddsa-rdfc-2022",
                         state.verifier.processor, purpose="authentication", challenge=str(claims["nonce"]),
                         domain=audience)
    return vp if store.rules.sign_presentation else _junk_signature(vp)


def _post_response(http: UserAgent, claims: Mapping[str, Any], params: dict[str, str], rules: WalletRules) -> httpx.Response:
    """direct_post: the parameters form-encoded; direct_post.jwt (VP §8.3): one ``response``
    parameter, a JWE of the parameters to the verifier's ``client_metadata.jwks`` key."""
    response_uri = str(claims["response_uri"])
    if claims.get("response_mode") == "direct_post.jwt" and rules.encrypt_when_asked:
        key, enc, problem = encryption_key(claims.get("client_metadata"))
        if key is None:
            raise WalletError("rejected", "invalid_request", f"direct_post.jwt without a usable key: {problem}")
        return http.call("POST", response_uri, data={"response": encrypt_response(params, key, enc)})
    return http.call("POST", response_uri, data=params)


def _submitted(response: httpx.Response) -> dict[str, Any]:
    """The adapter's answer after the response_uri answered (its redirect_uri, when it gave one)."""
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


def present(state: ReferenceState, store: WalletStore, body: Mapping[str, Any]) -> dict[str, Any]:
    """Answer the request in ``body``: a presentation, an error response, or a WalletError."""
    with UserAgent(follow_redirects=store.rules.follow_redirects, verify=store.tls_verify) as http:
        with store.lock:
            anchors = list(store.trust_anchors)
        claims = _request(http, state, body, store.rules, anchors)
        form: dict[str, str] = {"state": str(claims["state"])} if isinstance(claims.get("state"), str) else {}
        query, held = _matching(store, claims.get("dcql_query"))
        if not store.rules.answer_requests:  # the fault: the user (or the wallet) declines every request
            form.update(error="access_denied", error_description="the wallet declines every presentation request")
            _post_response(http, claims, form, store.rules)
            return {"outcome": "declined"}
        if query is None or not held:
            form.update(error="access_denied", error_description="the wallet holds no credential matching the query")
            _post_response(http, claims, form, store.rules)
            return {"outcome": "no_match"}
        form["vp_token"] = json.dumps({query.id: [_presentation(state, store, claims, held[-1])]})
        response = _post_response(http, claims, form, store.rules)
    return _submitted(response)
