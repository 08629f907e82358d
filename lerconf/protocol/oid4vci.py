"""OID4VCI 1.0 as data: grant types, well-known locations, and what one protocol call answered
(metadata, offers, authorization responses). Clients make these; checks and the reference read them.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

from lerconf.exchange import Exchange
from lerconf.outcome import Outcome

__all__ = [
    "AS_WELL_KNOWN",
    "AUTHORIZATION_CODE_GRANT",
    "ISSUER_WELL_KNOWN",
    "PRE_AUTHORIZED_GRANT",
    "Answer",
    "AuthorizationResponse",
    "Metadata",
    "Offer",
    "OfferParts",
    "offer_parts",
    "well_known_url",
]

PRE_AUTHORIZED_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
AUTHORIZATION_CODE_GRANT = "authorization_code"
ISSUER_WELL_KNOWN = "openid-credential-issuer"
AS_WELL_KNOWN = "oauth-authorization-server"


def well_known_url(identifier: str, suffix: str = ISSUER_WELL_KNOWN, *, placement: str = "final") -> str:
    """Final (RFC 8615 style): ``/.well-known/<suffix>`` inserted between host and path; draft 13
    and earlier appended it after the issuer's path."""
    parts = urlsplit(identifier)
    path = parts.path.rstrip("/")
    new_path = f"/.well-known/{suffix}{path}" if placement == "final" else f"{path}/.well-known/{suffix}"
    return urlunsplit((parts.scheme, parts.netloc, new_path, "", ""))


@dataclass
class Answer:
    """One protocol call: the recorded exchange and the raw JSON body (None when there is none)."""

    exchange: Exchange
    body: Any = field(default=None, repr=False)
    #: the response headers as sent (lower-case names), when the client kept them: read from here, never
    #: from the redacted evidence copy (a Location naming an id that contains a short secret is scrubbed there)
    headers: Mapping[str, str] | None = field(default=None, repr=False)

    @property
    def outcome(self) -> Outcome:
        return self.exchange.outcome

    @property
    def error(self) -> str | None:
        return str(self.body["error"]) if isinstance(self.body, Mapping) and isinstance(self.body.get("error"), str) else None

    def header(self, name: str) -> str | None:
        if self.headers is not None:
            return self.headers.get(name.lower())
        return next((v for k, v in self.exchange.response_headers.items() if k.lower() == name.lower()), None)

    def __repr__(self) -> str:
        return f"Answer({self.exchange!r})"


@dataclass
class Metadata:
    """Credential issuer metadata and where it was found (``placement`` final/draft13, or None)."""

    identifier: str
    answer: Answer | None
    document: Mapping[str, Any] | None
    placement: str | None
    attempts: list[Answer] = field(default_factory=list)

    def endpoint(self, name: str) -> str | None:
        value = self.document.get(name) if self.document else None
        return value if isinstance(value, str) else None

    @property
    def configurations(self) -> Mapping[str, Any]:
        value = self.document.get("credential_configurations_supported") if self.document else None
        return value if isinstance(value, Mapping) else {}

    def configuration_for(self, fmt: str) -> str | None:
        return next((cid for cid, c in self.configurations.items() if isinstance(c, Mapping) and c.get("format") == fmt), None)


@dataclass
class Offer:
    """A credential offer as the hook delivered it, resolved to its object."""

    hook: Answer
    delivery: str                       # by_value | by_reference
    document: Mapping[str, Any] | None = field(default=None, repr=False)
    offer_uri: str | None = None        # credential_offer_uri (by reference)
    resolved: Answer | None = None      # the GET of credential_offer_uri
    tx_code: str | None = field(default=None, repr=False)
    problem: str | None = None

    def authorization_server(self, grant: str) -> str | None:
        """The grant's ``authorization_server`` (OID4VCI §4.1.1: needed when the issuer has several)."""
        grants = (self.document or {}).get("grants")
        entry = grants.get(grant) if isinstance(grants, Mapping) else None
        value = entry.get("authorization_server") if isinstance(entry, Mapping) else None
        return value if isinstance(value, str) else None

    @property
    def pre_authorized_code(self) -> str | None:
        grant = (self.document or {}).get("grants", {}).get(PRE_AUTHORIZED_GRANT) if isinstance(
            (self.document or {}).get("grants"), Mapping) else None
        code = grant.get("pre-authorized_code") if isinstance(grant, Mapping) else None
        return code if isinstance(code, str) else None

    @property
    def issuer_state(self) -> str | None:
        grants = (self.document or {}).get("grants")
        grant = grants.get(AUTHORIZATION_CODE_GRANT) if isinstance(grants, Mapping) else None
        value = grant.get("issuer_state") if isinstance(grant, Mapping) else None
        return value if isinstance(value, str) else None

    @property
    def tx_code_object(self) -> Mapping[str, Any] | None:
        grants = (self.document or {}).get("grants")
        grant = grants.get(PRE_AUTHORIZED_GRANT) if isinstance(grants, Mapping) else None
        value = grant.get("tx_code") if isinstance(grant, Mapping) else None
        return value if isinstance(value, Mapping) else None


@dataclass
class AuthorizationResponse:
    """What came back to the redirect_uri: the parameters (code, state, iss, error), or why not."""

    hops: list[Answer] = field(default_factory=list)
    params: dict[str, str] = field(default_factory=dict, repr=False)
    problem: str | None = None

    @property
    def code(self) -> str | None:
        return self.params.get("code")


@dataclass(frozen=True)
class OfferParts:
    """What an offer hook's answer delivers: the credential offer object, or the URI to fetch it from
    (``credential_offer``, ``credential_offer_uri``, or either inside an ``openid-credential-offer://``
    ``offer_uri``), and why it cannot be read when it cannot."""

    document: Mapping[str, Any] | None
    uri: str | None
    problem: str | None = None


def offer_parts(body: Mapping[str, Any]) -> OfferParts:
    """The offer in an offer hook's answer (OID4VCI §4.1: by value or by reference)."""
    document, uri, problem = body.get("credential_offer"), body.get("credential_offer_uri"), None
    if isinstance(body.get("offer_uri"), str):
        query = parse_qs(urlsplit(body["offer_uri"]).query)
        uri = query.get("credential_offer_uri", [uri])[0]
        if "credential_offer" in query:
            document = query["credential_offer"][0]
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError:
            document, problem = None, "credential_offer in the offer URI is not JSON"
    return OfferParts(document if isinstance(document, Mapping) else None, uri if isinstance(uri, str) else None, problem)
