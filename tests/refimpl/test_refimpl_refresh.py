"""The reference runs a 1EdTech refresh service per badge (OB-25): served over HTTP, counted on the wire,
and its own verifier refreshes a valid badge once, and a badge whose proof fails never."""
from __future__ import annotations

import copy
import uuid
from typing import Any

import httpx
import pytest

from lerconf.crypto.signing import Signer, deterministic_key
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.refimpl import RunningReference
from lerconf.refimpl.refresh import PREFIX, new_service, publish
from lerconf.refimpl.wire import wire_of

pytestmark = pytest.mark.slow

ISSUER = Signer.did_key(deterministic_key("refresh-test-issuer", "Ed25519"))


def _refreshable(ref: RunningReference) -> tuple[dict[str, Any], str]:
    url = new_service(ref.state)
    unsigned = ob3_achievement_credential(ISSUER.controller, credential_id=f"urn:uuid:{uuid.uuid4()}")
    unsigned["refreshService"] = {"id": url, "type": "1EdTechCredentialRefresh"}
    badge = ISSUER.sign(copy.deepcopy(unsigned), "eddsa-rdfc-2022", ref.state.verifier.processor)
    refreshed = {**unsigned, "validFrom": "2026-01-16T09:00:00Z"}
    publish(ref.state, url, ISSUER.sign(refreshed, "eddsa-rdfc-2022", ref.state.verifier.processor))
    return badge, url


def _calls(ref: RunningReference, url: str) -> int:
    return len(wire_of(ref.state).fetches_since(0, path=httpx.URL(url).path))


def test_a_refresh_service_serves_its_badge_and_nothing_else(ref: RunningReference, client: httpx.Client) -> None:
    badge, url = _refreshable(ref)
    answer = client.get(httpx.URL(url).path)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/vc+ld+json")
    assert answer.json()["id"] == badge["id"] and answer.json()["validFrom"] != badge["validFrom"]
    assert client.get(f"{PREFIX}no-such-service").status_code == 404
    assert client.get(httpx.URL(new_service(ref.state)).path).status_code == 404  # nothing published yet
    assert _calls(ref, url) == 1


def test_the_reference_verifier_refreshes_a_valid_badge_once(ref: RunningReference, client: httpx.Client) -> None:
    badge, url = _refreshable(ref)
    body = client.post("/credentials/verify", json={"verifiableCredential": badge}).json()
    assert body["verified"] is True, body
    assert any(c["id"] == "OB-25" and c["status"] == "passed" for c in body["results"]["checks"])
    assert body["results"]["refreshed_from"]["checks"]
    assert _calls(ref, url) == 1  # the refreshed badge names the service again: not followed


def test_the_reference_verifier_never_refreshes_a_badge_whose_proof_fails(ref: RunningReference,
                                                                         client: httpx.Client) -> None:
    badge, url = _refreshable(ref)
    badge["name"] = "Changed after signing"
    body = client.post("/credentials/verify", json={"verifiableCredential": badge}).json()
    assert body["verified"] is False and _calls(ref, url) == 0
