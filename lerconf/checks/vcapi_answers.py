"""What VC API vendors must answer about documents lerconf made: a verifier's verdict on a valid
or a defective credential or presentation, an issuer's refusal of a malformed issue request.

The engine's checks judge documents; these judge the vendor's answer about one. One check per
requirement a vendor is judged on this way, so each requirement is one grep away and its result
(with the spec link) reaches the evidence. A call with no usable answer never reaches them: the
scenario is broken before (lerconf.scenarios.expect). ``expected`` is what the scenario's
document calls for: a valid one must be accepted, a defective one rejected.
"""
from __future__ import annotations

import json
from collections.abc import Callable

from lerconf.checks.base import Verdict, check, failed, passed
from lerconf.exchange import Exchange
from lerconf.outcome import Outcome
from lerconf.protocol.vcapi import VerifierAnswer, VerifierVerdict
from lerconf.results import Category, CheckResult

__all__ = ["REFUSAL_CHECKS", "REJECTION_ERRORS", "VERDICT_CHECKS", "refusal_check_for", "verdict_check_for",
           "verifier_flags_another_learners_badge"]

#: (answer, expected verdict, the defect lerconf injected or None) -> result
VerdictCheck = Callable[[VerifierAnswer, VerifierVerdict, str | None], CheckResult]
#: (answer, the defect lerconf injected or None) -> result
RefusalCheck = Callable[[Exchange, str | None], CheckResult]
#: requirement id -> the check judging a verifier's verdict for it
VERDICT_CHECKS: dict[str, VerdictCheck] = {}
#: requirement id -> the check judging an issuer's answer to a malformed issue request
REFUSAL_CHECKS: dict[str, RefusalCheck] = {}
#: requirement id -> the error types a verifier's rejection should carry when the defective document
#: is not a mutated credential (those carry their own, lerconf.negatives.mutators): Data Integrity
#: §4.5 (verify proof: INVALID_CHALLENGE_ERROR, INVALID_DOMAIN_ERROR, PROOF_VERIFICATION_ERROR) and
#: VCDM 2.0 §7.1 (CRYPTOGRAPHIC_SECURITY_ERROR)
REJECTION_ERRORS: dict[str, frozenset[str]] = {
    "DI-14": frozenset({"INVALID_CHALLENGE_ERROR"}),
    "DI-13": frozenset({"INVALID_DOMAIN_ERROR"}),
    "DIVP-03": frozenset({"PROOF_VERIFICATION_ERROR", "CRYPTOGRAPHIC_SECURITY_ERROR"}),
    "VCDM-38": frozenset({"PROOF_VERIFICATION_ERROR", "CRYPTOGRAPHIC_SECURITY_ERROR"}),
    "EC-05": frozenset({"PROOF_VERIFICATION_ERROR"}),
    "EC-06": frozenset({"PROOF_VERIFICATION_ERROR"}),
    "LBB-03": frozenset({"PROOF_VERIFICATION_ERROR"}),
    "LBB-04": frozenset({"PROOF_VERIFICATION_ERROR"}),
}


def verdict_check_for(requirement: str) -> VerdictCheck:
    """The verdict check of ``requirement`` (KeyError names the id when there is none)."""
    if requirement not in VERDICT_CHECKS:
        raise KeyError(f"no verifier-verdict check is registered for {requirement}")
    return VERDICT_CHECKS[requirement]


def refusal_check_for(requirement: str) -> RefusalCheck:
    """The issuer-refusal check of ``requirement`` (KeyError names the id when there is none)."""
    if requirement not in REFUSAL_CHECKS:
        raise KeyError(f"no issuer-refusal check is registered for {requirement}")
    return REFUSAL_CHECKS[requirement]


def _verdict_check(requirement: str) -> Callable[[Callable[[VerifierAnswer, VerifierVerdict, str | None], Verdict]], VerdictCheck]:
    def register(func: Callable[[VerifierAnswer, VerifierVerdict, str | None], Verdict]) -> VerdictCheck:
        registered: VerdictCheck = check(requirement, Category.PROTOCOL)(func)
        VERDICT_CHECKS[requirement] = registered
        return registered
    return register


def _refusal_check(requirement: str) -> Callable[[Callable[[Exchange, str | None], Verdict]], RefusalCheck]:
    def register(func: Callable[[Exchange, str | None], Verdict]) -> RefusalCheck:
        registered: RefusalCheck = check(requirement, Category.PROTOCOL)(func)
        REFUSAL_CHECKS[requirement] = registered
        return registered
    return register


def _answered(answer: VerifierAnswer, expected: VerifierVerdict, what: str, defect: str | None = None) -> Verdict:
    """The verifier's verdict about ``what`` is the expected one; a contradictory answer fails. A
    defective document accepted fails naming the defect lerconf injected (``defect``, concretely)."""
    if answer.verdict is expected:
        return passed(f"the verifier {expected.value} {what} ({answer.reason})")
    if answer.verdict is VerifierVerdict.INCONSISTENT:
        return failed(f"contradictory answer about {what}: {answer.reason}")
    if defect and answer.verdict is VerifierVerdict.ACCEPTED and expected is VerifierVerdict.REJECTED:
        return failed(f"{defect}; the verifier accepted it, expected rejected ({answer.reason}): {what} must be rejected")
    return failed(f"{what}: the verifier {answer.verdict.value} it, expected {expected.value} ({answer.reason})")


def _refused(exchange: Exchange, what: str, defect: str | None = None) -> Verdict:
    """The issuer refused to issue ``what`` with 400/422 (a signed credential is the failure, named
    by the defect lerconf injected, ``defect``, concretely)."""
    if exchange.outcome in (Outcome.REJECTED, Outcome.AUTH_ERROR):  # an auth refusal is one: its reason is judged apart
        return passed(f"the issuer refused {what} ({exchange.reason})")
    if defect and exchange.outcome is Outcome.ACCEPTED:
        return failed(f"{defect}; the issuer accepted it with {exchange.status}: it must be rejected with 400/422")
    return failed(f"the issuer answered {exchange.outcome.value} to {what} ({exchange.reason}); "
                  "it must be rejected with 400/422")


# -- verifiers: valid documents are accepted ---------------------------------------------------------
@_verdict_check("API-11")
def verifier_service_verifies_a_valid_badge(answer: VerifierAnswer, expected: VerifierVerdict, defect: str | None = None) -> Verdict:
    """Verifier service verifies a valid badge (VCALM /credentials/verify)."""
    return _answered(answer, expected, "a valid badge", defect)


@_verdict_check("API-14")
def verifier_service_verifies_a_presentation(answer: VerifierAnswer, expected: VerifierVerdict, defect: str | None = None) -> Verdict:
    """Verifier service verifies a presentation and its credentials (VCALM /presentations/verify)."""
    return _answered(answer, expected, "a valid presentation of a valid badge", defect)


# -- verifiers: proofs ------------------------------------------------------------------------------
@_verdict_check("DI-15")
def verifier_detects_a_tampered_badge(answer: VerifierAnswer, expected: VerifierVerdict, defect: str | None = None) -> Verdict:
    """Verifier detects a tampered achievement name: any change to a signed value makes verification fail."""
    return _answered(answer, expected, "a badge changed after signing", defect)


# -- verifiers: selective disclosure (ecdsa-sd-2023) ----------------------------------------------------
@_verdict_check("LCS-01")
def verifier_accepts_a_badge_disclosed_in_part(answer: VerifierAnswer, expected: VerifierVerdict,
                                               defect: str | None = None) -> Verdict:
    """A verifier that claims ecdsa-sd-2023 accepts a valid derived credential (ECDSA §3.6.2)."""
    return _answered(answer, expected, "a valid badge disclosed in part (ecdsa-sd-2023 derived proof)", defect)


@_verdict_check("EC-05")
def verifier_refuses_a_base_proof(answer: VerifierAnswer, expected: VerifierVerdict, defect: str | None = None) -> Verdict:
    """A verifier takes only derived ecdsa-sd-2023 proofs: a base proof presented as it is is refused."""
    return _answered(answer, expected, "a badge carrying the issuer's ecdsa-sd-2023 base proof", defect)


@_verdict_check("EC-06")
def verifier_refuses_a_disclosure_that_does_not_match(answer: VerifierAnswer, expected: VerifierVerdict,
                                                      defect: str | None = None) -> Verdict:
    """A derived proof whose statements do not match its signatures (a statement added or dropped) is refused."""
    return _answered(answer, expected, "a badge disclosed in part whose statements do not match its proof", defect)


# -- verifiers: selective disclosure (bbs-2023) ----------------------------------------------------------
@_verdict_check("LBB-07")
def verifier_accepts_a_badge_disclosed_in_part_with_bbs(answer: VerifierAnswer, expected: VerifierVerdict,
                                                        defect: str | None = None) -> Verdict:
    """A verifier that claims bbs-2023 accepts a valid derived credential (W3C Data Integrity BBS)."""
    return _answered(answer, expected, "a valid badge disclosed in part (bbs-2023 derived proof)", defect)


@_verdict_check("LBB-03")
def verifier_refuses_a_bbs_base_proof(answer: VerifierAnswer, expected: VerifierVerdict, defect: str | None = None) -> Verdict:
    """A verifier takes only derived bbs-2023 proofs: a base proof presented as it is is refused."""
    return _answered(answer, expected, "a badge carrying the issuer's bbs-2023 base proof", defect)


@_verdict_check("LBB-04")
def verifier_refuses_a_bbs_disclosure_that_does_not_match(answer: VerifierAnswer, expected: VerifierVerdict,
                                                          defect: str | None = None) -> Verdict:
    """A bbs-2023 derived proof whose revealed statements do not match it (a statement added) is refused."""
    return _answered(answer, expected, "a badge disclosed in part with BBS whose statements do not match its proof", defect)


@_verdict_check("VCDM-27")
def verifier_rejects_a_credential_without_its_proof(answer: VerifierAnswer, expected: VerifierVerdict,
        defect: str | None = None) -> Verdict:
    """Verifier rejects a credential whose proof no longer matches its content (here: removed)."""
    return _answered(answer, expected, "a badge whose proof was removed", defect)


@_verdict_check("DI-19")
def verifier_rejects_a_key_not_authorized_for_assertions(answer: VerifierAnswer, expected: VerifierVerdict,
        defect: str | None = None) -> Verdict:
    """Verifier rejects a credential signed with a key not authorized for assertions."""
    return _answered(answer, expected, "a badge signed with a key that is no assertionMethod", defect)


@_verdict_check("CID-01")
def verifier_rejects_a_key_of_another_controller(answer: VerifierAnswer, expected: VerifierVerdict, defect: str | None = None) -> Verdict:
    """Verifier rejects a verification method whose controller does not match (the badge's issuer)."""
    return _answered(answer, expected, "a badge signed by someone other than its issuer", defect)


@_verdict_check("DI-12")
def verifier_rejects_the_wrong_proof_purpose(answer: VerifierAnswer, expected: VerifierVerdict, defect: str | None = None) -> Verdict:
    """Verifier rejects a credential proof with the wrong purpose."""
    return _answered(answer, expected, "a credential proof with a purpose other than assertionMethod", defect)


@_verdict_check("ED-09")
def verifier_rejects_an_unknown_cryptosuite(answer: VerifierAnswer, expected: VerifierVerdict, defect: str | None = None) -> Verdict:
    """Verifier rejects a proof claiming an unknown EdDSA cryptosuite."""
    return _answered(answer, expected, "a proof naming a cryptosuite that does not exist", defect)


# -- verifiers: what Open Badges and CLR add (lerconf.scenarios.ob_verifier, ob_refresh) ----------------
@_verdict_check("OB-25")
def verifier_judges_a_refreshable_badge_by_its_own_proof(answer: VerifierAnswer, expected: VerifierVerdict,
                                                         defect: str | None = None) -> Verdict:
    """A badge naming a 1EdTech refresh service is judged like any badge: accepted when valid, refused when its
    proof does not verify, whatever its refresh service would hand out (OB 3.0 verification step 3)."""
    what = "a badge with a 1EdTech refresh service" + (", whose proof no longer covers it"
                                                       if expected is VerifierVerdict.REJECTED else "")
    return _answered(answer, expected, what, defect)


# -- verifiers: what Open Badges and CLR add (lerconf.scenarios.ob_verifier) ----------------------------
@_verdict_check("OB-26")
def verifier_reports_a_badge_revoked_on_a_1edtech_list(answer: VerifierAnswer, expected: VerifierVerdict,
                                                      defect: str | None = None) -> Verdict:
    """A badge whose id its issuer's 1EdTech Revocation List names is revoked (OB 3.0 verification step 4)."""
    what = "a badge on its issuer's 1EdTech revocation list" + (", listed as revoked" if
                                                                  expected is VerifierVerdict.REJECTED else ", not listed")
    return _answered(answer, expected, what, defect)


@_verdict_check("OB-29")
def verifier_verifies_a_badges_endorsements(answer: VerifierAnswer, expected: VerifierVerdict,
                                            defect: str | None = None) -> Verdict:
    """Every endorsement a badge carries is verified as an EndorsementCredential (OB 3.0 verification step 6)."""
    what = "a badge carrying " + ("a tampered or forged endorsement" if expected is VerifierVerdict.REJECTED
                                  else "a valid endorsement")
    return _answered(answer, expected, what, defect)


@_verdict_check("CLR-09")
def verifier_verifies_a_clrs_endorsements(answer: VerifierAnswer, expected: VerifierVerdict,
                                          defect: str | None = None) -> Verdict:
    """Every endorsement anywhere in a CLR is verified as an EndorsementCredential (CLR 2.0 verification)."""
    what = "a CLR carrying " + ("a tampered or forged endorsement" if expected is VerifierVerdict.REJECTED
                                else "a valid endorsement")
    return _answered(answer, expected, what, defect)


@_verdict_check("CLR-07")
def verifier_verifies_a_clr(answer: VerifierAnswer, expected: VerifierVerdict, defect: str | None = None) -> Verdict:
    """A ClrCredential is verified by the OB-style steps: its own proof, its validity period (CLR 2.0
    "CLR Verification")."""
    what = "a CLR " + (defect or "with a defect") if expected is VerifierVerdict.REJECTED else "a valid CLR"
    return _answered(answer, expected, what, defect)


#: words a verifier's warning about whom a CLR's badge is for uses (or CLR-10 itself); not "subject": a warning
#: about some credentialSubject field says nothing about whose badge it is
LEARNER_WORDS = ("clr-10", "learner", "recipient", "another person", "not the same person")


@check("CLR-10", Category.PROTOCOL)
def verifier_flags_another_learners_badge(answer: VerifierAnswer) -> Verdict:
    """A CLR bundling a badge of another learner is flagged: refused, or accepted with a warning about
    whom it is for (a harness heuristic, SHOULD: CLR 2.0 bundles one learner's achievements)."""
    if answer.verdict is VerifierVerdict.REJECTED:
        return passed(f"the verifier refused the CLR bundling another learner's badge ({answer.reason})")
    body = answer.exchange.json if isinstance(answer.exchange.json, dict) else {}
    found = [body.get(key) for key in ("warnings", "problemDetails")]
    warned = [w for items in found if isinstance(items, list) for w in items
              if any(word in json.dumps(w).lower() for word in LEARNER_WORDS)]
    if answer.verdict is VerifierVerdict.ACCEPTED and warned:
        return passed(f"the verifier accepted the CLR with {len(warned)} warning(s) about its learner: "
                      f"{json.dumps(warned[0])[:200]}")
    return failed(f"the verifier {answer.verdict.value} the CLR bundling another learner's badge without a warning "
                  f"about whom it is for ({answer.reason})")


@_verdict_check("LCS-03")
def verifier_accepts_another_vendors_disclosure(answer: VerifierAnswer, expected: VerifierVerdict,
                                                defect: str | None = None) -> Verdict:
    """A disclosure derived (by a holder, or lerconf) from another vendor's selective-disclosure base
    proof is accepted (interop: ECDSA §3.6.2 / BBS §3.3 verify derived proof)."""
    return _answered(answer, expected, "a badge another vendor issued with a base proof, disclosed in part", defect)


@_verdict_check("LCS-04")
def verifier_follows_the_status_of_a_disclosure(answer: VerifierAnswer, expected: VerifierVerdict,
                                                defect: str | None = None) -> Verdict:
    """A badge disclosed in part, with its issuer's status entry among the mandatory statements, is
    accepted while its revocation bit is clear and refused once its issuer revoked it (the SD lifecycle)."""
    what = "the disclosure before its issuer revoked the badge" if expected is VerifierVerdict.ACCEPTED else \
        "the disclosure after its issuer revoked the badge"
    return _answered(answer, expected, what, defect)


# -- verifiers: data model -------------------------------------------------------------------------
@_verdict_check("VCDM-34")
def verifier_flags_expired_and_not_yet_valid(answer: VerifierAnswer, expected: VerifierVerdict, defect: str | None = None) -> Verdict:
    """Verifier flags expired and not-yet-valid credentials."""
    return _answered(answer, expected, "a badge outside its validity period", defect)


@_verdict_check("VCDM-29")
def verifier_rejects_a_missing_v2_base_context(answer: VerifierAnswer, expected: VerifierVerdict, defect: str | None = None) -> Verdict:
    """Verifier rejects a credential without the v2 base context (first)."""
    return _answered(answer, expected, "a badge without the VC base context first", defect)


@_verdict_check("VCDM-D1")
def verifier_rejects_mixed_base_contexts(answer: VerifierAnswer, expected: VerifierVerdict, defect: str | None = None) -> Verdict:
    """Verifier rejects a credential that mixes the VC 1.1 and 2.0 base contexts."""
    return _answered(answer, expected, "a badge mixing the v1 and v2 base contexts", defect)


@_verdict_check("VCDM-30")
def verifier_rejects_a_missing_verifiable_credential_type(answer: VerifierAnswer, expected: VerifierVerdict,
        defect: str | None = None) -> Verdict:
    """Verifier rejects credentials without VerifiableCredential type."""
    return _answered(answer, expected, "a badge not typed VerifiableCredential", defect)


@_verdict_check("VCDM-31")
def verifier_rejects_a_malformed_issuer(answer: VerifierAnswer, expected: VerifierVerdict, defect: str | None = None) -> Verdict:
    """Verifier rejects credentials with malformed issuer."""
    return _answered(answer, expected, "a badge whose issuer is not a URL or an object with a URL id", defect)


# -- verifiers: status -----------------------------------------------------------------------------
@_verdict_check("BSL-18")
def verifier_follows_the_status_bit(answer: VerifierAnswer, expected: VerifierVerdict, defect: str | None = None) -> Verdict:
    """Verifier reports a suspended (or revoked) credential, and accepts it while its status bit is clear."""
    what = "a badge whose status bit is clear" if expected is VerifierVerdict.ACCEPTED else "a badge whose status bit is set"
    return _answered(answer, expected, what, defect)


@_verdict_check("BSL-13")
def verifier_reports_an_unreachable_status_list(answer: VerifierAnswer, expected: VerifierVerdict, defect: str | None = None) -> Verdict:
    """Verifier reports an unreachable status list (it fails closed)."""
    return _answered(answer, expected, "a badge whose status list cannot be fetched", defect)


@_verdict_check("BSL-10")
def verifier_rejects_a_revoked_badge(answer: VerifierAnswer, expected: VerifierVerdict, defect: str | None = None) -> Verdict:
    """A revoked credential's bit is set in the republished list: the verifier that accepted it before rejects it."""
    what = "the badge before revocation" if expected is VerifierVerdict.ACCEPTED else "the badge after its issuer revoked it"
    return _answered(answer, expected, what, defect)


# -- verifiers: presentations ----------------------------------------------------------------------
@_verdict_check("DI-14")
def verifier_rejects_a_stale_challenge(answer: VerifierAnswer, expected: VerifierVerdict, defect: str | None = None) -> Verdict:
    """Verifier rejects a presentation proof with a stale challenge."""
    return _answered(answer, expected, "a presentation signed for another challenge", defect)


@_verdict_check("DI-13")
def verifier_rejects_another_domain(answer: VerifierAnswer, expected: VerifierVerdict, defect: str | None = None) -> Verdict:
    """Verifier rejects a presentation proof for another domain."""
    return _answered(answer, expected, "a presentation signed for another domain", defect)


@_verdict_check("DIVP-03")
def verifier_rejects_a_presentation_altered_after_signing(answer: VerifierAnswer, expected: VerifierVerdict,
        defect: str | None = None) -> Verdict:
    """Verifier rejects a presentation signed by someone other than the holder (altered after signing)."""
    return _answered(answer, expected, "a presentation whose holder was changed after signing", defect)


@_verdict_check("VCDM-38")
def verifier_rejects_a_presentation_carrying_a_bad_credential(answer: VerifierAnswer, expected: VerifierVerdict,
        defect: str | None = None) -> Verdict:
    """Verifier rejects presentations carrying unsecured (here: tampered) credentials."""
    return _answered(answer, expected, "a validly signed presentation carrying a tampered badge", defect)


# -- issuers: malformed issue requests are refused ----------------------------------------------------
@_refusal_check("VCDM-01")
def issuer_refuses_a_missing_base_context(exchange: Exchange, defect: str | None = None) -> Verdict:
    """Issued credentials start their @context with the VC v2 base context: an issuer refuses a request that does not."""
    return _refused(exchange, "a credential without the VC base context first", defect)


@_refusal_check("VCDM-D1")
def issuer_refuses_mixed_base_contexts(exchange: Exchange, defect: str | None = None) -> Verdict:
    """An issuer refuses a credential that mixes the VC 1.1 and 2.0 base contexts."""
    return _refused(exchange, "a credential mixing the v1 and v2 base contexts", defect)


@_refusal_check("VCDM-03")
def issuer_refuses_a_missing_verifiable_credential_type(exchange: Exchange, defect: str | None = None) -> Verdict:
    """Issued credentials declare VerifiableCredential plus a specific type: an issuer refuses a request that does not."""
    return _refused(exchange, "a credential not typed VerifiableCredential", defect)


@_refusal_check("VCDM-06")
def issuer_refuses_a_malformed_issuer(exchange: Exchange, defect: str | None = None) -> Verdict:
    """The issuer is a URL or an object with a URL id: an issuer refuses a request where it is not."""
    return _refused(exchange, "a credential with a malformed issuer", defect)


@_refusal_check("VCDM-07")
def issuer_refuses_a_subject_that_is_no_object(exchange: Exchange, defect: str | None = None) -> Verdict:
    """The credential subject is an object carrying claims: an issuer refuses a request where it is not."""
    return _refused(exchange, "a credential whose subject is not an object", defect)


@_refusal_check("VCDM-08")
def issuer_refuses_dates_without_time_zone(exchange: Exchange, defect: str | None = None) -> Verdict:
    """Validity dates are dateTimeStamp values with a time zone: an issuer refuses a request where they are not."""
    return _refused(exchange, "a credential whose validFrom has no time zone", defect)


@_refusal_check("VCDM-09")
def issuer_refuses_to_expire_before_valid(exchange: Exchange, defect: str | None = None) -> Verdict:
    """Issuer refuses to issue a credential that expires before it becomes valid."""
    return _refused(exchange, "a credential whose validUntil is before its validFrom", defect)


@_refusal_check("DI-06")
def issuer_refuses_undefined_terms(exchange: Exchange, defect: str | None = None) -> Verdict:
    """Issuer refuses to sign a credential containing undefined terms."""
    return _refused(exchange, "a credential with a claim no context defines", defect)
