"""The issuer and holder selective-disclosure judgments (issue 18) on documents made here, no vendor:
a base proof the reference signs as asked passes EC-03 twice and LCS-02; one naming other pointers,
one with a statement signature swapped, and a non-SD proof each fail EC-03 for their own reason (and
LCS-02 is then broken, not failed); a holder's answer that shows too much, or is the base proof
itself, fails EC-04. The same for bbs-2023 under LBB-01, LBB-06 and LBB-02, and lerconf's engine judges
each bbs-2023 verifier variant under the requirement its scenario is tagged with."""
from __future__ import annotations

import base64
import copy
from typing import Any

import cbor2
import pytest

from lerconf.crypto.di.ecdsa_sd_derive import create_base_proof, derive
from lerconf.documents.loader import LoaderSettings
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.evidence import Evidence
from lerconf.exchange import Exchange
from lerconf.outcome import Outcome
from lerconf.protocol.vcapi import Issued
from lerconf.scenarios import selective, selective_holder, selective_issuer
from lerconf.scenarios.harness import Harness, build_vendor, engine_for
from lerconf.scenarios.vcapi import HOLDER_SUBJECT, IssuedBadge
from lerconf.verdicts import Broken


@pytest.fixture(scope="module")
def run(ref: Any, offline_settings: LoaderSettings) -> Harness:
    profile = ref.profile()
    vendor = build_vendor(profile, allow_private=True)
    return Harness(vendors=[vendor], own=vendor, engine=engine_for(ref, [profile], offline_settings), reference=ref)


def _answer(document: Any) -> Issued:
    return Issued(Exchange("POST", "http://127.0.0.1/x", {}, None, Outcome.ACCEPTED, "HTTP 201", 201), document)


def _issued(run: Harness, pointers: tuple[str, ...] = selective.MANDATORY) -> dict[str, Any]:
    signer = run.keys.signer_for("ecdsa-sd-2023")
    credential = ob3_achievement_credential(signer.controller, HOLDER_SUBJECT)
    credential["description"] = selective.WITHHELD
    return create_base_proof(credential, signer.key, signer.verification_method, pointers, run.engine.processor)


def swapped_signatures(document: dict[str, Any]) -> dict[str, Any]:
    """The first two statement signatures of a base proof swapped: each signs the other's statement."""
    value = document["proof"]["proofValue"][1:]
    raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    parts = cbor2.loads(raw[3:])
    parts[3][0], parts[3][1] = parts[3][1], parts[3][0]
    document["proof"]["proofValue"] = "u" + base64.urlsafe_b64encode(raw[:3] + cbor2.dumps(parts)).decode().rstrip("=")
    return document


def _badge(document: Any) -> IssuedBadge:
    return IssuedBadge({}, _answer(document), None)


def test_a_base_proof_made_as_asked_passes_all_three(run: Harness) -> None:
    badge, evidence = _badge(_issued(run)), Evidence()
    selective_issuer.base_proof_checks_out(run, evidence, badge)
    selective_issuer.mandatory_pointers_honoured(run, evidence, badge)
    selective_issuer.disclosure_verifies(run, evidence, badge)
    assert [c.requirement for c in evidence.checks] == ["EC-03", "EC-03", "LCS-02"]


def test_other_pointers_fail_the_pointer_scenario_only(run: Harness) -> None:
    badge = _badge(_issued(run, ("/issuer",)))
    selective_issuer.base_proof_checks_out(run, Evidence(), badge)
    with pytest.raises(AssertionError, match=r"EC-03: the base proof names mandatory pointers \[/issuer\]"):
        selective_issuer.mandatory_pointers_honoured(run, Evidence(), badge)
    with pytest.raises(Broken, match="prerequisite: .*EC-03"):
        selective_issuer.disclosure_verifies(run, Evidence(), badge)


def test_a_swapped_statement_signature_fails_ec03(run: Harness) -> None:
    badge = _badge(swapped_signatures(_issued(run, ("/issuer",))))
    with pytest.raises(AssertionError, match="EC-03: .*statement signatures verify no statement"):
        selective_issuer.base_proof_checks_out(run, Evidence(), badge)


def test_a_credential_without_an_sd_proof_fails_ec03(run: Harness) -> None:
    signed = run.keys.signer_for("eddsa-rdfc-2022").sign(ob3_achievement_credential(run.keys.issuer_id, HOLDER_SUBJECT),
                                                         "eddsa-rdfc-2022", run.engine.processor)
    with pytest.raises(AssertionError, match="EC-03: the issued credential carries no ecdsa-sd-2023 proof"):
        selective_issuer.base_proof_checks_out(run, Evidence(), _badge(signed))
    with pytest.raises(Broken, match="prerequisite: .*carries no ecdsa-sd-2023 proof"):
        selective_issuer.disclosure_verifies(run, Evidence(), _badge(signed))


def test_a_holder_that_shows_too_much_or_does_not_derive_fails_ec04(run: Harness) -> None:
    base = selective.base_proof_badge(run, selective_holder.HOLDER_MANDATORY)
    good = derive(base, list(selective_holder.ASKED), run.engine.processor)
    selective_holder.holder_disclosed_what_was_asked(run, Evidence(), _answer(good))
    too_much = derive(base, [*selective_holder.ASKED, "/description"], run.engine.processor)
    with pytest.raises(AssertionError, match="EC-04: the derived credential shows the description"):
        selective_holder.holder_disclosed_what_was_asked(run, Evidence(), _answer(too_much))
    with pytest.raises(AssertionError, match="EC-04: .*not a derived proof"):
        selective_holder.holder_disclosed_what_was_asked(run, Evidence(), _answer(copy.deepcopy(base)))
    too_little = derive(base, [], run.engine.processor)
    with pytest.raises(AssertionError, match="EC-04: the derived credential does not show /name"):
        selective_holder.holder_disclosed_what_was_asked(run, Evidence(), _answer(too_little))


# -- bbs-2023: the same judgments under LBB-01 / LBB-06 / LBB-02 ----------------------------------------
BBS = "bbs-2023"


def _bbs_issued(run: Harness, pointers: tuple[str, ...] = selective.MANDATORY, signed_as: tuple[str, ...] | None = None) -> dict[str, Any]:
    """A bbs-2023 base proof over ``signed_as`` (default ``pointers``) that names ``pointers`` as its mandatory pointers."""
    from lerconf.crypto.di.bbs_2023_derive import create_base_proof as bbs_base

    signer = run.keys.signer_for(BBS)
    credential = ob3_achievement_credential(signer.controller, HOLDER_SUBJECT)
    credential["description"] = selective.WITHHELD
    signed = bbs_base(credential, signer.key, signer.verification_method, signed_as or pointers, run.engine.processor)
    if signed_as is not None:
        value = signed["proof"]["proofValue"][1:]
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        parts = cbor2.loads(raw[3:])
        parts[4] = list(pointers)
        signed["proof"]["proofValue"] = "u" + base64.urlsafe_b64encode(raw[:3] + cbor2.dumps(parts)).decode().rstrip("=")
    return signed


def test_a_bbs_base_proof_made_as_asked_passes_all_three(run: Harness) -> None:
    badge, evidence = _badge(_bbs_issued(run)), Evidence()
    selective_issuer.base_proof_checks_out(run, evidence, badge, BBS)
    selective_issuer.mandatory_pointers_honoured(run, evidence, badge, BBS)
    selective_issuer.disclosure_verifies(run, evidence, badge, BBS)
    assert [c.requirement for c in evidence.checks] == ["LBB-01", "LBB-01", "LBB-06"]


def test_other_bbs_pointers_fail_the_pointer_scenario_only(run: Harness) -> None:
    badge = _badge(_bbs_issued(run, ("/issuer",)))
    selective_issuer.base_proof_checks_out(run, Evidence(), badge, BBS)
    with pytest.raises(AssertionError, match=r"LBB-01: the base proof names mandatory pointers \[/issuer\]"):
        selective_issuer.mandatory_pointers_honoured(run, Evidence(), badge, BBS)
    with pytest.raises(Broken, match="prerequisite: .*LBB-01"):
        selective_issuer.disclosure_verifies(run, Evidence(), badge, BBS)


def test_a_bbs_proof_signed_over_another_group_fails_both_lbb01(run: Harness) -> None:
    badge = _badge(_bbs_issued(run, selective.MANDATORY, signed_as=("/issuer",)))
    with pytest.raises(AssertionError, match="LBB-01: the base proof's BBS header does not hash the document's mandatory"):
        selective_issuer.base_proof_checks_out(run, Evidence(), badge, BBS)
    with pytest.raises(AssertionError, match="LBB-01: the statements the BBS signature treats as mandatory are not those"):
        selective_issuer.mandatory_pointers_honoured(run, Evidence(), badge, BBS)


def test_a_broken_bbs_signature_fails_lbb01(run: Harness) -> None:
    document = _bbs_issued(run)
    value = document["proof"]["proofValue"][1:]
    raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    parts = cbor2.loads(raw[3:])
    parts[0] = parts[0][:48] + bytes(31) + b"\x01"  # e changed: (A, e') is no signature of these messages
    document["proof"]["proofValue"] = "u" + base64.urlsafe_b64encode(raw[:3] + cbor2.dumps(parts)).decode().rstrip("=")
    with pytest.raises(AssertionError, match="LBB-01: the BBS signature does not verify"):
        selective_issuer.base_proof_checks_out(run, Evidence(), _badge(document), BBS)


def test_a_credential_without_a_bbs_proof_fails_lbb01(run: Harness) -> None:
    with pytest.raises(AssertionError, match="LBB-01: the issued credential carries no bbs-2023 proof"):
        selective_issuer.base_proof_checks_out(run, Evidence(), _badge(_issued(run)), BBS)  # an ecdsa-sd-2023 one instead


def test_a_bbs_holder_that_shows_too_much_or_does_not_derive_fails_lbb02(run: Harness) -> None:
    from lerconf.crypto.di.bbs_2023_derive import derive as bbs_derive

    base = selective.base_proof_badge(run, selective_holder.HOLDER_MANDATORY, BBS)
    good = bbs_derive(base, list(selective_holder.ASKED), run.engine.processor)
    evidence = Evidence()
    selective_holder.holder_disclosed_what_was_asked(run, evidence, _answer(good), BBS)
    assert [c.requirement for c in evidence.checks] == ["LBB-02"]
    too_much = bbs_derive(base, [*selective_holder.ASKED, "/description"], run.engine.processor)
    with pytest.raises(AssertionError, match="LBB-02: the derived credential shows the description"):
        selective_holder.holder_disclosed_what_was_asked(run, Evidence(), _answer(too_much), BBS)
    with pytest.raises(AssertionError, match="LBB-02: .*not a derived proof"):
        selective_holder.holder_disclosed_what_was_asked(run, Evidence(), _answer(copy.deepcopy(base)), BBS)
    with pytest.raises(AssertionError, match="LBB-02: the derived credential carries no bbs-2023 proof"):
        selective_holder.holder_disclosed_what_was_asked(run, Evidence(), _answer(derive(
            selective.base_proof_badge(run, selective_holder.HOLDER_MANDATORY), list(selective_holder.ASKED),
            run.engine.processor)), BBS)


@pytest.mark.parametrize("variant", selective.VARIANTS)
def test_every_bbs_verifier_variant_is_judged_as_intended(run: Harness, variant: str) -> None:
    """lerconf's own engine: the valid disclosure verifies, each defective one is refused under the
    requirement the scenario is tagged with."""
    from lerconf.checks.vcapi_answers import REJECTION_ERRORS, verdict_check_for

    badge = selective.selective_badge(run, Evidence(), variant, BBS)
    assert badge.securing == BBS
    report = run.engine.verify_document(badge.credential, variant)
    assert report.verified is (variant == "a valid disclosure"), report.to_json()["errors"]
    expected = {"the base proof itself": "LBB-03", "a disclosed value altered": "DI-15",
                "a statement added that the proof does not cover": "LBB-04",
                "a mandatory statement left out": "LBB-04"}.get(variant)
    if expected is not None:
        failed = [r for r in report.checks if r.status.value == "failed"]
        assert failed and failed[0].requirement == expected, [(r.requirement, r.message) for r in failed]
    for rid in ("LBB-07", "LBB-03", "LBB-04"):
        assert verdict_check_for(rid)
    assert REJECTION_ERRORS["LBB-03"] == REJECTION_ERRORS["LBB-04"] == frozenset({"PROOF_VERIFICATION_ERROR"})
