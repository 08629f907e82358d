"""Validity-period checks (Category.DATES) and the XSD dateTimeStamp parser they share.

A verifier decides "valid now?" against an explicit ``at`` instant, never the wall clock inside
a check, so runs are reproducible and time travel (expired, not yet valid) needs no mocking.
VCDM 2.0 names the window validFrom/validUntil; VCDM 1.1 issuanceDate/expirationDate.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from lerconf.checks.base import Verdict, check, failed, not_applicable, passed
from lerconf.checks.vcdm_values import MALFORMED, data_model_version, types_of
from lerconf.results import Category, CheckResult

__all__ = [
    "DATE_TIME_STAMP",
    "badge_is_within_validity_period",
    "date_checks",
    "is_date_time_stamp",
    "parse_date_time_stamp",
    "validity_bounds",
    "validity_period_is_current",
    "validity_period_is_well_formed",
]

#: XSD 1.1 dateTimeStamp: a dateTime that MUST carry "Z" or a +hh:mm/-hh:mm offset; fractional
#: seconds of any length; 24:00:00 only with zero fractions (the VCDM 2.0 §4.9 expression).
DATE_TIME_STAMP = re.compile(
    r"(?P<year>-?(?:[1-9][0-9]{3,}|0[0-9]{3}))-(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12][0-9]|3[01])"
    r"T(?:(?P<hour>[01][0-9]|2[0-3]):(?P<minute>[0-5][0-9]):(?P<second>[0-5][0-9])(?:\.(?P<frac>[0-9]+))?"
    r"|(?P<midnight>24:00:00(?:\.0+)?))"
    r"(?P<tz>Z|[+\-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))"
)

#: Validity property names per data model version: (start, end).
_NAMES = {"2.0": ("validFrom", "validUntil"), "1.1": ("issuanceDate", "expirationDate")}

#: Credential types whose verification follows the OB 3.0 / CLR 2.0 verification steps.
_OB_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential", "EndorsementCredential", "ClrCredential"})


def is_date_time_stamp(value: Any) -> bool:
    """True when ``value`` is lexically an XSD dateTimeStamp and names a real calendar day."""
    return parse_date_time_stamp(value) is not None


def parse_date_time_stamp(value: Any) -> datetime | None:
    """An aware UTC datetime, or None when the value is not a valid dateTimeStamp.

    Years beyond Python's range (1..9999) are valid XSD but are clamped to the nearest
    representable instant, which keeps comparisons right.
    """
    if type(value) is str and len(value) <= 64:  # a dateTimeStamp is short: nothing long is kept
        return _parse_text(value)  # one credential's dates are read by five checks: parsed once
    if not isinstance(value, str):
        return None
    return _parse_text.__wrapped__(value)


@functools.lru_cache(maxsize=4096)
def _parse_text(value: str) -> datetime | None:
    m = DATE_TIME_STAMP.fullmatch(value)
    if m is None:
        return None
    year, month, day = int(m["year"]), int(m["month"]), int(m["day"])
    if year < 1 or year > 9999:
        return datetime.min.replace(tzinfo=UTC) if year < 1 else datetime.max.replace(tzinfo=UTC)
    if m["midnight"]:
        hour, minute, second, micro = 0, 0, 0, 0
    else:
        hour, minute, second = int(m["hour"]), int(m["minute"]), int(m["second"])
        micro = int((m["frac"] or "0")[:6].ljust(6, "0"))
    tz = m["tz"]
    offset = timedelta(0) if tz == "Z" else (1 if tz[0] == "+" else -1) * timedelta(hours=int(tz[1:3]), minutes=int(tz[4:6]))
    try:
        local = datetime(year, month, day, hour, minute, second, micro, tzinfo=timezone(offset))
        if m["midnight"]:
            local += timedelta(days=1)
        return local.astimezone(UTC)
    except (ValueError, OverflowError):  # 30 February, or 9999-12-31T24:00:00
        return None


def validity_bounds(credential: Mapping[str, Any]) -> tuple[str, str]:
    """The (start, end) property names this credential's data model version uses."""
    return _NAMES.get(data_model_version(credential) or "2.0", _NAMES["2.0"])


def _utc(at: datetime) -> datetime:
    """Treat a naive instant as UTC (VCDM 2.0 §5.8)."""
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


@check("VCDM-33", Category.DATES)
def validity_period_is_well_formed(credential: Mapping[str, Any]) -> Verdict:
    """A verifier MUST reject validity values that are not dateTimeStamp and a validFrom later than validUntil.

    VC Data Model 2.0 §4.9: a malformed or inverted window makes the credential invalid for
    every instant, so it is a verification failure, not only an issuer defect.
    """
    start_name, end_name = validity_bounds(credential)
    present = [n for n in (start_name, end_name) if n in credential]
    if not present:
        return not_applicable(f"no {start_name} or {end_name}")
    for name in present:
        if parse_date_time_stamp(credential[name]) is None:
            return failed(
                f"{name} is not an XSD dateTimeStamp: {credential[name]!r}",
                error=MALFORMED, subject=name, value=credential[name],
            )
    if len(present) == 2:
        start, end = parse_date_time_stamp(credential[start_name]), parse_date_time_stamp(credential[end_name])
        if start is not None and end is not None and start > end:
            return failed(
                f"{start_name} {credential[start_name]} is later than {end_name} {credential[end_name]}",
                error=MALFORMED, subject=end_name,
            )
    return passed(f"{' and '.join(present)} are well-formed and ordered")


def _window_verdict(credential: Mapping[str, Any], at: datetime) -> Verdict:
    """Shared by VCDM-34 and OB-27: not yet valid / expired relative to ``at``."""
    now = _utc(at)
    start_name, end_name = validity_bounds(credential)
    start_raw, end_raw = credential.get(start_name), credential.get(end_name)
    if start_raw is None and end_raw is None:
        return passed(f"no {start_name}/{end_name}: valid at any time", at=now.isoformat())
    start = parse_date_time_stamp(start_raw) if start_raw is not None else None
    end = parse_date_time_stamp(end_raw) if end_raw is not None else None
    if (start_raw is not None and start is None) or (end_raw is not None and end is None):
        return not_applicable("the validity period is malformed (see VCDM-33)")
    if start is not None and now < start:
        return failed(
            f"not yet valid: {start_name} {start_raw} is after {now.isoformat()}",
            subject=start_name, at=now.isoformat(), **{start_name: start_raw},
        )
    if end is not None and now > end:
        return failed(
            f"expired: {end_name} {end_raw} is before {now.isoformat()}",
            subject=end_name, at=now.isoformat(), **{end_name: end_raw},
        )
    return passed(f"valid at {now.isoformat()}", at=now.isoformat())


@check("VCDM-34", Category.DATES)
def validity_period_is_current(credential: Mapping[str, Any], *, at: datetime) -> Verdict:
    """A verifier evaluates the validity period: a credential is not yet valid before validFrom and expired after validUntil.

    VC Data Model 2.0 App. A.5/A.7 (LER profiles make it mandatory); for VCDM 1.1,
    issuanceDate/expirationDate bound the window.
    """
    return _window_verdict(credential, at)


@check("OB-27", Category.DATES)
def badge_is_within_validity_period(credential: Mapping[str, Any], *, at: datetime) -> Verdict:
    """If now is before validFrom the badge is not yet valid; if now is after validUntil it is expired.

    Open Badges 3.0 verification step 4 (also CLR 2.0); VCDM 1.1 badges use
    issuanceDate/expirationDate.
    """
    if not _OB_TYPES.intersection(t for t in types_of(credential) if isinstance(t, str)):
        return not_applicable("not an Open Badges or CLR credential")
    return _window_verdict(credential, at)


def date_checks(credential: Mapping[str, Any], *, at: datetime) -> list[CheckResult]:
    """Every validity-period check for one credential, in a fixed order."""
    return [
        validity_period_is_well_formed(credential),
        validity_period_is_current(credential, at=at),
        badge_is_within_validity_period(credential, at=at),
    ]
