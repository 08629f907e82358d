"""Redaction of secrets from everything lerconf stores or prints.

Two layers: by name (Authorization and similar headers, token and private-key fields in JSON)
and by value (every secret lerconf read from the environment, and its base64 forms, replaced
wherever it appears, so a vendor that echoes a token back cannot leak it into a report). A form
shorter than 16 characters (a one-time code) is replaced only where it stands alone: inside a run of
base64 or digits it is a coincidence, and cutting it out would corrupt that data.
"""
from __future__ import annotations

import base64
import re
import threading
import urllib.parse
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

REDACTED = "[REDACTED]"
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key"})
SECRET_FIELDS = frozenset({
    "access_token", "refresh_token", "id_token", "client_secret", "password", "token",
    "registration_access_token",  # RFC 7592: manages the client's registration
    "d", "p", "q", "dp", "dq", "qi",  # private JWK members
    "privateKeyMultibase", "secretKeyMultibase", "privateKeyJwk", "privateKeyBase58", "pre-authorized_code", "tx_code",
})
_MIN_SECRET = 6


class SecretRegistry:
    """Process-wide set of secret values to scrub (tokens, client secrets, header values)."""

    def __init__(self) -> None:
        self._values: set[str] = set()
        self._lock = threading.Lock()
        self._ordered: _Index | None = None  # built when first needed after an addition

    def add(self, value: str | None) -> None:
        # a recording's placeholder ([REDACTED:…], lerconf.tape) stands for a secret and is none: registered,
        # it would be scrubbed out of the very answers a replay reads it from
        if not value or len(value) < _MIN_SECRET or value.startswith(REDACTED[:-1]):
            return
        forms = {value}
        raw = value.encode()
        forms.add(base64.b64encode(raw).decode())
        forms.add(base64.urlsafe_b64encode(raw).decode().rstrip("="))
        forms.add(base64.b64encode(raw).decode().rstrip("="))
        for prefix in ("", "Bearer ", "bearer "):
            forms.add(base64.b64encode((prefix + value).encode()).decode().rstrip("="))
        # as sent in a form body or query (the OAuth client secret) and echoed back by a vendor
        forms.add(urllib.parse.quote_plus(value))
        forms.add(urllib.parse.quote(value, safe=""))
        with self._lock:
            self._values |= forms
            self._ordered = None

    def add_all(self, values: Iterable[str | None]) -> None:
        for v in values:
            self.add(v)

    def _index(self) -> _Index | None:
        with self._lock:
            if not self._values:
                return None
            if self._ordered is None:
                self._ordered = _Index(self._values)
            return self._ordered

    def scrub(self, text: str) -> str:
        """Replace every known secret form in ``text``, longest first."""
        index = self._index()
        if index is None:
            return text
        for value in index.present(text):
            if value in text:  # still there once a longer form around it was replaced
                text = _replace(text, value, REDACTED)
        return text

    def scrub_each(self, text: str, placeholder: Callable[[str], str]) -> str:
        """Replace every known secret form in ``text`` by ``placeholder(form)`` (a recording tells two
        secrets apart by a hash of each); placeholders already there are left alone."""
        index = self._index()
        if index is None:
            return text
        for value in index.present(text):
            if value in text and not value.startswith(REDACTED[:-1]):
                text = _replace(text, value, placeholder(value))
        return text


#: a form at least this long is replaced wherever it occurs: it never turns up in other data by chance
_ANYWHERE = 16
#: what a token is made of (base64url, hex, digits; not "/": a secret as a URL path segment stands
#: alone): a short form inside a run of these is part of other data, not the secret
_TOKEN_CHARS = "A-Za-z0-9_-"


@lru_cache(maxsize=4096)
def _standalone(value: str) -> re.Pattern[str]:
    return re.compile(f"(?<![{_TOKEN_CHARS}]){re.escape(value)}(?![{_TOKEN_CHARS}])")


def _replace(text: str, value: str, by: str) -> str:
    """``value`` replaced in ``text``: a long form anywhere; a short one (a 6-digit one-time code, its
    base64) only where it stands alone, so a run of base64 or digits that happens to contain it (a JWS
    whose payload holds a timestamp with those digits) is left intact instead of corrupted."""
    if len(value) >= _ANYWHERE:
        return text.replace(value, by)
    return _standalone(value).sub(lambda _m: by, text)


class _Index:
    """The registered forms by their first _MIN_SECRET characters (every form is at least that long).

    A run registers thousands of forms (one-time codes and tokens, each in ten encodings) and
    scrubs ~190,000 strings, most of them short: a substring test per form and string was a third
    of a default run's time. Sliding a window over the string and looking each window up finds
    the forms it may hold in time proportional to the string, whatever their number; only those
    are searched and replaced. (A regex alternation of all forms, recompiled on every addition,
    was slower still.)"""

    def __init__(self, values: Iterable[str]) -> None:
        self.by_prefix: dict[str, list[str]] = {}
        for value in values:
            self.by_prefix.setdefault(value[:_MIN_SECRET], []).append(value)

    def present(self, text: str) -> list[str]:
        """Forms whose first characters occur in ``text``, longest first."""
        get = self.by_prefix.get
        found: set[str] = set()
        for start in range(len(text) - _MIN_SECRET + 1):
            forms = get(text[start:start + _MIN_SECRET])
            if forms:
                found.update(forms)
        return sorted(found, key=len, reverse=True)


SECRETS = SecretRegistry()


def redact_headers(headers: Iterable[tuple[str, str]], extra_names: Iterable[str] = ()) -> dict[str, str]:
    names = SECRET_HEADERS | {n.lower() for n in extra_names}
    return {k: (REDACTED if k.lower() in names else SECRETS.scrub(v)) for k, v in headers}


def redact_json(value: Any) -> Any:
    """A copy of a JSON value with secret fields replaced and secret values scrubbed."""
    if isinstance(value, dict):
        return {k: (REDACTED if (k in SECRET_FIELDS and not isinstance(v, (dict, list))) or k in ("privateKeyJwk",)
                    else redact_json(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_json(v) for v in value]
    if isinstance(value, str):
        return SECRETS.scrub(value)
    return value


def secret_values(value: Any) -> list[str]:
    """String values of secret fields in a JSON value (tokens, private key material), to be scrubbed by value.

    The one- and two-letter private JWK members count only inside a JWK (a mapping with "kty"), so an
    ordinary field called "p" does not make its text a secret.
    """
    found: list[str] = []
    if isinstance(value, dict):
        jwk = "kty" in value
        for k, v in value.items():
            if isinstance(v, str) and k in SECRET_FIELDS and (len(k) > 2 or jwk):
                found.append(v)
            else:
                found.extend(secret_values(v))
    elif isinstance(value, list):
        for v in value:
            found.extend(secret_values(v))
    return found


def redact_text(text: str) -> str:
    return SECRETS.scrub(text)
