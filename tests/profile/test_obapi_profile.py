"""The ``ob_provider`` profile section: parsed with defaults, refused with a message that names the
field and the values, its hosts reachable, its claims selecting scenarios, and the shipped JSON
Schema in step with the loader."""
from __future__ import annotations

import json
from importlib import resources
from typing import Any

import jsonschema
import pytest

from lerconf.errors import ProfileError
from lerconf.profile import obapi
from lerconf.profile.claims import not_claimed
from lerconf.profile.load import parse_profile

SCHEMA = json.loads((resources.files("lerconf.data") / "vendor-profile.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def _section(**changes: Any) -> dict[str, Any]:
    section: dict[str, Any] = {"base_url": "https://host.example/", "apis": ["ob", "clr"],
                               "claims": {"operations": ["read", "write"], "formats": ["ldp_vc"]}}
    section.update(changes)
    return section


def _profile(section: dict[str, Any]) -> dict[str, Any]:
    return {"name": "Host", "ob_provider": section}


def test_a_section_alone_is_a_profile_with_defaults() -> None:
    profile = parse_profile(_profile(_section()), "host.yaml")
    host = profile.ob_provider
    assert isinstance(host, obapi.ObProvider)
    assert host.base_url == "https://host.example" and host.apis == ("ob", "clr")
    assert host.redirect_uri == obapi.DEFAULT_REDIRECT_URI and host.login == "follow_redirects"
    assert host.revocation_url is None and "host.example:443" in profile.hosts
    assert profile.public_view()["ob_provider"]["claims"] == {"operations": ["read", "write"], "formats": ["ldp_vc"]}


def test_login_hook_and_revocation_url_are_hosts_lerconf_may_call() -> None:
    options = {"login": "hook", "login_hook": "http://127.0.0.1:9001/login",
               "revocation_url": "http://127.0.0.1:9002/revoke"}
    section = _section(claims={"operations": ["read", "revocation"], "formats": []}, options=options)
    profile = parse_profile(_profile(section), "host.yaml")
    assert {"127.0.0.1:9001", "127.0.0.1:9002"} <= profile.hosts
    assert profile.ob_provider.login_hook == options["login_hook"]


@pytest.mark.parametrize("section,message", [
    (_section(claims={"formats": ["ldp_vc"]}), r"claims.operations: is not given.*read, write, profile"),
    (_section(claims={"operations": ["read"]}), r"claims.formats: is not given.*ldp_vc, jwt"),
    (_section(claims={"operations": ["delete"], "formats": []}), r"unknown value\(s\) delete"),
    (_section(apis=["lti"]), r"apis: unknown value\(s\) lti"),
    (_section(base_url="ftp://host.example"), r"base_url: 'ftp://host.example' is not an http\(s\) URL"),
    (_section(claims={"operations": ["revocation"], "formats": []}), r"revocation_url: is required"),
    (_section(options={"login": "hook"}), r"login_hook: is required"),
    (_section(options={"redirect_uri": "https://a.example/cb"}), r"must be on one host"),
    (_section(options={"secret": "x"}), r"options: unknown field\(s\) secret"),
    (_section(options={"login": "person", "login_timeout_s": 2}), r"login_timeout_s: must be a number of seconds from 5"),
    (_section(options={"login": "person", "login_timeout_s": True}), r"login_timeout_s: must be a number of seconds"),
    (_section(options={"login": "telepathy"}), r"login: must be one of follow_redirects, hook, person"),
])
def test_a_broken_section_names_the_field(section: dict[str, Any], message: str) -> None:
    with pytest.raises(ProfileError, match=message):
        parse_profile(_profile(section), "host.yaml")


def test_claims_select_by_operation_format_and_api() -> None:
    profile = parse_profile(_profile(_section(apis=["ob"])), "host.yaml")
    meta = {"role": "ob_provider", "tags": set()}
    assert not_claimed(profile, {**meta, "example": {"api": "ob", "operation": "read"}}) is None
    assert not_claimed(profile, {**meta, "example": {"api": "clr"}}) == "ob_provider does not claim apis=clr"
    assert "operations=profile" in str(not_claimed(profile, {**meta, "example": {"operation": "profile"}}))
    assert "formats=jwt" in str(not_claimed(profile, {**meta, "example": {"format": "jwt"}}))
    other = parse_profile({"name": "VC", "verifier": {"verify_credential_url": "https://v.example/verify"}}, "v.yaml")
    assert not_claimed(other, {**meta, "example": {}}) == "VC has no ob_provider section"


def test_the_schema_accepts_the_section_and_knows_the_loaders_values() -> None:
    assert not list(VALIDATOR.iter_errors(_profile(_section(options={"login": "hook", "login_hook": "https://h.example/l"}))))
    assert list(VALIDATOR.iter_errors(_profile(_section(claims={"operations": ["read"]}))))
    assert list(VALIDATOR.iter_errors(_profile(_section(apis=["lti"]))))
    node = SCHEMA["properties"]["ob_provider"]["properties"]
    assert node["claims"]["properties"]["operations"]["items"]["enum"] == list(obapi.OPERATIONS)
    assert node["claims"]["properties"]["formats"]["items"]["enum"] == list(obapi.FORMATS)
    assert node["apis"]["items"]["enum"] == list(obapi.APIS)
    assert set(node["options"]["properties"]) == set(obapi._OPTIONS)


def test_a_person_login_needs_no_redirect_uri_of_its_own() -> None:
    """login: person registers lerconf's own callback (lerconf.scenarios.person_login); the default
    redirect_uri/client_uri host rule does not stand in its way."""
    host = parse_profile(_profile(_section(options={"login": "person", "login_timeout_s": 60})), "host.yaml").ob_provider
    assert host.login == "person" and host.options["login_timeout_s"] == 60
