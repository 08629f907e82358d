"""The ``vcalm_issuer`` and ``vcalm_verifier`` sections of a vendor profile: a vendor's VCALM
workflow with exchanges (issuing or verifying), where lerconf plays the wallet.

```yaml
vcalm_issuer:
  workflow_url: https://vendor.example/workflows/issue-badge   # lerconf POSTs {} to <workflow_url>/exchanges
  # or: exchange_hook: https://vendor.example/test/exchanges   # POST {} answers {exchangeUrl, interactionUrl}
  claims:
    features: [protocols, request, interaction_url]
```

lerconf needs a fresh exchange for every scenario: through the workflow (API-19 create; the
exchange URL in ``Location`` or the body's ``exchangeUrl``, an ``interactionUrl`` in the body if the
vendor gives one) or through a test hook, as OID4VCI offers are fetched. ``features`` selects
scenarios (example column ``feature``): ``protocols`` (API-20), ``request`` (API-21) and
``interaction_url`` (API-22, which needs the create or hook answer to name an ``interactionUrl``).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lerconf.profile.reader import http_url, unclaimed

__all__ = ["FEATURES", "SECTIONS", "VcalmExchangeSection", "claimed_values", "not_claimed", "parse_exchange_section"]

SECTIONS = ("vcalm_issuer", "vcalm_verifier")
FEATURES = ("protocols", "request", "interaction_url")
CLAIM_COLUMNS = {"feature": "features"}


@dataclass(frozen=True)
class VcalmExchangeSection:
    """Where lerconf gets a fresh exchange of the vendor's workflow, and what it claims."""

    role: str
    workflow_url: str | None = None
    exchange_hook: str | None = None
    features: tuple[str, ...] = ()

    @property
    def urls(self) -> dict[str, str]:
        return {k: v for k, v in (("workflow_url", self.workflow_url), ("exchange_hook", self.exchange_hook)) if v}

    def not_claimed(self, example: Mapping[str, str]) -> list[str]:
        return unclaimed(self, example, CLAIM_COLUMNS)

    def public_view(self) -> dict[str, Any]:
        return {**self.urls, "claims": {"features": list(self.features)}}


def not_claimed(section: VcalmExchangeSection | None, vendor: str, role: str, example: Mapping[str, str]) -> str | None:
    """Why a scenario of ``role`` is outside what the vendor's section claims, or None."""
    if section is None:
        return f"{vendor} has no {role} section"
    lacking = section.not_claimed(example)
    return f"{role} does not claim {', '.join(lacking)}" if lacking else None


def parse_exchange_section(raw: Any, role: str, fail: Callable[[str, str], Exception]) -> VcalmExchangeSection:
    """Validate one section; ``fail(where, problem)`` builds the profile error."""
    if not isinstance(raw, Mapping):
        raise fail(role, "must be a mapping")
    unknown = set(raw) - {"workflow_url", "exchange_hook", "claims"}
    if unknown:
        raise fail(role, f"unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    urls = {k: http_url(raw[k], f"{role}.{k}", fail) for k in ("workflow_url", "exchange_hook") if k in raw}
    if not urls:
        raise fail(role, "name workflow_url (lerconf creates exchanges there) or exchange_hook (a test hook that "
                   "answers a fresh exchangeUrl / interactionUrl)")
    features = claimed_values(raw.get("claims"), role, "features", FEATURES, fail,
                              missing=f"list what the exchange supports, some of: {', '.join(FEATURES)} "
                                      "(or features: [] to claim none)")
    return VcalmExchangeSection(role, urls.get("workflow_url", "").rstrip("/") or None, urls.get("exchange_hook"),
                                features)


def claimed_values(claims: Any, section: str, key: str, allowed: Sequence[str], fail: Callable[[str, str], Exception],
                   *, missing: str) -> tuple[str, ...]:
    """``<section>.claims``, whose one member ``key`` lists some of ``allowed`` (the VCALM sections'
    claims): the values in order, once each; anything else is a profile error naming where."""
    if not isinstance(claims, Mapping) or key not in claims:
        raise fail(f"{section}.claims.{key}", f"is not given: {missing}")
    if set(claims) - {key}:
        raise fail(f"{section}.claims", f"unknown field(s) {', '.join(sorted(map(str, set(claims) - {key})))}")
    values = claims[key]
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise fail(f"{section}.claims.{key}", "must be a list of strings")
    bad = [v for v in values if v not in allowed]
    if bad:
        raise fail(f"{section}.claims.{key}", f"unknown value(s) {', '.join(bad)}; expected some of: {', '.join(allowed)}")
    return tuple(dict.fromkeys(values))


