"""What OID4VP verifier scenarios do, as library functions (steps call these in one line).

lerconf plays the wallet: it opens a presentation request at the verifier under test, answers
it with a Data Integrity presentation signed by lerconf's holder (challenge = nonce, domain =
the full client_id), or with one deliberately wrong in one way, and observes the verdict.
"""
from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lerconf.checks import oid4vp as c
from lerconf.clients.oid4vp import Observation, Oid4vpWallet, Seen
from lerconf.clients.oid4vp_request import AuthorizationRequest
from lerconf.crypto.jose.encodings import JwtEncoding
from lerconf.crypto.jose.sign import sign_jwt
from lerconf.documents.templates import (
    ob3_achievement_credential,
    unsigned_presentation,
)
from lerconf.outcome import Outcome
from lerconf.protocol.dcql import CredentialQuery, ob3_query
from lerconf.protocol.presentation_exchange import ob3_descriptor
from lerconf.protocol.request_signature import verify_request_signature
from lerconf.protocol.vp_response import encryption_key, presentation_submission, vp_jwt
from lerconf.scenarios.vcapi import Badge, presentation_by_lerconf, signed_badge
from lerconf.verdicts import Broken, CannotJudge, NotObservable

if TYPE_CHECKING:
    from lerconf.evidence import Evidence
    from lerconf.exchange import Exchange
    from lerconf.results import CheckResult
    from lerconf.scenarios.harness import Harness, VendorUnderTest
    from lerconf.scenarios.vcapi import Badge

__all__ = [
    "Oid4vpSession",
    "PresentationAnswer",
    "accepted_first",
    "answer_error",
    "answer_results",
    "answer_with",
    "expect_no_success",
    "expect_refused",
    "expect_refused_without_success",
    "expect_success",
    "jwt_badge",
    "open_session",
    "positive_control",
    "presentation_for",
    "request_results",
    "unknown_state",
]

#: how a scenario breaks the presentation's binding (Scenario Outline values)
BINDINGS: dict[str, Callable[[Oid4vpSession], tuple[str, str]]] = {
    "the request's nonce and client_id": lambda s: (s.request.nonce, s.request.client_id),
    "another nonce": lambda s: (secrets.token_urlsafe(24), s.request.client_id),
    "another client_id": lambda s: (s.request.nonce, "redirect_uri:https://other-verifier.example/oid4vp/response"),
    "the client_id without its prefix": lambda s: (s.request.nonce, s.request.client_id.partition(":")[2]),
}


@dataclass
class Oid4vpSession:
    """One presentation request of the verifier under test, as lerconf (the wallet) holds it."""

    wallet: Oid4vpWallet
    request: AuthorizationRequest
    query: CredentialQuery | None
    signature_problem: str | None = None
    answers: list[PresentationAnswer] = field(default_factory=list)
    draft: bool = False                 # the pre-final form: presentation_definition / _submission
    format: str | None = None           # the credential format the scenario asked for, if any

    def __repr__(self) -> str:
        return f"Oid4vpSession(state={self.request.state!r}, client_id={self.request.client_id!r})"


@dataclass(frozen=True)
class PresentationAnswer:
    """The direct_post lerconf sent, the verifier's answer, and the verdict observed after it."""

    exchange: Exchange
    observation: Observation
    vp_token: Any = field(default=None, repr=False)

    def __repr__(self) -> str:
        return f"PresentationAnswer({self.exchange!r}, {self.observation.seen.value})"


def open_session(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, *,
                 client_id_prefix: str | None = None, request_uri_method: str | None = None,
                 format: str | None = None, response_mode: str | None = None,
                 spec_version: str | None = None) -> Oid4vpSession:
    """Ask the verifier under test for a fresh OB 3.0 presentation request and read it.

    ``spec_version`` names a pre-final draft form (the scenario is then labelled draft-only by
    its step); ``format`` and ``response_mode`` what the request must ask for.
    """
    section = vendor.profile.oid4vp_verifier
    if section is None:  # the plugin skips unclaimed scenarios; this is a profile/feature mismatch
        raise LookupError(f"{vendor.name} has no oid4vp_verifier section")
    wallet = Oid4vpWallet(vendor.http, section)
    draft = spec_version is not None and spec_version != "1.0"
    request = wallet.start(client_id_prefix=client_id_prefix, request_uri_method=request_uri_method,
                           format=format or "ldp_vc", response_mode=response_mode, spec_version=spec_version)
    evidence.keep("authorization request", request.params)
    if request.request_object is not None:
        evidence.keep("request object header", request.request_object.header)
    if request.problem:
        if request.broken:
            raise Broken(f"no presentation request: {request.problem}")
        raise AssertionError(f"the verifier gave no usable presentation request: {request.problem}")
    problem = None
    if request.request_object is not None and request.request_object.signed:
        problem = verify_request_signature(request.request_object, harness.engine.resolver, section.trust_anchors)
    if section.draft_only:
        evidence.notes.append("draft-only: the verifier claims no final OID4VP 1.0 support")
    formats = (format,) if format else section.claims.formats
    query = (ob3_descriptor(request.params.get("presentation_definition"), formats) if draft
             else ob3_query(request.dcql_query, formats))
    return Oid4vpSession(wallet, request, query, problem, draft=draft, format=format)


def _require_answerable(session: Oid4vpSession) -> CredentialQuery:
    request = session.request
    if session.query is None:
        asked = "presentation_definition" if session.draft else "DCQL query"
        raise AssertionError(f"the request's {asked} asks for no Open Badges 3.0 credential in a claimed format "
                             "(meta.type_values with the expanded OpenBadgeCredential IRI)" if not session.draft else
                             f"the request's {asked} has no input descriptor for an OpenBadgeCredential in a claimed format")
    mode = request.params.get("response_mode")
    if mode not in ("direct_post", "direct_post.jwt") or not request.response_uri:
        raise AssertionError(f"the request has response_mode {mode!r} and response_uri {request.response_uri!r}; "
                             "lerconf answers direct_post or direct_post.jwt to a response_uri")
    if mode == "direct_post.jwt":
        _, _, problem = encryption_key(request.params.get("client_metadata"))
        if problem and ("P-256 key for ECDH-ES" in problem or " has none of " in problem):
            # a key or cipher lerconf cannot encrypt to: lerconf's limit, not the verifier's fault
            raise CannotJudge(f"lerconf encrypts to ECDH-ES P-256 with A128GCM/A256GCM only; {problem}")
        if problem:
            raise AssertionError(f"the request asks for direct_post.jwt but {problem}")
    return session.query


def presentation_for(harness: Harness, session: Oid4vpSession, credential: Any, *,
                     binding: str = "the request's nonce and client_id", form: str = "a presentation") -> Any:
    """The vp_token lerconf sends: ``{query id: [presentation]}`` (the presentation itself in
    the draft mode), bound as ``binding`` says.

    ``form``: "a presentation" (signed by lerconf's holder: a Data Integrity VP for ldp_vc, a
    VP JWT with nonce and aud for jwt_vc_json), "a bare credential" (no VP at all) or "an
    unsigned presentation" (a VP without proof).
    """
    query = _require_answerable(session)
    if form == "a bare credential":
        item: Any = credential
    elif form == "an unsigned presentation":
        item = unsigned_presentation([credential], harness.keys.holder.controller)
    elif query.format == "jwt_vc_json":
        if not isinstance(credential, str):
            raise TypeError("a jwt_vc_json presentation carries a credential JWT")  # feature/step mismatch
        nonce, audience = BINDINGS[binding](session)
        item = vp_jwt(harness.keys.holder, [credential], nonce=nonce, audience=audience)
    else:
        challenge, domain = BINDINGS[binding](session)
        item = presentation_by_lerconf(harness, credential, challenge=challenge, domain=domain)
    return item if session.draft else {query.id: [item]}


def answer_with(session: Oid4vpSession, evidence: Evidence, vp_token: Any, *, state: str | None = None,
                observe: Oid4vpSession | None = None, encrypt: str = "auto") -> PresentationAnswer:
    """POST ``vp_token`` to the session's response_uri (with ``state``, default the session's own;
    encrypted as ``encrypt`` says, see Oid4vpWallet.respond) and observe the verdict on
    ``observe`` (default: the session whose state was sent)."""
    query = _require_answerable(session)
    evidence.keep(f"vp_token {len(evidence.documents)}", vp_token)
    submission = None
    if session.draft:
        definition = session.request.params.get("presentation_definition")
        definition_id = str(definition.get("id", "")) if isinstance(definition, dict) else ""
        submission = presentation_submission(definition_id, query.id, query.format)
        evidence.keep("presentation_submission", submission)
    exchange = session.wallet.respond(session.request, vp_token, state=state, submission=submission, encrypt=encrypt)
    target = observe or session
    observation = target.wallet.observe(target.request, exchange)
    answer = PresentationAnswer(exchange, observation, vp_token)
    session.answers.append(answer)
    evidence.notes.append(f"verdict for state {target.request.state!r}: {observation}")
    return answer


def answer_error(session: Oid4vpSession, evidence: Evidence, error: str = "access_denied") -> PresentationAnswer:
    """The wallet declines: an error response (VP §8.5) posted to response_uri."""
    _require_answerable(session)
    exchange = session.wallet.respond_error(session.request, error)
    observation = session.wallet.observe(session.request, exchange, wallet_error=True)
    evidence.notes.append(f"verdict for state {session.request.state!r}: {observation}")
    return PresentationAnswer(exchange, observation)


# -- expectations -------------------------------------------------------------------------------------
_NO_ANSWER = (Outcome.SERVER_ERROR, Outcome.TRANSPORT_ERROR, Outcome.AUTH_ERROR)


def expect_success(answer: PresentationAnswer, what: str) -> None:
    """The verifier must report success; failure fails the scenario, no verdict breaks it."""
    seen = answer.observation
    if seen.seen is Seen.SUCCESS:
        return
    if seen.seen is Seen.FAILURE:
        raise AssertionError(f"{what} was not accepted: {seen.reason}")
    if seen.seen is Seen.NOT_OBSERVABLE:
        raise Broken(f"verdict not observable: {seen.reason}")
    raise Broken(f"{what}: no verdict: {seen.reason}")


def expect_no_success(answer: PresentationAnswer, what: str) -> None:
    """The verifier must never report success; a 5xx or timeout is broken, never a pass."""
    seen = answer.observation
    if seen.seen is Seen.SUCCESS:
        raise AssertionError(f"the verifier reported success for {what} ({seen.source}: {seen.reason})")
    if answer.exchange.outcome in _NO_ANSWER:
        raise Broken(f"{what}: the direct_post got no usable answer: {answer.exchange.outcome.value}: "
                           f"{answer.exchange.reason}")
    if seen.seen is Seen.NOT_OBSERVABLE and seen.source != "result_hook":
        # known from how the profile says verdicts are observed, not the vendor's breakdown: say so
        raise NotObservable(f"not observable with verdict_from={seen.source}: {seen.reason}")
    if seen.seen is Seen.NOT_OBSERVABLE:  # a result hook that gives no usable verdict
        raise Broken(f"verdict not observable: {seen.reason}")
    if seen.seen is Seen.BROKEN:
        raise Broken(f"{what}: no verdict: {seen.reason}")


def expect_refused(answer: PresentationAnswer, what: str) -> None:
    """The direct_post itself must be refused (400/422): acceptance fails, 5xx/timeout breaks."""
    outcome = answer.exchange.outcome
    if outcome is Outcome.REJECTED:
        return
    if outcome is Outcome.ACCEPTED:
        raise AssertionError(f"{what} was accepted ({answer.exchange.reason}); it must be refused")
    raise Broken(f"{what}: expected a 400 refusal, got {outcome.value}: {answer.exchange.reason}")


def expect_refused_without_success(answer: PresentationAnswer, what: str) -> None:
    """The direct_post is refused (400/422) and the verifier never reports success for it. After
    the refusal an unobservable verdict is fine: a verifier that cannot open a response may not
    know which transaction it was for."""
    expect_refused(answer, what)
    if answer.observation.seen is Seen.SUCCESS:
        raise AssertionError(f"the verifier refused the direct_post but reported success for {what} "
                             f"({answer.observation.source}: {answer.observation.reason})")


# -- checks on what the verifier sent -----------------------------------------------------------------
def request_results(sessions: list[Oid4vpSession] | Oid4vpSession, requirement: str) -> list[CheckResult]:
    """Run a requirement's checks on one or more requests of the verifier under test."""
    group = sessions if isinstance(sessions, list) else [sessions]
    if requirement == "VP-01":
        out = [c.draft_request_has_required_parameters(s.request.params) if s.draft
               else c.request_has_required_parameters(s.request.params) for s in group]
        out += [c.client_metadata_offers_encryption_key(s.request.params) for s in group
                if s.request.params.get("response_mode") == "direct_post.jwt"]
        out += [c.nonce_has_enough_entropy(s.request.nonce) for s in group]
        out.append(c.nonces_are_fresh([s.request.nonce for s in group]))
        return out
    if requirement == "VP-02":
        out = []
        for s in group:
            if s.request.request_object is None:
                raise AssertionError(f"VP-02: the request came {s.request.delivered_by}, not as a request object "
                                     "from request_uri")
            out.append(c.request_object_is_typed_and_signed(s.request.request_object, s.signature_problem))
            out.append(c.invocation_client_id_matches(s.request.outer_client_id, s.request.client_id))
        return out
    if requirement == "VP-03":
        return [c.presentation_definition_asks_for_open_badge(s.request.params.get("presentation_definition"))
                if s.draft else c.dcql_asks_for_open_badge(s.request.dcql_query, s.format) for s in group]
    raise KeyError(f"no OID4VP request check for {requirement}")


def answer_results(answer: PresentationAnswer, requirement: str) -> list[CheckResult]:
    if requirement == "VP-04":
        if answer.exchange.outcome in _NO_ANSWER:
            raise Broken(f"the direct_post got no usable answer: {answer.exchange.outcome.value}: "
                               f"{answer.exchange.reason}")
        return [c.direct_post_answered_with_json(answer.exchange)]
    raise KeyError(f"no OID4VP answer check for {requirement}")


def accepted_first(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, credential: Any) -> PresentationAnswer:
    """Positive control of the replay scenario: a first transaction answered and accepted.

    If the verifier does not accept a valid presentation at all, a refused replay proves nothing:
    the scenario cannot be judged (VP-05's positive scenario reports that failure).
    """
    first = open_session(harness, vendor, evidence, format="jwt_vc_json" if isinstance(credential, str) else None)
    answer = answer_with(first, evidence, presentation_for(harness, first, credential))
    if answer.observation.seen is Seen.SUCCESS:
        return answer
    if answer.observation.seen in (Seen.BROKEN, Seen.NOT_OBSERVABLE):
        raise Broken(f"the first (valid) presentation got no verdict: {answer.observation}")
    raise CannotJudge(f"the verifier did not accept a valid first presentation ({answer.observation})")


def positive_control(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, *, jwt: bool = False) -> None:
    """After a refusal: a valid presentation of a valid badge (jwt_vc_json or Data Integrity, as in
    the scenario) in a fresh transaction must succeed, or the refusal proves nothing (a verifier
    refusing everything would pass every negative)."""
    valid = jwt_badge(harness, evidence) if jwt else signed_badge(harness, evidence, securing="eddsa-rdfc-2022")
    notes = len(evidence.notes)
    accepted_first(harness, vendor, evidence, valid.credential)  # skips "cannot be judged" when refused
    del evidence.notes[notes:]
    evidence.notes.append("positive control: a valid presentation in a fresh transaction was accepted")


def jwt_badge(harness: Harness, evidence: Evidence) -> Badge:
    """A valid OB 3.0 badge as a jwt_vc_json credential: the VCDM 1.1 ``vc`` claim (OID4VCI App.
    A.1.1), signed by lerconf's Ed25519 did:key issuer, for lerconf's holder."""
    key = ("oid4vp-jwt-badge",)
    if key not in harness.cache:
        signer = harness.signer("eddsa-rdfc-2022")
        document = ob3_achievement_credential(signer.controller, harness.keys.holder.controller, vc_version="1.1",
                                              credential_id=f"urn:uuid:{uuid.uuid4()}")
        harness.cache[key] = sign_jwt(document, signer.key, signer.verification_method, JwtEncoding.VCDM11)
    evidence.keep("credential signed by lerconf (jwt_vc_json)", harness.cache[key])
    return Badge(harness.cache[key], "jwt_vc_json", "1.1")


def unknown_state() -> str:
    return "lerconf-unknown-" + secrets.token_urlsafe(12)
