"""The checks on a wallet in VCALM exchanges, on plain wire records: each passes what a good wallet
sends and fails, naming the defect, what a bad or hostile one sends (never an exception)."""
from __future__ import annotations

import json
from typing import Any

import pytest

from lerconf.checks import vcalm_wallet as checks
from lerconf.protocol.wire_record import WireRecord
from lerconf.results import Status

HOLDER = "did:key:z6MkholderHOLDERholder"
BADGE = {"id": "urn:uuid:1", "type": ["VerifiableCredential", "OpenBadgeCredential"]}
CLR = {"id": "urn:uuid:2", "type": ["VerifiableCredential", "ClrCredential"]}
EXAMPLE = {"type": ["VerifiableCredential", "OpenBadgeCredential"]}


def record(seq: int, method: str, body: Any = b"", response: Any = b"", status: int = 200) -> WireRecord:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    answer = response if isinstance(response, bytes) else json.dumps(response).encode()
    return WireRecord(seq, 0.0, method, "/workflows/w/exchanges/z1", "application/json", raw, status, answer)


def vp(**proof: Any) -> dict[str, Any]:
    base = {"type": "DataIntegrityProof", "proofPurpose": "authentication", "challenge": "c", "domain": "d",
            "verificationMethod": f"{HOLDER}#key"}
    return {"type": ["VerifiablePresentation"], "holder": HOLDER, "proof": {**base, **proof}}


def test_protocols_followed() -> None:
    read = record(1, "GET", response={"protocols": {"vcapi": "u"}})
    post = record(2, "POST", {})
    assert checks.wallet_follows_interaction_protocols([read], [post], "u").status is Status.PASSED
    html = record(1, "GET", response=b"<html>")
    for reads, posts, why in (([], [post], "never read the interaction URL"), ([html], [post], "never its protocols as JSON"),
                              ([read], [], "never took part"), ([record(3, "GET", response={"protocols": {}})], [post],
                                                                "before it read")):
        result = checks.wallet_follows_interaction_protocols(reads, posts, "u")
        assert result.status is Status.FAILED and why in result.message, result.message


@pytest.mark.parametrize(("posts", "why"), [
    ([], "sent nothing"),
    ([record(1, "POST", {"verifiablePresentation": {}})], "was not {}"),
    ([record(1, "POST", b"\xff garbage")], "was not {}"),
    ([record(1, "POST", {})], "never answered"),
    ([record(1, "POST", {}), record(2, "POST", [1, 2])], "not {verifiablePresentation}"),
    ([record(1, "POST", {}), record(2, "POST", {"verifiablePresentation": "x"})], "not a JSON object"),
])
def test_start_and_answer(posts: list[WireRecord], why: str) -> None:
    result = checks.wallet_starts_and_answers(posts)
    assert result.status is Status.FAILED and why in result.message, result.message
    good = [record(1, "POST", {}), record(2, "POST", {"verifiablePresentation": vp()})]
    assert checks.wallet_starts_and_answers(good).status is Status.PASSED


@pytest.mark.parametrize(("presentation", "problems", "why"), [
    ("garbage", [], "no presentation object"),
    ({**vp(), "holder": "https://not-a-did"}, [], "is not a DID"),
    ({**vp(), "proof": [vp()["proof"], vp()["proof"]]}, [], "2 proofs"),
    (vp(proofPurpose="assertionMethod"), [], "wrong proof purpose"),
    (vp(challenge="other"), [], "is not the challenge"),
    (vp(domain="other"), [], "is not the domain"),
    (vp(verificationMethod="did:key:z6Mkstranger#k"), [], "is not a key of the holder"),
    (vp(), ["DI-06: bad signature"], "refused the DIDAuthentication proof"),
])
def test_did_authentication(presentation: Any, problems: list[str], why: str) -> None:
    result = checks.did_authentication_answers_request(presentation, "c", "d", problems)
    assert result.status is Status.FAILED and why in result.message, result.message
    assert checks.did_authentication_answers_request(vp(), "c", "d", []).status is Status.PASSED


def test_only_requested() -> None:
    assert checks.presents_only_requested([BADGE], [EXAMPLE], 1).status is Status.PASSED
    more = checks.presents_only_requested([BADGE, CLR, "a.jwt.string"], [EXAMPLE], 1)
    assert more.status is Status.FAILED and "2 credential(s) the QueryByExample did not ask for" in more.message
    assert checks.presents_only_requested([], [EXAMPLE], 1).status is Status.FAILED
    assert checks.presents_only_requested([BADGE], [], 1).status is Status.FAILED
    alias = {**BADGE, "type": ["VerifiableCredential", "AchievementCredential"]}
    assert checks.presents_only_requested([alias], [EXAMPLE], 0).status is Status.PASSED
    vpr = {"query": [{"type": "QueryByExample", "credentialQuery": {"example": EXAMPLE}}, "junk", {"type": "DIDAuthentication"}]}
    assert checks.query_examples(vpr) == [EXAMPLE] and checks.query_examples({"query": 5}) == []


def test_unchanged() -> None:
    assert checks.stored_as_issued([BADGE], [CLR, BADGE]).status is Status.PASSED
    assert checks.stored_as_issued([BADGE], [{**BADGE, "name": "imported"}]).status is Status.FAILED
    assert checks.stored_as_issued([], [BADGE]).status is Status.FAILED
    assert checks.presented_as_issued(BADGE, [BADGE]).status is Status.PASSED
    changed = checks.presented_as_issued(BADGE, [{**BADGE, "name": "x"}])
    assert changed.status is Status.FAILED and "changed" in changed.message
    assert checks.presented_as_issued(BADGE, [CLR]).status is Status.FAILED


def test_lifecycle() -> None:
    assert checks.held_badge_accepted_before_revocation([BADGE], BADGE, True, None).status is Status.PASSED
    assert checks.held_badge_accepted_before_revocation([BADGE], BADGE, False, "x").status is Status.FAILED
    assert checks.revoked_badge_refused_at_exchange(1, False, "BSL-18: credential is revoked").status is Status.PASSED
    assert checks.revoked_badge_refused_at_exchange(0, None, None).status is Status.PASSED
    assert checks.revoked_badge_refused_at_exchange(1, True, None).status is Status.FAILED
    other = checks.revoked_badge_refused_at_exchange(1, False, "the proof's domain is not the one")
    assert other.status is Status.FAILED and "another reason" in other.message
