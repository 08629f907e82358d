"""lerconf as the wallet in front of an OID4VP verifier under test: start a request through the
verifier's request hook, fetch it, answer it with ``response_mode=direct_post`` (VP §8.2) or
``direct_post.jwt`` (VP §8.3, encrypted), and observe the verifier's verdict the way its profile says.

Verdicts (VP-VER-08..17 of the research note) are observed, never guessed:

* ``result_hook``        GET (or POST) the hook for the transaction's ``state``: ``{verified: bool}``
* ``direct_post_status`` the answer to the direct_post: 2xx = success, 400/422 = failure
* ``redirect``           success iff the 2xx answer carries a ``redirect_uri``; 400/422 = failure

A verdict the chosen source cannot give (no boolean in the hook's answer; a wallet error
response, which VP §8.2 answers with 200 whatever the verifier concludes) is ``not_observable``.
The verdict itself is plain data (lerconf.protocol.vp_verdict, re-exported here) that the checks judge.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from lerconf import entropy
from lerconf.clients.oid4vp_request import (
    AuthorizationRequest,
    fetch_request,
    from_hook_answer,
)
from lerconf.outcome import Outcome
from lerconf.protocol.vp_response import (
    encrypt_response,
    encryption_key,
    other_key_like,
)
from lerconf.protocol.vp_verdict import Observation, Seen

if TYPE_CHECKING:
    from lerconf.clients.http import VendorClient
    from lerconf.exchange import Exchange
    from lerconf.profile.oid4vp import Oid4vpVerifierSection

__all__ = ["Oid4vpWallet"]

_NO_ANSWER = (Outcome.SERVER_ERROR, Outcome.TRANSPORT_ERROR, Outcome.AUTH_ERROR)


class Oid4vpWallet:
    """The wallet side of OID4VP 1.0 for one verifier under test (all calls through VendorClient)."""

    def __init__(self, http: VendorClient, section: Oid4vpVerifierSection) -> None:
        self.http = http
        self.section = section

    def __repr__(self) -> str:
        return f"Oid4vpWallet({self.http.profile.name!r})"

    # -- the request ---------------------------------------------------------------------------
    def start(self, *, client_id_prefix: str | None = None, request_uri_method: str | None = None,
              format: str = "ldp_vc", response_mode: str | None = None,
              spec_version: str | None = None) -> AuthorizationRequest:
        """Ask the verifier for a fresh presentation request and dereference it. The hook body
        names what the scenario needs (the verifier's profile claims it)."""
        wishes = {"format": format, "credential_type": "OpenBadgeCredential",
                  **({"client_id_prefix": client_id_prefix} if client_id_prefix else {}),
                  **({"request_uri_method": request_uri_method} if request_uri_method else {}),
                  **({"response_mode": response_mode} if response_mode else {}),
                  **({"spec_version": spec_version} if spec_version else {})}
        exchange = self.http.post_json(self.section.request_hook, wishes)
        if exchange.outcome is not Outcome.ACCEPTED:
            return AuthorizationRequest(exchanges=[exchange], broken=exchange.outcome in _NO_ANSWER,
                                        problem=f"the request hook gave no request: {exchange.outcome.value}: {exchange.reason}")
        request = from_hook_answer(exchange.json)
        request.exchanges.insert(0, exchange)
        return fetch_request(self.http, request, wallet_nonce=entropy.token_urlsafe(16))

    # -- the response --------------------------------------------------------------------------
    def respond(self, request: AuthorizationRequest, vp_token: Any, *, state: str | None = None,
                submission: Mapping[str, Any] | None = None, encrypt: str = "auto") -> Exchange:
        """POST the response to response_uri: ``vp_token`` (a JSON object keyed by DCQL ids; in the
        draft mode the presentation itself, with ``submission``) and ``state``, form-encoded, or —
        for ``direct_post.jwt`` — as one ``response`` JWE (VP §8.3).

        ``encrypt``: "auto" (encrypt iff the request asks for direct_post.jwt), "plain" (never),
        "other-key" (to a fresh key under the offered kid: a JWE the verifier cannot open).
        """
        state = request.state if state is None else state
        params: dict[str, Any] = {"vp_token": vp_token}
        if submission is not None:
            params["presentation_submission"] = dict(submission)
        if state:
            params["state"] = state
        mode = request.params.get("response_mode")
        if encrypt == "plain" or (encrypt == "auto" and mode != "direct_post.jwt"):
            form = {k: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for k, v in params.items()}
            return self.http.post_form(str(request.response_uri), form)
        jwk, enc, problem = encryption_key(request.params.get("client_metadata"))
        if jwk is None:
            raise ValueError(f"cannot encrypt the response: {problem}")  # callers check the key first
        if encrypt == "other-key":
            jwk = other_key_like(jwk)
        return self.http.post_form(str(request.response_uri), {"response": encrypt_response(params, jwk, enc)})

    def respond_error(self, request: AuthorizationRequest, error: str = "access_denied") -> Exchange:
        """An Authorization Error Response (VP §8.5) posted to response_uri."""
        form = {"error": error, "error_description": "the holder declined (sent by lerconf)"}
        if request.state:
            form["state"] = request.state
        return self.http.post_form(str(request.response_uri), form)

    # -- the verdict ---------------------------------------------------------------------------
    def observe(self, request: AuthorizationRequest, answer: Exchange, *, wallet_error: bool = False) -> Observation:
        """The verifier's verdict on ``request``'s transaction after ``answer``."""
        source = self.section.verdict_from
        if source == "result_hook":
            return self._from_hook(request)
        if answer.outcome in _NO_ANSWER or answer.outcome is Outcome.MALFORMED_RESPONSE:
            return Observation(Seen.BROKEN, f"the direct_post got no usable answer: {answer.outcome.value}: {answer.reason}",
                               source)
        if wallet_error:
            return Observation(Seen.NOT_OBSERVABLE, "a wallet error response is answered like any other (VP §8.2); "
                               f"{source} cannot tell whether the verifier reported success", source)
        if answer.outcome is Outcome.REJECTED:
            return Observation(Seen.FAILURE, f"the direct_post was refused: {answer.reason}", source)
        if source == "direct_post_status":
            return Observation(Seen.SUCCESS, f"the direct_post was accepted ({answer.reason})", source)
        redirect = answer.json.get("redirect_uri") if isinstance(answer.json, Mapping) else None
        if isinstance(redirect, str) and redirect:
            return Observation(Seen.SUCCESS, "the direct_post answer carries a redirect_uri", source)
        return Observation(Seen.FAILURE, "the direct_post answer carries no redirect_uri", source)

    def _from_hook(self, request: AuthorizationRequest) -> Observation:
        state = request.state
        if not state:
            return Observation(Seen.NOT_OBSERVABLE, "the request has no state to ask the result hook about", "result_hook")
        template = str(self.section.result_hook)
        if self.section.result_hook_method == "post":
            exchange = self.http.post_json(template.replace("{state}", quote(state, safe="")), {"state": state})
        else:
            exchange = self.http.get_json(template.replace("{state}", quote(state, safe="")))
        if exchange.outcome is not Outcome.ACCEPTED:
            seen = Seen.BROKEN if exchange.outcome is not Outcome.REJECTED else Seen.NOT_OBSERVABLE
            return Observation(seen, f"the result hook answered {exchange.outcome.value}: {exchange.reason}", "result_hook")
        verified = exchange.json.get("verified") if isinstance(exchange.json, Mapping) else None
        if not isinstance(verified, bool):
            return Observation(Seen.NOT_OBSERVABLE, "the result hook's answer has no boolean 'verified' "
                               f"(got {json.dumps(exchange.json)[:200]})", "result_hook")
        if verified:
            return Observation(Seen.SUCCESS, "the result hook says verified: true", "result_hook")
        errors = exchange.json.get("errors") if isinstance(exchange.json, Mapping) else None
        return Observation(Seen.FAILURE, f"the result hook says verified: false ({json.dumps(errors)[:300]})", "result_hook")
