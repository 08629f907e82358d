"""Selective disclosure across vendors (features/interop, LCS-03): one vendor's issuer signs a base
proof (ecdsa-sd-2023 or bbs-2023) with lerconf's mandatory pointers, another vendor's holder
derives a disclosure from it through VC API Derive Credential (lerconf derives when no third
vendor's holder claims the suite), and a third vendor's verifier must accept the disclosure. The
issuer's base proof itself is judged by its own scenarios (EC-03, LBB-01): here a base proof no
holder can derive from makes the case broken, not the verifier's failure. A holder's disclosure is
checked before the verifier sees it (lerconf.checks.sd_interop): a broken one fails the case on the
holder, so the verifier is blamed only for refusing a disclosure that checks out."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lerconf.evidence import Evidence
from lerconf.protocol.vcapi import VerifierAnswer
from lerconf.scenarios.expect import expect_accepted
from lerconf.scenarios.harness import Harness
from lerconf.scenarios.selective_issuer import derived_disclosure, issue_disclosable_badge
from lerconf.scenarios.vcapi import InteropParties, IssuedBadge, interop_verify_credential
from lerconf.verdicts import Broken

__all__ = ["interop_base_proof", "interop_disclose", "interop_verify_disclosed"]


def interop_base_proof(harness: Harness, parties: InteropParties, evidence: Evidence) -> IssuedBadge:
    """The case's issuer signs a badge with a base proof of the case's suite."""
    if parties.issuer is None:
        raise LookupError(f"interop case {parties.case.label} has no issuer")
    suite = parties.case.securing
    badge = issue_disclosable_badge(harness, parties.issuer, evidence, suite)
    expect_accepted(badge.issued.exchange, f"{parties.issuer.name} issuing a badge with a {suite} base proof")
    if not isinstance(badge.issued.credential, Mapping):
        raise Broken(f"prerequisite: {parties.issuer.name} answered its {suite} issue request without a credential")
    return badge


def interop_disclose(harness: Harness, parties: InteropParties, evidence: Evidence, badge: IssuedBadge) -> dict[str, Any]:
    """The case's holder (else lerconf) derives a disclosure of the mandatory statements and the
    subject's id, leaving the rest (the badge's description) out."""
    holder = parties.holder.holder if parties.holder is not None else None
    return derived_disclosure(harness, evidence, badge.issued.credential, parties.case.securing, holder,
                              parties.holder.name if parties.holder is not None else "lerconf", parties.case.issuer)


def interop_verify_disclosed(parties: InteropParties, disclosed: Mapping[str, Any]) -> VerifierAnswer:
    """The case's verifier judges the disclosure."""
    return interop_verify_credential(parties, disclosed)
