"""Reference verifier and holder (API-08, API-11..15): VCALM result shape, presentations, challenges."""
from __future__ import annotations

import copy
import json
from typing import Any

import httpx
import pytest

from lerconf.crypto.signing import Signer, deterministic_key
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.refimpl import RunningReference
from lerconf.verify.engine import Verifier
from lerconf.verify.report import VerifyOptions

pytestmark = pytest.mark.slow
VP_CONTEXT = ["https://www.w3.org/ns/credentials/v2"]




@pytest.fixture(scope="module")
def vc(ref: RunningReference, client: httpx.Client) -> dict[str, Any]:
    response = client.post("/credentials/issue", json={"credential": ob3_achievement_credential(ref.issuer_id)})
    return response.json()["verifiableCredential"]  # type: ignore[no-any-return]


def verify(client: httpx.Client, credential: Any, **options: Any) -> httpx.Response:
    return client.post("/credentials/verify", json={"verifiableCredential": credential, "options": options})


def present(client: httpx.Client, credentials: list[dict[str, Any]], **options: Any) -> httpx.Response:
    presentation = {"@context": VP_CONTEXT, "type": ["VerifiablePresentation"], "verifiableCredential": credentials}
    return client.post("/presentations", json={"presentation": presentation, "options": options})


def verify_vp(client: httpx.Client, vp: dict[str, Any], **options: Any) -> httpx.Response:
    return client.post("/presentations/verify", json={"verifiablePresentation": vp, "options": options})


# -- credentials -----------------------------------------------------------------------------
def test_valid_credential_is_verified(client: httpx.Client, vc: dict[str, Any]) -> None:
    response = verify(client, vc)
    assert response.status_code == 200
    body = response.json()
    assert body["verified"] is True and body["problemDetails"] == []
    assert body["results"]["checks"] and "document" not in body


def test_tampered_credential_is_not_verified_with_reasons(client: httpx.Client, vc: dict[str, Any]) -> None:
    tampered = copy.deepcopy(vc)
    tampered["credentialSubject"]["achievement"]["name"] = "Something else"
    body = verify(client, tampered).json()
    assert body["verified"] is False and body["problemDetails"]
    for problem in body["problemDetails"]:
        assert problem["type"].startswith(("https://", "about:")) and problem["detail"]


def test_verified_is_false_iff_errors(client: httpx.Client, vc: dict[str, Any]) -> None:
    """API-12: warnings never flip verified; errors always do."""
    for doc in (vc, {**vc, "proof": {**vc["proof"], "proofValue": "z" + "1" * 80}}):
        body = verify(client, doc).json()
        assert body["verified"] is (not body["problemDetails"])


def test_return_flags(client: httpx.Client, vc: dict[str, Any]) -> None:
    body = verify(client, vc, returnResults=False, returnProblemDetails=False, returnCredential=True).json()
    assert set(body) == {"verified", "document"} and body["document"] == vc


def test_unsigned_credential_is_not_verified(client: httpx.Client, vc: dict[str, Any]) -> None:
    body = verify(client, {k: v for k, v in vc.items() if k != "proof"}).json()
    assert body["verified"] is False


def test_credential_signed_by_unauthorised_key_is_not_verified(ref: RunningReference, client: httpx.Client,
                                                               harness: Verifier) -> None:
    signed = ref.keys.unauthorised.sign(ob3_achievement_credential(ref.issuer_id), "eddsa-rdfc-2022", harness.processor)
    body = verify(client, signed).json()
    assert body["verified"] is False
    assert any(p.get("requirement") == "DI-19" for p in body["problemDetails"])


@pytest.mark.parametrize("body", [
    {}, {"verifiableCredential": None}, {"verifiableCredential": "eyJ.a.b"}, {"verifiableCredential": []},
    {"verifiableCredential": {}, "options": {"unknown": True}}, {"verifiableCredential": {}, "options": {"returnResults": 1}},
    {"verifiableCredential": {}, "extra": 1},
    {"verifiableCredential": {"type": ["VerifiablePresentation"]}},
], ids=["empty", "null", "string", "array", "unknown option", "flag not bool", "unknown member", "a presentation"])
def test_malformed_verify_request_is_400(client: httpx.Client, body: dict[str, Any]) -> None:
    response = client.post("/credentials/verify", json=body)
    assert response.status_code == 400 and response.json()["detail"]


# -- presentations -----------------------------------------------------------------------------
def test_presentation_round_trip(ref: RunningReference, client: httpx.Client, harness: Verifier,
                                 vc: dict[str, Any]) -> None:
    challenge = client.post("/challenges").json()["challenge"]
    response = present(client, [vc], challenge=challenge, domain="verifier.example")
    assert response.status_code == 201, response.text
    vp = response.json()["verifiablePresentation"]
    assert vp["holder"] == ref.keys.holder_id
    assert vp["proof"]["proofPurpose"] == "authentication"
    assert vp["proof"]["challenge"] == challenge and vp["proof"]["domain"] == "verifier.example"
    assert json.dumps(vp["verifiableCredential"][0]) == json.dumps(vc)  # embedded credential untouched
    report = harness.verify_document(vp, "vp", VerifyOptions(challenge=challenge, domain="verifier.example"))
    assert report.verified, report.to_json()["errors"]
    body = verify_vp(client, vp, challenge=challenge, domain="verifier.example").json()
    assert body["verified"] is True, body["problemDetails"]


def test_challenge_is_single_use(client: httpx.Client, vc: dict[str, Any]) -> None:
    challenge = client.post("/challenges", json={}).json()["challenge"]
    vp = present(client, [vc], challenge=challenge).json()["verifiablePresentation"]
    assert verify_vp(client, vp, challenge=challenge).json()["verified"] is True
    replay = verify_vp(client, vp, challenge=challenge).json()
    assert replay["verified"] is False
    assert any(p["type"].endswith("INVALID_CHALLENGE_ERROR") for p in replay["problemDetails"])


def test_challenges_are_unique(client: httpx.Client) -> None:
    minted = {client.post("/challenges").json()["challenge"] for _ in range(5)}
    assert len(minted) == 5 and all(len(c) >= 16 for c in minted)


@pytest.mark.parametrize("options", [{"challenge": "other"}, {"challenge": "abc", "domain": "elsewhere.example"}],
                         ids=["wrong challenge", "wrong domain"])
def test_wrong_challenge_or_domain_is_not_verified(client: httpx.Client, vc: dict[str, Any],
                                                   options: dict[str, str]) -> None:
    vp = present(client, [vc], challenge="abc", domain="verifier.example").json()["verifiablePresentation"]
    body = verify_vp(client, vp, **options)
    assert body.status_code == 200 and body.json()["verified"] is False


def test_presentation_with_a_tampered_credential_is_not_verified(client: httpx.Client, vc: dict[str, Any]) -> None:
    tampered = copy.deepcopy(vc)
    tampered["credentialSubject"]["id"] = "did:example:someone-else"
    vp = present(client, [tampered], challenge="c1").json()["verifiablePresentation"]
    body = verify_vp(client, vp, challenge="c1").json()
    assert body["verified"] is False
    assert any("verifiableCredential[0]" in p["source"] for p in body["problemDetails"])


def test_holder_must_be_the_signer(ref: RunningReference, client: httpx.Client, harness: Verifier,
                                   vc: dict[str, Any]) -> None:
    """API-14: a presentation naming the reference holder but signed by another did:key fails."""
    other = Signer.did_key(deterministic_key("someone-else", "Ed25519"))
    vp = {"@context": VP_CONTEXT, "type": ["VerifiablePresentation"], "holder": ref.keys.holder_id,
          "verifiableCredential": [vc]}
    signed = other.sign(vp, "eddsa-rdfc-2022", harness.processor, purpose="authentication", challenge="c2")
    body = verify_vp(client, signed, challenge="c2").json()
    assert body["verified"] is False
    assert [p["requirement"] for p in body["problemDetails"]] == ["DIVP-03"]


@pytest.mark.parametrize("case", ["no challenge", "empty challenge", "unknown option", "other holder",
                                  "not a presentation", "credential is a string", "already signed", "domain list"])
def test_malformed_presentation_request_is_400(ref: RunningReference, client: httpx.Client, case: str) -> None:
    presentation: dict[str, Any] = {"@context": VP_CONTEXT, "type": ["VerifiablePresentation"]}
    options: dict[str, Any] = {"challenge": "c"}
    if case == "no challenge":
        options = {}
    elif case == "empty challenge":
        options = {"challenge": ""}
    elif case == "unknown option":
        options["proofPurpose"] = "assertionMethod"
    elif case == "other holder":
        presentation["holder"] = "did:example:someone"
    elif case == "not a presentation":
        presentation["type"] = ["VerifiableCredential"]
    elif case == "credential is a string":
        presentation["verifiableCredential"] = ["eyJ"]
    elif case == "already signed":
        presentation["proof"] = {"type": "DataIntegrityProof"}
    elif case == "domain list":
        options["domain"] = ["a", "b"]
    response = client.post("/presentations", json={"presentation": presentation, "options": options})
    assert response.status_code == 400, response.text


@pytest.mark.parametrize("body", [
    {}, {"verifiablePresentation": {"type": ["VerifiableCredential"]}},
    {"verifiablePresentation": {"type": ["VerifiablePresentation"]}, "options": {"challenge": 5}},
    {"verifiablePresentation": {"type": ["VerifiablePresentation"]}, "options": {"domain": []}},
], ids=["empty", "a credential", "challenge not string", "empty domain list"])
def test_malformed_presentation_verify_request_is_400(client: httpx.Client, body: dict[str, Any]) -> None:
    assert client.post("/presentations/verify", json=body).status_code == 400


def test_an_id_rdf_cannot_hold_is_a_failed_proof_over_http(client: httpx.Client, vc: dict[str, Any]) -> None:
    """`"id": "urn:a{b}"` (pyld writes it, RDF has no such IRI) once escaped verification as a SyntaxError:
    the served verifier answers it like any other failed proof, naming why (never a 500)."""
    tampered = {**copy.deepcopy(vc), "id": "urn:a{b}"}
    tampered_response, plain_response = verify(client, tampered), verify(client, {**vc, "name": "other"})
    assert tampered_response.status_code == plain_response.status_code != 500
    body = tampered_response.json()
    assert body["verified"] is False
    assert any("not RDF" in problem["detail"] and "Invalid IRI" in problem["detail"] for problem in body["problemDetails"]), body
