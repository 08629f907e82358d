"""The other ways lerconf, playing the wallet, obtains a credential from an issuer under test:
the authorization code grant with PKCE (OID4VCI §5, RFC 7636), deferred issuance (§9) and
``di_vp`` key proofs (App. F.2). Like ``flows``, each starts fresh, and a prerequisite the vendor
does not deliver makes the scenario broken, never failed or passed.
"""
from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from authlib.oauth2.rfc7636 import create_s256_code_challenge

from lerconf import entropy
from lerconf.checks import oid4vci as checks
from lerconf.crypto.keys import generate
from lerconf.evidence import Evidence
from lerconf.outcome import Outcome
from lerconf.protocol.oid4vci import Answer, AuthorizationResponse
from lerconf.redact import SECRETS
from lerconf.scenarios.expect import expect_checks
from lerconf.scenarios.oid4vci_draft13 import remember_nonce
from lerconf.scenarios.oid4vci_flow import (
    Attempt,
    Issuance,
    VciSession,
    authorized,
    credential_request,
    fresh_nonce,
    proof_for,
    received,
    request_offer,
)
from lerconf.verdicts import Broken
from lerconf.verify.di_vp import DiHolder, make_di_vp

__all__ = [
    "AUTH_CODE_MISUSES",
    "DI_VP_DEFECTS",
    "PkceGrant",
    "authorization_code",
    "deferred_issue",
    "di_vp_defect",
    "di_vp_issue",
    "issue_with_code",
    "misuse_authorization_code",
    "unknown_transaction",
]

#: how a feature says which authorization-code misuse lerconf commits -> token-request overrides
AUTH_CODE_MISUSES = ("a wrong code_verifier", "no code_verifier", "a different redirect_uri",
                     "the authorization code a second time")
#: di_vp key-proof faults (VCI-17): name -> make_di_vp keyword overrides
DI_VP_DEFECTS: dict[str, dict[str, Any]] = {
    "the wrong challenge": {"nonce": "lerconf-never-issued-this-challenge"},
    "the wrong domain": {"audience": "https://wrong-audience.lerconf.invalid/issuer"},
    "a signature that does not verify": {"corrupt_signature": True},
    "proofPurpose assertionMethod": {"purpose": "assertionMethod"},
}


# -- authorization code grant ---------------------------------------------------------------------
@dataclass
class PkceGrant:
    """An authorization code obtained with PKCE, and what the token request must repeat."""

    session: VciSession
    token_endpoint: str
    code: str = field(repr=False)
    verifier: str = field(repr=False)
    client_id: str
    redirect_uri: str
    response: AuthorizationResponse

    def form(self, **overrides: str | None) -> dict[str, str]:
        values = {"code": self.code, "redirect_uri": self.redirect_uri, "client_id": self.client_id,
                  "code_verifier": self.verifier, **overrides}
        return {k: v for k, v in values.items() if v is not None}


def _as_metadata(session: VciSession) -> Mapping[str, Any]:
    server = session.offer.authorization_server("authorization_code") if session.offer is not None else None
    answer = session.client.authorization_server_metadata(session.metadata, server)
    if answer.outcome is not Outcome.ACCEPTED or not isinstance(answer.body, Mapping):
        raise Broken(f"prerequisite: no authorization server metadata: {answer.exchange.reason}")
    return answer.body


def authorization_code(session: VciSession, evidence: Evidence, fmt: str = "ldp_vc", *,
                       deferred: bool = False) -> PkceGrant:
    """A fresh authorization-code offer, the authorization request (PKCE S256, state,
    issuer_state) and the login step the profile describes, up to the code at the redirect_uri."""
    offer = request_offer(session, evidence, fmt, grant="authorization_code", deferred=deferred)
    as_doc = _as_metadata(session)
    endpoint, token_endpoint = as_doc.get("authorization_endpoint"), as_doc.get("token_endpoint")
    if not isinstance(endpoint, str) or not isinstance(token_endpoint, str):
        raise Broken("prerequisite: the authorization server metadata lacks authorization_endpoint or token_endpoint")
    options = session.section.authorization
    verifier = entropy.alphanumeric(64)  # 64 characters of [A-Za-z0-9]: RFC 7636 §4.1
    SECRETS.add(verifier)
    state = entropy.token_urlsafe(16)
    redirect_uri = session.client.redirect_uri  # lerconf's own callback when a person logs in
    params = {"response_type": "code", "client_id": str(options["client_id"]), "redirect_uri": redirect_uri,
              "code_challenge": create_s256_code_challenge(verifier), "code_challenge_method": "S256", "state": state}
    if offer.issuer_state is not None:
        params["issuer_state"] = offer.issuer_state
    else:
        scope = session.metadata.configurations.get(session.configuration(fmt), {}).get("scope")
        if not isinstance(scope, str):
            raise Broken("prerequisite: the offer has no issuer_state and the configuration no scope")
        params["scope"] = scope
    separator = "&" if "?" in endpoint else "?"
    response = session.client.authorize(endpoint + separator + urlencode(params))
    if response.problem is not None:
        raise Broken(f"prerequisite: no authorization code: {response.problem}")
    # the authorization server answered: a refusal of lerconf's valid request, or a response that
    # breaks RFC 6749 / RFC 9207, is the vendor's failure (not a missing answer)
    expect_checks(evidence, [checks.authorization_response_returns_code(
        {**response.params, **({"code": response.code} if response.code else {})}, state, as_doc.get("issuer"))])
    assert response.code is not None  # the check above failed the scenario otherwise
    session.token_endpoint = token_endpoint
    session.configuration_id = session.configuration(fmt)
    return PkceGrant(session, token_endpoint, response.code, verifier, str(options["client_id"]), redirect_uri,
                     response)


def redeem_code(grant: PkceGrant, **overrides: str | None) -> Answer:
    return grant.session.client.token_with_code(grant.token_endpoint, grant.form(**overrides))


def misuse_authorization_code(session: VciSession, evidence: Evidence, misuse: str) -> Attempt:
    """A fresh authorization code redeemed with one fault (AUTH_CODE_MISUSES); all else valid."""
    grant = authorization_code(session, evidence)
    return Attempt(session, _misused(grant, misuse), "the token request", misuse, flow="authorization code")


def _misused(grant: PkceGrant, misuse: str) -> Answer:
    if misuse == "a wrong code_verifier":
        wrong = entropy.alphanumeric(64)
        SECRETS.add(wrong)
        return redeem_code(grant, code_verifier=wrong)
    if misuse == "no code_verifier":
        return redeem_code(grant, code_verifier=None)
    if misuse == "a different redirect_uri":
        return redeem_code(grant, redirect_uri=grant.redirect_uri.rstrip("/") + "/elsewhere")
    if misuse == "the authorization code a second time":
        first = redeem_code(grant)
        if first.outcome is not Outcome.ACCEPTED:
            raise Broken(f"prerequisite: the first redemption of the code was not accepted: {first.exchange.reason}")
        return redeem_code(grant)
    raise KeyError(f"unknown authorization code misuse {misuse!r}")


def issue_with_code(session: VciSession, evidence: Evidence, fmt: str) -> Issuance:
    """The whole authorization code flow: offer, authorization, token (PKCE), nonce, proof, credential."""
    grant = authorization_code(session, evidence, fmt)
    token = remember_nonce(session, redeem_code(grant))
    access = token.body.get("access_token") if isinstance(token.body, Mapping) else None
    if token.outcome is not Outcome.ACCEPTED or not isinstance(access, str):
        return Issuance(session, fmt, token, None, token=token)
    session.access_token = access
    answer = credential_request(session, proof_for(session, fresh_nonce(session)))
    if answer.outcome not in (Outcome.ACCEPTED, Outcome.REJECTED):
        raise Broken(f"the credential request: {answer.outcome.value}: {answer.exchange.reason}")
    return received(session, evidence, fmt, answer, token=token)


# -- deferred issuance ------------------------------------------------------------------------------
def deferred_issue(session: VciSession, evidence: Evidence, fmt: str) -> Issuance:
    """A deferred offer's credential request (202 expected), then the deferred credential endpoint,
    each poll after the ``interval`` the issuer asked for, until a credential or the profile's
    deferred_timeout_s."""
    authorized(session, evidence, fmt, deferred=True)
    first = credential_request(session, proof_for(session, fresh_nonce(session)))
    if first.outcome in (Outcome.SERVER_ERROR, Outcome.TRANSPORT_ERROR):
        raise Broken(f"the credential request: {first.outcome.value}: {first.exchange.reason}")
    issuance = received(session, evidence, fmt, first)
    body = first.body if isinstance(first.body, Mapping) else {}
    transaction_id = body.get("transaction_id")
    if first.exchange.status != 202 or not isinstance(transaction_id, str):
        return issuance  # the check says what is wrong with the first answer
    url = session.endpoint("deferred_credential_endpoint")
    deadline = time.monotonic() + session.section.deferred_timeout_s
    answer = first
    while time.monotonic() < deadline:
        interval = answer.body.get("interval") if isinstance(answer.body, Mapping) else None
        _wait(float(interval) if isinstance(interval, (int, float)) and interval > 0 else 1.0, deadline)
        answer = session.client.credential(url, session.access_token, {"transaction_id": transaction_id})
        issuance.deferred.append(answer)
        if answer.exchange.status != 202:
            break
    else:  # still pending when lerconf stopped waiting: not observed, neither issued nor refused
        if answer.exchange.status == 202 and answer is not first:
            raise Broken(f"the deferred credential was still pending after {len(issuance.deferred)} poll(s) at the "
                               f"issuer's interval (options.deferred_timeout_s = {session.section.deferred_timeout_s} s)")
    found = received(session, evidence, fmt, answer)
    issuance.credential = found.credential
    return issuance


def _wait(seconds: float, deadline: float) -> None:
    """Honour the issuer's interval (the deferred flow's one deliberate wait), never past the deadline."""
    until = min(time.monotonic() + seconds, deadline)
    while time.monotonic() < until:
        time.sleep(min(0.25, max(0.0, until - time.monotonic())))


def unknown_transaction(session: VciSession, evidence: Evidence) -> Attempt:
    """A deferred credential request, with a valid access token, for a transaction_id never issued."""
    authorized(session, evidence)
    url = session.endpoint("deferred_credential_endpoint")
    answer = session.client.credential(url, session.access_token, {"transaction_id": entropy.token_urlsafe(24)})
    return Attempt(session, answer, "the deferred credential request", "a transaction_id lerconf never received")


# -- di_vp key proofs -------------------------------------------------------------------------------
def _di_holder(session: VciSession, fmt: str) -> tuple[DiHolder, str]:
    """A fresh wallet key for the first cryptosuite the configuration advertises that lerconf signs."""
    config = session.metadata.configurations.get(session.configuration(fmt), {})
    suites = ((config.get("proof_types_supported") or {}).get("di_vp") or {}).get("proof_signing_alg_values_supported")
    for suite, curve in (("eddsa-rdfc-2022", "Ed25519"), ("ecdsa-rdfc-2019", "P-256")):
        if isinstance(suites, list) and suite in suites:
            return DiHolder(generate(curve)), suite
    raise Broken(f"prerequisite: the {fmt} configuration advertises no di_vp cryptosuite lerconf signs ({suites!r})")


def di_vp_issue(session: VciSession, evidence: Evidence, fmt: str = "ldp_vc") -> Issuance:
    """The pre-authorized flow with a di_vp key proof instead of a jwt one."""
    authorized(session, evidence, fmt)
    holder, suite = _di_holder(session, fmt)
    proof = make_di_vp(holder, session.processor, audience=session.metadata.identifier, nonce=fresh_nonce(session),
                       suite=suite)
    evidence.keep("di_vp key proof", proof)
    answer = credential_request(session, proof, proof_type="di_vp")
    if answer.outcome not in (Outcome.ACCEPTED, Outcome.REJECTED):
        raise Broken(f"the credential request: {answer.outcome.value}: {answer.exchange.reason}")
    return received(session, evidence, fmt, answer, holder_key=holder.key.public, holder_did=holder.did)


def di_vp_defect(session: VciSession, evidence: Evidence, defect: str) -> Answer:
    """A credential request whose di_vp proof has one fault (DI_VP_DEFECTS)."""
    authorized(session, evidence)
    holder, suite = _di_holder(session, "ldp_vc")
    options: dict[str, Any] = {"audience": session.metadata.identifier, "nonce": fresh_nonce(session), "suite": suite,
                               **DI_VP_DEFECTS[defect]}
    proof = make_di_vp(holder, session.processor, **options)
    evidence.keep("di_vp key proof", proof)
    return credential_request(session, proof, proof_type="di_vp")
