"""The wire decides for status and did:web (lerconf.scenarios.reach): a valid credential rejected
by a verifier that never fetched lerconf's document cannot be judged; fetched and rejected, the
verdict checks fail as usual with the fetch count in the reason; a list fetched in an earlier call
to the same vendor (a cached copy) counts; lerconf's own fetches outside the call never do."""
from __future__ import annotations

import uuid
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from lerconf.crypto.did import did_web_url
from lerconf.documents.templates import ob3_achievement_credential
from lerconf.evidence import Evidence
from lerconf.protocol.vcapi import VerifierAnswer, VerifierVerdict
from lerconf.scenarios.reach import clear_on_lerconf_lists, lerconf_documents, verify_reaching
from lerconf.verdicts import CannotJudge


@pytest.fixture
def harness(ref: Any) -> Any:
    """What the rule reads of a run's harness: the reference (its wire log) and the run's cache."""
    return SimpleNamespace(reference=ref, cache={})


def _vendor(name: str = "vendor A") -> Any:
    return SimpleNamespace(name=name)


def _credential(ref: Any, *, purpose: str = "revocation", did_web: bool = False) -> dict[str, Any]:
    url = f"{ref.public_base_url}/status-lists/{purpose}"
    return {"issuer": ref.issuer_id if did_web else "did:key:z6MkExample",
            "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": purpose,
                                 "statusListIndex": "7", "statusListCredential": url}}


def _verifier(client: httpx.Client, verdict: VerifierVerdict, *fetch: str) -> Any:
    """A vendor's verifier: fetches ``fetch`` paths from lerconf, then answers ``verdict``."""
    def call() -> VerifierAnswer:
        for path in fetch:
            client.get(path, headers={"User-Agent": "vendor-verifier/3.1"})
        return VerifierAnswer(None, verdict, f"HTTP 200, verified: {verdict is VerifierVerdict.ACCEPTED}")  # type: ignore[arg-type]
    return call


def test_documents_a_credential_depends_on(harness: Any, ref: Any) -> None:
    did_document = did_web_url(ref.issuer_id)
    assert did_document.endswith("/.well-known/did.json")
    assert lerconf_documents(harness, _credential(ref, did_web=True)) == [
        did_document, f"{ref.public_base_url}/status-lists/revocation"]
    assert lerconf_documents(harness, {"issuer": {"id": ref.issuer_id}}) == [did_document]
    foreign = {"issuer": "did:web:vendor.example", "credentialStatus": [
        {"statusListCredential": "https://vendor.example/lists/1"}, "not an entry"]}
    assert lerconf_documents(harness, foreign) == []


def test_rejected_without_fetch_cannot_be_judged(harness: Any, ref: Any, client: httpx.Client) -> None:
    url = f"{ref.public_base_url}/status-lists/revocation"
    with pytest.raises(CannotJudge) as raised:
        verify_reaching(harness, _vendor(), Evidence(), _credential(ref), _verifier(client, VerifierVerdict.REJECTED),
                        valid=True)
    assert raised.value.reason.startswith(f"cannot be judged: the verifier did not reach {url} (see --public-base-url)")
    assert "verified: False" in raised.value.reason  # what the vendor said


def test_fetched_and_rejected_fails_with_the_count(harness: Any, ref: Any, client: httpx.Client) -> None:
    url = f"{ref.public_base_url}/status-lists/suspension"
    evidence = Evidence()
    answer = verify_reaching(harness, _vendor(), evidence, _credential(ref, purpose="suspension"),
                             _verifier(client, VerifierVerdict.REJECTED, "/status-lists/suspension"), valid=True)
    assert answer.verdict is VerifierVerdict.REJECTED
    assert f"it fetched {url} 1 time(s) during this verification" in answer.reason
    assert any("vendor-verifier/3.1" in n and "/status-lists/suspension" in n for n in evidence.notes), evidence.notes
    assert evidence.documents["fetches of lerconf's documents during the verification"][0]["user_agent"] == "vendor-verifier/3.1"


def test_a_list_fetched_in_an_earlier_call_counts(harness: Any, ref: Any, client: httpx.Client) -> None:
    """A verifier that caches the list it fetched in an earlier scenario has reached it."""
    credential = _credential(ref)
    first = verify_reaching(harness, _vendor(), Evidence(), credential,
                            _verifier(client, VerifierVerdict.REJECTED, "/status-lists/revocation"), valid=False)
    assert first.reason == "HTTP 200, verified: False"  # a defective credential: nothing added, nothing judged
    answer = verify_reaching(harness, _vendor(), Evidence(), credential, _verifier(client, VerifierVerdict.REJECTED),
                             valid=True)
    assert "1 time(s) earlier in this run" in answer.reason
    with pytest.raises(CannotJudge):  # another vendor's fetches are not this one's
        verify_reaching(harness, _vendor("vendor B"), Evidence(), credential, _verifier(client, VerifierVerdict.REJECTED),
                        valid=True)


def test_lerconfs_own_fetches_outside_the_call_do_not_count(harness: Any, ref: Any, client: httpx.Client) -> None:
    client.get("/status-lists/revocation")  # lerconf's engine or a fixture, before the scenario's mark
    with pytest.raises(CannotJudge, match="did not reach"):
        verify_reaching(harness, _vendor(), Evidence(), _credential(ref), _verifier(client, VerifierVerdict.REJECTED),
                        valid=True)


def test_did_web_not_fetched_cannot_be_judged(harness: Any, ref: Any, client: httpx.Client) -> None:
    credential = {"issuer": ref.issuer_id}
    with pytest.raises(CannotJudge, match=r"did not reach https://.*/\.well-known/did\.json \(see --public-base-url\)"):
        verify_reaching(harness, _vendor(), Evidence(), credential, _verifier(client, VerifierVerdict.REJECTED), valid=True)
    answer = verify_reaching(harness, _vendor(), Evidence(), credential,
                             _verifier(client, VerifierVerdict.REJECTED, "/.well-known/did.json"), valid=True)
    assert "/.well-known/did.json 1 time(s) during this verification" in answer.reason


def test_accepted_or_broken_answers_are_left_alone(harness: Any, ref: Any, client: httpx.Client) -> None:
    for verdict in (VerifierVerdict.ACCEPTED, VerifierVerdict.BROKEN):
        answer = verify_reaching(harness, _vendor(), Evidence(), _credential(ref, did_web=True),
                                 _verifier(client, verdict), valid=True)
        assert answer.verdict is verdict and "fetched" not in answer.reason


def test_clear_on_lerconf_lists_follows_lerconfs_own_bits(harness: Any, ref: Any, client: httpx.Client) -> None:
    """The lifecycle's badge is valid (judged by the rule) until lerconf's issuer revokes it."""
    credential = ob3_achievement_credential(ref.issuer_id, credential_id=f"urn:uuid:{uuid.uuid4()}")
    issued = client.post("/credentials/issue", json={"credential": credential, "options": {
        "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}}})
    assert issued.status_code == 201, issued.text
    badge = issued.json()["verifiableCredential"]
    assert clear_on_lerconf_lists(harness, badge)
    revoked = client.post("/credentials/status", json={"credentialId": credential["id"], "status": True,
                                                       "credentialStatus": {"type": "BitstringStatusListEntry",
                                                                            "statusPurpose": "revocation"}})
    assert revoked.status_code == 200, revoked.text
    assert not clear_on_lerconf_lists(harness, badge)
    foreign = {**badge, "credentialStatus": {**badge["credentialStatus"], "statusPurpose": "other"}}
    assert clear_on_lerconf_lists(harness, foreign)  # not a list lerconf keeps bits for


def test_a_1edtech_revocation_list_counts_as_a_document_lerconf_serves(harness: Any, ref: Any, client: httpx.Client) -> None:
    """OB-26: a 1EdTechRevocationList entry names its list in ``id``; a valid badge on lerconf's list,
    rejected by a verifier that never fetched that list, cannot be judged; fetched, it fails as usual."""
    name = ref.state.status.revocation_lists.create("did:key:z6MkExample")
    path = f"/status-lists/1edtech/{name}"
    credential = {"issuer": "did:key:z6MkExample",
                  "credentialStatus": {"id": f"{ref.public_base_url}{path}", "type": "1EdTechRevocationList"}}
    assert lerconf_documents(harness, credential) == [f"{ref.public_base_url}{path}"]
    with pytest.raises(CannotJudge, match="did not reach"):
        verify_reaching(harness, _vendor("vendor C"), Evidence(), credential, _verifier(client, VerifierVerdict.REJECTED),
                        valid=True)
    answer = verify_reaching(harness, _vendor("vendor C"), Evidence(), credential,
                             _verifier(client, VerifierVerdict.REJECTED, path), valid=True)
    assert "1 time(s) during this verification" in answer.reason
