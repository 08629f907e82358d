"""The lifecycle of a badge disclosed in part (LCS-04): after its issuer revokes it, the verifier that
accepted the disclosure must refuse the same disclosure *because it is revoked*.

A disclosure is judged twice, with the same bytes: before and after the issuer sets its revocation
bit. The derived proof did not change, so a refusal that names only the proof (a
PROOF_VERIFICATION_ERROR, a signature that "does not verify") is the wrong reason: the verifier
contradicts its own earlier verdict, or it cannot check the status of a derived credential and
fails it on the proof instead. A refusal that names the status (a set revocation bit, the status
list, BSL's validate algorithm) is the right one. A refusal that says nothing, or something else,
passes this check: the scenario adds the SHOULD-level refusal-reason finding for it, as for every
refusal (lerconf.scenarios.expect.refusal_reason_findings).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from lerconf.checks.base import Verdict, check, failed, passed
from lerconf.checks.refusal_reason import stated_reasons
from lerconf.results import Category

__all__ = ["disclosure_keeps_the_status_entry", "revoked_disclosure_refused_for_its_status"]

#: words of a refusal about the credential's status (BSL §3.2: the validate algorithm's result)
_STATUS_WORDS = re.compile(r"revok|status[ _-]?list|credential[ _-]?status|status[ _-]?purpose|\bstatus (is )?set\b|"
                           r"\bBSL-|\bSTATUS_|validate-algorithm", re.IGNORECASE)
#: words of a refusal about the proof: what the derived proof, unchanged since it was accepted, cannot be
_PROOF_WORDS = re.compile(r"PROOF_VERIFICATION_ERROR|CRYPTOGRAPHIC_SECURITY_ERROR|MALFORMED_PROOF_ERROR|"
                          r"\bproof\b|\bsignature\b|\bcryptosuite\b", re.IGNORECASE)


@check("LCS-04", Category.STATUS)
def disclosure_keeps_the_status_entry(disclosed: Mapping[str, Any], base: Mapping[str, Any], by: str) -> Verdict:
    """The disclosure shows the base-proof badge's status entry, unchanged: the issuer was asked to make
    ``/credentialStatus`` mandatory, and without it a revoked badge could be shown as a valid one."""
    if "credentialStatus" not in disclosed:
        return failed(f"the disclosure {by} derived leaves out the badge's status entry, which the issuer was asked to "
                      "make mandatory (/credentialStatus): a revoked badge could be shown as valid")
    if disclosed["credentialStatus"] != base.get("credentialStatus"):
        return failed(f"the disclosure {by} derived shows another status entry than the badge the issuer signed")
    return passed(f"the disclosure {by} derived keeps the badge's status entry")


@check("LCS-04", Category.STATUS)
def revoked_disclosure_refused_for_its_status(status: int | None, body: Any) -> Verdict:
    """Once its issuer revoked it, the verifier refuses the disclosure it accepted before for the
    badge's status, not its proof (``status``, ``body``: the verifier's refusal)."""
    codes, texts = stated_reasons(body)
    said = "; ".join(dict.fromkeys([*codes, *texts]))[:300]
    if any(_STATUS_WORDS.search(s) for s in (*codes, *texts)):
        return passed(f"the verifier refused the revoked disclosure for its status ({said})")
    if any(_PROOF_WORDS.search(s) for s in (*codes, *texts)):
        return failed(f"the verifier refused the revoked disclosure for its proof, not its status ({said}): the same "
                      "derived proof was accepted before the revocation, so the refusal does not show that the verifier "
                      "checks the status of a badge disclosed in part")
    head = f"HTTP {status}" if status is not None else "no HTTP status"
    return passed(f"the verifier refused the revoked disclosure, naming neither its status nor its proof ({head}"
                  + (f": {said}" if said else ", no reason given") + ")")
