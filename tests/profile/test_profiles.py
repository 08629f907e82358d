"""Vendor profiles: a full profile loads; every error names the file, the field and the problem."""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from lerconf.errors import ProfileError
from lerconf.profile.load import Claims, VendorProfile, load_profile, parse_profile

FULL_PROFILE = """\
name: Acme Badges
version: "2.4.1"
contact: conformance@acme.example
rate_limit_per_second: 5
max_requests: 200
allow_redirects_to: [cdn.acme.example]
auth:
  bearer_token_env: ACME_TOKEN
issuer:
  id: did:web:issuer.acme.example
  issue_url: https://issuer.acme.example/credentials/issue
  status_url: https://issuer.acme.example/credentials/status
  claims:
    vc_versions: ["2.0"]
    credential_types: [OpenBadgeCredential, ClrCredential]
    securing: [eddsa-rdfc-2022, ecdsa-rdfc-2019]
    status: [BitstringStatusList]
  options:
    credentialIdPrefix: urn:uuid
verifier:
  verify_credential_url: https://verifier.acme.example/credentials/verify
  verify_presentation_url: https://verifier.acme.example/presentations/verify
  challenges_url: https://verifier.acme.example/challenges
  failure_style: verified_false
  claims:
    vc_versions: [1.1, 2.0]
    securing: [eddsa-rdfc-2022, vc+jwt]
    status: [BitstringStatusList, StatusList2021]
holder:
  present_url: http://127.0.0.1:8088/presentations
  claims:
    credential_types: [OpenBadgeCredential]
"""


def _data() -> dict[str, Any]:
    data = yaml.safe_load(FULL_PROFILE)
    assert isinstance(data, dict)
    return data


def _write(tmp_path: Path, text: str, name: str = "acme.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _error(data: Any, source: str = "vendors/acme.yaml") -> str:
    with pytest.raises(ProfileError) as info:
        parse_profile(data, source)
    message = str(info.value)
    assert message.startswith(f"{source}: "), message
    return message


# -- a valid profile ---------------------------------------------------------------------------

def test_full_profile_loads_with_every_role(tmp_path: Path) -> None:
    profile = load_profile(_write(tmp_path, FULL_PROFILE))

    assert isinstance(profile, VendorProfile)
    assert profile.name == "Acme Badges"
    assert profile.version == "2.4.1"
    assert profile.source == str(tmp_path / "acme.yaml")
    assert profile.rate_limit_per_second == 5.0
    assert profile.max_requests == 200
    assert profile.allow_redirects_to == ("cdn.acme.example",)
    assert profile.auth.bearer_token_env == "ACME_TOKEN"
    assert set(profile.roles) == {"issuer", "verifier", "holder"}

    issuer = profile.role("issuer")
    assert issuer is not None
    assert issuer.issuer_id == "did:web:issuer.acme.example"
    assert issuer.urls == {"issue_url": "https://issuer.acme.example/credentials/issue",
                           "status_url": "https://issuer.acme.example/credentials/status"}
    assert issuer.claims.credential_types == ("OpenBadgeCredential", "ClrCredential")
    assert issuer.options == {"credentialIdPrefix": "urn:uuid"}
    assert issuer.failure_style == "either"

    verifier = profile.role("verifier")
    assert verifier is not None
    assert verifier.failure_style == "verified_false"
    assert verifier.claims.vc_versions == ("1.1", "2.0")  # unquoted YAML floats read as version strings
    assert "challenges_url" in verifier.urls

    holder = profile.role("holder")
    assert holder is not None
    assert holder.urls == {"present_url": "http://127.0.0.1:8088/presentations"}
    assert holder.claims.securing == ()


def test_hosts_are_the_hosts_the_profile_names() -> None:
    profile = parse_profile(_data(), "acme.yaml")
    assert {"issuer.acme.example:443", "verifier.acme.example:443", "127.0.0.1:8088"} <= profile.hosts
    assert "127.0.0.1" not in profile.hosts  # an explicit port names that port only (issue 6)
    assert "issuer.acme.example" not in profile.hosts  # no port written: the scheme's default, only
    assert "cdn.acme.example" not in profile.hosts  # a redirect target, not an endpoint


def test_oauth2_token_host_is_a_named_host() -> None:
    data = _data()
    data["auth"] = {"oauth2": {"token_url": "http://127.0.0.1:9000/oauth/token", "client_id": "lerconf",
                               "client_secret_env": "ACME_CLIENT_SECRET"}}
    profile = parse_profile(data, "acme.yaml")
    assert "127.0.0.1:9000" in profile.hosts


def test_a_single_role_profile_is_enough() -> None:
    profile = parse_profile({"name": "Solo", "holder": {"present_url": "https://w.example/present"}}, "solo.yaml")
    assert list(profile.roles) == ["holder"]
    assert profile.role("issuer") is None
    assert profile.auth.bearer_token_env is None and not profile.auth.headers_env and profile.auth.oauth2 is None


@pytest.mark.parametrize(("auth", "kind"), [
    ({"bearer_token_env": "ACME_TOKEN"}, "bearer"),
    ({"headers_env": {"X-Api-Key": "ACME_API_KEY", "X-Tenant": "ACME_TENANT"}}, "headers"),
    ({"oauth2": {"token_url": "https://auth.acme.example/token", "client_id": "lerconf",
                 "client_secret_env": "ACME_CLIENT_SECRET", "scopes": ["issue", "verify"],
                 "audience": "https://api.acme.example"}}, "oauth2"),
    (None, "none"),
])
def test_each_auth_kind_loads(auth: dict[str, Any] | None, kind: str) -> None:
    data = _data()
    if auth is None:
        del data["auth"]
    else:
        data["auth"] = auth
    profile = parse_profile(data, "acme.yaml")
    assert profile.public_view()["auth"] == kind
    if kind == "headers":
        assert profile.auth.headers_env == {"X-Api-Key": "ACME_API_KEY", "X-Tenant": "ACME_TENANT"}
    if kind == "oauth2":
        assert profile.auth.oauth2 is not None and profile.auth.oauth2["client_id"] == "lerconf"


# -- errors name the file, the field and the problem --------------------------------------------

def test_missing_required_url_names_the_field() -> None:
    data = _data()
    del data["issuer"]["issue_url"]
    message = _error(data)
    assert "issuer.issue_url" in message and "is required" in message


def test_missing_issuer_id_names_the_field() -> None:
    data = _data()
    del data["issuer"]["id"]
    assert "issuer.id: is required" in _error(data)


@pytest.mark.parametrize("bad", ["not a url", "ftp://files.acme.example/x", "https://", "/relative/path"])
def test_non_url_names_the_field_and_the_value(bad: str) -> None:
    data = _data()
    data["verifier"]["verify_credential_url"] = bad
    message = _error(data)
    assert "verifier.verify_credential_url" in message
    assert "is not an http(s) URL" in message and repr(bad) in message


def test_url_of_wrong_type_is_refused() -> None:
    data = _data()
    data["issuer"]["issue_url"] = ["https://a.example"]
    assert "issuer.issue_url: must be a string, got list" in _error(data)


@pytest.mark.parametrize(("field", "value"), [
    ("securing", "rsa-2048-2017"), ("vc_versions", "3.0"), ("credential_types", "DiplomaCredential"),
    ("status", "RevocationList2020"),
])
def test_unknown_claim_value_names_the_field_and_the_choices(field: str, value: str) -> None:
    data = _data()
    data["issuer"]["claims"][field] = [value]
    message = _error(data)
    assert f"issuer.claims.{field}" in message and f"unknown value(s) {value}" in message
    assert "expected some of:" in message


def test_claims_must_be_a_list() -> None:
    data = _data()
    data["issuer"]["claims"]["securing"] = "eddsa-rdfc-2022"
    assert "issuer.claims.securing: must be a list of strings" in _error(data)


@pytest.mark.parametrize(("path", "field"), [
    ((), "issue_endpoint"), (("issuer",), "verify_url"), (("issuer", "claims"), "cryptosuites"),
    (("auth",), "bearer_token_envv"), (("auth", "oauth2"), "client_secret_env_name"),
])
def test_unknown_field_is_refused(path: tuple[str, ...], field: str) -> None:
    data = _data()
    if path[:1] == ("auth",):
        data["auth"] = {"oauth2": {"token_url": "https://auth.acme.example/token", "client_id": "x",
                                   "client_secret_env": "S"}} if path == ("auth", "oauth2") else {}
    target = data
    for key in path:
        target = target[key]
    target[field] = "x"
    message = _error(data)
    where = ".".join(path) or "profile"
    assert f"{where}: unknown field(s) {field}" in message


@pytest.mark.parametrize(("auth", "field"), [
    ({"token": "s3cr3t-inline-value"}, "auth.token"),
    ({"bearer_token": "s3cr3t-inline-value"}, "auth.bearer_token"),
    ({"api_key": "s3cr3t-inline-value"}, "auth.api_key"),
    ({"oauth2": {"token_url": "https://auth.acme.example/token", "client_id": "lerconf",
                 "client_secret": "s3cr3t-inline-value"}}, "auth.oauth2.client_secret"),
])
def test_secret_written_inline_is_refused_without_echoing_it(auth: dict[str, Any], field: str) -> None:
    data = _data()
    data["auth"] = auth
    message = _error(data)
    assert f"{field}: secrets are never written in a profile" in message
    assert "s3cr3t-inline-value" not in message


def test_two_auth_kinds_are_refused() -> None:
    data = _data()
    data["auth"] = {"bearer_token_env": "A", "headers_env": {"X-Key": "B"}}
    message = _error(data)
    assert "auth: use one of" in message and "bearer_token_env, headers_env" in message


def test_oauth2_needs_its_fields() -> None:
    data = _data()
    data["auth"] = {"oauth2": {"token_url": "https://auth.acme.example/token", "client_id": "lerconf"}}
    assert "auth.oauth2.client_secret_env: is required" in _error(data)


def test_bad_yaml_names_the_line(tmp_path: Path) -> None:
    text = FULL_PROFILE.replace("  status_url: https://issuer", "  status_url: [https://issuer")
    path = _write(tmp_path, text)
    line = text.splitlines().index(next(ln for ln in text.splitlines() if "[https://issuer" in ln)) + 1
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    message = str(info.value)
    assert message.startswith(f"{path}: line ")
    assert "not valid YAML" in message
    reported = int(message.split("line ", 1)[1].split(",", 1)[0])
    assert line <= reported <= line + 1


def test_yaml_tab_indent_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "name: x\nissuer:\n\tissue_url: https://a.example/\n")
    with pytest.raises(ProfileError, match=r"line 3, column 1: not valid YAML"):
        load_profile(path)


@pytest.mark.parametrize("text", ["", "   \n# only a comment\n", "{}\n"])
def test_empty_file_is_refused(tmp_path: Path, text: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ProfileError, match=rf"^{path}: profile: is empty$"):
        load_profile(path)


def test_top_level_list_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "- name: x\n")
    with pytest.raises(ProfileError, match=r"profile: must be a mapping, got list"):
        load_profile(path)


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(ProfileError, match=r"nope\.yaml: cannot read vendor profile"):
        load_profile(path)


def test_non_utf8_file_is_a_profile_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: Caf\u00e9\nholder: {present_url: 'https://w.example/'}\n".encode("latin-1"))
    with pytest.raises(ProfileError, match=r"latin1\.yaml: .*UTF-8"):
        load_profile(path)


def test_no_roles_is_refused() -> None:
    message = _error({"name": "Nobody", "auth": {"bearer_token_env": "T"}})
    assert "profile: describes no role" in message and "issuer, verifier, holder" in message


def test_missing_name_is_refused() -> None:
    data = _data()
    del data["name"]
    assert "name: is required" in _error(data)


def test_bad_failure_style_is_refused() -> None:
    data = _data()
    data["verifier"]["failure_style"] = "exception"
    message = _error(data)
    assert "verifier.failure_style" in message and "'exception' is not one of" in message
    assert "verified_false" in message


@pytest.mark.parametrize("rate", [-1, 0, "fast", True, float("nan")])
def test_bad_rate_limit_is_refused(rate: object) -> None:
    data = _data()
    data["rate_limit_per_second"] = rate
    assert "rate_limit_per_second: must be a positive number" in _error(data)


@pytest.mark.parametrize("budget", [-5, 0, 2.5, "many", True])
def test_bad_request_budget_is_refused(budget: object) -> None:
    data = _data()
    data["max_requests"] = budget
    assert "max_requests: must be a positive integer" in _error(data)


@pytest.mark.parametrize("value", ["cdn.acme.example", [["nested"]], {"a": 1}])
def test_allow_redirects_to_must_be_a_list_of_hosts(value: object) -> None:
    data = _data()
    data["allow_redirects_to"] = value
    assert "allow_redirects_to: must be a list of host names" in _error(data)


def test_role_must_be_a_mapping() -> None:
    data = _data()
    data["holder"] = ["https://w.example/present"]
    assert "holder: must be a mapping, got list" in _error(data)


# -- claims ----------------------------------------------------------------------------------

def test_claims_missing_lists_uncovered_needs() -> None:
    claims = Claims(vc_versions=("2.0",), credential_types=("OpenBadgeCredential",),
                    securing=("eddsa-rdfc-2022",), status=("BitstringStatusList",))
    assert claims.missing(vc_versions="2.0", securing="eddsa-rdfc-2022") == []
    assert claims.missing(securing="ecdsa-rdfc-2019", vc_versions="1.1", status="BitstringStatusList") == [
        "securing=ecdsa-rdfc-2019", "vc_versions=1.1"]
    assert claims.missing(securing=None, status=None) == []  # a need of None is no need
    assert Claims().missing(credential_types="ClrCredential") == ["credential_types=ClrCredential"]


def test_claims_missing_refuses_an_unknown_need() -> None:
    with pytest.raises(AttributeError):
        Claims().missing(protocols="oid4vci")


# -- public view -----------------------------------------------------------------------------

@pytest.mark.parametrize("auth", [
    {"bearer_token_env": "LERCONF_TEST_PV_TOKEN"},
    {"headers_env": {"X-Api-Key": "LERCONF_TEST_PV_TOKEN"}},
    {"oauth2": {"token_url": "https://auth.acme.example/token", "client_id": "lerconf",
                "client_secret_env": "LERCONF_TEST_PV_TOKEN"}},
])
def test_public_view_never_contains_a_secret_value(monkeypatch: pytest.MonkeyPatch, auth: dict[str, Any]) -> None:
    secret = "pv-secret-9f2c1e7a"
    monkeypatch.setenv("LERCONF_TEST_PV_TOKEN", secret)
    data = copy.deepcopy(_data())
    data["auth"] = auth
    view = parse_profile(data, "acme.yaml").public_view()
    dumped = json.dumps(view)
    assert secret not in dumped
    assert "LERCONF_TEST_PV_TOKEN" not in dumped  # not even where the secret lives
    assert view["roles"]["issuer"]["urls"]["issue_url"] == "https://issuer.acme.example/credentials/issue"
    assert view["roles"]["verifier"]["failure_style"] == "verified_false"
    assert view["roles"]["issuer"]["claims"]["securing"] == ["eddsa-rdfc-2022", "ecdsa-rdfc-2019"]
