"""lerconf as an Open Badges 3.0 / CLR 2.0 API consumer talking to one Service Provider (host)
under test: discovery, dynamic registration, authorization code + PKCE, token refresh and
revocation, getCredentials (with paging), upsertCredential, getProfile and putProfile.

Every call goes through the one VendorClient, is recorded (redacted) and returns an
:class:`~lerconf.protocol.oid4vci.Answer`; what the next step needs (client secret, tokens) is
read from the unredacted body and registered in :data:`lerconf.redact.SECRETS` first, so it never
reaches evidence. The user-login step is lerconf.clients.login's (redirects of an auto-approving
test user, or a login hook), as in OID4VCI. Judging is left to lerconf.checks.obapi.
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

from lerconf import entropy
from lerconf.clients.http import VendorClient
from lerconf.clients.login import PersonLogin, log_in
from lerconf.errors import LerconfError
from lerconf.outcome import Outcome
from lerconf.profile.obapi import ObProvider
from lerconf.protocol.obapi import (
    CLR_API,
    JSON_CONTENT_TYPES,
    JWS_CONTENT_TYPE,
    OB_API,
    ApiSpec,
    Links,
    PkcePair,
    ServiceDescription,
    authorization_request_url,
    basic_authorization,
    parse_links,
    parse_service_description,
    pkce_pair,
)
from lerconf.protocol.oid4vci import Answer, AuthorizationResponse
from lerconf.redact import SECRETS

__all__ = ["MAX_PAGES", "MAX_WALKED_CREDENTIALS", "AuthorizationStart", "CredentialsPage", "ObApiClient", "ObApiTarget",
           "Tokens", "Walk"]

#: a walk of getCredentials pages stops after this many pages, or this many credentials
MAX_PAGES = 100
MAX_WALKED_CREDENTIALS = 10_000


@dataclass(frozen=True)
class ObApiTarget:
    """The host under test and how lerconf logs in there (from the ``ob_provider`` profile section).

    ``login`` is ``follow_redirects`` (an auto-approving test user), ``hook`` (``login_hook``
    answers the authorization URL with the redirect URL), as in the OID4VCI issuer section, or
    ``person`` (an operator logs in by hand; ``person`` waits for the browser's return).
    """

    base_url: str
    redirect_uri: str
    client_uri: str
    api: ApiSpec = OB_API
    login: str = "follow_redirects"
    login_hook: str | None = None
    revocation_url: str | None = None
    person: PersonLogin | None = field(default=None, repr=False, compare=False)

    @classmethod
    def for_provider(cls, section: ObProvider, api: str = "ob", *, callback_url: str | None = None,
                     person: PersonLogin | None = None) -> ObApiTarget:
        """The target of one API (``ob`` or ``clr``) of a profile's ``ob_provider`` section. With
        ``login: person`` and no redirect_uri of the profile's, the browser comes back to
        ``callback_url`` (lerconf's own), and client_uri is that host's root (OB 3.0 registration
        wants every client URL on one host)."""
        redirect_uri, client_uri = section.redirect_uri, section.client_uri
        if section.login == "person" and callback_url and not section.options.get("redirect_uri"):
            redirect_uri = callback_url
            if not section.options.get("client_uri"):
                parts = urlsplit(callback_url)
                client_uri = f"{parts.scheme}://{parts.netloc}/"
        return cls(base_url=section.base_url, redirect_uri=redirect_uri, client_uri=client_uri,
                   api=CLR_API if api == "clr" else OB_API, login=section.login, login_hook=section.login_hook,
                   revocation_url=section.revocation_url, person=person)


@dataclass
class Tokens:
    """The client's current credentials at the host; repr never shows a secret."""

    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    access_token: str | None = field(default=None, repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    scope: str | None = None


@dataclass(frozen=True)
class AuthorizationStart:
    """An authorization request as sent: its URL, state and PKCE pair (None for the negative without)."""

    url: str = field(repr=False)
    state: str
    pkce: PkcePair | None
    scopes: tuple[str, ...]


@dataclass
class CredentialsPage:
    """One getCredentials answer: the credentials, the compact JWS strings and the paging headers."""

    answer: Answer
    credentials: list[Mapping[str, Any]] = field(default_factory=list, repr=False)
    compact_jws: list[str] = field(default_factory=list, repr=False)
    total_count: int | None = None
    total_count_raw: str | None = None
    links: Links = field(default_factory=Links)

    @property
    def size(self) -> int:
        return len(self.credentials) + len(self.compact_jws)


@dataclass
class Walk:
    """Every page reached by following ``Link: rel="next"``, and why the walk stopped early (if it did)."""

    pages: list[CredentialsPage] = field(default_factory=list)
    problem: str | None = None

    @property
    def credentials(self) -> list[Mapping[str, Any]]:
        return [c for p in self.pages for c in p.credentials]

    @property
    def compact_jws(self) -> list[str]:
        return [j for p in self.pages for j in p.compact_jws]

    @property
    def walked(self) -> int:
        return sum(p.size for p in self.pages)


class ObApiClient:
    """lerconf as an OB 3.0 (or CLR 2.0) API consumer of one host under test."""

    def __init__(self, http: VendorClient, target: ObApiTarget) -> None:
        self.http, self.target = http, target
        self.api = target.api
        self.tokens = Tokens()
        self.description: ServiceDescription | None = None

    def _call(self, method: str, url: str, **kwargs: Any) -> Answer:
        raw: list[Any] = []
        kept: list[dict[str, str]] = []
        exchange = self.http.request(method, url, keep_json=raw, with_auth=False, keep_headers=kept, **kwargs)
        return Answer(exchange, raw[0] if raw else None, kept[0] if kept else None)

    def _call_text(self, method: str, url: str, **kwargs: Any) -> Answer:
        """A call whose 2xx answer may be text/plain: the body is the JSON, else the unredacted text."""
        raw: list[Any] = []
        text: list[str] = []
        kept: list[dict[str, str]] = []
        exchange = self.http.request(method, url, keep_json=raw, keep_text=text, with_auth=False, accept_text=True,
                                     keep_headers=kept, **kwargs)
        body = raw[0] if raw and raw[0] is not None else (text[0] if text and text[0].strip() else None)
        return Answer(exchange, body, kept[0] if kept else None)

    def _bearer(self, token: str | None, anonymous: bool) -> dict[str, str]:
        value = token if token is not None else self.tokens.access_token
        return {} if anonymous or value is None else {"Authorization": f"Bearer {value}"}

    def _client_auth(self) -> dict[str, str]:
        if self.tokens.client_id is None or self.tokens.client_secret is None:
            raise LerconfError("the OB API client is not registered: call register() first")
        return {"Authorization": basic_authorization(self.tokens.client_id, self.tokens.client_secret)}

    # -- discovery and registration ------------------------------------------------------------
    def discovery(self) -> Answer:
        """GET <base>/discovery without any credentials; keeps the parsed description."""
        answer = self._call("GET", self.api.url(self.target.base_url, "discovery"))
        self.description = parse_service_description(answer.body) if answer.outcome is Outcome.ACCEPTED else None
        return answer

    def register(self, request: Mapping[str, Any], registration_url: str | None = None) -> Answer:
        """POST a registration request (RFC 7591, no initial access token); keeps client_id and secret."""
        url = registration_url or (self.description.registration_url if self.description else None)
        if not url:
            raise LerconfError("no registration URL: call discovery() first or pass registration_url")
        answer = self._call("POST", url, json_body=dict(request))
        body = answer.body if isinstance(answer.body, Mapping) else {}
        secret, client_id = body.get("client_secret"), body.get("client_id")
        for value in (secret, body.get("registration_access_token")):  # RFC 7591 / RFC 7592 secrets
            if isinstance(value, str):
                SECRETS.add(value)
        if answer.outcome is Outcome.ACCEPTED and isinstance(client_id, str) and isinstance(secret, str):
            self.tokens.client_id, self.tokens.client_secret = client_id, secret
        return answer

    # -- authorization code + PKCE ---------------------------------------------------------------
    def start_authorization(self, scopes: Sequence[str], *, with_pkce: bool = True,
                            authorization_url: str | None = None) -> AuthorizationStart:
        """The authorization request for ``scopes`` (full scope URLs), with a fresh state and PKCE pair."""
        url = authorization_url or (self.description.authorization_url if self.description else None)
        if not url or self.tokens.client_id is None:
            raise LerconfError("authorization needs a registered client and the authorization URL")
        pkce = pkce_pair() if with_pkce else None
        if pkce is not None:
            SECRETS.add(pkce.verifier)
        state = entropy.token_urlsafe(16)  # through the tape: a replay sends the same state
        full = authorization_request_url(url, client_id=self.tokens.client_id, redirect_uri=self.target.redirect_uri,
                                         scopes=scopes, state=state, pkce=pkce)
        return AuthorizationStart(full, state, pkce, tuple(scopes))

    def authorize(self, start: AuthorizationStart) -> AuthorizationResponse:
        """The user-login step (lerconf.clients.login: the AS's redirects, or the login hook)."""
        return log_in(self.http, start.url, self.target.redirect_uri, self.target.login, self.target.login_hook,
                      self.target.person)

    def _token_request(self, form: Mapping[str, str], token_url: str | None) -> Answer:
        url = token_url or (self.description.token_url if self.description else None)
        if not url:
            raise LerconfError("no token URL: call discovery() first or pass token_url")
        # a redirect from the token endpoint is the answer: the client secret goes to no other URL
        answer = self._call("POST", url, form=dict(form), headers=self._client_auth(), follow_redirects=False)
        body = answer.body if isinstance(answer.body, Mapping) else {}
        access, refresh = body.get("access_token"), body.get("refresh_token")
        for value in (access, refresh):
            if isinstance(value, str):
                SECRETS.add(value)
        if answer.outcome is Outcome.ACCEPTED and isinstance(access, str):
            self.tokens.access_token = access
            self.tokens.refresh_token = refresh if isinstance(refresh, str) else self.tokens.refresh_token
            scope = body.get("scope")
            self.tokens.scope = scope if isinstance(scope, str) else None
        return answer

    def exchange_code(self, code: str, code_verifier: str | None, *, token_url: str | None = None) -> Answer:
        """The token request of the authorization code grant, ``client_secret_basic``."""
        SECRETS.add(code)
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": self.target.redirect_uri}
        if code_verifier is not None:
            SECRETS.add(code_verifier)
            form["code_verifier"] = code_verifier
        return self._token_request(form, token_url)

    def refresh(self, scopes: Sequence[str] = (), *, token_url: str | None = None) -> Answer:
        """A refresh token grant at ``refreshUrl`` (else the token URL); keeps the new tokens."""
        if self.tokens.refresh_token is None:
            raise LerconfError("no refresh token was issued")
        url = token_url or (self.description.refresh_url or self.description.token_url if self.description else None)
        form = {"grant_type": "refresh_token", "refresh_token": self.tokens.refresh_token}
        if scopes:
            form["scope"] = " ".join(scopes)
        return self._token_request(form, url)

    def revoke(self, token: str | None = None, hint: str = "access_token") -> Answer:
        """RFC 7009 revocation of ``token`` (default: the current access token)."""
        value = token or (self.tokens.refresh_token if hint == "refresh_token" else self.tokens.access_token)
        if not self.target.revocation_url or value is None:
            raise LerconfError("revocation needs the target's revocation_url and a token")
        # RFC 7009 §2.2: success is HTTP 200, its body is not specified (often empty)
        return self._call_text("POST", self.target.revocation_url, form={"token": value, "token_type_hint": hint},
                               headers=self._client_auth(), follow_redirects=False)

    # -- resources ------------------------------------------------------------------------------
    def get_credentials(self, limit: int | None = None, offset: int | None = None, since: str | None = None, *,
                        token: str | None = None, anonymous: bool = False) -> CredentialsPage:
        """getCredentials with the paging parameters given (None ones are not sent)."""
        query = {k: str(v) for k, v in (("limit", limit), ("offset", offset), ("since", since)) if v is not None}
        url = self.api.url(self.target.base_url, "credentials") + (f"?{urlencode(query)}" if query else "")
        return self._page(url, token, anonymous)

    def _page(self, url: str, token: str | None, anonymous: bool) -> CredentialsPage:
        answer = self._call("GET", url, headers=self._bearer(token, anonymous), follow_redirects=False)
        page = CredentialsPage(answer, links=parse_links(answer.header("link")))
        body = answer.body if isinstance(answer.body, Mapping) else {}
        creds, jws = body.get("credential"), body.get("compactJwsString")
        page.credentials = [c for c in creds if isinstance(c, Mapping)] if isinstance(creds, list) else []
        page.compact_jws = [j for j in jws if isinstance(j, str)] if isinstance(jws, list) else []
        page.total_count_raw = answer.header("x-total-count")
        raw = (page.total_count_raw or "").strip()
        page.total_count = int(raw) if raw.isdigit() and len(raw) < 12 else None
        return page

    def walk_pages(self, limit: int, *, since: str | None = None, max_pages: int = MAX_PAGES,
                   token: str | None = None) -> Walk:
        """Follow ``Link: rel="next"`` from offset 0 until a page has none.

        Stops (with ``problem`` set, never hanging) on an answer that is not a page, a next link
        already visited (a cycle), a next link to another origin, more than ``max_pages`` pages or
        more than MAX_WALKED_CREDENTIALS credentials.
        """
        walk = Walk()
        page = self.get_credentials(limit, 0, since, token=token)
        seen = {_normal_url(page.answer.exchange.url)}
        origin = _origin(page.answer.exchange.url)
        while True:
            walk.pages.append(page)
            if page.answer.outcome is not Outcome.ACCEPTED:
                walk.problem = f"page {len(walk.pages)} answered {page.answer.outcome.value}: {page.answer.exchange.reason}"
                return walk
            if page.links.problems:
                walk.problem = f"page {len(walk.pages)}: {page.links.problems[0]}"
                return walk
            target = page.links.get("next")
            if target is None:
                return walk
            url = urljoin(page.answer.exchange.url, target)
            if _origin(url) != origin:
                walk.problem = f"Link next of page {len(walk.pages)} leaves the host: {url}"
                return walk
            if _normal_url(url) in seen:
                walk.problem = f"Link next of page {len(walk.pages)} points back to a page already read ({url}): a cycle"
                return walk
            if len(walk.pages) >= max_pages:
                walk.problem = f"more than {max_pages} pages: Link next does not end"
                return walk
            if walk.walked > MAX_WALKED_CREDENTIALS:
                walk.problem = f"more than {MAX_WALKED_CREDENTIALS} credentials walked: Link next does not end"
                return walk
            seen.add(_normal_url(url))
            page = self._page(url, token, False)

    def upsert(self, credential: Mapping[str, Any] | str, *, content_type: str | None = None,
               token: str | None = None, anonymous: bool = False) -> Answer:
        """upsertCredential: a Data Integrity credential as ``application/vc+ld+json`` (or the
        ``content_type`` given: a negative sends a wrong one on purpose); a compact JWS as text/plain.
        """
        url = self.api.url(self.target.base_url, "credentials")
        if isinstance(credential, str):
            headers = {"Content-Type": content_type or JWS_CONTENT_TYPE, **self._bearer(token, anonymous)}
            return self._call_text("POST", url, content=credential.encode("utf-8"), headers=headers,
                                   follow_redirects=False)
        headers = {"Content-Type": content_type or JSON_CONTENT_TYPES[0], **self._bearer(token, anonymous)}
        if content_type is not None and content_type.split(";")[0].strip().lower() == JWS_CONTENT_TYPE:
            # a JSON credential sent as text/plain on purpose (a negative): the body stays the JSON text
            return self._call_text("POST", url, content=json.dumps(dict(credential)).encode("utf-8"), headers=headers,
                                   follow_redirects=False)
        return self._call_text("POST", url, json_body=dict(credential), headers=headers, follow_redirects=False)

    def get_profile(self, *, token: str | None = None, anonymous: bool = False) -> Answer:
        """getProfile of the user the token belongs to."""
        return self._call("GET", self.api.url(self.target.base_url, "profile"), headers=self._bearer(token, anonymous),
                          follow_redirects=False)

    def put_profile(self, profile: Mapping[str, Any], *, token: str | None = None, anonymous: bool = False) -> Answer:
        """putProfile with the whole Profile object."""
        return self._call("PUT", self.api.url(self.target.base_url, "profile"), json_body=dict(profile),
                          headers={"Content-Type": "application/json", **self._bearer(token, anonymous)},
                          follow_redirects=False)


def _origin(url: str) -> tuple[str, str | None, int | None]:
    parts = urlsplit(url)
    return parts.scheme, parts.hostname, parts.port


def _normal_url(url: str) -> str:
    """A URL for cycle detection: query parameters in a fixed order, no fragment."""
    parts = urlsplit(url)
    query = "&".join(sorted(parts.query.split("&"))) if parts.query else ""
    return f"{parts.scheme}://{parts.netloc.lower()}{parts.path or '/'}?{query}"
