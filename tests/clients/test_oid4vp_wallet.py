"""The wallet side of OID4VP (lerconf.clients.oid4vp): reading the request hook's answer, fetching the
request object, verifying its signature, DCQL, and observing verdicts; plus the VP-01..04 checks.

HTTP goes through VendorClient with an httpx.MockTransport (the transport seam): no network.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest

from lerconf.checks import oid4vp as checks
from lerconf.clients.http import VendorClient
from lerconf.clients.oid4vp import Oid4vpWallet
from lerconf.clients.oid4vp_request import from_hook_answer
from lerconf.crypto.did import DidResolver
from lerconf.documents.loader import DocumentLoader
from lerconf.errors import ProfileError
from lerconf.profile.load import parse_profile
from lerconf.profile.oid4vp import not_claimed
from lerconf.protocol.dcql import ob3_query
from lerconf.protocol.request_object import client_id_prefix, read_request_object
from lerconf.protocol.request_signature import verify_request_signature
from lerconf.protocol.vp_verdict import Observation, Seen
from lerconf.refimpl.oid4vp import PresentationTransaction, _request_object, verifier_signer
from lerconf.results import Status
from lerconf.scenarios.oid4vp_requirements import NO_SUCCESS, SUCCESS
from lerconf.scenarios.oid4vp_verifier import PresentationAnswer
from lerconf.scenarios.subjects import satisfied
from lerconf.verdicts import Broken

BASE = "http://127.0.0.1:9"
OB = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential"


def profile(**section: Any) -> Any:
    body = {"request_hook": f"{BASE}/requests", "result_hook": f"{BASE}/results/{{state}}", **section}
    return parse_profile({"name": "v", "oid4vp_verifier": body}, "test.yaml")


class HandlerTransport(httpx.BaseTransport):
    """``handler`` behind the client's transport seam, its answer handed over as a raw stream
    (VendorClient reads bodies with iter_raw, as from the network)."""

    def __init__(self, handler: Callable[[httpx.Request], httpx.Response]) -> None:
        self.handler = handler

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        answer = self.handler(request)
        return httpx.Response(answer.status_code, headers=answer.headers, stream=httpx.ByteStream(answer.read()),
                              request=request)


def wallet(handler: Callable[[httpx.Request], httpx.Response], **section: Any) -> Oid4vpWallet:
    p = profile(**section)
    http = VendorClient(p, transport=HandlerTransport(handler), allow_private_addresses=True)
    return Oid4vpWallet(http, p.oid4vp_verifier)


def txn(signed: bool) -> PresentationTransaction:
    client_id = (f"decentralized_identifier:{verifier_signer().controller}" if signed
                 else f"redirect_uri:{BASE}/responses")
    return PresentationTransaction("t1", "state-1", "nonce-" + "x" * 30, client_id, f"{BASE}/responses", "get", signed)


def jwt_response(token: str) -> httpx.Response:
    return httpx.Response(200, content=token.encode(), headers={"content-type": "application/oauth-authz-req+jwt"})


# -- profile ---------------------------------------------------------------------------------------------
def test_profile_section_loads_and_names_its_hosts() -> None:
    p = profile(claims={"formats": ["ldp_vc"], "client_id_prefixes": ["redirect_uri"]})
    assert p.oid4vp_verifier.verdict_from == "result_hook"
    assert "127.0.0.1:9" in p.hosts
    assert not_claimed(p.oid4vp_verifier, "v", {"client_id_prefix": "decentralized_identifier"}) == \
        "oid4vp_verifier does not claim client_id_prefixes=decentralized_identifier"
    assert not_claimed(p.oid4vp_verifier, "v", {"format": "ldp_vc"}) is None
    assert not_claimed(None, "v", {}) == "v has no oid4vp_verifier section"


@pytest.mark.parametrize("section,problem", [
    ({"request_hook": "ftp://x"}, "request_hook"),
    ({"result_hook": None, "verdict_from": "result_hook"}, "no result_hook URL"),
    ({"verdict_from": "guess"}, "verdict_from"),
    ({"claims": {"formats": ["mso_mdoc"]}}, "unknown value"),
    ({"hook": "x"}, "unknown field"),
])
def test_profile_section_errors_name_the_field(section: dict[str, Any], problem: str) -> None:
    with pytest.raises(ProfileError, match=problem):
        profile(**section)


# -- the request -----------------------------------------------------------------------------------------
def test_hook_answer_forms() -> None:
    by_ref = from_hook_answer({"request_uri": f"{BASE}/r/1", "client_id": "redirect_uri:x", "request_uri_method": "post"})
    assert (by_ref.delivered_by, by_ref.request_uri_method, by_ref.outer_client_id) == ("request_uri", "post", "redirect_uri:x")
    uri = from_hook_answer({"uri": "openid4vp://?client_id=redirect_uri%3Ax&request_uri=http%3A%2F%2F127.0.0.1%3A9%2Fr%2F2"})
    assert uri.request_uri == f"{BASE}/r/2"
    by_value = from_hook_answer({"request": {"client_id": "x", "dcql_query": json.dumps({"credentials": []})}})
    assert by_value.dcql_query == {"credentials": []}
    assert from_hook_answer([1]).problem and from_hook_answer({"nothing": 1}).problem


def test_client_id_prefixes() -> None:
    assert client_id_prefix("decentralized_identifier:did:key:z6") == "decentralized_identifier"
    assert client_id_prefix("https://verifier.example") == "pre-registered"
    assert client_id_prefix("plain") == "pre-registered"


def test_start_fetches_a_signed_request_by_get_and_its_signature_verifies(loader: DocumentLoader) -> None:
    token = _request_object(txn(signed=True), None)
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/requests":
            return httpx.Response(200, json={"request_uri": f"{BASE}/r/1"})
        return jwt_response(token)

    request = wallet(handler).start(client_id_prefix="decentralized_identifier")
    assert request.problem is None and request.request_object is not None and request.request_object.signed
    assert json.loads(seen[0].content)["client_id_prefix"] == "decentralized_identifier"
    assert seen[1].method == "GET" and "oauth-authz-req+jwt" in seen[1].headers["accept"]
    assert request.nonce == txn(True).nonce and request.state == "state-1"
    assert verify_request_signature(request.request_object, DidResolver(loader)) is None
    result = checks.request_object_is_typed_and_signed(request.request_object, None)
    assert result.status is Status.PASSED and result.requirement == "VP-02"


def test_start_posts_wallet_nonce_when_request_uri_method_is_post() -> None:
    forms: list[dict[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/requests":
            return httpx.Response(200, json={"request_uri": f"{BASE}/r/1", "request_uri_method": "post"})
        forms.append(dict(parse_qsl(request.content.decode())))
        return jwt_response(_request_object(txn(signed=False), forms[-1]["wallet_nonce"]))

    request = wallet(handler).start()
    assert forms and "wallet_nonce" in forms[0] and "wallet_metadata" in forms[0]
    assert request.params["wallet_nonce"] == forms[0]["wallet_nonce"]
    assert request.request_object is not None and not request.request_object.signed


def test_a_tampered_request_object_signature_is_reported(loader: DocumentLoader) -> None:
    token = _request_object(txn(signed=True), None)
    head, _, sig = token.split(".")
    other = _request_object(PresentationTransaction("t2", "s2", "n2", txn(True).client_id, f"{BASE}/x", "get", True), None)
    forged = read_request_object(f"{head}.{other.split('.')[1]}.{sig}", "application/oauth-authz-req+jwt")
    assert forged is not None
    problem = verify_request_signature(forged, DidResolver(loader))
    assert problem and "does not verify" in problem
    assert checks.request_object_is_typed_and_signed(forged, problem).status is Status.FAILED


def test_a_broken_request_uri_is_broken_not_failed() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/requests":
            return httpx.Response(200, json={"request_uri": f"{BASE}/r/1"})
        return httpx.Response(503)

    request = wallet(handler).start()
    assert request.broken and "server_error" in str(request.problem)


# -- DCQL and the request checks -------------------------------------------------------------------------
def test_dcql_matches_only_expanded_ob3_iris() -> None:
    good = {"credentials": [{"id": "b", "format": "ldp_vc", "meta": {"type_values": [[OB]]}}]}
    short = {"credentials": [{"id": "b", "format": "ldp_vc", "meta": {"type_values": [["OpenBadgeCredential"]]}}]}
    assert ob3_query(good) is not None and ob3_query(good).id == "b"  # type: ignore[union-attr]
    assert ob3_query(short) is None
    assert ob3_query(good, ("jwt_vc_json",)) is None
    assert checks.dcql_asks_for_open_badge(good).status is Status.PASSED
    assert "unexpanded" in checks.dcql_asks_for_open_badge(short).message
    dup = {"credentials": [good["credentials"][0], good["credentials"][0]]}
    assert checks.dcql_asks_for_open_badge(dup).status is Status.FAILED
    no_meta = {"credentials": [{"id": "b", "format": "ldp_vc"}]}
    assert "no meta" in checks.dcql_asks_for_open_badge(no_meta).message


def test_vp_01_accepts_a_final_request_and_rejects_a_draft_one() -> None:
    params = txn(False).request_claims()
    assert checks.request_has_required_parameters(params).status is Status.PASSED
    draft = {**params, "presentation_definition": {}, "client_id": "https://v.example"}
    draft.pop("dcql_query")
    result = checks.request_has_required_parameters(draft)
    assert result.status is Status.FAILED and "presentation_definition" in result.message
    assert checks.nonces_are_fresh(["a", "a"]).status is Status.FAILED
    assert checks.nonces_are_fresh(["a", "b"]).status is Status.PASSED
    assert checks.nonce_has_enough_entropy("abc").status is Status.WARNING
    assert checks.nonce_has_enough_entropy("Zk3" * 10).status is Status.WARNING
    assert checks.nonce_has_enough_entropy("q7PZ1mX0b-Lr_sK4yT8wNcVu2hJ6eA9d").status is Status.PASSED


# -- verdicts --------------------------------------------------------------------------------------------
def _answer(status: int, body: Any = None) -> httpx.Response:
    return httpx.Response(status, json=body if body is not None else {})


@pytest.mark.parametrize("verdict_from,status,body,wallet_error,seen", [
    ("direct_post_status", 200, {}, False, Seen.SUCCESS),
    ("direct_post_status", 400, {"error": "invalid_request"}, False, Seen.FAILURE),
    ("direct_post_status", 500, {}, False, Seen.BROKEN),
    ("direct_post_status", 200, {}, True, Seen.NOT_OBSERVABLE),
    ("redirect", 200, {"redirect_uri": "https://v.example/done"}, False, Seen.SUCCESS),
    ("redirect", 200, {}, False, Seen.FAILURE),
])
def test_verdict_from_the_direct_post(verdict_from: str, status: int, body: Any, wallet_error: bool, seen: Seen) -> None:
    w = wallet(lambda r: _answer(status, body), result_hook=None, verdict_from=verdict_from)
    request = from_hook_answer({"request": txn(False).request_claims()})
    answer = w.respond_error(request) if wallet_error else w.respond(request, {"b": [{}]})
    assert w.observe(request, answer, wallet_error=wallet_error).seen is seen


@pytest.mark.parametrize("hook_status,hook_body,seen", [
    (200, {"verified": True}, Seen.SUCCESS),
    (200, {"verified": False, "errors": ["nonce"]}, Seen.FAILURE),
    (200, {"status": "pending", "verified": None}, Seen.NOT_OBSERVABLE),
    (502, {}, Seen.BROKEN),
])
def test_verdict_from_the_result_hook(hook_status: int, hook_body: Any, seen: Seen) -> None:
    posted: list[dict[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/responses":
            posted.append(dict(parse_qsl(request.content.decode())))
            return _answer(400)
        assert request.url.path == "/results/state-1"
        return _answer(hook_status, hook_body)

    w = wallet(handler)
    request = from_hook_answer({"request": txn(False).request_claims()})
    answer = w.respond(request, {"b": [{"type": "VerifiablePresentation"}]})
    assert posted[0]["state"] == "state-1" and json.loads(posted[0]["vp_token"]) == {"b": [{"type": "VerifiablePresentation"}]}
    assert w.observe(request, answer).seen is seen


def test_expectations_never_guess() -> None:
    ok = httpx.Response(200)
    exchange = wallet(lambda r: _answer(200)).http.get_json(f"{BASE}/results/x")
    assert ok.status_code == exchange.status
    unobservable = PresentationAnswer(exchange, Observation(Seen.NOT_OBSERVABLE, "no boolean", "result_hook"))
    with pytest.raises(Broken, match="verdict not observable"):
        satisfied(NO_SUCCESS, "VP-06", unobservable)
    with pytest.raises(Broken, match="verdict not observable"):
        satisfied(SUCCESS, "VP-05", unobservable)
    [success] = satisfied(NO_SUCCESS, "VP-06", PresentationAnswer(exchange, Observation(Seen.SUCCESS, "verified: true",
                                                                                         "result_hook")))
    assert success.status is Status.FAILED and "reported success" in success.message
    [failure] = satisfied(NO_SUCCESS, "VP-06", PresentationAnswer(exchange, Observation(Seen.FAILURE, "verified: false",
                                                                                         "result_hook")))
    assert failure.status is Status.PASSED


def test_vp_04_direct_post_answer() -> None:
    w = wallet(lambda r: _answer(200, {"redirect_uri": "https://v.example/cb#x"}), result_hook=None,
               verdict_from="direct_post_status")
    request = from_hook_answer({"request": txn(False).request_claims()})
    assert checks.direct_post_answered_with_json(w.respond(request, {})).status is Status.PASSED
    w = wallet(lambda r: httpx.Response(200, text="ok"), result_hook=None, verdict_from="direct_post_status")
    assert checks.direct_post_answered_with_json(w.respond(request, {})).status is Status.FAILED
