"""The reference Open Badges 3.0 / CLR 2.0 API consumer: what a correct Service Consumer does when
told where a host is (the ``ob_consumer`` trigger contract, lerconf.profile.obconsumer).

It reads the service description, registers (RFC 7591, every member OB 3.0 requires, URLs on one
host, ``redirect_uris`` as an array), authorizes with PKCE S256, a ``state`` and exactly the scopes
its operation needs, redeems the code with ``client_secret_basic``, then either upserts a badge
signed by the reference (Data Integrity as JSON, VC-JWT as ``text/plain``) or reads every page by
following ``Link: rel="next"`` and calls getProfile. A 401 at a resource is met with one refresh
and one retry, never a loop.

Each :class:`ConsumerRules` field turns one of those behaviours off, for the faulty consumer bed.
It talks to loopback hosts only (a trigger cannot make the reference call anywhere else), through
a plain HTTP client: lerconf's replay tells the consumer's requests from its own by User-Agent.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx

from lerconf import entropy
from lerconf.crypto.jose.encodings import JwtEncoding, iso
from lerconf.crypto.jose.sign import sign_jwt
from lerconf.crypto.signing import Signer
from lerconf.documents.netguard import default_tls
from lerconf.documents.templates import clr2_credential, ob3_achievement_credential
from lerconf.protocol.obapi import (
    CLR_API,
    CREDENTIAL_READONLY,
    CREDENTIAL_UPSERT,
    JSON_CONTENT_TYPES,
    JWS_CONTENT_TYPE,
    OB_API,
    PROFILE_READONLY,
    PROFILE_UPDATE,
    ApiSpec,
    authorization_request_url,
    basic_authorization,
    parse_links,
    parse_service_description,
    pkce_pair,
    registration_request,
)
from lerconf.refimpl.state import ReferenceState
from lerconf.version import __version__

__all__ = ["LOOP_RETRIES", "MAX_PAGES", "NEEDED_SCOPES", "ConsumerError", "ConsumerRules", "Order", "run_consumer"]

#: the scopes (short names) each operation needs, and no more
NEEDED_SCOPES = {"write": (CREDENTIAL_UPSERT,), "read": (CREDENTIAL_READONLY, PROFILE_READONLY)}
#: the page size the consumer asks for (the host may cap it lower)
LIMIT = 2
MAX_PAGES = 50
#: how often the faulty consumer without refresh sends a refused token again before it gives up
LOOP_RETRIES = 8
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
SUITE = "eddsa-rdfc-2022"


@dataclass(frozen=True)
class ConsumerRules:
    """What the reference consumer does right. All on by default; the faulty bed turns one off."""

    pkce: bool = True               # code_challenge S256 and code_verifier
    minimal_scopes: bool = True     # only the scopes its operation needs (off: all four)
    follow_next: bool = True        # read every page (off: the first only)
    jwt_as_text: bool = True        # a VC-JWT upserted as text/plain (off: as a JSON string, application/json)
    refresh_on_401: bool = True     # one refresh, one retry (off: the same token again and again)
    no_extensions: bool = True      # only the registration members OB 3.0 defines (off: one of its own besides)


@dataclass(frozen=True)
class Order:
    """What the trigger asked for: where the host is, which API and operation, which upsert format."""

    discovery_url: str
    api: str = "ob"
    operation: str = "read"
    format: str = "ldp_vc"

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> Order:
        """Read a trigger body; ValueError says what is wrong with it."""
        url, api, operation = body.get("discovery_url"), body.get("api", "ob"), body.get("operation")
        fmt = body.get("format", "ldp_vc")
        if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
            raise ValueError("discovery_url must be an http(s) URL")
        if api not in ("ob", "clr") or operation not in ("write", "read") or fmt not in ("ldp_vc", "jwt"):
            raise ValueError("api must be ob or clr, operation write or read, format ldp_vc or jwt")
        return cls(url, str(api), str(operation), str(fmt))


class ConsumerError(Exception):
    """The consumer could not do its job: what failed (the trigger answers it as the outcome)."""


class _Http:
    """One flow's HTTP client: loopback only, redirects never followed."""

    def __init__(self) -> None:
        # the default trust built once, not per flow (it reads the whole CA bundle)
        self.client = httpx.Client(trust_env=False, follow_redirects=False, timeout=20.0, verify=default_tls(trust_env=False))
        self.calls = 0

    def __enter__(self) -> _Http:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()

    def call(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or (parts.hostname or "") not in LOOPBACK:
            raise ConsumerError(f"the reference consumer only talks to loopback hosts, not {url!r}")
        self.calls += 1
        try:
            return self.client.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            raise ConsumerError(f"{method} {url}: {type(exc).__name__}") from None


def _json(response: httpx.Response, what: str) -> Mapping[str, Any]:
    try:
        body = response.json()
    except ValueError:
        body = None
    if not 200 <= response.status_code < 300 or not isinstance(body, Mapping):
        raise ConsumerError(f"{what}: HTTP {response.status_code}")
    return body


@dataclass
class _Tokens:
    client_id: str
    secret: str
    access: str = ""
    refresh: str = ""


class _Flow:
    """One run of the consumer against one host."""

    def __init__(self, state: ReferenceState, rules: ConsumerRules, order: Order, http: _Http) -> None:
        self.state, self.rules, self.order, self.http = state, rules, order, http
        self.spec: ApiSpec = CLR_API if order.api == "clr" else OB_API
        self.home = f"{state.base_url}/ob-consumer/"
        self.redirect_uri = self.home + "callback"  # never requested: the code is read off the redirect

    # -- discovery, registration, authorization, token -------------------------------------------
    def connect(self) -> _Tokens:
        document = _json(self.http.call("GET", self.order.discovery_url), "the service description")
        sdd = parse_service_description(document)
        if not (sdd.registration_url and sdd.authorization_url and sdd.token_url):
            raise ConsumerError("the service description names no registration, authorization or token URL")
        servers = document.get("servers")
        server = servers[0].get("url") if isinstance(servers, list) and servers and isinstance(servers[0], Mapping) else None
        self.resources = str(server).rstrip("/") if server else self.order.discovery_url.rsplit("/discovery", 1)[0]
        self.token_url = sdd.refresh_url or sdd.token_url
        names = NEEDED_SCOPES[self.order.operation] if self.rules.minimal_scopes else \
            (CREDENTIAL_READONLY, CREDENTIAL_UPSERT, PROFILE_READONLY, PROFILE_UPDATE)
        scopes = [self.spec.scope(n) for n in names]
        request = registration_request(client_uri=self.home, redirect_uris=[self.redirect_uri], scopes=scopes,
                                       client_name="lerconf reference consumer", software_id="lerconf-reference-consumer",
                                       software_version=__version__)
        if not self.rules.no_extensions:
            request["x_consumer_features"] = ["bulk-import"]
        registered = _json(self.http.call("POST", sdd.registration_url, json=request), "the registration")
        client_id, secret = registered.get("client_id"), registered.get("client_secret")
        if not isinstance(client_id, str) or not isinstance(secret, str):
            raise ConsumerError("the registration answer has no client_id and client_secret")
        tokens = _Tokens(client_id, secret)
        pkce = pkce_pair() if self.rules.pkce else None
        state = entropy.token_urlsafe(16)
        url = authorization_request_url(sdd.authorization_url, client_id=client_id, redirect_uri=self.redirect_uri,
                                        scopes=scopes, state=state, pkce=pkce)
        answer = self.http.call("GET", url)
        location = answer.headers.get("location", "")
        params = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
        if answer.status_code not in (302, 303) or not location.startswith(self.redirect_uri):
            raise ConsumerError(f"the authorization request was answered HTTP {answer.status_code}, not a redirect to "
                                "the redirect URI")
        if params.get("state") != state or "code" not in params:
            said = " ".join(filter(None, (params.get("error"), params.get("error_description"))))
            raise ConsumerError(f"the authorization failed: {said or 'the state differs or no code'}")
        form = {"grant_type": "authorization_code", "code": params["code"], "redirect_uri": self.redirect_uri}
        if pkce is not None:
            form["code_verifier"] = pkce.verifier
        self._tokens(tokens, form, "the token request")
        return tokens

    def _tokens(self, tokens: _Tokens, form: Mapping[str, str], what: str) -> None:
        answer = self.http.call("POST", self.token_url, data=dict(form),
                                headers={"Authorization": basic_authorization(tokens.client_id, tokens.secret)})
        body = _json(answer, what)
        if not isinstance(body.get("access_token"), str):
            raise ConsumerError(f"{what}: no access_token")
        tokens.access = str(body["access_token"])
        tokens.refresh = str(body.get("refresh_token") or tokens.refresh)

    # -- resources ---------------------------------------------------------------------------------
    def resource(self, tokens: _Tokens, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """A resource call; on 401 one refresh and one retry (or, faulty, a loop of the same token)."""
        headers = dict(kwargs.pop("headers", {}))
        answer = self.http.call(method, url, headers={**headers, "Authorization": f"Bearer {tokens.access}"}, **kwargs)
        if answer.status_code != 401:
            return answer
        if not self.rules.refresh_on_401:
            for _ in range(LOOP_RETRIES):
                answer = self.http.call(method, url, headers={**headers, "Authorization": f"Bearer {tokens.access}"},
                                        **kwargs)
                if answer.status_code != 401:
                    break
            return answer
        if not tokens.refresh:
            raise ConsumerError(f"{method} {url} was refused (401) and no refresh token was issued")
        self._tokens(tokens, {"grant_type": "refresh_token", "refresh_token": tokens.refresh}, "the refresh")
        return self.http.call(method, url, headers={**headers, "Authorization": f"Bearer {tokens.access}"}, **kwargs)

    def write(self, tokens: _Tokens) -> dict[str, Any]:
        """upsertCredential with a badge (or CLR) the reference signs now, in the order's format."""
        signer = Signer.did_key(self.state.keys.ed25519.key)  # resolvable by any host, wherever it runs
        issued = iso(entropy.utc_now().replace(microsecond=0))
        holder = self.state.keys.holder_id
        badge = ob3_achievement_credential(signer.controller, holder, credential_id=f"urn:uuid:{entropy.uuid4()}",
                                           valid_from=issued)
        processor = self.state.verifier.processor
        document = badge if self.order.api == "ob" else clr2_credential(
            signer.controller, holder, [signer.sign(badge, SUITE, processor)],
            credential_id=f"urn:uuid:{entropy.uuid4()}", valid_from=issued)
        url = f"{self.resources}/credentials"
        if self.order.format == "jwt":
            jws = sign_jwt(document, signer.key, signer.verification_method, JwtEncoding.OB30)
            if self.rules.jwt_as_text:
                answer = self.resource(tokens, "POST", url, content=jws.encode(), headers={"Content-Type": JWS_CONTENT_TYPE})
            else:
                answer = self.resource(tokens, "POST", url, content=json.dumps(jws).encode(),
                                       headers={"Content-Type": "application/json"})
        else:
            signed = signer.sign(document, SUITE, processor)
            answer = self.resource(tokens, "POST", url, content=json.dumps(signed).encode(),
                                   headers={"Content-Type": JSON_CONTENT_TYPES[0]})
        if answer.status_code not in (200, 201):
            raise ConsumerError(f"upsertCredential was answered HTTP {answer.status_code}")
        return {"upserted": document["id"], "status": answer.status_code}

    def read(self, tokens: _Tokens) -> dict[str, Any]:
        """getCredentials page by page along ``Link: rel="next"``, then getProfile."""
        url: str | None = f"{self.resources}/credentials?limit={LIMIT}&offset=0"
        seen: set[str] = set()
        read = pages = 0
        while url is not None and pages < MAX_PAGES and url not in seen:
            seen.add(url)
            page = self.resource(tokens, "GET", url)
            body = _json(page, "getCredentials")
            pages += 1
            read += sum(len(v) for k in ("credential", "compactJwsString") if isinstance(v := body.get(k), list))
            target = parse_links(page.headers.get("link")).get("next")
            url = urljoin(url, target) if target and self.rules.follow_next else None
        profile = self.resource(tokens, "GET", f"{self.resources}/profile")
        _json(profile, "getProfile")
        return {"pages": pages, "credentials": read}


def run_consumer(state: ReferenceState, rules: ConsumerRules, order: Order) -> dict[str, Any]:
    """Do the order against its host; what happened, as the trigger answers it. Raises ConsumerError."""
    with _Http() as http:
        flow = _Flow(state, rules, order, http)
        tokens = flow.connect()
        done = flow.write(tokens) if order.operation == "write" else flow.read(tokens)
        return {"outcome": "completed", "operation": order.operation, "calls": http.calls, **done}
