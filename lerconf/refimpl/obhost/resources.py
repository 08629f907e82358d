"""The resource endpoints: getCredentials (paged), upsertCredential, getProfile and putProfile,
each behind its scope. No or an unknown token is 401, a token without the operation's scope 403,
and every refusal carries an ``Imsx_StatusInfo`` body (OBAPI-05, OBAPI-11).

A posted credential is stored only once the reference's verifier (lerconf's engine) finds it
verified and of the API's type, and only in the form its content type promises: Data Integrity
as ``application/vc+ld+json`` / ``application/json``, VC-JWT as ``text/plain`` (OBAPI-08)."""
from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from lerconf.crypto.jose.encodings import parse_datetime
from lerconf.refimpl.obhost.api import Api
from lerconf.refimpl.obhost.errors import imsx_error
from lerconf.refimpl.obhost.seed import seed
from lerconf.refimpl.obhost.store import AccessGrant, HostStore, Stored, equality_key, store_of
from lerconf.refimpl.state import ReferenceState, state_of
from lerconf.verify.report import VerificationReport, VerifyOptions

__all__ = ["credentials_get", "credentials_post", "profile_get", "profile_put"]

#: the upsert media types of a Data Integrity credential (a VC-JWT is text/plain)
JSON_TYPES = ("application/vc+ld+json", "application/json")
PROFILE_TYPES = ("application/json", "application/ld+json")
COMPACT_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$")
MAX_BODY = 2 * 1024 * 1024


def _authorized(request: Request, store: HostStore, scope: str) -> AccessGrant | Response:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return imsx_error(401, "an access token is required (Authorization: Bearer)",
                          headers={"WWW-Authenticate": 'Bearer realm="lerconf"'})
    grant = store.access_grant(token)
    if grant is None:
        return imsx_error(401, "the access token is unknown, expired or revoked",
                          headers={"WWW-Authenticate": 'Bearer realm="lerconf", error="invalid_token"'})
    checked = store.rules.check_scopes and (scope != store.api.upsert or store.rules.check_upsert_scope)
    if checked and scope not in grant.scopes:
        return imsx_error(403, f"the access token lacks the scope {scope}",
                          headers={"WWW-Authenticate": f'Bearer realm="lerconf", error="insufficient_scope", scope="{scope}"'})
    return grant


async def _seeded(request: Request, store: HostStore) -> None:
    if not store.seeded:
        await run_in_threadpool(seed, state_of(request), store)


# -- getCredentials ------------------------------------------------------------------------------
def _paging(request: Request) -> tuple[int | None, int, datetime | None] | str:
    """(limit, offset, since) from the query, or what is wrong with it."""
    q = request.query_params
    limit: int | None = None
    if "limit" in q:
        if not q["limit"].isdigit() or int(q["limit"]) < 1:
            return "limit must be a positive integer"
        limit = int(q["limit"])
    offset = q.get("offset", "0")
    if not offset.isdigit():
        return "offset must be a non-negative integer"
    since = parse_datetime(q["since"]) if "since" in q else None
    if "since" in q and since is None:
        return "since must be an ISO 8601 date-time"
    return limit, int(offset), since


def _link(store: HostStore, request: Request, limit: int | None, offset: int, total: int) -> str:
    """RFC 8288 ``Link`` with first and last always, next while incomplete, prev after the first page."""
    extra = {k: request.query_params[k] for k in ("since",) if k in request.query_params}

    def url(at: int) -> str:
        params = {**({"limit": str(limit)} if limit is not None else {}), "offset": str(at), **extra}
        return f"{store.url(store.api.credentials)}?{urlencode(params)}"

    step = limit if limit is not None else max(total, 1)
    last = max(0, (total - 1) // step * step)
    links = [(url(0), "first")] + ([(url(last), "last")] if store.rules.link_last else [])
    if store.rules.link_next and (offset + step < total or (not store.rules.next_ends and offset < total)):
        links.append((url(offset + step), "next"))
    if offset > 0:
        links.append((url(max(0, min(offset - step, last))), "prev"))
    return ", ".join(f'<{target}>; rel="{rel}"' for target, rel in links)


def credentials_get(api: Api) -> Any:
    async def get_credentials(request: Request) -> Response:
        """GET <base>/credentials?limit&offset&since: one page, ``X-Total-Count`` and ``Link``."""
        store = store_of(request, api)
        granted = _authorized(request, store, api.read)
        if isinstance(granted, Response):
            return granted
        paging = _paging(request)
        if isinstance(paging, str):
            return imsx_error(400, paging, code_minor="invalid_query_parameter")
        limit, offset, since = paging
        await _seeded(request, store)
        held = store.listed(granted.user, since)
        page = held[offset: offset + limit if limit is not None else None]
        body = {"credential": [s.credential for s in page if isinstance(s.credential, dict)],
                "compactJwsString": [s.credential for s in page if isinstance(s.credential, str)]}
        return JSONResponse(body, headers={"X-Total-Count": str(len(held) + store.rules.total_count_skew),
                                           "Link": _link(store, request, limit, offset, len(held))})
    return get_credentials


# -- upsertCredential ----------------------------------------------------------------------------
async def _posted(request: Request) -> dict[str, Any] | str | Response:
    """The credential as its content type says: a JSON object, or a compact JWS in text/plain."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype not in (*JSON_TYPES, "text/plain"):
        return imsx_error(415, f"content type {ctype or '(none)'!r}: post a Data Integrity credential as "
                          "application/vc+ld+json or application/json, a VC-JWT as text/plain")
    raw = await request.body()
    if len(raw) > MAX_BODY:
        return imsx_error(413, f"the credential is larger than {MAX_BODY} bytes")
    text = raw.decode("utf-8", "replace").strip()
    if ctype == "text/plain":
        if text.startswith(("{", "[")):
            return imsx_error(400, "a JSON credential was posted as text/plain: use application/vc+ld+json "
                              "or application/json")
        if not COMPACT_JWS.match(text):
            return imsx_error(400, "the text/plain body is not a compact JWS (VC-JWT)")
        return text
    if COMPACT_JWS.match(text.strip('"')):
        return imsx_error(400, f"a compact JWS was posted as {ctype}: post a VC-JWT as text/plain")
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return imsx_error(400, "the body is not JSON")
    if not isinstance(value, dict):
        return imsx_error(400, "the body is not a JSON object (a credential)")
    if "proof" not in value:
        return imsx_error(400, "the credential has no proof: only secured credentials are stored")
    return value


def _verify(state: ReferenceState, posted: dict[str, Any] | str) -> VerificationReport:
    options = VerifyOptions()
    if isinstance(posted, str):
        return state.verifier.verify_jwt(posted, "upsertCredential", options)
    return state.verifier.verify_document(posted, "upsertCredential", options)


def _stored(api: Api, report: VerificationReport, posted: dict[str, Any] | str) -> Stored | str:
    """What to store for a verified credential, or why it cannot be stored."""
    doc = report.document
    if not isinstance(doc, Mapping):
        return "the credential could not be read"
    types = doc.get("type")
    types = set(types) if isinstance(types, list) else {types}
    if not types & api.credential_types:
        return f"the credential is none of {', '.join(sorted(api.credential_types))}"
    issuer = doc.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    if not isinstance(issuer_id, str) or not isinstance(doc.get("id"), str):
        return "the credential needs an id and an issuer id (they identify it for replacement)"
    issued = parse_datetime(doc.get("validFrom", doc.get("issuanceDate")))
    if issued is None:
        return "the credential has no validFrom (or issuanceDate) to compare it by"
    return Stored(equality_key(issuer_id, doc["id"]), posted, issued)


def credentials_post(api: Api) -> Any:
    async def upsert_credential(request: Request) -> Response:
        """POST <base>/credentials: 201 created, 200 replaced, 304 when an equal newer one is held."""
        store = store_of(request, api)
        granted = _authorized(request, store, api.upsert)
        if isinstance(granted, Response):
            return granted
        posted = await _posted(request)
        if isinstance(posted, Response):
            return posted
        report = await run_in_threadpool(_verify, state_of(request), posted)
        if store.rules.verify_upserts and not report.verified:
            reasons = "; ".join(r.message for _, r in report.blocking_failures()[:3]) or "verification failed"
            return imsx_error(400, f"the credential does not verify: {reasons}")
        item = _stored(api, report, posted)
        if isinstance(item, str):
            return imsx_error(400, item)
        if store.rules.dropped_member and isinstance(item.credential, dict):
            item.credential = {k: v for k, v in item.credential.items() if k != store.rules.dropped_member}
        await _seeded(request, store)
        outcome = store.upsert(granted.user, item)
        if outcome == "kept":
            return Response(status_code=304)
        status = store.rules.created_status if outcome == "created" else 200
        if isinstance(posted, str):
            return PlainTextResponse(posted, status_code=status)
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        return JSONResponse(posted, status_code=status, media_type=ctype)
    return upsert_credential


# -- getProfile / putProfile ---------------------------------------------------------------------
def profile_get(api: Api) -> Any:
    async def get_profile(request: Request) -> Response:
        """GET <base>/profile: the user's Profile, 404 when there is none."""
        store = store_of(request, api)
        granted = _authorized(request, store, api.profile_read)
        if isinstance(granted, Response):
            return granted
        await _seeded(request, store)
        with store.lock:
            profile = store.profiles.get(granted.user)
        if profile is None:
            return imsx_error(404, "the user has no profile")
        return JSONResponse(profile)
    return get_profile


def _profile_problem(value: Any) -> str | None:
    if not isinstance(value, dict):
        return "the body is not a JSON object (a Profile)"
    types = value.get("type")
    if "Profile" not in (types if isinstance(types, list) else [types]):
        return "a Profile's type must include \"Profile\""
    if not isinstance(value.get("id"), str) or ":" not in value["id"]:
        return "a Profile needs an id that is a URI"
    return None


def profile_put(api: Api) -> Any:
    async def put_profile(request: Request) -> Response:
        """PUT <base>/profile: replace the whole Profile; 200 with it as stored."""
        store = store_of(request, api)
        granted = _authorized(request, store, api.profile_update)
        if isinstance(granted, Response):
            return granted
        if request.headers.get("content-type", "").split(";")[0].strip().lower() not in PROFILE_TYPES:
            return imsx_error(415, "a Profile is posted as application/json")
        raw = await request.body()
        try:
            value = json.loads(raw) if len(raw) <= MAX_BODY else None
        except (ValueError, RecursionError):
            value = None
        problem = _profile_problem(value)
        if problem or not isinstance(value, dict):
            return imsx_error(400, problem or "the body is not a JSON object (a Profile)")
        await _seeded(request, store)
        with store.lock:
            store.profiles[granted.user] = value
        return JSONResponse(value)
    return put_profile
