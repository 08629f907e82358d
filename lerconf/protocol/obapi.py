"""The Open Badges 3.0 and CLR 2.0 REST APIs as data: base paths, scopes, the service
description, dynamic client registration (RFC 7591), PKCE (RFC 7636), paging ``Link`` headers
(RFC 8288), credential equality and comparison, and ``Imsx_StatusInfo`` bodies.

Pure functions and dataclasses, no HTTP: the consumer client (lerconf.clients.obapi), the checks
(lerconf.checks.obapi) and the embedded host read the same rules from here.
"""
from __future__ import annotations

import base64
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, unquote, urlencode, urlsplit

from authlib.oauth2.rfc7636 import create_s256_code_challenge

from lerconf import entropy
from lerconf.crypto.jose.compact import JwsParseError, parse_compact

__all__ = [
    "CLR_API",
    "CREDENTIAL_READONLY",
    "CREDENTIAL_UPSERT",
    "JSON_CONTENT_TYPES",
    "JWS_CONTENT_TYPE",
    "MAX_LINKS",
    "MAX_LINK_HEADER_CHARS",
    "OB_API",
    "OPERATION_SCOPES",
    "PROFILE_READONLY",
    "PROFILE_UPDATE",
    "REGISTRATION_ERRORS",
    "REGISTRATION_LOCALIZABLE",
    "REGISTRATION_OPTIONAL",
    "REGISTRATION_REQUIRED",
    "REGISTRATION_RESPONSE_REQUIRED",
    "ApiSpec",
    "Comparison",
    "ImsxStatus",
    "Links",
    "PkcePair",
    "ServiceDescription",
    "authorization_request_url",
    "basic_authorization",
    "compare",
    "equality_key",
    "imsx_status",
    "jws_payload",
    "parse_links",
    "parse_service_description",
    "pkce_pair",
    "read_imsx",
    "registration_request",
    "same_host",
    "valid_from",
]

CREDENTIAL_READONLY = "credential.readonly"
CREDENTIAL_UPSERT = "credential.upsert"
PROFILE_READONLY = "profile.readonly"
PROFILE_UPDATE = "profile.update"
#: operation -> the scope (short name) a token needs for it (OB 3.0 "Scopes")
OPERATION_SCOPES: Mapping[str, str] = {
    "getCredentials": CREDENTIAL_READONLY,
    "upsertCredential": CREDENTIAL_UPSERT,
    "getProfile": PROFILE_READONLY,
    "putProfile": PROFILE_UPDATE,
}
#: upsert bodies: Data Integrity credentials as JSON, VC-JWT as a compact JWS in plain text
JSON_CONTENT_TYPES = ("application/vc+ld+json", "application/json")
JWS_CONTENT_TYPE = "text/plain"

_SCHEMAS = "https://purl.imsglobal.org/spec/{spec}/schema/json/{prefix}_"


@dataclass(frozen=True)
class ApiSpec:
    """One of the two APIs (they differ in base path, scope URLs and schemas only)."""

    name: str
    base_path: str
    scope_prefix: str
    credentials_response_schema: str
    imsx_schema: str
    profile_schema: str

    def scope(self, short: str) -> str:
        """The full scope URL of ``credential.readonly`` and the like."""
        return self.scope_prefix + short

    @property
    def scopes(self) -> tuple[str, ...]:
        return tuple(self.scope(s) for s in OPERATION_SCOPES.values())

    def url(self, base_url: str, endpoint: str) -> str:
        """``https://host`` + base path + ``/credentials``; a base URL that already ends in the
        base path is not given it twice."""
        base = base_url.rstrip("/")
        if not base.endswith(self.base_path):
            base += self.base_path
        return f"{base}/{endpoint.lstrip('/')}"


def _api(name: str, spec: str, prefix: str, response: str) -> ApiSpec:
    schemas = _SCHEMAS.format(spec=spec, prefix=prefix)
    return ApiSpec(name, f"/ims/{spec}", f"https://purl.imsglobal.org/spec/{spec}/scope/",
                   f"{schemas}{response}_schema.json", f"{schemas}imsx_statusinfo_schema.json", f"{schemas}profile_schema.json")


OB_API = _api("Open Badges 3.0", "ob/v3p0", "ob_v3p0", "getopenbadgecredentialsresponse")
CLR_API = _api("CLR 2.0", "clr/v2p0", "clr_v2p0", "getclrcredentialsresponse")


# -- service description -------------------------------------------------------------------------
@dataclass(frozen=True)
class ServiceDescription:
    """What lerconf reads from a service description document (OpenAPI 3.0); None where absent."""

    openapi: str | None
    title: str | None
    terms_of_service: str | None
    privacy_policy_url: str | None
    scheme_name: str | None            # the oauth2 security scheme with an authorizationCode flow
    registration_url: str | None
    authorization_url: str | None
    token_url: str | None
    refresh_url: str | None
    scopes: tuple[str, ...] = ()


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def parse_service_description(document: Any) -> ServiceDescription:
    """Read the fields lerconf needs; never raises (the checks say what is missing).

    ``x-imssf-privacyPolicyUrl`` is read from ``info`` and, as the spec's example shows it, from
    the security scheme.
    """
    doc = _mapping(document)
    info = _mapping(doc.get("info"))
    schemes = _mapping(_mapping(doc.get("components")).get("securitySchemes"))
    name: str | None = None
    scheme: Mapping[str, Any] = {}
    flow: Mapping[str, Any] = {}
    for key, value in schemes.items():
        flows = value.get("flows") if isinstance(value, Mapping) else None
        code = flows.get("authorizationCode") if isinstance(flows, Mapping) else None
        if isinstance(value, Mapping) and value.get("type") == "oauth2" and isinstance(code, Mapping):
            name, scheme, flow = str(key), value, code
            break
    scopes = flow.get("scopes")
    return ServiceDescription(
        openapi=_str(doc.get("openapi")),
        title=_str(info.get("title")),
        terms_of_service=_str(info.get("termsOfService")),
        privacy_policy_url=_str(info.get("x-imssf-privacyPolicyUrl")) or _str(scheme.get("x-imssf-privacyPolicyUrl")),
        scheme_name=name,
        registration_url=_str(scheme.get("x-imssf-registrationUrl")),
        authorization_url=_str(flow.get("authorizationUrl")),
        token_url=_str(flow.get("tokenUrl")),
        refresh_url=_str(flow.get("refreshUrl")),
        scopes=tuple(str(s) for s in scopes) if isinstance(scopes, Mapping) else (),
    )


# -- registration (RFC 7591 as OB 3.0 profiles it) -----------------------------------------------
#: request members OB 3.0 "Register with Authorization Server" requires
REGISTRATION_REQUIRED = ("client_name", "client_uri", "logo_uri", "tos_uri", "policy_uri", "software_id",
                         "software_version", "redirect_uris", "scope")
#: request members the registration may carry besides the required ones: OB 3.0's optional ones and the rest
#: of RFC 7591 §2's client metadata (an authorization server ignores what it does not use); anything else is
#: an extension field, which a consumer does not send (OBAPI-13)
REGISTRATION_OPTIONAL = ("token_endpoint_auth_method", "grant_types", "response_types", "contacts", "jwks_uri", "jwks",
                         "software_statement")
#: RFC 7591 §2.2: human-readable members may come again with a language tag (``client_name#ja-Jpan-JP``)
REGISTRATION_LOCALIZABLE = ("client_name", "client_uri", "logo_uri", "tos_uri", "policy_uri")
#: response members besides the echoed metadata
REGISTRATION_RESPONSE_REQUIRED = ("client_id", "client_secret", "client_id_issued_at", "client_secret_expires_at")
#: RFC 7591 §3.2.2 error codes
REGISTRATION_ERRORS = frozenset({"invalid_redirect_uri", "invalid_client_metadata", "invalid_software_statement",
                                 "unapproved_software_statement"})
_URL_MEMBERS = ("client_uri", "logo_uri", "tos_uri", "policy_uri")


def same_host(urls: Sequence[str]) -> bool:
    """All URLs are https (or loopback http) on one host."""
    hosts = {urlsplit(u).hostname for u in urls}
    return len(hosts) == 1 and None not in hosts


def registration_request(*, client_uri: str, redirect_uris: Sequence[str], scopes: Sequence[str],
                         client_name: str = "lerconf conformance harness", software_id: str = "lerconf",
                         software_version: str = "1", logo_uri: str | None = None, tos_uri: str | None = None,
                         policy_uri: str | None = None, contacts: Sequence[str] = ()) -> dict[str, Any]:
    """A registration request with every member OB 3.0 requires, URLs on the client's host and
    ``redirect_uris`` as an array; a scenario deletes or changes one member for a negative.

    Raises ValueError when lerconf's own URLs break the one-host rule (a harness fault).
    """
    base = client_uri.rstrip("/")
    body: dict[str, Any] = {
        "client_name": client_name,
        "client_uri": client_uri,
        "logo_uri": logo_uri or f"{base}/logo.png",
        "tos_uri": tos_uri or f"{base}/terms",
        "policy_uri": policy_uri or f"{base}/privacy",
        "software_id": software_id,
        "software_version": software_version,
        "redirect_uris": list(redirect_uris),
        "token_endpoint_auth_method": "client_secret_basic",
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "scope": " ".join(scopes),
    }
    if contacts:
        body["contacts"] = list(contacts)
    urls = [body[m] for m in _URL_MEMBERS] + body["redirect_uris"]
    if not redirect_uris or not same_host(urls):
        raise ValueError("registration URLs must be non-empty and on one host: " + ", ".join(urls))
    return body


# -- authorization code + PKCE -------------------------------------------------------------------
@dataclass(frozen=True)
class PkcePair:
    """RFC 7636 verifier and its S256 challenge."""

    verifier: str = field(repr=False)
    challenge: str
    method: str = "S256"


def pkce_pair() -> PkcePair:
    """A fresh verifier (64 characters of [A-Za-z0-9], RFC 7636 §4.1 allows 43-128) and its S256
    challenge, drawn through lerconf.entropy so ``lerconf replay`` makes the same request."""
    verifier = entropy.alphanumeric(64)
    return PkcePair(verifier, create_s256_code_challenge(verifier))


def authorization_request_url(authorization_url: str, *, client_id: str, redirect_uri: str, scopes: Sequence[str],
                              state: str, pkce: PkcePair | None) -> str:
    """The authorization request (RFC 6749 §4.1.1 with PKCE); ``pkce=None`` builds the negative without it."""
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
              "scope": " ".join(scopes), "state": state}
    if pkce is not None:
        params.update(code_challenge=pkce.challenge, code_challenge_method=pkce.method)
    joiner = "&" if urlsplit(authorization_url).query else "?"
    return authorization_url + joiner + urlencode(params, quote_via=quote)


def basic_authorization(client_id: str, client_secret: str) -> str:
    """``client_secret_basic``: both parts form-urlencoded before base64 (RFC 6749 §2.3.1)."""
    raw = f"{quote(client_id, safe='')}:{quote(client_secret, safe='')}".encode()
    return "Basic " + base64.b64encode(raw).decode("ascii")


# -- paging: the Link header (RFC 8288) -----------------------------------------------------------
MAX_LINK_HEADER_CHARS = 16 * 1024
MAX_LINKS = 32
@dataclass(frozen=True)
class Links:
    """Link relations of one header: rel -> target (the first one of each rel), and what could not be read."""

    rels: Mapping[str, str] = field(default_factory=dict)
    problems: tuple[str, ...] = ()

    def get(self, rel: str) -> str | None:
        return self.rels.get(rel)


def parse_links(value: str | None) -> Links:
    """Parse a ``Link`` header: quoted or bare ``rel``, several rels in one value, any whitespace.

    A hand-written scanner, linear in the header's length (a regular expression over vendor text
    can backtrack for minutes); bounded: a header longer than MAX_LINK_HEADER_CHARS or with more
    than MAX_LINKS links is read only that far and says so.
    """
    if not value or not value.strip():
        return Links()
    scanner = _LinkScanner(value[:MAX_LINK_HEADER_CHARS])
    if len(value) > MAX_LINK_HEADER_CHARS:
        scanner.problems.append(f"Link header longer than {MAX_LINK_HEADER_CHARS} characters; read that far")
    scanner.run()
    return Links(scanner.rels, tuple(scanner.problems))


class _LinkScanner:
    """``link-value = "<" URI-Reference ">" *( OWS ";" OWS link-param )``, values separated by commas."""

    def __init__(self, text: str) -> None:
        self.text, self.pos = text, 0
        self.rels: dict[str, str] = {}
        self.problems: list[str] = []

    def _skip(self, chars: str = " \t\r\n") -> None:
        while self.pos < len(self.text) and self.text[self.pos] in chars:
            self.pos += 1

    def _fail(self, what: str) -> None:
        self.problems.append(f"unreadable Link value at character {self.pos} ({what}): {self.text[self.pos:self.pos + 40]!r}")

    def run(self) -> None:
        count = 0
        while True:
            self._skip(" \t\r\n,")
            if self.pos >= len(self.text):
                return
            count += 1
            if count > MAX_LINKS:
                self.problems.append(f"more than {MAX_LINKS} links; the rest ignored")
                return
            if not self._link():
                return

    def _link(self) -> bool:
        text = self.text
        if text[self.pos] != "<":
            self._fail("expected <")
            return False
        close = text.find(">", self.pos)
        if close < 0:
            self._fail("no closing >")
            return False
        target = text[self.pos + 1:close].strip()
        self.pos = close + 1
        while True:
            self._skip()
            if self.pos >= len(text) or text[self.pos] == ",":
                return True
            if text[self.pos] != ";":
                self._fail("expected ; or ,")
                return False
            self.pos += 1
            param = self._param()
            if param is None:
                return False
            name, param_value = param
            if name == "rel":
                for rel in param_value.lower().split():
                    self.rels.setdefault(rel, target)

    def _param(self) -> tuple[str, str] | None:
        text = self.text
        self._skip()
        start = self.pos
        while self.pos < len(text) and text[self.pos] not in "=;, \t\r\n":
            self.pos += 1
        name = text[start:self.pos].lower()
        if not name:
            self._fail("parameter without a name")
            return None
        self._skip()
        if self.pos >= len(text) or text[self.pos] != "=":
            return name, ""
        self.pos += 1
        self._skip()
        if self.pos < len(text) and text[self.pos] == '"':
            out: list[str] = []
            self.pos += 1
            while self.pos < len(text) and text[self.pos] != '"':
                if text[self.pos] == "\\" and self.pos + 1 < len(text):
                    self.pos += 1
                out.append(text[self.pos])
                self.pos += 1
            if self.pos >= len(text):
                self._fail("unterminated quoted value")
                return None
            self.pos += 1
            return name, "".join(out)
        start = self.pos
        while self.pos < len(text) and text[self.pos] not in ";,":
            self.pos += 1
        return name, text[start:self.pos].strip()


# -- equality and comparison (OB 3.0 "Credential Equality and Comparison") -----------------------
def _normal(value: Any) -> str | None:
    return unquote(value).strip() if isinstance(value, str) else None


def equality_key(credential: Mapping[str, Any]) -> tuple[str, str] | None:
    """(issuer id, credential id), each percent-decoded and trimmed; None when either is missing."""
    issuer = credential.get("issuer")
    issuer_id = _normal(issuer.get("id") if isinstance(issuer, Mapping) else issuer)
    cred_id = _normal(credential.get("id"))
    return (issuer_id, cred_id) if issuer_id and cred_id else None


def valid_from(credential: Mapping[str, Any]) -> datetime | None:
    """``validFrom`` (or OB 3.0's earlier ``issuanceDate``) as an aware datetime, None if absent or unreadable."""
    raw = credential.get("validFrom", credential.get("issuanceDate"))
    if not isinstance(raw, str):
        return None
    try:
        parsed = datetime.fromisoformat(raw.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class Comparison(str, enum.Enum):
    """How two credentials relate by the OB equality and comparison algorithm."""

    DIFFERENT = "different"
    NEWER = "newer"          # same credential, the first is newer (it replaces the second)
    OLDER = "older"
    SAME_AGE = "same age"


def compare(first: Mapping[str, Any], second: Mapping[str, Any]) -> Comparison:
    """Equal by issuer id + id; then the one with the later ``validFrom`` is the replacement."""
    key = equality_key(first)
    if key is None or key != equality_key(second):
        return Comparison.DIFFERENT
    a, b = valid_from(first), valid_from(second)
    if a is None or b is None or a == b:
        return Comparison.SAME_AGE
    return Comparison.NEWER if a > b else Comparison.OLDER


def jws_payload(compact: Any) -> Mapping[str, Any] | None:
    """The credential inside an OB 3.0 VC-JWT (its payload, the credential's members at top level
    or under ``vc``), unverified; None when it is not a compact JWS."""
    try:
        payload = parse_compact(compact, allow_sd_jwt=False).payload
    except JwsParseError:
        return None
    inner = payload.get("vc")
    return inner if isinstance(inner, Mapping) else payload


# -- Imsx_StatusInfo ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ImsxStatus:
    """The parts of an Imsx_StatusInfo body lerconf reads."""

    code_major: str
    severity: str
    description: str | None = None
    code_minor: tuple[str, ...] = ()


def imsx_status(code_major: str, severity: str, description: str | None = None,
                code_minor: Sequence[str] = ()) -> dict[str, Any]:
    """An Imsx_StatusInfo body (e.g. ``failure``/``error`` with minor code ``invalid_data``)."""
    body: dict[str, Any] = {"imsx_codeMajor": code_major, "imsx_severity": severity}
    if description:
        body["imsx_description"] = description
    if code_minor:
        body["imsx_codeMinor"] = {"imsx_codeMinorField": [
            {"imsx_codeMinorFieldName": "TargetEndSystem", "imsx_codeMinorFieldValue": v} for v in code_minor]}
    return body


def read_imsx(body: Any) -> ImsxStatus | None:
    """The status of an Imsx_StatusInfo body, or None when it has no code major and severity."""
    if not isinstance(body, Mapping):
        return None
    major, severity = body.get("imsx_codeMajor"), body.get("imsx_severity")
    if not isinstance(major, str) or not isinstance(severity, str):
        return None
    minor = body.get("imsx_codeMinor")
    fields = minor.get("imsx_codeMinorField") if isinstance(minor, Mapping) else None
    fields = [fields] if isinstance(fields, Mapping) else fields if isinstance(fields, list) else []
    codes = tuple(str(f["imsx_codeMinorFieldValue"]) for f in fields
                  if isinstance(f, Mapping) and isinstance(f.get("imsx_codeMinorFieldValue"), str))
    description = body.get("imsx_description")
    return ImsxStatus(major, severity, description if isinstance(description, str) else None, codes)
