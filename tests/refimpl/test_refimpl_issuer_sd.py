"""The reference issuer's ecdsa-sd-2023 and bbs-2023 base proofs (issue 18): the mandatory pointers asked
for are the ones signed as mandatory, the base proof checks out as a holder checks it, and what a holder
derives from it verifies; pointers into nothing, or on another suite, are a 400 naming them."""
from __future__ import annotations

from typing import Any

import httpx
import pytest

from lerconf.crypto.di import bbs_2023, bbs_2023_derive
from lerconf.crypto.di.ecdsa_sd import parse_base_proof, verify_base
from lerconf.crypto.di.ecdsa_sd_derive import derive
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.refimpl import RunningReference
from lerconf.verify.engine import Verifier
from lerconf.verify.report import VerifyOptions

pytestmark = pytest.mark.slow

POINTERS = ["/issuer", "/validFrom", "/credentialSubject/achievement"]


def _issue(client: httpx.Client, credential: dict[str, Any], options: dict[str, Any]) -> httpx.Response:
    return client.post("/credentials/issue", json={"credential": credential, "options": options})


def test_a_base_proof_honours_the_pointers_and_derives(ref: RunningReference, client: httpx.Client,
                                                        harness: Verifier) -> None:
    credential = ob3_achievement_credential(ref.issuer_id, "did:example:learner")
    credential["description"] = "left out of the disclosure"
    answer = _issue(client, credential, {"cryptosuite": "ecdsa-sd-2023", "mandatoryPointers": POINTERS})
    assert answer.status_code == 201, answer.text
    vc = answer.json()["verifiableCredential"]
    proof = vc["proof"]
    assert proof["cryptosuite"] == "ecdsa-sd-2023" and proof["verificationMethod"] == ref.keys.p256.verification_method
    assert list(parse_base_proof(proof["proofValue"]).mandatory_pointers) == POINTERS
    outcome, _ = verify_base(vc, proof, ref.keys.p256.key.public, harness.processor)
    assert outcome.valid, outcome.message
    disclosed = derive(vc, ["/name"], harness.processor)
    assert "description" not in disclosed and disclosed["name"] == credential["name"]
    report = harness.verify_document(disclosed, "derived")
    assert report.verified, report.to_json()["errors"]
    # the undivided base proof itself is not for verifiers (EC-05)
    assert not harness.verify_document(vc, "base").verified


@pytest.mark.parametrize(("options", "needle"), [
    ({"cryptosuite": "ecdsa-sd-2023", "mandatoryPointers": ["/nowhere"]}, "/nowhere point at nothing"),
    ({"cryptosuite": "ecdsa-sd-2023", "mandatoryPointers": "/issuer"}, "array of JSON pointers"),
    ({"cryptosuite": "bbs-2023", "mandatoryPointers": ["/nowhere"]}, "/nowhere point at nothing"),
    ({"cryptosuite": "eddsa-rdfc-2022", "mandatoryPointers": ["/issuer"]}, "applies to ecdsa-sd-2023 and bbs-2023 only"),
])
def test_bad_mandatory_pointers_are_refused(ref: RunningReference, client: httpx.Client, options: dict[str, Any],
                                            needle: str) -> None:
    answer = _issue(client, ob3_achievement_credential(ref.issuer_id), options)
    assert answer.status_code == 400 and needle in answer.json()["detail"], answer.text


@pytest.mark.parametrize("suite", ["ecdsa-sd-2023", "bbs-2023"])
def test_the_status_entry_it_adds_can_be_mandatory(ref: RunningReference, client: httpx.Client, harness: Verifier,
                                                   suite: str) -> None:
    """LCS-04: with options.credentialStatus, /credentialStatus points at the entry the issuer adds, and
    every disclosure keeps it; without a status asked for, it points at nothing (a 400)."""
    credential = ob3_achievement_credential(ref.issuer_id, "did:example:learner", credential_id="urn:uuid:sd-status-" + suite)
    status = {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}
    pointers = [*POINTERS, "/credentialStatus"]
    answer = _issue(client, credential, {"cryptosuite": suite, "mandatoryPointers": pointers, "credentialStatus": status})
    assert answer.status_code == 201, answer.text
    vc = answer.json()["verifiableCredential"]
    derive_with = bbs_2023_derive.derive if suite == "bbs-2023" else derive
    disclosed = derive_with(vc, ["/name"], harness.processor)
    assert disclosed["credentialStatus"] == vc["credentialStatus"]
    assert harness.verify_document(disclosed, "derived").verified
    refused = _issue(client, ob3_achievement_credential(ref.issuer_id), {"cryptosuite": suite, "mandatoryPointers": pointers})
    assert refused.status_code == 400 and "/credentialStatus point at nothing" in refused.json()["detail"], refused.text


def test_a_bbs_base_proof_honours_the_pointers_and_derives(ref: RunningReference, client: httpx.Client,
                                                            harness: Verifier) -> None:
    credential = ob3_achievement_credential(ref.issuer_id, "did:example:learner")
    credential["description"] = "left out of the disclosure"
    answer = _issue(client, credential, {"cryptosuite": "bbs-2023", "mandatoryPointers": POINTERS})
    assert answer.status_code == 201, answer.text
    vc = answer.json()["verifiableCredential"]
    proof = vc["proof"]
    assert proof["cryptosuite"] == "bbs-2023" and proof["verificationMethod"] == ref.keys.bls.verification_method
    assert list(bbs_2023.parse_base_proof(proof["proofValue"]).mandatory_pointers) == POINTERS
    outcome, _ = bbs_2023.verify_base(vc, proof, ref.keys.bls.key.public.key, harness.processor)
    assert outcome.valid, outcome.message
    disclosed = bbs_2023_derive.derive(vc, ["/name"], harness.processor)
    assert "description" not in disclosed and disclosed["name"] == credential["name"]
    report = harness.verify_document(disclosed, "derived")
    assert report.verified, report.to_json()["errors"]
    base_report = harness.verify_document(vc, "base")  # the undivided base proof is not for verifiers (LBB-03)
    assert not base_report.verified
    assert [r.status.value for r in base_report.checks if r.requirement == "LBB-03"] == ["failed"]


# -- the holder service's Derive Credential (API-09, EC-04) -----------------------------------------
@pytest.mark.parametrize("suite", ["ecdsa-sd-2023", "bbs-2023"])
def test_the_holder_derives_only_what_is_asked(ref: RunningReference, client: httpx.Client, harness: Verifier,
                                               suite: str) -> None:
    credential = ob3_achievement_credential(ref.issuer_id, "did:example:learner")
    credential["description"] = "left out of the disclosure"
    issued = _issue(client, credential, {"cryptosuite": suite, "mandatoryPointers": POINTERS}).json()
    answer = client.post("/credentials/derive", json={"verifiableCredential": issued["verifiableCredential"],
                                                      "options": {"selectivePointers": ["/name"]}})
    assert answer.status_code == 201, answer.text
    derived = answer.json()["verifiableCredential"]
    assert derived["name"] == credential["name"] and "description" not in derived
    assert derived["proof"]["proofValue"] != issued["verifiableCredential"]["proof"]["proofValue"]
    assert derived["proof"]["cryptosuite"] == suite
    assert harness.verify_document(derived, "derived").verified


@pytest.mark.parametrize(("body", "needle"), [
    ({"verifiableCredential": {"proof": {}}, "options": {"selectivePointers": ["/name"]}}, "no ecdsa-sd-2023 proof"),
    ({"verifiableCredential": {}, "options": {"selectivePointers": "/name"}}, "array of JSON pointers"),
    ({"verifiableCredential": {}, "options": {"other": 1}}, "other"),
    ({"verifiableCredential": {"proof": {"cryptosuite": "bbs-2023", "proofValue": "u2V0C"}},
      "options": {"selectivePointers": ["/name"]}}, "base proof proofValue is not CBOR"),
])
def test_a_derive_request_it_cannot_serve_is_a_400(client: httpx.Client, body: dict[str, Any], needle: str) -> None:
    answer = client.post("/credentials/derive", json=body)
    assert answer.status_code == 400 and needle in answer.json()["detail"], answer.text


# -- the holder service's Create Presentation with a disclosure (API-08) ------------------------------
@pytest.mark.parametrize("suite", ["ecdsa-sd-2023", "bbs-2023"])
def test_the_holder_presents_a_disclosure_but_never_a_base_proof(ref: RunningReference, client: httpx.Client,
                                                                 harness: Verifier, suite: str) -> None:
    """A derived proof is embedded unchanged and the presentation verifies; the base proof it was
    derived from is refused (400): it is for the holder only, and a verifier must refuse it (EC-05, LBB-03)."""
    credential = ob3_achievement_credential(ref.issuer_id, "did:example:learner")
    issued = _issue(client, credential, {"cryptosuite": suite, "mandatoryPointers": POINTERS}).json()["verifiableCredential"]
    derived = client.post("/credentials/derive", json={"verifiableCredential": issued,
                                                       "options": {"selectivePointers": ["/name"]}}).json()["verifiableCredential"]
    options = {"challenge": "c-1", "domain": "verifier.example"}
    presentation = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"]}
    answer = client.post("/presentations", json={"presentation": {**presentation, "verifiableCredential": [derived]},
                                                 "options": options})
    assert answer.status_code == 201, answer.text
    vp = answer.json()["verifiablePresentation"]
    assert vp["verifiableCredential"] == [derived]
    assert harness.verify_document(vp, "vp", VerifyOptions(challenge="c-1", domain="verifier.example")).verified
    refused = client.post("/presentations", json={"presentation": {**presentation, "verifiableCredential": [issued]},
                                                  "options": options})
    assert refused.status_code == 400 and f"carries a {suite} base proof" in refused.json()["detail"], refused.text
