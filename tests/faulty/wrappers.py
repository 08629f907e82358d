"""Building blocks of faults: each replaces one piece of a reference instance's behaviour.

Everything here is per instance (the ``ReferenceState`` of one faulty server); nothing patches a
module, so the harness's own embedded reference and engine, running in the same process, stay
correct.
"""
from __future__ import annotations

import asyncio
import copy
import dataclasses
import json
from collections.abc import Callable, Mapping
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lerconf.crypto.did import DidResolver, ResolvedMethod
from lerconf.crypto.keys import PublicKey
from lerconf.crypto.signing import Signer
from lerconf.refimpl import issuer as ref_issuer
from lerconf.refimpl.problems import ProblemError, read_json_object
from lerconf.refimpl.state import ReferenceState, state_of
from lerconf.refimpl.validation import IssueRequest, parse_issue_request
from lerconf.results import CheckResult, Status
from lerconf.verify.engine import Verifier
from lerconf.verify.report import VerificationReport, VerifyOptions

VERIFY_PATHS = ("/credentials/verify", "/presentations/verify")
ISSUE_PATH = "/credentials/issue"


# -- verification engine ------------------------------------------------------------------------------
class FaultyEngine(Verifier):
    """lerconf's engine with one blind spot: options it overrides, results it never reports.

    Nested documents (credentials inside a presentation, status lists) go through the same
    ``verify_document``, so the blind spot applies to them too.
    """

    def __init__(self, base: Verifier, *, adjust: Callable[[Any, VerifyOptions], VerifyOptions] | None = None,
                 ignore: Callable[[CheckResult], bool] | None = None, skip_embedded: bool = False,
                 drop_nested: Callable[[VerificationReport], bool] | None = None) -> None:
        self.loader = base.loader
        self.processor = base.processor
        self.resolver = base.resolver
        self.refreshes = base.refreshes
        self._adjust = adjust
        self._ignore = ignore
        self._skip_embedded = skip_embedded
        self._drop_nested = drop_nested

    def verify_document(self, document: Any, source: str = "-", options: VerifyOptions | None = None) -> VerificationReport:
        options = options or VerifyOptions()
        if self._adjust is not None:
            options = self._adjust(document, options)
        report = super().verify_document(document, source, options)
        if self._ignore is not None:
            report.checks = [r for r in report.checks if not (r.status is Status.FAILED and self._ignore(r))]
        if self._skip_embedded and report.kind == "presentation":
            report.nested = []  # the presentation's proof is checked, the credentials in it never are
        if self._drop_nested is not None:  # nested reports it never makes (endorsements it never verifies)
            report.nested = [n for n in report.nested if not self._drop_nested(n)]
        return report


def is_endorsement(report: VerificationReport) -> bool:
    """A nested report of an endorsement (its source ends ``#...endorsement[i]`` or ``endorsementJwt[i]``)."""
    return "endorsement" in report.source.rpartition("#")[2]


def replace_engine(state: ReferenceState, **kwargs: Any) -> None:
    state.verifier = FaultyEngine(state.verifier, **kwargs)


class _AnySignature(PublicKey):
    """A public key that calls every signature valid."""

    def verify(self, signature: bytes, data: bytes, hash_name: str | None = None) -> bool:
        return True


class TrustingResolver(DidResolver):
    """Dereferences verification methods properly, but their keys accept any signature."""

    def dereference(self, vm_url: str) -> ResolvedMethod:
        resolved = super().dereference(vm_url)
        key = resolved.method.public_key
        method = dataclasses.replace(resolved.method, public_key=_AnySignature(key.curve, key.key))
        return dataclasses.replace(resolved, method=method)


def trust_every_signature(state: ReferenceState) -> None:
    engine = state.verifier
    engine.resolver = TrustingResolver(engine.resolver.loader)


# -- signers ----------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class EditingSigner(Signer):
    """Signs like the wrapped signer, with one edit of the document before or after signing."""

    before: Callable[[dict[str, Any], str, dict[str, Any]], None] | None = None
    after: Callable[[dict[str, Any], str], None] | None = None

    @classmethod
    def wrap(cls, signer: Signer, **edits: Any) -> EditingSigner:
        return cls(signer.key, signer.verification_method, signer.controller, **edits)

    def sign(self, document: Mapping[str, Any], suite: str, processor: Any, **options: Any) -> dict[str, Any]:
        doc = copy.deepcopy(dict(document))
        if self.before is not None:
            self.before(doc, suite, options)
        signed = super().sign(doc, suite, processor, **options)
        if self.after is not None:
            self.after(signed, suite)
        return signed


def edit_issuer_signers(state: ReferenceState, **edits: Any) -> None:
    """Credentials issued over HTTP get the edit; status lists keep their own (unwrapped) signer."""
    keys = state.keys
    state.keys = dataclasses.replace(keys, ed25519=EditingSigner.wrap(keys.ed25519, **edits),
                                     p256=EditingSigner.wrap(keys.p256, **edits))


def edit_holder_signer(state: ReferenceState, **edits: Any) -> None:
    state.keys = dataclasses.replace(state.keys, holder=EditingSigner.wrap(state.keys.holder, **edits))


# -- status registry --------------------------------------------------------------------------------
class DeafRegistry:
    """The instance's status registry, except that updates are acknowledged and not applied."""

    def __init__(self, registry: Any) -> None:
        self._registry = registry

    def __getattr__(self, name: str) -> Any:
        return getattr(self._registry, name)

    def update(self, credential_id: str, purpose: str, value: bool) -> int:
        index = self._registry.index_of(credential_id, purpose)
        if index is None:
            raise ProblemError(404, f"no credential {credential_id} was issued with a {purpose} status entry")
        return int(index)


# -- issue route variants ---------------------------------------------------------------------------
def issue_route(transform: Callable[[IssueRequest], IssueRequest]) -> Route:
    """The reference issue endpoint, with the parsed request changed before issuing."""

    async def issue(request: Request) -> Response:
        state = state_of(request)
        body = await read_json_object(request)
        parsed = transform(parse_issue_request(body, state.issuer_id))
        credential = await run_in_threadpool(ref_issuer.issue_credential, state, parsed)
        return JSONResponse({"verifiableCredential": credential}, status_code=201)

    return Route(ISSUE_PATH, issue, methods=["POST"])


def unvalidated_issue_route() -> Route:
    """An issue endpoint that refuses nothing: what it cannot issue properly, it signs as it is."""

    async def issue(request: Request) -> Response:
        state = state_of(request)
        body = await read_json_object(request)
        credential = body.get("credential")
        if not isinstance(credential, dict):
            raise ProblemError(400, "credential must be a JSON object")  # it cannot sign a non-object
        try:
            parsed = parse_issue_request(body, state.issuer_id)
            signed = await run_in_threadpool(ref_issuer.issue_credential, state, parsed)
        except ProblemError as refused:
            if refused.status != 400:
                raise
            signed = await run_in_threadpool(_sign_anything, state, credential)
        return JSONResponse({"verifiableCredential": signed}, status_code=201)

    return Route(ISSUE_PATH, issue, methods=["POST"])


def _sign_anything(state: ReferenceState, credential: dict[str, Any]) -> dict[str, Any]:
    """JCS signs the JSON as it is: no JSON-LD, so nothing can make it refuse."""
    return state.keys.ed25519.sign(credential, "eddsa-jcs-2022", state.verifier.processor)


# -- ASGI middleware -------------------------------------------------------------------------------
class ResponseRewriter:
    """Buffers the response of matching requests and lets ``rewrite`` change status and body."""

    def __init__(self, app: ASGIApp, paths: tuple[str, ...],
                 rewrite: Callable[[int, Any], tuple[int, Any]]) -> None:
        self.app, self.paths, self.rewrite = app, paths, rewrite

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in self.paths:
            await self.app(scope, receive, send)
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, capture)
        raw = b"".join(chunks)
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = None
        status, body = self.rewrite(int(start["status"]), body)
        payload = raw if body is None else json.dumps(body).encode("utf-8")
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(payload)).encode("ascii")))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})


class Delay:
    """Answers matching requests only after ``seconds`` (the request itself is served normally)."""

    def __init__(self, app: ASGIApp, paths: tuple[str, ...], seconds: float) -> None:
        self.app, self.paths, self.seconds = app, paths, seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] in self.paths:
            await asyncio.sleep(self.seconds)
        await self.app(scope, receive, send)
