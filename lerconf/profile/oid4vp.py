"""The ``oid4vp_verifier`` section of a vendor profile: how lerconf, playing the wallet, starts
a presentation request at the verifier under test, how it learns the verdict, and what the
verifier claims.

```yaml
oid4vp_verifier:
  request_hook: https://verifier.example/test/requests   # POST -> {request_uri | request | uri}
  result_hook: https://verifier.example/test/results/{state}   # GET -> {verified: bool}
  # or, without a result hook:
  # verdict_from: direct_post_status   # 2xx = success, 400/422 = failure
  # verdict_from: redirect             # success iff the direct_post answer carries redirect_uri
  claims:
    formats: [ldp_vc]
    response_modes: [direct_post]
    client_id_prefixes: [redirect_uri, decentralized_identifier]
    request_signing: [signed, unsigned]
    request_uri_methods: [get, post]
    spec_versions: ["1.0"]          # or "draft" (= draft-20: client_id_scheme, presentation_definition)
  trust_anchors:                    # for x509_san_dns / x509_hash: PEM text or PEM file paths
    - |
      -----BEGIN CERTIFICATE-----
      ...
```

A profile claiming only a draft (``spec_versions: [draft]``) runs the draft-mode scenarios, and
their results are labelled "draft-only", never final-spec conformance.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from lerconf.protocol.x509_request import load_trust_anchors

__all__ = ["CLAIM_COLUMNS", "VERDICT_SOURCES", "Oid4vpClaims", "Oid4vpVerifierSection", "not_claimed", "parse_section"]

FORMATS = ("ldp_vc", "jwt_vc_json")
RESPONSE_MODES = ("direct_post", "direct_post.jwt")
CLIENT_ID_PREFIXES = ("redirect_uri", "decentralized_identifier", "x509_san_dns", "x509_hash", "verifier_attestation",
                      "pre-registered", "openid_federation")
REQUEST_SIGNING = ("signed", "unsigned")
REQUEST_URI_METHODS = ("get", "post")
SPEC_VERSIONS = ("1.0", "draft", "draft-24", "draft-22", "draft-20")
#: the pre-final form lerconf implements (client_id_scheme, presentation_definition/_submission)
DRAFT = "draft-20"
_SPEC_ALIASES = {"draft": DRAFT}
#: how the verdict is observed when there is no result hook
VERDICT_SOURCES = ("result_hook", "direct_post_status", "redirect")

#: example-table column -> the claim it needs (Scenario Outline columns of features/oid4vp)
CLAIM_COLUMNS = {"format": "formats", "response_mode": "response_modes", "client_id_prefix": "client_id_prefixes",
                 "request_signing": "request_signing", "request_uri_method": "request_uri_methods",
                 "spec_version": "spec_versions"}


@dataclass(frozen=True)
class Oid4vpClaims:
    formats: tuple[str, ...] = ("ldp_vc",)
    response_modes: tuple[str, ...] = ("direct_post",)
    client_id_prefixes: tuple[str, ...] = ()
    request_signing: tuple[str, ...] = ()
    request_uri_methods: tuple[str, ...] = ("get",)
    spec_versions: tuple[str, ...] = ("1.0",)

    def missing(self, needs: Mapping[str, str]) -> list[str]:
        """Needs (claim name -> value) these claims do not cover, as 'formats=jwt_vc_json'."""
        return [f"{k}={v}" for k, v in needs.items() if v not in getattr(self, k)]


@dataclass(frozen=True)
class Oid4vpVerifierSection:
    request_hook: str
    result_hook: str | None = None
    result_hook_method: str = "get"
    verdict_from: str = "result_hook"
    claims: Oid4vpClaims = field(default_factory=Oid4vpClaims)
    #: X.509 trust anchors for x509_* client identifiers (cryptography Certificates)
    trust_anchors: tuple[Any, ...] = ()

    @property
    def urls(self) -> dict[str, str]:
        out = {"request_hook": self.request_hook}
        if self.result_hook:
            out["result_hook"] = self.result_hook.replace("{state}", "state")
        return out

    @property
    def draft_only(self) -> bool:
        return "1.0" not in self.claims.spec_versions

    def public_view(self) -> dict[str, Any]:
        return {"request_hook": self.request_hook, "result_hook": self.result_hook, "verdict_from": self.verdict_from,
                "claims": {k: list(v) for k, v in self.claims.__dict__.items()},
                "trust_anchors": [a.subject.rfc4514_string() for a in self.trust_anchors]}


Fail = Callable[[str, str], Exception]


def _strings(raw: Any, where: str, allowed: tuple[str, ...], fail: Fail, default: tuple[str, ...]) -> tuple[str, ...]:
    if raw is None:
        return default
    if not isinstance(raw, list) or not all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in raw):
        raise fail(where, "must be a list of strings")
    values = tuple(str(v) for v in raw)
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise fail(where, f"unknown value(s) {', '.join(unknown)}; expected some of: {', '.join(allowed)}")
    return values


def _url(raw: Any, where: str, fail: Fail, *, template: bool = False) -> str:
    if not isinstance(raw, str) or not raw:
        raise fail(where, "must be an http(s) URL")
    parts = urlsplit(raw.replace("{state}", "state") if template else raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise fail(where, f"{raw!r} is not an http(s) URL")
    return raw


def parse_section(raw: Any, fail: Fail) -> Oid4vpVerifierSection:
    """Validate the section; ``fail(where, problem)`` builds the ProfileError to raise."""
    where = "oid4vp_verifier"
    if not isinstance(raw, Mapping):
        raise fail(where, "must be a mapping")
    unknown = set(raw) - {"request_hook", "result_hook", "result_hook_method", "verdict_from", "claims", "trust_anchors"}
    if unknown:
        raise fail(where, f"unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    request_hook = _url(raw.get("request_hook"), f"{where}.request_hook", fail)
    result_hook = _url(raw["result_hook"], f"{where}.result_hook", fail, template=True) if raw.get("result_hook") else None
    method = str(raw.get("result_hook_method", "get")).lower()
    if method not in ("get", "post"):
        raise fail(f"{where}.result_hook_method", "must be get or post")
    verdict_from = str(raw.get("verdict_from", "result_hook" if result_hook else ""))
    if verdict_from not in VERDICT_SOURCES:
        raise fail(f"{where}.verdict_from", f"must be one of {', '.join(VERDICT_SOURCES)} (or give a result_hook)")
    if verdict_from == "result_hook" and not result_hook:
        raise fail(f"{where}.verdict_from", "result_hook is named but no result_hook URL is given")
    c = raw.get("claims") or {}
    if not isinstance(c, Mapping):
        raise fail(f"{where}.claims", "must be a mapping")
    extra = set(c) - set(Oid4vpClaims.__dataclass_fields__)
    if extra:
        raise fail(f"{where}.claims", f"unknown field(s) {', '.join(sorted(map(str, extra)))}")
    claims = Oid4vpClaims(
        formats=_strings(c.get("formats"), f"{where}.claims.formats", FORMATS, fail, ("ldp_vc",)),
        response_modes=_strings(c.get("response_modes"), f"{where}.claims.response_modes", RESPONSE_MODES, fail,
                                ("direct_post",)),
        client_id_prefixes=_strings(c.get("client_id_prefixes"), f"{where}.claims.client_id_prefixes",
                                    CLIENT_ID_PREFIXES, fail, ()),
        request_signing=_strings(c.get("request_signing"), f"{where}.claims.request_signing", REQUEST_SIGNING, fail, ()),
        request_uri_methods=_strings(c.get("request_uri_methods"), f"{where}.claims.request_uri_methods",
                                     REQUEST_URI_METHODS, fail, ("get",)),
        spec_versions=tuple(dict.fromkeys(_SPEC_ALIASES.get(v, v) for v in _strings(
            c.get("spec_versions"), f"{where}.claims.spec_versions", SPEC_VERSIONS, fail, ("1.0",)))),
    )
    return Oid4vpVerifierSection(request_hook, result_hook, method, verdict_from, claims,
                                 _anchors(raw.get("trust_anchors"), f"{where}.trust_anchors", fail))


def _anchors(raw: Any, where: str, fail: Fail) -> tuple[Any, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(v, str) and v.strip() for v in raw):
        raise fail(where, "must be a list of PEM certificates or PEM file paths")

    try:
        return tuple(load_trust_anchors(raw))
    except ValueError as exc:
        raise fail(where, str(exc)) from None


def not_claimed(section: Oid4vpVerifierSection | None, vendor: str, example: Mapping[str, str]) -> str | None:
    """Why a scenario with this example row is not claimed by the vendor's section, or None."""
    if section is None:
        return f"{vendor} has no oid4vp_verifier section"
    needs = {CLAIM_COLUMNS[k]: v for k, v in example.items() if k in CLAIM_COLUMNS}
    # a scenario without a spec_version column is a final-spec (1.0) scenario: a verifier claiming only
    # a draft is not judged by it (its draft scenarios run, labelled draft-only, instead)
    needs["spec_versions"] = _SPEC_ALIASES.get(needs.get("spec_versions", "1.0"), needs.get("spec_versions", "1.0"))
    missing = section.claims.missing(needs)
    if missing:
        return f"oid4vp_verifier does not claim {', '.join(missing)}"
    return None
