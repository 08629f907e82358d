"""The 1EdTech credential refresh services (OB-25) the reference runs for lerconf's own badges.

A badge lerconf signs for a verifier scenario can name ``{"id": <URL>, "type":
"1EdTechCredentialRefresh"}`` as its ``refreshService``; a GET of that URL answers the refreshed badge
(1EdTech Verifiable Credential Refresh Service 1.0, as Open Badges 3.0 verification step 3 uses it).
Each refresh service is its own opaque path, ``/refresh/<name>``, published for one badge, so every
call to it is a call about that badge. The path is a fetched prefix of the wire log
(lerconf.refimpl.wire): a scenario counts who called it and when, and so tells a verifier that
refreshes once, after the proof check, from one that refreshes a forged badge or again and again.
What is served is plain JSON, the refreshed credential as it was signed; it never changes.
"""
from __future__ import annotations

import json
import threading
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from lerconf import entropy
from lerconf.refimpl.problems import ProblemError
from lerconf.refimpl.state import ReferenceState, state_of

__all__ = ["PREFIX", "ROUTES", "new_service", "publish"]

#: where refresh services are served, under the reference's base URL
PREFIX = "/refresh/"
#: the most refresh services one instance keeps (a run makes a few per OB-25 scenario)
MAX_SERVICES = 10_000
#: OB 3.0's media type for a JSON credential
MEDIA_TYPE = "application/vc+ld+json"
_LOCK = threading.Lock()


def new_service(state: ReferenceState) -> str:
    """The URL of a new refresh service, with nothing to serve yet (404 until :func:`publish`)."""
    name = entropy.token_hex(8)
    with _LOCK:
        if len(state.refreshed) >= MAX_SERVICES:
            raise ProblemError(503, "too many refresh services")
        state.refreshed[name] = None
    return f"{state.base_url}{PREFIX}{name}"


def publish(state: ReferenceState, url: str, refreshed: dict[str, Any]) -> None:
    """Serve ``refreshed`` at the refresh service ``url`` (made by :func:`new_service`)."""
    name = url.rpartition(PREFIX)[2]
    with _LOCK:
        if name not in state.refreshed:
            raise KeyError(f"no refresh service {url}")
        state.refreshed[name] = json.dumps(refreshed).encode("utf-8")


async def refresh(request: Request) -> Response:
    body = state_of(request).refreshed.get(request.path_params["name"])
    if body is None:
        raise ProblemError(404, "no refreshed credential here")
    return Response(body, media_type=MEDIA_TYPE, headers={"Cache-Control": "no-store"})


ROUTES = [Route(PREFIX + "{name}", refresh, methods=["GET"])]
