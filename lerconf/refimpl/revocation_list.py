"""1EdTech Revocation Lists (OB-26) the reference publishes, beside its Bitstring Status Lists.

Open Badges 3.0 names a second status method, ``1EdTechRevocationList``: the credential's entry
``{"id": <list URL>, "type": "1EdTechRevocationList"}`` points at a list that names revoked
credentials by id. Such a list is served here at ``/status-lists/1edtech/<name>`` (under
``/status-lists/``, so the wire log counts who fetched it, lerconf.refimpl.wire), one list per
name, each on behalf of one issuer: the list names that issuer, and a verifier takes it for the
badge's own only when the two agree (lerconf.checks.revocation_list). Lists are plain JSON, as the
method publishes them (no proof). The registry lives on the instance's status registry, so two
instances never share lists.
"""
from __future__ import annotations

import threading
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from lerconf import entropy
from lerconf.refimpl.problems import ProblemError
from lerconf.refimpl.state import state_of

__all__ = ["LIST_PATH", "ROUTES", "RevocationLists"]

#: where a list is served, under the reference's base URL
LIST_PATH = "/status-lists/1edtech"
#: the most lists one instance keeps (a run makes one per OB-26 scenario)
MAX_LISTS = 10_000


class RevocationLists:
    """Named lists of revoked credential ids, each published for one issuer (thread-safe)."""

    def __init__(self) -> None:
        self._lists: dict[str, tuple[str, dict[str, str]]] = {}
        self._lock = threading.Lock()

    def create(self, issuer_id: str) -> str:
        """A new, empty list for ``issuer_id``; returns its name (its URL's last segment)."""
        name = entropy.token_hex(8)
        with self._lock:
            if len(self._lists) >= MAX_LISTS:
                raise ProblemError(503, "too many revocation lists")
            self._lists[name] = (issuer_id, {})
        return name

    def revoke(self, name: str, credential_id: str, reason: str = "") -> None:
        """List ``credential_id`` as revoked (final: a revoked id is never taken off a list)."""
        with self._lock:
            if name not in self._lists:
                raise KeyError(f"no revocation list {name!r}")
            self._lists[name][1][credential_id] = reason

    def document(self, name: str, url: str) -> dict[str, Any] | None:
        """The list as the method publishes it: its URL, issuer and revoked credentials."""
        with self._lock:
            found = self._lists.get(name)
            if found is None:
                return None
            issuer, revoked = found[0], dict(found[1])
        return {"id": url, "issuer": issuer,
                "revokedCredentials": [{"id": cid, **({"revocationReason": why} if why else {})}
                                       for cid, why in revoked.items()]}


def lists_of(request: Request) -> RevocationLists:
    lists: RevocationLists = state_of(request).status.revocation_lists
    return lists


async def get_revocation_list(request: Request) -> Response:
    name = request.path_params["name"]
    state = state_of(request)
    document = lists_of(request).document(name, f"{state.base_url}{LIST_PATH}/{name}")
    if document is None:
        raise ProblemError(404, f"no 1EdTech revocation list {name!r}")
    return JSONResponse(document, headers={"Cache-Control": "no-cache"})


ROUTES = [Route(f"{LIST_PATH}/{{name}}", get_revocation_list, methods=["GET"])]
