"""Reading a vendor profile's YAML values with errors that say what and where."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from lerconf.errors import ProfileError

__all__ = ["Reader", "http_url", "no_unknown", "unclaimed"]


class Reader:
    """Reads one profile, saying where in it a value is wrong (``source: field.path: problem``)."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, problem: str) -> ProfileError:
        return ProfileError(f"{self.source}: {where}: {problem}")

    def mapping(self, value: Any, where: str) -> Mapping[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise self.fail(where, f"must be a mapping, got {type(value).__name__}")
        return value

    def string(self, value: Any, where: str, *, required: bool = False) -> str | None:
        if value is None:
            if required:
                raise self.fail(where, "is required")
            return None
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise self.fail(where, f"must be a string, got {type(value).__name__}")
        return str(value)

    def url(self, value: Any, where: str, *, required: bool = False) -> str | None:
        text = self.string(value, where, required=required)
        if text is None:
            return None
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise self.fail(where, f"{text!r} is not an http(s) URL")
        try:
            _ = parts.port  # urllib raises here on a port that is not a number in range
        except ValueError:
            raise self.fail(where, f"{text!r} has an invalid port") from None
        return text

    def choices(self, value: Any, where: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, (str, float, int)) for v in value):
            raise self.fail(where, "must be a list of strings")
        items = tuple(str(v) for v in value)
        unknown = [v for v in items if v not in allowed]
        if unknown:
            raise self.fail(where, f"unknown value(s) {', '.join(unknown)}; expected some of: {', '.join(allowed)}")
        return items


def no_unknown(r: Reader, m: Mapping[str, Any], where: str, known: set[str]) -> None:
    unknown = set(m) - known
    if unknown:
        raise r.fail(where, f"unknown field(s) {', '.join(sorted(map(str, unknown)))}")


def unclaimed(section: Any, example: Mapping[str, str], columns: Mapping[str, str]) -> list[str]:
    """What an example row needs that a profile section does not claim: for each example-table
    ``column`` (e.g. ``format``) the section's claim list it selects by (e.g. ``formats``); ``-`` or an
    empty cell needs nothing. One rule for every role section (OID4VCI, OB API provider and consumer)."""
    out = []
    for column, claim in columns.items():
        value = example.get(column)
        if value and value != "-" and value not in getattr(section, claim):
            out.append(f"{claim}={value}")
    return out


def http_url(value: Any, where: str, fail: Callable[[str, str], Exception]) -> str:
    """An http(s) URL with a host, else ``fail(where, why)`` (the sections' endpoint and hook URLs)."""
    if not isinstance(value, str) or not value:
        raise fail(where, "is required (an http(s) URL)")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise fail(where, f"{value!r} is not an http(s) URL")
    return value


#: how lerconf gets past a vendor AS's user login (lerconf.clients.login): the OID4VCI and OB API sections
LOGIN_MODES = ("follow_redirects", "hook", "person")


def login_page_port(value: Any, where: str, fail: Callable[[str, str], Exception]) -> None:
    """``login_page_port`` (login: person): the operator page's loopback port, 0 (any free port) to 65535."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 65535):
        raise fail(where, f"must be a port number (0: any free port), got {value!r}")


def login_timeout(value: Any, where: str, fail: Callable[[str, str], Exception]) -> None:
    """``login_timeout_s`` (login: person): seconds from 5 to 3600 when given."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or not 5 <= value <= 3600):
        raise fail(where, f"must be a number of seconds from 5 to 3600, got {value!r}")
