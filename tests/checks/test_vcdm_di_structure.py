"""Accepts/rejects tests for the proof structure checks (DI-01..DI-04)."""
from __future__ import annotations

from typing import Any

import pytest

from lerconf.checks import di_structure as di
from lerconf.results import Status

PROOF = {
    "type": "DataIntegrityProof",
    "cryptosuite": "eddsa-rdfc-2022",
    "created": "2024-01-01T00:00:00Z",
    "verificationMethod": "did:example:issuer#key-1",
    "proofPurpose": "assertionMethod",
    "proofValue": "z3FXQ",
}


def with_proof(**changes: Any) -> dict[str, Any]:
    proof: dict[str, Any] = {**PROOF, **changes}
    for key in [k for k, v in changes.items() if v is None]:
        del proof[key]
    return {"type": ["VerifiableCredential"], "proof": proof}


def test_every_di_check_passes_a_well_formed_proof() -> None:
    for result in di.di_structure_checks(with_proof()):
        assert result.status is Status.PASSED, result.message


def test_every_di_check_is_not_applicable_without_proof() -> None:
    for result in di.di_structure_checks({"type": ["VerifiableCredential"]}):
        assert result.status is Status.NOT_APPLICABLE, result.requirement


# DI-01
def test_di_01_accepts_a_set_of_proofs() -> None:
    doc = {"proof": [dict(PROOF), {**PROOF, "cryptosuite": "ecdsa-rdfc-2019"}]}
    assert di.proof_has_required_properties(doc).status is Status.PASSED


@pytest.mark.parametrize("missing", ["type", "proofPurpose", "proofValue"])
def test_di_01_rejects_proof_missing_required_property(missing: str) -> None:
    result = di.proof_has_required_properties(with_proof(**{missing: None}))
    assert result.status is Status.FAILED and result.subject == f"proof.{missing}"


def test_di_01_rejects_non_url_verification_method() -> None:
    assert di.proof_has_required_properties(with_proof(verificationMethod="key-1")).status is Status.FAILED


def test_di_01_rejects_proof_that_is_not_an_object() -> None:
    assert di.proof_has_required_properties({"proof": ["z3FXQ"]}).subject == "proof[0]"


def test_di_01_warns_on_missing_verification_method() -> None:
    assert di.proof_has_required_properties(with_proof(verificationMethod=None)).status is Status.WARNING


# DI-02
def test_di_02_rejects_data_integrity_proof_without_cryptosuite() -> None:
    result = di.data_integrity_proof_names_cryptosuite(with_proof(cryptosuite=None))
    assert result.status is Status.FAILED and result.subject == "proof.cryptosuite"


def test_di_02_rejects_non_string_cryptosuite() -> None:
    assert di.data_integrity_proof_names_cryptosuite(with_proof(cryptosuite=["eddsa-rdfc-2022"])).status is Status.FAILED


def test_di_02_not_applicable_to_legacy_suites() -> None:
    doc = with_proof(type="Ed25519Signature2020", cryptosuite=None)
    assert di.data_integrity_proof_names_cryptosuite(doc).status is Status.NOT_APPLICABLE


# DI-03
def test_di_03_rejects_authentication_purpose_on_credential() -> None:
    result = di.credential_proof_purpose_is_assertion_method(with_proof(proofPurpose="authentication"))
    assert result.status is Status.FAILED and result.subject == "proof.proofPurpose"


def test_di_03_not_applicable_to_presentations() -> None:
    vp = {"type": ["VerifiablePresentation"], "proof": {**PROOF, "proofPurpose": "authentication"}}
    assert di.credential_proof_purpose_is_assertion_method(vp).status is Status.NOT_APPLICABLE


# DI-04
def test_di_04_accepts_offset_timestamps_and_url_id() -> None:
    doc = with_proof(created="2024-01-01T00:00:00.123+02:00", expires="2025-01-01T00:00:00Z", id="urn:uuid:1")
    assert di.proof_timestamps_have_time_zone(doc).status is Status.PASSED


@pytest.mark.parametrize("field,value", [("created", "2024-01-01T00:00:00"), ("expires", "2025-01-01"), ("id", "proof 1")])
def test_di_04_rejects_timestamps_without_zone_and_non_url_id(field: str, value: str) -> None:
    result = di.proof_timestamps_have_time_zone(with_proof(**{field: value}))
    assert result.status is Status.FAILED and result.subject == f"proof.{field}"
