"""The Open Badges 3.0 / CLR 2.0 hosts lerconf sends a consumer under test to: one per scenario.

A consumer is judged by what lerconf's host received from it ("the wire decides"), so each
scenario gets a host of its own, made by lerconf's test hook::

    POST /ob-consumer/sessions   {"api": "ob"|"clr", "expire_first_token": false}   (lerconf's own call)
      -> 201 {"session", "discovery_url", "total", "page_size"}
    *    /ob-consumer/s/<session>/ims/ob/v3p0/...   (or .../ims/clr/v2p0/...) the reference host's routes

It is the reference host (lerconf.refimpl.obhost: discovery, registration, PKCE, tokens, paged
credentials, equality-based upserts, profile) on a fresh store, with three differences a consumer
test needs:

* the test user holds :data:`SEEDED` credentials and a page holds at most :data:`PAGE_SIZE` of them
  (a larger or missing ``limit`` is capped), so a reading consumer meets several pages whatever it asks;
* with ``expire_first_token``, the first access token used at a resource endpoint is answered 401
  ``invalid_token`` (expired), then and ever after, so what the consumer does next can be judged;
* the ``Link: rel="next"`` targets it served are kept (:attr:`Session.served_next`).

Client ids, secrets, codes and tokens are drawn through lerconf.entropy, so a replay (which sends
the consumer's recorded requests again) meets the same values.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, Router

from lerconf import entropy
from lerconf.crypto.jose.encodings import JwtEncoding, iso
from lerconf.crypto.jose.sign import sign_jwt
from lerconf.documents.templates import clr2_credential, ob3_achievement_credential
from lerconf.protocol.obapi import parse_links
from lerconf.protocol.wire_record import token_digest
from lerconf.refimpl.obhost import CLR, OB, TEST_USER, Api, HostStore, routes_for
from lerconf.refimpl.obhost.errors import imsx_error
from lerconf.refimpl.obhost.seed import profile_of
from lerconf.refimpl.obhost.store import AccessGrant, AuthCode, Client, Stored, equality_key, store_of
from lerconf.refimpl.problems import read_json_object
from lerconf.refimpl.state import ReferenceState, state_of

__all__ = ["PAGE_SIZE", "PREFIX", "SEEDED", "Session", "SessionStore", "sessions_of"]

PREFIX = "/ob-consumer/s/"
#: the most credentials one getCredentials page holds on a consumer's host
PAGE_SIZE = 2
#: what the test user holds on a consumer's host: Data Integrity credentials, then VC-JWTs
SEEDED = {"ob": (4, 1), "clr": (2, 1)}
SUITE = "eddsa-rdfc-2022"
#: sessions kept per reference instance (the oldest are forgotten)
MAX_SESSIONS = 200


@dataclass
class SessionStore(HostStore):
    """The reference host's store, with every secret it hands out drawn through lerconf.entropy."""

    def register(self, metadata: dict[str, Any], redirect_uris: tuple[str, ...], scopes: frozenset[str]) -> Client:
        client = Client(entropy.token_urlsafe(16), entropy.token_urlsafe(32), metadata, redirect_uris, scopes)
        with self.lock:
            self.clients[client.client_id] = client
        return client

    def new_code(self, client_id: str, redirect_uri: str, challenge: str | None, scopes: tuple[str, ...], *,
                 redirect_uri_sent: bool = True) -> str:
        code = entropy.token_urlsafe(24)
        with self.lock:
            self.codes[code] = AuthCode(client_id, redirect_uri, challenge, scopes, TEST_USER,
                                        time.monotonic() + self.rules.code_lifetime_s, entropy.token_hex(8),
                                        redirect_uri_sent)
        return code

    def issue_tokens(self, client_id: str, scopes: tuple[str, ...], user: str, grant_id: str) -> tuple[str, str]:
        access, refresh = entropy.token_urlsafe(32), entropy.token_urlsafe(32)
        with self.lock:
            self.access[access] = AccessGrant(client_id, scopes, user, grant_id,
                                              time.monotonic() + self.rules.token_lifetime_s)
            self.refresh[refresh] = AccessGrant(client_id, scopes, user, grant_id)
        return access, refresh


@dataclass
class Session:
    """One consumer scenario's host: its API, store, refusal rule and what it served."""

    sid: str
    api: Api
    store: SessionStore
    expire_first_token: bool = False
    #: digests of the access tokens answered 401 as expired
    expired: set[str] = field(default_factory=set)
    #: every ``Link: rel="next"`` target a getCredentials answer carried, in order
    served_next: list[str] = field(default_factory=list)
    router: Router | None = field(default=None, repr=False)

    @property
    def discovery_url(self) -> str:
        return self.store.url(self.api.discovery)

    @property
    def total(self) -> int:
        return len(self.store.listed(TEST_USER, None))


@dataclass
class _Sessions:
    items: dict[str, Session] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: the signed credentials every session of an API starts with (signed once per instance)
    seeds: dict[str, list[Stored]] = field(default_factory=dict)


_CREATE = threading.Lock()


def sessions_of(app_state: Any) -> _Sessions:
    """The instance's consumer hosts (kept on the app state, created on first use)."""
    with _CREATE:
        found: _Sessions | None = getattr(app_state, "obconsumer_sessions", None)
        if found is None:
            found = _Sessions()
            app_state.obconsumer_sessions = found
        return found


# -- the test user's credentials --------------------------------------------------------------------
def _signed_seeds(state: ReferenceState, api: Api) -> list[Stored]:
    """The credentials of a consumer's host, oldest first (slow: off the event loop)."""
    now = entropy.utc_now().replace(microsecond=0)
    di, jwt = SEEDED[api.key]
    signer = state.keys.ed25519
    out: list[Stored] = []
    for n in range(di + jwt):
        issued = now - timedelta(days=30 * (di + jwt - n))
        badge = ob3_achievement_credential(state.issuer_id, state.keys.holder_id, credential_id=f"urn:uuid:{entropy.uuid4()}",
                                           valid_from=iso(issued))
        document = badge if api is OB else clr2_credential(
            state.issuer_id, state.keys.holder_id, [signer.sign(badge, SUITE, state.verifier.processor)],
            credential_id=f"urn:uuid:{entropy.uuid4()}", valid_from=iso(issued))
        signed: dict[str, Any] | str = (signer.sign(document, SUITE, state.verifier.processor) if n < di
                                        else sign_jwt(document, signer.key, signer.verification_method, JwtEncoding.OB30))
        out.append(Stored(equality_key(state.issuer_id, document["id"]), signed, issued))
    return out


def _seeds(state: ReferenceState, sessions: _Sessions, api: Api) -> list[Stored]:
    with sessions.lock:
        ready = sessions.seeds.get(api.key)
    if ready is None:
        ready = _signed_seeds(state, api)
        with sessions.lock:
            ready = sessions.seeds.setdefault(api.key, ready)
    return ready


# -- the wrapped resource endpoints -----------------------------------------------------------------
def _bearer(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _refused(session: Session, request: Request) -> Response | None:
    """401 for an access token this host treats as expired (the first one used, when asked)."""
    token = _bearer(request)
    if not token:
        return None
    digest = token_digest(token)
    with session.store.lock:
        if session.expire_first_token and not session.expired and session.store.access_grant(token) is not None:
            session.expired.add(digest)  # the first valid token used at a resource: expired from now on
        expired = digest in session.expired
    if not expired:
        return None
    return imsx_error(401, "the access token has expired", headers={
        "WWW-Authenticate": 'Bearer realm="lerconf", error="invalid_token", error_description="The access token expired"'})


def _guarded(session: Session, endpoint: Any) -> Any:
    async def guarded(request: Request) -> Response:
        """The reference host's endpoint, after the session's expired-token rule."""
        refused = _refused(session, request)
        return refused if refused is not None else await endpoint(request)
    return guarded


def _paged(session: Session, endpoint: Any) -> Any:
    async def paged(request: Request) -> Response:
        """getCredentials with at most PAGE_SIZE a page; the next link it serves is kept."""
        refused = _refused(session, request)
        if refused is not None:
            return refused
        query = parse_qsl(request.scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        limit = dict(query).get("limit", "")
        if not limit.isdigit() or int(limit) > PAGE_SIZE:
            query = [(k, v) for k, v in query if k != "limit"] + [("limit", str(PAGE_SIZE))]
        scope = {**request.scope, "query_string": urlencode(query).encode("latin-1")}
        response: Response = await endpoint(Request(scope, request.receive))
        target = parse_links(response.headers.get("link")).get("next")
        if response.status_code == 200 and target:
            with session.store.lock:
                session.served_next.append(target)
        return response
    return paged


def _router(session: Session) -> Router:
    routes: list[Route] = []
    for route in routes_for(session.api):
        methods = route.methods or set()
        if route.path == session.api.credentials and "GET" in methods:
            route = Route(route.path, _paged(session, route.endpoint), methods=["GET"])
        elif route.path in (session.api.credentials, session.api.profile):
            route = Route(route.path, _guarded(session, route.endpoint), methods=sorted(methods - {"HEAD"}))
        routes.append(route)
    return Router(routes=routes)


class SessionHosts:
    """ASGI app under ``/ob-consumer/s/{sid}/...``: the session's host, or 404 (Imsx_StatusInfo)."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        sid = str(scope.get("path_params", {}).get("sid", ""))
        sessions = sessions_of(scope["app"].state)
        with sessions.lock:
            session = sessions.items.get(sid)
        if session is None or session.router is None:
            await imsx_error(404, f"no consumer host {sid!r}: lerconf makes one per scenario")(scope, receive, send)
            return
        await session.router(scope, receive, send)


# -- lerconf's test hook ----------------------------------------------------------------------------
async def create_session(request: Request) -> Response:
    """POST /ob-consumer/sessions: a fresh host for one consumer scenario (lerconf's own call)."""
    body = await read_json_object(request, allow_empty=True)
    key = body.get("api", "ob")
    if key not in ("ob", "clr"):
        return JSONResponse({"error": "invalid_request", "error_description": "api must be ob or clr"}, status_code=400)
    state = state_of(request)
    sessions = sessions_of(request.app.state)
    template = OB if key == "ob" else CLR
    seeds = await run_in_threadpool(_seeds, state, sessions, template)
    sid = entropy.token_hex(8)
    api = Api(f"obconsumer-{sid}", PREFIX + sid + template.base, template.scope_prefix,
              f"lerconf host for a consumer under test ({template.title})", template.credential_types)
    store = SessionStore(api, state.base_url)
    store_of(request, template)  # the reference host's stores exist; its handlers find this one by api.key
    request.app.state.obhost[api.key] = store
    for item in seeds:
        store.upsert(TEST_USER, item)
    store.profiles[TEST_USER] = profile_of(state)
    store.seeded = True
    session = Session(sid, api, store, expire_first_token=bool(body.get("expire_first_token", False)))
    session.router = _router(session)
    with sessions.lock:
        sessions.items[sid] = session
        for old in list(sessions.items)[:-MAX_SESSIONS]:
            request.app.state.obhost.pop(sessions.items.pop(old).api.key, None)
    return JSONResponse({"session": sid, "discovery_url": session.discovery_url, "total": session.total,
                         "page_size": PAGE_SIZE}, status_code=201)
