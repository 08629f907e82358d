"""Each fault wraps one part of a reference instance (its verification engine or its OID4VP
transaction store) so the OID4VP verifier breaks exactly one requirement."""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lerconf.refimpl.oid4vp import Oid4vpStore, store_of
from lerconf.refimpl.state import ReferenceState
from lerconf.results import Category, Status
from lerconf.verify.report import VerificationReport, VerifyOptions


@dataclass(frozen=True)
class VerifierFault:
    name: str
    summary: str
    requirements: tuple[str, ...]
    detected_by: frozenset[str]          # rendered scenario titles that must be failed
    because: str                         # said in the reason of every catching scenario
    install: Callable[[ReferenceState], None]

    @property
    def vendor_name(self) -> str:
        return f"faulty oid4vp verifier {self.name}"

    def __str__(self) -> str:
        return self.name


class _Engine:
    """The reference's Verifier with the options (or the report) changed by ``edit``."""

    def __init__(self, inner: Any, options: Callable[[Any, VerifyOptions], VerifyOptions] | None = None,
                 report: Callable[[VerificationReport], None] | None = None,
                 jwt_report: Callable[[VerificationReport], None] | None = None) -> None:
        self._inner, self._options, self._report, self._jwt_report = inner, options, report, jwt_report

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def verify_document(self, document: Any, source: str, options: VerifyOptions | None = None) -> VerificationReport:
        options = options or VerifyOptions()
        if self._options is not None:
            options = self._options(document, options)
        report = self._inner.verify_document(document, source, options)
        if self._report is not None:
            self._report(report)
        return report


    def verify_jwt(self, token: str, source: str, options: VerifyOptions | None = None) -> VerificationReport:
        report = self._inner.verify_jwt(token, source, options)
        if self._jwt_report is not None:
            self._jwt_report(report)
        return report


def _drop_badge_jwt_claim_checks(report: VerificationReport) -> None:
    """Reads the credential from the vc claim and never compares the JWT's own claims with it."""
    report.checks = [r for r in report.checks if r.requirement not in ("OB-24", "JWT11-01", "JWT11-03")]


def _refuse_a_second_proof(report: VerificationReport) -> None:
    """Takes one securing mechanism only: a VC-JWT whose credential carries a proof too is refused."""
    report.checks = [dataclasses.replace(r, requirement="OB-23", status=Status.FAILED,
                                         message="a credential secured twice (a proof inside the JWT) is refused")
                     if r.requirement == "OB-15" else r for r in report.checks]


def _engine(**kw: Any) -> Callable[[ReferenceState], None]:
    def install(state: ReferenceState) -> None:
        state.verifier = _Engine(state.verifier, **kw)  # type: ignore[assignment]
    return install


def _proof_challenge(document: Any) -> Any:
    proof = document.get("proof") if isinstance(document, dict) else None
    proof = proof[0] if isinstance(proof, list) and proof else proof
    return proof.get("challenge") if isinstance(proof, dict) else None


def _any_issued_nonce(state: ReferenceState) -> Callable[[Any, VerifyOptions], VerifyOptions]:
    """Checks that the challenge is *a* nonce it issued, not *this transaction's* nonce."""
    def edit(document: Any, options: VerifyOptions) -> VerifyOptions:
        challenge = _proof_challenge(document)
        if challenge in store_of(state).nonces():
            return dataclasses.replace(options, challenge=challenge)
        return options
    return edit


def _replay(state: ReferenceState) -> None:
    state.verifier = _Engine(state.verifier, options=_any_issued_nonce(state))  # type: ignore[assignment]


def _drop_nested_proof_failures(report: VerificationReport) -> None:
    for nested in report.nested:
        nested.checks = [r for r in nested.checks if not (r.category is Category.PROOF and r.status is Status.FAILED)]


def _wallet_error_is_success(state: ReferenceState) -> None:
    store = store_of(state)

    def wallet_error(txn: Any, error: str) -> None:
        Oid4vpStore.finish(store, txn, True, [])
    store.wallet_error = wallet_error  # type: ignore[method-assign]


def _accepts_plain_response(state: ReferenceState) -> None:
    store = store_of(state)
    store.accepts_plain = lambda txn: True  # type: ignore[method-assign]


def _jwt_ignores_audience(state: ReferenceState) -> None:
    store = store_of(state)

    def binding_problems(txn: Any, nonce: Any, audience: Any) -> list[str]:
        return Oid4vpStore.binding_problems(store, txn, nonce, txn.client_id)
    store.binding_problems = binding_problems  # type: ignore[method-assign]


def _jwt_accepts_replay(state: ReferenceState) -> None:
    """Checks that a VP JWT's nonce is *a* nonce it issued, not *this transaction's*."""
    store = store_of(state)

    def binding_problems(txn: Any, nonce: Any, audience: Any) -> list[str]:
        problems = Oid4vpStore.binding_problems(store, txn, nonce, audience)
        return [p for p in problems if not (p.startswith("the VP JWT's nonce") and nonce in store.nonces())]
    store.binding_problems = binding_problems  # type: ignore[method-assign]


def _request_claims(edit: Callable[[dict[str, Any]], None]) -> Callable[[ReferenceState], None]:
    """Every request object the verifier serves has its claims changed by ``edit``."""
    def install(state: ReferenceState) -> None:
        store = store_of(state)

        def create(*args: Any, **kwargs: Any) -> Any:
            txn = Oid4vpStore.create(store, *args, **kwargs)
            plain = txn.request_claims

            def claims(wallet_nonce: str | None = None) -> dict[str, Any]:
                out = plain(wallet_nonce)
                edit(out)
                return out
            txn.request_claims = claims
            return txn
        store.create = create  # type: ignore[method-assign]
    return install


def _names(*names: str) -> frozenset[str]:
    return frozenset(names)


VP06 = "A presentation whose challenge is not the request's nonce or whose domain is not the client_id is rejected"
REPLAY = "A presentation captured from one transaction and submitted in another is rejected"
CROSS = "A presentation bound to one transaction and posted with another transaction's state is rejected"
DEFECTIVE = "A valid presentation carrying a defective Open Badge is rejected"
WALLET_ERROR = "A wallet error response is never reported as a successful presentation (access_denied)"
SUCCESS_REPORTED = "the verifier reported success"
DRAFT_NONCE = "(draft form) A presentation whose challenge is not the request's nonce is rejected (draft-20)"
PLAIN = "A response sent unencrypted when the verifier asked for an encrypted one is rejected (direct_post.jwt)"
JWT_VP06 = "A VP JWT whose nonce is not the request's nonce or whose aud is not the client_id is rejected"
JWT_REPLAY = "A VP JWT captured from one transaction and submitted in another is rejected (jwt_vc_json)"
JWT_CLAIMS = "A VP JWT carrying a badge JWT whose claims contradict the badge is rejected"
DUAL_PROOF = "The verifier accepts a VP JWT carrying a badge secured twice, its Data Integrity proof inside the JWT"

VP02 = "A Request Object is a JWT typed oauth-authz-req+jwt, signed as its client_id prefix requires"

FAULTS = [
    VerifierFault("accepts-wrong-nonce", "does not compare the presentation's challenge with the nonce", ("VP-06", "VP-07"),
                  _names(f"{VP06} (another nonce)", REPLAY, CROSS, DRAFT_NONCE), SUCCESS_REPORTED,
                  _engine(options=lambda doc, o: dataclasses.replace(o, challenge=None))),
    VerifierFault("ignores-audience", "does not compare the presentation's domain with the client_id", ("VP-06",),
                  _names(f"{VP06} (another client_id)", f"{VP06} (the client_id without its prefix)"), SUCCESS_REPORTED,
                  _engine(options=lambda doc, o: dataclasses.replace(o, domain=None))),
    VerifierFault("accepts-replay", "accepts any nonce it ever issued, not only the transaction's", ("VP-07",),
                  _names(REPLAY, CROSS), SUCCESS_REPORTED, _replay),
    VerifierFault("wallet-error-success", "records a wallet's access_denied as a verified presentation", ("VP-12",),
                  _names(WALLET_ERROR), SUCCESS_REPORTED, _wallet_error_is_success),
    VerifierFault("accepts-tampered-credential", "ignores proof failures of the credentials inside a presentation",
                  ("VP-05",), _names(f"{DEFECTIVE} (tampered-claim)"), SUCCESS_REPORTED,
                  _engine(report=_drop_nested_proof_failures)),
    VerifierFault("ignores-revocation", "does not check the status of presented credentials", ("VP-05",),
                  _names(f"{DEFECTIVE} (revoked)"), SUCCESS_REPORTED,
                  _engine(options=lambda doc, o: dataclasses.replace(o, check_status=False))),
    VerifierFault("accepts-plain-response", "takes an unencrypted response when it asked for direct_post.jwt",
                  ("VP-04",), _names(PLAIN), SUCCESS_REPORTED, _accepts_plain_response),
    VerifierFault("jwt-ignores-audience", "does not compare a VP JWT's aud with the client_id", ("VP-06",),
                  _names(f"{JWT_VP06} (jwt_vc_json, another client_id)",
                         f"{JWT_VP06} (jwt_vc_json, the client_id without its prefix)"), SUCCESS_REPORTED,
                  _jwt_ignores_audience),
    VerifierFault("jwt-accepts-replay", "accepts a VP JWT whose nonce is any nonce it ever issued", ("VP-07",),
                  _names(JWT_REPLAY), SUCCESS_REPORTED, _jwt_accepts_replay),
    VerifierFault("jwt-refuses-dual-proof", "refuses a badge JWT whose credential carries a Data Integrity proof too",
                  ("OB-23",), _names(f"{DUAL_PROOF} (jwt_vc_json)"), "was not accepted",
                  _engine(jwt_report=_refuse_a_second_proof)),
    VerifierFault("jwt-ignores-badge-claims", "verifies a badge JWT's signature but never compares its jti/sub with "
                  "the credential in its vc claim", ("OB-24",),
                  _names(f"{JWT_CLAIMS} (jwt_vc_json, jti)", f"{JWT_CLAIMS} (jwt_vc_json, sub)"), SUCCESS_REPORTED,
                  _engine(jwt_report=_drop_badge_jwt_claim_checks)),
]

FAULTS += [
    VerifierFault("request-audience-client-id", "puts its own client_id in the request object's aud", ("VP-02",),
                  _names(*(f"{VP02} ({p}, request_uri by {m})" for p, m in (
                      ("decentralized_identifier", "get"), ("decentralized_identifier", "post"),
                      ("x509_san_dns", "get"), ("x509_hash", "get")))),
                  "with static discovery", _request_claims(lambda c: c.update(aud=c["client_id"]))),
    VerifierFault("drops-wallet-nonce", "leaves the wallet_nonce out of a request object fetched by POST", ("VP-02",),
                  _names(f"{VP02} (decentralized_identifier, request_uri by post)"), "does not include it",
                  _request_claims(lambda c: c.pop("wallet_nonce", None))),
]

CLEAN = VerifierFault("clean", "no fault: the test bed itself", (), frozenset(), "", lambda state: None)
