"""OB-15: a badge secured both ways — a Data Integrity proof embedded in the credential, and the
credential then wrapped in a VC-JWT. The embedded proof is made first, so it must still verify
inside the JWT. Verification needs only one valid proof (OB-23), so a broken inner proof makes the
badge not conformant, never not verified."""
from __future__ import annotations

from collections.abc import Sequence

from lerconf.checks.base import Verdict, check, failed, passed
from lerconf.results import Category, CheckResult, Severity, Status

__all__ = ["embedded_proof_inside_jwt_verifies"]


@check("OB-15", Category.PROOF)
def embedded_proof_inside_jwt_verifies(proof_results: Sequence[CheckResult]) -> Verdict:
    """The Data Integrity proof inside a VC-JWT badge verifies on the credential the JWT carries."""
    broken = [r for r in proof_results if r.status is Status.FAILED and r.severity is Severity.MUST]
    if broken:
        return failed("the embedded proof of this dual-proof badge does not verify: "
                      + "; ".join(f"{r.requirement}: {r.message}" for r in broken[:3]))
    return passed(f"the embedded Data Integrity proof verifies inside the JWT ({len(proof_results)} result(s))")
