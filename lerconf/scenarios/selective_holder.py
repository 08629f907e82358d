"""Selective disclosure by a vendor's holder service (issue 18, EC-04 / LBB-02, VC API Derive Credential):
lerconf hands the holder a badge with its own ecdsa-sd-2023 or bbs-2023 base proof and asks it to
disclose one non-mandatory field; the derived badge must carry a derived proof, show the mandatory
statements and that field, leave out the field not asked for (the description), and verify in
lerconf's engine."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from lerconf.checks import bbs_2023 as bbs
from lerconf.checks import ecdsa_sd as sd
from lerconf.crypto.di.sd_primitives import SdProofError, pointer_resolves
from lerconf.crypto.di.sd_suites import sd_proof_of, selective_suite
from lerconf.evidence import Evidence
from lerconf.protocol.vcapi import Issued
from lerconf.results import CheckResult
from lerconf.scenarios.expect import expect_accepted, expect_checks
from lerconf.scenarios.harness import Harness, VendorUnderTest
from lerconf.scenarios.selective import MANDATORY, SUITE, WITHHELD, base_proof_badge
from lerconf.scenarios.vcapi import verify
from lerconf.verdicts import NotClaimed

__all__ = ["ASKED", "HOLDER_MANDATORY", "ask_holder_to_disclose", "holder_disclosed_what_was_asked"]

#: what the holder is asked to show besides the mandatory statements
ASKED = ("/name",)
#: the issuer's mandatory pointers for this badge: lerconf's, less the field the holder is asked for
HOLDER_MANDATORY = tuple(p for p in MANDATORY if p not in ASKED)
#: the suite's holder check: EC-04 (ecdsa-sd-2023), LBB-02 (bbs-2023)
_HOLDER_CHECK: dict[str, Callable[[str | None, str], CheckResult]] = {
    "ecdsa-sd-2023": sd.holder_discloses_what_was_asked, "bbs-2023": bbs.holder_discloses_what_was_asked}


def ask_holder_to_disclose(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, suite: str = SUITE) -> Issued:
    """POST derive_url with lerconf's base-proof badge and ``selectivePointers`` = ASKED."""
    holder = vendor.holder
    if holder is None or "derive_url" not in holder.role.urls:
        raise NotClaimed(f"{vendor.name}'s holder names no derive_url (VC API Derive Credential)")
    base = base_proof_badge(harness, HOLDER_MANDATORY, suite)
    evidence.keep(f"badge with lerconf's {suite} base proof (mandatory {', '.join(HOLDER_MANDATORY)})", base)
    derived = holder.derive(base, list(ASKED))
    if isinstance(derived.credential, dict):
        evidence.keep("credential the holder derived", derived.credential)
    return derived


def holder_disclosed_what_was_asked(harness: Harness, evidence: Evidence, derived: Issued, suite: str = SUITE) -> None:
    """EC-04 / LBB-02: a derived proof; the mandatory and asked statements shown, the rest left out; it verifies."""
    expect_accepted(derived.exchange, "the derive request")
    expect_checks(evidence, [_HOLDER_CHECK[suite](
        _problem(harness, derived.credential, suite),
        f"a derived proof shows the mandatory statements and {', '.join(ASKED)}, leaves out the description, "
        "and verifies")])


def _problem(harness: Harness, credential: Any, suite: str) -> str | None:
    if not isinstance(credential, Mapping):
        return "the holder returned no credential object"
    proof = sd_proof_of(credential, suite)
    if proof is None:
        return f"the derived credential carries no {suite} proof"
    try:
        selective_suite(suite).check_derived(proof.get("proofValue"))
    except SdProofError as exc:
        return f"the derived credential's proof is not a derived proof: {exc}"
    missing = [p for p in (*HOLDER_MANDATORY, *ASKED) if not pointer_resolves(credential, p)]
    if missing:
        return f"the derived credential does not show {', '.join(missing)} (mandatory or asked for)"
    if WITHHELD in str(credential):
        return "the derived credential shows the description, which was neither mandatory nor asked for"
    report = verify(harness, dict(credential), "credential derived by the holder")
    if not report.verified:
        return "lerconf's verifier refuses the derived credential: " + "; ".join(map(str, report.to_json().get("errors", [])[:3]))
    return None
