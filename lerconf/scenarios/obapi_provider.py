"""OB 3.0 / CLR 2.0 API provider scenarios as library functions (lerconf plays the Service
Consumer, the vendor is the host); steps call these in one line.

Each function runs one scenario's calls in a fresh flow (lerconf.scenarios.obapi_provider_flow) and
returns an :class:`Attempt`: the answer judged, the checks of lerconf.checks.obapi on what the wire
showed, and for a negative its positive control (the valid counterpart, run in a fresh flow after
the refusal). :func:`judge` hands them to the one verdict rule (lerconf.scenarios.expect): a 5xx
or a timeout is broken, a refusal counts only when the control is accepted, every credential a
host returns must pass lerconf's engine.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from lerconf import entropy
from lerconf.checks import obapi as checks
from lerconf.clients.obapi import ObApiClient
from lerconf.evidence import Evidence
from lerconf.outcome import Outcome
from lerconf.protocol.obapi import registration_request
from lerconf.protocol.oid4vci import Answer
from lerconf.results import CheckResult
from lerconf.scenarios.expect import PositiveControl, expect_checkable, expect_requirement_met, under_positive_control
from lerconf.scenarios.obapi_provider_flow import (
    ObSession,
    authorized,
    code_of,
    connect,
    credential_for_upsert,
    discovered,
    expect_usable,
    operation_scopes,
    registered,
    require,
    scope_for,
)
from lerconf.verdicts import Broken, NotClaimed

__all__ = ["ENDPOINTS", "REGISTRATION_DEFECTS", "Attempt", "authorization", "code_reuse", "judge", "registration",
           "registration_defect", "service_description", "token", "without_pkce", "without_scope", "without_token",
           "wrong_verifier"]


@dataclass
class Attempt:
    """What lerconf sent, what the host answered, the checks of it and (negatives) the control."""

    what: str
    answer: Answer | None
    results: list[CheckResult] = field(default_factory=list)
    control: PositiveControl | None = None
    control_what: str = ""

    def __repr__(self) -> str:  # allure-pytest-bdd records repr() of step arguments: what was sent and answered
        return f"Attempt({self.what!r}, {self.answer!r}, {len(self.results)} checks)"


def judge(attempt: Attempt, evidence: Evidence, requirement: str) -> None:
    """The one verdict: no usable answer breaks; the checks (which must include ``requirement``'s)
    decide; a refusal then counts only under its positive control."""
    if attempt.answer is not None:
        expect_usable(attempt.answer, attempt.what)
    if not any(r.requirement == requirement for r in attempt.results):
        raise KeyError(f"{requirement} is not judged by this scenario (it judges "
                       f"{', '.join(sorted({r.requirement for r in attempt.results}))})")
    expect_checkable(attempt.results, evidence=evidence)  # a key or status list lerconf could not reach
    expect_requirement_met(evidence, attempt.results, requirement)
    if attempt.control is not None:
        under_positive_control(evidence, attempt.control, attempt.control_what)


def _ctype(answer: Answer) -> str | None:
    return answer.header("content-type")


# -- discovery, registration, authorization, token ------------------------------------------------
def service_description(session: ObSession) -> Attempt:
    """GET <base>/discovery with no credentials at all."""
    client = session.client()
    answer = client.discovery()
    doc = answer.body
    if isinstance(doc, Mapping):
        session.evidence.keep("service description", doc)
    results = [checks.discovery_answers_without_credentials(answer.exchange.status),
               checks.discovery_served_over_https(answer.exchange.url)]
    status = answer.exchange.status
    if status is None or status < 400:  # a refusal's body (an error) is not judged as a service description
        results += [checks.service_description_has_openapi_info(doc),
                    checks.service_description_offers_authorization_code(doc, session.api)]
    return Attempt("the service description", answer, results)


def _registration_request(session: ObSession) -> dict[str, Any]:
    target = session.target  # lerconf's own callback when a person logs in
    return registration_request(client_uri=target.client_uri, redirect_uris=[target.redirect_uri], scopes=session.api.scopes)


def registration(session: ObSession) -> Attempt:
    """A complete registration request (every member OB 3.0 requires, URLs on one host)."""
    client = discovered(session)
    request = _registration_request(session)
    answer = client.register(request)
    return Attempt("the registration", answer, [
        checks.registration_answer_has_client_credentials(answer.exchange.status, answer.body),
        checks.registration_answer_echoes_metadata(request, answer.body)])


#: registration faults -> how the valid request is changed
REGISTRATION_DEFECTS: dict[str, Callable[[dict[str, Any]], None]] = {
    "no software_id": lambda r: r.pop("software_id"),
    "its terms and policy on another host": lambda r: r.update(tos_uri="https://elsewhere.lerconf.invalid/terms",
                                                               policy_uri="https://elsewhere.lerconf.invalid/privacy"),
}


def _valid_registration(session: ObSession) -> PositiveControl:
    def control() -> None:
        client = discovered(session)
        answer = client.register(_registration_request(session))
        expect_usable(answer, "the valid registration")
        if answer.outcome is not Outcome.ACCEPTED:
            raise AssertionError(answer.exchange.reason)
    return control


def registration_defect(session: ObSession, defect: str) -> Attempt:
    """A registration request with one fault; everything else valid."""
    client = discovered(session)
    request = _registration_request(session)
    REGISTRATION_DEFECTS[defect](request)
    answer = client.register(request)
    return Attempt("the registration", answer,
                   [checks.registration_refusal_is_rfc7591_error(answer.exchange.status, answer.body)],
                   _valid_registration(session), "a complete registration")


def authorization(session: ObSession) -> Attempt:
    """The authorization request with PKCE S256 and a state, and the test user's login."""
    client, _ = registered(session)
    start, response = authorized(session, client, operation_scopes(session))
    answer = response.hops[-1] if response.hops else None
    return Attempt("the authorization request", answer,
                   [checks.authorization_returns_code_and_state(response.params, start.state)])


def token(session: ObSession) -> Attempt:
    """The token request for the code (client_secret_basic, code_verifier)."""
    client, _ = registered(session)
    scopes = operation_scopes(session)
    start, response = authorized(session, client, scopes)
    assert start.pkce is not None
    answer = client.exchange_code(code_of(response), start.pkce.verifier)
    return Attempt("the token request", answer, [
        checks.token_answer_is_bearer(answer.exchange.status, answer.body),
        checks.token_answer_states_granted_scope(answer.body, scopes),
        checks.token_answer_has_refresh_token_when_claimed(answer.body, session.claims("refresh"))])


def _full_flow(session: ObSession) -> PositiveControl:
    def control() -> None:
        connect(session)
    return control


def without_pkce(session: ObSession) -> Attempt:
    """An authorization request without code_challenge: the host must give no code."""
    client, _ = registered(session)
    start = client.start_authorization(operation_scopes(session), with_pkce=False)
    response = client.authorize(start)
    last = response.hops[-1] if response.hops else None
    if response.problem is not None and (last is None or last.outcome in (Outcome.SERVER_ERROR, Outcome.TRANSPORT_ERROR)):
        raise Broken(f"the authorization request without PKCE: {response.problem}")
    return Attempt("the authorization request without PKCE", last,
                   [checks.authorization_without_pkce_is_refused(response.params)],
                   _full_flow(session), "the authorization code flow with PKCE")


def wrong_verifier(session: ObSession) -> Attempt:
    """A token request whose code_verifier is not the one the challenge was made from."""
    client, _ = registered(session)
    _, response = authorized(session, client, operation_scopes(session))
    answer = client.exchange_code(code_of(response), entropy.alphanumeric(64))
    return Attempt("the token request", answer,
                   [checks.token_refusal_is_400_json(answer.exchange.status, _ctype(answer), answer.body)],
                   _full_flow(session), "the token request with the right code_verifier")


def code_reuse(session: ObSession) -> Attempt:
    """A code redeemed (accepted), then redeemed a second time."""
    client, _ = registered(session)
    start, response = authorized(session, client, operation_scopes(session))
    assert start.pkce is not None
    code = code_of(response)
    require(client.exchange_code(code, start.pkce.verifier), "the first redemption of the code")
    answer = client.exchange_code(code, start.pkce.verifier)
    return Attempt("the second token request", answer,
                   [checks.authorization_code_reuse_is_refused(answer.exchange.status, answer.body)],
                   _full_flow(session), "a fresh code redeemed once")


# -- resources: who may call what -----------------------------------------------------------------
#: endpoint (as features name it) -> the operation whose scope it needs
ENDPOINTS = {"getCredentials": "getCredentials", "upsertCredential": "upsertCredential", "getProfile": "getProfile",
             "putProfile": "putProfile"}


def _call(session: ObSession, endpoint: str, *, token: str | None = None, anonymous: bool = False,
          client: ObApiClient | None = None) -> Answer:
    """One call of ``endpoint`` with a valid body (a fresh credential, the user's own profile)."""
    client = client or session.client()
    if endpoint == "getCredentials":
        return client.get_credentials(token=token, anonymous=anonymous).answer
    if endpoint == "upsertCredential":
        return client.upsert(credential_for_upsert(session, "ldp_vc"), token=token, anonymous=anonymous)
    if endpoint == "getProfile":
        return client.get_profile(token=token, anonymous=anonymous)
    profile = {"id": f"urn:uuid:{entropy.uuid4()}", "type": ["Profile"], "name": "Lerconf Test Learner"}
    return client.put_profile(profile, token=token, anonymous=anonymous)


def _allowed_call(session: ObSession, endpoint: str) -> PositiveControl:
    """The control: the same call with a token that holds the endpoint's scope is accepted."""
    def control() -> None:
        connected = connect(session, [scope_for(session, ENDPOINTS[endpoint])])
        answer = _call(session, endpoint, client=connected.client)
        expect_usable(answer, f"{endpoint} with a valid token")
        if answer.outcome is not Outcome.ACCEPTED:
            raise AssertionError(answer.exchange.reason)
    return control


def without_token(session: ObSession, endpoint: str, kind: str) -> Attempt:
    """``endpoint`` called with no access token, or with one the host never issued."""
    forged = None if kind == "no access token" else entropy.token_urlsafe(32)
    answer = _call(session, endpoint, token=forged, anonymous=forged is None)
    return Attempt(f"{endpoint} {kind}", answer, [
        checks.call_without_valid_token_is_401(answer.exchange.status),
        checks.error_body_is_imsx_status_info(answer.body, loader=session.harness.engine.loader, api=session.api,
                                              status=answer.exchange.status)],
        _allowed_call(session, endpoint), f"{endpoint} with a valid token")


def without_scope(session: ObSession, endpoint: str) -> Attempt:
    """``endpoint`` called with a valid token that lacks its scope (it holds another one)."""
    needed = scope_for(session, ENDPOINTS[endpoint])
    others = [s for s in operation_scopes(session) if s != needed]
    if not others:
        raise NotClaimed("the host claims no other operation whose scope lerconf could hold instead")
    connected = connect(session, others[:1])
    answer = _call(session, endpoint, client=connected.client)
    return Attempt(f"{endpoint} without its scope", answer, [
        checks.call_without_operation_scope_is_403(answer.exchange.status),
        checks.error_body_is_imsx_status_info(answer.body, loader=session.harness.engine.loader, api=session.api,
                                              status=answer.exchange.status)],
        _allowed_call(session, endpoint), f"{endpoint} with a token holding its scope")
