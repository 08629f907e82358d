"""The ``oid4vci_issuer`` section of a vendor profile: where lerconf, playing the wallet, finds
the OID4VCI credential issuer under test, how it obtains a fresh credential offer, and what the
issuer claims.

```yaml
oid4vci_issuer:
  credential_issuer: https://issuer.example/tenant-1     # the Credential Issuer Identifier
  offer_url: https://issuer.example/test/offers           # test hook, see below
  claims:
    formats: [ldp_vc, jwt_vc_json]
    grants: [pre-authorized_code]                         # authorization_code: modelled, not tested yet
    proof_types: [jwt]
    spec_versions: [final]                                # draft13: modelled only ("draft-only")
    features: [tx_code, offer_by_value, offer_by_reference, nonce_expiry]
  options:
    nonce_lifetime_s: 3          # needed by the stale-nonce scenario (feature nonce_expiry)
    configurations: {ldp_vc: OpenBadgeCredential_ldp_vc}  # which configuration to ask for per format
```

The offer hook (a credential offer is created out of band in the protocol): lerconf POSTs
``{"credential_configuration_id": id, "grant": "pre-authorized_code", "tx_code": bool,
"by_reference": bool}`` and expects ``{"credential_offer": {...}}``, ``{"credential_offer_uri":
url}`` or ``{"offer_uri": "openid-credential-offer://?..."}``, plus ``"tx_code"`` when one was
asked for (the value the user would be told out of band).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

__all__ = ["CLAIM_COLUMNS", "FEATURES", "FORMATS", "GRANTS", "Oid4vciIssuer", "parse_issuer_section"]

FORMATS = ("ldp_vc", "jwt_vc_json")
GRANTS = ("pre-authorized_code", "authorization_code")
PROOF_TYPES = ("jwt", "di_vp")
#: "draft13" is modelled only: a draft-only issuer is never reported as final-spec conformant
SPEC_VERSIONS = ("final", "draft13")
#: optional behaviours scenarios need (example column ``needs``)
FEATURES = ("tx_code", "offer_by_value", "offer_by_reference", "nonce_expiry")
#: example-table column of features/oid4vci -> the claim it needs
CLAIM_COLUMNS = {"format": "formats", "grant": "grants", "needs": "features"}
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
        return {"credential_issuer": self.credential_issuer, "offer_url": self.offer_url}

    @property
    def draft_only(self) -> bool:
        return "final" not in self.spec_versions

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
        out = ["spec_versions=final (draft mode is not implemented)"] if self.draft_only else []
        for column, claim in CLAIM_COLUMNS.items():
            value = example.get(column)
            if value and value != "-" and value not in getattr(self, claim):
                out.append(f"{claim}={value}")
        return out

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
    urls = {k: _url(raw.get(k), f"oid4vci_issuer.{k}", fail) for k in ("credential_issuer", "offer_url")}
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
    return Oid4vciIssuer(credential_issuer=urls["credential_issuer"], offer_url=urls["offer_url"],
                         options=dict(options), **values)


def _url(value: Any, where: str, fail: Callable[[str, str], Exception]) -> str:
    if not isinstance(value, str) or not value:
        raise fail(where, "is required (an http(s) URL)")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise fail(where, f"{value!r} is not an http(s) URL")
    return value
