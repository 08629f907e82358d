"""OID4VCI scenarios as library functions (lerconf plays the wallet); steps call these in one line.

Every flow starts fresh: a new offer from the vendor's hook, a new pre-authorized code, a new
wallet key and nonce, so scenarios never share protocol state. A prerequisite the vendor does
not deliver (no metadata, no offer, no token) makes the scenario *broken*, never failed or
passed. What the issuer answered is judged by the checks in ``lerconf.checks.oid4vci``, fed by
``lerconf.scenarios.oid4vci_requirements``; a refusal counts only under its positive control
(:func:`valid_issuance`).
"""
from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from lerconf import entropy
from lerconf.evidence import Evidence
from lerconf.outcome import Outcome
from lerconf.protocol.oid4vci import Answer
from lerconf.results import Category, CheckResult, Status
from lerconf.scenarios.expect import PositiveControl, expect_checkable, expect_checks
from lerconf.scenarios.oid4vci_flow import (
    PROOF_DEFECTS,
    UNKNOWN_CONFIGURATION,
    Attempt,
    Issuance,
    VciSession,
    authorized,
    credential_document,
    credential_request,
    fresh_nonce,
    holder_for,
    issue,
    proof_for,
    redeem,
    request_offer,
)
from lerconf.scenarios.oid4vci_issuance import di_vp_defect, di_vp_issue, issue_with_code
from lerconf.scenarios.vcapi import verify
from lerconf.verdicts import Broken, NotClaimed

if TYPE_CHECKING:
    from lerconf.scenarios.harness import Harness

__all__ = [
    "REQUEST_DEFECTS",
    "VALID_FLOWS",
    "authorization_server_metadata",
    "authorization_server_of",
    "engine_results",
    "expect_answer",
    "expect_engine_passes",
    "require_nonce_endpoint",
    "send_defective_request",
    "token_replay",
    "two_nonces",
    "tx_code_guessing",
    "valid_issuance",
    "without_valid_token",
]

#: request faults judged by the error code (VCI-15) -> expected error
REQUEST_DEFECTS = {"an unknown credential configuration": "unknown_credential_configuration",
                   "a nonce the issuer never issued": "invalid_nonce",
                   "a replayed nonce": "invalid_nonce",
                   "an expired nonce": "invalid_nonce"}

#: the valid issuances a refusal's positive control runs, by the name an Attempt gives its flow
VALID_FLOWS: dict[str, Callable[[VciSession, Evidence, str], Issuance]] = {
    "pre-authorized": issue,
    "authorization code": issue_with_code,
    "di_vp": di_vp_issue,
}


def valid_issuance(session: VciSession, evidence: Evidence, flow: str = "pre-authorized") -> PositiveControl:
    """The positive control of a refusal: a whole valid issuance over ``flow`` (VALID_FLOWS) in a
    fresh session must succeed, or the refusal proves nothing (an issuer refusing everything would
    pass every negative). The control raises AssertionError with the issuer's answer when refused."""
    def control() -> None:
        fresh = dataclasses.replace(session, offer=None, token_endpoint=None, access_token=None, configuration_id=None,
                                    c_nonce=None, holder=holder_for(session.metadata))
        fmt = "ldp_vc" if flow == "di_vp" or "ldp_vc" in session.section.formats else session.section.formats[0]
        issued = VALID_FLOWS[flow](fresh, evidence, fmt)
        if issued.answer.outcome is not Outcome.ACCEPTED or (issued.credential is None and not issued.deferred):
            raise AssertionError(issued.answer.exchange.reason)
    return control


#: what "passes lerconf's engine" covers for a credential issued over OID4VCI
ENGINE_CATEGORIES = {Category.PARSE, Category.PROOF, Category.ISSUER_BINDING, Category.STATUS, Category.JOSE_CLAIMS}


def engine_results(harness: Harness, issuance: Issuance) -> list[CheckResult]:
    """lerconf's engine on the issued credential: parse, proof, issuer binding, status, JOSE
    claims, and the OB 3.0 schema for a VCDM 2.0 badge (jwt_vc_json is VCDM 1.1 per OID4VCI App A.1.1)."""
    if issuance.credential is None:
        raise AssertionError(f"no credential was issued: {issuance.answer.exchange.reason}")
    report = verify(harness, issuance.credential, f"credential issued over OID4VCI ({issuance.fmt})")
    document = credential_document(issuance) or {}
    found = document.get("@context")
    contexts: list[Any] = found if isinstance(found, list) else []
    wanted = ENGINE_CATEGORIES | ({Category.SCHEMA} if "https://www.w3.org/ns/credentials/v2" in contexts else set())
    return [r for r in report.all_checks() if r.category in wanted and r.status is not Status.NOT_APPLICABLE]


def expect_engine_passes(harness: Harness, issuance: Issuance, evidence: Evidence) -> None:
    """The issued credential passes lerconf's engine (:func:`engine_results`); a key or status list
    lerconf could not reach makes the scenario cannot be judged, never the issuer's failure."""
    results = engine_results(harness, issuance)
    expect_checkable(results, evidence=evidence)
    expect_checks(evidence, results)


# -- negative flows -------------------------------------------------------------------------------
def send_defective_request(session: VciSession, evidence: Evidence, defect: str) -> Attempt:
    """A credential request with one fault: a key-proof defect (PROOF_DEFECTS), a di_vp proof
    defect (DI_VP_DEFECTS), a request defect (REQUEST_DEFECTS) or "no proofs"; everything else in
    it is valid. The attempt's variant is the fault without its "a key proof with" prefix."""
    if defect.startswith("a di_vp key proof with "):
        defect = defect.removeprefix("a di_vp key proof with ")
        return Attempt(session, di_vp_defect(session, evidence, defect), "the credential request", defect, flow="di_vp")
    defect = defect.removeprefix("a key proof with ")
    return Attempt(session, _defective(session, evidence, defect), "the credential request", defect)


def _defective(session: VciSession, evidence: Evidence, defect: str) -> Answer:
    authorized(session, evidence)
    if defect in PROOF_DEFECTS:
        return credential_request(session, proof_for(session, fresh_nonce(session), defect))
    if defect == "no proofs":
        return credential_request(session, None)
    if defect == "an unknown credential configuration":
        return credential_request(session, proof_for(session, fresh_nonce(session)), UNKNOWN_CONFIGURATION)
    if defect in ("a nonce the issuer never issued", "a replayed nonce", "an expired nonce"):
        require_nonce_endpoint(session)
    if defect == "a nonce the issuer never issued":
        return credential_request(session, proof_for(session, entropy.token_urlsafe(24)))
    if defect == "a replayed nonce":
        proof = proof_for(session, fresh_nonce(session))
        first = credential_request(session, proof)
        if first.outcome is not Outcome.ACCEPTED:
            raise Broken(f"prerequisite: the first (valid) credential request was not accepted: {first.exchange.reason}")
        return credential_request(session, proof)
    if defect == "an expired nonce":
        lifetime = session.section.nonce_lifetime_s
        if lifetime is None:
            raise Broken("the profile claims nonce_expiry but sets no options.nonce_lifetime_s")
        nonce = fresh_nonce(session)
        _wait_past(lifetime + 0.5)
        return credential_request(session, proof_for(session, nonce))
    raise KeyError(f"unknown credential request defect {defect!r}")


def _wait_past(seconds: float) -> None:
    """Let a nonce expire (the one deliberate wait of the OID4VCI features)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(min(0.25, max(0.0, deadline - time.monotonic())))


def without_valid_token(session: VciSession, evidence: Evidence, kind: str) -> Attempt:
    """A valid credential request with no access token, or with one the issuer never issued."""
    authorized(session, evidence)
    proof = proof_for(session, fresh_nonce(session))
    session.access_token = None if kind == "no access token" else entropy.token_urlsafe(32)
    return Attempt(session, credential_request(session, proof), "the credential request", kind)


def token_replay(session: VciSession, evidence: Evidence) -> Attempt:
    """Redeem a pre-authorized code (must succeed), then redeem it again."""
    offer = request_offer(session, evidence, tx_code="tx_code" in session.section.features)
    first = redeem(session, offer)
    if first.outcome is not Outcome.ACCEPTED:
        raise Broken(f"prerequisite: the first redemption was not accepted: {first.exchange.reason}")
    return Attempt(session, redeem(session, offer), "the second token request", "the pre-authorized code a second time")


def tx_code_guessing(session: VciSession, evidence: Evidence, attempts: int) -> Attempt:
    """``attempts`` wrong tx_codes, then the right one."""
    offer = request_offer(session, evidence, tx_code=True)
    for _ in range(attempts):
        redeem(session, offer, "wrong")
    return Attempt(session, redeem(session, offer), "the token request", "the right tx_code", wrong_tx_codes=attempts)


def require_nonce_endpoint(session: VciSession) -> None:
    """The nonce endpoint is optional in OID4VCI 1.0 (an issuer that uses no c_nonce has none):
    scenarios about nonces do not apply to an issuer that advertises none."""
    if session.metadata.endpoint("nonce_endpoint") is None and session.mode != "draft13":
        raise NotClaimed("the issuer advertises no nonce_endpoint (optional in OID4VCI 1.0: it uses no c_nonce)")


def two_nonces(session: VciSession) -> tuple[Answer, Answer]:
    """Two calls of the nonce endpoint, as an unauthenticated wallet."""
    require_nonce_endpoint(session)
    session.endpoint("nonce_endpoint")
    first, second = session.client.nonce(session.metadata), session.client.nonce(session.metadata)
    assert first is not None and second is not None
    for answer in (first, second):
        if answer.outcome is not Outcome.ACCEPTED:
            raise Broken(f"the nonce endpoint: {answer.outcome.value}: {answer.exchange.reason}")
    return first, second


def expect_answer(answer: Answer, what: str) -> None:
    """5xx, transport failures and unreadable answers are broken, whatever the check would say."""
    if answer.outcome in (Outcome.SERVER_ERROR, Outcome.TRANSPORT_ERROR) or (
            answer.outcome is Outcome.MALFORMED_RESPONSE and answer.exchange.status not in (401, 403)):
        raise Broken(f"{what}: {answer.outcome.value}: {answer.exchange.reason}")


def authorization_server_metadata(session: VciSession, grant: str) -> Attempt:
    """The RFC 8414 metadata of the authorization server the issuer names, fetched as a wallet that
    will use ``grant`` does."""
    session.require_metadata()
    answer = session.client.authorization_server_metadata(session.metadata)
    return Attempt(session, answer, "the authorization server metadata", grant)


def authorization_server_of(session: VciSession) -> str:
    """The authorization server the metadata names, or the credential issuer itself."""
    servers = (session.metadata.document or {}).get("authorization_servers")
    return servers[0] if isinstance(servers, list) and servers and isinstance(servers[0], str) else session.metadata.identifier
