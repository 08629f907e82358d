"""The wallet side of OID4VCI 1.0 over lerconf's VendorClient: metadata, offers, token, nonce,
credential. Every call is recorded (redacted) as evidence; each returns an :class:`Answer` with
the unredacted JSON the next step of the flow needs (a token, a pre-authorized code).

The client is strict in what it sends and records what it had to tolerate (e.g. metadata found
only at the draft-era path) instead of hiding it.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lerconf.clients.http import VendorClient
from lerconf.clients.login import MAX_LOGIN_HOPS, PersonLogin, log_in
from lerconf.outcome import Outcome
from lerconf.profile.oid4vci import Oid4vciIssuer
from lerconf.protocol.oid4vci import (
    AS_WELL_KNOWN,
    AUTHORIZATION_CODE_GRANT,
    PRE_AUTHORIZED_GRANT,
    Answer,
    AuthorizationResponse,
    Metadata,
    Offer,
    offer_parts,
    well_known_url,
)

__all__ = ["MAX_LOGIN_HOPS", "Oid4vciClient"]


class Oid4vciClient:
    """lerconf as an OID4VCI wallet talking to one issuer under test."""

    def __init__(self, http: VendorClient, section: Oid4vciIssuer, *, person: PersonLogin | None = None,
                 callback_url: str | None = None) -> None:
        """``person`` and ``callback_url``: ``login: person`` (an operator logs in by hand and the AS
        sends the browser back to lerconf's own callback)."""
        self.http, self.section = http, section
        self.person, self.callback_url = person, callback_url

    @property
    def redirect_uri(self) -> str:
        """The redirect_uri lerconf sends: the profile's; with ``login: person`` and none given,
        lerconf's own callback (register it for lerconf's client id at the AS)."""
        given = (self.section.options.get("authorization") or {}).get("redirect_uri")
        if self.section.authorization.get("login") == "person" and not given and self.callback_url:
            return self.callback_url
        return str(self.section.authorization["redirect_uri"])

    def _call(self, method: str, url: str, **kwargs: Any) -> Answer:
        raw: list[Any] = []
        kept: list[dict[str, str]] = []
        exchange = self.http.request(method, url, keep_json=raw, with_auth=kwargs.pop("with_auth", False),
                                     keep_headers=kept, **kwargs)
        return Answer(exchange, raw[0] if raw else None, kept[0] if kept else None)

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
        parts = offer_parts(body)
        document, uri = parts.document, parts.uri
        offer.problem = parts.problem
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
        says (see lerconf.profile.oid4vci and lerconf.clients.login)."""
        options = self.section.authorization
        hook = options.get("login_hook")
        return log_in(self.http, authorization_url, self.redirect_uri, str(options["login"]),
                      str(hook) if hook else None, self.person)

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
