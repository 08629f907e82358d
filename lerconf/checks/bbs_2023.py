"""bbs-2023 rules a verifier applies before the BBS proof (W3C Data Integrity BBS, lerconf's LBB
ids: the shared extract has none): the proof value must be a *derived* proof (LBB-03), with its five
components and indexes that fit the revealed statements (LBB-04), and no optional feature lerconf
does not implement (LBB-05: named, never passed unchecked). The BBS proof itself is DI-15's."""
from __future__ import annotations

from lerconf.checks.base import Verdict, check, failed, passed
from lerconf.results import Category

__all__ = ["base_proof_honours_mandatory_pointers", "base_proof_verifies", "derived_proof_matches_the_statements",
           "derived_proof_value_is_derived", "disclosure_from_base_proof_verifies", "feature_is_supported",
           "holder_discloses_what_was_asked"]


@check("LBB-03", Category.PROOF)
def derived_proof_value_is_derived(problem: str | None) -> Verdict:
    """A verifier takes only a derived proof: ``u``-multibase with header ``d9 5d 03`` (a base proof
    presented directly is refused)."""
    if problem is not None:
        return failed(problem, error="PROOF_VERIFICATION_ERROR")
    return passed("the proof value is a derived bbs-2023 proof (u-multibase, a derived header)")


@check("LBB-05", Category.PROOF)
def feature_is_supported(unsupported: str | None, problem: str = "", feature: str | None = None) -> Verdict:
    """A bbs-2023 proof with an optional feature is verified by that feature's algorithm: lerconf
    verifies anonymous_holder_binding and pseudonym derived proofs (a pseudonym given the verifier's
    id). Anything else (``unsupported``: a feature's base proof, the issuer-known-PID pseudonym, a
    pseudonym without a verifier id) is reported with the feature named, and not verified."""
    if unsupported is not None:
        return failed(problem or f"bbs-2023 feature '{unsupported}' is not supported by lerconf: not verified",
                      error="PROOF_VERIFICATION_ERROR", feature=unsupported, not_supported=True)
    if feature is not None:
        return passed(f"a bbs-2023 derived proof with the {feature} feature, which lerconf verifies", feature=feature)
    return passed("a baseline bbs-2023 proof (no optional feature)")


@check("LBB-04", Category.PROOF)
def derived_proof_matches_the_statements(problem: str | None) -> Verdict:
    """A derived proof has its five components, a label map for every blank node, and indexes that
    fit the revealed statements."""
    if problem is not None:
        return failed(problem, error="PROOF_VERIFICATION_ERROR")
    return passed("five components; label map and indexes fit the revealed statements")


@check("LBB-01", Category.PROOF)
def base_proof_verifies(valid: bool, message: str) -> Verdict:
    """An issuer's base proof (header ``d9 5d 02``) checks out as its holder would check it before
    deriving: the BBS header binds the proof configuration and the mandatory statements, the BBS
    signature verifies over the others (lerconf.crypto.di.bbs_2023.verify_base)."""
    return passed(message) if valid else failed(message, error="PROOF_VERIFICATION_ERROR")


@check("LBB-01", Category.PROOF)
def base_proof_honours_mandatory_pointers(problem: str | None, pointers: str) -> Verdict:
    """The base proof names the mandatory pointers the issuer was asked for, and its BBS header and
    signature split the statements exactly as they select: mandatory pointers honoured."""
    if problem is not None:
        return failed(problem, error="PROOF_VERIFICATION_ERROR")
    return passed(f"the base proof makes mandatory exactly the statements {pointers} select")


@check("LBB-06", Category.PROOF)
def disclosure_from_base_proof_verifies(problem: str | None, summary: str) -> Verdict:
    """A disclosure derived from the issuer's bbs-2023 base proof shows the mandatory and chosen
    statements only, carries a derived proof and verifies."""
    if problem is not None:
        return failed(problem, error="PROOF_VERIFICATION_ERROR")
    return passed(summary)


@check("LBB-02", Category.PROOF)
def holder_discloses_what_was_asked(problem: str | None, summary: str) -> Verdict:
    """A holder's derived credential carries a derived bbs-2023 proof (header ``d9 5d 03``), shows the
    mandatory statements and the requested ones, leaves out the rest, and verifies."""
    if problem is not None:
        return failed(problem, error="PROOF_VERIFICATION_ERROR")
    return passed(summary)
