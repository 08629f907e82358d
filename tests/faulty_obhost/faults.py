"""The catalogue: each fault breaks one thing of the reference OB 3.0 / CLR 2.0 host (a field of
lerconf.refimpl.obhost.Rules, or a wrapper that alters one kind of answer), names the scenarios
that must catch it, the requirement ids they carry and a phrase of the reason.

``keyword`` scopes a fault's run (``lerconf run -k``) to the scenarios its fault can reach plus
their neighbours, to keep the bed fast; ``None`` runs every ob_provider scenario. ``collateral``
is what a fault legitimately does to the other scenarios: a host whose service description needs a
token cannot be used at all, so everything else is *broken* (no usable prerequisite), never failed
and never passed.
"""
from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

APIS = ("ob", "clr")


def each(template: str, apis: tuple[str, ...] = APIS) -> frozenset[str]:
    return frozenset(template.format(api=api) for api in apis)


DISCOVERY = "The host publishes its service description to anyone, without credentials ({api})"
NO_SOFTWARE_ID = "The host refuses a registration with no software_id ({api})"
NO_PKCE = "The host gives no code to a login request without PKCE ({api})"
CODE_REUSE = "The host refuses a code that was already used ({api})"
WITHOUT_SCOPE = "The host answers 403 to {endpoint} with a token that lacks its scope ({api})"
WITHOUT_TOKEN = "The host answers 401 to {endpoint} without a valid access token ({kind})"
PAGING = "The host pages the credentials with links to the first, last, next and previous page ({api})"
UPSERT = "The host stores a new credential, then replaces it with a newer one ({api}, {fmt})"
READ_BACK = "A stored credential reads back unchanged, and a newer one replaces it ({api})"
LISTED = "Every credential the host lists is one lerconf can verify ({api})"
UPSERT_DEFECT = "The host refuses {defect} with a 4xx and an Imsx_StatusInfo body ({api})"
REVOKED = "A host that supports revocation refuses a revoked access token ({api})"

#: the 401 / 403 / bad-upsert rows of features/ob_provider/ob-api-provider-negative.feature
UNAUTHENTICATED = frozenset(WITHOUT_TOKEN.format(endpoint=e, kind=k) for e, k in (
    ("getCredentials", "no access token"), ("getCredentials", "a token the host never issued"),
    ("upsertCredential", "no access token"), ("getProfile", "no access token"), ("putProfile", "no access token")))
UNSCOPED = frozenset(WITHOUT_SCOPE.format(endpoint=e, api="ob") for e in (
    "getCredentials", "upsertCredential", "getProfile", "putProfile")) | {WITHOUT_SCOPE.format(endpoint="getCredentials",
                                                                                              api="clr")}
BAD_UPSERTS = frozenset(UPSERT_DEFECT.format(defect=d, api="ob") for d in (
    "a tampered credential", "an unsigned credential", "a JSON credential sent as text/plain")) | {
    UPSERT_DEFECT.format(defect="a tampered credential", api="clr")}

#: pytest -k over the scenario test names (features/ob_provider), by what a fault can reach
K_REGISTRATION = "registration or register"
K_LOGIN = "pkce or code or state"
K_PAGES = "pages or reads_back"


# -- wrappers: one kind of answer altered --------------------------------------------------------------------
Rewrite = Callable[[str, str, int, list[tuple[bytes, bytes]], bytes], tuple[int, list[tuple[bytes, bytes]], bytes]]


def answer_rewriter(rewrite: Rewrite) -> Callable[[ASGIApp], ASGIApp]:
    """An ASGI wrapper that buffers each HTTP answer and hands it to ``rewrite(method, path, status,
    headers, body)``; Content-Length is set again for the new body."""
    def wrap(app: ASGIApp) -> ASGIApp:
        async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            start: dict[str, Any] = {}
            chunks: list[bytes] = []

            async def capture(message: Message) -> None:
                if message["type"] == "http.response.start":
                    start.update(message)
                elif message["type"] == "http.response.body":
                    chunks.append(message.get("body", b""))
                    if not message.get("more_body", False):
                        status, headers, body = rewrite(scope["method"], scope["path"], start["status"],
                                                        list(start.get("headers", [])), b"".join(chunks))
                        headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
                        headers.append((b"content-length", str(len(body)).encode()))
                        await send({"type": "http.response.start", "status": status, "headers": headers})
                        await send({"type": "http.response.body", "body": body})

            await app(scope, receive, capture)
        return wrapped
    return wrap


def _html_errors(method: str, path: str, status: int, headers: list[tuple[bytes, bytes]],
                 body: bytes) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """Every Imsx_StatusInfo error of the API answered as the web framework's HTML error page."""
    if status < 400 or b"imsx_codeMajor" not in body:
        return status, headers, body
    page = f"<!doctype html><html><head><title>{status} Error</title></head><body><h1>{status}</h1></body></html>"
    headers = [(k, v) for k, v in headers if k.lower() != b"content-type"]
    return status, [*headers, (b"content-type", b"text/html; charset=utf-8")], page.encode()


def _unverifiable_listing(method: str, path: str, status: int, headers: list[tuple[bytes, bytes]],
                          body: bytes) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """getCredentials lists the first credential of each page with its name changed after signing."""
    if method != "GET" or not path.endswith("/credentials") or status != 200:
        return status, headers, body
    doc = json.loads(body)
    listed = doc.get("credential") or []
    if listed and isinstance(listed[0], dict):
        listed[0]["name"] = f"{listed[0].get('name', '')} (edited by the host)"
    return status, headers, json.dumps(doc).encode()


@dataclass(frozen=True)
class HostFault:
    name: str
    rules: dict[str, Any] = field(default_factory=dict)
    detected_by: frozenset[str] = frozenset()
    requirements: tuple[str, ...] = ()
    because: str = ""
    keyword: str | None = None
    wrapper: Callable[[ASGIApp], ASGIApp] | None = None
    #: the verdict every scenario outside ``detected_by`` must have (``passed`` but for discovery)
    collateral: str = "passed"
    #: a phrase no reason may hold: the blame of what the fault left right
    never: str = ""
    number: int = 0

    @property
    def vendor_name(self) -> str:
        """A number, not the fault's name: ``-k`` matches the vendor in a scenario's id, and the
        names share words (token, code, upsert) with the scenarios' titles."""
        return f"faulty OB host #{self.number}" if self.number else f"OB host ({self.name})"

    def __str__(self) -> str:
        return self.name


CLEAN = HostFault("clean")

FAULTS = [
    HostFault("discovery-requires-a-token", {"discovery_public": False}, each(DISCOVERY), ("OBAPI-01",),
              "HTTP 401: the discovery endpoint asks for credentials", keyword=f"service or {K_REGISTRATION}",
              collateral="broken", never="lacks openapi"),
    HostFault("registration-without-software-id", {"require_software_id": False},
              frozenset({NO_SOFTWARE_ID.format(api="ob"), NO_SOFTWARE_ID.format(api="clr")}), ("OBAPI-02",),
              "the defective registration was accepted (HTTP 201)", keyword=K_REGISTRATION),
    HostFault("registration-urls-on-another-host", {"same_host_urls": False},
              frozenset({"The host refuses a registration with its terms and policy on another host (ob)"}), ("OBAPI-02",),
              "the defective registration was accepted (HTTP 201)", keyword=K_REGISTRATION),
    HostFault("pkce-not-enforced", {"require_pkce": False}, each(NO_PKCE), ("OBAPI-03",),
              "an authorization request without PKCE was granted a code", keyword=K_LOGIN),
    HostFault("code-accepted-twice", {"codes_single_use": False}, each(CODE_REUSE), ("OBAPI-03",),
              "the reused code was exchanged for a token (HTTP 200)", keyword=K_LOGIN),
    HostFault("read-only-token-can-upsert", {"check_upsert_scope": False},
              frozenset({WITHOUT_SCOPE.format(endpoint="upsertCredential", api="ob")}), ("OBAPI-05",),
              "a token without the operation's scope was served (HTTP 201)", keyword="403 or upsert or stores",
              never="Imsx_StatusInfo"),
    HostFault("link-without-last", {"link_last": False}, each(PAGING), ("OBAPI-07",),
              "the Link header lacks last", keyword=K_PAGES),
    HostFault("link-without-next", {"link_next": False}, each(PAGING), ("OBAPI-07",),
              "no Link next at offset 0", keyword=K_PAGES, never="X-Total-Count"),
    HostFault("next-on-the-last-page", {"next_ends": False}, each(PAGING), ("OBAPI-07",),
              "Link next on the last page", keyword=K_PAGES),
    HostFault("wrong-x-total-count", {"total_count_skew": 3}, each(PAGING), ("OBAPI-07",),
              "X-Total-Count says", keyword=K_PAGES, never="no Link next"),
    HostFault("new-upsert-answered-200", {"created_status": 200},
              frozenset(UPSERT.format(api=a, fmt=f) for a in APIS for f in ("ldp_vc", "jwt")), ("OBAPI-08",),
              "HTTP 200 for a new credential, expected 201", keyword="stores or reads_back or upsert"),
    HostFault("upsert-loses-a-field", {"dropped_member": "credentialSchema"}, each(READ_BACK), ("OBAPI-09",),
              "the credential read back lost 1", keyword="reads_back or stores or lists"),
    HostFault("stores-a-tampered-credential", {"verify_upserts": False},
              frozenset({UPSERT_DEFECT.format(defect="a tampered credential", api=a) for a in APIS}), ("OBAPI-11",),
              "HTTP 201 where a 4xx error was due", keyword="refuses or stores"),
    HostFault("lists-a-credential-that-does-not-verify", wrapper=answer_rewriter(_unverifiable_listing),
              detected_by=each(LISTED), requirements=("OBAPI-06",), because="signature does not verify [credential 1]",
              keyword=f"lists or {K_PAGES}"),
    HostFault("errors-as-html", wrapper=answer_rewriter(_html_errors), detected_by=UNAUTHENTICATED | UNSCOPED
              | BAD_UPSERTS | {WITHOUT_TOKEN.format(endpoint="getCredentials", kind="no access token")},
              requirements=("OBAPI-05", "OBAPI-11"), because="the error body is not JSON, not Imsx_StatusInfo",
              keyword="401 or 403 or refuses"),
    HostFault("revoked-token-still-works", {"revocation": False}, each(REVOKED, ("ob",)), ("OBAPI-12",),
              "the revoked token still works", keyword="revo or refresh"),
]
FAULTS = [dataclasses.replace(fault, number=n) for n, fault in enumerate(FAULTS, 1)]
