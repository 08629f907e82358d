"""Reference issuer (VCALM API-01..03): what it signs verifies independently; bad input is a 400."""
from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from lerconf.documents.templates import ob3_achievement_credential
from lerconf.refimpl import RunningReference
from lerconf.refimpl.keys import DID_CONTEXTS, SUPPORTED_SUITES
from lerconf.results import Status
from lerconf.verify.engine import Verifier

pytestmark = pytest.mark.slow




def issue(client: httpx.Client, credential: dict[str, Any], **options: Any) -> httpx.Response:
    return client.post("/credentials/issue", json={"credential": credential, "options": options})


def assert_problem(response: httpx.Response, status: int = 400, *needles: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert isinstance(body["type"], str) and ":" in body["type"]
    assert body["title"] and body["detail"]
    for needle in needles:
        assert needle in body["detail"], body["detail"]
    return body


# -- DID document --------------------------------------------------------------------------
def test_did_document_lists_issuer_keys_under_assertion_method(ref: RunningReference, client: httpx.Client) -> None:
    doc = client.get("/.well-known/did.json").json()
    assert doc["id"] == ref.issuer_id and ref.issuer_id.startswith("did:web:127.0.0.1%3A")
    assert doc["@context"] == DID_CONTEXTS
    methods = {m["id"]: m for m in doc["verificationMethod"]}
    assert all(m["type"] == "Multikey" and m["controller"] == ref.issuer_id for m in methods.values())
    assert doc["assertionMethod"] == [s.verification_method for s in ref.keys.assertion_signers]
    assert doc["capabilityInvocation"] == [ref.keys.unauthorised.verification_method]
    assert ref.keys.unauthorised.verification_method in methods
    assert ref.keys.unauthorised.verification_method not in doc["assertionMethod"]
    prefixes = sorted(methods[s.verification_method]["publicKeyMultibase"][:4] for s in ref.keys.assertion_signers)
    assert prefixes == sorted(["z6Mk", "zDna", "z82L", "zUC7"])  # Ed25519, P-256, P-384, BLS12-381 G2 multikey headers
    assert ref.did_document_path.read_text(encoding="utf-8") and ref.url_map


def test_keys_are_deterministic(ref: RunningReference) -> None:
    from lerconf.refimpl import ReferenceKeys

    again = ReferenceKeys.for_issuer(ref.issuer_id)
    assert again.did_document() == ref.keys.did_document()
    assert again.holder_id == ref.keys.holder_id and again.holder_id.startswith("did:key:z6Mk")
    assert all(s.key.to_multikey() not in repr(ref) for s in (*ref.keys.assertion_signers, ref.keys.holder))


# -- issue and verify ----------------------------------------------------------------------
@pytest.mark.parametrize("vc_version", ["2.0", "1.1"])
@pytest.mark.parametrize("suite", [s for s in SUPPORTED_SUITES if s not in ("ecdsa-sd-2023", "bbs-2023")])  # base proofs: test_refimpl_issuer_sd.py
def test_issued_credential_verifies_in_the_harness(ref: RunningReference, client: httpx.Client, harness: Verifier,
                                                   suite: str, vc_version: str) -> None:
    credential = ob3_achievement_credential(ref.issuer_id, vc_version=vc_version)
    response = issue(client, credential, cryptosuite=suite)
    assert response.status_code == 201, response.text
    vc = response.json()["verifiableCredential"]
    proof = vc["proof"]
    assert proof.get("cryptosuite", proof["type"]) == suite and proof["proofPurpose"] == "assertionMethod"
    assert proof["verificationMethod"] == ref.keys.signer_for(suite).verification_method
    for name, value in credential.items():  # API-02: every submitted property survives
        if name != "@context":
            assert vc[name] == value
    assert vc["@context"][: len(credential["@context"])] == credential["@context"]
    report = harness.verify_document(vc, suite)
    assert report.verified, report.to_json()["errors"]
    binding = [r for r in report.checks if r.requirement == "DI-07"]
    assert binding and binding[0].status is Status.PASSED


def test_issuer_may_be_given_as_a_string(ref: RunningReference, client: httpx.Client, harness: Verifier) -> None:
    credential = ob3_achievement_credential(ref.issuer_id)
    credential["issuer"] = ref.issuer_id
    credential["type"] = ["VerifiableCredential"]
    credential["credentialSubject"] = {"id": "did:example:learner"}
    credential["@context"] = ["https://www.w3.org/ns/credentials/v2"]
    del credential["credentialSchema"], credential["name"]
    response = issue(client, credential)
    assert response.status_code == 201, response.text
    assert harness.verify_document(response.json()["verifiableCredential"]).verified


def test_unauthorised_key_signature_is_not_verified(ref: RunningReference, harness: Verifier) -> None:
    """The harness can sign as the capabilityInvocation-only key; the binding must then fail."""
    credential = ob3_achievement_credential(ref.issuer_id)
    signed = ref.keys.unauthorised.sign(credential, "eddsa-rdfc-2022", harness.processor)
    report = harness.verify_document(signed)
    assert not report.verified
    assert any(r.requirement == "DI-19" and r.status is Status.FAILED for r in report.checks)


def test_p384_signer_is_available_to_the_harness(ref: RunningReference, harness: Verifier) -> None:
    signed = ref.keys.p384.sign(ob3_achievement_credential(ref.issuer_id), "ecdsa-rdfc-2019", harness.processor)
    assert harness.verify_document(signed).verified


# -- refusals (API-01, API-03) -------------------------------------------------------------
def _mutate(ref: RunningReference, edit: Any) -> dict[str, Any]:
    credential = ob3_achievement_credential(ref.issuer_id)
    edit(credential)
    return credential


BAD_CREDENTIALS = {
    "no @context": (lambda c: c.pop("@context"), "@context"),
    "@context is a string": (lambda c: c.update({"@context": "https://www.w3.org/ns/credentials/v2"}), "@context"),
    "@context item is a number": (lambda c: c["@context"].append(7), "@context[3]"),
    "first context not a VC base": (lambda c: c["@context"].reverse(), "VCDM-01"),
    "both base contexts": (lambda c: c["@context"].append("https://www.w3.org/2018/credentials/v1"), "VCDM-D1"),
    "no type": (lambda c: c.pop("type"), "VCDM-03"),
    "type lacks VerifiableCredential": (lambda c: c.update({"type": ["OpenBadgeCredential"]}), "VerifiableCredential"),
    "no issuer": (lambda c: c.pop("issuer"), "issuer"),
    "issuer is a number": (lambda c: c.update({"issuer": 42}), "issuer"),
    "issuer object without id": (lambda c: c["issuer"].pop("id"), "issuer.id"),
    "issuer not a URL": (lambda c: c.update({"issuer": "not a url"}), "issuer"),
    "another issuer": (lambda c: c["issuer"].update({"id": "did:web:elsewhere.example"}), "not this issuer"),
    "no credentialSubject": (lambda c: c.pop("credentialSubject"), "credentialSubject"),
    "credentialSubject is a string": (lambda c: c.update({"credentialSubject": "did:example:x"}), "credentialSubject"),
    "credentialSubject is empty": (lambda c: c.update({"credentialSubject": {}}), "credentialSubject"),
    "id not a URL": (lambda c: c.update({"id": "just words"}), "id"),
    "validUntil before validFrom": (lambda c: c.update({"validUntil": "2025-01-01T00:00:00Z"}), "before validFrom"),
    "validFrom not a dateTimeStamp": (lambda c: c.update({"validFrom": "2026-01-15"}), "validFrom"),
    "undefined term": (lambda c: c["credentialSubject"].update({"favouriteColour": "teal"}), "favouriteColour"),
    "unregistered context": (lambda c: c["@context"].append("https://contexts.example/unknown/v1"), "context"),
    "proof already present": (lambda c: c.update({"proof": {"type": "DataIntegrityProof"}}), "proof"),
}


@pytest.mark.parametrize("case", BAD_CREDENTIALS, ids=list(BAD_CREDENTIALS))
def test_issuer_rejects_bad_credential(ref: RunningReference, client: httpx.Client, case: str) -> None:
    edit, needle = BAD_CREDENTIALS[case]
    assert_problem(issue(client, _mutate(ref, edit)), 400, needle)


def test_issuer_refuses_undefined_terms_with_data_loss_code(ref: RunningReference, client: httpx.Client) -> None:
    credential = _mutate(ref, lambda c: c["credentialSubject"].update({"favouriteColour": "teal"}))
    body = assert_problem(issue(client, credential), 400)
    assert body["code"] == "DATA_LOSS_DETECTION_ERROR" and body["type"].endswith("#DATA_LOSS_DETECTION_ERROR")


def test_vc11_credential_needs_issuance_date(ref: RunningReference, client: httpx.Client) -> None:
    credential = ob3_achievement_credential(ref.issuer_id, vc_version="1.1")
    del credential["issuanceDate"]
    assert_problem(issue(client, credential), 400, "issuanceDate")


def test_vc11_expiration_before_issuance_is_refused(ref: RunningReference, client: httpx.Client) -> None:
    credential = ob3_achievement_credential(ref.issuer_id, vc_version="1.1", valid_until="2025-01-01T00:00:00Z")
    assert_problem(issue(client, credential), 400, "before")


BAD_OPTIONS: dict[str, Any] = {
    "unknown option": {"mandatoryPointers": ["/issuer"]},
    "unknown suite": {"cryptosuite": "bbs-2022"},
    "suite not a string": {"cryptosuite": ["eddsa-rdfc-2022"]},
    "status not an object": {"credentialStatus": "revocation"},
    "status wrong type": {"credentialStatus": {"type": "StatusList2021Entry", "statusPurpose": "revocation"}},
    "status unknown purpose": {"credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "message"}},
    "status extra member": {"credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation",
                                                 "statusSize": 2}},
}


@pytest.mark.parametrize("case", BAD_OPTIONS, ids=list(BAD_OPTIONS))
def test_issuer_rejects_bad_options(ref: RunningReference, client: httpx.Client, case: str) -> None:
    assert_problem(issue(client, ob3_achievement_credential(ref.issuer_id), **BAD_OPTIONS[case]), 400)


@pytest.mark.parametrize("body", [
    {},
    {"credential": None},
    {"credential": []},
    {"credential": {}, "extra": 1},
    {"credential": {}, "options": []},
], ids=["empty", "null credential", "array credential", "unknown member", "options array"])
def test_issuer_rejects_malformed_requests(client: httpx.Client, body: dict[str, Any]) -> None:
    assert_problem(client.post("/credentials/issue", json=body), 400)


def test_options_may_be_omitted(ref: RunningReference, client: httpx.Client) -> None:
    response = client.post("/credentials/issue", json={"credential": ob3_achievement_credential(ref.issuer_id)})
    assert response.status_code == 201
    assert response.json()["verifiableCredential"]["proof"]["cryptosuite"] == "eddsa-rdfc-2022"


def test_input_is_not_modified_beyond_proof(ref: RunningReference, client: httpx.Client) -> None:
    credential = ob3_achievement_credential(ref.issuer_id)
    before = copy.deepcopy(credential)
    vc = issue(client, credential).json()["verifiableCredential"]
    assert {k: v for k, v in vc.items() if k != "proof"} == before


def test_clr_bundling_reference_badges_verifies(ref: RunningReference, client: httpx.Client, harness: Verifier) -> None:
    from lerconf.documents.templates import clr2_credential

    badge = issue(client, ob3_achievement_credential(ref.issuer_id)).json()["verifiableCredential"]
    clr = clr2_credential(ref.issuer_id, "did:example:learner-7c1f0a", [badge])
    response = issue(client, clr, cryptosuite="ecdsa-rdfc-2019")
    assert response.status_code == 201, response.text
    report = harness.verify_document(response.json()["verifiableCredential"])
    assert report.verified and report.nested and report.nested[0].verified
