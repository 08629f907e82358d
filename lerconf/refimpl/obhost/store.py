"""State of one reference OB 3.0 / CLR 2.0 host and its authorization server: registered clients,
authorization codes (with their PKCE challenge), access and refresh tokens with their scopes,
and the test user's credentials and profile.

One store per API per app instance (``app.state.obhost``), created on first use; nothing is
global, so a faulty test bed can run an instance with one :class:`Rules` field relaxed.
Credentials are kept in arrival order under their OB equality key (issuer id + credential id,
percent-decoded and trimmed), with the issuance time ``since`` filters on.
"""
from __future__ import annotations

import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import unquote

from lerconf.refimpl.obhost.api import Api

if TYPE_CHECKING:
    from starlette.requests import Request

__all__ = ["TEST_USER", "AccessGrant", "AuthCode", "Client", "HostStore", "Rules", "Stored", "equality_key",
           "store_of"]

#: the one resource owner the authorization endpoint approves without a login page
TEST_USER = "learner"
Upserted = Literal["created", "replaced", "kept"]


@dataclass(frozen=True)
class Rules:
    """What the reference host enforces. All on by default; a faulty bed relaxes one."""

    code_lifetime_s: float = 600.0       # OB 3.0 API Security recommends 600 s
    token_lifetime_s: float = 3600.0
    require_pkce: bool = True
    require_state: bool = True
    codes_single_use: bool = True
    require_software_id: bool = True
    same_host_urls: bool = True
    check_scopes: bool = True
    verify_upserts: bool = True
    revocation: bool = True
    # the faults below exist for the faulty-host test bed (tests/faulty_obhost); defaults are correct
    discovery_public: bool = True        # False: the service description asks for a token (401)
    check_upsert_scope: bool = True      # False: any valid token may upsert (a read-only one too)
    link_last: bool = True               # False: Link has no rel="last"
    link_next: bool = True               # False: Link has no rel="next" (a consumer cannot page on)
    next_ends: bool = True               # False: the last page still has a Link rel="next" (to an empty page)
    total_count_skew: int = 0            # added to X-Total-Count
    created_status: int = 201            # the status of an upsert that stored a new credential
    dropped_member: str | None = None    # a top-level member the store drops from a JSON credential


@dataclass
class Client:
    """A dynamically registered client (RFC 7591) and the metadata it registered."""

    client_id: str
    secret: str = field(repr=False)
    metadata: dict[str, Any]
    redirect_uris: tuple[str, ...]
    scopes: frozenset[str]


@dataclass
class AuthCode:
    """An authorization code and what the authorization request bound to it."""

    client_id: str
    redirect_uri: str
    code_challenge: str | None
    scopes: tuple[str, ...]
    user: str
    expires: float
    grant_id: str
    redirect_uri_sent: bool = True  # RFC 6749 §4.1.3: then the token request must repeat it
    used: bool = False


@dataclass
class AccessGrant:
    """What an access or refresh token stands for; ``grant_id`` ties together every token of one
    authorization, so a replayed code or a revoked refresh token ends all of them."""

    client_id: str
    scopes: tuple[str, ...]
    user: str
    grant_id: str
    expires: float | None = None  # None for refresh tokens


@dataclass
class Stored:
    """One credential a user holds: a Data Integrity object or a compact JWS."""

    key: tuple[str, str]
    credential: dict[str, Any] | str
    issued: datetime


def equality_key(issuer_id: str, credential_id: str) -> tuple[str, str]:
    """OB 3.0 "Credential equality and comparison": issuer id and credential id after
    percent-decoding and trimming leading and trailing whitespace."""
    return unquote(issuer_id).strip(), unquote(credential_id).strip()


@dataclass
class HostStore:
    api: Api
    base_url: str
    rules: Rules = field(default_factory=Rules)
    clients: dict[str, Client] = field(default_factory=dict)
    codes: dict[str, AuthCode] = field(default_factory=dict)
    access: dict[str, AccessGrant] = field(default_factory=dict, repr=False)
    refresh: dict[str, AccessGrant] = field(default_factory=dict, repr=False)
    credentials: dict[str, list[Stored]] = field(default_factory=dict)
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    seeded: bool = False
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    #: held while the seed credentials are signed, so no request sees half of them
    seeding: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def url(self, path: str) -> str:
        return self.base_url + path

    # -- clients and grants ------------------------------------------------------------------------
    def register(self, metadata: dict[str, Any], redirect_uris: tuple[str, ...], scopes: frozenset[str]) -> Client:
        client = Client(secrets.token_urlsafe(16), secrets.token_urlsafe(32), metadata, redirect_uris, scopes)
        with self.lock:
            self.clients[client.client_id] = client
        return client

    def authenticate(self, client_id: str, secret: str) -> Client | None:
        with self.lock:
            client = self.clients.get(client_id)
        if client is None or not hmac.compare_digest(client.secret.encode(), secret.encode()):
            return None
        return client

    def new_code(self, client_id: str, redirect_uri: str, challenge: str | None, scopes: tuple[str, ...], *,
                 redirect_uri_sent: bool = True) -> str:
        code = secrets.token_urlsafe(24)
        with self.lock:
            self.codes[code] = AuthCode(client_id, redirect_uri, challenge, scopes, TEST_USER,
                                        time.monotonic() + self.rules.code_lifetime_s, secrets.token_hex(8),
                                        redirect_uri_sent)
        return code

    def issue_tokens(self, client_id: str, scopes: tuple[str, ...], user: str, grant_id: str) -> tuple[str, str]:
        """A new access token and refresh token of one grant."""
        access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        with self.lock:
            self.access[access] = AccessGrant(client_id, scopes, user, grant_id,
                                              time.monotonic() + self.rules.token_lifetime_s)
            self.refresh[refresh] = AccessGrant(client_id, scopes, user, grant_id)
        return access, refresh

    def access_grant(self, token: str) -> AccessGrant | None:
        with self.lock:
            grant = self.access.get(token)
        if grant is None or (grant.expires is not None and grant.expires < time.monotonic()):
            return None
        return grant

    def end_grant(self, grant_id: str) -> None:
        """Revoke every access and refresh token of one authorization."""
        with self.lock:
            for tokens in (self.access, self.refresh):
                for token in [t for t, g in tokens.items() if g.grant_id == grant_id]:
                    del tokens[token]

    def revoke(self, token: str, client_id: str) -> bool:
        """RFC 7009: False when the token belongs to another client (the request is refused);
        True otherwise, whether or not the token was known. A refresh token ends its grant."""
        with self.lock:
            if token in self.refresh:
                grant = self.refresh[token]
                if grant.client_id != client_id:
                    return False
                self.end_grant(grant.grant_id)
            elif token in self.access:
                if self.access[token].client_id != client_id:
                    return False
                del self.access[token]
        return True

    # -- the user's credentials and profile --------------------------------------------------------
    def upsert(self, user: str, item: Stored) -> Upserted:
        """Add a credential, or replace the equal one when this one was issued no earlier."""
        with self.lock:
            held = self.credentials.setdefault(user, [])
            for i, old in enumerate(held):
                if old.key == item.key:
                    if item.issued < old.issued:
                        return "kept"
                    held[i] = item
                    return "replaced"
            held.append(item)
        return "created"

    def listed(self, user: str, since: datetime | None) -> list[Stored]:
        """The user's credentials in arrival order, those issued after ``since`` when given."""
        with self.lock:
            held = list(self.credentials.get(user, []))
        return [s for s in held if since is None or s.issued > since]


_CREATE = threading.Lock()


def store_of(request: Request, api: Api) -> HostStore:
    """The instance's store for ``api`` (created on first use)."""
    state = request.app.state
    with _CREATE:
        stores: dict[str, HostStore] | None = getattr(state, "obhost", None)
        if stores is None:
            stores = {}
            state.obhost = stores
        store = stores.get(api.key)
        if store is None:
            store = HostStore(api, state.reference.base_url)
            stores[api.key] = store
    return store
