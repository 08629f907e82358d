"""Draft-only labels: a step marks the running scenario, results.json carries the label."""
from __future__ import annotations

from types import SimpleNamespace

from lerconf.profile.claims import mark_draft_only, spec_mode


def test_mark_draft_only_on_an_item_or_a_request_fixture() -> None:
    item = SimpleNamespace(user_properties=[])
    assert spec_mode(item) == ""
    mark_draft_only(item, "OID4VCI draft 13")
    mark_draft_only(SimpleNamespace(node=item), "OID4VCI draft 13")  # twice: recorded once
    mark_draft_only(item, "OID4VP pre-final draft")
    assert spec_mode(item) == "draft-only: OID4VCI draft 13; draft-only: OID4VP pre-final draft"
