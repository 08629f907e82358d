"""Wallet checks, OID4VP side: lerconf plays the verifier, the vendor's wallet answers its
requests; and the wallet lifecycle (present, revoke, present again).

Each check judges what lerconf's response_uri received from the wallet
(:class:`~lerconf.protocol.wire_record.WireRecord` lists, narrowed to one request) and, where a
requirement needs it, what lerconf's verifier decided, handed in as plain data (the scenario reads
it from lerconf's verifier). What the wallet or its adapter reports never reaches a check.

A check never decides "broken" or "not claimed": a prerequisite the wallet did not deliver (no
credential to present, no request object fetched, nothing posted) is the scenario's to say
(``lerconf.scenarios.wallet_presentation`` / ``wallet_lifecycle``) before a check sees the facts.
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from lerconf.checks.base import Verdict, check, failed, passed
from lerconf.crypto.jose.compact import JwsParseError, parse_compact
from lerconf.protocol.wire_record import WireRecord
from lerconf.results import Category

__all__ = ["DECLINE_ERRORS", "Opened", "presented_item"]

#: the error codes a wallet may decline a presentation request with (VP §8.5)
DECLINE_ERRORS = ("access_denied", "invalid_request", "vp_formats_not_supported")
#: a response lerconf's verifier opened: (its parameters, the problem that kept it closed or None)
Opened = tuple[Mapping[str, Any], str | None]


# -- reading the wire -------------------------------------------------------------------------------
def presented_item(responses: Sequence[WireRecord], query_id: str) -> tuple[Any, str]:
    """The one presentation the first response to a request holds for the DCQL query ``query_id``,
    or (None, what is wrong with the response)."""
    if not responses:
        return None, "lerconf's response_uri received no response for the request's state"
    form = responses[0].form()
    if "vp_token" not in form:
        return None, f"the wallet answered without a vp_token (error {form.get('error')!r})"
    try:
        token = json.loads(form["vp_token"])
    except ValueError:
        return None, "vp_token is not JSON"
    if not isinstance(token, dict) or set(token) != {query_id}:
        keys = sorted(token) if isinstance(token, dict) else type(token).__name__
        return None, f"vp_token is not keyed by the DCQL credential query id {query_id!r}: {keys}"
    items = token[query_id]
    if not isinstance(items, list) or len(items) != 1:
        return None, "vp_token must hold exactly one presentation for the query"
    return items[0], ""


def _inner_credentials(vp: Any) -> list[Any]:
    inner = vp.get("verifiableCredential") if isinstance(vp, Mapping) else None
    return inner if isinstance(inner, list) else [inner]


def _carries_a_token(record: WireRecord) -> bool:
    """A post to the response_uri with a vp_token, in clear or inside an encrypted ``response``."""
    form = record.form()
    return "vp_token" in form or "response" in form


# -- OID4VP: the wallet answering lerconf's verifier --------------------------------------------------
@check("VP-09", Category.PROTOCOL)
def wallet_presents_only_the_requested_badge(responses: Sequence[WireRecord], query_id: str,
                                             issued: Sequence[Any]) -> Verdict:
    """The wallet evaluates DCQL and returns only matching credentials: vp_token is keyed by the query id, with one
    presentation.

    OID4VP 1.0 §6, §8.1. ``responses``: the posts to lerconf's response_uri with the request's state;
    ``issued``: the badge(s) lerconf's issuer gave the wallet.
    """
    vp, problem = presented_item(responses, query_id)
    if problem:
        return failed(problem)
    if not isinstance(vp, dict):
        return failed("the presentation is not a JSON object (ldp_vc)")
    inner = _inner_credentials(vp)
    if len(inner) != 1:
        return failed(f"the presentation holds {len(inner)} credentials; the query asks for one badge")
    if inner[0] not in issued:
        return failed("the presented credential is not the badge lerconf issued to the wallet (altered or another one)")
    return passed(f"vp_token holds one presentation under {query_id!r} with exactly the badge lerconf issued")


@check("VP-10", Category.PROTOCOL)
def presentation_bound_to_nonce_and_client_id(responses: Sequence[WireRecord], query_id: str, nonce: str,
                                              client_id: str) -> Verdict:
    """The wallet binds every VP to client_id and nonce (Data Integrity: challenge = nonce, domain = client_id).

    OID4VP 1.0 §14.1, Appendix B.1.3.2 (ldp_vc).
    """
    vp, problem = presented_item(responses, query_id)
    if problem:
        return failed(problem)
    if not isinstance(vp, dict):
        return failed("the presentation is not a JSON object (ldp_vc)")
    proof = vp.get("proof")
    proof = proof[0] if isinstance(proof, list) and proof else proof
    if not isinstance(proof, dict):
        return failed("the presentation has no proof (holder binding is required)")
    if proof.get("challenge") != nonce:
        return failed("the presentation's challenge is not the request's nonce")
    if proof.get("domain") != client_id:
        return failed(f"the presentation's domain {proof.get('domain')!r} is not the request's full client_id {client_id!r}")
    return passed("the presentation's proof has challenge = the request's nonce and domain = its full client_id",
                  client_id=client_id)


@check("VP-10", Category.PROTOCOL)
def vp_jwt_bound_to_nonce_and_client_id(responses: Sequence[WireRecord], query_id: str, nonce: str, client_id: str,
                                        issued: Sequence[Any]) -> Verdict:
    """The wallet binds every VP to client_id and nonce (a VP JWT: nonce = the request's nonce, aud = client_id),
    with the badge JWT inside exactly as issued.

    OID4VP 1.0 §14.1, Appendix B.1.3.1 (jwt_vc_json).
    """
    item, problem = presented_item(responses, query_id)
    if problem:
        return failed(problem)
    if not isinstance(item, str):
        return failed("a jwt_vc_json presentation must be a VP JWT (a compact JWS string)")
    try:
        parsed = parse_compact(item, allow_sd_jwt=False)
    except JwsParseError as exc:
        return failed(f"the presentation is not a compact JWS: {exc}")
    aud, header = parsed.payload.get("aud"), dict(parsed.header)
    if parsed.payload.get("nonce") != nonce:
        return failed("the VP JWT's nonce is not the request's nonce", header=header, aud=aud)
    if aud != client_id and not (isinstance(aud, list) and client_id in aud):  # RFC 7519: a string or an array
        return failed(f"the VP JWT's aud {aud!r} is not the request's full client_id {client_id!r}", header=header, aud=aud)
    inner = _inner_credentials(parsed.payload.get("vp"))
    if len(inner) != 1 or inner[0] not in issued:
        return failed("the VP JWT does not carry the badge JWT lerconf issued, unchanged", header=header, aud=aud)
    return passed("the VP JWT has nonce = the request's nonce and aud = its full client_id, with the badge as issued",
                  header=header, aud=aud)


@check("VP-10", Category.PROOF)
def presentation_verified_by_lerconf(verified: bool | None, errors: Sequence[str]) -> Verdict:
    """The wallet binds every VP to client_id and nonce with a proof that verifies (lerconf's verifier accepted the
    presentation itself).

    OID4VP 1.0 §14.1. A right nonce on a junk proof binds nothing. ``verified`` and ``errors`` are
    lerconf's verifier's verdict (None: no verdict); errors about the credential inside
    (``…#verifiableCredential[i]``) belong to other requirements (VP-09, LCW-01).
    """
    if verified is None:
        return failed("lerconf's verifier reached no verdict on the presentation")
    own = [e for e in errors if "#verifiableCredential" not in e]
    if own:
        return failed("lerconf's verifier refused the presentation itself: " + "; ".join(own[:3]))
    return passed("lerconf's verifier found the presentation's signature and holder binding good")


@check("LCW-03", Category.PROTOCOL)
def response_encrypted_for_direct_post_jwt(posts: Sequence[WireRecord], opened: Sequence[Opened], state: str) -> Verdict:
    """When the request asks for response_mode=direct_post.jwt, the wallet sends only the response parameter: a JWE
    of the response parameters encrypted to a key of the request's client_metadata.jwks, never the vp_token in clear.

    OID4VP 1.0 §8.3. ``posts``: every post to lerconf's response_uri; ``opened``: what lerconf's
    verifier made of each. Whether the presentation inside is valid is VP-09/VP-10's to judge.
    """
    if not posts:
        return failed("lerconf's response_uri received nothing from the wallet")
    if any("vp_token" in r.form() or "error" in r.form() for r in posts):
        return failed("the wallet sent its response in clear although the request asks for direct_post.jwt")
    for params, problem in opened:
        if problem is not None:
            return failed(f"lerconf's verifier cannot open the wallet's encrypted response: {problem}")
        if params.get("state") != state:
            return failed("the decrypted response is not for this request's state", parameters=sorted(params))
        if "vp_token" not in params:
            return failed("the decrypted response carries no vp_token", parameters=sorted(params))
    return passed("the wallet sent only an encrypted response, which opens into this request's vp_token and state",
                  parameters=sorted(opened[0][0]) if opened else [])


@check("VP-11", Category.PROTOCOL)
def no_vp_token_for_a_refused_request(posts: Sequence[WireRecord], why: str) -> Verdict:
    """The wallet uses only Request Object parameters and enforces the client-id prefix rules: a request that breaks
    them gets no vp_token.

    OID4VP 1.0 §5, §5.9. ``posts``: every post to lerconf's response_uri in the scenario; ``why``: what
    makes the request one the wallet must refuse. An error response is allowed.
    """
    if any(_carries_a_token(r) for r in posts):
        return failed(f"the wallet sent a vp_token to lerconf's response_uri although {why}")
    return passed(f"no vp_token reached lerconf's response_uri ({why})")


@check("VP-12", Category.PROTOCOL)
def wallet_declines_with_an_error_response(posts: Sequence[WireRecord], responses: Sequence[WireRecord]) -> Verdict:
    """A wallet that holds no credential matching the query sends an error response (access_denied,
    invalid_request or vp_formats_not_supported) and no vp_token, neither partial nor empty.

    OID4VP 1.0 §8.5. ``posts``: every post to lerconf's response_uri; ``responses``: those with the request's state.
    """
    if any(_carries_a_token(r) for r in posts):
        return failed("the wallet sent a vp_token although it holds no credential matching the query")
    if not responses:
        return failed("the wallet posted no error response to lerconf's response_uri (VP §8.5)")
    error = responses[0].form().get("error")
    if error not in DECLINE_ERRORS:
        return failed(f"the wallet's error response has error {error!r}", expected=DECLINE_ERRORS)
    return passed(f"the wallet declined with error {error}")


@check("VP-13", Category.PROTOCOL)
def wallet_does_not_follow_response_redirect(redirect_hits: int) -> Verdict:
    """The wallet POSTs to response_uri, follows redirect_uri only from the JSON body, and SHOULD NOT follow HTTP
    redirects.

    OID4VP 1.0 §8.2, §14.8. ``redirect_hits``: requests the redirect target of lerconf's response_uri received.
    """
    if redirect_hits:
        return failed(f"the wallet followed the response_uri's HTTP redirect ({redirect_hits} request(s) to the redirect "
                      "target); it should only follow a redirect_uri in the JSON body")
    return passed("the wallet did not follow the response_uri's HTTP redirect")


# -- the wallet lifecycle: issue, present, revoke, present again ----------------------------------------
@check("LCW-02", Category.STATUS)
def held_badge_presented_and_accepted(responses: Sequence[WireRecord], issued: Mapping[str, Any],
                                      accepted: bool, errors: Sequence[str]) -> Verdict:
    """Before its revocation the wallet presents the badge it holds exactly as issued, and lerconf's verifier accepts it.

    lerconf LCW-02 (the lifecycle's first presentation). ``responses``: the posts to lerconf's
    response_uri with the request's state; ``accepted``/``errors``: lerconf's verifier's verdict.
    """
    sent = [r.form()["vp_token"] for r in responses if "vp_token" in r.form()]
    if not sent:
        return failed("the wallet sent no vp_token to lerconf's response_uri for a badge it holds")
    try:
        token = json.loads(sent[0])
    except ValueError:
        return failed("vp_token is not JSON")
    presented = [c for items in (token.values() if isinstance(token, dict) else [])
                 for vp in (items if isinstance(items, list) else []) for c in _inner_credentials(vp)]
    if issued not in presented:
        return failed("the wallet did not present the badge exactly as lerconf issued it")
    if not accepted:
        return failed(f"lerconf's verifier refused the wallet's presentation: {'; '.join(errors[:3])}")
    return passed("the wallet presented the badge as issued and lerconf's verifier accepted it")


@check("LCW-02", Category.STATUS)
def revoked_badge_refused(responses: Sequence[WireRecord], verdict: bool | None, errors: Sequence[str]) -> Verdict:
    """A credential the wallet obtained over OID4VCI and presented over OID4VP is refused once its issuer revokes it:
    lerconf's verifier refuses it for the revoked status, or the wallet declines to present it.

    lerconf LCW-02; BSL §3.2. ``verdict``: lerconf's verifier's (True accepted, False refused, None none).
    """
    if not any("vp_token" in r.form() for r in responses):
        if not any(r.form().get("error") for r in responses):
            return failed("after revocation the wallet neither presented the badge nor sent an error response to "
                          "lerconf's response_uri")
        return passed("the wallet declined to present the revoked badge (its own status check)")
    if verdict is None:
        return failed("lerconf's verifier reached no verdict on the presentation of a revoked badge")
    if verdict:
        return failed("lerconf's verifier accepted the presentation of a revoked badge")
    if not any("revoked" in e.lower() or "BSL" in e for e in errors):
        return failed(f"lerconf's verifier refused the presentation, but not for the revocation: {'; '.join(errors[:3])}")
    return passed("lerconf's verifier refused the presentation of the revoked badge for its status")


@check("LCW-02", Category.STATUS)
def vendor_verifier_refuses_revoked_badge(accepted: bool, observation: str) -> Verdict:
    """A credential the wallet presented over OID4VP is refused by the verifier once its issuer revokes it (the
    vendor's verifier, by its result hook).

    lerconf LCW-02; BSL §3.2. ``observation``: what lerconf observed of the verifier's verdict (evidence).
    """
    if accepted:
        return failed(f"the vendor's verifier accepted a revoked badge: {observation}")
    return passed(f"the vendor's verifier did not accept the revoked badge: {observation}")
