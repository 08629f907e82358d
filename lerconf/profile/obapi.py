"""The ``ob_provider`` section of a vendor profile: the Open Badges 3.0 / CLR 2.0 host (Service
Provider) under test, where lerconf plays the Service Consumer, and what the host claims.

```yaml
ob_provider:
  base_url: https://host.example           # the APIs live at <base_url>/ims/ob/v3p0 and /ims/clr/v2p0
  apis: [ob, clr]
  claims:
    operations: [read, write, profile, profile_update, refresh, revocation]
    formats: [ldp_vc, jwt]                 # what upserts lerconf may send (Data Integrity JSON, VC-JWT)
  options:
    redirect_uri: https://client.lerconf.invalid/callback   # never requested: the code is read off it
    client_uri: https://client.lerconf.invalid/             # same host as redirect_uri (OB API Security)
    login: follow_redirects                 # or: hook (login_hook answers the authorization URL),
    login_hook: https://host.example/test/login   # or: person (an operator logs in by hand)
    login_timeout_s: 300                    # login: person: how long lerconf waits for the browser's return
    login_page_port: 0                      # login: person: the operator page's port (0: any free port, printed)
    revocation_url: https://host.example/ims/ob/v3p0/auth/revoke   # RFC 7009 (not in the service description)
```

``operations`` and ``formats`` select scenarios (example columns ``operation``, ``format`` and
``api``): a read-only host is never failed for upsert. Both must be written (``[]`` claims none):
a section that omitted one would have every scenario selecting by it skipped as not claimed.
Claiming ``revocation`` needs ``options.revocation_url``. lerconf logs in as the host's test user
the way the OID4VCI authorization code flow does (lerconf.clients.login). With ``login: person`` a
host whose login a program cannot pass is tested too: lerconf prints the authorization URL, an
operator logs in in a browser, and the host sends the browser back to lerconf's own callback
(``<reference base>/login/callback``, registered as the client's redirect_uri unless the profile
names one; with ``--public-base-url`` it is public, for an AS that only accepts HTTPS redirects).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from lerconf.profile.reader import LOGIN_MODES, http_url, login_page_port, login_timeout, unclaimed

__all__ = ["APIS", "CLAIM_COLUMNS", "FORMATS", "LOGIN_MODES", "OPERATIONS", "ObProvider", "parse_provider_section"]

APIS = ("ob", "clr")
#: what a host may claim to do: getCredentials, upsertCredential, getProfile, putProfile, token refresh, RFC 7009
OPERATIONS = ("read", "write", "profile", "profile_update", "refresh", "revocation")
#: the upsert bodies a host may claim to take: Data Integrity as JSON, VC-JWT as text/plain
FORMATS = ("ldp_vc", "jwt")
#: example-table column of features/ob_provider -> the claim it needs
CLAIM_COLUMNS = {"operation": "operations", "format": "formats", "api": "apis"}
_CLAIMS = {"operations": OPERATIONS, "formats": FORMATS}
#: claims every scenario selects by: omitting one is a profile error naming its values
REQUIRED_CLAIMS = ("operations", "formats")
DEFAULT_REDIRECT_URI = "https://client.lerconf.invalid/callback"
DEFAULT_CLIENT_URI = "https://client.lerconf.invalid/"
_OPTIONS = ("redirect_uri", "client_uri", "login", "login_hook", "login_timeout_s", "login_page_port", "revocation_url")


@dataclass(frozen=True)
class ObProvider:
    """The host under test: its base URL, the APIs it serves, its claims and lerconf's client options."""

    base_url: str
    apis: tuple[str, ...] = ("ob",)
    operations: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def redirect_uri(self) -> str:
        return str(self.options.get("redirect_uri") or DEFAULT_REDIRECT_URI)

    @property
    def client_uri(self) -> str:
        return str(self.options.get("client_uri") or DEFAULT_CLIENT_URI)

    @property
    def login(self) -> str:
        return str(self.options.get("login") or "follow_redirects")

    @property
    def login_hook(self) -> str | None:
        hook = self.options.get("login_hook")
        return str(hook) if hook else None

    @property
    def revocation_url(self) -> str | None:
        url = self.options.get("revocation_url")
        return str(url) if url else None

    @property
    def urls(self) -> dict[str, str]:
        """The URLs lerconf calls (their hosts may be contacted even on loopback)."""
        return {"base_url": self.base_url,
                **({"login_hook": self.login_hook} if self.login_hook else {}),
                **({"revocation_url": self.revocation_url} if self.revocation_url else {})}

    def not_claimed(self, example: Mapping[str, str]) -> list[str]:
        """What an example row (columns operation, format, api) needs that this section does not claim."""
        return unclaimed(self, example, CLAIM_COLUMNS)

    def public_view(self) -> dict[str, Any]:
        return {"base_url": self.base_url, "apis": list(self.apis),
                "claims": {k: list(getattr(self, k)) for k in _CLAIMS}}


def parse_provider_section(raw: Any, fail: Callable[[str, str], Exception]) -> ObProvider:
    """Validate the section; ``fail(where, problem)`` builds the profile error."""
    where = "ob_provider"
    if not isinstance(raw, Mapping):
        raise fail(where, "must be a mapping")
    _no_unknown(raw, {"base_url", "apis", "claims", "options"}, where, fail)
    base_url = http_url(raw.get("base_url"), f"{where}.base_url", fail).rstrip("/")
    apis = _choices(raw.get("apis", ["ob"]), f"{where}.apis", APIS, fail)
    if not apis:
        raise fail(f"{where}.apis", f"name at least one of {', '.join(APIS)}")
    claims = raw.get("claims")
    if not isinstance(claims, Mapping):
        raise fail(f"{where}.claims", "is required (a mapping with operations and formats)")
    _no_unknown(claims, set(_CLAIMS), f"{where}.claims", fail)
    values: dict[str, tuple[str, ...]] = {}
    for key in REQUIRED_CLAIMS:
        if key not in claims:
            raise fail(f"{where}.claims.{key}", f"is not given: every ob_provider scenario selects by it and would be "
                       f"skipped as not claimed; list what the host supports, some of: {', '.join(_CLAIMS[key])} "
                       f"(or {key}: [] to claim none)")
        values[key] = _choices(claims[key], f"{where}.claims.{key}", _CLAIMS[key], fail)
    options = raw.get("options") or {}
    if not isinstance(options, Mapping):
        raise fail(f"{where}.options", "must be a mapping")
    _no_unknown(options, set(_OPTIONS), f"{where}.options", fail)
    for key in ("redirect_uri", "client_uri", "revocation_url"):
        if key in options:
            http_url(options[key], f"{where}.options.{key}", fail)
    login = options.get("login", "follow_redirects")
    if login not in LOGIN_MODES:
        raise fail(f"{where}.options.login", f"must be one of {', '.join(LOGIN_MODES)}")
    if login == "hook":
        http_url(options.get("login_hook"), f"{where}.options.login_hook", fail)
    login_timeout(options.get("login_timeout_s"), f"{where}.options.login_timeout_s", fail)
    login_page_port(options.get("login_page_port"), f"{where}.options.login_page_port", fail)
    if "revocation" in values["operations"] and not options.get("revocation_url"):
        raise fail(f"{where}.options.revocation_url", "is required when operations claims revocation (RFC 7009 "
                   "has no place in the service description: name the host's revocation endpoint)")
    redirect = urlsplit(str(options.get("redirect_uri") or DEFAULT_REDIRECT_URI)).hostname
    client = urlsplit(str(options.get("client_uri") or DEFAULT_CLIENT_URI)).hostname
    person_defaults = login == "person" and not options.get("redirect_uri") and not options.get("client_uri")
    if redirect != client and not person_defaults:
        raise fail(f"{where}.options", f"redirect_uri ({redirect}) and client_uri ({client}) must be on one host: "
                   "OB 3.0 registration requires every client URL on the host of client_uri")
    return ObProvider(base_url=base_url, apis=apis, options=dict(options), **values)


def _no_unknown(m: Mapping[str, Any], known: set[str], where: str, fail: Callable[[str, str], Exception]) -> None:
    unknown = set(m) - known
    if unknown:
        raise fail(where, f"unknown field(s) {', '.join(sorted(map(str, unknown)))}")


def _choices(value: Any, where: str, allowed: tuple[str, ...], fail: Callable[[str, str], Exception]) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(where, "must be a list of strings")
    bad = [v for v in value if v not in allowed]
    if bad:
        raise fail(where, f"unknown value(s) {', '.join(bad)}; expected some of: {', '.join(allowed)}")
    return tuple(value)

