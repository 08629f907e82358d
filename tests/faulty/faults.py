"""The catalogue of faults: each breaks one requirement of one role, and names the scenarios
that must catch it (failed or broken). Every other scenario of a run must still pass or skip.

Scenario names are the rendered titles in results.json (an outline's title carries its
example values where the feature puts them there).
"""
from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.routing import BaseRoute
from starlette.types import ASGIApp

from faulty import wrappers as w
from lerconf.checks.refresh import refresh_url_of, refreshable
from lerconf.errors import ResolutionError
from lerconf.refimpl.state import ReferenceState
from lerconf.results import Status
from lerconf.verify.report import VerificationReport, VerifyOptions

Middleware = Callable[[ASGIApp], ASGIApp]


@dataclass
class Parts:
    """What a fault adds to the app: routes that take precedence, middleware around it."""

    routes: list[BaseRoute] = field(default_factory=list)
    middleware: list[Middleware] = field(default_factory=list)


@dataclass(frozen=True)
class Fault:
    name: str
    role: str                                  # issuer | verifier | holder: the role the run selects
    summary: str
    #: requirement ids of the scenarios that catch it: those it breaks, and the lifecycle
    #: scenario (BSL-10) where the broken role takes part in it
    requirements: tuple[str, ...]
    detected_by: frozenset[str]                # scenario names that must be failed or broken
    install: Callable[[ReferenceState], Parts]
    harness_timeouts: dict[str, float] | None = None  # the profile's `timeouts:` for this vendor
    detected_as: str | None = None             # "failed" or "broken" when only one is right
    because: str = ""                          # said in the reason of at least one catching scenario

    @property
    def vendor_name(self) -> str:
        return f"faulty vendor {self.name}"

    @property
    def roles(self) -> list[str]:
        return [self.role] if self.role else []

    def __str__(self) -> str:
        return self.name


def _names(*names: str) -> frozenset[str]:
    return frozenset(names)



# -- scenario names (as rendered in results.json) ------------------------------------------------------
LIFECYCLE = "Revoked credential is rejected by the verifier that accepted it before"
SUITES_VC = [("eddsa-rdfc-2022", "2.0"), ("eddsa-rdfc-2022", "1.1"), ("eddsa-jcs-2022", "2.0"),
             ("ecdsa-rdfc-2019", "2.0"), ("ecdsa-jcs-2019", "2.0"), ("Ed25519Signature2020", "2.0")]


def _per_suite(title: str, suites: list[tuple[str, str]] = SUITES_VC) -> list[str]:
    return [f"{title} ({s}, VC {v})" for s, v in suites]


API_01 = _per_suite("Issuer service issues a badge and returns 201")
OB_12 = _per_suite("Issued badge carries a supported proof that verifies")
VCDM_16 = ["Issued credential defines every term it uses (VC 2.0)", "Issued credential defines every term it uses (VC 1.1)"]
ISSUE_NEGATIVE = [
    *(f"Issuer refuses a credential without the VC base context first ({d})"
      for d in ("no @context", "a @context that is a number", "the OB context before the VC base context")),
    "Issuer refuses a credential that mixes v1 and v2 base contexts",
    *(f"Issuer refuses a credential that is not typed VerifiableCredential ({d})"
      for d in ("no type", "a type without VerifiableCredential", "a type that is a number")),
    *(f"Issuer refuses a malformed issuer ({d})"
      for d in ("no issuer", "an issuer that is not a URL", "an issuer object without id")),
    *(f"Issuer refuses a credential subject that is not an object ({d})"
      for d in ("no credentialSubject", "a credentialSubject that is a string")),
    "Issuer refuses to issue a credential that expires before it becomes valid",
    "Issuer refuses validity dates without a time zone",
    "Issuer refuses to sign a credential containing undefined terms",
]
ISSUE_STATUS = [
    "Credential status entry references a bitstring status list (revocation)",
    "Credential status entry references a bitstring status list (suspension)",
    "Status list URL serves a BitstringStatusListCredential (revocation)",
    "Status list meets the minimum herd-privacy size",
]
HOLDER_API_08 = "Holder service signs a presentation with challenge and domain (eddsa-rdfc-2022)"
HOLDER_DIVP_01 = "Wallet signs presentations for authentication with challenge and domain"
HOLDER_VCDM_21 = "Presented credentials are embedded secured objects"
EXPIRED = ["Verifier flags expired and not-yet-valid credentials (expired, VC 2.0)",
           "Verifier flags expired and not-yet-valid credentials (expired, VC 1.1)"]
NOT_YET_VALID = "Verifier flags expired and not-yet-valid credentials (not-yet-valid, VC 2.0)"
REVOKED = "Verifier reports a revoked or suspended credential (revoked)"
SUSPENDED = "Verifier reports a revoked or suspended credential (suspended)"
STATUS_UNREACHABLE = "Verifier reports an unreachable status list"
STALE_CHALLENGE = "Verifier rejects a presentation proof with a stale challenge"
OTHER_DOMAIN = "Verifier rejects a presentation proof for another domain"
VP_ALTERED = "Verifier rejects a presentation altered after signing"
VP_TAMPERED_CREDENTIAL = "Verifier rejects a presentation carrying a tampered credential"


def _tampered(mutator: str, suite: str = "eddsa-rdfc-2022") -> str:
    return f"Verifier detects a tampered badge ({mutator}, {suite})"


VERIFIER_NEGATIVE = [
    *(_tampered(m) for m in ("tampered-claim", "tampered-issuer", "tampered-validity", "tampered-proof-value",
                             "wrong-verification-method", "undefined-term")),
    _tampered("tampered-claim", "ecdsa-rdfc-2019"),
    "Verifier rejects a credential whose proof was removed",
    "Verifier rejects a badge signed by someone other than its issuer",
    "Verifier rejects a credential proof with the wrong purpose",
    "Verifier rejects a proof claiming an unknown cryptosuite",
    *EXPIRED, NOT_YET_VALID, REVOKED, SUSPENDED, STATUS_UNREACHABLE,
    "Verifier rejects a credential without the v2 base context first (missing-base-context)",
    "Verifier rejects a credential without the v2 base context first (context-reordered)",
    "Verifier rejects a credential that mixes v1 and v2 base contexts",
    "Verifier rejects credentials without VerifiableCredential type",
    "Verifier rejects credentials with malformed issuer",
    STALE_CHALLENGE, OTHER_DOMAIN, VP_ALTERED, VP_TAMPERED_CREDENTIAL,
]
DI_19 = "Verifier rejects a credential signed with a key not authorized for assertions"
# what a verifier must also do for Open Badges (features/verifier/vcapi-verify-ob-status-endorsement.feature)
OB26_REVOKED = "Verifier reports a badge revoked on its issuer's 1EdTech revocation list"
OB29_TAMPERED = "Verifier rejects a badge with a tampered endorsement"
OB29_FORGED = "Verifier rejects a badge with a forged endorsement"
CLR09_TAMPERED = "Verifier rejects a CLR with a tampered endorsement"
CLR07_TAMPERED = "Verifier rejects a CLR whose proof no longer covers it"
CLR07_EXPIRED = "Verifier rejects a CLR that has expired (validly signed)"
CLR10_OTHER_LEARNER = "Verifier flags a CLR that bundles another learner's badge"
OB25_ONCE = "Verifier refreshes a badge at most once"
OB25_NOT_BEFORE_PROOF = "Verifier never refreshes a badge whose proof does not verify"
OB_NEGATIVE = [OB25_NOT_BEFORE_PROOF, OB26_REVOKED, OB29_TAMPERED, OB29_FORGED, CLR09_TAMPERED, CLR07_TAMPERED,
               CLR07_EXPIRED]
OB_POSITIVE = [OB25_ONCE, "Verifier accepts a badge its issuer's 1EdTech revocation list does not name",
               "Verifier accepts a badge with a valid endorsement", "Verifier accepts a valid CLR transcript"]
VERIFIER_POSITIVE = [
    *(f"Verifier service verifies a valid badge ({s}, VC {v})" for s, v in SUITES_VC),
    "Verifier accepts a credential whose status bit is clear (revocation)",
    "Verifier accepts a credential whose status bit is clear (suspension)",
    "Verifier service verifies a presentation and its credentials",
]


# -- verifier faults ---------------------------------------------------------------------------------
def _ignores_expiry(state: ReferenceState) -> Parts:
    w.replace_engine(state, ignore=lambda r: r.requirement in ("VCDM-34", "OB-27")
                     and r.subject in ("validUntil", "expirationDate"))
    return Parts()


def _skips_signature(state: ReferenceState) -> Parts:
    w.trust_every_signature(state)
    return Parts()


def _ignores_status(state: ReferenceState) -> Parts:
    w.replace_engine(state, adjust=lambda doc, o: dataclasses.replace(o, check_status=False))
    return Parts()


def _accepts_revoked(state: ReferenceState) -> Parts:
    w.replace_engine(state, ignore=lambda r: r.requirement == "BSL-18" and r.details.get("purpose") == "revocation")
    return Parts()


def _ignores_1edtech_revocation(state: ReferenceState) -> Parts:
    w.replace_engine(state, ignore=lambda r: r.requirement == "OB-26")
    return Parts()


def _accepts_bad_endorsements(state: ReferenceState) -> Parts:
    w.replace_engine(state, ignore=lambda r: r.requirement in ("OB-29", "CLR-09"), drop_nested=w.is_endorsement)
    return Parts()


class _ClrBlindEngine(w.FaultyEngine):
    """lerconf's engine, except that a ClrCredential is reported with no failure, no warning and nothing nested."""

    def verify_document(self, document: Any, source: str = "-", options: VerifyOptions | None = None) -> VerificationReport:
        report = super().verify_document(document, source, options)
        kinds = document.get("type") if isinstance(document, dict) else None
        if isinstance(kinds, list) and "ClrCredential" in kinds:
            report.checks = [r for r in report.checks if r.status not in (Status.FAILED, Status.WARNING)]
            report.nested = []
        return report


def _passes_clrs_through(state: ReferenceState) -> Parts:
    state.verifier = _ClrBlindEngine(state.verifier)
    return Parts()


class _RefreshFirstEngine(w.FaultyEngine):
    """lerconf's engine, except that a badge naming a 1EdTech refresh service is refreshed before anything is
    checked, and what the service answered is verified in its place (a forger chooses what replaces his badge)."""

    def verify_document(self, document: Any, source: str = "-", options: VerifyOptions | None = None) -> VerificationReport:
        options = options or VerifyOptions()
        if options.refresh and refreshable(document):
            try:
                fetched = self.loader.load_remote_json(str(refresh_url_of(document)))
            except ResolutionError:
                fetched = None
            if isinstance(fetched, dict):
                return super().verify_document(fetched, source, dataclasses.replace(options, refresh=False))
        return super().verify_document(document, source, options)


def _refreshes_before_proof(state: ReferenceState) -> Parts:
    state.verifier = _RefreshFirstEngine(state.verifier)
    return Parts()


#: how often the faulty verifier refreshes a badge whose refreshed badge names the service again
REFRESHES = 3


class _RefreshAgainEngine(w.FaultyEngine):
    """lerconf's engine (refresh after the proof check), except that it refreshes the refreshed badge again
    while that names a refresh service, up to REFRESHES times: OB 3.0 says once."""

    def verify_document(self, document: Any, source: str = "-", options: VerifyOptions | None = None) -> VerificationReport:
        report = super().verify_document(document, source, options)
        for _ in range(REFRESHES - 1):
            if report.refreshed_from is None or not refreshable(report.document):
                break
            report = super().verify_document(report.document, source, options)
        return report


def _refreshes_repeatedly(state: ReferenceState) -> Parts:
    state.verifier = _RefreshAgainEngine(state.verifier)
    return Parts()


def _ignores_challenge(state: ReferenceState) -> Parts:
    w.replace_engine(state, adjust=lambda doc, o: dataclasses.replace(o, challenge=None))
    return Parts()


def _ignores_domain(state: ReferenceState) -> Parts:
    w.replace_engine(state, adjust=lambda doc, o: dataclasses.replace(o, domain=None))
    return Parts()


def _skips_embedded(state: ReferenceState) -> Parts:
    w.replace_engine(state, skip_embedded=True)
    return Parts()


def _server_error_on_failure(state: ReferenceState) -> Parts:
    def rewrite(status: int, body: Any) -> tuple[int, Any]:
        if status == 200 and isinstance(body, dict) and body.get("verified") is False:
            return 500, {"type": "about:blank", "title": "Internal Server Error",
                         "detail": "unhandled exception in verification"}
        return status, body

    return Parts(middleware=[lambda app: w.ResponseRewriter(app, w.VERIFY_PATHS, rewrite)])


TIMEOUT_READ_S = 0.5
TIMEOUT_DELAY_S = 1.0


def _times_out(state: ReferenceState) -> Parts:
    return Parts(middleware=[lambda app: w.Delay(app, w.VERIFY_PATHS, TIMEOUT_DELAY_S)])


# -- issuer faults -----------------------------------------------------------------------------------
def _answers_200(state: ReferenceState) -> Parts:
    def rewrite(status: int, body: Any) -> tuple[int, Any]:
        return (200 if status == 201 else status), body

    return Parts(middleware=[lambda app: w.ResponseRewriter(app, (w.ISSUE_PATH,), rewrite)])


def _drops_status(state: ReferenceState) -> Parts:
    return Parts(routes=[w.issue_route(lambda parsed: dataclasses.replace(parsed, status_purpose=None))])


def _alters_claim(state: ReferenceState) -> Parts:
    def after(signed: dict[str, Any], suite: str) -> None:
        signed["name"] = f"{signed.get('name', '')} (with distinction)"

    w.edit_issuer_signers(state, after=after)
    return Parts()


def _signs_anything(state: ReferenceState) -> Parts:
    return Parts(routes=[w.unvalidated_issue_route()])


UNDEFINED_TERM = "trackingCode"


def _injects_undefined_term(state: ReferenceState) -> Parts:
    """Every credential gets a term no context defines. Signing does not notice: RDF suites
    drop the term in canonicalization (so it is added after them, as a non-safe-mode signer
    would), JCS suites sign it as JSON."""
    def before(doc: dict[str, Any], suite: str, options: dict[str, Any]) -> None:
        if "jcs" in suite:
            doc[UNDEFINED_TERM] = "TX-0042"

    def after(signed: dict[str, Any], suite: str) -> None:
        if "jcs" not in suite:
            signed[UNDEFINED_TERM] = "TX-0042"

    w.edit_issuer_signers(state, before=before, after=after)
    return Parts()


def _ignores_revoke(state: ReferenceState) -> Parts:
    state.status = w.DeafRegistry(state.status)  # type: ignore[assignment]
    return Parts()


# -- holder faults ------------------------------------------------------------------------------------
def _holder_ignores_challenge(state: ReferenceState) -> Parts:
    def before(doc: dict[str, Any], suite: str, options: dict[str, Any]) -> None:
        options["challenge"] = secrets.token_urlsafe(12)  # its own, not the verifier's

    w.edit_holder_signer(state, before=before)
    return Parts()


def _holder_assertion_purpose(state: ReferenceState) -> Parts:
    def before(doc: dict[str, Any], suite: str, options: dict[str, Any]) -> None:
        options["purpose"] = "assertionMethod"

    w.edit_holder_signer(state, before=before)
    return Parts()


def _holder_alters_credential(state: ReferenceState) -> Parts:
    def before(doc: dict[str, Any], suite: str, options: dict[str, Any]) -> None:
        creds = doc.get("verifiableCredential")
        first = creds[0] if isinstance(creds, list) and creds else creds
        if isinstance(first, dict):
            first["name"] = f"{first.get('name', '')} (with distinction)"

    w.edit_holder_signer(state, before=before)
    return Parts()


def _clean(state: ReferenceState) -> Parts:
    return Parts()


#: the control: the same wrapping with no fault; every scenario must pass or skip
CLEAN = Fault("clean", "", "no fault: the reference behind the same test-bed plumbing", (), frozenset(), _clean)


FAULTS: list[Fault] = [
    # verifier
    Fault("verifier-ignores-expiry", "verifier", "never compares validUntil/expirationDate with the time",
          ("VCDM-34", "CLR-07"), _names(*EXPIRED, CLR07_EXPIRED), _ignores_expiry,
          because="expected rejected (HTTP 200, verified: true)"),
    Fault("verifier-skips-signature", "verifier", "resolves the key but calls every signature valid",
          ("DI-15", "VCDM-38", "OB-25", "OB-29", "CLR-09", "CLR-07"),
          _names(*(_tampered(m) for m in ("tampered-claim", "tampered-issuer", "tampered-validity",
                                          "tampered-proof-value")),
                 _tampered("tampered-claim", "ecdsa-rdfc-2019"), VP_TAMPERED_CREDENTIAL, OB29_TAMPERED, CLR09_TAMPERED,
                 CLR07_TAMPERED, OB25_NOT_BEFORE_PROOF),
          _skips_signature,
          because="expected rejected (HTTP 200, verified: true)"),
    Fault("verifier-ignores-status", "verifier", "never fetches or reads credentialStatus",
          ("BSL-18", "BSL-13", "BSL-10", "OB-26"), _names(REVOKED, SUSPENDED, STATUS_UNREACHABLE, LIFECYCLE, OB26_REVOKED),
          _ignores_status,
          because="expected rejected (HTTP 200, verified: true)"),
    Fault("verifier-accepts-revoked", "verifier", "reads the status list, but a set revocation bit is verified: true",
          ("BSL-18", "BSL-10"), _names(REVOKED, LIFECYCLE), _accepts_revoked,
          because="expected rejected (HTTP 200, verified: true)"),
    Fault("verifier-ignores-1edtech-revocation", "verifier",
          "checks Bitstring Status Lists, but never looks a badge up in its 1EdTech Revocation List",
          ("OB-26",), _names(OB26_REVOKED), _ignores_1edtech_revocation,
          because="expected rejected (HTTP 200, verified: true)"),
    Fault("verifier-accepts-bad-endorsements", "verifier",
          "verifies the badge's own proof, never the endorsements it carries",
          ("OB-29", "CLR-09"), _names(OB29_TAMPERED, OB29_FORGED, CLR09_TAMPERED), _accepts_bad_endorsements,
          because="expected rejected (HTTP 200, verified: true)"),
    Fault("verifier-refreshes-before-proof", "verifier",
          "refreshes a badge naming a 1EdTech refresh service before checking its proof, and verifies what the "
          "service answered in its place", ("OB-25",), _names(OB25_NOT_BEFORE_PROOF), _refreshes_before_proof,
          detected_as="failed", because="refreshes only after the proof check"),
    Fault("verifier-refreshes-repeatedly", "verifier",
          f"refreshes after the proof check, then refreshes the refreshed badge again ({REFRESHES} calls in all)",
          ("OB-25",), _names(OB25_ONCE), _refreshes_repeatedly, detected_as="failed", because="refreshes once"),
    Fault("verifier-passes-clrs-through", "verifier",
          "verifies Open Badges, but calls any ClrCredential verified without checking it (nor what it bundles)",
          ("CLR-07", "CLR-09", "CLR-10"), _names(CLR07_TAMPERED, CLR07_EXPIRED, CLR09_TAMPERED, CLR10_OTHER_LEARNER),
          _passes_clrs_through,
          because="expected rejected (HTTP 200, verified: true)"),
    Fault("verifier-ignores-challenge", "verifier", "does not compare the presentation proof's challenge",
          ("DI-14",), _names(STALE_CHALLENGE), _ignores_challenge,
          because="expected rejected (HTTP 200, verified: true)"),
    Fault("verifier-ignores-domain", "verifier", "does not compare the presentation proof's domain",
          ("DI-13",), _names(OTHER_DOMAIN), _ignores_domain,
          because="expected rejected (HTTP 200, verified: true)"),
    Fault("verifier-skips-embedded-credentials", "verifier",
          "verifies a presentation's proof, never the credentials in it",
          ("VCDM-38", "BSL-10"), _names(VP_TAMPERED_CREDENTIAL, LIFECYCLE), _skips_embedded,
          because="expected rejected (HTTP 200, verified: true)"),
    Fault("verifier-500-on-failure", "verifier", "answers HTTP 500 whenever verification finds a problem",
          tuple(sorted({"DI-15", "VCDM-27", "DI-19", "CID-01", "DI-12", "ED-09", "VCDM-34", "BSL-18", "BSL-13",
                        "VCDM-29", "VCDM-D1", "VCDM-30", "VCDM-31", "DI-14", "DI-13", "DIVP-03", "VCDM-38",
                        "BSL-10", "OB-25", "OB-26", "OB-29", "CLR-09", "CLR-07"})),
          _names(*VERIFIER_NEGATIVE, DI_19, LIFECYCLE, *OB_NEGATIVE), _server_error_on_failure, detected_as="broken",
          because="server_error: HTTP 500"),
    Fault("verifier-times-out", "verifier", f"answers every verification after {TIMEOUT_DELAY_S:g} s "
          f"(the profile gives it {TIMEOUT_READ_S:g} s)",
          tuple(sorted({"API-11", "API-14", "BSL-18", "DI-15", "VCDM-27", "DI-19", "CID-01", "DI-12", "ED-09",
                        "VCDM-34", "BSL-13", "VCDM-29", "VCDM-D1", "VCDM-30", "VCDM-31", "DI-14", "DI-13",
                        "DIVP-03", "VCDM-38", "BSL-10", "OB-25", "OB-26", "OB-29", "CLR-09", "CLR-07", "CLR-10"})),
          _names(*VERIFIER_NEGATIVE, *VERIFIER_POSITIVE, DI_19, LIFECYCLE, *OB_NEGATIVE, *OB_POSITIVE,
                 CLR10_OTHER_LEARNER), _times_out,
          harness_timeouts={"connect": 2.0, "read": TIMEOUT_READ_S, "total": 5.0}, detected_as="broken",
          because="read timeout after 0.5 s"),
    # issuer
    Fault("issuer-answers-200", "issuer", "issues correctly but answers 200 instead of 201 Created",
          ("API-01",), _names(*API_01), _answers_200,
          because="issue answered HTTP 200, VCALM requires 201"),
    Fault("issuer-drops-status", "issuer", "ignores options.credentialStatus: issues without a status entry",
          ("BSL-01", "BSL-04", "BSL-16", "BSL-10"), _names(*ISSUE_STATUS, LIFECYCLE), _drops_status,
          because="was issued with a revocation status entry"),
    Fault("issuer-alters-claim-after-signing", "issuer", "changes the credential's name after signing it",
          ("OB-12", "BSL-10"), _names(*OB_12, LIFECYCLE), _alters_claim,
          because="signature does not verify"),
    Fault("issuer-signs-anything", "issuer",
          "validates nothing: what it cannot issue properly it signs anyway with eddsa-jcs-2022",
          ("VCDM-01", "VCDM-03", "VCDM-06", "VCDM-07", "VCDM-08", "VCDM-09", "VCDM-D1", "DI-06"),
          _names(*ISSUE_NEGATIVE), _signs_anything,
          because="it must be rejected with 400/422"),
    Fault("issuer-injects-undefined-term", "issuer", f"adds the undefined term {UNDEFINED_TERM!r} to every credential",
          ("VCDM-16", "OB-12", "BSL-10"),
          # JCS signs JSON, not RDF: there the term is signed and only VCDM-16 sees it
          _names(*VCDM_16, *(n for n in OB_12 if "jcs" not in n), LIFECYCLE), _injects_undefined_term,
          because="trackingCode"),
    Fault("issuer-ignores-revocation", "issuer", "acknowledges a status update (200) but leaves the bit clear",
          ("BSL-10",), _names(LIFECYCLE), _ignores_revoke,
          because="expected rejected (HTTP 200, verified: true)"),
    # holder
    Fault("holder-ignores-challenge", "holder", "signs presentations with a challenge of its own",
          ("API-08", "DIVP-01", "BSL-10"), _names(HOLDER_API_08, HOLDER_DIVP_01, LIFECYCLE),
          _holder_ignores_challenge,
          because="DI-14: proof challenge"),
    Fault("holder-assertion-purpose", "holder", "signs presentations with proofPurpose assertionMethod",
          ("API-08", "DIVP-01", "BSL-10"), _names(HOLDER_API_08, HOLDER_DIVP_01, LIFECYCLE),
          _holder_assertion_purpose,
          because="DI-12: proofPurpose is 'assertionMethod'"),
    Fault("holder-alters-credential", "holder",
          "changes the embedded credential's name before signing the presentation",
          ("API-08", "VCDM-21", "BSL-10"), _names(HOLDER_API_08, HOLDER_VCDM_21, LIFECYCLE),
          _holder_alters_credential,
          because="VCDM-21: the presented credential differs"),
]
