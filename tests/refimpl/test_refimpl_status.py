"""Reference status list service (API-06, BSL-04..11, BSL-18): revoke, suspend, reinstate."""
from __future__ import annotations

import itertools
import uuid
from typing import Any

import httpx
import pytest

from lerconf.crypto.status_list import (
    MIN_LIST_ENTRIES,
    decode_encoded_list,
    read_status,
)
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.refimpl import RunningReference
from lerconf.results import Status
from lerconf.verify.engine import Verifier

pytestmark = pytest.mark.slow




def issue_with_status(ref: RunningReference, client: httpx.Client, purpose: str, vc_version: str = "2.0",
                      suite: str = "eddsa-rdfc-2022") -> dict[str, Any]:
    credential = ob3_achievement_credential(ref.issuer_id, credential_id=f"urn:uuid:{uuid.uuid4()}", vc_version=vc_version)
    response = client.post("/credentials/issue", json={"credential": credential, "options": {
        "cryptosuite": suite, "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": purpose}}})
    assert response.status_code == 201, response.text
    return response.json()["verifiableCredential"]  # type: ignore[no-any-return]


def set_status(client: httpx.Client, credential_id: str, purpose: str, value: bool) -> httpx.Response:
    return client.post("/credentials/status", json={
        "credentialId": credential_id,
        "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": purpose},
        "status": value,
    })


def status_failure(verifier: Verifier, vc: dict[str, Any]) -> list[str]:
    report = verifier.verify_document(vc)
    return [r.requirement for r in report.checks if r.status is Status.FAILED]


def test_status_entry_points_at_this_server(ref: RunningReference, client: httpx.Client) -> None:
    vc = issue_with_status(ref, client, "revocation")
    entry = vc["credentialStatus"]
    url = f"{ref.base_url}/status-lists/revocation"
    assert entry["type"] == "BitstringStatusListEntry" and entry["statusPurpose"] == "revocation"
    assert entry["statusListCredential"] == url and entry["id"] != url
    assert 0 <= int(entry["statusListIndex"]) < MIN_LIST_ENTRIES and entry["statusListIndex"].isdigit()


def test_indexes_are_random_not_sequential(ref: RunningReference, client: httpx.Client) -> None:
    indexes = [int(issue_with_status(ref, client, "suspension")["credentialStatus"]["statusListIndex"]) for _ in range(6)]
    assert len(set(indexes)) == 6
    steps = {b - a for a, b in itertools.pairwise(indexes)}
    assert steps != {1}


def test_status_list_credential_is_signed_and_large(ref: RunningReference, client: httpx.Client, harness: Verifier) -> None:
    response = client.get("/status-lists/revocation")
    assert response.status_code == 200
    assert "max-age=" in response.headers["cache-control"]
    doc = response.json()
    # signed by the issuer's Ed25519 key as a did:key, which verifiers resolve without reaching us
    assert "BitstringStatusListCredential" in doc["type"] and doc["issuer"] == ref.keys.ed25519.key.public.to_multikey().join(("did:key:", ""))
    subject = doc["credentialSubject"]
    assert subject["type"] == "BitstringStatusList" and subject["statusPurpose"] == "revocation"
    max_age = int(response.headers["cache-control"].split("max-age=")[1])
    assert max_age * 1000 <= subject["ttl"]  # HTTP caching never outlives the list's own ttl (BSL-11)
    assert len(decode_encoded_list(subject["encodedList"])) * 8 >= MIN_LIST_ENTRIES
    assert doc["proof"]["cryptosuite"] == "eddsa-rdfc-2022" and "validFrom" in doc
    assert harness.verify_document(doc).verified


def test_unknown_status_list_is_404(client: httpx.Client) -> None:
    response = client.get("/status-lists/refresh")
    assert response.status_code == 404 and response.json()["type"]


@pytest.mark.parametrize("vc_version", ["2.0", "1.1"])
def test_revoked_credential_fails_verification(ref: RunningReference, client: httpx.Client, harness: Verifier,
                                               vc_version: str) -> None:
    vc = issue_with_status(ref, client, "revocation", vc_version)
    assert harness.verify_document(vc).verified
    assert set_status(client, vc["id"], "revocation", True).status_code == 200
    assert "BSL-18" in status_failure(harness, vc)
    index = int(vc["credentialStatus"]["statusListIndex"])
    listed = client.get("/status-lists/revocation").json()["credentialSubject"]["encodedList"]
    assert read_status(decode_encoded_list(listed), index) == 1  # BSL-07: left-most bit is index 0
    # and the reference's own verifier agrees (VCALM failure style: 200 + verified false)
    answer = client.post("/credentials/verify", json={"verifiableCredential": vc})
    assert answer.status_code == 200 and answer.json()["verified"] is False
    assert any("STATUS" in p["type"] or p.get("requirement") == "BSL-18" for p in answer.json()["problemDetails"])


def test_revocation_is_irreversible(ref: RunningReference, client: httpx.Client) -> None:
    vc = issue_with_status(ref, client, "revocation")
    assert set_status(client, vc["id"], "revocation", True).status_code == 200
    assert set_status(client, vc["id"], "revocation", True).status_code == 200  # idempotent
    response = set_status(client, vc["id"], "revocation", False)
    assert response.status_code == 400 and "irreversible" in response.json()["detail"]


def test_suspension_is_reversible(ref: RunningReference, client: httpx.Client, harness: Verifier) -> None:
    vc = issue_with_status(ref, client, "suspension", suite="ecdsa-jcs-2019")
    assert harness.verify_document(vc).verified
    assert set_status(client, vc["id"], "suspension", True).status_code == 200
    assert "BSL-18" in status_failure(harness, vc)
    assert set_status(client, vc["id"], "suspension", False).status_code == 200
    assert harness.verify_document(vc).verified


def test_unsetting_a_clear_revocation_bit_is_allowed(ref: RunningReference, client: httpx.Client) -> None:
    vc = issue_with_status(ref, client, "revocation")
    assert set_status(client, vc["id"], "revocation", False).status_code == 200


def test_unknown_credential_is_404(client: httpx.Client) -> None:
    response = set_status(client, "urn:uuid:00000000-0000-4000-8000-000000000000", "revocation", True)
    assert response.status_code == 404 and response.headers["content-type"].startswith("application/problem+json")


def test_wrong_purpose_for_known_credential_is_404(ref: RunningReference, client: httpx.Client) -> None:
    vc = issue_with_status(ref, client, "revocation")
    assert set_status(client, vc["id"], "suspension", True).status_code == 404


def test_same_credential_id_cannot_get_two_entries_of_one_purpose(ref: RunningReference, client: httpx.Client) -> None:
    vc = issue_with_status(ref, client, "revocation")
    credential = {k: v for k, v in vc.items() if k not in ("proof", "credentialStatus")}
    response = client.post("/credentials/issue", json={"credential": credential, "options": {
        "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}}})
    assert response.status_code == 409


def test_status_request_needs_a_credential_id(ref: RunningReference, client: httpx.Client) -> None:
    credential = ob3_achievement_credential(ref.issuer_id)
    del credential["id"]
    response = client.post("/credentials/issue", json={"credential": credential, "options": {
        "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}}})
    assert response.status_code == 400 and "id" in response.json()["detail"]


def test_refused_signature_releases_the_index(ref: RunningReference, client: httpx.Client) -> None:
    credential = ob3_achievement_credential(ref.issuer_id, credential_id=f"urn:uuid:{uuid.uuid4()}")
    credential["credentialSubject"]["undefinedThing"] = 1
    response = client.post("/credentials/issue", json={"credential": credential, "options": {
        "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}}})
    assert response.status_code == 400
    assert ref.state.status.index_of(credential["id"], "revocation") is None


BAD_UPDATES: dict[str, Any] = {
    "not an object": [],
    "no credentialId": {"credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"},
                        "status": True},
    "status not boolean": {"credentialId": "urn:x", "credentialStatus": {"type": "BitstringStatusListEntry",
                                                                          "statusPurpose": "revocation"}, "status": 1},
    "no credentialStatus": {"credentialId": "urn:x", "status": True},
    "wrong entry type": {"credentialId": "urn:x", "credentialStatus": {"type": "StatusList2021Entry",
                                                                        "statusPurpose": "revocation"}, "status": True},
    "unknown purpose": {"credentialId": "urn:x", "credentialStatus": {"type": "BitstringStatusListEntry",
                                                                       "statusPurpose": "refresh"}, "status": True},
    "unknown member": {"credentialId": "urn:x", "credentialStatus": {"type": "BitstringStatusListEntry",
                                                                      "statusPurpose": "revocation"}, "status": True,
                       "reason": "x"},
}


@pytest.mark.parametrize("case", BAD_UPDATES, ids=list(BAD_UPDATES))
def test_malformed_status_update_is_400(client: httpx.Client, case: str) -> None:
    response = client.post("/credentials/status", json=BAD_UPDATES[case])
    assert response.status_code == 400, response.text
    assert response.json()["detail"]
