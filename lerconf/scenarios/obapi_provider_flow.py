"""The OB 3.0 / CLR 2.0 API flow lerconf runs as the Service Consumer against a host under test:
discovery, dynamic registration, authorization code + PKCE + ``state``, the token, and the
credentials lerconf upserts. Scenarios (lerconf.scenarios.obapi_provider) compose these.

Every flow starts fresh (a new registration, a new login, new tokens), so scenarios never share
protocol state. A prerequisite the host does not deliver (no service description, a refused
registration, no code) makes the scenario *broken*, never failed or passed.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lerconf import entropy
from lerconf.clients.obapi import AuthorizationStart, ObApiClient, ObApiTarget
from lerconf.crypto.jose.encodings import JwtEncoding
from lerconf.crypto.jose.sign import sign_jwt
from lerconf.documents.templates import clr2_credential, ob3_achievement_credential
from lerconf.outcome import Outcome
from lerconf.protocol.obapi import OPERATION_SCOPES, ApiSpec, registration_request
from lerconf.protocol.oid4vci import Answer, AuthorizationResponse
from lerconf.results import Category, CheckResult, Status
from lerconf.scenarios.person_login import person_login
from lerconf.scenarios.vcapi import verify
from lerconf.verdicts import Broken

if TYPE_CHECKING:
    from lerconf.evidence import Evidence
    from lerconf.profile.obapi import ObProvider
    from lerconf.scenarios.harness import Harness, VendorUnderTest

__all__ = ["ENGINE_CATEGORIES", "HOLDER", "SUITE", "Connected", "ObSession", "authorized", "code_of", "connect",
           "credential_for_upsert", "discovered", "engine_results", "expect_usable", "open_session", "operation_scopes",
           "registered", "require", "scope_for"]

SUITE = "eddsa-rdfc-2022"
HOLDER = "did:example:learner-ob-api"
#: what "passes lerconf's engine" covers for a credential a host returns
ENGINE_CATEGORIES = {Category.PARSE, Category.PROOF, Category.ISSUER_BINDING, Category.STATUS, Category.JOSE_CLAIMS,
                     Category.SCHEMA}


@dataclass
class ObSession:
    """One API (``ob`` or ``clr``) of the host under test, as a scenario uses it."""

    harness: Harness = field(repr=False)
    vendor: VendorUnderTest = field(repr=False)
    section: ObProvider
    api_key: str
    evidence: Evidence = field(repr=False)

    @property
    def target(self) -> ObApiTarget:
        # login: person: the browser comes back to lerconf's own callback
        return ObApiTarget.for_provider(self.section, self.api_key,
                                        **person_login(self.harness, self.vendor, self.section.options))

    @property
    def api(self) -> ApiSpec:
        return self.target.api

    def client(self) -> ObApiClient:
        """A fresh consumer (not yet registered) on the vendor's HTTP client."""
        return ObApiClient(self.vendor.http, self.target)

    def claims(self, operation: str) -> bool:
        return operation in self.section.operations


def open_session(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, api: str) -> ObSession:
    """The host's ``api`` ("ob" or "clr"), as the vendor's ``ob_provider`` section describes it."""
    section = vendor.profile.ob_provider
    if section is None:
        raise LookupError(f"{vendor.name} has no ob_provider section")
    return ObSession(harness, vendor, section, api, evidence)


def scope_for(session: ObSession, operation: str) -> str:
    """The full scope URL an operation (getCredentials, upsertCredential, ...) needs on this API."""
    return session.api.scope(OPERATION_SCOPES[operation])


def operation_scopes(session: ObSession) -> tuple[str, ...]:
    """The scopes of the operations the host claims (a read-only host is never asked for upsert)."""
    wanted = {"read": "getCredentials", "write": "upsertCredential", "profile": "getProfile",
              "profile_update": "putProfile"}
    return tuple(scope_for(session, op) for claim, op in wanted.items() if session.claims(claim)) or session.api.scopes


def require(answer: Answer, what: str) -> Answer:
    """A prerequisite call that must succeed: anything else breaks the scenario."""
    if answer.outcome is not Outcome.ACCEPTED:
        raise Broken(f"prerequisite: {what}: {answer.outcome.value}: {answer.exchange.reason}")
    return answer


def expect_usable(answer: Answer, what: str) -> None:
    """5xx and transport failures are broken, whatever a check would say of them."""
    if answer.outcome in (Outcome.SERVER_ERROR, Outcome.TRANSPORT_ERROR):
        raise Broken(f"{what}: {answer.outcome.value}: {answer.exchange.reason}")


@dataclass
class Connected:
    """A consumer that went through discovery, registration, login and the token request."""

    client: ObApiClient
    registration: Answer
    start: AuthorizationStart
    authorization: AuthorizationResponse
    token: Answer


def discovered(session: ObSession, client: ObApiClient | None = None) -> ObApiClient:
    """A fresh client that read the service description (broken if it could not)."""
    client = client or session.client()
    require(client.discovery(), "the service description")
    if client.description is None or not client.description.registration_url:
        raise Broken("prerequisite: the service description names no x-imssf-registrationUrl")
    return client


def registered(session: ObSession, scopes: Sequence[str] | None = None) -> tuple[ObApiClient, Answer]:
    """A client registered for ``scopes`` (default: every scope of the claimed operations)."""
    client = discovered(session)
    request = registration_request(client_uri=session.target.client_uri, redirect_uris=[session.target.redirect_uri],
                                   scopes=scopes or session.api.scopes)
    return client, require(client.register(request), "the registration")


def authorized(session: ObSession, client: ObApiClient, scopes: Sequence[str], *,
               with_pkce: bool = True) -> tuple[AuthorizationStart, AuthorizationResponse]:
    """The authorization request for ``scopes`` and the user's login; the response may lack a code."""
    start = client.start_authorization(scopes, with_pkce=with_pkce)
    response = client.authorize(start)
    if response.problem is not None:
        raise Broken(f"prerequisite: the login as the test user: {response.problem}")
    return start, response


def code_of(response: AuthorizationResponse) -> str:
    code = response.code
    if code is None:
        raise Broken(f"prerequisite: the authorization response has no code ({response.params.get('error')})")
    return code


def connect(session: ObSession, scopes: Sequence[str] | None = None) -> Connected:
    """The whole way to an access token for ``scopes`` (default: those of the claimed operations)."""
    wanted = tuple(scopes or operation_scopes(session))
    client, registration = registered(session)
    start, response = authorized(session, client, wanted)
    assert start.pkce is not None
    token = require(client.exchange_code(code_of(response), start.pkce.verifier), "the token request")
    return Connected(client, registration, start, response, token)


def credential_for_upsert(session: ObSession, fmt: str, *, credential_id: str | None = None,
                          valid_from: str = "2026-01-15T09:00:00Z") -> dict[str, Any] | str:
    """A valid credential of the API's type signed by lerconf (a did:key issuer): an OB 3.0
    AchievementCredential, or a CLR 2.0 ClrCredential holding one; Data Integrity (``ldp_vc``) or
    an OB 3.0 VC-JWT compact JWS (``jwt``)."""
    harness = session.harness
    signer = harness.signer(SUITE)
    credential_id = credential_id or f"urn:uuid:{entropy.uuid4()}"
    document = ob3_achievement_credential(signer.controller, HOLDER, credential_id=credential_id, valid_from=valid_from)
    if session.api_key == "clr":
        inner = ob3_achievement_credential(signer.controller, HOLDER, credential_id=f"urn:uuid:{entropy.uuid4()}",
                                           valid_from=valid_from)
        document = clr2_credential(signer.controller, HOLDER, [signer.sign(inner, SUITE, harness.engine.processor)],
                                   credential_id=credential_id, valid_from=valid_from)
    if fmt == "jwt":
        return sign_jwt(document, signer.key, signer.verification_method, JwtEncoding.OB30)
    return signer.sign(document, SUITE, harness.engine.processor)


def engine_results(harness: Harness, credential: Mapping[str, Any] | str, source: str) -> list[CheckResult]:
    """lerconf's engine on a credential the host returned: parse, proof, issuer binding, status,
    JOSE claims and the OB 3.0 / CLR 2.0 schema."""
    report = verify(harness, credential, source)
    return [r for r in report.all_checks() if r.category in ENGINE_CATEGORIES and r.status is not Status.NOT_APPLICABLE]
