"""The ``wallet`` section of a vendor profile: where lerconf reaches the wallet adapter
(docs/wallet-adapter.openapi.yaml) and what the wallet claims.

```yaml
wallet:
  adapter_url: https://wallet-adapter.example/lerconf   # GET /capabilities, POST /offers, ...
  claims:
    formats: [ldp_vc, jwt_vc_json]        # credential formats it receives, stores and presents
    grants: [pre-authorized_code]
    dcql: true                            # answers OID4VP DCQL requests (W-VP scenarios)
    response_modes: [direct_post]         # add direct_post.jwt if it encrypts responses (VP §8.3)
    client_id_prefixes: [redirect_uri, decentralized_identifier]  # x509_san_dns / x509_hash: the wallet
                                          # trusts the CA lerconf sends in POST /reset's trust_anchors
  isolation: scenario                     # optional: every X-Lerconf-Scenario value is a wallet of its own
```
With ``isolation: scenario`` (the adapter's /capabilities says ``scenario_isolation: true``) the
wallet's scenarios run at once under ``-n`` and across shards, each in its own wallet, and LCW-05
checks that the adapter really keeps them apart. Without it (``none``, the default) the adapter
is one stateful wallet: what uses it runs one scenario after another.
The adapter is called with the profile's ``auth`` (e.g. ``bearer_token_env``).

A wallet without an adapter (a phone app) is tested by hand (``lerconf.clients.manual.driver``):

```yaml
wallet:
  mode: manual              # no adapter_url: an operator scans QR codes from a local page
  timeout_s: 180            # how long each step waits for the wire or the operator
  page_port: 0              # the operator page's loopback port (0: any free port, printed)
  claims: {formats: [ldp_vc]}
```
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

__all__ = ["CLAIM_COLUMNS", "ISOLATIONS", "MODES", "WalletClaims", "WalletSection", "not_claimed", "parse_section"]

MODES = ("adapter", "manual")
#: how the adapter keeps scenarios apart: ``none`` (one wallet) or ``scenario`` (one per X-Lerconf-Scenario)
ISOLATIONS = ("none", "scenario")
DEFAULT_TIMEOUT_S = 180.0

FORMATS = ("ldp_vc", "jwt_vc_json")
GRANTS = ("pre-authorized_code", "authorization_code")
RESPONSE_MODES = ("direct_post", "direct_post.jwt")
CLIENT_ID_PREFIXES = ("redirect_uri", "decentralized_identifier", "x509_san_dns", "x509_hash")
#: example-table column -> the claim it needs (Scenario Outline columns of features/wallet)
CLAIM_COLUMNS = {"format": "formats", "grant": "grants", "response_mode": "response_modes",
                 "client_id_prefix": "client_id_prefixes"}


@dataclass(frozen=True)
class WalletClaims:
    formats: tuple[str, ...] = ("ldp_vc",)
    grants: tuple[str, ...] = ("pre-authorized_code",)
    dcql: bool = True
    response_modes: tuple[str, ...] = ("direct_post",)
    client_id_prefixes: tuple[str, ...] = ("redirect_uri", "decentralized_identifier")

    @property
    def x509(self) -> bool:
        """Claims an x509 prefix: lerconf hands the wallet its test CA at every reset."""
        return any(p.startswith("x509_") for p in self.client_id_prefixes)

    def missing(self, needs: Mapping[str, str]) -> list[str]:
        return [f"{k}={v}" for k, v in needs.items() if v not in getattr(self, k)]


@dataclass(frozen=True)
class WalletSection:
    adapter_url: str | None                 # None in manual mode
    claims: WalletClaims = field(default_factory=WalletClaims)
    mode: str = "adapter"
    timeout_s: float = DEFAULT_TIMEOUT_S    # manual mode: per step
    page_port: int = 0                      # manual mode: the operator page's loopback port
    isolation: str = "none"                 # "scenario": each scenario has a wallet of its own

    @property
    def manual(self) -> bool:
        return self.mode == "manual"

    @property
    def isolated(self) -> bool:
        """Scenarios may use this wallet at once (the adapter gives each its own wallet)."""
        return self.isolation == "scenario"

    @property
    def urls(self) -> dict[str, str]:
        return {"adapter_url": self.adapter_url} if self.adapter_url else {}

    def public_view(self) -> dict[str, Any]:
        claims = {"formats": list(self.claims.formats), "grants": list(self.claims.grants), "dcql": self.claims.dcql,
                  "response_modes": list(self.claims.response_modes),
                  "client_id_prefixes": list(self.claims.client_id_prefixes)}
        if self.manual:
            return {"mode": "manual", "timeout_s": self.timeout_s, "claims": claims}
        return {"adapter_url": self.adapter_url, "claims": claims, **({"isolation": self.isolation} if self.isolated else {})}


Fail = Callable[[str, str], Exception]


def _strings(raw: Any, where: str, allowed: tuple[str, ...], fail: Fail, default: tuple[str, ...]) -> tuple[str, ...]:
    if raw is None:
        return default
    if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
        raise fail(where, "must be a list of strings")
    unknown = [v for v in raw if v not in allowed]
    if unknown:
        raise fail(where, f"unknown value(s) {', '.join(unknown)}; expected some of: {', '.join(allowed)}")
    return tuple(raw)


def parse_section(raw: Any, fail: Fail) -> WalletSection:
    where = "wallet"
    if not isinstance(raw, Mapping):
        raise fail(where, "must be a mapping")
    mode = raw.get("mode", "adapter")
    if mode not in MODES:
        raise fail(f"{where}.mode", f"must be one of: {', '.join(MODES)}")
    allowed = {"mode", "claims"} | ({"timeout_s", "page_port"} if mode == "manual" else {"adapter_url", "isolation"})
    unknown = set(raw) - allowed
    if unknown:
        raise fail(where, f"unknown field(s) {', '.join(sorted(map(str, unknown)))}"
                   + (" (manual mode has no adapter)" if mode == "manual" and "adapter_url" in unknown else ""))
    url = raw.get("adapter_url")
    if mode == "adapter":
        parts = urlsplit(url) if isinstance(url, str) else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
            raise fail(f"{where}.adapter_url", "must be an http(s) URL (or set mode: manual to test the wallet by hand)")
    timeout = raw.get("timeout_s", DEFAULT_TIMEOUT_S)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 1 <= timeout <= 3600:
        raise fail(f"{where}.timeout_s", "must be a number of seconds between 1 and 3600")
    isolation = raw.get("isolation", "none")
    if isolation not in ISOLATIONS:
        raise fail(f"{where}.isolation", f"must be one of: {', '.join(ISOLATIONS)} (scenario: the adapter gives "
                   "each X-Lerconf-Scenario value a wallet of its own)")
    port = raw.get("page_port", 0)
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise fail(f"{where}.page_port", "must be a port number (0: any free port)")
    c = raw.get("claims") or {}
    if not isinstance(c, Mapping):
        raise fail(f"{where}.claims", "must be a mapping")
    extra = set(c) - {"formats", "grants", "dcql", "response_modes", "client_id_prefixes"}
    if extra:
        raise fail(f"{where}.claims", f"unknown field(s) {', '.join(sorted(map(str, extra)))}")
    dcql = c.get("dcql", True)
    if not isinstance(dcql, bool):
        raise fail(f"{where}.claims.dcql", "must be true or false")
    claims = WalletClaims(_strings(c.get("formats"), f"{where}.claims.formats", FORMATS, fail, ("ldp_vc",)),
                          _strings(c.get("grants"), f"{where}.claims.grants", GRANTS, fail, ("pre-authorized_code",)),
                          dcql, _strings(c.get("response_modes"), f"{where}.claims.response_modes", RESPONSE_MODES, fail,
                                         ("direct_post",)),
                          _strings(c.get("client_id_prefixes"), f"{where}.claims.client_id_prefixes", CLIENT_ID_PREFIXES,
                                   fail, ("redirect_uri", "decentralized_identifier")))
    return WalletSection(str(url).rstrip("/") if mode == "adapter" else None, claims, mode, float(timeout), port,
                         str(isolation))


def not_claimed(section: WalletSection | None, vendor: str, tags: set[str] | list[str],
                example: Mapping[str, str]) -> str | None:
    """Why a wallet scenario (its tags and example row) is not claimed by the section, or None."""
    if section is None:
        return f"{vendor} has no wallet section"
    if "isolation" in tags and not section.isolated:
        return ("wallet does not claim isolation: scenario (its adapter is one wallet for every scenario)"
                if not section.manual else "a wallet tested by hand is one wallet (no adapter to keep scenarios apart)")
    if "oid4vp" in tags and not section.claims.dcql:
        return "wallet does not claim dcql (OID4VP presentation)"
    needs = {CLAIM_COLUMNS[k]: v for k, v in example.items() if k in CLAIM_COLUMNS}
    # every wallet scenario starts with lerconf's offer: without a format or grant column it offers
    # an ldp_vc badge under a pre-authorized code, so those are needs too (client_id prefixes are
    # chosen among the claimed ones at run time: lerconf.scenarios.wallet_presentation.prefix_for)
    needs.setdefault("formats", "ldp_vc")
    needs.setdefault("grants", "pre-authorized_code")
    missing = section.claims.missing(needs)
    return f"wallet does not claim {', '.join(missing)}" if missing else None
