"""The dateTimeStamp parser and the validity-period checks (VCDM-33, VCDM-34, OB-27)."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from lerconf.checks import dates
from lerconf.results import Category, Status

AT = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
V1 = "https://www.w3.org/2018/credentials/v1"


def make(*, ob: bool = False, **dates_: str) -> dict[str, Any]:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential", "OpenBadgeCredential"] if ob else ["VerifiableCredential"],
        **dates_,
    }


@pytest.mark.parametrize(
    "value,expected",
    [
        ("2023-02-26T01:02:58Z", datetime(2023, 2, 26, 1, 2, 58, tzinfo=UTC)),
        ("2023-02-26T01:02:58.447Z", datetime(2023, 2, 26, 1, 2, 58, 447000, tzinfo=UTC)),
        ("2023-02-26T01:02:58.1234567891Z", datetime(2023, 2, 26, 1, 2, 58, 123456, tzinfo=UTC)),
        ("2023-02-25T19:10:39-06:00", datetime(2023, 2, 26, 1, 10, 39, tzinfo=UTC)),
        ("2023-02-25T24:00:00Z", datetime(2023, 2, 26, tzinfo=UTC)),
        ("2024-02-29T00:00:00+14:00", datetime(2024, 2, 28, 10, tzinfo=UTC)),
    ],
)
def test_parses_date_time_stamps_to_utc(value: str, expected: datetime) -> None:
    assert dates.parse_date_time_stamp(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "2023-02-26T01:02:58",  # no time zone
        "2023-02-26",  # date only
        "2023-02-26 01:02:58Z",  # space separator
        "2023-02-26T01:02:58.Z",  # empty fraction
        "2023-02-26T01:02:58+15:00",  # offset out of range
        "2023-02-26T01:02:58+0100",  # offset without colon
        "2023-02-30T00:00:00Z",  # no such day
        "2023-02-26T24:00:01Z",  # 24:00 only exactly
        "2023-02-26t01:02:58z",  # lower case
        "23-02-26T01:02:58Z",  # two-digit year
        "Sat 25 Feb 2023 07:16:31 PM CST",
        "",
        None,
        1677373378,
    ],
)
def test_rejects_values_that_are_not_date_time_stamps(value: Any) -> None:
    assert not dates.is_date_time_stamp(value)


def test_far_future_years_are_valid_and_compare_as_late() -> None:
    assert dates.parse_date_time_stamp("12023-01-01T00:00:00Z") == datetime.max.replace(tzinfo=UTC)


# VCDM-33
def test_vcdm_33_accepts_ordered_window() -> None:
    result = dates.validity_period_is_well_formed(make(validFrom="2024-01-01T00:00:00Z", validUntil="2026-01-01T00:00:00Z"))
    assert result.status is Status.PASSED and result.category is Category.DATES


def test_vcdm_33_rejects_inverted_window() -> None:
    result = dates.validity_period_is_well_formed(make(validFrom="2026-01-01T00:00:00Z", validUntil="2024-01-01T00:00:00Z"))
    assert result.status is Status.FAILED and result.subject == "validUntil"


def test_vcdm_33_rejects_malformed_value() -> None:
    result = dates.validity_period_is_well_formed(make(validUntil="Sun, 26 Feb 2023 01:22:14 +0000"))
    assert result.status is Status.FAILED and result.error_type == "MALFORMED_VALUE_ERROR"


# VCDM-34
def test_vcdm_34_accepts_credential_inside_its_window() -> None:
    doc = make(validFrom="2024-01-01T00:00:00Z", validUntil="2026-01-01T00:00:00Z")
    assert dates.validity_period_is_current(doc, at=AT).status is Status.PASSED


def test_vcdm_34_rejects_not_yet_valid_credential() -> None:
    result = dates.validity_period_is_current(make(validFrom="2025-06-01T12:00:01Z"), at=AT)
    assert result.status is Status.FAILED and result.message.startswith("not yet valid")


def test_vcdm_34_rejects_expired_credential() -> None:
    result = dates.validity_period_is_current(make(validUntil="2025-06-01T11:59:59Z"), at=AT)
    assert result.status is Status.FAILED and result.message.startswith("expired")


def test_vcdm_34_uses_v1_names_for_v1_credentials() -> None:
    doc = {"@context": [V1], "type": ["VerifiableCredential"], "issuanceDate": "2020-01-01T00:00:00Z",
           "expirationDate": "2021-01-01T00:00:00Z", "validUntil": "2030-01-01T00:00:00Z"}
    result = dates.validity_period_is_current(doc, at=AT)
    assert result.status is Status.FAILED and result.subject == "expirationDate"


def test_vcdm_34_treats_naive_instant_as_utc() -> None:
    doc = make(validUntil="2025-06-01T12:00:00+00:00")
    assert dates.validity_period_is_current(doc, at=datetime(2025, 6, 1, 12, 0)).status is Status.PASSED
    assert dates.validity_period_is_current(doc, at=datetime(2025, 6, 1, 12, 0, 1)).status is Status.FAILED


def test_vcdm_34_is_boundary_inclusive() -> None:
    doc = make(validFrom="2025-06-01T12:00:00Z", validUntil="2025-06-01T14:00:00+02:00")
    assert dates.validity_period_is_current(doc, at=AT).status is Status.PASSED


def test_vcdm_34_not_applicable_when_malformed() -> None:
    assert dates.validity_period_is_current(make(validFrom="yesterday"), at=AT).status is Status.NOT_APPLICABLE


# OB-27
def test_ob_27_rejects_expired_badge() -> None:
    result = dates.badge_is_within_validity_period(make(ob=True, validUntil="2025-01-01T00:00:00Z"), at=AT)
    assert result.status is Status.FAILED and result.requirement == "OB-27"


def test_ob_27_accepts_current_badge() -> None:
    result = dates.badge_is_within_validity_period(make(ob=True, validFrom="2025-01-01T00:00:00Z"), at=AT)
    assert result.status is Status.PASSED


def test_ob_27_not_applicable_to_other_credentials() -> None:
    result = dates.badge_is_within_validity_period(make(validUntil="2025-01-01T00:00:00Z"), at=AT)
    assert result.status is Status.NOT_APPLICABLE
