"""BSL-16 with an ecosystem minimum (issue 12, point 7): Bitstring Status List's 131,072 entries
by default, a lower minimum when an ecosystem sets one, and the message says which applied."""
from __future__ import annotations

from typing import Any

import pytest

from lerconf.checks.status import ListMinimum, list_minimum_problem, status_list_long_enough
from lerconf.crypto.status_list import MIN_LIST_ENTRIES
from lerconf.results import Status
from lerconf.verify.report import VerifyOptions

PROFILE = ListMinimum(100_000, "vendor profile acme.yaml")


def bitstring(entries: int) -> bytes:
    """A bitstring of ``entries`` one-bit entries (a whole number of bytes)."""
    assert entries % 8 == 0
    return bytes(entries // 8)


def test_default_minimum_is_the_specs() -> None:
    assert ListMinimum().entries == MIN_LIST_ENTRIES == 131_072
    assert not ListMinimum().lowered
    assert VerifyOptions().status_list_minimum == ListMinimum()


def test_a_100000_entry_list_fails_by_default_and_says_the_default_applied() -> None:
    result = status_list_long_enough(bitstring(100_000), 1)
    assert result.status is Status.FAILED and result.error_type == "STATUS_LIST_LENGTH_ERROR"
    assert result.message == ("status list holds 100000 entries; at least 131072 are required "
                              "(the spec's default 131,072)")


def test_a_100000_entry_list_passes_with_the_ecosystem_minimum_and_says_who_set_it() -> None:
    result = status_list_long_enough(bitstring(100_000), 1, minimum=PROFILE)
    assert result.status is Status.PASSED
    assert "ecosystem minimum 100000 set by vendor profile acme.yaml" in result.message
    assert "the spec's default is 131,072" in result.message
    assert result.details["minimum"] == 100_000


def test_a_shorter_list_still_fails_under_the_ecosystem_minimum() -> None:
    # 99,999 one-bit entries cannot be expressed (a bitstring is whole bytes): 99,992 is the longest list below 100,000
    result = status_list_long_enough(bitstring(99_992), 1, minimum=PROFILE)
    assert result.status is Status.FAILED and result.error_type == "STATUS_LIST_LENGTH_ERROR"
    assert result.message.startswith("status list holds 99992 entries; at least 100000 are required (ecosystem minimum "
                                     "100000 set by vendor profile acme.yaml")
    # the boundary itself: one entry more than the list holds
    cli = ListMinimum(100_001, "--status-list-minimum")
    just_short = status_list_long_enough(bitstring(100_000), 1, minimum=cli)
    assert just_short.status is Status.FAILED and "set by --status-list-minimum" in just_short.message


def test_status_size_divides_the_length_under_a_lowered_minimum() -> None:
    # 200,000 bits at statusSize 2 are 100,000 entries
    assert status_list_long_enough(bitstring(200_000), 2, minimum=PROFILE).status is Status.PASSED
    assert status_list_long_enough(bitstring(199_984), 2, minimum=PROFILE).status is Status.FAILED


@pytest.mark.parametrize(("value", "problem"), [
    (0, "must be at least 1 entry, got 0"),
    (-5, "must be at least 1 entry, got -5"),
    (1.5, "must be a whole number of entries, got 1.5"),
    ("100000", "must be a whole number of entries, got '100000'"),
    (True, "must be a whole number of entries, got True"),
    (131_073, "131073 is above Bitstring Status List's default minimum of 131,072 entries"),
])
def test_bad_minimums_are_refused(value: Any, problem: str) -> None:
    found = list_minimum_problem(value)
    assert found is not None and found.startswith(problem)
    with pytest.raises(ValueError, match=problem.split(",")[0]):
        ListMinimum(value, "test")


def test_the_bounds_themselves_are_accepted() -> None:
    assert list_minimum_problem(1) is None and list_minimum_problem(131_072) is None
    assert ListMinimum(1, "x").lowered and not ListMinimum(131_072, "x").lowered


def test_recorded_form() -> None:
    assert PROFILE.to_json() == {"entries": 100_000, "default": 131_072, "lowered": True, "source": "vendor profile acme.yaml"}
    assert ListMinimum().to_json() == {"entries": 131_072, "default": 131_072, "lowered": False,
                                       "source": "Bitstring Status List default"}
