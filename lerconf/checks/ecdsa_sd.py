"""ecdsa-sd-2023 rules a verifier applies before the signatures (W3C Data Integrity ECDSA §3.6):
the proof value must be a *derived* proof (EC-05), with the five components and one signature per
disclosed non-mandatory statement (EC-06). The signatures themselves are DI-15's."""
from __future__ import annotations

from lerconf.checks.base import Verdict, check, failed, passed
from lerconf.results import Category

__all__ = ["base_proof_honours_mandatory_pointers", "base_proof_verifies", "derived_proof_matches_the_statements",
           "derived_proof_value_is_derived", "disclosure_from_base_proof_verifies",
           "holder_discloses_what_was_asked"]


@check("EC-05", Category.PROOF)
def derived_proof_value_is_derived(problem: str | None) -> Verdict:
    """A verifier takes only a derived proof: ``u``-multibase with header ``d9 5d 01`` (a base proof
    presented directly is refused)."""
    if problem is not None:
        return failed(problem, error="PROOF_VERIFICATION_ERROR")
    return passed("the proof value is a derived ecdsa-sd-2023 proof (u-multibase, header d95d01)")


@check("EC-06", Category.PROOF)
def derived_proof_matches_the_statements(problem: str | None) -> Verdict:
    """A derived proof has its five components, and as many signatures as non-mandatory statements."""
    if problem is not None:
        return failed(problem, error="PROOF_VERIFICATION_ERROR")
    return passed("five components, one signature per disclosed non-mandatory statement")


@check("EC-03", Category.PROOF)
def base_proof_verifies(valid: bool, message: str) -> Verdict:
    """An issuer's base proof (header ``d9 5d 00``) checks out as its holder would check it before
    deriving: every statement signature in order, the base signature over the mandatory statements,
    the mandatory pointers found (lerconf.crypto.di.ecdsa_sd.verify_base)."""
    return passed(message) if valid else failed(message, error="PROOF_VERIFICATION_ERROR")


@check("EC-03", Category.PROOF)
def base_proof_honours_mandatory_pointers(problem: str | None, pointers: str) -> Verdict:
    """The base proof names the mandatory pointers the issuer was asked for, and its base signature
    covers exactly the statements they select (every other one signed alone): mandatory pointers
    honoured. ``problem`` says where it differs."""
    if problem is not None:
        return failed(problem, error="PROOF_VERIFICATION_ERROR")
    return passed(f"the base proof makes mandatory exactly the statements {pointers} select")


@check("LCS-02", Category.PROOF)
def disclosure_from_base_proof_verifies(problem: str | None, summary: str) -> Verdict:
    """A disclosure derived from the issuer's base proof shows the mandatory and chosen statements
    only, carries a derived proof and verifies."""
    if problem is not None:
        return failed(problem, error="PROOF_VERIFICATION_ERROR")
    return passed(summary)


@check("EC-04", Category.PROOF)
def holder_discloses_what_was_asked(problem: str | None, summary: str) -> Verdict:
    """A holder's derived credential carries a derived proof (header ``d9 5d 01``), shows the mandatory
    statements and the requested ones, leaves out the rest, and verifies."""
    if problem is not None:
        return failed(problem, error="PROOF_VERIFICATION_ERROR")
    return passed(summary)
