"""A vendor profile's ``ecosystems`` claim (lerconf.profile.ecosystems): what it accepts, the errors
that name what and where, and which scenarios it lets run (lerconf.profile.claims.not_claimed)."""
from __future__ import annotations

from typing import Any

import pytest

from lerconf.ecosystems import all_ecosystems, find_profile
from lerconf.errors import ProfileError
from lerconf.profile.claims import not_claimed
from lerconf.profile.load import parse_profile
from lerconf.requirements import all_requirements

VCALM = {"vcalm_issuer": {"workflow_url": "https://v.example/workflows/issue", "claims": {"features": []}}}


def _profile(**extra: Any) -> Any:
    return parse_profile({"name": "Acme", **VCALM, **extra}, "acme.yaml")


def test_a_claim_names_the_profile_and_shows_in_the_public_view() -> None:
    profile = _profile(ecosystems={"lmc": ["vcalm-eddsa"]})
    assert [p.label for p in profile.ecosystems] == ["LMC vcalm-eddsa 0.1"]
    assert profile.public_view()["ecosystems"] == [{
        "ecosystem": "lmc", "profile": "vcalm-eddsa", "version": "0.1",
        "url": "https://interoperability.learningmobilitycollaborative.org/profiles/vcalm-eddsa"}]


@pytest.mark.parametrize(("claim", "said"), [
    ({"nowhere": ["x"]}, "acme.yaml: ecosystems.nowhere: unknown ecosystem 'nowhere'; lerconf ships: lmc"),
    ({"lmc": ["vcalm-rsa"]}, "ecosystems.lmc: unknown profile 'vcalm-rsa' of lmc; it has: vcalm-eddsa, oid4-ecdsa"),
    ({"lmc": ["oid4-ecdsa"]}, "LMC oid4-ecdsa 0.1 covers the roles oid4vci_issuer, and this profile describes none"),
    ({"lmc": []}, "ecosystems.lmc: must be a non-empty list"),
    (["lmc"], "ecosystems: must be a mapping"),
])
def test_a_bad_claim_says_what_and_where(claim: Any, said: str) -> None:
    with pytest.raises(ProfileError) as info:
        _profile(ecosystems=claim)
    assert said in str(info.value)


def test_a_profile_lerconf_does_not_implement_is_refused_with_what_is_claimable(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    import lerconf.profile.ecosystems as claims

    shipped = all_ecosystems()
    draft = dataclasses.replace(shipped["lmc"]["vcalm-eddsa"], name="vcalm-draft", implemented=False)
    monkeypatch.setattr(claims, "all_ecosystems", lambda: {**shipped, "lmc": {**shipped["lmc"], "vcalm-draft": draft}})
    with pytest.raises(ProfileError, match="lerconf does not implement .* yet .* claimable: vcalm-eddsa"):
        _profile(ecosystems={"lmc": ["vcalm-draft"]})


def test_claiming_a_profile_without_its_roles_is_an_error() -> None:
    with pytest.raises(ProfileError, match="covers the roles vcalm_issuer, vcalm_verifier, and this profile describes none"):
        parse_profile({"name": "Acme", "ecosystems": {"lmc": ["vcalm-eddsa"]},
                       "verifier": {"verify_credential_url": "https://v.example/verify",
                                    "claims": {"vc_versions": ["2.0"], "securing": ["eddsa-rdfc-2022"]}}}, "acme.yaml")


def _meta(tags: list[str]) -> dict[str, Any]:
    return {"role": "vcalm_issuer", "tags": tags, "example": {}}


def test_ecosystem_scenarios_run_only_for_a_vendor_that_claims_the_profile() -> None:
    tags = ["vcalm_issuer", "lmc-vcalm-eddsa", "LMC-VE-01"]
    assert not_claimed(_profile(ecosystems={"lmc": ["vcalm-eddsa"]}), _meta(tags)) is None
    reason = not_claimed(_profile(), _meta(tags))
    assert reason == "Acme does not claim the ecosystem profile LMC vcalm-eddsa 0.1 (ecosystems: in its profile)"
    assert not_claimed(_profile(), _meta(["vcalm_issuer", "API-19"])) is None  # spec scenarios are unaffected


def test_every_ecosystem_rule_is_a_registered_requirement_citing_its_profile() -> None:
    registry = all_requirements()
    profile = find_profile("lmc", "vcalm-eddsa")
    assert profile is not None and profile.implemented
    assert [r.id for r in profile.rules] == ["LMC-VE-01", "LMC-VE-02", "LMC-VE-03", "LMC-VE-04", "LMC-VE-05", "LMC-VE-06"]
    for rule in profile.rules:
        req = registry[rule.id]
        assert req.spec_url.startswith(profile.url) and req.section and "not a specification" in req.source
    assert set(all_ecosystems()["lmc"]) == {"vcalm-eddsa", "oid4-ecdsa", "ob-3.0-direct-delivery"}
