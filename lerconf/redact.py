"""Redaction of secrets from everything lerconf stores or prints.

Two layers: by name (Authorization and similar headers, token and private-key fields in JSON)
and by value (every secret lerconf read from the environment, and its base64 forms, replaced
wherever it appears, so a vendor that echoes a token back cannot leak it into a report). A form
shorter than 16 characters (a one-time code) is replaced only where it stands alone: inside a run of
base64 or digits it is a coincidence, and cutting it out would corrupt that data.
"""
from __future__ import annotations

import base64
import json
import re
import threading
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
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
        self._lock = threading.Lock()
        self._state = _State()
        #: changes whenever what is scrubbed may change (a form registered, a state swapped): a text
        #: redacted at one generation is redacted alike while it lasts
        self.generation = 0

    @contextmanager
    def isolated(self) -> Iterator[None]:
        """Start empty and put the earlier secrets back afterwards: for a test whose previous runs
        registered hundreds of one-time values of servers long stopped. The whole state is swapped at
        once: a scrub in another thread works on one state or the other, never on parts of both."""
        with self._lock:
            saved, self._state = self._state, _State()
            self.generation += 1
        try:
            yield
        finally:
            with self._lock:
                self._state = saved
                self.generation += 1

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
            state = self._state
            new = forms - state.values
            if new:
                state.values |= new
                state.index = state.index.adding(new)  # before the forms are listed: see _scrubbed
                state.added.extend(new)
                self.generation += 1

    def add_all(self, values: Iterable[str | None]) -> None:
        for v in values:
            self.add(v)

    def occurs_in(self, text: str) -> bool:
        """Whether any registered form occurs anywhere in ``text`` (standalone or not)."""
        return any(form in text for form in self._state.index.present(text))

    def scrub(self, text: str) -> str:
        """Replace every known secret form in ``text``, longest first."""
        return self._scrubbed(text, None)

    def scrub_each(self, text: str, placeholder: Callable[[str], str]) -> str:
        """Replace every known secret form in ``text`` by ``placeholder(form)`` (a recording tells two
        secrets apart by a hash of each); placeholders already there are left alone."""
        return self._scrubbed(text, placeholder)

    def _scrubbed(self, text: str, placeholder: Callable[[str], str] | None) -> str:
        """``text`` scrubbed, remembered for the next time the same string comes by.

        A run scrubs the same strings again and again (each answer as text and as JSON, each exchange
        for the results, the recording and Allure) while it keeps registering secrets (a one-time code
        per scenario). A remembered answer stays right until a form registered after it occurs in the
        string: only those few later forms are looked for, never the thousands before them."""
        state = self._state
        added = state.added
        seen = len(added)  # read before the index: an addition replaces the index, then lists its forms
        if len(text) < _MIN_SECRET or not seen:
            return text
        index = state.index
        memo = state.memo if placeholder is None and len(text) <= _MEMO_TEXT else None
        if memo is not None:
            known = memo.get(text)
            if known is not None:
                result, then = known
                if then == seen:
                    return result
                later = added[then:seen]
                if len(later) <= _MEMO_RECHECK and not any(form in text for form in later):
                    memo[text] = (result, seen)
                    return result
        result = text
        for value in index.present(text):
            if value in result and (placeholder is None or not value.startswith(REDACTED[:-1])):
                # still there once a longer form around it was replaced
                result = _replace(result, value, REDACTED if placeholder is None else placeholder(value))
        if memo is not None:
            if len(memo) >= _MEMO_ENTRIES:
                memo.clear()
            memo[text] = (result, seen)
        return result


@dataclass
class _State:
    """What a registry knows, swapped as one (SecretRegistry.isolated)."""

    values: set[str] = field(default_factory=set)
    #: every form, in the order registered: what a memo entry may not have seen
    added: list[str] = field(default_factory=list)
    index: _Index = field(default_factory=lambda: _Index())
    #: string -> (its scrubbed form, how many forms were registered when it was scrubbed)
    memo: dict[str, tuple[str, int]] = field(default_factory=dict)


#: strings up to this long are remembered once scrubbed (field values, URLs, headers; not whole bodies)
_MEMO_TEXT = 4096
#: remembered strings at most (then forgotten at once, and remembered again as they come by)
_MEMO_ENTRIES = 50_000
#: a remembered answer is checked against at most this many forms registered since; beyond, scrubbed again
_MEMO_RECHECK = 64


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
    of a default run's time. The string's windows of _MIN_SECRET characters, intersected with the
    forms' prefixes, find the forms it may hold in time proportional to the string, whatever their
    number; only those are searched and replaced. (A regex alternation of all forms, recompiled on
    every addition, was slower still.) Immutable: an addition makes a new index sharing nothing a
    scrub in another thread may be reading."""

    def __init__(self, by_prefix: dict[str, tuple[str, ...]] | None = None) -> None:
        self.by_prefix: dict[str, tuple[str, ...]] = by_prefix or {}
        self.prefixes: frozenset[str] = frozenset(self.by_prefix)

    def adding(self, values: Iterable[str]) -> _Index:
        by_prefix = dict(self.by_prefix)
        for value in values:
            by_prefix[value[:_MIN_SECRET]] = (*by_prefix.get(value[:_MIN_SECRET], ()), value)
        return _Index(by_prefix)

    def present(self, text: str) -> list[str]:
        """Forms whose first characters occur in ``text``, longest first."""
        if not self.prefixes:
            return []
        windows = {text[start:start + _MIN_SECRET] for start in range(len(text) - _MIN_SECRET + 1)}
        hits = windows & self.prefixes
        if not hits:
            return []
        return sorted({form for prefix in hits for form in self.by_prefix[prefix]}, key=len, reverse=True)


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


def clean_json_copy(body: bytes) -> Any | None:
    """A copy of the JSON document ``body`` when its text shows there is nothing to redact in it, else None
    (then redact_json walks it). Decided on the text, in C-speed substring searches instead of a walk of
    every node (large verifier answers were 7% of a verifier bed's time): with no backslash in it, every
    key and string of the document stands in the text exactly as written, so a secret field that is not
    in the text is in no object, and a registered secret not in the text is in no string. A body that is
    not UTF-8 (another encoding, or with a byte order mark) is left to redact_json."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "\\" in text or any(f'"{name}"' in text for name in SECRET_FIELDS) or SECRETS.occurs_in(text):
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


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
