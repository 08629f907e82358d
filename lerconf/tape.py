"""The tape of one scenario: what it drew (random values, the clock) and what it was answered
(HTTP exchanges, documents fetched), kept by ``lerconf run --record`` and played back by
``lerconf replay`` so the scenario is judged again, offline, by the current checks.

Why a tape and not the evidence: evidence is for people (redacted, truncated). To judge again,
the flow must run again and meet the same answers, so lerconf's own choices (challenges, nonces,
ids, the time it signed at) must come out the same too; then every request it makes is the one
it made when recording, and any other request means the recording no longer answers this
scenario (:class:`Diverged`, the scenario is broken, never judged on a mismatched answer).

What is kept is redacted as evidence is: a response's secret fields and known secret values
are replaced before they are written (a replayed flow then sends ``[REDACTED]`` where it sent a
token, which is why requests are compared in their redacted form).

The tape is per scenario and per thread of control (a context variable): lerconf's embedded
reference answers in its server thread and never draws from it.
"""
from __future__ import annotations

import base64
import contextvars
import hashlib
import json
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol
from urllib.parse import parse_qsl, unquote_plus, urlencode, urlsplit, urlunsplit

from lerconf.redact import SECRET_FIELDS, SECRETS, redact_text
from lerconf.verdicts import Broken

__all__ = [
    "TAPE",
    "Diverged",
    "SideChannel",
    "Tape",
    "active",
    "body_digest",
    "keep_body",
    "keep_location",
    "kept_body",
    "placeholder",
    "redacted_url",
    "replay_session",
    "request_digest",
    "serve_tapes",
    "served_tape",
    "serving_tapes",
    "start_replay_session",
    "taped",
]

Mode = Literal["record", "replay"]


class Diverged(Broken):
    """The replayed scenario asked for something the recording does not hold at this point."""

    def __init__(self, what: str) -> None:
        super().__init__(f"replay diverged: {what}; the recording no longer answers this scenario "
                         "(the flow changed since it was recorded: record the vendor again)")


class SideChannel(Protocol):
    """State lerconf reads besides answers (its own wire log, its status bits): marked before an
    exchange, what changed read after it when recording, and put back after it when replaying."""

    def mark(self) -> Any: ...
    def since(self, mark: Any) -> Any: ...
    def restore(self, changes: Any, everything: Mapping[str, Any]) -> None:
        """Put ``changes`` back; ``everything`` is what every side channel kept for the exchange."""


@dataclass
class Tape:
    mode: Mode
    entries: list[dict[str, Any]] = field(default_factory=list)
    position: int = 0
    #: name -> side channel, filled once the run's reference exists (shared by the run's tapes)
    sides: Mapping[str, SideChannel] = field(default_factory=dict)
    #: a tape of lerconf's embedded reference answering one request: when replaying, a draw the
    #: recording lacks is made afresh (the reference answers whatever reaches it), never Diverged
    lenient: bool = False

    @property
    def replaying(self) -> bool:
        return self.mode == "replay"

    def next(self, kind: str, what: str) -> dict[str, Any]:
        """The next entry when replaying; it must be of ``kind``."""
        if self.position >= len(self.entries):
            raise Diverged(f"lerconf now asks for {what}, after the last of the {len(self.entries)} recorded steps")
        entry = self.entries[self.position]
        if entry.get("k") != kind:
            raise Diverged(f"step {self.position + 1}: lerconf now asks for {what}, the recording has "
                           f"{_describe(entry)}")
        self.position += 1
        return entry

    def draw(self, what: str, make: Callable[[], Any]) -> Any:
        """A value lerconf chooses (random, the clock): made and kept, or read back."""
        if self.replaying and self.lenient:
            upcoming = self.entries[self.position] if self.position < len(self.entries) else {}
            if upcoming.get("k") == "draw" and upcoming.get("what") == what:
                self.position += 1
                return upcoming["v"]
            return make()
        if self.replaying:
            entry = self.next("draw", f"a value ({what})")
            if entry.get("what") != what:
                raise Diverged(f"step {self.position}: lerconf now draws {what}, the recording drew {entry.get('what')}")
            return entry["v"]
        value = make()
        self.entries.append({"k": "draw", "what": what, "v": value})
        return value

    # -- side channels around an exchange ---------------------------------------------------
    def marks(self) -> dict[str, Any]:
        return {} if self.replaying else {name: side.mark() for name, side in self.sides.items()}

    def changes(self, marks: Mapping[str, Any]) -> dict[str, Any]:
        return {name: side.since(marks[name]) for name, side in self.sides.items() if name in marks}

    def restore(self, entry: Mapping[str, Any]) -> None:
        """The side channels' changes of a replayed exchange, in the order of ``sides``."""
        everything = entry.get("side") or {}
        for name, side in self.sides.items():
            if name in everything:
                side.restore(everything[name], everything)

    # -- storage ------------------------------------------------------------------------------
    def to_json(self) -> list[dict[str, Any]]:
        return self.entries

    def check_finished(self) -> None:
        """A replay that stopped early used less than the recording: still the same verdict source,
        but say so (the rest of the recording was never played)."""
        if self.replaying and self.position < len(self.entries):
            raise Diverged(f"the scenario ended after step {self.position} of {len(self.entries)} recorded steps "
                           f"(next: {_describe(self.entries[self.position])})")


def _describe(entry: Mapping[str, Any]) -> str:
    kind = entry.get("k")
    if kind == "draw":
        return f"a value ({entry.get('what')})"
    if kind == "http":
        return f"{entry.get('method')} {entry.get('url')}"
    if kind == "fetch":
        return f"a fetch of {entry.get('url')}"
    if kind == "guard":
        return f"the address check of {entry.get('url')}"
    return str(kind)


TAPE: contextvars.ContextVar[Tape | None] = contextvars.ContextVar("lerconf_tape", default=None)


def active() -> Tape | None:
    return TAPE.get()


class ServedTapes(Protocol):
    """The tapes lerconf's embedded reference answers requests under, one per request (set by the run
    for each recorded or replayed scenario): recording, a fresh tape kept under the request's method,
    path and body digest; replaying, the recorded one of the same request (None: draw afresh)."""

    def tape_for(self, method: str, path: str, digest: str) -> Tape | None: ...


_SERVED: list[ServedTapes | None] = [None]


def serve_tapes(provider: ServedTapes | None) -> None:
    """Set (or clear) where the embedded reference's per-request tapes come from: the running scenario."""
    _SERVED[0] = provider


def serving_tapes() -> bool:
    """Whether the running scenario keeps (or gives back) the reference's per-request tapes."""
    return _SERVED[0] is not None


def served_tape(method: str, path: str, digest: str) -> Tape | None:
    provider = _SERVED[0]
    return provider.tape_for(method, path, digest) if provider is not None else None


#: set by the run's tape plugin for a replay's whole session (never by the environment: a live run
#: must not lose its guards to a stray variable): nothing is sent, so a vendor's secrets need not be set
_REPLAYING = [False]


def start_replay_session(on: bool = True) -> None:
    _REPLAYING[0] = on


def replay_session() -> bool:
    return _REPLAYING[0]


@contextmanager
def taped(tape: Tape | None) -> Iterator[Tape | None]:
    token = TAPE.set(tape)
    try:
        yield tape
    finally:
        TAPE.reset(token)


def placeholder(value: str) -> str:
    """How a recording names a secret: ``[REDACTED:`` + 8 hex of its sha256 + ``]``. Two secrets stay two
    (a right and a wrong PKCE verifier, an old and a refreshed token); a placeholder stays itself."""
    if value.startswith("[REDACTED"):
        return value
    return f"[REDACTED:{hashlib.sha256(value.encode()).hexdigest()[:8]}]"


def _stable(value: Any) -> Any:
    """A JSON value with secret fields and known secret values replaced by their placeholders."""
    if isinstance(value, dict):
        return {k: placeholder(v) if k in SECRET_FIELDS and isinstance(v, str) else _stable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stable(v) for v in value]
    return SECRETS.scrub_each(value, placeholder) if isinstance(value, str) else value


def body_digest(body: bytes, content_type: str = "") -> str:
    """The digest a request body is recognised by: secrets become their placeholders (a token the
    recording kept as ``[REDACTED:…]`` and sends so when replaying compares equal to the token it
    stands for, and to no other); a form is read by field as JSON is."""
    text = body.decode("utf-8", "replace")
    if "form-urlencoded" in content_type.lower():
        fields = [[k, _opaque(v)] for k, v in parse_qsl(text, keep_blank_values=True)]
        text = json.dumps([[k, _stable({k: v})[k]] for k, v in fields], ensure_ascii=False)
    else:
        try:
            text = json.dumps(_stable(json.loads(text)), sort_keys=True, ensure_ascii=False)
        except (ValueError, RecursionError):  # not JSON, or nested too deep to walk: compared as text
            text = SECRETS.scrub_each(text, placeholder)
    return hashlib.sha256(text.encode()).hexdigest()


def request_digest(body: bytes, content_type: str, authorization: str | None) -> str:
    """What a replayed request must share with the recorded one besides method and URL: its body
    (:func:`body_digest`), its media type, and how it authenticates — none, or a scheme and a
    credential's placeholder (a call without a token, with a forged one and with the right one differ)."""
    media = content_type.split(";", 1)[0].strip().lower()
    if authorization:
        scheme, _, credential = authorization.partition(" ")
        auth = f"{scheme.lower()} {_credential(scheme, credential.strip())}" if credential else placeholder(scheme)
    else:
        auth = "none"
    return hashlib.sha256(f"{media}\n{auth}\n{body_digest(body, content_type)}".encode()).hexdigest()


def _credential(scheme: str, credential: str) -> str:
    """An Authorization credential as it is compared: HTTP Basic (``client_secret_basic``) by its client id
    and its secret's placeholder (the recording kept the secret as a placeholder, which a replay sends
    inside the same encoding), anything else (a bearer token) by its placeholder."""
    if scheme.lower() == "basic":
        try:
            user, sep, password = base64.b64decode(credential, validate=True).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            return placeholder(credential)
        if sep:  # RFC 6749 §2.3.1: each part form-urlencoded before the base64
            return f"{unquote_plus(user)}:{placeholder(unquote_plus(password))}"
    return placeholder(credential)


def _opaque(value: str) -> str:
    """A compact JWE (an encrypted OID4VP response) is compared by its form only: encryption is
    randomised by design (fresh IV, ephemeral key), so no two encryptions of one answer are equal."""
    parts = value.split(".")
    if len(parts) == 5 and all(_B64URL.fullmatch(p) for p in parts):
        return "[an encrypted JWE]"
    return value


_B64URL = re.compile(r"[A-Za-z0-9_-]*")


def _placeholders(value: Any) -> Any:
    """Secret fields replaced by a placeholder that still tells two secrets apart ("the refresh
    gave a new access token" is judged again on placeholders), known secret values scrubbed."""
    if isinstance(value, dict):
        return {k: (placeholder(v) if k in SECRET_FIELDS and isinstance(v, str) else _placeholders(v))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_placeholders(v) for v in value]
    if isinstance(value, str) and _URL_SECRET.search(value):  # a login hook's redirect_url with the code in it
        return keep_location(value)
    return redact_text(value) if isinstance(value, str) else value


_URL_SECRET = re.compile(r"^[a-z][a-z0-9+.-]*://[^\s]*[?#&](code|access_token|id_token|refresh_token)=", re.IGNORECASE)


#: parameters of a redirect's Location that carry a grant or a token (an authorization response)
URL_SECRETS = frozenset({"code", "access_token", "id_token", "refresh_token", "pre-authorized_code", "tx_code"})


def keep_location(url: str) -> str:
    """A redirect target as the recording keeps it: an authorization code or token in its query or
    fragment becomes a placeholder (the flow reads it from there before it can register it as a secret)."""
    parts = urlsplit(url)

    def scrub(component: str) -> str:
        if "=" not in component:
            return component
        pairs = parse_qsl(component, keep_blank_values=True)
        return urlencode([(k, f"[REDACTED:{hashlib.sha256(v.encode()).hexdigest()[:8]}]" if k in URL_SECRETS else v)
                          for k, v in pairs], safe="[]:")
    return redact_text(urlunsplit(parts._replace(query=scrub(parts.query), fragment=scrub(parts.fragment))))


def keep_body(body: bytes, content_type: str) -> str:
    """A response body as the recording keeps it: JSON with secret fields replaced (distinct
    placeholders) and known secret values scrubbed, other text with known secret values scrubbed,
    binary as it is; base64."""
    if "json" in content_type.lower():
        try:
            kept = json.dumps(_placeholders(json.loads(body)), ensure_ascii=False).encode()
            return base64.b64encode(kept).decode()
        except (ValueError, RecursionError):
            pass
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return base64.b64encode(body).decode()
    return base64.b64encode(redact_text(text).encode()).decode()


def kept_body(entry: Mapping[str, Any]) -> bytes:
    return base64.b64decode(str(entry.get("body") or ""))


def redacted_url(url: str) -> str:
    return redact_text(url)

