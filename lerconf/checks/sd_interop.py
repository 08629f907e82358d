"""Selective disclosure across vendors (LCS-03): the holder's part of an interop "disclosure" case.

A case chains an issuer's base proof, a holder's disclosure and a verifier's verdict. When the
disclosure another vendor's holder derived is itself broken (a statement it must show missing, one it
was not asked for shown, a derived proof lerconf's engine refuses), a verifier refusing it is right:
the case fails on the holder, named, and the verifier is not asked at all, so a broken holder never
shows as a verifier refusing valid disclosures in the matrices.
"""
from __future__ import annotations

from lerconf.checks.base import Verdict, check, failed, passed
from lerconf.results import Category

__all__ = ["holder_disclosure_verifies"]


@check("LCS-03", Category.PROOF)
def holder_disclosure_verifies(problem: str | None, holder: str) -> Verdict:
    """The disclosure ``holder`` derived (VC API Derive Credential) shows the mandatory and chosen
    statements only and verifies with lerconf's engine (``problem``: why not, None when it does)."""
    if problem:
        return failed(f"the disclosure {holder}'s holder derived is broken ({problem}); the verifier was not asked")
    return passed(f"the disclosure {holder}'s holder derived shows the chosen statements and verifies with lerconf's engine")
