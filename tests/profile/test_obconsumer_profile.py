"""The ``ob_consumer`` profile section: what it takes, what it refuses (with the field named),
the claims it selects scenarios by, and the reference's own profile claiming it."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from lerconf.errors import ProfileError
from lerconf.profile.claims import not_claimed
from lerconf.profile.load import parse_profile

SCHEMA = json.loads((Path(__file__).parents[2] / "lerconf" / "data" / "vendor-profile.schema.json").read_text())
SECTION = {"trigger_url": "https://consumer.example/lerconf/ob-trigger", "apis": ["ob", "clr"],
           "claims": {"operations": ["write"], "formats": ["jwt"]}}


def _profile(section: Any) -> Any:
    return parse_profile({"name": "consumer", "ob_consumer": section}, "consumer.yaml")


def _meta(example: dict[str, str]) -> dict[str, Any]:
    return {"role": "ob_consumer", "tags": ["ob_consumer"], "example": example}


def test_a_consumer_section_alone_is_a_profile() -> None:
    profile = _profile(SECTION)
    assert profile.ob_consumer.trigger_url == SECTION["trigger_url"]
    assert profile.ob_consumer.apis == ("ob", "clr") and profile.ob_consumer.operations == ("write",)
    assert "consumer.example:443" in profile.hosts
    assert profile.public_view()["ob_consumer"]["claims"] == {"operations": ["write"], "formats": ["jwt"]}
    jsonschema.validate({"name": "consumer", "ob_consumer": SECTION}, SCHEMA)


@pytest.mark.parametrize(("example", "reason"), [
    ({"api": "ob", "operation": "write"}, None),
    ({"api": "ob", "operation": "read"}, "ob_consumer does not claim operations=read"),
    ({"api": "clr", "operation": "write", "format": "ldp_vc"}, "ob_consumer does not claim formats=ldp_vc"),
])
def test_claims_select_scenarios(example: dict[str, str], reason: str | None) -> None:
    assert not_claimed(_profile(SECTION), _meta(example)) == reason


def test_a_profile_without_the_section_does_not_claim_it() -> None:
    profile = parse_profile({"name": "v", "holder": {"present_url": "https://h.example/p",
                                                     "claims": {"vc_versions": ["2.0"], "securing": []}}}, "v.yaml")
    assert not_claimed(profile, _meta({"api": "ob"})) == "v has no ob_consumer section"


@pytest.mark.parametrize(("change", "where"), [
    ({"trigger_url": "ftp://x"}, "ob_consumer.trigger_url"),
    ({"apis": ["ob", "lti"]}, "ob_consumer.apis"),
    ({"apis": []}, "ob_consumer.apis"),
    ({"claims": {"formats": ["jwt"]}}, "ob_consumer.claims.operations"),
    ({"claims": {"operations": ["delete"], "formats": []}}, "ob_consumer.claims.operations"),
    ({"claims": {"operations": [], "formats": [], "scopes": []}}, "ob_consumer.claims"),
    ({"timeout_s": 3}, "ob_consumer"),
])
def test_a_bad_section_names_its_field(change: dict[str, Any], where: str) -> None:
    with pytest.raises(ProfileError, match=where.replace(".", r"\.")):
        _profile({**SECTION, **change})


BY_HAND = {"by_hand": {"open": "https://backpack.example (Settings > Hosts)", "timeout_s": 600},
           "apis": ["ob"], "claims": {"operations": ["read"], "formats": []}}


def test_a_consumer_driven_by_hand_needs_no_trigger() -> None:
    profile = _profile(BY_HAND)
    section = profile.ob_consumer
    assert section.trigger_url is None and section.urls == {}
    assert section.by_hand is not None and section.by_hand.timeout_s == 600 and section.by_hand.page_port == 0
    view = profile.public_view()["ob_consumer"]
    assert view["mode"] == "manual" and view["open"].startswith("https://backpack.example") and "trigger_url" not in view
    jsonschema.validate({"name": "consumer", "ob_consumer": BY_HAND}, SCHEMA)


@pytest.mark.parametrize(("section", "message"), [
    ({**BY_HAND, "trigger_url": "https://c.example/t"}, "either trigger_url (a hook) or by_hand (an operator), not both"),
    ({"apis": ["ob"], "claims": {"operations": [], "formats": []}}, "ob_consumer.trigger_url: is required"),
    ({**BY_HAND, "by_hand": {"timeout_s": 60}}, "ob_consumer.by_hand.open"),
    ({**BY_HAND, "by_hand": {"open": "x", "timeout_s": 0}}, "ob_consumer.by_hand.timeout_s"),
    ({**BY_HAND, "by_hand": {"open": "x", "claims": {}}}, "ob_consumer.by_hand: unknown field(s) claims"),
])
def test_a_bad_by_hand_section_is_refused_by_the_loader_and_the_schema(section: dict[str, Any], message: str) -> None:
    with pytest.raises(ProfileError, match=message.replace(".", r"\.").replace("(", r"\(").replace(")", r"\)")):
        _profile(section)
    assert list(jsonschema.Draft202012Validator(SCHEMA).iter_errors({"name": "consumer", "ob_consumer": section}))


def test_the_reference_claims_its_own_consumer(monkeypatch: pytest.MonkeyPatch) -> None:
    from lerconf.profile.load import load_profile

    monkeypatch.setenv("LERCONF_REFERENCE_PORT", "8765")
    profile = load_profile(Path(__file__).parents[2] / "fixtures" / "vendors" / "reference.yaml")
    assert profile.ob_consumer.trigger_url == "http://127.0.0.1:8765/ob-consumer/trigger"
    assert profile.ob_consumer.operations == ("write", "read") and profile.ob_consumer.formats == ("ldp_vc", "jwt")
