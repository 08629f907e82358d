"""The ``vcalm_wallet`` profile section: what it takes, what it refuses (with the field named), the
claims it selects scenarios by (presenting needs issuing too), and the reference claiming both."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from lerconf.errors import ProfileError
from lerconf.profile.claims import not_claimed
from lerconf.profile.load import parse_profile
from lerconf.roles import vendor_role

ROOT = Path(__file__).parents[2]
SCHEMA = json.loads((ROOT / "lerconf" / "data" / "vendor-profile.schema.json").read_text())
WALLET = {"adapter_url": "https://w.example/lerconf"}


def _profile(section: Any, wallet: Any = WALLET) -> Any:
    return parse_profile({"name": "x", **({"wallet": wallet} if wallet else {}), "vcalm_wallet": section}, "x.yaml")


def _meta(example: dict[str, str], *, lifecycle: bool = False) -> dict[str, Any]:
    tags = ["lifecycle", "vcalm_wallet"] if lifecycle else ["vcalm_wallet"]
    return {"role": "lifecycle" if lifecycle else "vcalm_wallet", "tags": tags, "example": example}


def test_the_section_with_a_wallet_is_a_profile() -> None:
    document = {"name": "x", "wallet": WALLET, "vcalm_wallet": {"claims": {"exchanges": ["issuing", "verifying"]}}}
    profile = parse_profile(document, "x.yaml")
    assert profile.vcalm_wallet.exchanges == ("issuing", "verifying")
    assert profile.public_view()["vcalm_wallet"] == {"claims": {"exchanges": ["issuing", "verifying"]}}
    jsonschema.validate(document, SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"name": "x", "vcalm_wallet": document["vcalm_wallet"]}, SCHEMA)


@pytest.mark.parametrize(("section", "wallet", "where"), [
    ({"claims": {"exchanges": ["issuing"]}}, None, "needs a wallet section"),
    ("yes", WALLET, "must be a mapping"),
    ({"adapter_url": "https://w.example", "claims": {"exchanges": []}}, WALLET, "unknown field(s) adapter_url"),
    ({}, WALLET, "vcalm_wallet.claims.exchanges"),
    ({"claims": {"exchanges": ["issuing", "presenting"]}}, WALLET, "unknown value(s) presenting"),
    ({"claims": {"exchanges": "issuing"}}, WALLET, "must be a list of strings"),
    ({"claims": {"exchanges": [], "formats": []}}, WALLET, "unknown field(s) formats"),
])
def test_a_bad_section_is_refused_naming_the_field(section: Any, wallet: Any, where: str) -> None:
    with pytest.raises(ProfileError) as raised:
        _profile(section, wallet)
    assert where in str(raised.value)


def test_claims_select_scenarios_and_presenting_needs_issuing() -> None:
    issuing_only = _profile({"claims": {"exchanges": ["issuing"]}})
    assert not_claimed(issuing_only, _meta({"exchange": "issuing"})) is None
    assert "exchanges=verifying" in str(not_claimed(issuing_only, _meta({"exchange": "verifying"})))
    assert "exchanges=verifying" in str(not_claimed(issuing_only, _meta({}, lifecycle=True)))
    verifying_only = _profile({"claims": {"exchanges": ["verifying"]}})
    assert "exchanges=issuing" in str(not_claimed(verifying_only, _meta({"exchange": "verifying"})))
    no_section = parse_profile({"name": "x", "wallet": WALLET}, "x.yaml")
    assert not_claimed(no_section, _meta({"exchange": "issuing"})) == "x has no vcalm_wallet section"


def test_the_lifecycle_over_exchanges_is_the_wallets_role() -> None:
    assert vendor_role("lifecycle", ["lifecycle", "vcalm_wallet", "vcapi"]) == "vcalm_wallet"
    assert vendor_role("lifecycle", ["lifecycle", "oid4vci", "oid4vp"]) == "wallet"
    assert vendor_role("lifecycle", ["lifecycle", "vcapi"]) == "lifecycle"


def test_the_reference_profile_claims_both_exchanges() -> None:
    text = (ROOT / "fixtures" / "vendors" / "reference.yaml").read_text().replace("${LERCONF_REFERENCE_PORT}", "8")
    profile = parse_profile(yaml.safe_load(text), "reference.yaml")
    assert profile.vcalm_wallet.exchanges == ("issuing", "verifying") and profile.wallet is not None
