"""OB-25's wire checks: what a vendor's verifier did with the refresh service lerconf ran for one badge
(lerconf.checks.refresh). Each catches its defect; the engine's own refresh is tests/verify/test_refresh.py."""
from __future__ import annotations

from lerconf.checks.refresh import not_the_same_credential, refresh_called_at_most_once, refresh_never_called
from lerconf.results import Status

URL = "http://127.0.0.1:8000/refresh/abc"


def test_refreshing_once_or_not_at_all_passes_and_twice_fails() -> None:
    assert refresh_called_at_most_once(URL, 0).status is Status.PASSED
    assert refresh_called_at_most_once(URL, 1).status is Status.PASSED
    twice = refresh_called_at_most_once(URL, 2)
    assert twice.status is Status.FAILED and "2 times" in twice.message and "refreshes once" in twice.message


def test_refreshing_a_badge_whose_proof_fails_fails() -> None:
    assert refresh_never_called(URL, 0).status is Status.PASSED
    called = refresh_never_called(URL, 1)
    assert called.status is Status.FAILED and "only after the proof check" in called.message


def test_the_refreshed_credential_must_be_the_same_credential() -> None:
    original = {"id": "urn:uuid:1", "issuer": {"id": "did:key:z1"}, "type": ["VerifiableCredential", "OpenBadgeCredential"]}
    assert not_the_same_credential(original, {**original, "issuer": "did:key:z1"}) is None  # a string issuer is the same
    assert "id" in str(not_the_same_credential(original, {**original, "id": "urn:uuid:2"}))
    assert "issuer" in str(not_the_same_credential(original, {**original, "issuer": "did:key:z2"}))
    assert "no longer typed OpenBadgeCredential" in str(not_the_same_credential(original, {**original,
                                                                                          "type": ["VerifiableCredential"]}))
    assert "no credential" in str(not_the_same_credential(original, "a string"))


def test_a_credential_without_an_id_is_never_replaced_by_a_refresh() -> None:
    """Two credentials without ids would compare equal: any credential of the same issuer could stand in."""
    original = {"type": ["VerifiableCredential", "OpenBadgeCredential"], "issuer": "did:key:z1"}
    reason = not_the_same_credential(original, dict(original))
    assert reason is not None and "no id" in reason
