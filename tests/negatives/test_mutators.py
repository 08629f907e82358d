"""Every mutator breaks exactly the thing it names: lerconf's own verifier rejects the mutated
badge, and a check for the mutator's requirement is among the new failures."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from lerconf.crypto.signing import Signer, deterministic_key
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.negatives.mutators import MUTATORS, MutationContext, MutationError, mutate
from lerconf.results import Status
from lerconf.verify.engine import Verifier
from lerconf.verify.report import VerifyOptions

pytestmark = pytest.mark.slow


def _status_entry(client: httpx.Client, issuer_id: str, purpose: str, *, set_bit: bool) -> dict[str, Any]:
    import uuid

    credential = ob3_achievement_credential(issuer_id, credential_id=f"urn:uuid:{uuid.uuid4()}")
    answer = client.post("/credentials/issue", json={"credential": credential, "options": {
        "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": purpose}}})
    assert answer.status_code == 201, answer.text
    if set_bit:
        update = client.post("/credentials/status", json={"credentialId": credential["id"], "status": True,
                                                          "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": purpose}})
        assert update.status_code == 200, update.text
    return dict(answer.json()["verifiableCredential"]["credentialStatus"])


@pytest.fixture(scope="module")
def context(ref: Any, client: httpx.Client, harness: Verifier) -> MutationContext:
    return MutationContext(
        processor=harness.processor,
        signer=ref.keys.ed25519,
        suite="eddsa-rdfc-2022",
        other_signer=Signer.did_key(deterministic_key("test-other-party", "Ed25519")),
        unauthorised_signer=ref.keys.unauthorised,
        revoked_status=_status_entry(client, ref.issuer_id, "revocation", set_bit=True),
        suspended_status=_status_entry(client, ref.issuer_id, "suspension", set_bit=True),
        unreachable_status={"type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "3",
                            "statusListCredential": f"{ref.base_url}/status-lists/does-not-exist"},
        now=datetime.now(UTC),
    )


@pytest.fixture(scope="module")
def signed(ref: Any, harness: Verifier) -> dict[str, Any]:
    credential = ob3_achievement_credential(ref.issuer_id)
    return ref.keys.ed25519.sign(credential, "eddsa-rdfc-2022", harness.processor)


def _failed(report: Any) -> set[str]:
    return {r.requirement for r in report.all_checks() if r.status is Status.FAILED}


def test_the_unmutated_badge_verifies(signed: dict[str, Any], harness: Verifier) -> None:
    report = harness.verify_document(signed)
    assert report.verified and report.conformant, _failed(report)


#: mutators that make a badge non-conformant without touching its authenticity (re-signed over the defect)
SCHEMA_ONLY = {"schema-defect"}


@pytest.mark.parametrize("name", sorted(MUTATORS))
def test_mutator_is_rejected_for_its_requirement(name: str, signed: dict[str, Any], context: MutationContext,
                                                 harness: Verifier) -> None:
    mutated = mutate(signed, name, context)
    assert mutated != signed
    report = harness.verify_document(mutated, name, VerifyOptions(at=datetime.now(UTC) + timedelta(seconds=1)))
    if name in SCHEMA_ONLY:  # authentic, so verified; not conformant to its schema (OB-21), for the reason named
        flagged = {r.requirement for r in report.all_checks() if r.status in (Status.FAILED, Status.WARNING)}
        assert report.verified and not report.conformant, f"{name} was found conformant by lerconf's own verifier"
        assert flagged & set(MUTATORS[name].expect), (name, sorted(flagged), MUTATORS[name].expect)
        return
    assert not report.verified, f"{name} was accepted by lerconf's own verifier"
    assert _failed(report) & set(MUTATORS[name].expect), (name, sorted(_failed(report)), MUTATORS[name].expect)


def test_resigning_mutators_need_a_signer(signed: dict[str, Any]) -> None:
    with pytest.raises(MutationError, match="needs"):
        mutate(signed, "expired", MutationContext())


def test_unknown_mutator_names_the_known_ones(signed: dict[str, Any]) -> None:
    with pytest.raises(MutationError, match="unknown mutator 'nope'; known: .*tampered-claim"):
        mutate(signed, "nope")
