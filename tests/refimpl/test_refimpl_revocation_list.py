"""The reference publishes 1EdTech Revocation Lists (OB-26), and its verifier rejects a badge one of
them lists as revoked: over HTTP, as a vendor's verifier would meet it."""
from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from lerconf.crypto.signing import Signer, deterministic_key
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.refimpl import RunningReference
from lerconf.refimpl.revocation_list import LIST_PATH, RevocationLists

pytestmark = pytest.mark.slow

ISSUER = Signer.did_key(deterministic_key("revocation-list-test-issuer", "Ed25519"))


def _badge(ref: RunningReference, url: str) -> dict[str, Any]:
    unsigned = ob3_achievement_credential(ISSUER.controller, credential_id=f"urn:uuid:{uuid.uuid4()}",
                                          credential_status={"id": url, "type": "1EdTechRevocationList"})
    return ISSUER.sign(unsigned, "eddsa-rdfc-2022", ref.state.verifier.processor)


def _lists(ref: RunningReference) -> RevocationLists:
    lists: RevocationLists = ref.state.status.revocation_lists
    return lists


def test_a_list_is_served_with_its_issuer_and_revoked_ids(ref: RunningReference, client: httpx.Client) -> None:
    name = _lists(ref).create(ISSUER.controller)
    assert client.get(f"{LIST_PATH}/{name}").json() == {"id": f"{ref.base_url}{LIST_PATH}/{name}",
                                                         "issuer": ISSUER.controller, "revokedCredentials": []}
    _lists(ref).revoke(name, "urn:uuid:1", "Issued in error")
    _lists(ref).revoke(name, "urn:uuid:2")
    answer = client.get(f"{LIST_PATH}/{name}")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/json")
    assert answer.json()["revokedCredentials"] == [{"id": "urn:uuid:1", "revocationReason": "Issued in error"},
                                                   {"id": "urn:uuid:2"}]


def test_an_unknown_list_is_404_and_bitstring_lists_are_unchanged(client: httpx.Client) -> None:
    assert client.get(f"{LIST_PATH}/no-such-list").status_code == 404
    assert client.get("/status-lists/revocation").status_code == 200
    with pytest.raises(KeyError):
        RevocationLists().revoke("no-such-list", "urn:uuid:1")


def test_the_reference_verifier_rejects_a_badge_its_issuers_list_revokes(ref: RunningReference,
                                                                          client: httpx.Client) -> None:
    name = _lists(ref).create(ISSUER.controller)
    url = f"{ref.base_url}{LIST_PATH}/{name}"
    valid, revoked = _badge(ref, url), _badge(ref, url)
    _lists(ref).revoke(name, revoked["id"], "Issued in error")
    ok = client.post("/credentials/verify", json={"verifiableCredential": valid}).json()
    assert ok["verified"] is True, ok
    refused = client.post("/credentials/verify", json={"verifiableCredential": revoked}).json()
    assert refused["verified"] is False and "revoked" in str(refused).lower(), refused
