"""The lifecycle of a badge disclosed in part (issue 18, LCS-04): issue, disclose, verify, revoke, verify again.

The issuer (the vendor's, else lerconf's reference) signs a revocable badge with a base proof of
ecdsa-sd-2023 or bbs-2023, asked to make its status entry mandatory besides lerconf's usual
mandatory statements: a learner may leave out what is not asked for, never the status entry, or a
revoked badge could be shown as a valid one. The holder (the vendor's when it names a derive_url,
else lerconf) discloses part of it; the verifier (the vendor's, else lerconf's) must accept the
disclosure, and once the issuer revoked the badge refuse the very same disclosure, for its status
(lerconf.checks.sd_lifecycle): the derived proof did not change, only the status list did.

The scenario runs for a suite only when every party the vendor plays claims it
(lerconf.profile.claims); parties lerconf plays claim everything.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lerconf import entropy
from lerconf.checks.sd_lifecycle import disclosure_keeps_the_status_entry, revoked_disclosure_refused_for_its_status
from lerconf.checks.vcapi_answers import verdict_check_for
from lerconf.crypto.di.sd_suites import SD_SUITES, sd_proof_of
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.evidence import Evidence
from lerconf.protocol.vcapi import VerifierAnswer, VerifierVerdict
from lerconf.scenarios.expect import expect_accepted, expect_checks, refusal_reason_findings
from lerconf.scenarios.harness import Harness, VendorUnderTest
from lerconf.scenarios.reach import clear_on_lerconf_lists, verify_reaching
from lerconf.scenarios.selective import MANDATORY, WITHHELD
from lerconf.scenarios.selective_issuer import derived_disclosure
from lerconf.scenarios.vcapi import HOLDER_SUBJECT, IssuedBadge, issuer_id_of
from lerconf.verdicts import Broken

__all__ = ["MANDATORY_WITH_STATUS", "disclose_revocable", "issue_revocable_base_proof", "refused_for_its_status",
           "verify_disclosure"]

#: lerconf's mandatory statements and the status entry the issuer adds: no disclosure may leave it out
MANDATORY_WITH_STATUS = (*MANDATORY, "/credentialStatus")


def issue_revocable_base_proof(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, suite: str) -> IssuedBadge:
    """The issuer signs a fresh badge with a ``revocation`` status entry and a base proof of ``suite``
    whose mandatory pointers include ``/credentialStatus``."""
    issuer_id = issuer_id_of(vendor) if vendor.issuer is not None else harness.reference.issuer_id
    credential = ob3_achievement_credential(issuer_id, HOLDER_SUBJECT, credential_id=f"urn:uuid:{entropy.uuid4()}")
    credential["description"] = WITHHELD  # the part a disclosure leaves out
    options: dict[str, Any] = {"mandatoryPointers": list(MANDATORY_WITH_STATUS),
                               "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}}
    role = vendor.profile.role("issuer") if vendor.issuer is not None else None
    claimed = role.claims.securing if role is not None else ()
    if not claimed or claimed[0] != suite:  # an issuer instance signs with its first claimed method
        options["cryptosuite"] = suite
    issued = harness.role(vendor, "issuer").issue(credential, options)
    evidence.keep("submitted credential (mandatory pointers " + ", ".join(MANDATORY_WITH_STATUS) + ")", credential)
    expect_accepted(issued.exchange, f"the issue request (a revocable badge with a {suite} base proof)")
    signed = issued.credential
    if not isinstance(signed, Mapping):
        raise Broken(f"prerequisite: the issuer answered its {suite} issue request without a credential")
    evidence.keep("issued credential", signed)
    if sd_proof_of(signed, suite) is None:
        raise AssertionError(f"the issuer was asked for a {suite} base proof; the badge it issued carries none")
    if not isinstance(signed.get("credentialStatus"), Mapping | list):
        raise AssertionError("the issuer was asked for a revocation status entry (options.credentialStatus); "
                             "the badge it issued carries none")
    return IssuedBadge(credential, issued, None)


def disclose_revocable(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, badge: IssuedBadge) -> dict[str, Any]:
    """The holder (the vendor's derive_url, else lerconf) discloses the subject's id besides the
    mandatory statements; the disclosure must still carry the status entry."""
    base = dict(badge.issued.credential)
    suite = next(s for s in SD_SUITES if sd_proof_of(base, s) is not None)  # the issue step checked there is one
    holder = vendor.holder if vendor.holder is not None and "derive_url" in vendor.holder.role.urls else None
    by = "the holder" if holder is not None else "lerconf (the vendor's holder names no derive_url)"
    disclosed = derived_disclosure(harness, evidence, base, suite, holder, "the holder", "the issuer")
    expect_checks(evidence, [disclosure_keeps_the_status_entry(disclosed, base, by)])
    return disclosed


def verify_disclosure(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, disclosed: dict[str, Any]) -> VerifierAnswer:
    """The verifier (the vendor's, else lerconf's) judges the disclosure; a status list on lerconf's
    reference is watched on its wire (lerconf.scenarios.reach)."""
    verifier = harness.role(vendor, "verifier")
    return verify_reaching(harness, vendor, evidence, disclosed, lambda: verifier.verify_credential(disclosed),
                           valid=clear_on_lerconf_lists(harness, disclosed))


def refused_for_its_status(evidence: Evidence, answer: VerifierAnswer, requirements: tuple[str, ...]) -> None:
    """LCS-04: refused after the revocation, for the badge's status (a refusal naming only its proof
    fails; one naming nothing adds the SHOULD refusal-reason warning)."""
    if answer.verdict is VerifierVerdict.BROKEN:
        raise Broken(f"the verifier gave no verdict: {answer.reason}")
    results = [verdict_check_for(rid)(answer, VerifierVerdict.REJECTED, None) for rid in requirements]
    if answer.verdict is VerifierVerdict.REJECTED:
        results.append(revoked_disclosure_refused_for_its_status(answer.exchange.status, answer.exchange.json))
        results += refusal_reason_findings(evidence, requirements, answer.exchange.status, answer.exchange.json)
    expect_checks(evidence, results)
