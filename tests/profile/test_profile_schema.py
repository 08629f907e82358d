"""The vendor profile JSON Schema shipped in the package (lerconf/data/vendor-profile.schema.json):
every shipped profile validates, broken ones do not, and its value lists are the loaders' own."""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from lerconf.ecosystems import all_ecosystems
from lerconf.profile import artefacts, load, oid4vci, oid4vp, wallet

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((resources.files("lerconf.data") / "vendor-profile.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
PROFILES = sorted([*REPO.glob("fixtures/vendors/*.yaml"), *REPO.glob("tests/peers/*/profile.yaml")])


def test_the_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_shipped_profile_validates(path: Path) -> None:
    errors = [f"{list(e.path)}: {e.message}" for e in VALIDATOR.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8")))]
    assert not errors, errors


def _base() -> dict[str, Any]:
    return yaml.safe_load((REPO / "fixtures/vendors/example-staging.yaml").read_text(encoding="utf-8"))


BROKEN = {
    "no name": lambda p: p.pop("name"),
    "no role": lambda p: [p.pop(k) for k in ("issuer", "verifier", "holder")],
    "unknown top-level field": lambda p: p.update(vendor_url="https://x.example"),
    "inline secret": lambda p: p["auth"].update(token="abc"),
    "two auth forms": lambda p: p["auth"].update(headers_env={"X-Key": "K"}),
    "holder without vc_versions": lambda p: p["holder"]["claims"].pop("vc_versions"),
    "unknown securing": lambda p: p["issuer"]["claims"].update(securing=["rsa-2048"]),
    "issuer without id": lambda p: p["issuer"].pop("id"),
    "not a URL": lambda p: p["verifier"].update(verify_credential_url="ftp://x.example/v"),
    "bad failure style": lambda p: p["verifier"].update(failure_style="sometimes"),
    "negative rate": lambda p: p.update(rate_limit_per_second=-1),
    "wallet manual with adapter": lambda p: p.update(wallet={"mode": "manual", "adapter_url": "https://w.example"}),
    "wallet manual with isolation": lambda p: p.update(wallet={"mode": "manual", "isolation": "scenario"}),
    "unknown wallet isolation": lambda p: p.update(wallet={"adapter_url": "https://w.example", "isolation": "per-call"}),
    "oid4vp without verdict source": lambda p: p.update(oid4vp_verifier={"request_hook": "https://v.example/r"}),
    "oid4vci unknown grant": lambda p: p.update(oid4vci_issuer={"credential_issuer": "https://i.example",
                                                               "offer_url": "https://i.example/o",
                                                               "claims": {"grants": ["implicit"]}}),
    "unknown ecosystem": lambda p: p.update(ecosystems={"nowhere": ["vcalm-eddsa"]}),
    "unknown ecosystem profile": lambda p: p.update(ecosystems={"lmc": ["vcalm-rsa"]}),
    "empty ecosystem claim": lambda p: p.update(ecosystems={"lmc": []}),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_profiles_fail(name: str) -> None:
    profile = _base()
    assert not list(VALIDATOR.iter_errors(profile))
    BROKEN[name](profile)
    assert list(VALIDATOR.iter_errors(profile)), f"{name}: the schema accepted it"


def _enum(node: dict[str, Any]) -> set[str]:
    return {v for v in node["items"]["enum"] if isinstance(v, str)}


def test_the_value_lists_are_the_loaders() -> None:
    """A value added to a loader must be added to the schema (editors would flag it otherwise)."""
    props = SCHEMA["properties"]
    for role in ("issuer", "verifier", "holder"):
        claims = props[role]["properties"]["claims"]["properties"]
        for claim, allowed in load.CLAIM_FIELDS.items():
            assert _enum(claims[claim]) == set(allowed), (role, claim)
        # the issuer also has artefacts (lerconf/profile/artefacts.py, tests/profile/test_artefacts_profile.py)
        extra = {"artefacts"} if role == "issuer" else set()
        assert set(props[role]["properties"]) - {"claims", "options", "id", "failure_style"} - extra == set(load._ROLE_URLS[role])
    described = props["issuer"]["properties"]["artefacts"]["items"]["properties"]["is"]["properties"]
    assert set(described["status"]["enum"]) == set(artefacts.DESCRIBED_STATUS)
    assert set(described["baked"]["enum"]) == set(artefacts.BAKED)
    assert set(described["securing"]["enum"]) == set(load.SECURING)
    assert set(described["type"]["enum"]) == {*load.CREDENTIAL_TYPES, artefacts.LER_RS_TYPE}
    assert props["verifier"]["properties"]["failure_style"]["enum"] == list(load.FAILURE_STYLES)
    ci = props["oid4vci_issuer"]["properties"]["claims"]["properties"]
    assert {k: _enum(v) for k, v in ci.items()} == {k: set(v) for k, v in oid4vci._CLAIMS.items()}
    vp = props["oid4vp_verifier"]["properties"]["claims"]["properties"]
    assert _enum(vp["client_id_prefixes"]) == set(oid4vp.CLIENT_ID_PREFIXES)
    assert _enum(vp["spec_versions"]) == set(oid4vp.SPEC_VERSIONS)
    w = props["wallet"]["properties"]["claims"]["properties"]
    assert _enum(w["client_id_prefixes"]) == set(wallet.CLIENT_ID_PREFIXES) and _enum(w["grants"]) == set(wallet.GRANTS)
    assert set(props["wallet"]["properties"]["isolation"]["enum"]) == set(wallet.ISOLATIONS)


def test_the_claimable_ecosystem_profiles_are_the_registrys() -> None:
    """The schema offers exactly the ecosystem profiles lerconf implements (lerconf/data/ecosystems/)."""
    offered = {name: set(node["items"]["enum"]) for name, node in SCHEMA["properties"]["ecosystems"]["properties"].items()}
    implemented = {name: {p for p, v in profiles.items() if v.implemented} for name, profiles in all_ecosystems().items()}
    assert offered == {k: v for k, v in implemented.items() if v}
