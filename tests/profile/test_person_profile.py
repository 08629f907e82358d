"""The displayer and page_verifier sections (lerconf/profile/person.py): loaded, claimed, shown in
the public view, refused with a message naming the field, and mirrored by the shipped JSON Schema."""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from lerconf.errors import ProfileError
from lerconf.profile.claims import not_claimed
from lerconf.profile.load import load_profile, parse_profile

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "fixtures/vendors/example-displayer.yaml"
SCHEMA = jsonschema.Draft202012Validator(
    json.loads((resources.files("lerconf.data") / "vendor-profile.schema.json").read_text(encoding="utf-8")))


def _meta(role: str, **example: str) -> dict[str, Any]:
    return {"role": role, "tags": [role], "example": example}


def test_the_example_loads_and_claims_what_it_says() -> None:
    profile = load_profile(EXAMPLE)
    assert profile.displayer.open.startswith("https://viewer.example/") and profile.displayer.timeout_s == 900
    assert profile.page_verifier.vc_versions == ("2.0",)
    assert not_claimed(profile, _meta("displayer", vc_version="1.1")) is None
    assert not_claimed(profile, _meta("page_verifier", vc_version="1.1")) == "page_verifier does not claim vc_version=1.1"
    view = profile.public_view()
    assert view["displayer"]["claims"] == {"vc_versions": ["2.0", "1.1"], "securing": ["eddsa-rdfc-2022"]}
    assert view["page_verifier"]["mode"] == "manual"


def test_a_profile_without_the_section_does_not_claim_the_role() -> None:
    profile = parse_profile({"name": "V", "page_verifier": {"open": "https://v.example/"}}, "v.yaml")
    reason = not_claimed(profile, _meta("displayer", vc_version="2.0"))
    assert reason is not None and "has no displayer section" in reason


BAD = {
    "not a mapping": ("displayer", "https://x.example", "displayer: must be a mapping"),
    "no open": ("displayer", {"claims": {}}, "displayer.open: must say how the operator reaches it"),
    "unknown field": ("displayer", {"open": "x", "adapter_url": "https://a.example"}, "unknown field(s) adapter_url"),
    "unknown vc version": ("displayer", {"open": "x", "claims": {"vc_versions": ["3.0"]}}, "unknown value(s) 3.0"),
    "unknown suite": ("page_verifier", {"open": "x", "claims": {"securing": ["rsa"]}}, "page_verifier.claims.securing"),
    "timeout": ("page_verifier", {"open": "x", "timeout_s": 0}, "page_verifier.timeout_s"),
    "port": ("displayer", {"open": "x", "page_port": 70000}, "displayer.page_port"),
    "recipient check not a bool": ("page_verifier", {"open": "x", "claims": {"recipient_check": "yes"}},
                                   "page_verifier.claims.recipient_check: must be true or false"),
    "a displayer takes no recipient": ("displayer", {"open": "x", "claims": {"recipient_check": True}},
                                       "unknown field(s) recipient_check"),
}


def test_the_recipient_rows_need_the_recipient_check_claim() -> None:
    without = parse_profile({"name": "V", "page_verifier": {"open": "x"}}, "v.yaml")
    reason = not_claimed(without, _meta("page_verifier", vc_version="2.0", recipient_check="yes"))
    assert reason is not None and "does not claim recipient_check" in reason
    assert not_claimed(without, _meta("page_verifier", vc_version="2.0")) is None
    claimed = parse_profile({"name": "V", "page_verifier": {"open": "x", "claims": {"recipient_check": True}}}, "v.yaml")
    assert not_claimed(claimed, _meta("page_verifier", vc_version="2.0", recipient_check="yes")) is None
    assert claimed.public_view()["page_verifier"]["claims"]["recipient_check"] is True


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_sections_are_refused_by_the_loader_and_the_schema(case: str) -> None:
    role, raw, message = BAD[case]
    with pytest.raises(ProfileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_profile({"name": "V", role: raw}, "v.yaml")
    assert list(SCHEMA.iter_errors({"name": "V", role: raw})), f"the schema accepts {case}"


def test_the_schema_accepts_the_example() -> None:
    assert not list(SCHEMA.iter_errors(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))))
