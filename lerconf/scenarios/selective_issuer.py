"""Badges a learner can disclose in part, from a vendor's issuer (issue 18). lerconf asks the issuer for
an OB 3.0 badge secured with an ecdsa-sd-2023 or bbs-2023 base proof, naming the statements every
disclosure must show (VC API ``options.mandatoryPointers``); it checks the base proof as the badge's
holder would before deriving from it (EC-03 / LBB-01: header, signatures, the mandatory group is the
one asked for), then derives a disclosure itself and has its own engine judge it (LCS-02 / LBB-06).

The derivation needs a base proof that checks out: when the base-proof scenarios fail, the derivation's
scenario is broken (its prerequisite is missing), so a defective base proof is blamed once."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lerconf import entropy
from lerconf.checks import bbs_2023 as bbs
from lerconf.checks import ecdsa_sd as sd
from lerconf.checks.sd_interop import holder_disclosure_verifies
from lerconf.crypto.di.ecdsa_sd import SdProofError, parse_base_proof, pointer_resolves, selected, verify_base
from lerconf.crypto.di.ecdsa_sd_derive import group_statements
from lerconf.crypto.di.sd_suites import sd_proof_of, selective_suite
from lerconf.crypto.did import VerificationMethodError
from lerconf.documents.jsonld import JsonLdError
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.errors import ResolutionError
from lerconf.evidence import Evidence
from lerconf.results import CheckResult, Status
from lerconf.scenarios.expect import expect_accepted, expect_checkable, expect_checks
from lerconf.scenarios.harness import Harness, VendorUnderTest
from lerconf.scenarios.selective import MANDATORY, SELECTIVE, SUITE, WITHHELD
from lerconf.scenarios.vcapi import HOLDER_SUBJECT, IssuedBadge, issuer_id_of, verify
from lerconf.verdicts import Broken, CannotJudge

__all__ = ["base_proof_checks_out", "derived_disclosure", "disclosure_problem", "disclosure_verifies", "issue_disclosable_badge",
           "mandatory_pointers_honoured"]


def issue_disclosable_badge(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, suite: str = SUITE) -> IssuedBadge:
    """Ask the issuer for a badge with a base proof of ``suite`` and lerconf's mandatory pointers (cached)."""
    key = (vendor.name, "2.0", suite, "base proof")
    cached = harness.memo.issued.get(key)
    if cached is None:
        issuer_id = issuer_id_of(vendor) if vendor.issuer is not None else harness.reference.issuer_id
        credential = ob3_achievement_credential(issuer_id, HOLDER_SUBJECT, credential_id=f"urn:uuid:{entropy.uuid4()}")
        credential["description"] = WITHHELD  # the part a disclosure may leave out
        role = vendor.profile.role("issuer") if vendor.issuer is not None else None
        claimed = role.claims.securing if role is not None else ()
        options: dict[str, Any] = {"mandatoryPointers": list(MANDATORY)}
        if not claimed or claimed[0] != suite:  # an issuer instance signs with its first claimed method
            options["cryptosuite"] = suite
        cached = IssuedBadge(credential, harness.role(vendor, "issuer").issue(credential, options), None)
        harness.memo.issued[key] = cached
    else:
        evidence.notes.append("issued credential reused from an earlier scenario of this run (same vendor and variant)")
        evidence.record(cached.issued.exchange)
    evidence.keep("submitted credential (mandatory pointers " + ", ".join(MANDATORY) + ")", cached.submitted)
    if cached.issued.credential is not None:
        evidence.keep("issued credential", cached.issued.credential)
    return cached


def _sd_proof(credential: Any, suite: str = SUITE) -> Mapping[str, Any]:
    """The issued credential's proof of ``suite``, or a failure naming what came instead."""
    rid = selective_suite(suite).base_requirement
    if not isinstance(credential, Mapping):
        raise AssertionError(f"{rid}: the issuer returned no JSON credential to check ({type(credential).__name__})")
    proof = sd_proof_of(credential, suite)
    if proof is None:
        proofs = credential.get("proof")
        found = [p for p in (proofs if isinstance(proofs, list) else [proofs]) if isinstance(p, Mapping)]
        suites = ", ".join(str(p.get("cryptosuite", p.get("type"))) for p in found) or "none"
        raise AssertionError(f"{rid}: the issued credential carries no {suite} proof (proofs: {suites})")
    return proof


def _issuer_key(harness: Harness, proof: Mapping[str, Any], rid: str = "EC-03") -> Any:
    vm = str(proof.get("verificationMethod"))
    try:
        return harness.engine.resolver.dereference(vm).method.public_key
    except VerificationMethodError as exc:
        if exc.unreached:
            raise CannotJudge(f"lerconf cannot reach the base proof's verificationMethod {vm}: {exc}") from None
        raise AssertionError(f"{rid}: the base proof's verificationMethod {vm} does not resolve to a key: {exc}") from None


def _findings(harness: Harness, badge: IssuedBadge, suite: str = SUITE) -> tuple[CheckResult, CheckResult]:
    """EC-03 (LBB-01) twice: the base proof verifies as its holder checks it; its mandatory group is the one asked for."""
    if suite != SUITE:
        return _bbs_findings(harness, badge, suite)
    expect_accepted(badge.issued.exchange, "the issue request")
    credential = badge.issued.credential
    proof = _sd_proof(credential)
    assert isinstance(credential, Mapping)
    processor = harness.engine.processor
    try:
        outcome, groups = verify_base(credential, proof, _issuer_key(harness, proof), processor)
    except (JsonLdError, ResolutionError) as exc:
        problem = f"the issued credential cannot be canonicalized: {exc}"
        return sd.base_proof_verifies(False, problem), sd.base_proof_honours_mandatory_pointers(problem, "")
    well_formed = sd.base_proof_verifies(outcome.valid, outcome.message)
    return well_formed, sd.base_proof_honours_mandatory_pointers(_pointer_problem(credential, proof, groups, processor),
                                                                 ", ".join(MANDATORY))


def _bbs_findings(harness: Harness, badge: IssuedBadge, suite: str) -> tuple[CheckResult, CheckResult]:
    """LBB-01 twice. A bbs-2023 base proof binds the mandatory statements by their hash in its BBS
    header: statements grouped other than its pointers say do not verify, so a wrong group shows as
    a base proof that does not check out, named as such by the pointer check."""
    expect_accepted(badge.issued.exchange, "the issue request")
    credential = badge.issued.credential
    proof = _sd_proof(credential, suite)
    assert isinstance(credential, Mapping)
    sd_suite = selective_suite(suite)
    try:
        outcome = sd_suite.verify_base(credential, proof, _issuer_key(harness, proof, "LBB-01"), harness.engine.processor)
    except (JsonLdError, ResolutionError) as exc:
        problem = f"the issued credential cannot be canonicalized: {exc}"
        return bbs.base_proof_verifies(False, problem), bbs.base_proof_honours_mandatory_pointers(problem, "")
    try:
        declared = list(sd_suite.mandatory_pointers(proof.get("proofValue")))
    except SdProofError as exc:
        pointers: str | None = f"the base proof cannot be read, so neither can its mandatory pointers: {exc}"
    else:
        if sorted(map(str, declared)) != sorted(MANDATORY):
            pointers = f"the base proof names mandatory pointers [{', '.join(map(str, declared))}]; lerconf asked for " \
                       f"[{', '.join(MANDATORY)}] (options.mandatoryPointers)"
        elif outcome.valid:
            pointers = None
        elif "mandatory statements" in outcome.message:
            pointers = f"the statements the BBS signature treats as mandatory are not those the pointers select: {outcome.message}"
        else:
            pointers = f"the base proof does not verify, so its mandatory group cannot be confirmed: {outcome.message}"
    return bbs.base_proof_verifies(outcome.valid, outcome.message), \
        bbs.base_proof_honours_mandatory_pointers(pointers, ", ".join(MANDATORY))


def _pointer_problem(credential: Mapping[str, Any], proof: Mapping[str, Any], groups: Any, processor: Any) -> str | None:
    """Why the base proof's mandatory group is not the one lerconf asked for (None when it is)."""
    try:
        base = parse_base_proof(proof.get("proofValue"))
    except SdProofError as exc:
        return f"the base proof cannot be read, so neither can its mandatory pointers: {exc}"
    declared = list(base.mandatory_pointers)
    if sorted(map(str, declared)) != sorted(MANDATORY):
        return f"the base proof names mandatory pointers [{', '.join(map(str, declared))}]; lerconf asked for " \
               f"[{', '.join(MANDATORY)}] (options.mandatoryPointers)"
    if groups is None:
        return "the base proof's statements could not be grouped"
    unsecured = {k: v for k, v in credential.items() if k != "proof"}
    expected = set(group_statements(unsecured, base.hmac_key, {"mandatory": MANDATORY}, processor).groups["mandatory"])
    signed_as_mandatory = set(groups.mandatory_indexes)
    if expected == signed_as_mandatory:
        return None
    alone = sorted(expected - signed_as_mandatory)
    covered = sorted(signed_as_mandatory - expected)
    parts = ([f"{len(alone)} statement(s) the mandatory pointers select are signed alone as selective "
              f"({selected([groups.nquads[i].strip() for i in alone])})"] if alone else []) + \
            ([f"{len(covered)} statement(s) outside them are under the base signature "
              f"({selected([groups.nquads[i].strip() for i in covered])})"] if covered else [])
    return "statement signatures over the wrong group: " + "; ".join(parts)


def base_proof_checks_out(harness: Harness, evidence: Evidence, badge: IssuedBadge, suite: str = SUITE) -> None:
    """EC-03 (LBB-01): the header, the CBOR components and the signatures verify."""
    expect_checks(evidence, [_findings(harness, badge, suite)[0]])


def mandatory_pointers_honoured(harness: Harness, evidence: Evidence, badge: IssuedBadge, suite: str = SUITE) -> None:
    """EC-03 (LBB-01): the mandatory pointers are the ones asked for, and the signatures cover what they select."""
    expect_checks(evidence, [_findings(harness, badge, suite)[1]])


def disclosure_verifies(harness: Harness, evidence: Evidence, badge: IssuedBadge, suite: str = SUITE) -> None:
    """LCS-02 (LBB-06): lerconf derives a disclosure (mandatory statements and the subject's id) from
    the base proof; it leaves out what was not chosen and lerconf's engine accepts it."""
    sd_suite = selective_suite(suite)
    check = sd.disclosure_from_base_proof_verifies if suite == SUITE else bbs.disclosure_from_base_proof_verifies
    prerequisite = f"prerequisite: an issued base proof that checks out ({sd_suite.base_requirement}, judged by its own scenarios): "
    try:
        findings = _findings(harness, badge, suite)
    except AssertionError as exc:  # refused, or no proof of the suite at all
        raise Broken(prerequisite + str(exc)) from None
    failed = [r for r in findings if r.status is Status.FAILED]
    if failed:
        raise Broken(prerequisite + "; ".join(r.message for r in failed))
    credential = badge.issued.credential
    assert isinstance(credential, Mapping)
    try:
        disclosed = sd_suite.derive(credential, SELECTIVE, harness.engine.processor)
    except (SdProofError, JsonLdError) as exc:
        expect_checks(evidence, [check(f"no disclosure can be derived from the base proof: {exc}", "")])
        return
    evidence.keep("badge disclosed in part by lerconf (derived from the issued base proof)", disclosed)
    expect_checks(evidence, [check(disclosure_problem(harness, disclosed),
                  f"a disclosure of {', '.join(SELECTIVE)} and the mandatory statements verifies; "
                  "the credential's description is left out")])


def disclosure_problem(harness: Harness, disclosed: Mapping[str, Any]) -> str | None:
    """Why a disclosure of SELECTIVE and the mandatory statements is not what it should be (None when it is):
    a statement missing, the withheld description shown, or lerconf's engine refusing it."""
    missing = [p for p in (*MANDATORY, *SELECTIVE) if not pointer_resolves(disclosed, p)]
    if missing:
        return f"the derived disclosure lacks {', '.join(missing)}"
    if WITHHELD in str(disclosed):
        return "the derived disclosure still shows the credential's description, which was not chosen"
    report = verify(harness, disclosed, "disclosure derived from the issued base proof")
    if not report.verified:
        errors = report.to_json().get("errors", [])
        return "lerconf's verifier refuses the disclosure: " + "; ".join(map(str, errors[:3]))
    return None


def derived_disclosure(harness: Harness, evidence: Evidence, base: Mapping[str, Any], suite: str, holder: Any,
                       holder_name: str, issuer_name: str) -> dict[str, Any]:
    """A disclosure of SELECTIVE and the mandatory statements of ``base``: derived by ``holder`` (a vendor's
    holder naming a derive_url: a broken disclosure fails on the holder, LCS-03's check, before any verifier
    sees it) or, with no holder, by lerconf (which cannot derive from a broken base proof: broken)."""
    if holder is not None:
        derived = holder.derive(dict(base), list(SELECTIVE))
        expect_accepted(derived.exchange, f"{holder_name} deriving the disclosure")
        if not isinstance(derived.credential, dict):
            raise Broken(f"prerequisite: {holder_name} answered its derive request without a credential")
        disclosed: dict[str, Any] = derived.credential
        evidence.keep(f"badge disclosed in part by {holder_name} ({', '.join((*MANDATORY, *SELECTIVE))} asked)",
                      disclosed)
        expect_checkable([], verify(harness, dict(disclosed), f"disclosure derived by {holder_name}"), evidence)
        expect_checks(evidence, [holder_disclosure_verifies(disclosure_problem(harness, disclosed), holder_name)])
        return disclosed
    sd_suite = selective_suite(suite)
    try:
        disclosed = sd_suite.derive(dict(base), SELECTIVE, harness.engine.processor)
    except (SdProofError, JsonLdError) as exc:
        raise Broken(f"prerequisite: lerconf cannot derive a disclosure from {issuer_name}'s {suite} base proof "
                     f"({exc}); its own {sd_suite.base_requirement} scenarios judge the base proof") from None
    evidence.keep(f"badge disclosed in part by lerconf ({', '.join((*MANDATORY, *SELECTIVE))})", disclosed)
    return disclosed
