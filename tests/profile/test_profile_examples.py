"""The shipped profiles load: the commented staging example and the reference's own."""
from __future__ import annotations

from pathlib import Path

import pytest

from lerconf.errors import ProfileError
from lerconf.profile.load import load_profile
from lerconf.profile.variables import expand_variables

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "vendors"


def test_example_staging_profile_loads_with_its_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACME_BASE", "https://staging.acme.example")
    profile = load_profile(FIXTURES / "example-staging.yaml")
    assert profile.name == "Acme Credentials"
    assert profile.role("issuer").urls["issue_url"] == "https://staging.acme.example/credentials/issue"  # type: ignore[union-attr]
    assert profile.role("verifier").failure_style == "verified_false"  # type: ignore[union-attr]
    assert profile.rate_limit_per_second == 5 and profile.max_requests == 2000


def test_missing_variable_names_the_variable_and_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ACME_BASE", raising=False)
    with pytest.raises(ProfileError, match=r"example-staging.yaml: environment variable ACME_BASE is not set"):
        load_profile(FIXTURES / "example-staging.yaml")


def test_variables_in_comments_are_left_alone() -> None:
    text = "url: ${BASE}/x  # see ${NOT_A_VAR}\n# ${ALSO_NOT}\nname: 'a # ${Q}'\n"
    out = expand_variables(text, "p.yaml", {"BASE": "https://h", "Q": "q"})
    assert out == "url: https://h/x  # see ${NOT_A_VAR}\n# ${ALSO_NOT}\nname: 'a # q'\n"
