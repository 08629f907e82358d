"""Badges a learner can disclose in part, from a vendor's issuer (issue 18). lerconf asks the issuer for
an OB 3.0 badge secured with an ecdsa-sd-2023 base proof, naming the statements every disclosure must
show (VC API ``options.mandatoryPointers``); it checks the base proof as the badge's holder would
before deriving from it (EC-03: header, statement signatures, base signature, the mandatory group is
the one asked for), then derives a disclosure itself and has its own engine judge it (LCS-02).

The derivation needs a base proof that checks out: when EC-03's scenarios fail, LCS-02's scenario
is broken (its prerequisite is missing), so a defective base proof is blamed once, on EC-03."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lerconf import entropy
from lerconf.checks import ecdsa_sd as sd
from lerconf.crypto.di.ecdsa_sd import SdProofError, parse_base_proof, pointer_resolves, selected, verify_base
from lerconf.crypto.di.ecdsa_sd_derive import derive, group_statements
from lerconf.crypto.did import VerificationMethodError
from lerconf.documents.jsonld import JsonLdError
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.errors import ResolutionError
from lerconf.evidence import Evidence
from lerconf.results import CheckResult, Status
from lerconf.scenarios.expect import expect_accepted, expect_checks
from lerconf.scenarios.harness import Harness, VendorUnderTest
from lerconf.scenarios.selective import MANDATORY, SELECTIVE, SUITE, WITHHELD
from lerconf.scenarios.vcapi import HOLDER_SUBJECT, IssuedBadge, issuer_id_of, verify
from lerconf.verdicts import Broken, CannotJudge

__all__ = ["base_proof_checks_out", "disclosure_verifies", "issue_disclosable_badge", "mandatory_pointers_honoured"]


def issue_disclosable_badge(harness: Harness, vendor: VendorUnderTest, evidence: Evidence) -> IssuedBadge:
    """Ask the issuer for a badge with an ecdsa-sd-2023 base proof and lerconf's mandatory pointers (cached)."""
    key = (vendor.name, "2.0", SUITE, "base proof")
    cached = harness.memo.issued.get(key)
    if cached is None:
        issuer_id = issuer_id_of(vendor) if vendor.issuer is not None else harness.reference.issuer_id
        credential = ob3_achievement_credential(issuer_id, HOLDER_SUBJECT, credential_id=f"urn:uuid:{entropy.uuid4()}")
        credential["description"] = WITHHELD  # the part a disclosure may leave out
        role = vendor.profile.role("issuer") if vendor.issuer is not None else None
        claimed = role.claims.securing if role is not None else ()
        options: dict[str, Any] = {"mandatoryPointers": list(MANDATORY)}
        if not claimed or claimed[0] != SUITE:  # an issuer instance signs with its first claimed method
            options["cryptosuite"] = SUITE
        cached = IssuedBadge(credential, harness.role(vendor, "issuer").issue(credential, options), None)
        harness.memo.issued[key] = cached
    else:
        evidence.notes.append("issued credential reused from an earlier scenario of this run (same vendor and variant)")
        evidence.record(cached.issued.exchange)
    evidence.keep("submitted credential (mandatory pointers " + ", ".join(MANDATORY) + ")", cached.submitted)
    if cached.issued.credential is not None:
        evidence.keep("issued credential", cached.issued.credential)
    return cached


def _sd_proof(credential: Any) -> Mapping[str, Any]:
    """The issued credential's ecdsa-sd-2023 proof, or a failure naming what came instead."""
    if not isinstance(credential, Mapping):
        raise AssertionError(f"EC-03: the issuer returned no JSON credential to check ({type(credential).__name__})")
    proofs = credential.get("proof")
    found = [p for p in (proofs if isinstance(proofs, list) else [proofs]) if isinstance(p, Mapping)]
    proof = next((p for p in found if p.get("cryptosuite") == SUITE), None)
    if proof is None:
        suites = ", ".join(str(p.get("cryptosuite", p.get("type"))) for p in found) or "none"
        raise AssertionError(f"EC-03: the issued credential carries no {SUITE} proof (proofs: {suites})")
    return proof


def _issuer_key(harness: Harness, proof: Mapping[str, Any]) -> Any:
    vm = str(proof.get("verificationMethod"))
    try:
        return harness.engine.resolver.dereference(vm).method.public_key
    except VerificationMethodError as exc:
        if exc.unreached:
            raise CannotJudge(f"lerconf cannot reach the base proof's verificationMethod {vm}: {exc}") from None
        raise AssertionError(f"EC-03: the base proof's verificationMethod {vm} does not resolve to a key: {exc}") from None


def _findings(harness: Harness, badge: IssuedBadge) -> tuple[CheckResult, CheckResult]:
    """EC-03 twice: the base proof verifies as its holder checks it; its mandatory group is the one asked for."""
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


def base_proof_checks_out(harness: Harness, evidence: Evidence, badge: IssuedBadge) -> None:
    """EC-03: header ``d9 5d 00``, CBOR components, each selective statement and the base signature verify."""
    expect_checks(evidence, [_findings(harness, badge)[0]])


def mandatory_pointers_honoured(harness: Harness, evidence: Evidence, badge: IssuedBadge) -> None:
    """EC-03: the mandatory pointers are the ones asked for, and the base signature covers what they select."""
    expect_checks(evidence, [_findings(harness, badge)[1]])


def disclosure_verifies(harness: Harness, evidence: Evidence, badge: IssuedBadge) -> None:
    """LCS-02: lerconf derives a disclosure (mandatory statements and the subject's id) from the base
    proof; it leaves out what was not chosen and lerconf's engine accepts it."""
    prerequisite = "prerequisite: an issued base proof that checks out (EC-03, judged by its own scenarios): "
    try:
        findings = _findings(harness, badge)
    except AssertionError as exc:  # refused, or no ecdsa-sd-2023 proof at all
        raise Broken(prerequisite + str(exc)) from None
    failed = [r for r in findings if r.status is Status.FAILED]
    if failed:
        raise Broken(prerequisite + "; ".join(r.message for r in failed))
    credential = badge.issued.credential
    assert isinstance(credential, Mapping)
    try:
        disclosed = derive(credential, SELECTIVE, harness.engine.processor)
    except (SdProofError, JsonLdError) as exc:
        expect_checks(evidence, [sd.disclosure_from_base_proof_verifies(f"no disclosure can be derived from the base "
                                                                        f"proof: {exc}", "")])
        return
    evidence.keep("badge disclosed in part by lerconf (derived from the issued base proof)", disclosed)
    expect_checks(evidence, [sd.disclosure_from_base_proof_verifies(_disclosure_problem(harness, disclosed),
                  f"a disclosure of {', '.join(SELECTIVE)} and the mandatory statements verifies; "
                  "the credential's description is left out")])


def _disclosure_problem(harness: Harness, disclosed: Mapping[str, Any]) -> str | None:
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
