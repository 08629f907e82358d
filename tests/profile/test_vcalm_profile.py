"""The ``vcalm_issuer`` / ``vcalm_verifier`` profile sections: what they take, what they refuse (with
the field named), the claims they select scenarios by, and the reference claiming both."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from lerconf.errors import ProfileError
from lerconf.profile.claims import not_claimed
from lerconf.profile.load import parse_profile

ROOT = Path(__file__).parents[2]
SCHEMA = json.loads((ROOT / "lerconf" / "data" / "vendor-profile.schema.json").read_text())
SECTION = {"workflow_url": "https://x.example/workflows/issue/", "claims": {"features": ["protocols"]}}


def _profile(section: Any, role: str = "vcalm_issuer") -> Any:
    return parse_profile({"name": "x", role: section}, "x.yaml")


def _meta(role: str, example: dict[str, str]) -> dict[str, Any]:
    return {"role": role, "tags": [role], "example": example}


def test_a_workflow_section_alone_is_a_profile() -> None:
    profile = _profile(SECTION)
    assert profile.vcalm_issuer.workflow_url == "https://x.example/workflows/issue"  # no trailing slash
    assert "x.example:443" in profile.hosts
    assert profile.public_view()["vcalm_issuer"] == {"workflow_url": "https://x.example/workflows/issue",
                                                     "claims": {"features": ["protocols"]}}
    jsonschema.validate({"name": "x", "vcalm_issuer": SECTION}, SCHEMA)
    hooked = {"exchange_hook": "https://x.example/test/exchanges", "claims": {"features": []}}
    assert _profile(hooked, "vcalm_verifier").vcalm_verifier.exchange_hook == hooked["exchange_hook"]
    jsonschema.validate({"name": "x", "vcalm_verifier": hooked}, SCHEMA)


@pytest.mark.parametrize(("example", "reason"), [
    ({}, None),
    ({"feature": "protocols"}, None),
    ({"feature": "request"}, "vcalm_issuer does not claim features=request"),
])
def test_claims_select_scenarios(example: dict[str, str], reason: str | None) -> None:
    assert not_claimed(_profile(SECTION), _meta("vcalm_issuer", example)) == reason


def test_a_profile_without_the_section_does_not_claim_it() -> None:
    assert not_claimed(_profile(SECTION), _meta("vcalm_verifier", {})) == "x has no vcalm_verifier section"


@pytest.mark.parametrize(("section", "where"), [
    ({"claims": {"features": []}}, "vcalm_issuer"),
    ({**SECTION, "workflow_url": "ftp://x"}, "vcalm_issuer.workflow_url"),
    ({"workflow_url": "https://x.example/w"}, "vcalm_issuer.claims.features"),
    ({**SECTION, "claims": {"features": ["oid4vp"]}}, "vcalm_issuer.claims.features"),
    ({**SECTION, "claims": {"features": [], "x": 1}}, "vcalm_issuer.claims"),
    ({**SECTION, "token": "s"}, "vcalm_issuer"),
])
def test_a_bad_section_names_its_field(section: dict[str, Any], where: str) -> None:
    with pytest.raises(ProfileError, match=where.replace(".", r"\.")):
        _profile(section)


def test_the_reference_claims_both_workflows(monkeypatch: pytest.MonkeyPatch) -> None:
    from lerconf.profile.load import load_profile

    monkeypatch.setenv("LERCONF_REFERENCE_PORT", "8765")
    profile = load_profile(ROOT / "fixtures" / "vendors" / "reference.yaml")
    assert profile.vcalm_issuer.workflow_url == "http://127.0.0.1:8765/workflows/issue-badge"
    assert profile.vcalm_verifier.features == ("protocols", "request", "interaction_url")


def test_the_schema_mirrors_the_loader() -> None:
    from lerconf.profile.vcalm import FEATURES, SECTIONS

    for name in SECTIONS:
        section = SCHEMA["properties"][name]
        assert set(section["properties"]) == {"workflow_url", "exchange_hook", "claims"}
        assert section["properties"]["claims"]["properties"]["features"]["items"]["enum"] == list(FEATURES)
        assert {"required": [name]} in SCHEMA["anyOf"]
