"""Reference status lists honour ``Accept``, and the reference verifier reports a revoked or suspended
credential as a status result (BSL §3.2), never as MALFORMED_VALUE_ERROR (issue 12, point 4)."""
from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from lerconf.documents.templates import ob3_achievement_credential
from lerconf.refimpl import RunningReference
from lerconf.refimpl.status import negotiate
from lerconf.verify.report import STATUS_RESULT


# -- content negotiation ---------------------------------------------------------------------------
@pytest.mark.parametrize(("accept", "served"), [
    (None, "application/vc"),
    ("", "application/vc"),
    ("*/*", "application/vc"),
    ("application/*", "application/vc"),
    ("application/vc", "application/vc"),
    ("application/ld+json, application/json", "application/ld+json"),
    ("application/json", "application/json"),
    ("application/json, */*;q=0.1", "application/json"),
    ("application/ld+json;q=0.5, application/json", "application/json"),
    ("application/vc+ld+json", "application/vc+ld+json"),
    ("application/vc, application/ld+json", "application/vc"),
    ("application/vc;q=0.2, application/ld+json;q=0.9", "application/ld+json"),
    ("application/json;q=0, */*", "application/vc"),
    ("text/html", "application/vc"),  # nothing offered is named: the default, not a 406
    ("application/json;q=oops", "application/vc"),
], ids=lambda v: repr(v))
def test_negotiate(accept: str | None, served: str) -> None:
    assert negotiate(accept) == served


@pytest.mark.parametrize(("accept", "served"), [
    ({}, "application/vc"),
    ({"Accept": "application/ld+json, application/json"}, "application/ld+json"),
    ({"Accept": "application/json"}, "application/json"),
])
def test_status_list_is_served_under_the_label_asked_for(client: httpx.Client, accept: dict[str, str],
                                                         served: str) -> None:
    response = client.get("/status-lists/revocation", headers=accept)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == served
    assert "accept" in response.headers["vary"].lower()
    assert "BitstringStatusListCredential" in response.json()["type"]


# -- revocation is a status result -----------------------------------------------------------------
def _issue_with_status(ref: RunningReference, client: httpx.Client, purpose: str) -> dict[str, Any]:
    credential = ob3_achievement_credential(ref.issuer_id, credential_id=f"urn:uuid:{uuid.uuid4()}")
    response = client.post("/credentials/issue", json={"credential": credential, "options": {
        "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": purpose}}})
    assert response.status_code == 201, response.text
    return response.json()["verifiableCredential"]  # type: ignore[no-any-return]


def _set(client: httpx.Client, vc: dict[str, Any], purpose: str, value: bool) -> None:
    response = client.post("/credentials/status", json={
        "credentialId": vc["id"], "status": value,
        "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": purpose}})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(("purpose", "word"), [("revocation", "revoked"), ("suspension", "suspended")])
def test_set_status_bit_is_reported_as_a_status_result(ref: RunningReference, client: httpx.Client,
                                                        purpose: str, word: str) -> None:
    vc = _issue_with_status(ref, client, purpose)
    before = client.post("/credentials/verify", json={"verifiableCredential": vc}).json()
    assert before["verified"] is True, before["problemDetails"]
    _set(client, vc, purpose, True)
    body = client.post("/credentials/verify", json={"verifiableCredential": vc}).json()
    assert body["verified"] is False
    assert all(p.get("code") != "MALFORMED_VALUE_ERROR" for p in body["problemDetails"]), body["problemDetails"]
    [problem] = [p for p in body["problemDetails"] if p.get("requirement") == "BSL-18"]
    assert problem["type"] == STATUS_RESULT and problem["title"] == f"Credential {word}"
    assert word in problem["detail"] and "code" not in problem
    entry = vc["credentialStatus"]
    assert problem["statusResult"] == {"status": 1, "purpose": purpose, "valid": False,
                                       "statusListIndex": entry["statusListIndex"],
                                       "statusListCredential": entry["statusListCredential"]}
