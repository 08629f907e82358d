"""Wallet checks, OID4VCI side: lerconf plays the issuer and authorization server, the vendor's
wallet is its client.

Each check judges what lerconf's own metadata, offer, authorization, token, nonce and credential
endpoints received from the wallet (:class:`~lerconf.protocol.wire_record.WireRecord` lists,
already narrowed to one scenario's offer) or what the wallet lists as stored. What the wallet or
its adapter reports about itself never reaches a check.

A check never decides "broken" or "not claimed": a prerequisite the wallet did not deliver (no
credential issued, no credential request to observe) is the scenario's to say
(``lerconf.scenarios.wallet_issuance``) before a check sees the facts.
"""
from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from lerconf.checks.base import Verdict, check, failed, not_applicable, passed
from lerconf.crypto.jose.compact import JwsParseError, ParsedJws, parse_compact
from lerconf.protocol.key_proof import PROOF_TYP
from lerconf.protocol.oid4vci import PRE_AUTHORIZED_GRANT
from lerconf.protocol.wire_record import WireRecord
from lerconf.results import Category, Severity


# -- reading the wire -------------------------------------------------------------------------------
def _key_proof(request: WireRecord, what: str) -> tuple[ParsedJws | None, str]:
    """The first ``proofs.jwt`` key proof of a credential request, or why there is none."""
    body = request.json()
    proofs = body.get("proofs") if isinstance(body, Mapping) else None
    jwts = proofs.get("jwt") if isinstance(proofs, Mapping) else None
    if not isinstance(jwts, list) or not jwts:
        return None, f"the {what}credential request has no proofs.jwt array"
    try:
        return parse_compact(jwts[0], allow_sd_jwt=False), ""
    except JwsParseError as exc:
        return None, f"the {what}key proof is not a compact JWS: {exc}"


def _latest_nonce_before(nonce_responses: Sequence[WireRecord], seq: int) -> str | None:
    """The c_nonce of the last successful nonce request lerconf received before record ``seq``."""
    given = [r for r in nonce_responses if r.seq < seq and r.status == 200]
    body = given[-1].response_json() if given else None
    nonce = body.get("c_nonce") if isinstance(body, Mapping) else None
    return nonce if isinstance(nonce, str) else None


def _s256(verifier: str) -> str:
    """RFC 7636 §4.2: BASE64URL(SHA256(ASCII(code_verifier))), without padding."""
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii", "replace")).digest()).decode().rstrip("=")


# -- OID4VCI: the wallet as client of lerconf's issuer -----------------------------------------------
@check("VCI-20", Category.PROTOCOL)
def wallet_fetches_issuer_metadata(metadata_requests: Sequence[WireRecord], metadata_path: str) -> Verdict:
    """The wallet fetches the Credential Issuer Metadata of the offer's credential_issuer from its well-known URL.

    OID4VCI 1.0 §12.2.2. ``metadata_requests``: the GET requests lerconf's metadata endpoint received.
    """
    if not any(r.status == 200 for r in metadata_requests):
        return failed(f"the wallet never fetched the issuer metadata at {metadata_path}", requests=len(metadata_requests))
    return passed(f"the wallet fetched the issuer metadata at {metadata_path}")


@check("VCI-20", Category.PROTOCOL)
def wallet_refuses_mismatched_credential_issuer(token_requests: Sequence[WireRecord],
                                                credential_requests: Sequence[WireRecord]) -> Verdict:
    """The wallet rejects Credential Issuer Metadata whose credential_issuer is not the offer's Credential Issuer
    Identifier, and goes no further with that issuer.

    OID4VCI 1.0 §12.2.4. ``token_requests``: those with the offer's pre-authorized code.
    """
    if token_requests:
        return failed("the wallet redeemed the offer's pre-authorized code although the issuer metadata's "
                      "credential_issuer is not the offer's issuer", token_requests=len(token_requests))
    if credential_requests:
        return failed("the wallet sent a credential request to the mismatching issuer")
    return passed("the wallet went no further than the metadata of the mismatching issuer")


@check("VCI-21", Category.PROTOCOL)
def wallet_dereferences_offer_uri(offer_requests: Sequence[WireRecord], offer_uri: str | None) -> Verdict:
    """The wallet dereferences credential_offer_uri by GET.

    OID4VCI 1.0 §4.1.3. ``offer_requests``: the GETs lerconf's offer endpoint received for the offer.
    """
    if offer_uri is None:
        return not_applicable("the offer was passed by value")
    if not offer_requests:
        return failed("the wallet never dereferenced credential_offer_uri by GET")
    return passed("the wallet dereferenced credential_offer_uri by GET")


@check("VCI-21", Category.PROTOCOL)
def wallet_sends_tx_code_as_offered(token_requests: Sequence[WireRecord], tx_code: str | None) -> Verdict:
    """The wallet sends tx_code in the token request when the offer had a tx_code object (even empty), and only then.

    OID4VCI 1.0 §6.1. ``token_requests``: those with the offer's pre-authorized code; ``tx_code``: the
    code lerconf gave beside an offer with a tx_code object, None for an offer without one.
    """
    if not token_requests:
        return failed("lerconf's token endpoint received no request with the offer's pre-authorized code")
    last = token_requests[-1]
    if tx_code is None:
        if any("tx_code" in r.form() for r in token_requests):
            return failed("the wallet sent a tx_code although the offer has no tx_code object")
        if last.status != 200:
            return failed(f"lerconf's token endpoint refused the wallet's token request (HTTP {last.status})")
        return passed("the wallet redeemed the pre-authorized code without a tx_code")
    if "tx_code" not in last.form():
        return failed("the token request has no tx_code although the offer had a tx_code object")
    accepted = [r for r in token_requests if r.status == 200]  # a mistyped code retried correctly is fine
    if not accepted:
        return failed(f"lerconf's token endpoint refused the wallet's token request (HTTP {last.status})")
    form = accepted[-1].form()
    if form.get("grant_type") != PRE_AUTHORIZED_GRANT:
        return failed(f"grant_type is {form.get('grant_type')!r}")
    if form.get("tx_code") != tx_code:
        return failed("the token request's tx_code is not the one lerconf gave")
    return passed("the wallet redeemed the pre-authorized code with the offer's tx_code")


@check("VCI-22", Category.PROTOCOL)
def key_proof_binds_issuer_and_latest_nonce(credential_requests: Sequence[WireRecord],
                                            nonce_responses: Sequence[WireRecord], issuer: str) -> Verdict:
    """The wallet key proof JWT has typ openid4vci-proof+jwt, aud = the Credential Issuer Identifier, iat, and
    nonce = the latest c_nonce.

    OID4VCI 1.0 Appendix F.1. Judges the last credential request against the nonce requests before it.
    """
    if not credential_requests:
        return failed("lerconf's credential endpoint received no credential request")
    request = credential_requests[-1]
    proof, problem = _key_proof(request, "")
    if proof is None:
        return failed(problem)
    if proof.header.get("typ") != PROOF_TYP:
        return failed(f"the key proof typ is {proof.header.get('typ')!r}", expected=PROOF_TYP)
    if proof.payload.get("aud") != issuer:
        return failed(f"the key proof aud is {proof.payload.get('aud')!r}, not the credential issuer {issuer}")
    if not isinstance(proof.payload.get("iat"), int):
        return failed("the key proof has no numeric iat")
    latest = _latest_nonce_before(nonce_responses, request.seq)
    if latest is None:
        return failed("the wallet never asked lerconf's nonce endpoint for a c_nonce before the credential request")
    if proof.payload.get("nonce") is None:
        return failed("the key proof carries no nonce although lerconf's nonce endpoint gave one")
    if proof.payload.get("nonce") != latest:
        return failed("the key proof's nonce is not the latest c_nonce lerconf's nonce endpoint gave")
    if request.status != 200:
        return failed(f"lerconf's credential endpoint refused the request (HTTP {request.status})")
    return passed("the key proof is typed, addressed to the issuer, dated, and carries the latest c_nonce", aud=issuer)


@check("VCI-22", Category.PROTOCOL, severity=Severity.SHOULD)
def wallet_retries_with_a_fresh_nonce(credential_requests: Sequence[WireRecord],
                                      nonce_responses: Sequence[WireRecord]) -> Verdict:
    """After an invalid_nonce error the wallet SHOULD get a fresh c_nonce from the Nonce Endpoint and send a new
    credential request whose key proof carries it.

    OID4VCI 1.0 §8.3.1.2 (the SHOULD part of VCI-22). The first of ``credential_requests`` is the one
    lerconf's credential endpoint answered invalid_nonce.
    """
    if len(credential_requests) < 2:
        return failed("the wallet gave up after invalid_nonce instead of retrying with a fresh c_nonce")
    first, retry = credential_requests[0], credential_requests[1]
    if not any(first.seq < r.seq < retry.seq for r in nonce_responses):
        return failed("the wallet retried without asking lerconf's nonce endpoint for a fresh c_nonce")
    proof, problem = _key_proof(retry, "retried ")
    if proof is None:
        return failed(problem)
    if proof.payload.get("nonce") != _latest_nonce_before(nonce_responses, retry.seq):
        return failed("the retried key proof does not carry the fresh c_nonce")
    if retry.status != 200:
        return failed(f"lerconf's credential endpoint refused the retried request (HTTP {retry.status})")
    return passed("after invalid_nonce the wallet fetched a fresh c_nonce and retried with it")


@check("LCW-01", Category.PROTOCOL)
def wallet_stores_credential_unchanged(issued: Sequence[Any], stored: Sequence[Any]) -> Verdict:
    """The wallet stores the credential exactly as the credential endpoint returned it (a JSON object for ldp_vc, the
    JWT string for jwt_vc_json).

    lerconf LCW-01 (OID4VCI 1.0 §8.3; VCDM 2.0 §4.12). ``stored``: the credentials the wallet lists.
    """
    for credential in issued:
        if credential in stored:
            continue
        cid = credential.get("id") if isinstance(credential, Mapping) else None
        if cid is not None and any(isinstance(s, Mapping) and s.get("id") == cid for s in stored):
            return failed(f"the wallet stored the credential {cid} altered: it differs from what lerconf issued")
        return failed("the credential lerconf issued is not among the wallet's stored credentials", stored=len(stored))
    return passed(f"the wallet stores the {len(issued)} credential(s) lerconf issued exactly as issued")


@check("LCW-04", Category.PROTOCOL)
def wallet_uses_pkce_s256(authorization_requests: Sequence[WireRecord], token_requests: Sequence[WireRecord],
                          issuer_state: str) -> Verdict:
    """For an authorization_code offer the wallet sends an authorization request with the offer's issuer_state and an
    S256 code_challenge, and redeems the code with the matching code_verifier and the same redirect_uri.

    lerconf LCW-04 (OID4VCI 1.0 §5, RFC 7636). ``authorization_requests``: the GETs lerconf's
    authorization endpoint received; ``token_requests``: the POSTs its token endpoint received.
    """
    ours = [r for r in authorization_requests if r.query_params().get("issuer_state") == issuer_state]
    if not ours:
        return failed("lerconf's authorization endpoint received no authorization request with the offer's issuer_state")
    asked = ours[-1].query_params()
    if asked.get("code_challenge_method") != "S256" or not asked.get("code_challenge"):
        return failed("the authorization request uses no S256 code_challenge "
                      f"(code_challenge_method {asked.get('code_challenge_method')!r})")
    tokens = [r for r in token_requests if r.form().get("grant_type") == "authorization_code" and r.seq > ours[-1].seq]
    if not tokens:
        return failed("lerconf's token endpoint received no authorization_code token request after the authorization")
    form = tokens[-1].form()
    if not form.get("code_verifier"):
        return failed("the token request carries no code_verifier")
    if _s256(form["code_verifier"]) != asked["code_challenge"]:
        return failed("the code_verifier does not hash to the authorization request's code_challenge")
    if form.get("redirect_uri") != asked.get("redirect_uri"):
        return failed("the token request's redirect_uri is not the authorization request's")
    if tokens[-1].status != 200:
        return failed(f"lerconf's token endpoint refused the wallet's token request (HTTP {tokens[-1].status})")
    return passed("the wallet used PKCE S256 and redeemed the code with the matching code_verifier")
