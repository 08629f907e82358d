"""The ``oid4vci_issuer`` section of a vendor profile: where lerconf, playing the wallet, finds
the OID4VCI credential issuer under test, how it obtains a fresh credential offer, and what the
issuer claims.

```yaml
oid4vci_issuer:
  credential_issuer: https://issuer.example/tenant-1     # the Credential Issuer Identifier
  offer_url: https://issuer.example/test/offers           # test hook, see below
  claims:
    formats: [ldp_vc, jwt_vc_json]
    grants: [pre-authorized_code, authorization_code]
    proof_types: [jwt, di_vp]
    spec_versions: [final]                                # or [draft13]: scenarios run in draft-13 mode
    features: [tx_code, offer_by_value, offer_by_reference, nonce_expiry, deferred]
  options:
    nonce_lifetime_s: 3          # needed by the stale-nonce scenario (feature nonce_expiry)
    configurations: {ldp_vc: OpenBadgeCredential_ldp_vc}  # which configuration to ask for per format
    authorization:               # grant authorization_code: how lerconf gets past the user's login
      client_id: lerconf-wallet                      # a public client the AS accepts (PKCE, no secret)
      redirect_uri: https://wallet.example/callback  # registered for it; lerconf reads the code off the redirect
      login: follow_redirects                        # or: hook, or person (an operator logs in by hand)
      login_hook: https://issuer.example/test/login  # login: hook
    deferred_timeout_s: 30       # how long lerconf polls the deferred credential endpoint
```

The offer hook (a credential offer is created out of band in the protocol): lerconf POSTs
``{"credential_configuration_id": id, "grant": "pre-authorized_code", "tx_code": bool,
"by_reference": bool}`` and expects ``{"credential_offer": {...}}``, ``{"credential_offer_uri":
url}`` or ``{"offer_uri": "openid-credential-offer://?..."}``, plus ``"tx_code"`` when one was
asked for (the value the user would be told out of band). For the authorization code scenarios
``grant`` is ``"authorization_code"`` (the offer then carries that grant, usually with an
``issuer_state``); for the deferred scenarios the body adds ``"deferred": true``, and the issuer
must answer that offer's credential request with 202 (how it arranges that is up to its test hook).

Authorization code flow (grant ``authorization_code``): lerconf sends the authorization request
(PKCE S256, ``state``, ``issuer_state`` from the offer, else the configuration's ``scope``) and
must come back with the code the AS sends to ``redirect_uri``. A real AS asks a user to log in
first, so ``options.authorization.login`` says how that happens in a test deployment:

* ``follow_redirects`` (default): the AS approves a test user without interaction (a test
  tenant with auto-consent). lerconf GETs the authorization URL and follows the redirect chain
  itself, hop by hop, only to the profile's hosts (cookies kept), until a Location starts with
  ``redirect_uri``; it never requests ``redirect_uri`` and reads ``code``, ``state`` and ``iss``
  from it.
* ``person``: lerconf prints the authorization URL, an operator logs in in a browser, and the AS
  sends the browser to lerconf's own ``<reference base>/login/callback`` (the redirect_uri unless
  one is given: register it for ``client_id`` at the AS; ``login_timeout_s``, default 300). The
  login is a step of an operator page too (``login_page_port``, default 0: any free port, printed).
* ``hook``: lerconf POSTs ``{"authorization_url": url, "redirect_uri": uri}`` to ``login_hook``
  (with the profile's auth), a test endpoint that logs the test user in (e.g. drives a headless
  browser) and answers ``{"redirect_url": "<redirect_uri>?code=...&state=..."}``.

The code, the code_verifier and the access token are registered as secrets and appear
redacted in the evidence.

Draft 13 (``spec_versions: [draft13]``, without ``final``): every scenario runs in draft-13 mode
(metadata at the appended well-known path, ``c_nonce`` from the token response, ``format`` +
``credential_definition`` and one ``proof`` object in the request, ``credential`` in the
response, nonce errors as ``invalid_proof``) and is labelled "draft-only: OID4VCI draft 13" in
the results: never final-spec conformance. Scenarios whose example row says ``spec: final``
(the nonce endpoint, deferred issuance, di_vp) are not claimed in that mode.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from lerconf.profile.reader import LOGIN_MODES, http_url, login_page_port, login_timeout, unclaimed

__all__ = ["CLAIM_COLUMNS", "FEATURES", "FORMATS", "GRANTS", "Oid4vciIssuer", "parse_issuer_section"]

FORMATS = ("ldp_vc", "jwt_vc_json")
GRANTS = ("pre-authorized_code", "authorization_code")
PROOF_TYPES = ("jwt", "di_vp")
#: a draft-only issuer runs in draft-13 mode and is never reported as final-spec conformant
SPEC_VERSIONS = ("final", "draft13")
#: optional behaviours scenarios need (example column ``needs``)
FEATURES = ("tx_code", "offer_by_value", "offer_by_reference", "nonce_expiry", "deferred")
#: example-table column of features/oid4vci -> the claim it needs
CLAIM_COLUMNS = {"format": "formats", "grant": "grants", "needs": "features", "proof_type": "proof_types",
                 "spec": "spec_versions"}
DEFAULT_CLIENT_ID = "lerconf-wallet"
#: never requested: lerconf reads the authorization response off the redirect to it
DEFAULT_REDIRECT_URI = "https://wallet.lerconf.invalid/callback"
_CLAIMS = {"formats": FORMATS, "grants": GRANTS, "proof_types": PROOF_TYPES, "spec_versions": SPEC_VERSIONS,
           "features": FEATURES}


@dataclass(frozen=True)
class Oid4vciIssuer:
    credential_issuer: str
    offer_url: str
    formats: tuple[str, ...] = ("ldp_vc",)
    grants: tuple[str, ...] = ("pre-authorized_code",)
    proof_types: tuple[str, ...] = ("jwt",)
    spec_versions: tuple[str, ...] = ("final",)
    features: tuple[str, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def urls(self) -> dict[str, str]:
        hook = self.authorization.get("login_hook")
        return {"credential_issuer": self.credential_issuer, "offer_url": self.offer_url,
                **({"login_hook": str(hook)} if hook else {})}

    @property
    def draft_only(self) -> bool:
        return "final" not in self.spec_versions

    @property
    def mode(self) -> str:
        """The protocol version scenarios run in: "final", or "draft13" for a draft-only issuer."""
        return "draft13" if self.draft_only else "final"

    @property
    def authorization(self) -> Mapping[str, Any]:
        """options.authorization with its defaults (client_id, redirect_uri, login, login_hook)."""
        given = self.options.get("authorization")
        given = given if isinstance(given, Mapping) else {}
        return {"client_id": DEFAULT_CLIENT_ID, "redirect_uri": DEFAULT_REDIRECT_URI, "login": "follow_redirects",
                **given}

    @property
    def deferred_timeout_s(self) -> float:
        value = self.options.get("deferred_timeout_s")
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 30.0

    @property
    def nonce_lifetime_s(self) -> float | None:
        value = self.options.get("nonce_lifetime_s")
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None

    def configuration_for(self, fmt: str) -> str | None:
        """The configuration id the profile names for a format (None: take the metadata's first)."""
        chosen = self.options.get("configurations")
        return str(chosen[fmt]) if isinstance(chosen, Mapping) and fmt in chosen else None

    def not_claimed(self, example: Mapping[str, str]) -> list[str]:
        """What an example row (columns format, grant, needs) needs that this section does not claim."""
        return unclaimed(self, example, CLAIM_COLUMNS)

    def public_view(self) -> dict[str, Any]:
        return {"credential_issuer": self.credential_issuer, "offer_url": self.offer_url,
                "claims": {k: list(getattr(self, k)) for k in _CLAIMS}}


def parse_issuer_section(raw: Any, fail: Callable[[str, str], Exception]) -> Oid4vciIssuer:
    """Validate the section; ``fail(where, problem)`` builds the profile error."""
    if not isinstance(raw, Mapping):
        raise fail("oid4vci_issuer", "must be a mapping")
    unknown = set(raw) - {"credential_issuer", "offer_url", "claims", "options"}
    if unknown:
        raise fail("oid4vci_issuer", f"unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    urls = {k: http_url(raw.get(k), f"oid4vci_issuer.{k}", fail) for k in ("credential_issuer", "offer_url")}
    claims = raw.get("claims") or {}
    if not isinstance(claims, Mapping):
        raise fail("oid4vci_issuer.claims", "must be a mapping")
    extra = set(claims) - set(_CLAIMS)
    if extra:
        raise fail("oid4vci_issuer.claims", f"unknown field(s) {', '.join(sorted(map(str, extra)))}")
    values: dict[str, tuple[str, ...]] = {}
    for key, allowed in _CLAIMS.items():
        if key not in claims:
            continue
        items = claims[key]
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            raise fail(f"oid4vci_issuer.claims.{key}", "must be a list of strings")
        bad = [v for v in items if v not in allowed]
        if bad:
            raise fail(f"oid4vci_issuer.claims.{key}", f"unknown value(s) {', '.join(bad)}; expected some of: {', '.join(allowed)}")
        values[key] = tuple(items)
    options = raw.get("options") or {}
    if not isinstance(options, Mapping):
        raise fail("oid4vci_issuer.options", "must be a mapping")
    lifetime = options.get("nonce_lifetime_s")
    if lifetime is not None and (not isinstance(lifetime, (int, float)) or isinstance(lifetime, bool) or not 0 < lifetime <= 60):
        raise fail("oid4vci_issuer.options.nonce_lifetime_s", "must be a number of seconds between 0 and 60")
    _check_authorization(options.get("authorization"), fail)
    timeout = options.get("deferred_timeout_s")
    if timeout is not None and (not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or not 0 < timeout <= 600):
        raise fail("oid4vci_issuer.options.deferred_timeout_s", "must be a number of seconds between 0 and 600")
    return Oid4vciIssuer(credential_issuer=urls["credential_issuer"], offer_url=urls["offer_url"],
                         options=dict(options), **values)


def _check_authorization(raw: Any, fail: Callable[[str, str], Exception]) -> None:
    where = "oid4vci_issuer.options.authorization"
    if raw is None:
        return
    if not isinstance(raw, Mapping):
        raise fail(where, "must be a mapping")
    unknown = set(raw) - {"client_id", "redirect_uri", "login", "login_hook", "login_timeout_s", "login_page_port"}
    if unknown:
        raise fail(where, f"unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    for key in ("client_id", "redirect_uri"):
        if key in raw and (not isinstance(raw[key], str) or not raw[key]):
            raise fail(f"{where}.{key}", "must be a non-empty string")
    login = raw.get("login", "follow_redirects")
    if login not in LOGIN_MODES:
        raise fail(f"{where}.login", f"must be one of {', '.join(LOGIN_MODES)}")
    if login == "hook":
        http_url(raw.get("login_hook"), f"{where}.login_hook", fail)
    login_timeout(raw.get("login_timeout_s"), f"{where}.login_timeout_s", fail)
    login_page_port(raw.get("login_page_port"), f"{where}.login_page_port", fail)


