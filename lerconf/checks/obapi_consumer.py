"""Open Badges 3.0 / CLR 2.0 API checks of a consumer (the vendor is the Service Consumer, lerconf
plays the host and its authorization server): what lerconf's host received decides.

Each check takes the wire records of one scenario's host (:class:`~lerconf.protocol.wire_record.WireRecord`:
method, path, query, body, status, the digest of the bearer token; OAuth secrets already replaced
by their names, lerconf.refimpl.obhost.redaction) and never calls anything. OBAPI-13 covers the
OAuth part (discovery, registration, PKCE, scopes, token); lerconf's own LCO-01..03 what the
consumer does with its token (upsert, paging, refresh).
"""
from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from lerconf.checks.base import Verdict, check, failed, passed
from lerconf.protocol.obapi import (
    JSON_CONTENT_TYPES,
    JWS_CONTENT_TYPE,
    REGISTRATION_LOCALIZABLE,
    REGISTRATION_OPTIONAL,
    REGISTRATION_REQUIRED,
    same_host,
)
from lerconf.protocol.wire_record import WireRecord
from lerconf.results import Category

__all__ = ["MAX_REFRESHES", "MAX_SAME_TOKEN_RETRIES", "compact_jws", "page_key"]

#: after a 401, how often the refused token may be sent again before it is a retry loop
MAX_SAME_TOKEN_RETRIES = 1
#: refresh requests after one refusal beyond which the consumer refreshes in a loop
MAX_REFRESHES = 2
_URL_MEMBERS = ("client_uri", "logo_uri", "tos_uri", "policy_uri")


def compact_jws(text: str) -> bool:
    """``header.payload.signature`` in base64url: how a VC-JWT travels."""
    parts = text.strip().split(".")
    alphabet = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    return len(parts) == 3 and all(parts[i] and set(parts[i]) <= alphabet for i in (0, 2)) and set(parts[1]) <= alphabet


def page_key(url: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """A getCredentials page as (path, sorted query): a next link and the request that followed it compare equal."""
    parts = urlsplit(url)
    return parts.path, tuple(sorted(parse_qsl(parts.query, keep_blank_values=True)))


def _media(content_type: str) -> str:
    return content_type.split(";")[0].strip().lower()


# -- OBAPI-13: discovery, registration, authorization, token ----------------------------------------
@check("OBAPI-13", Category.PROTOCOL)
def consumer_reads_the_service_description(discovery_gets: Sequence[WireRecord]) -> Verdict:
    """The consumer discovers the SDD (GET <base>/discovery) before it registers."""
    if any(r.status == 200 for r in discovery_gets):
        return passed("the consumer read the service description", requests=len(discovery_gets))
    if discovery_gets:
        return failed(f"the consumer asked for the service description but was answered HTTP {discovery_gets[0].status}")
    return failed("the consumer never fetched the service description from lerconf's host")


@check("OBAPI-13", Category.PROTOCOL)
def consumer_registers_with_required_members(registrations: Sequence[WireRecord]) -> Verdict:
    """The consumer registers (RFC 7591, no initial access token) with every member OB 3.0 requires,
    ``redirect_uris`` as an array, every URL on the host of ``client_uri``, and no member OB 3.0 does not
    define (OBAPI-13: "sends no extension fields")."""
    if not registrations:
        return failed("the consumer never registered at lerconf's registration endpoint")
    record = registrations[0]
    body = record.json()
    if not isinstance(body, Mapping):
        return failed(f"the registration request is not a JSON object (content type {record.content_type or 'none'})")
    problems = [f"{m} is missing" for m in REGISTRATION_REQUIRED if body.get(m) in (None, "", [])]
    uris = body.get("redirect_uris")
    if uris is not None and (not isinstance(uris, list) or not all(isinstance(u, str) for u in uris)):
        problems.append("redirect_uris is not an array of URLs")
    urls = [body[m] for m in _URL_MEMBERS if isinstance(body.get(m), str)] + (uris if isinstance(uris, list) else [])
    if urls and all(isinstance(u, str) for u in urls) and not same_host(urls):
        problems.append(f"its URLs are not all on one host ({', '.join(sorted({urlsplit(u).hostname or '?' for u in urls}))})")
    if record.token_sha256:
        problems.append("it sent an Authorization header (OB 3.0 registration takes no initial access token)")
    defined = set(REGISTRATION_REQUIRED) | set(REGISTRATION_OPTIONAL)
    extensions = sorted(m for m in map(str, body) if m not in defined
                        and m.split("#", 1)[0] not in REGISTRATION_LOCALIZABLE)
    if extensions:
        problems.append(f"it sends member(s) neither OB 3.0 nor RFC 7591 defines: {', '.join(extensions)} (a consumer sends no "
                        "extension fields)")
    if problems:
        return failed("the registration request: " + "; ".join(problems), problems=problems)
    return passed("the consumer registered with every required member, redirect_uris as an array, one host",
                  software_id=body.get("software_id"), client_name=body.get("client_name"))


@check("OBAPI-13", Category.PROTOCOL)
def consumer_authorizes_with_pkce_s256_and_state(authorizations: Sequence[WireRecord]) -> Verdict:
    """The consumer runs the authorization code grant with PKCE (``code_challenge_method=S256``) and a ``state``."""
    if not authorizations:
        return failed("the consumer never sent an authorization request to lerconf's authorization endpoint")
    problems = []
    for record in authorizations:
        q = record.query_params()
        if q.get("response_type") != "code":
            problems.append(f"response_type is {q.get('response_type')!r}, not 'code'")
        if not q.get("code_challenge"):
            problems.append("no code_challenge: the authorization request has no PKCE")
        elif q.get("code_challenge_method") != "S256":
            problems.append(f"code_challenge_method is {q.get('code_challenge_method')!r}, not 'S256'")
        if not q.get("state"):
            problems.append("no state")
    if problems:
        return failed("; ".join(dict.fromkeys(problems)), requests=len(authorizations))
    return passed("every authorization request used PKCE S256 and a state", requests=len(authorizations))


@check("OBAPI-13", Category.PROTOCOL)
def consumer_asks_only_the_scopes_it_needs(authorizations: Sequence[WireRecord], needed: Collection[str],
                                           operation: str) -> Verdict:
    """The consumer requests correct scopes: exactly the ones its operation needs, never all of them."""
    if not authorizations:
        return failed("the consumer never sent an authorization request, so it asked for no scope")
    for record in authorizations:
        asked = set(record.query_params().get("scope", "").split())
        missing, extra = sorted(set(needed) - asked), sorted(asked - set(needed))
        if extra:
            return failed(f"to {operation} the consumer asked for scopes it does not need: {', '.join(extra)}",
                          asked=sorted(asked), needed=sorted(needed))
        if missing:
            return failed(f"to {operation} the consumer did not ask for {', '.join(missing)}", asked=sorted(asked),
                          needed=sorted(needed))
    return passed(f"the consumer asked for exactly the scopes it needs to {operation}", needed=sorted(needed))


@check("OBAPI-13", Category.PROTOCOL)
def consumer_redeems_the_code_with_its_verifier(token_requests: Sequence[WireRecord]) -> Verdict:
    """The consumer redeems the code at the token endpoint with its ``code_verifier``, authenticated
    with ``client_secret_basic`` (no client secret in the body)."""
    grants = [r for r in token_requests if r.form().get("grant_type") == "authorization_code"]
    if not grants:
        return failed("the consumer never redeemed an authorization code at lerconf's token endpoint")
    for record in grants:
        form = record.form()
        if "client_secret" in form:
            return failed("the token request carries client_secret in its body (client_secret_post), not client_secret_basic")
        if "code_verifier" not in form:
            return failed("the token request has no code_verifier")
        if record.status == 401:
            return failed("lerconf's token endpoint refused the client authentication: not client_secret_basic")
    if not any(r.status == 200 for r in grants):
        return failed(f"lerconf's token endpoint refused the code (HTTP {grants[-1].status}): "
                      f"{_said(grants[-1])}")
    return passed("the consumer redeemed its code with the code_verifier and client_secret_basic")


def _said(record: WireRecord) -> str:
    body = record.response_json()
    if isinstance(body, Mapping):
        return str(body.get("error_description") or body.get("error") or body.get("imsx_description") or "")
    return ""


# -- LCO-01: write ----------------------------------------------------------------------------------
@check("LCO-01", Category.PROTOCOL)
def consumer_upserts_a_credential(upserts: Sequence[WireRecord]) -> Verdict:
    """A consumer that writes upserts a credential (POST <base>/credentials)."""
    if not upserts:
        return failed("the consumer had a token but never upserted a credential")
    return passed(f"the consumer upserted {len(upserts)} time(s)", statuses=[r.status for r in upserts])


@check("LCO-01", Category.PROTOCOL)
def upsert_content_type_fits_the_credential(upsert: WireRecord, fmt: str) -> Verdict:
    """A Data Integrity credential is upserted as ``application/vc+ld+json`` or ``application/json``,
    a VC-JWT as its compact JWS in ``text/plain``."""
    media, text = _media(upsert.content_type), upsert.body.decode("utf-8", "replace").strip()
    try:
        value: Any = json.loads(text)
    except ValueError:
        value = None
    if compact_jws(text):
        kind = "jwt"
        if media != JWS_CONTENT_TYPE:
            return failed(f"a VC-JWT was upserted as {media or 'no content type'}, not text/plain", content_type=media)
    elif isinstance(value, str) and compact_jws(value):
        return failed(f"a VC-JWT was upserted as a JSON string ({media or 'no content type'}), not as its compact JWS "
                      "in text/plain", content_type=media)
    elif isinstance(value, Mapping):
        kind = "ldp_vc"
        if media not in JSON_CONTENT_TYPES:
            return failed(f"a Data Integrity credential was upserted as {media or 'no content type'}, not "
                          f"{' or '.join(JSON_CONTENT_TYPES)}", content_type=media)
    else:
        return failed(f"the upserted body ({media or 'no content type'}) is neither a JSON credential nor a compact JWS")
    if kind != fmt:
        return failed(f"asked to write a {fmt} credential, the consumer upserted a {kind} one", content_type=media)
    return passed(f"a {kind} credential upserted as {media}", content_type=media)


@check("LCO-01", Category.PROTOCOL)
def upserted_credential_is_of_the_api_type(document: Mapping[str, Any] | None, types: Collection[str]) -> Verdict:
    """The upserted credential is of the API's type (an Open Badge to the OB API, a CLR to the CLR API)."""
    if document is None:
        return failed("the upserted body could not be read as a credential")
    given = document.get("type")
    given_types = {str(t) for t in (given if isinstance(given, list) else [given]) if t is not None}
    if given_types & set(types):
        return passed(f"the upserted credential is a {', '.join(sorted(given_types & set(types)))}")
    return failed(f"the upserted credential's type {sorted(given_types)} is none of {', '.join(sorted(types))}")


# -- LCO-02: read -----------------------------------------------------------------------------------
@check("LCO-02", Category.PROTOCOL)
def consumer_follows_every_next_link(served_next: Sequence[str], page_requests: Sequence[WireRecord]) -> Verdict:
    """A consumer that reads follows ``Link: rel="next"`` through every page the host serves."""
    read = [r for r in page_requests if r.status == 200]
    if not read:
        return failed("the consumer had a token but never read a page of credentials")
    requested = {page_key(f"{r.path}?{r.query}") for r in page_requests}
    skipped = [n for n in served_next if page_key(n) not in requested]
    if skipped:
        return failed(f"the consumer did not follow {len(skipped)} of the {len(served_next)} next link(s) lerconf's "
                      f"host served (first not followed: {skipped[0]})", read_pages=len(read), not_followed=skipped)
    return passed(f"the consumer read {len(read)} page(s), following all {len(served_next)} next link(s)")


@check("LCO-02", Category.PROTOCOL)
def consumer_reads_the_profile(profile_gets: Sequence[WireRecord]) -> Verdict:
    """A consumer that reads calls getProfile (GET <base>/profile)."""
    if any(r.status == 200 for r in profile_gets):
        return passed("the consumer read the user's profile")
    if profile_gets:
        return failed(f"the consumer's getProfile was answered HTTP {profile_gets[-1].status}")
    return failed("the consumer never called getProfile")


# -- LCO-03: refused token --------------------------------------------------------------------------
def _after(records: Sequence[WireRecord], seq: int) -> list[WireRecord]:
    return [r for r in records if r.seq > seq]


@check("LCO-03", Category.PROTOCOL)
def consumer_gets_a_new_token_after_401(refusal: WireRecord, token_requests: Sequence[WireRecord],
                                        resource_requests: Sequence[WireRecord]) -> Verdict:
    """A consumer whose access token is refused with 401 ``invalid_token`` obtains a new token and carries on with it."""
    renewed = [r for r in _after(token_requests, refusal.seq) if r.status == 200]
    if not renewed:
        return failed("after lerconf's host refused its expired access token (401), the consumer got no new token",
                      token_requests=[r.form().get("grant_type") for r in _after(token_requests, refusal.seq)])
    onward = [r for r in _after(resource_requests, renewed[0].seq) if r.token_sha256 != refusal.token_sha256]
    if not onward:
        return failed("the consumer got a new token after the 401 but never used it")
    how = renewed[0].form().get("grant_type") or "?"
    return passed(f"after the 401 the consumer obtained a new token ({how}) and used it",
                  status_after=[r.status for r in onward][:5])


@check("LCO-03", Category.PROTOCOL)
def consumer_does_not_retry_in_a_loop(refusal: WireRecord, token_requests: Sequence[WireRecord],
                                      resource_requests: Sequence[WireRecord]) -> Verdict:
    """A consumer does not send a refused token again and again, nor refresh in a loop."""
    again = [r for r in _after(resource_requests, refusal.seq) if r.token_sha256 == refusal.token_sha256]
    refreshes = [r for r in _after(token_requests, refusal.seq) if r.form().get("grant_type") == "refresh_token"]
    if len(again) > MAX_SAME_TOKEN_RETRIES:
        return failed(f"the consumer sent the refused access token {len(again)} more time(s) after the 401: a retry loop",
                      retries=len(again))
    if len(refreshes) > MAX_REFRESHES:
        return failed(f"the consumer refreshed {len(refreshes)} times after one 401: a refresh loop", refreshes=len(refreshes))
    return passed("no retry loop: the refused token was sent again "
                  f"{len(again)} time(s), {len(refreshes)} refresh request(s)")
