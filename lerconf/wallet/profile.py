"""The ``wallet`` section of a vendor profile: where lerconf reaches the wallet adapter
(docs/wallet-adapter.openapi.yaml) and what the wallet claims.

```yaml
wallet:
  adapter_url: https://wallet-adapter.example/lerconf   # GET /capabilities, POST /offers, ...
  claims:
    formats: [ldp_vc, jwt_vc_json]        # credential formats it stores (and presents: ldp_vc)
    grants: [pre-authorized_code]
    dcql: true                            # answers OID4VP DCQL requests (W-VP scenarios)
```
The adapter is called with the profile's ``auth`` (e.g. ``bearer_token_env``).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

__all__ = ["CLAIM_COLUMNS", "WalletClaims", "WalletSection", "not_claimed", "parse_section"]

FORMATS = ("ldp_vc", "jwt_vc_json")
GRANTS = ("pre-authorized_code", "authorization_code")
#: example-table column -> the claim it needs (Scenario Outline columns of features/wallet)
CLAIM_COLUMNS = {"format": "formats", "grant": "grants"}


@dataclass(frozen=True)
class WalletClaims:
    formats: tuple[str, ...] = ("ldp_vc",)
    grants: tuple[str, ...] = ("pre-authorized_code",)
    dcql: bool = True

    def missing(self, needs: Mapping[str, str]) -> list[str]:
        return [f"{k}={v}" for k, v in needs.items() if v not in getattr(self, k)]


@dataclass(frozen=True)
class WalletSection:
    adapter_url: str
    claims: WalletClaims = field(default_factory=WalletClaims)

    @property
    def urls(self) -> dict[str, str]:
        return {"adapter_url": self.adapter_url}

    def public_view(self) -> dict[str, Any]:
        return {"adapter_url": self.adapter_url, "claims": {"formats": list(self.claims.formats),
                                                             "grants": list(self.claims.grants), "dcql": self.claims.dcql}}


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
    unknown = set(raw) - {"adapter_url", "claims"}
    if unknown:
        raise fail(where, f"unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    url = raw.get("adapter_url")
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise fail(f"{where}.adapter_url", "must be an http(s) URL")
    c = raw.get("claims") or {}
    if not isinstance(c, Mapping):
        raise fail(f"{where}.claims", "must be a mapping")
    extra = set(c) - {"formats", "grants", "dcql"}
    if extra:
        raise fail(f"{where}.claims", f"unknown field(s) {', '.join(sorted(map(str, extra)))}")
    dcql = c.get("dcql", True)
    if not isinstance(dcql, bool):
        raise fail(f"{where}.claims.dcql", "must be true or false")
    claims = WalletClaims(_strings(c.get("formats"), f"{where}.claims.formats", FORMATS, fail, ("ldp_vc",)),
                          _strings(c.get("grants"), f"{where}.claims.grants", GRANTS, fail, ("pre-authorized_code",)),
                          dcql)
    return WalletSection(str(url).rstrip("/"), claims)


def not_claimed(section: WalletSection | None, vendor: str, tags: set[str] | list[str],
                example: Mapping[str, str]) -> str | None:
    """Why a wallet scenario (its tags and example row) is not claimed by the section, or None."""
    if section is None:
        return f"{vendor} has no wallet section"
    if "oid4vp" in tags and not section.claims.dcql:
        return "wallet does not claim dcql (OID4VP presentation)"
    missing = section.claims.missing({CLAIM_COLUMNS[k]: v for k, v in example.items() if k in CLAIM_COLUMNS})
    return f"wallet does not claim {', '.join(missing)}" if missing else None
