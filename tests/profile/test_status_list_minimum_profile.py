"""``status_lists: {minimum_entries: N}`` in a vendor profile, and how a run settles on one
minimum (issue 12, point 7): --status-list-minimum wins, profiles must agree, the spec's 131,072
otherwise; the setting reaches the pytest session and the harness's verify options."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lerconf.checks.status import ListMinimum
from lerconf.errors import LerconfError, ProfileError
from lerconf.profile.load import VendorProfile, load_profile, parse_profile
from lerconf.run.runner import RunOptions, check_setup, pytest_args
from lerconf.scenarios.harness import status_list_minimum


def _profile(name: str = "acme", **extra: Any) -> dict[str, Any]:
    return {"name": name, "issuer": {"issue_url": "https://issuer.acme.example/credentials/issue",
                                     "id": "did:web:issuer.acme.example"}, **extra}


def _parse(name: str = "acme", minimum: Any = None) -> VendorProfile:
    extra = {"status_lists": {"minimum_entries": minimum}} if minimum is not None else {}
    return parse_profile(_profile(name, **extra), f"/profiles/{name}.yaml")


def test_profile_sets_the_ecosystem_minimum() -> None:
    profile = _parse(minimum=100_000)
    assert profile.status_list_minimum == 100_000
    assert profile.public_view()["status_lists"] == {"minimum_entries": 100_000}
    assert _parse().status_list_minimum is None and "status_lists" not in _parse().public_view()


def test_profile_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text("name: acme\nissuer:\n  issue_url: https://issuer.acme.example/i\n  id: did:web:issuer.acme.example\n"
                    "status_lists:\n  minimum_entries: 100000\n", encoding="utf-8")
    assert load_profile(path).status_list_minimum == 100_000


@pytest.mark.parametrize(("section", "problem"), [
    ({"minimum_entries": 0}, "status_lists.minimum_entries: must be at least 1 entry, got 0"),
    ({"minimum_entries": -1}, "status_lists.minimum_entries: must be at least 1 entry, got -1"),
    ({"minimum_entries": 99999.5}, "status_lists.minimum_entries: must be a whole number of entries, got 99999.5"),
    ({"minimum_entries": "100000"}, "status_lists.minimum_entries: must be a whole number of entries, got '100000'"),
    ({"minimum_entries": True}, "status_lists.minimum_entries: must be a whole number of entries, got True"),
    ({"minimum_entries": 200_000}, "status_lists.minimum_entries: 200000 is above Bitstring Status List's default"),
    ({}, "status_lists.minimum_entries: is required"),
    ({"minimum_entries": 100_000, "maximum": 5}, "status_lists: unknown field(s) maximum"),
    ([100_000], "status_lists: must be a mapping, got list"),
])
def test_bad_values_name_the_file_and_the_place(section: Any, problem: str) -> None:
    with pytest.raises(ProfileError) as err:
        parse_profile(_profile(status_lists=section), "/profiles/acme.yaml")
    assert str(err.value).startswith(f"/profiles/acme.yaml: {problem}")


def test_default_is_the_specs() -> None:
    assert status_list_minimum([]) == ListMinimum()
    assert status_list_minimum([_parse()]) == ListMinimum()


def test_a_profile_lowers_it_and_is_named() -> None:
    minimum = status_list_minimum([_parse(minimum=100_000), _parse("beta")])
    assert minimum == ListMinimum(100_000, "vendor profile acme.yaml")


def test_profiles_that_agree_are_all_named() -> None:
    assert status_list_minimum([_parse(minimum=100_000), _parse("beta", 100_000)]).source == \
        "vendor profile acme.yaml, beta.yaml"


def test_the_command_line_overrides_the_profiles() -> None:
    assert status_list_minimum([_parse(minimum=100_000)], 120_000) == ListMinimum(120_000, "--status-list-minimum")


def test_profiles_that_disagree_are_a_setup_error() -> None:
    with pytest.raises(ProfileError, match=r"different status_lists.minimum_entries \(acme.yaml 100000, beta.yaml 120000\)"):
        status_list_minimum([_parse(minimum=100_000), _parse("beta", 120_000)])
    assert status_list_minimum([_parse(minimum=100_000), _parse("beta", 120_000)], 100_000).entries == 100_000


def test_run_checks_the_agreement_before_any_scenario(tmp_path: Path) -> None:
    paths = []
    for name, value in (("acme", 100_000), ("beta", 120_000)):
        path = tmp_path / f"{name}.yaml"
        path.write_text(f"name: {name}\nissuer:\n  issue_url: https://issuer.{name}.example/i\n  id: did:web:{name}.example\n"
                        f"status_lists:\n  minimum_entries: {value}\n", encoding="utf-8")
        paths.append(path)
    with pytest.raises(LerconfError, match="different status_lists.minimum_entries"):
        check_setup(RunOptions(vendors=paths))
    assert len(check_setup(RunOptions(vendors=paths, status_list_minimum=100_000))) == 2


def test_the_command_line_value_reaches_the_pytest_session(tmp_path: Path) -> None:
    assert "--lerconf-status-list-minimum=100000" in pytest_args(RunOptions(status_list_minimum=100_000), tmp_path)
    assert not any(a.startswith("--lerconf-status-list-minimum") for a in pytest_args(RunOptions(), tmp_path))
