"""What each reference workflow asks a wallet for and what it does with the answer.

Issuing (``issue-badge``): a DIDAuthentication request; the presentation must be signed for
``authentication`` with the exchange's challenge and domain by a key of the holder DID, then an
Open Badge is issued to that DID (with a revocation status entry) and returned in a presentation.
Verifying (``verify-badge``): QueryByExample for an Open Badge plus DIDAuthentication; every
presented credential must verify, status included, and the outcome is recorded on the exchange.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lerconf import entropy
from lerconf.documents.templates import OB_CONTEXT, VC_V2, ob3_achievement_credential
from lerconf.errors import ResolutionError
from lerconf.refimpl.exchanges.store import ExchangeRecord, Rules
from lerconf.refimpl.issuer import issue_credential
from lerconf.refimpl.problems import SECURITY, ProblemError, bad_request
from lerconf.refimpl.state import ReferenceState
from lerconf.refimpl.validation import parse_issue_request
from lerconf.verify.report import VerifyOptions

__all__ = ["ISSUING", "VERIFYING", "WORKFLOWS", "complete_step", "request_for"]

ISSUING = "issue-badge"
VERIFYING = "verify-badge"
#: the checks of "valid now" (VCDM 2.0 §4.9, OB 3.0 verification step 4): a faulty bed switches them off
_VALIDITY_PERIOD = frozenset({"VCDM-34", "OB-27"})
WORKFLOWS = (ISSUING, VERIFYING)
BADGE_TYPES = {"OpenBadgeCredential", "AchievementCredential"}
_DID_AUTH = {"type": "DIDAuthentication", "acceptedMethods": [{"method": "key"}],
             "acceptedCryptosuites": [{"cryptosuite": "eddsa-rdfc-2022"}, {"cryptosuite": "ecdsa-rdfc-2019"}]}


def request_for(record: ExchangeRecord, exchange_url: str, rules: Rules) -> dict[str, Any]:
    """The exchange's verifiablePresentationRequest (VCALM VPR with interact service)."""
    query: list[dict[str, Any]] = [dict(_DID_AUTH)] if rules.require_did_authentication else []
    if record.workflow == VERIFYING:
        query.insert(0, {"type": "QueryByExample", "credentialQuery": [{
            "reason": "lerconf reference verifier: show an Open Badge you hold",
            "example": {"@context": [VC_V2, OB_CONTEXT], "type": ["VerifiableCredential", "OpenBadgeCredential"]}}]})
    return {"query": query, "challenge": record.challenge, "domain": record.domain,
            "interact": {"service": [{"type": "VerifiableCredentialApiExchangeService", "serviceEndpoint": exchange_url}]}}


def _invalid(detail: str, code: str = "INVALID_PRESENTATION") -> ProblemError:
    return ProblemError(400, detail, code=code, type_=SECURITY + code)


def _types(doc: Mapping[str, Any]) -> set[str]:
    value = doc.get("type")
    return {t for t in (value if isinstance(value, list) else [value]) if isinstance(t, str)}


def _holder(vp: Mapping[str, Any]) -> str:
    holder = vp.get("holder")
    value = holder.get("id") if isinstance(holder, Mapping) else holder
    if not isinstance(value, str) or not value.startswith("did:"):
        raise _invalid(f"the presentation's holder {value!r} is not a DID: DIDAuthentication needs one")
    return value


def _proof(vp: Mapping[str, Any]) -> Mapping[str, Any]:
    proof = vp.get("proof")
    proofs = proof if isinstance(proof, list) else [proof]
    if len(proofs) != 1 or not isinstance(proofs[0], Mapping):
        raise _invalid("the presentation must carry exactly one proof (DIDAuthentication)")
    return proofs[0]


def _authenticated(state: ReferenceState, record: ExchangeRecord, vp: Any, rules: Rules) -> str:
    """The DID the presentation authenticates, or a 400 naming what is wrong with it."""
    if not isinstance(vp, Mapping) or "VerifiablePresentation" not in _types(vp):
        raise bad_request("verifiablePresentation must be a VerifiablePresentation object")
    holder = _holder(vp)
    if not rules.require_did_authentication:
        return holder
    proof = _proof(vp)
    if proof.get("proofPurpose") != "authentication":
        raise _invalid(f"proofPurpose is {proof.get('proofPurpose')!r}, not authentication", "PROOF_VERIFICATION_ERROR")
    if rules.check_challenge and proof.get("challenge") != record.challenge:
        raise _invalid("the proof's challenge is not the one this exchange asked for", "INVALID_CHALLENGE_ERROR")
    if rules.check_challenge and proof.get("domain") != record.domain:
        raise _invalid("the proof's domain is not the one this exchange asked for", "INVALID_DOMAIN_ERROR")
    method = proof.get("verificationMethod")
    if not isinstance(method, str) or method.split("#", 1)[0] != holder:
        raise _invalid(f"the proof's key {method!r} is not a key of the holder {holder}", "PROOF_VERIFICATION_ERROR")
    options = VerifyOptions(challenge=proof.get("challenge") if not rules.check_challenge else record.challenge,
                            domain=proof.get("domain") if not rules.check_challenge else record.domain,
                            status_list_minimum=state.status_list_minimum)
    try:
        report = state.verifier.verify_document(dict(vp), "verifiablePresentation", options)
    except ResolutionError as exc:
        raise ProblemError(500, f"the reference cannot load a registered document: {exc}") from None
    failures = [(source, r) for source, r in report.blocking_failures()
                if rules.check_validity_period or r.requirement not in _VALIDITY_PERIOD]
    if failures:
        raise _invalid("the presentation does not verify: " + "; ".join(
            f"{source}: {r.requirement}: {r.message}" for source, r in failures[:5]))
    return holder


def _issue(state: ReferenceState, holder: str, rules: Rules) -> dict[str, Any]:
    credential = ob3_achievement_credential(state.issuer_id, holder, credential_id=f"urn:uuid:{entropy.uuid4()}")
    credential["type"] = ["VerifiableCredential", rules.badge_type]
    options: dict[str, Any] = {"cryptosuite": rules.cryptosuite}
    if rules.with_status:
        options["credentialStatus"] = {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}
    request = parse_issue_request({"credential": credential, "options": options}, state.issuer_id)
    return issue_credential(state, request)


def complete_step(state: ReferenceState, record: ExchangeRecord, vp: Any, rules: Rules) -> dict[str, Any]:
    """Judge the wallet's presentation and answer the exchange's last step (blocking: run in a thread)."""
    holder = _authenticated(state, record, vp, rules)
    if record.workflow == ISSUING:
        subject = holder if rules.bind_to_authenticated_did else "did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH"
        badge = _issue(state, subject, rules)
        record.result = {"issued": badge.get("id"), "holder": holder}
        return {"verifiablePresentation": {"@context": [VC_V2], "type": ["VerifiablePresentation"],
                                           "verifiableCredential": [badge]}}
    credentials = vp.get("verifiableCredential")
    listed = credentials if isinstance(credentials, list) else [] if credentials is None else [credentials]
    badges = [c for c in listed if isinstance(c, Mapping) and _types(c) & BADGE_TYPES]
    if not badges:
        raise _invalid("the presentation holds no Open Badge, which this exchange asked for (QueryByExample)")
    record.result = {"verified": True, "holder": holder, "credentials": [c.get("id") for c in badges]}
    return {}
