"""Faulty verifiers that reject valid credentials depending on lerconf's status list or did:web,
with or without fetching them first ("the wire decides", lerconf.scenarios.reach).

These are not in ``faults.FAULTS``: a verifier that never fetches lerconf's documents is not
judged *failed* but *cannot be judged* (lerconf cannot tell it from a verifier that lerconf's
loopback address is out of reach of), so the catalogue's rule "the named scenarios fail or
break" does not fit them. ``tests/e2e/test_faulty_reach.py`` runs them.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from faulty.faults import Fault, Parts
from lerconf.crypto.did import did_web_url
from lerconf.errors import ResolutionError
from lerconf.refimpl.state import ReferenceState

VERIFY_CREDENTIAL = "/credentials/verify"
#: what every fault here answers instead of verifying (a 200 with verified: false, the bed's failure style)
REFUSAL_TITLE = "credential refused by the faulty verifier"

#: documents a credential depends on, as the faulty verifier sees them: (url, ...) or ()
Needs = Callable[[ReferenceState, dict[str, Any]], list[str]]


def status_lists(state: ReferenceState, credential: dict[str, Any]) -> list[str]:
    """The status lists a credential names."""
    status = credential.get("credentialStatus")
    entries = status if isinstance(status, list) else [status]
    return [e["statusListCredential"] for e in entries
            if isinstance(e, dict) and isinstance(e.get("statusListCredential"), str)]


def foreign_did_web(state: ReferenceState, credential: dict[str, Any]) -> list[str]:
    """The DID document of the credential's did:web issuer, when that is not the vendor's own."""
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if isinstance(issuer_id, str) and issuer_id.startswith("did:web:") and issuer_id != state.issuer_id:
        return [did_web_url(issuer_id)]
    return []


class RejectsDepending:
    """Answers ``/credentials/verify`` with verified: false for every credential that depends on a
    document ``needs`` names, after fetching those documents (``fetch``) or without a request at all.
    Every other credential is verified by the reference as usual."""

    def __init__(self, app: ASGIApp, state: ReferenceState, needs: Needs, *, fetch: bool) -> None:
        self.app, self.state, self.needs, self.fetch = app, state, needs, fetch

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != VERIFY_CREDENTIAL:
            await self.app(scope, receive, send)
            return
        raw = bytearray()
        while True:
            message = await receive()
            raw += message.get("body", b"")
            if not message.get("more_body", False):
                break
        try:
            credential = json.loads(raw).get("verifiableCredential")
        except (ValueError, AttributeError):
            credential = None
        urls = self.needs(self.state, credential) if isinstance(credential, dict) else []
        if not urls:
            await self.app(scope, _replay(bytes(raw), receive), send)
            return
        fetched = []
        if self.fetch:
            loader = self.state.verifier.resolver.loader  # the bed's loader: lerconf's did:web over loopback HTTP
            for url in urls:
                try:
                    await run_in_threadpool(loader.load_remote_json, url)
                    fetched.append(url)
                except ResolutionError as exc:
                    fetched.append(f"{url} (in vain: {exc})")
        detail = f"refused a credential depending on {', '.join(urls)}" + (f"; retrieved {', '.join(fetched)} first" if fetched else "")
        payload = json.dumps({"verified": False, "problemDetails": [
            {"type": "https://www.w3.org/TR/vc-data-model#PROOF_VERIFICATION_ERROR", "title": REFUSAL_TITLE,
             "detail": detail}]}).encode("utf-8")
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]})
        await send({"type": "http.response.body", "body": payload})


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = [False]

    async def replay() -> Message:
        if not sent[0]:
            sent[0] = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _rejects(needs: Needs, *, fetch: bool) -> Callable[[ReferenceState], Parts]:
    def install(state: ReferenceState) -> Parts:
        return Parts(middleware=[lambda app: RejectsDepending(app, state, needs, fetch=fetch)])
    return install


STATUS_CLEAR = ["Verifier accepts a credential whose status bit is clear (revocation)",
                "Verifier accepts a credential whose status bit is clear (suspension)"]
DI_19 = "Verifier rejects a credential signed with a key not authorized for assertions"

#: rejects valid credentials with a status entry and never fetches the list: cannot be judged
STATUS_UNFETCHED = Fault("verifier-rejects-status-unfetched", "verifier",
                         "rejects every credential with a status entry without fetching the status list",
                         ("BSL-18",), frozenset(STATUS_CLEAR), _rejects(status_lists, fetch=False),
                         because="the verifier did not reach")
#: fetches the status list, then rejects anyway: failed
STATUS_FETCHED = Fault("verifier-rejects-status-fetched", "verifier",
                       "fetches the status list, then rejects the credential although its bit is clear",
                       ("BSL-18",), frozenset(STATUS_CLEAR), _rejects(status_lists, fetch=True),
                       detected_as="failed", because="time(s) during this verification")
#: rejects credentials of a foreign did:web issuer without resolving it: DI-19 cannot be judged
DID_WEB_UNFETCHED = Fault("verifier-rejects-did-web-unfetched", "verifier",
                          "rejects every credential of another did:web issuer without resolving it",
                          ("DI-19",), frozenset({DI_19}), _rejects(foreign_did_web, fetch=False),
                          because="the verifier did not reach")
#: resolves the foreign did:web, then rejects anyway: the positive control was refused after a fetch
DID_WEB_FETCHED = Fault("verifier-rejects-did-web-fetched", "verifier",
                        "resolves another did:web issuer's DID document, then rejects its valid credential",
                        ("DI-19",), frozenset({DI_19}), _rejects(foreign_did_web, fetch=True),
                        because="time(s) during this verification")

REACH_FAULTS = [STATUS_UNFETCHED, STATUS_FETCHED, DID_WEB_UNFETCHED, DID_WEB_FETCHED]
