"""Open Badges 3.0 / CLR 2.0 API checks (lerconf plays the consumer, the vendor is the Service
Provider): service description, registration, tokens, scopes, getCredentials and paging,
upsertCredential, equality on read-back, profile, error bodies, refresh and revocation.

One function per aspect of a requirement id; each takes what the wire showed (status codes,
headers, bodies) and never calls anything. Broken answers (5xx where a refusal was due, timeouts)
are still turned into *broken* by the scenario's one verdict rule before a check sees them.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from lerconf.checks.base import Verdict, check, failed, not_applicable, passed, warning
from lerconf.documents.schemas import validate
from lerconf.errors import LerconfError
from lerconf.protocol.obapi import (
    JSON_CONTENT_TYPES,
    JWS_CONTENT_TYPE,
    OB_API,
    REGISTRATION_ERRORS,
    REGISTRATION_RESPONSE_REQUIRED,
    ApiSpec,
    Comparison,
    compare,
    equality_key,
    jws_payload,
    parse_links,
    parse_service_description,
    read_imsx,
    valid_from,
)
from lerconf.results import Category

if TYPE_CHECKING:
    from lerconf.documents.loader import DocumentLoader

__all__: list[str] = []  # checks register themselves; find them by requirement id

_MAX_LISTED = 20
_LOOPBACK = ("localhost", "127.0.0.1", "::1")


def _body(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _schema(document: Any, url: str, loader: DocumentLoader, what: str) -> Verdict:
    violations = validate(document, url, loader=loader)
    if not violations:
        return passed(f"{what} is valid against {url.rsplit('/', 1)[-1]}", schema=url)
    listed = [str(v) for v in violations[:_MAX_LISTED]]
    return failed(f"{what}: {len(violations)} violation(s) of {url.rsplit('/', 1)[-1]}: {listed[0]}",
                  schema=url, violations=listed)


# -- OBAPI-01 service description ----------------------------------------------------------------
@check("OBAPI-01", Category.PROTOCOL)
def discovery_answers_without_credentials(status: int | None) -> Verdict:
    """Access to the discovery endpoint MUST NOT be protected (asked without any credentials)."""
    if status == 200:
        return passed("the service description was served to a request without credentials")
    if status in (401, 403):
        return failed(f"HTTP {status}: the discovery endpoint asks for credentials", status=status)
    return failed(f"the discovery endpoint answered HTTP {status}, not 200", status=status)


@check("OBAPI-01", Category.PROTOCOL)
def discovery_served_over_https(url: str) -> Verdict:
    """The Service Description Document MUST be provided over HTTPS with TLS 1.2 or 1.3."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        return passed("the service description is served over HTTPS", url=url)
    if parts.scheme == "http" and parts.hostname in _LOOPBACK:
        return passed("served over plain HTTP on loopback (a local test deployment)", url=url, loopback=True)
    return failed(f"the service description is served over {parts.scheme or 'no scheme'}, not HTTPS", url=url)


@check("OBAPI-01", Category.PROTOCOL)
def service_description_has_openapi_info(document: Any) -> Verdict:
    """The SDD is an OpenAPI 3.0 document with info.title, info.termsOfService and x-imssf-privacyPolicyUrl."""
    sdd = parse_service_description(document)
    missing = [name for name, value in (("openapi", sdd.openapi), ("info.title", sdd.title),
                                        ("info.termsOfService", sdd.terms_of_service),
                                        ("x-imssf-privacyPolicyUrl", sdd.privacy_policy_url)) if value is None]
    if missing:
        return failed("the service description lacks " + ", ".join(missing), missing=missing)
    if not sdd.openapi or not sdd.openapi.startswith("3.0"):
        return failed(f"openapi is {sdd.openapi!r}, not an OpenAPI 3.0 version", openapi=sdd.openapi)
    return passed("OpenAPI 3.0 with title, terms of service and privacy policy", openapi=sdd.openapi)


@check("OBAPI-01", Category.PROTOCOL)
def service_description_offers_authorization_code(document: Any, api: ApiSpec = OB_API) -> Verdict:
    """The SDD has an OAuth 2.0 authorization-code scheme with x-imssf-registrationUrl, authorize and
    token URLs and the API's scopes."""
    sdd = parse_service_description(document)
    if sdd.scheme_name is None:
        return failed("components.securitySchemes has no oauth2 scheme with an authorizationCode flow")
    missing = [name for name, value in (("x-imssf-registrationUrl", sdd.registration_url),
                                        ("authorizationUrl", sdd.authorization_url), ("tokenUrl", sdd.token_url))
               if value is None or urlsplit(value).scheme not in ("https", "http")]
    if missing:
        return failed(f"scheme {sdd.scheme_name} lacks an absolute " + ", ".join(missing), scheme=sdd.scheme_name,
                      missing=missing)
    absent = [s for s in api.scopes if s not in sdd.scopes]
    if absent:
        return failed(f"scheme {sdd.scheme_name} does not offer {len(absent)} {api.name} scope(s): {absent[0]}",
                      missing_scopes=absent, offered=list(sdd.scopes))
    return passed(f"scheme {sdd.scheme_name} offers registration, authorization code and the {api.name} scopes",
                  scheme=sdd.scheme_name)


# -- OBAPI-02 registration --------------------------------------------------------------------
@check("OBAPI-02", Category.PROTOCOL)
def registration_answer_has_client_credentials(status: int | None, body: Any) -> Verdict:
    """The registration response (201) returns client_id, client_secret, client_id_issued_at and
    client_secret_expires_at (RFC 7591 §3.2.1)."""
    if status != 201:
        return failed(f"registration answered HTTP {status}, not 201 Created", status=status)
    doc = _body(body)
    types = {"client_id": str, "client_secret": str, "client_id_issued_at": int, "client_secret_expires_at": int}
    wrong = [m for m in REGISTRATION_RESPONSE_REQUIRED if not isinstance(doc.get(m), types[m]) or isinstance(doc.get(m), bool)]
    if wrong:
        return failed("the registration response lacks (or mistypes) " + ", ".join(wrong), missing=wrong)
    return passed("201 with client_id, client_secret and their issue and expiry times")


@check("OBAPI-02", Category.PROTOCOL)
def registration_answer_echoes_metadata(request: Mapping[str, Any], body: Any) -> Verdict:
    """The registration response echoes the client metadata that was registered."""
    doc = _body(body)
    missing = [m for m in request if m not in doc]
    if missing:
        return failed("the registration response does not echo " + ", ".join(missing), missing=missing)
    changed = [m for m in request if not _same_metadata(m, request[m], doc[m])]
    if changed:  # RFC 7591 lets the server replace values; OB asks for the echo, so say so
        return warning("the registration response replaced " + ", ".join(changed), changed=changed)
    return passed(f"all {len(request)} registered metadata members are echoed")


def _same_metadata(name: str, sent: Any, got: Any) -> bool:
    if name == "scope" and isinstance(sent, str) and isinstance(got, str):
        return set(sent.split()) == set(got.split())
    if isinstance(sent, list) and isinstance(got, list):
        return sorted(map(str, sent)) == sorted(map(str, got))
    return bool(sent == got)


@check("OBAPI-02", Category.PROTOCOL)
def registration_refusal_is_rfc7591_error(status: int | None, body: Any) -> Verdict:
    """A registration lacking a required member, or with URLs on other hosts, is refused with 400 and a
    registration error (RFC 7591 §3.2.2)."""
    if status is not None and 200 <= status < 300:
        return failed(f"the defective registration was accepted (HTTP {status})", status=status)
    if status != 400:
        return failed(f"the defective registration was answered HTTP {status}, not 400", status=status)
    error = _body(body).get("error")
    if error not in REGISTRATION_ERRORS:
        return warning(f"400 but error is {error!r}, not an RFC 7591 registration error", error=str(error))
    return passed(f"400 with error {error}", error=error)


# -- OBAPI-03 authorization ---------------------------------------------------------------------
@check("OBAPI-03", Category.PROTOCOL)
def authorization_returns_code_and_state(params: Mapping[str, str], sent_state: str) -> Verdict:
    """The authorization response carries a code and the state that was sent."""
    if "error" in params:
        return failed(f"the authorization request was refused: {params['error']}", error=params["error"])
    if not params.get("code"):
        return failed("the authorization response carries no code")
    if params.get("state") != sent_state:
        return failed("the authorization response does not return the state that was sent",
                      state_returned="state" in params)
    return passed("code and the sent state returned to the redirect URI")


@check("OBAPI-03", Category.PROTOCOL)
def authorization_without_pkce_is_refused(params: Mapping[str, str]) -> Verdict:
    """PKCE with S256 is required: an authorization request without a code challenge yields no code."""
    if params.get("code"):
        return failed("an authorization request without PKCE was granted a code")
    if "error" in params:
        return passed(f"refused with error {params['error']}", error=params["error"])
    return passed("no code was issued to the request without PKCE")


@check("OBAPI-03", Category.PROTOCOL)
def authorization_code_reuse_is_refused(status: int | None, body: Any) -> Verdict:
    """A code is single-use: redeeming it a second time is denied."""
    doc = _body(body)
    if (status is not None and 200 <= status < 300) or "access_token" in doc:
        return failed(f"the reused code was exchanged for a token (HTTP {status})", status=status)
    if status != 400:
        return failed(f"the reused code was answered HTTP {status}, not 400", status=status)
    if doc.get("error") != "invalid_grant":
        return warning(f"400 but error is {doc.get('error')!r}, not invalid_grant", error=str(doc.get("error")))
    return passed("400 invalid_grant for the reused code")


# -- OBAPI-04 token endpoint --------------------------------------------------------------------
@check("OBAPI-04", Category.PROTOCOL)
def token_answer_is_bearer(status: int | None, body: Any) -> Verdict:
    """The token response has an access_token of token_type bearer."""
    doc = _body(body)
    if status != 200:
        return failed(f"the token request was answered HTTP {status}, not 200", status=status)
    if not isinstance(doc.get("access_token"), str) or not doc["access_token"]:
        return failed("the token response has no access_token")
    token_type = doc.get("token_type")
    if not isinstance(token_type, str) or token_type.lower() != "bearer":
        return failed(f"token_type is {token_type!r}, not bearer", token_type=str(token_type))
    return passed("a bearer access token was issued")


@check("OBAPI-04", Category.PROTOCOL)
def token_answer_states_granted_scope(body: Any, requested: Sequence[str]) -> Verdict:
    """The token response returns the granted scope."""
    scope = _body(body).get("scope")
    if not isinstance(scope, str) or not scope.strip():
        return failed("the token response does not state the granted scope")
    granted = set(scope.split())
    extra = sorted(granted - set(requested))
    if extra:
        return failed(f"the token grants scope(s) that were not requested: {extra[0]}", extra=extra)
    return passed(f"granted {len(granted)} of {len(set(requested))} requested scope(s)", granted=sorted(granted),
                  not_granted=sorted(set(requested) - granted))


@check("OBAPI-04", Category.PROTOCOL)
def token_answer_has_refresh_token_when_claimed(body: Any, refresh_claimed: bool) -> Verdict:
    """A host that claims token refresh issues a refresh_token with the access token."""
    if not refresh_claimed:
        return not_applicable("the host does not claim token refresh")
    if not isinstance(_body(body).get("refresh_token"), str):
        return failed("the host claims token refresh but issued no refresh_token")
    return passed("a refresh_token was issued")


@check("OBAPI-04", Category.PROTOCOL)
def token_refusal_is_400_json(status: int | None, content_type: str | None, body: Any) -> Verdict:
    """Token endpoint errors are HTTP 400 with a JSON error (e.g. a wrong code_verifier: invalid_grant)."""
    if status is not None and 200 <= status < 300:
        return failed(f"the defective token request was granted (HTTP {status})", status=status)
    if status != 400:
        return failed(f"the defective token request was answered HTTP {status}, not 400", status=status)
    error = _body(body).get("error")
    if "json" not in (content_type or "").lower() or not isinstance(error, str):
        return failed("400 without a JSON body naming the error", content_type=content_type)
    if error != "invalid_grant":
        return warning(f"400 with error {error}, not invalid_grant", error=error)
    return passed("400 invalid_grant")


# -- OBAPI-05 scopes ----------------------------------------------------------------------------
@check("OBAPI-05", Category.PROTOCOL)
def call_without_valid_token_is_401(status: int | None) -> Verdict:
    """A missing or invalid access token is answered 401."""
    if status == 401:
        return passed("401 for a call without a valid token")
    if status is not None and 200 <= status < 300:
        return failed(f"a call without a valid token was served (HTTP {status})", status=status)
    return failed(f"a call without a valid token was answered HTTP {status}, not 401", status=status)


@check("OBAPI-05", Category.PROTOCOL)
def call_without_operation_scope_is_403(status: int | None) -> Verdict:
    """A token that lacks the operation's scope is answered 403."""
    if status == 403:
        return passed("403 for a token without the operation's scope")
    if status is not None and 200 <= status < 300:
        return failed(f"a token without the operation's scope was served (HTTP {status})", status=status)
    return failed(f"a token without the operation's scope was answered HTTP {status}, not 403", status=status)


# -- OBAPI-06 getCredentials --------------------------------------------------------------------
@check("OBAPI-06", Category.PROTOCOL)
def credentials_answer_lists_credentials(status: int | None, body: Any) -> Verdict:
    """getCredentials answers 200 with ``credential`` (objects) and/or ``compactJwsString`` (compact JWS) arrays."""
    if status != 200:
        return failed(f"getCredentials answered HTTP {status}, not 200", status=status)
    doc = _body(body)
    creds, jws = doc.get("credential"), doc.get("compactJwsString")
    if isinstance(creds, Mapping) or isinstance(jws, str):  # the schema's JSON-LD compaction allows one, the API lists
        return warning("a single credential is sent bare, not in an array")
    problems = []
    if creds is not None and not (isinstance(creds, list) and all(isinstance(c, Mapping) for c in creds)):
        problems.append("credential is not an array of objects")
    if jws is not None and not (isinstance(jws, list) and all(isinstance(j, str) and j.count(".") == 2 for j in jws)):
        problems.append("compactJwsString is not an array of compact JWS strings")
    if creds is None and jws is None:
        problems.append("the body has neither credential nor compactJwsString")
    if problems:
        return failed("; ".join(problems), problems=problems)
    count = len(creds or []) + len(jws or [])
    return passed(f"{count} credential(s) listed", credentials=len(creds or []), compact_jws=len(jws or []))


@check("OBAPI-06", Category.SCHEMA)
def credentials_answer_matches_schema(body: Any, *, loader: DocumentLoader, api: ApiSpec = OB_API) -> Verdict:
    """The getCredentials body is valid against the API's published response schema."""
    return _schema(body, api.credentials_response_schema, loader, "the getCredentials body")


# -- OBAPI-07 paging ----------------------------------------------------------------------------
#: the credential types each API's getCredentials returns
API_CREDENTIAL_TYPES = {"ob/v3p0": ("OpenBadgeCredential", "AchievementCredential"), "clr/v2p0": ("ClrCredential",)}


def credential_types(credential: Mapping[str, Any] | str) -> list[str]:
    """A listed credential's types (a compact JWS's from its payload; none when it is not one)."""
    document = jws_payload(credential) if isinstance(credential, str) else credential
    found = document.get("type") if isinstance(document, Mapping) else None
    return [t for t in (found if isinstance(found, list) else [found]) if isinstance(t, str)]


@check("OBAPI-06", Category.PROTOCOL)
def listed_credential_is_of_the_api_type(credential: Mapping[str, Any] | str, api: ApiSpec = OB_API) -> Verdict:
    """Each credential getCredentials returns is of the API's type (an OpenBadgeCredential on the
    OB 3.0 API, a ClrCredential on the CLR 2.0 API); a compact JWS is read from its payload."""
    if isinstance(credential, str) and jws_payload(credential) is None:
        return failed("a compactJwsString element is not a compact JWS")
    types = credential_types(credential)
    wanted = API_CREDENTIAL_TYPES.get(api.base_path.removeprefix("/ims/"), ())
    if not set(types) & set(wanted):
        return failed(f"a credential of type {types} on the {api.name} API, not {' or '.join(wanted)}", type=types)
    return passed(f"a credential of the {api.name} API's type", type=types)


@check("CLR-11", Category.PROTOCOL)
def clr_api_serves_clrs_as_the_ob_api_serves_badges(url: str, status: int | None, types: Sequence[Sequence[str]]) -> Verdict:
    """The CLR 2.0 API mirrors the OB API under /ims/clr/v2p0/: getCredentials there answers 200 with
    the learner's ClrCredentials (CLR 2.0 §"CLR Standard API"; the OB API's rules judge the rest)."""
    path = urlsplit(url).path
    if "/ims/clr/v2p0/credentials" not in path:
        return failed(f"getCredentials was not served under /ims/clr/v2p0/ ({path})")
    if status != 200:
        return failed(f"getCredentials under /ims/clr/v2p0/ answered {status}, not 200 with the learner's CLRs")
    if not types:
        return failed("getCredentials under /ims/clr/v2p0/ listed no credential: the test user's CLR is not served "
                      "(the profile's test user must hold at least one CLR)")
    others = [list(t) for t in types if "ClrCredential" not in t]
    if others:
        return failed(f"{len(others)} of {len(types)} credential(s) listed on the CLR API are not ClrCredentials: {others[0]}")
    return passed(f"{len(types)} ClrCredential(s) served by getCredentials under /ims/clr/v2p0/")


def _incomplete(offset: int, returned: int, total: int) -> bool:
    return offset + returned < total


@check("OBAPI-07", Category.PROTOCOL)
def paging_page_honours_limit(returned: int, limit: int) -> Verdict:
    """A page holds at most ``limit`` credentials: a host that ignores ``limit`` (everything on one page,
    no Link at all) has not paged."""
    if returned > limit:
        return failed(f"a page held {returned} credentials although lerconf asked for limit={limit}: the host "
                      "ignores limit", returned=returned, limit=limit)
    return passed(f"the page held {returned} of at most {limit}")


@check("OBAPI-07", Category.PROTOCOL)
def paging_link_has_first_and_last(link: str | None, *, offset: int, returned: int, total: int) -> Verdict:
    """A Link header is present when the list is incomplete; if present it always has first and last.

    ``total`` is the number of credentials lerconf walked (or seeded), not the vendor's claim.
    """
    links = parse_links(link)
    if not links.rels:
        if _incomplete(offset, returned, total):
            return failed(f"no Link header although {total - offset - returned} credential(s) follow", problems=list(links.problems))
        return passed("no Link header on a complete list (allowed)")
    missing = [rel for rel in ("first", "last") if links.get(rel) is None]
    if missing:
        return failed("the Link header lacks " + " and ".join(missing), rels=sorted(links.rels))
    return passed("the Link header has first and last", rels=sorted(links.rels))


@check("OBAPI-07", Category.PROTOCOL)
def paging_link_has_next_while_incomplete(link: str | None, *, offset: int, returned: int, total: int) -> Verdict:
    """Link has ``next`` while the list is incomplete, and only then (no next on the last page)."""
    has_next = parse_links(link).get("next") is not None
    if _incomplete(offset, returned, total) and not has_next:
        return failed(f"no Link next at offset {offset} with {returned} of {total} read", offset=offset, total=total)
    if not _incomplete(offset, returned, total) and has_next:
        return failed(f"Link next on the last page (offset {offset}, {returned} returned, {total} in all)",
                      offset=offset, total=total)
    return passed("Link next present exactly while credentials follow", offset=offset, total=total)


@check("OBAPI-07", Category.PROTOCOL)
def paging_link_has_prev_after_offset(link: str | None, *, offset: int) -> Verdict:
    """Link has ``prev`` when the offset is greater than zero."""
    has_prev = parse_links(link).get("prev") is not None
    if offset > 0 and not has_prev:
        return failed(f"no Link prev at offset {offset}", offset=offset)
    if offset == 0 and has_prev:  # not forbidden by the text, but it points before the first page
        return warning("Link prev on the first page (offset 0)", offset=offset)
    return passed(f"Link prev {'present' if has_prev else 'absent'} at offset {offset}", offset=offset)


@check("OBAPI-07", Category.PROTOCOL)
def paging_walk_ends(problem: str | None) -> Verdict:
    """Following Link next from the first page reaches a last page (no cycle, no other host, no endless list)."""
    if problem:
        return failed(f"the walk of the pages did not end well: {problem}")
    return passed("Link next led from the first page to the last")


@check("OBAPI-07", Category.PROTOCOL)
def paging_total_count_matches_walk(total_count: str | None, walked: int) -> Verdict:
    """X-Total-Count, when the total is known, is the number of credentials the pages hold."""
    if total_count is None:
        return not_applicable("no X-Total-Count (allowed when the host does not know the total)")
    value = total_count.strip()
    if not value.isdigit():
        return failed(f"X-Total-Count {value[:40]!r} is not a non-negative integer")
    if int(value) != walked:
        return failed(f"X-Total-Count says {int(value)} but the pages held {walked}", total_count=int(value), walked=walked)
    return passed(f"X-Total-Count {walked} matches the pages walked", walked=walked)


# -- OBAPI-08 upsertCredential --------------------------------------------------------------------
@check("OBAPI-08", Category.PROTOCOL)
def upsert_status_says_created_or_replaced(status: int | None, *, new: bool) -> Verdict:
    """upsertCredential answers 201 for a new credential and 200 when it replaced an equal one."""
    expected = 201 if new else 200
    if status == expected:
        return passed(f"HTTP {status} for a {'new' if new else 'replaced'} credential", status=status)
    return failed(f"HTTP {status} for a {'new' if new else 'replaced'} credential, expected {expected}",
                  status=status, expected=expected)


@check("OBAPI-08", Category.PROTOCOL)
def upsert_answer_echoes_credential(sent: Mapping[str, Any] | str, body: Any, content_type: str | None) -> Verdict:
    """The upsert response body is the credential in the request, in the request's media type
    (application/vc+ld+json or application/json; text/plain for a compact JWS)."""
    media = (content_type or "").split(";")[0].strip().lower()
    if isinstance(sent, str):
        if media != JWS_CONTENT_TYPE:
            return failed(f"a compact JWS upsert was answered as {media or 'no media type'}, not text/plain")
        if not isinstance(body, str) or body.strip() != sent.strip():
            return failed("the response body is not the compact JWS that was sent")
        return passed("the compact JWS is echoed as text/plain")
    if media not in JSON_CONTENT_TYPES:
        return failed(f"a JSON credential upsert was answered as {media or 'no media type'}", content_type=media)
    lost, changed = _differences(sent, body)
    if lost or changed:
        return failed(f"the echoed credential differs: {len(lost)} member(s) missing, {len(changed)} changed",
                      lost=lost[:_MAX_LISTED], changed=changed[:_MAX_LISTED])
    return passed("the credential sent is echoed", content_type=media)


def _differences(expected: Any, actual: Any, path: str = "$") -> tuple[list[str], list[str]]:
    """JSON paths of ``expected`` missing from ``actual`` and those whose value differs (extra members are fine)."""
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping):
            return [], [path]
        lost: list[str] = []
        changed: list[str] = []
        for key, value in expected.items():
            if key not in actual:
                lost.append(f"{path}.{key}")
                continue
            sub_lost, sub_changed = _differences(value, actual[key], f"{path}.{key}")
            lost += sub_lost
            changed += sub_changed
        return lost, changed
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [], [path]
        pairs = [_differences(e, a, f"{path}[{i}]") for i, (e, a) in enumerate(zip(expected, actual, strict=True))]
        return [p for lo, _ in pairs for p in lo], [p for _, ch in pairs for p in ch]
    return ([], []) if expected == actual else ([], [path])


# -- OBAPI-09 equality and comparison -------------------------------------------------------------
@check("OBAPI-09", Category.PROTOCOL)
def read_back_equals_upserted(upserted: Mapping[str, Any], listed: Sequence[Mapping[str, Any]]) -> Verdict:
    """After an upsert, getCredentials returns a credential equal to it (same issuer.id and id) with no metadata lost."""
    key = equality_key(upserted)
    if key is None:
        raise LerconfError("the upserted credential has no issuer id and id: lerconf's own fixture is wrong")
    matches = [c for c in listed if compare(upserted, c) is not Comparison.DIFFERENT]
    if not matches:
        return failed(f"none of the {len(listed)} listed credential(s) has issuer {key[0]} and id {key[1]}")
    lost, changed = _differences(upserted, matches[0])
    if lost or changed:
        return failed(f"the credential read back lost {len(lost)} and changed {len(changed)} member(s)",
                      lost=lost[:_MAX_LISTED], changed=changed[:_MAX_LISTED])
    return passed("the credential read back is equal to the one upserted, every member kept", id=key[1])


@check("OBAPI-09", Category.PROTOCOL)
def replacement_keeps_the_newer(listed: Sequence[Mapping[str, Any]], newer: Mapping[str, Any]) -> Verdict:
    """Equal credentials (same issuer.id + id after percent-decoding and trimming) are one; the newer validFrom replaces."""
    same = [c for c in listed if compare(newer, c) is not Comparison.DIFFERENT]
    if not same:
        return failed("the re-issued credential is not listed at all")
    if len(same) > 1:
        return failed(f"{len(same)} credentials with the same issuer.id and id are listed: not replaced", count=len(same))
    kept, wanted = valid_from(same[0]), valid_from(newer)
    if kept != wanted:
        return failed(f"the listed credential has validFrom {kept}, not the newer {wanted}")
    return passed("one credential listed, with the newer validFrom")


# -- OBAPI-10 profile ---------------------------------------------------------------------------
@check("OBAPI-10", Category.PROTOCOL)
def get_profile_status_is_200_or_404(status: int | None) -> Verdict:
    """getProfile answers 200 with the Profile (404 if there is none)."""
    if status in (200, 404):
        return passed(f"getProfile answered HTTP {status}", status=status)
    return failed(f"getProfile answered HTTP {status}, not 200 or 404", status=status)


@check("OBAPI-10", Category.SCHEMA)
def profile_matches_schema(body: Any, *, loader: DocumentLoader, api: ApiSpec = OB_API) -> Verdict:
    """The Profile returned is valid against the API's Profile schema."""
    return _schema(body, api.profile_schema, loader, "the Profile")


@check("OBAPI-10", Category.PROTOCOL)
def put_profile_status_is_200_or_202(status: int | None) -> Verdict:
    """putProfile takes the whole Profile and answers 200 or 202 (400 for data it cannot accept)."""
    if status in (200, 202):
        return passed(f"putProfile answered HTTP {status}", status=status)
    return failed(f"putProfile answered HTTP {status}, not 200 or 202", status=status)


# -- OBAPI-11 error bodies ----------------------------------------------------------------------
@check("OBAPI-11", Category.PROTOCOL)
def error_status_is_4xx(status: int | None) -> Verdict:
    """Errors get an appropriate 4xx; 500 only for catastrophic errors."""
    if status is not None and 400 <= status < 500:
        return passed(f"HTTP {status}", status=status)
    if status is not None and status >= 500:
        return failed(f"HTTP {status} for a request the host should have refused with a 4xx", status=status)
    return failed(f"HTTP {status} where a 4xx error was due", status=status)


@check("OBAPI-11", Category.SCHEMA)
def error_body_is_imsx_status_info(body: Any, *, loader: DocumentLoader, api: ApiSpec = OB_API,
                                   status: int | None = None) -> Verdict:
    """Error bodies are Imsx_StatusInfo (valid against the API's imsx_statusinfo schema).

    Given the answer's ``status``, a call that was not refused (below 400) has no error body: the
    check does not apply (the scenario's status check says what is wrong with serving it)."""
    if status is not None and status < 400:
        return not_applicable(f"HTTP {status}: the call was not refused, so there is no error body to judge",
                              status=status)
    if read_imsx(body) is None:
        shown = "not JSON" if not isinstance(body, (Mapping, list)) else "JSON without imsx_codeMajor and imsx_severity"
        return failed(f"the error body is {shown}, not Imsx_StatusInfo")
    return _schema(body, api.imsx_schema, loader, "the Imsx_StatusInfo error body")


# -- OBAPI-12 refresh and revocation (if supported) -------------------------------------------------
@check("OBAPI-12", Category.PROTOCOL)
def refresh_gives_new_access_token(status: int | None, body: Any, previous_access_token: str) -> Verdict:
    """Token refresh returns a new access token (no token appears in the message or details)."""
    token = _body(body).get("access_token")
    if status != 200 or not isinstance(token, str) or not token:
        return failed(f"the refresh request was answered HTTP {status} without an access token", status=status)
    if token == previous_access_token:
        return failed("the refresh returned the same access token")
    return passed("the refresh issued a new access token")


@check("OBAPI-12", Category.PROTOCOL)
def refreshed_token_works(status: int | None) -> Verdict:
    """The access token a refresh returned is accepted for the operation it was granted (getCredentials)."""
    if status == 200:
        return passed("the refreshed access token lists the credentials")
    return failed(f"the refreshed access token does not work: getCredentials answered HTTP {status}", status=status)


@check("OBAPI-12", Category.PROTOCOL)
def revoked_token_is_refused(status: int | None) -> Verdict:
    """After RFC 7009 revocation, calls with the revoked token fail (401)."""
    if status == 401:
        return passed("the revoked token is refused with 401")
    if status is not None and 200 <= status < 300:
        return failed(f"the revoked token still works (HTTP {status})", status=status)
    return failed(f"the revoked token was answered HTTP {status}, not 401", status=status)
