"""What OID4VP verifier scenarios do, as library functions (steps call these in one line).

lerconf plays the wallet: it opens a presentation request at the verifier under test, answers
it with a Data Integrity presentation signed by lerconf's holder (challenge = nonce, domain =
the full client_id), or with one deliberately wrong in one way, and observes the verdict. Each
negative scenario's positive control (:func:`valid_presentation`) goes to
lerconf.scenarios.expect.under_positive_control; lerconf.scenarios.oid4vp_requirements judges.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lerconf import entropy
from lerconf.clients.oid4vp import Oid4vpWallet
from lerconf.clients.oid4vp_request import AuthorizationRequest
from lerconf.crypto.jose.encodings import JwtEncoding
from lerconf.crypto.jose.sign import sign_jwt
from lerconf.documents.templates import (
    ob3_achievement_credential,
    unsigned_presentation,
)
from lerconf.evidence import note_defect
from lerconf.profile.claims import mark_draft_only
from lerconf.protocol.dcql import CredentialQuery, ob3_query
from lerconf.protocol.presentation_exchange import ob3_descriptor
from lerconf.protocol.request_signature import verify_request_signature
from lerconf.protocol.vp_response import encryption_key, presentation_submission, vp_jwt
from lerconf.protocol.vp_verdict import Observation, Seen
from lerconf.scenarios.expect import PositiveControl, expect_observed, under_positive_control
from lerconf.scenarios.vcapi import Badge, presentation_by_lerconf, signed_badge
from lerconf.verdicts import Broken, CannotJudge

if TYPE_CHECKING:
    from lerconf.evidence import Evidence
    from lerconf.exchange import Exchange
    from lerconf.scenarios.harness import Harness, VendorUnderTest

__all__ = [
    "BINDINGS",
    "CONTRADICTING_CLAIMS",
    "DRAFT_LABEL",
    "VALID_PRESENTATION",
    "Oid4vpSession",
    "PresentationAnswer",
    "answer_bound_to_other_request",
    "answer_error",
    "answer_under_unknown_state",
    "answer_with",
    "answer_with_badge",
    "earlier_accepted",
    "jwt_badge",
    "jwt_badge_contradicting",
    "open_session",
    "presentation_for",
    "replay_earlier",
    "valid_presentation",
]

#: the draft-only label of a scenario run in a pre-final OID4VP form
DRAFT_LABEL = "OID4VP pre-final draft"

#: how a scenario breaks the presentation's binding (Scenario Outline values)
BINDINGS: dict[str, Callable[[Oid4vpSession], tuple[str, str]]] = {
    "the request's nonce and client_id": lambda s: (s.request.nonce, s.request.client_id),
    "another nonce": lambda s: (entropy.token_urlsafe(24), s.request.client_id),
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
    sent: str = "a presentation"          # what lerconf sent, for the verdict checks' messages

    def __repr__(self) -> str:
        return f"PresentationAnswer({self.exchange!r}, {self.observation.seen.value})"


def open_session(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, *,
                 client_id_prefix: str | None = None, request_uri_method: str | None = None,
                 format: str | None = None, response_mode: str | None = None,
                 spec_version: str | None = None, node: Any = None) -> Oid4vpSession:
    """Ask the verifier under test for a fresh OB 3.0 presentation request and read it.

    ``spec_version`` names a pre-final draft form (the scenario is then labelled draft-only on
    ``node``, the pytest request); ``format`` and ``response_mode`` what the request must ask for.
    """
    section = vendor.profile.oid4vp_verifier
    if section is None:  # the plugin skips unclaimed scenarios; this is a profile/feature mismatch
        raise LookupError(f"{vendor.name} has no oid4vp_verifier section")
    draft = spec_version is not None and spec_version != "1.0"
    if draft and node is not None:
        mark_draft_only(node, DRAFT_LABEL)
    wallet = Oid4vpWallet(vendor.http, section)
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
                observe: Oid4vpSession | None = None, encrypt: str = "auto",
                sent: str = "a presentation") -> PresentationAnswer:
    """POST ``vp_token`` (``sent`` says what it is) to the session's response_uri (with ``state``,
    default the session's own; encrypted as ``encrypt`` says, see Oid4vpWallet.respond) and
    observe the verdict on ``observe`` (default: the session whose state was sent)."""
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
    answer = PresentationAnswer(exchange, observation, vp_token, sent)
    session.answers.append(answer)
    evidence.notes.append(f"verdict for state {target.request.state!r}: {observation}")
    return answer


def answer_error(session: Oid4vpSession, evidence: Evidence, error: str = "access_denied") -> PresentationAnswer:
    """The wallet declines: an error response (VP §8.5) posted to response_uri."""
    _require_answerable(session)
    exchange = session.wallet.respond_error(session.request, error)
    observation = session.wallet.observe(session.request, exchange, wallet_error=True)
    evidence.notes.append(f"verdict for state {session.request.state!r}: {observation}")
    return PresentationAnswer(exchange, observation, sent=f"the wallet error {error}")


#: what lerconf sends when it encrypts a response as ``encrypt`` says (Oid4vpWallet.respond)
ENCRYPTED_AS = {"auto": "", "plain": "a response sent unencrypted",
                "other-key": "a response encrypted to a key the verifier did not offer"}


def answer_with_badge(harness: Harness, session: Oid4vpSession, evidence: Evidence, badge: Badge, *,
                      binding: str = "the request's nonce and client_id", form: str = "a presentation",
                      encrypt: str = "auto") -> PresentationAnswer:
    """Answer the request with ``badge`` in the ``form`` and ``binding`` a scenario names (see
    presentation_for), encrypted as ``encrypt`` says."""
    token = presentation_for(harness, session, badge.credential, binding=binding, form=form)
    sent = ENCRYPTED_AS[encrypt] or (form if form != "a presentation" else f"a presentation bound to {binding}")
    if badge.mutator:
        sent += f" carrying a badge mutated by {badge.mutator}"
    return answer_with(session, evidence, token, encrypt=encrypt, sent=sent)


def replay_earlier(session: Oid4vpSession, evidence: Evidence, earlier: PresentationAnswer) -> PresentationAnswer:
    """Answer the request with the presentation lerconf sent (and the verifier accepted) for an earlier one."""
    return answer_with(session, evidence, earlier.vp_token, sent="the presentation accepted for an earlier request")


def answer_bound_to_other_request(harness: Harness, evidence: Evidence, first: Oid4vpSession, second: Oid4vpSession,
                                  badge: Badge) -> PresentationAnswer:
    """Answer the ``second`` request with a presentation bound to the ``first`` (its nonce and client_id)."""
    token = presentation_for(harness, first, badge.credential)
    return answer_with(second, evidence, token, sent="a presentation bound to another transaction's request")


def answer_under_unknown_state(harness: Harness, evidence: Evidence, session: Oid4vpSession,
                               badge: Badge) -> PresentationAnswer:
    """A valid presentation for the request, posted under a state the verifier never issued."""
    token = presentation_for(harness, session, badge.credential)
    return answer_with(session, evidence, token, state=unknown_state(),
                       sent="a response with a state the verifier never issued")


# -- positive controls -------------------------------------------------------------------------------
#: what the positive control of every negative OID4VP scenario presents
VALID_PRESENTATION = "a valid presentation in a fresh transaction"


def valid_presentation(harness: Harness, vendor: VendorUnderTest, evidence: Evidence,
                       fmt: str | None = None) -> PositiveControl:
    """The positive control of a negative scenario: a valid presentation of a valid badge (a
    jwt_vc_json credential when ``fmt`` says so, else Data Integrity) in a fresh transaction must
    succeed, or a refusal proves nothing (a verifier refusing everything would pass every negative)."""
    def control() -> None:
        valid = jwt_badge(harness, evidence) if fmt == "jwt_vc_json" else signed_badge(harness, evidence,
                                                                                         securing="eddsa-rdfc-2022")
        _presented_and_accepted(harness, vendor, evidence, valid.credential)
    return control


def earlier_accepted(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, badge: Badge) -> PresentationAnswer:
    """The first transaction of a replay scenario, answered with ``badge`` and accepted: the
    scenario's positive control (a refused replay proves nothing if the verifier accepts no valid
    presentation at all; VP-05's positive scenario reports that failure)."""
    accepted: list[PresentationAnswer] = []

    def control() -> None:
        accepted.append(_presented_and_accepted(harness, vendor, evidence, badge.credential))
    under_positive_control(evidence, control, "that badge presented for an earlier request")
    return accepted[0]


def _presented_and_accepted(harness: Harness, vendor: VendorUnderTest, evidence: Evidence,
                            credential: Any) -> PresentationAnswer:
    """A fresh request answered with a valid presentation of ``credential``: returns when the
    verifier reported success, raises AssertionError when it did not, Broken when there was no verdict."""
    session = open_session(harness, vendor, evidence, format="jwt_vc_json" if isinstance(credential, str) else None)
    answer = answer_with(session, evidence, presentation_for(harness, session, credential), sent="a valid presentation")
    if expect_observed(answer.observation, "the valid presentation").seen is Seen.SUCCESS:
        return answer
    raise AssertionError(f"the verifier did not accept a valid presentation ({answer.observation})")


def jwt_badge(harness: Harness, evidence: Evidence) -> Badge:
    """A valid OB 3.0 badge as a jwt_vc_json credential: the VCDM 1.1 ``vc`` claim (OID4VCI App.
    A.1.1), signed by lerconf's Ed25519 did:key issuer, for lerconf's holder."""
    key = ("oid4vp-jwt-badge",)
    if key not in harness.cache:
        signer = harness.signer("eddsa-rdfc-2022")
        document = ob3_achievement_credential(signer.controller, harness.keys.holder.controller, vc_version="1.1",
                                              credential_id=f"urn:uuid:{entropy.uuid4()}")
        harness.cache[key] = sign_jwt(document, signer.key, signer.verification_method, JwtEncoding.VCDM11)
    evidence.keep("credential signed by lerconf (jwt_vc_json)", harness.cache[key])
    return Badge(harness.cache[key], "jwt_vc_json", "1.1")


def dual_proof_jwt_badge(harness: Harness, evidence: Evidence) -> Badge:
    """A badge secured both ways (OB-15): signed with eddsa-rdfc-2022 first, then wrapped in a VC-JWT by the
    same issuer; a verifier needs one valid proof (OB-23) and must not refuse the embedded one."""
    signer = harness.signer("eddsa-rdfc-2022")
    document = ob3_achievement_credential(signer.controller, harness.keys.holder.controller, vc_version="1.1",
                                          credential_id=f"urn:uuid:{entropy.uuid4()}")
    embedded = signer.sign(document, "eddsa-rdfc-2022", harness.engine.processor)
    token = sign_jwt(embedded, signer.key, signer.verification_method, JwtEncoding.VCDM11)
    evidence.keep("dual-proof badge signed by lerconf (Data Integrity inside the JWT)", token)
    credential: Any = token
    return Badge(credential, "jwt_vc_json", "1.1")


#: OB-24: a claim of a badge VC-JWT -> the value that contradicts the credential it carries
CONTRADICTING_CLAIMS = {"jti": "urn:uuid:00000000-0000-4000-8000-00000000b024",
                        "sub": "did:example:someone-who-is-not-the-subject"}


def jwt_badge_contradicting(harness: Harness, evidence: Evidence, claim: str) -> Badge:
    """The jwt_vc_json badge signed again (validly, by its issuer) with ``claim`` contradicting the
    credential in its ``vc`` claim: OB-24's one defect (a verifier that reads only the vc claim misses it)."""
    if claim not in CONTRADICTING_CLAIMS:
        raise LookupError(f"no contradicting value for the {claim!r} claim; known: {', '.join(CONTRADICTING_CLAIMS)}")
    signer = harness.signer("eddsa-rdfc-2022")
    document = ob3_achievement_credential(signer.controller, harness.keys.holder.controller, vc_version="1.1",
                                          credential_id=f"urn:uuid:{entropy.uuid4()}")
    valid = sign_jwt(document, signer.key, signer.verification_method, JwtEncoding.VCDM11)
    token = sign_jwt(document, signer.key, signer.verification_method, JwtEncoding.VCDM11,
                     claims={claim: CONTRADICTING_CLAIMS[claim]})
    note_defect(f"the badge JWT's {claim} is {CONTRADICTING_CLAIMS[claim]!r}, which is not the credential's "
                f"{'id' if claim == 'jti' else 'credentialSubject.id'}", valid, token, None, kind="credential")
    evidence.keep(f"badge JWT signed by lerconf with a contradicting {claim}", token)
    credential: Any = token  # a Badge carries a jwt_vc_json credential as its compact JWS, as jwt_badge's does
    return Badge(credential, "jwt_vc_json", "1.1")


def unknown_state() -> str:
    return "lerconf-unknown-" + entropy.token_urlsafe(12)
