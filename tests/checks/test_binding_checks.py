"""Accepts/rejects tests for the binding checks: DI-07 over a proof set or chain, DIVP-03, and
the cause of an unresolvable key carried into both (issue 12, points 5 and 6)."""
from __future__ import annotations

from lerconf.checks import binding
from lerconf.checks.issuance import issued_credential_has
from lerconf.crypto.did import DidResolver, ResolvedMethod
from lerconf.crypto.signing import Signer, deterministic_key
from lerconf.documents.loader import DocumentLoader, LoaderSettings
from lerconf.results import Status

ISSUER = Signer.did_key(deterministic_key("binding-issuer", "Ed25519"))
OTHER = Signer.did_key(deterministic_key("binding-other", "P-256"))
RESOLVER = DidResolver(DocumentLoader(LoaderSettings(offline=True)))
CREDENTIAL = {"issuer": {"id": ISSUER.controller}}
CAUSE = "cannot retrieve did:web:issuer.example: connection refused"


def method(signer: Signer) -> ResolvedMethod:
    return RESOLVER.dereference(signer.verification_method)


def key(index: int, signer: Signer, role: str = "co-signer") -> binding.SigningKey:
    return binding.SigningKey(f"proof[{index}]", signer.verification_method, method(signer), role=role)


FIX = "make sure the server is running and reachable from this machine"


def unresolved(index: int = 0, *, unreached: bool = True) -> binding.SigningKey:
    return binding.SigningKey(f"proof[{index}]", "did:web:issuer.example#key-1", None, CAUSE, unreached=unreached,
                              fix=FIX if unreached else "")


# DI-07
def test_di_07_accepts_the_issuers_own_key() -> None:
    result = binding.signing_key_belongs_to_issuer(CREDENTIAL, [key(0, ISSUER)], RESOLVER)
    assert result.status is Status.PASSED and result.details["other_signers"] == []


def test_di_07_accepts_a_set_with_one_issuer_proof_and_reports_the_other_party() -> None:
    result = binding.signing_key_belongs_to_issuer(CREDENTIAL, [key(0, OTHER, "co-signer"), key(1, ISSUER, "endorser")],
                                                   RESOLVER)
    assert result.status is Status.PASSED and result.details["issuer_proofs"] == ["proof[1]"]
    assert result.details["other_signers"][0]["controller"] == OTHER.controller
    assert f"proof[0] is by co-signer {OTHER.controller}" in result.message


def test_di_07_rejects_a_set_without_an_issuer_proof() -> None:
    result = binding.signing_key_belongs_to_issuer(CREDENTIAL, [key(0, OTHER), key(1, OTHER)], RESOLVER)
    assert result.status is Status.FAILED and result.error_type == "PROOF_VERIFICATION_ERROR"
    assert result.message.startswith("none of the 2 proofs is by a key the issuer")


def test_di_07_rejects_an_unresolvable_key_with_its_cause() -> None:
    result = binding.signing_key_belongs_to_issuer(CREDENTIAL, [unresolved()], RESOLVER)
    assert result.status is Status.FAILED
    assert result.message == f"cannot resolve did:web:issuer.example#key-1: {CAUSE}"
    assert result.details["could_not_check"] is True and result.details["fix"] == FIX


def test_di_07_an_answered_but_unusable_did_document_is_a_failure_not_could_not_check() -> None:
    result = binding.signing_key_belongs_to_issuer(CREDENTIAL, [unresolved(unreached=False)], RESOLVER)
    assert result.status is Status.FAILED and "could_not_check" not in result.details


def test_di_07_accepts_an_issuer_proof_beside_an_unresolvable_one() -> None:
    result = binding.signing_key_belongs_to_issuer(CREDENTIAL, [unresolved(0), key(1, ISSUER)], RESOLVER)
    assert result.status is Status.PASSED


def test_di_07_is_not_applicable_when_no_proof_reached_its_key() -> None:
    no_key = binding.SigningKey("proof[0]", "did:example:x#1")
    assert binding.signing_key_belongs_to_issuer(CREDENTIAL, [no_key], RESOLVER).status is Status.NOT_APPLICABLE
    assert binding.signing_key_belongs_to_issuer(CREDENTIAL, [], RESOLVER).status is Status.NOT_APPLICABLE


def test_di_07_rejects_a_credential_without_issuer_id() -> None:
    assert binding.signing_key_belongs_to_issuer({}, [key(0, ISSUER)], RESOLVER).status is Status.FAILED


# DIVP-03
def test_divp_03_accepts_the_holders_key() -> None:
    result = binding.presentation_signed_by_holder({"holder": ISSUER.controller}, method(ISSUER), RESOLVER)
    assert result.status is Status.PASSED


def test_divp_03_rejects_another_partys_key() -> None:
    result = binding.presentation_signed_by_holder({"holder": ISSUER.controller}, method(OTHER), RESOLVER)
    assert result.status is Status.FAILED


def test_divp_03_rejects_an_unresolvable_key_with_its_cause() -> None:
    cause = f"cannot resolve did:web:issuer.example#key-1: {CAUSE}"
    result = binding.presentation_signed_by_holder({"holder": "did:web:issuer.example"}, None, RESOLVER, cause)
    assert result.status is Status.FAILED and result.message == cause and "could_not_check" not in result.details
    unreached = binding.presentation_signed_by_holder({"holder": "did:web:issuer.example"}, None, RESOLVER, cause,
                                                      unreached=True, fix=FIX)
    assert unreached.status is Status.FAILED and unreached.details == {"could_not_check": True, "fix": FIX}


def test_divp_03_is_not_applicable_without_a_key_or_a_cause() -> None:
    assert binding.presentation_signed_by_holder({"holder": "x"}, None, RESOLVER).status is Status.NOT_APPLICABLE


# API-02 issued_credential_has: reached only when no check applied; it names what is missing
def test_issued_credential_has_names_a_missing_proof() -> None:
    result = issued_credential_has({"issuer": "did:example:x"}, "DI-07")
    assert result.status is Status.FAILED and "has no embedded Data Integrity proof" in result.message


def test_issued_credential_has_names_a_missing_status_entry() -> None:
    assert "no a credentialStatus" not in issued_credential_has({}, "BSL-04").message
    assert "credentialStatus" in issued_credential_has({}, "BSL-04").message


def test_issued_credential_has_points_to_the_earlier_cause() -> None:
    result = issued_credential_has({"proof": {}}, "DI-07")
    assert "stopped before any check of DI-07 applied" in result.message
    assert "none of the parts" not in result.message


def test_issued_credential_has_rejects_a_missing_credential() -> None:
    assert "no credential object" in issued_credential_has(None, "DI-07").message
