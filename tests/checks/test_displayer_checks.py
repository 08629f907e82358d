"""The displayer and verifier-page checks (lerconf.checks.displayer): each passes what it should and
catches its defect, with a message saying what was reported or observed."""
from __future__ import annotations

import pytest

from lerconf.checks.displayer import (
    PAGE_REFUSALS,
    displayed_details,
    displayed_status,
    issuer_key_resolved,
    page_names_the_reason,
    page_shows_valid_as_valid,
    status_list_fetched,
)
from lerconf.results import Severity, Status

SAME = {"name": "same", "description": "same", "issuer": "same", "issued": "same"}


@pytest.mark.parametrize("status", ["valid", "expired", "revoked"])
def test_ob_30_passes_the_right_status_and_fails_any_other(status: str) -> None:
    assert displayed_status(status, "reported", status).status is Status.PASSED
    for other in ("valid", "expired", "revoked", "invalid", "none"):
        if other != status:
            result = displayed_status(status, "reported", other)
            assert result.status is Status.FAILED and f"{status} badge shown as" in result.message
    assert displayed_status(status, "error", "").status is Status.FAILED


def test_ob_31_needs_every_detail_and_the_image_only_when_baked() -> None:
    assert displayed_details(SAME, "reported", "json").status is Status.PASSED  # no image in a JSON file
    baked = displayed_details(SAME, "reported", "png")
    assert baked.status is Status.FAILED and "image not shown" in baked.message
    assert displayed_details({**SAME, "image": "same"}, "reported", "svg").status is Status.PASSED
    wrong = displayed_details({**SAME, "issued": "different", "description": "missing"}, "reported", "link")
    assert wrong.status is Status.FAILED and "issue date shown differently" in wrong.message
    assert "description not shown" in wrong.message and wrong.requirement == "OB-31"


def test_lcd_01_and_02_are_decided_by_the_fetches_lerconf_saw() -> None:
    url = "http://127.0.0.1:9/status-lists/revocation"
    assert status_list_fetched(url, 1, 0).status is Status.PASSED
    assert "earlier steps" in status_list_fetched(url, 0, 2).message
    never = status_list_fetched(url, 0, 0)
    assert never.status is Status.FAILED and "never saw" in never.message
    assert status_list_fetched(None, 0, 0).status is Status.NOT_APPLICABLE
    did = "https://127.0.0.1:9/.well-known/did.json"
    assert issuer_key_resolved(did, 0, 1).status is Status.PASSED
    assert issuer_key_resolved(did, 0, 0).status is Status.FAILED


def test_the_page_checks_score_verdicts_and_mark_a_wrong_reason() -> None:
    assert page_shows_valid_as_valid("reported", "valid", "none").status is Status.PASSED
    assert page_shows_valid_as_valid("reported", "invalid", "signature").status is Status.FAILED
    for kind, (refusal, reason) in PAGE_REFUSALS.items():
        assert refusal(how="reported", verdict="invalid").status is Status.PASSED, kind
        accepted = refusal(how="reported", verdict="valid")
        assert accepted.status is Status.FAILED and "shown as valid" in accepted.message, kind
        right = page_names_the_reason(reason, "reported", "invalid", reason)
        assert right.status is Status.PASSED
    wrong = page_names_the_reason("expired", "reported", "invalid", "signature")
    assert wrong.status is Status.WARNING and wrong.severity is Severity.SHOULD
    assert wrong.message.startswith("right verdict, wrong reason")
    assert page_names_the_reason("expired", "reported", "invalid", "none").message.startswith("right verdict, no reason")
    assert page_names_the_reason("expired", "reported", "valid", "none").status is Status.NOT_APPLICABLE
    assert {r.requirement_id for r, _ in PAGE_REFUSALS.values()} == {"DI-15", "OB-21", "OB-27", "BSL-18"}  # type: ignore[attr-defined]


def test_ob_28_the_page_must_tell_the_recipient_it_was_given_apart_from_another() -> None:
    from lerconf.checks.displayer import page_checked_the_recipient

    assert page_checked_the_recipient("match", "reported", "match").status is Status.PASSED
    assert page_checked_the_recipient("mismatch", "reported", "mismatch").status is Status.PASSED
    ignored = page_checked_the_recipient("mismatch", "reported", "match")  # skips the hashed-recipient check
    assert ignored.status is not Status.PASSED and "does not name the recipient" in ignored.message
    unchecked = page_checked_the_recipient("match", "reported", "unchecked")
    assert unchecked.status is not Status.PASSED and "did not check the recipient" in unchecked.message
    assert page_checked_the_recipient("match", "error", "").status is not Status.PASSED
    assert ignored.requirement == "OB-28"
