"""Which checks judge each OID4VCI issuer requirement, on which facts of a scenario.

A feature says ``Then the token response satisfies "VCI-07"``; the step looks the id up in the
table of that subject here (lerconf.scenarios.subjects.satisfied): the table's entry gathers the
facts from the scenario's objects and returns the CheckResults of the @check functions registered
for the id (lerconf.checks.oid4vci). So every id is one grep: its checks, and the one line here
that feeds them. An answer that is no answer (5xx, timeout, unreadable) breaks the scenario before
any check sees it (:func:`~lerconf.scenarios.oid4vci_issuer.expect_answer`). A refusal then counts
only under its positive control (:func:`~lerconf.scenarios.oid4vci_issuer.valid_issuance`).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from lerconf.checks import oid4vci as c
from lerconf.results import Severity, Status
from lerconf.scenarios.expect import PositiveControl, expect_requirement_met, under_positive_control
from lerconf.scenarios.oid4vci_draft13 import expected_errors
from lerconf.scenarios.oid4vci_flow import Attempt, Issuance, VciSession, credential_document
from lerconf.scenarios.oid4vci_issuer import authorization_server_of, expect_answer
from lerconf.scenarios.subjects import satisfied

if TYPE_CHECKING:
    from lerconf.evidence import Evidence
    from lerconf.protocol.oid4vci import Answer, Metadata, Offer
    from lerconf.results import CheckResult

__all__ = ["AUTHORIZATION_SERVER", "CONFIGURATION", "CREDENTIAL_RESPONSE", "DEFERRED", "ISSUANCE_TOKEN", "ISSUED",
           "METADATA", "NONCES", "OFFER", "REFUSAL", "TOKEN_RESPONSE", "expect_refusal"]


def _answered(answer: Answer, what: str) -> Answer:
    """The answer, once it is one (else the scenario is broken)."""
    expect_answer(answer, what)
    return answer


def _attempted(attempt: Attempt) -> Attempt:
    """The attempt, once the issuer answered it (else the scenario is broken)."""
    expect_answer(attempt.answer, attempt.request)
    return attempt


def _found(session: VciSession) -> Metadata:
    """The metadata, once the session found a document (else the scenario is broken)."""
    session.require_metadata()
    return session.metadata


#: the issuer's credential issuer metadata, as the session found it
METADATA: dict[str, Callable[[VciSession], list[CheckResult]]] = {
    "VCI-01": lambda s: [c.metadata_at_final_well_known_path(s.metadata, s.mode)],
    "VCI-02": lambda s: [c.metadata_identifies_the_issuer(_found(s))],
}

#: one credential configuration of the metadata, by format
CONFIGURATION: dict[str, Callable[[VciSession, str], list[CheckResult]]] = {
    "VCI-03": lambda s, fmt: [c.configuration_follows_format_profile(_found(s), fmt)],
}


def _authorization_server(attempt: Attempt) -> list[CheckResult]:
    grant_check = {"pre-authorized_code": c.authorization_server_supports_pre_authorized,
                   "authorization_code": c.authorization_server_supports_authorization_code}[attempt.variant]
    return [grant_check(_attempted(attempt).answer, authorization_server_of(attempt.session))]


#: the authorization server's RFC 8414 metadata, fetched for a grant
AUTHORIZATION_SERVER: dict[str, Callable[[Attempt], list[CheckResult]]] = {
    "VCI-04": _authorization_server,
}

#: a credential offer, and the session's metadata it must agree with
OFFER: dict[str, Callable[[VciSession, Offer], list[CheckResult]]] = {
    "VCI-05": lambda s, offer: [c.offer_references_advertised_configurations(offer, s.metadata)],
    "VCI-06": lambda s, offer: [c.offer_by_reference_resolves_to_json(offer)],
}

#: the answer to a token request
TOKEN_RESPONSE: dict[str, Callable[[Attempt], list[CheckResult]]] = {
    "VCI-07": lambda a: [c.pre_authorized_code_single_use(_attempted(a).answer)],
    "VCI-08": lambda a: [c.token_response_grants_access(_attempted(a).answer)],
    "VCI-10": lambda a: [c.code_invalidated_after_guessing(_attempted(a).answer, a.wrong_tx_codes)],
}


def _token_of(issuance: Issuance) -> Answer:
    if issuance.token is None:  # not an authorization code issuance: the feature pairs the wrong steps
        raise LookupError("the issuance made no token request of its own")
    return _answered(issuance.token, "the token request")


#: the token response of a whole issuance (the authorization code flow)
ISSUANCE_TOKEN: dict[str, Callable[[Issuance], list[CheckResult]]] = {
    "VCI-08": lambda i: [c.token_response_grants_access(_token_of(i))],
}

#: two answers of the nonce endpoint
NONCES: dict[str, Callable[[tuple[Answer, Answer]], list[CheckResult]]] = {
    "VCI-11": lambda answers: [c.nonce_is_fresh_and_uncacheable(*answers)],
}


#: a request with one fault, and the error codes the feature names for it (draft-13 names in draft-13 mode)
REFUSAL: dict[str, Callable[[Attempt, tuple[str, ...]], list[CheckResult]]] = {
    "VCI-09": lambda a, errors: [c.token_error_is_defined(a.answer, errors, a.request)],
    "VCI-12": lambda a, errors: [c.credential_endpoint_requires_token(a.answer, a.variant)],
    "VCI-13": lambda a, errors: [c.proof_required(a.answer)],
    "VCI-14": lambda a, errors: [c.unknown_transaction_refused(a.answer)],
    "VCI-15": lambda a, errors: [c.credential_error_is_defined(a.answer, errors, f"a credential request with {a.variant}")],
    "VCI-16": lambda a, errors: [c.key_proof_refused(a.answer, a.variant, age_bounded_by_nonce=_age_bounded_by_nonce(a))],
    "VCI-17": lambda a, errors: [c.di_vp_proof_refused(a.answer, errors, a.variant)],
    "LCI-01": lambda a, errors: [c.replayed_nonce_refused(a.answer, errors)],
}


def _age_bounded_by_nonce(attempt: Attempt) -> bool:
    """The attempt is about an old ``iat`` and its proof carried a c_nonce the issuer had just issued
    (its nonce endpoint, or draft 13's token-response c_nonce): the issuer may bound age that way."""
    session = attempt.session
    uses_nonces = session.metadata.endpoint("nonce_endpoint") is not None or session.mode == "draft13"
    return attempt.variant == "an iat an hour old" and uses_nonces


def expect_refusal(evidence: Evidence, attempt: Attempt, requirement: str, error: str | None,
                   control: PositiveControl) -> None:
    """The issuer must refuse ``attempt`` as ``requirement``'s checks say (with ``error``, when the
    feature names one), and must then accept the valid counterpart (``control``, a whole valid
    issuance in a fresh session), or its refusal proves nothing."""
    errors = expected_errors(attempt.session, error) if error else ()
    expect_requirement_met(evidence, [_reason_is_should(r) for r in satisfied(REFUSAL, requirement, _attempted(attempt), errors)],
                           requirement)
    under_positive_control(evidence, control, f"a valid {attempt.flow} issuance in a fresh session")


def _reason_is_should(result: CheckResult) -> CheckResult:
    """A right refusal for another reason (another error code, or none) is a SHOULD-level finding
    (lerconf.checks.refusal_reason): the MUST is the refusal itself."""
    if result.status is Status.WARNING and result.details.get("refusal_reason"):
        return dataclasses.replace(result, severity=Severity.SHOULD)
    return result


def _deferred(issuance: Issuance) -> list[CheckResult]:
    for answer in (issuance.answer, *issuance.deferred):
        expect_answer(answer, "the deferred issuance")
    return [c.deferred_issuance_follows_protocol(issuance.answer, issuance.deferred, issuance.fmt)]


#: the credential response of an issuance
CREDENTIAL_RESPONSE: dict[str, Callable[[Issuance], list[CheckResult]]] = {
    "VCI-14": lambda i: [c.credential_response_shape(_answered(i.answer, "the credential request"), i.fmt, i.session.mode)],
}

#: the answers of a deferred issuance: the first (202) and the deferred credential endpoint's
DEFERRED: dict[str, Callable[[Issuance], list[CheckResult]]] = {
    "VCI-14": _deferred,
}

#: the credential an issuance delivered, and the key it was requested for
ISSUED: dict[str, Callable[[Issuance], list[CheckResult]]] = {
    "VCI-17": lambda i: [c.di_vp_proof_accepted(_answered(i.answer, "the credential request"), credential_document(i),
                                                *i.bound_key)],
    "VCI-18": lambda i: [c.credential_bound_to_proof_key(credential_document(i), *i.bound_key)],
    "VCI-19": lambda i: [c.jwt_vc_json_uses_vc_claim(i.credential)],
}
