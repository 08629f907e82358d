"""Badges lerconf hands a person to open: ``GET /display/{token}/{name}``.

A displayer or a verifier web page has no API: an operator opens each badge in it (a link, the
JSON file, a baked PNG or SVG). lerconf publishes what it made for that under an unguessable
path per item, so the name says nothing of what the badge is (valid, revoked, tampered) and a
displayer cannot learn the expected answer from the URL. Fetches are recorded on the wire
(lerconf.refimpl.wire: ``/display/`` is a fetched prefix), so the operator page's timeline shows
when the displayer itself opened a link.
"""
from __future__ import annotations

import secrets
import threading

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from lerconf.refimpl.problems import ProblemError
from lerconf.refimpl.state import ReferenceState, state_of

__all__ = ["ROUTES", "publish"]

PREFIX = "/display/"
_LOCK = threading.Lock()


def publish(state: ReferenceState, name: str, data: bytes, media_type: str) -> str:
    """Serve ``data`` at a fresh opaque path ending in ``name`` (e.g. ``badge.png``); returns the path."""
    if "/" in name or not name:
        raise ValueError(f"a published name is one path segment, not {name!r}")
    with _LOCK:
        path = f"{PREFIX}{secrets.token_urlsafe(12)}/{name}"
        state.displayed[path] = (media_type, data)
    return path


async def served(request: Request) -> Response:
    found = state_of(request).displayed.get(request.url.path)
    if found is None:
        raise ProblemError(404, "nothing published here")
    media_type, data = found
    return Response(data, media_type=media_type, headers={"Cache-Control": "no-store"})


ROUTES = [Route(PREFIX + "{token}/{name}", served, methods=["GET", "HEAD"])]
