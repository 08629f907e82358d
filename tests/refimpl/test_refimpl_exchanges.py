"""The reference's VCALM workflows and exchanges (API-19..22): create, start, DID authentication,
issuance bound to the authenticated DID, a verifying workflow, and what every step refuses."""
from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from lerconf.crypto.signing import Signer, deterministic_key
from lerconf.documents.templates import ob3_achievement_credential, unsigned_presentation
from lerconf.refimpl import RunningReference
from lerconf.verify.engine import Verifier

pytestmark = pytest.mark.slow
HOLDER = Signer.did_key(deterministic_key("test-vcalm-holder", "Ed25519"))
STRANGER = Signer.did_key(deterministic_key("test-vcalm-stranger", "Ed25519"))


def start(client: httpx.Client, workflow: str) -> tuple[str, dict[str, Any]]:
    created = client.post(f"/workflows/{workflow}/exchanges", json={})
    assert created.status_code == 201, created.text
    url = created.headers["location"]
    assert created.json()["exchangeUrl"] == url and created.json()["interactionUrl"].endswith("?iuv=1")
    started = client.post(url, json={})
    assert started.status_code == 200
    return url, started.json()["verifiablePresentationRequest"]


def did_auth(ref: RunningReference, vpr: dict[str, Any], *, signer: Signer = HOLDER, challenge: str | None = None,
             credentials: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    vp = unsigned_presentation(credentials or [], HOLDER.controller)
    if not credentials:
        del vp["verifiableCredential"]
    return signer.sign(vp, "eddsa-rdfc-2022", ref.state.verifier.processor, purpose="authentication",
                       challenge=challenge or vpr["challenge"], domain=vpr["domain"])


def test_issuing_exchange_binds_the_badge_to_the_authenticated_did(
        ref: RunningReference, client: httpx.Client, harness: Verifier) -> None:
    url, vpr = start(client, "issue-badge")
    assert [q["type"] for q in vpr["query"]] == ["DIDAuthentication"] and vpr["challenge"] and vpr["domain"]
    answer = client.post(url, json={"verifiablePresentation": did_auth(ref, vpr)})
    assert answer.status_code == 200, answer.text
    badge = answer.json()["verifiablePresentation"]["verifiableCredential"][0]
    assert badge["credentialSubject"]["id"] == HOLDER.controller
    assert harness.verify_document(badge, "issued").verified
    again = client.post(url, json={"verifiablePresentation": did_auth(ref, vpr)})  # a replayed step
    assert again.status_code == 409 and again.headers["content-type"] == "application/problem+json"
    assert client.get(f"{url}/request").json() == {}  # done: no request left
    assert client.get(url).json()["exchange"]["state"] == "complete"


@pytest.mark.parametrize("defect", ["challenge", "signer", "purpose"])
def test_a_wrong_did_authentication_is_refused_as_a_problem(ref: RunningReference, client: httpx.Client,
                                                            defect: str) -> None:
    url, vpr = start(client, "issue-badge")
    if defect == "purpose":
        vp = HOLDER.sign(unsigned_presentation([], HOLDER.controller), "eddsa-rdfc-2022", ref.state.verifier.processor,
                         purpose="assertionMethod", challenge=vpr["challenge"], domain=vpr["domain"])
    else:
        vp = did_auth(ref, vpr, signer=STRANGER if defect == "signer" else HOLDER,
                      challenge="not-the-challenge" if defect == "challenge" else None)
    answer = client.post(url, json={"verifiablePresentation": vp})
    assert answer.status_code == 400 and answer.json()["type"].startswith("https://")
    assert client.get(url).json()["exchange"]["state"] == "active"  # nothing issued; the wallet may retry


def test_reading_the_request_does_not_advance(ref: RunningReference, client: httpx.Client) -> None:
    url, vpr = start(client, "issue-badge")
    for _ in range(2):
        assert client.get(f"{url}/request").json()["verifiablePresentationRequest"] == vpr
    assert client.post(url, json={"verifiablePresentation": did_auth(ref, vpr)}).status_code == 200


def test_protocols_and_interaction_url(client: httpx.Client) -> None:
    created = client.post("/workflows/verify-badge/exchanges", json={}).json()
    protocols = client.get(f"{created['exchangeUrl']}/protocols").json()
    assert protocols == {"protocols": {"vcapi": created["exchangeUrl"]}}
    as_app = client.get(created["interactionUrl"], headers={"Accept": "application/json"})
    assert as_app.json() == protocols
    as_browser = client.get(created["interactionUrl"], headers={"Accept": "text/html"})
    assert as_browser.headers["content-type"].startswith("text/html") and created["exchangeUrl"] in as_browser.text
    assert client.get(created["interactionUrl"].replace("?iuv=1", "")).status_code == 400
    assert client.post("/workflows/nope/exchanges", json={}).status_code == 404
    assert client.post(created["exchangeUrl"], json={"verifiablePresentation": "x"}).json()["type"]


def test_verifying_exchange_accepts_a_valid_badge_and_refuses_a_tampered_one(
        ref: RunningReference, client: httpx.Client) -> None:
    issued = client.post("/credentials/issue", json={"credential": ob3_achievement_credential(
        ref.issuer_id, HOLDER.controller, credential_id="urn:uuid:7d1c4f1e-1b7a-4d0e-9a57-2f1f3c9a0b11")})
    badge = issued.json()["verifiableCredential"]
    url, vpr = start(client, "verify-badge")
    assert [q["type"] for q in vpr["query"]] == ["QueryByExample", "DIDAuthentication"]
    tampered = copy.deepcopy(badge)
    tampered["name"] = "Something else"
    refused = client.post(url, json={"verifiablePresentation": did_auth(ref, vpr, credentials=[tampered])})
    assert refused.status_code == 400 and "DI-15" in refused.json()["detail"]
    assert client.get(url).json()["exchange"]["result"]["verified"] is False
    accepted = client.post(url, json={"verifiablePresentation": did_auth(ref, vpr, credentials=[badge])})
    assert accepted.status_code == 200 and accepted.json() == {}
    assert client.get(url).json()["exchange"]["result"]["verified"] is True
    nothing = client.post(start(client, "verify-badge")[0], json={"verifiablePresentation": did_auth(ref, vpr)})
    assert nothing.status_code == 400  # no badge (and the other exchange's challenge)
