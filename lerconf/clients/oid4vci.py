"""The wallet side of OID4VCI 1.0 over lerconf's VendorClient: metadata, offers, token, nonce,
credential. Every call is recorded (redacted) as evidence; each returns an :class:`Answer` with
the unredacted JSON the next step of the flow needs (a token, a pre-authorized code).

The client is strict in what it sends and records what it had to tolerate (e.g. metadata found
only at the draft-era path) instead of hiding it.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit, urlunsplit

from lerconf.clients.http import Exchange, VendorClient
from lerconf.outcome import Outcome
from lerconf.profile.oid4vci import Oid4vciIssuer
from lerconf.redact import SECRETS, redact_headers

__all__ = ["AUTHORIZATION_CODE_GRANT", "PRE_AUTHORIZED_GRANT", "Answer", "AuthorizationResponse", "Metadata", "Offer",
           "Oid4vciClient", "well_known_url"]

PRE_AUTHORIZED_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
AUTHORIZATION_CODE_GRANT = "authorization_code"
MAX_LOGIN_HOPS = 10
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

    @property
    def outcome(self) -> Outcome:
        return self.exchange.outcome

    @property
    def error(self) -> str | None:
        return str(self.body["error"]) if isinstance(self.body, Mapping) and isinstance(self.body.get("error"), str) else None

    def header(self, name: str) -> str | None:
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


class Oid4vciClient:
    """lerconf as an OID4VCI wallet talking to one issuer under test."""

    def __init__(self, http: VendorClient, section: Oid4vciIssuer) -> None:
        self.http, self.section = http, section

    def _call(self, method: str, url: str, **kwargs: Any) -> Answer:
        raw: list[Any] = []
        exchange = self.http.request(method, url, keep_json=raw, with_auth=kwargs.pop("with_auth", False), **kwargs)
        return Answer(exchange, raw[0] if raw else None)

    # -- discovery -----------------------------------------------------------------------------
    def metadata(self) -> Metadata:
        """GET the metadata at the well-known path of the section's mode (final: inserted; draft
        13: appended); if absent there, try the other one (so the rest of the run can go on) and
        record where it was found."""
        identifier = self.section.credential_issuer
        attempts = []
        for placement in ("final", "draft13") if self.section.mode == "final" else ("draft13", "final"):
            answer = self._call("GET", well_known_url(identifier, placement=placement))
            attempts.append(answer)
            if answer.outcome is Outcome.ACCEPTED and isinstance(answer.body, Mapping):
                return Metadata(identifier, answer, answer.body, placement, attempts)
        return Metadata(identifier, attempts[0], None, None, attempts)

    def authorization_server_metadata(self, metadata: Metadata, server: str | None = None) -> Answer:
        """RFC 8414 metadata of ``server`` (the offer's grant names it when the issuer has several,
        OID4VCI §4.1.1), else of the first of ``authorization_servers``, else of the issuer itself."""
        servers = metadata.document.get("authorization_servers") if metadata.document else None
        issuer = server or (servers[0] if isinstance(servers, list) and servers and isinstance(servers[0], str)
                            else metadata.identifier)
        return self._call("GET", well_known_url(issuer, AS_WELL_KNOWN))

    def token_endpoint(self, metadata: Metadata, server: str | None = None) -> str | None:
        answer = self.authorization_server_metadata(metadata, server)
        value = answer.body.get("token_endpoint") if isinstance(answer.body, Mapping) else None
        return value if isinstance(value, str) else None

    # -- offers --------------------------------------------------------------------------------
    def request_offer(self, configuration_id: str, *, tx_code: bool, by_reference: bool,
                      grant: str = "pre-authorized_code", deferred: bool = False) -> Offer:
        """Ask the vendor's offer hook for a fresh offer; resolve it if by reference."""
        hook = self._call("POST", self.section.offer_url, with_auth=True, json_body={
            "credential_configuration_id": configuration_id, "grant": grant,
            "tx_code": tx_code, "by_reference": by_reference, **({"deferred": True} if deferred else {})})
        body = hook.body if isinstance(hook.body, Mapping) else {}
        code = body.get("tx_code")
        offer = Offer(hook, "by_reference" if by_reference else "by_value",
                      tx_code=code if isinstance(code, str) else None)
        if hook.outcome is not Outcome.ACCEPTED:
            offer.problem = f"the offer hook answered {hook.outcome.value}: {hook.exchange.reason}"
            return offer
        document, uri = body.get("credential_offer"), body.get("credential_offer_uri")
        if isinstance(body.get("offer_uri"), str):
            query = parse_qs(urlsplit(body["offer_uri"]).query)
            if "credential_offer" in query:
                try:
                    document = json.loads(query["credential_offer"][0])
                except ValueError:
                    offer.problem = "credential_offer in the offer URI is not JSON"
            uri = query.get("credential_offer_uri", [uri])[0]
        if isinstance(document, str):
            try:
                document = json.loads(document)
            except ValueError:
                document = None
        if isinstance(uri, str):
            offer.offer_uri = uri
            offer.delivery = "by_reference"
            offer.resolved = self._call("GET", uri)
            document = offer.resolved.body if offer.resolved.outcome is Outcome.ACCEPTED else None
        elif by_reference:
            offer.delivery = "by_value"  # asked for by reference, delivered by value: the checks say so
        if isinstance(document, Mapping):
            offer.document = document
        elif offer.problem is None:
            offer.problem = "the hook delivered neither a credential offer object nor a resolvable credential_offer_uri"
        return offer

    # -- token, nonce, credential ----------------------------------------------------------------
    def token(self, token_endpoint: str, pre_authorized_code: str, tx_code: str | None,
              extra: Mapping[str, str] | None = None) -> Answer:
        form = {"grant_type": PRE_AUTHORIZED_GRANT, "pre-authorized_code": pre_authorized_code}
        if tx_code is not None:
            form["tx_code"] = tx_code
        form.update(extra or {})
        return self._call("POST", token_endpoint, form=form)

    def authorize(self, authorization_url: str) -> AuthorizationResponse:
        """The user-login step of the authorization code grant, as ``options.authorization.login``
        says (see lerconf.profile.oid4vci): follow the AS's redirect chain, or ask the login hook."""
        options = self.section.authorization
        redirect_uri = str(options["redirect_uri"])
        out = AuthorizationResponse()
        if options["login"] == "hook":
            answer = self._call("POST", str(options["login_hook"]), with_auth=True,
                                json_body={"authorization_url": authorization_url, "redirect_uri": redirect_uri})
            out.hops.append(answer)
            location = answer.body.get("redirect_url") if isinstance(answer.body, Mapping) else None
            if not isinstance(location, str):
                out.problem = f"the login hook answered {answer.outcome.value} without a redirect_url: {answer.exchange.reason}"
                return out
        else:
            url = authorization_url
            for _ in range(MAX_LOGIN_HOPS):
                answer = self._call("GET", url, follow_redirects=False)
                out.hops.append(answer)
                target = answer.header("location")
                if answer.exchange.status not in (301, 302, 303, 307, 308) or not target:
                    out.problem = (f"the authorization request ended at {answer.exchange.reason} without a redirect to "
                                   f"the redirect_uri (does the AS auto-approve a test user? else use login: hook)")
                    return out
                location = urljoin(url, target)
                if location.startswith(redirect_uri):
                    break
                url = location
            else:
                out.problem = f"no redirect to the redirect_uri within {MAX_LOGIN_HOPS} hops"
                return out
        if not location.startswith(redirect_uri):
            out.problem = "the authorization response went to another URI than the redirect_uri"
            return out
        out.params = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
        if "code" in out.params:
            SECRETS.add(out.params["code"])
            for hop in out.hops:  # the code sat in a Location header read before it was known
                hop.exchange.response_headers = redact_headers(hop.exchange.response_headers.items())
        return out

    def token_with_code(self, token_endpoint: str, form: Mapping[str, str]) -> Answer:
        """A token request of the authorization code grant (a public client: client_id in the form)."""
        return self._call("POST", token_endpoint, form={"grant_type": AUTHORIZATION_CODE_GRANT, **form})

    def nonce(self, metadata: Metadata) -> Answer | None:
        url = metadata.endpoint("nonce_endpoint")
        return self._call("POST", url) if url else None

    def credential(self, credential_endpoint: str, access_token: str | None, body: Mapping[str, Any],
                   *, token_type: str = "Bearer") -> Answer:
        headers = {"Authorization": f"{token_type} {access_token}"} if access_token is not None else {}
        return self._call("POST", credential_endpoint, json_body=dict(body), headers=headers)
