"""The ``ob_consumer`` section of a vendor profile: an Open Badges 3.0 / CLR 2.0 API consumer under
test (an issuer pushing badges, a wallet or backpack pulling them). lerconf plays the host and its
authorization server, and judges the consumer by what its host received ("the wire decides").

```yaml
ob_consumer:
  trigger_url: https://consumer.example/lerconf/ob-trigger
  apis: [ob, clr]
  claims:
    operations: [write, read]      # write: upsertCredential; read: getCredentials (every page) + getProfile
    formats: [ldp_vc, jwt]         # what a write upserts: Data Integrity as JSON, VC-JWT as text/plain
```

For each scenario lerconf makes a fresh host and POSTs to ``trigger_url`` (with the profile's
``auth``)::

    {"discovery_url": "http://127.0.0.1:PORT/ob-consumer/s/<id>/ims/ob/v3p0/discovery",
     "api": "ob", "operation": "write", "format": "jwt"}

The consumer then does its job against that host (discovery, registration, login as the host's
auto-approved test user, then its operation) and answers when done (any 2xx; the answer is
evidence only), within the profile's ``timeouts`` (``read``, ``total``). ``operations`` and ``formats``
must be written (``[]`` claims none).

A consumer with no such hook is driven **by hand** instead (``by_hand`` in place of ``trigger_url``):
for each scenario lerconf's operator page shows a step with the host's service description address
(as a link and a QR code) and the job, an operator points the consumer at it and does the job in
the consumer's own screens, then says it finished (or that the consumer showed an error). The wire
decides as with the hook::

    ob_consumer:
      by_hand:
        open: "https://backpack.example (Settings > Connected hosts > Add)"  # shown to the operator
        timeout_s: 900                   # how long each step waits for the operator
        page_port: 0                     # the operator page's loopback port (0: any free port, printed)
      apis: [ob]
      claims: {operations: [read], formats: []}
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from lerconf.profile.person import PersonSection, parse_person_section
from lerconf.profile.reader import unclaimed

__all__ = ["APIS", "CLAIM_COLUMNS", "FORMATS", "OPERATIONS", "ObConsumer", "parse_consumer_section"]

APIS = ("ob", "clr")
OPERATIONS = ("write", "read")
FORMATS = ("ldp_vc", "jwt")
#: example-table column of features/ob_consumer -> the claim it needs
CLAIM_COLUMNS = {"operation": "operations", "format": "formats", "api": "apis"}
_CLAIMS = {"operations": OPERATIONS, "formats": FORMATS}
Fail = Callable[[str, str], Exception]


@dataclass(frozen=True)
class ObConsumer:
    """The consumer under test: where lerconf triggers it, the APIs it speaks and what it claims."""

    trigger_url: str | None
    apis: tuple[str, ...] = ("ob",)
    operations: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    #: driven by an operator on lerconf's operator page instead of a trigger hook
    by_hand: PersonSection | None = None

    @property
    def urls(self) -> dict[str, str]:
        """The URLs lerconf calls (their hosts may be contacted even on loopback)."""
        return {"trigger_url": self.trigger_url} if self.trigger_url else {}

    def not_claimed(self, example: Mapping[str, str]) -> list[str]:
        """What an example row (columns operation, format, api) needs that this section does not claim."""
        return unclaimed(self, example, CLAIM_COLUMNS)

    def public_view(self) -> dict[str, Any]:
        how: dict[str, Any] = {"trigger_url": self.trigger_url} if self.trigger_url else \
            {"mode": "manual", "open": self.by_hand.open if self.by_hand else "", "timeout_s":
             self.by_hand.timeout_s if self.by_hand else 0}
        return {**how, "apis": list(self.apis), "claims": {k: list(getattr(self, k)) for k in _CLAIMS}}


def _choices(value: Any, where: str, allowed: tuple[str, ...], fail: Fail) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(where, "must be a list of strings")
    bad = [v for v in value if v not in allowed]
    if bad:
        raise fail(where, f"unknown value(s) {', '.join(bad)}; expected some of: {', '.join(allowed)}")
    return tuple(dict.fromkeys(value))


def parse_consumer_section(raw: Any, fail: Fail) -> ObConsumer:
    """Validate the section; ``fail(where, problem)`` builds the profile error."""
    where = "ob_consumer"
    if not isinstance(raw, Mapping):
        raise fail(where, "must be a mapping")
    unknown = set(raw) - {"trigger_url", "by_hand", "apis", "claims"}
    if unknown:
        raise fail(where, f"unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    url, by_hand = raw.get("trigger_url"), None
    if "by_hand" in raw:
        if url is not None:
            raise fail(where, "give either trigger_url (a hook) or by_hand (an operator), not both")
        hand = raw["by_hand"]
        if isinstance(hand, Mapping) and "claims" in hand:
            raise fail(f"{where}.by_hand", "unknown field(s) claims (the claims are ob_consumer.claims)")
        by_hand = parse_person_section(hand, "ob_consumer", lambda w, p: fail(w.replace("ob_consumer", f"{where}.by_hand", 1), p))
    else:
        parts = urlsplit(url) if isinstance(url, str) else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
            raise fail(f"{where}.trigger_url", "is required (an http(s) URL lerconf POSTs the host's discovery URL to), "
                       "or by_hand (an operator drives the consumer)")
    apis = _choices(raw.get("apis", ["ob"]), f"{where}.apis", APIS, fail)
    if not apis:
        raise fail(f"{where}.apis", f"name at least one of {', '.join(APIS)}")
    claims = raw.get("claims")
    if not isinstance(claims, Mapping):
        raise fail(f"{where}.claims", "is required (a mapping with operations and formats)")
    extra = set(claims) - set(_CLAIMS)
    if extra:
        raise fail(f"{where}.claims", f"unknown field(s) {', '.join(sorted(map(str, extra)))}")
    values: dict[str, tuple[str, ...]] = {}
    for key, allowed in _CLAIMS.items():
        if key not in claims:
            raise fail(f"{where}.claims.{key}", f"is not given: every ob_consumer scenario selects by it and would be "
                       f"skipped as not claimed; list what the consumer does, some of: {', '.join(allowed)} "
                       f"(or {key}: [] to claim none)")
        values[key] = _choices(claims[key], f"{where}.claims.{key}", allowed, fail)
    return ObConsumer(str(url) if by_hand is None else None, apis, values["operations"], values["formats"], by_hand)
