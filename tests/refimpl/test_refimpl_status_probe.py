"""Probe status lists (lerconf/refimpl/status.py StatusRegistry.probe): the revocation list's bits
under a URL of their own, served with the Cache-Control they were made with, so a verifier's fetches
of them show whether it honours it (LMC-VE-06)."""
from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from lerconf.crypto.status_list import decode_encoded_list
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.refimpl import RunningReference
from lerconf.refimpl.wire import wire_of
from lerconf.verify.engine import Verifier

pytestmark = pytest.mark.slow


def _revoked_index(ref: RunningReference, client: httpx.Client) -> int:
    credential = ob3_achievement_credential(ref.issuer_id, credential_id=f"urn:uuid:{uuid.uuid4()}")
    issued = client.post("/credentials/issue", json={"credential": credential, "options": {
        "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}}}).json()
    answer = client.post("/credentials/status", json={"credentialId": credential["id"], "status": True,
                                                      "credentialStatus": {"type": "BitstringStatusListEntry",
                                                                           "statusPurpose": "revocation"}})
    assert answer.status_code == 200, answer.text
    return int(issued["verifiableCredential"]["credentialStatus"]["statusListIndex"])


def test_a_probe_serves_the_revocation_bits_signed_for_its_url(ref: RunningReference, client: httpx.Client,
                                                               harness: Verifier) -> None:
    index = _revoked_index(ref, client)
    url = ref.state.status.probe("no-cache")
    path = url.removeprefix(ref.base_url)
    mark = wire_of(ref.state).mark()
    response = client.get(path)
    assert response.status_code == 200 and response.headers["cache-control"] == "no-cache"
    doc: dict[str, Any] = response.json()
    assert doc["id"] == url and harness.verify_document(doc).verified
    bits = decode_encoded_list(doc["credentialSubject"]["encodedList"])
    assert bits[index // 8] & (0x80 >> (index % 8))  # the revoked credential is revoked here too
    assert [f.path for f in wire_of(ref.state).fetches_since(mark)] == [path]  # the fetch is in the wire log


def test_each_probe_has_its_own_url_and_an_unknown_one_is_404(ref: RunningReference, client: httpx.Client) -> None:
    first, second = ref.state.status.probe("max-age=300"), ref.state.status.probe("no-cache")
    assert first != second
    assert client.get(first.removeprefix(ref.base_url)).headers["cache-control"] == "max-age=300"
    assert client.get("/status-lists/probe/0000000000000000").status_code == 404
