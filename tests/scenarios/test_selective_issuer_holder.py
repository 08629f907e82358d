"""The issuer and holder selective-disclosure judgments (issue 18) on documents made here, no vendor:
a base proof the reference signs as asked passes EC-03 twice and LCS-02; one naming other pointers,
one with a statement signature swapped, and a non-SD proof each fail EC-03 for their own reason (and
LCS-02 is then broken, not failed); a holder's answer that shows too much, or is the base proof
itself, fails EC-04."""
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
