"""Status list service: random index allocation, status updates, signed BitstringStatusLists.

One list per purpose (``revocation``, ``suspension``) of ``MIN_LIST_ENTRIES`` entries. Indexes
are drawn at random (BSL-09); revocation is final and suspension can be lifted (BSL-10); a
list is re-signed the first time it is served after a change, ``validFrom`` = the change. Lists
are served as ``application/vc``, or under the JSON-LD/JSON label an ``Accept`` header prefers.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from lerconf import entropy
from lerconf.crypto.status_list import (
    MIN_LIST_ENTRIES,
    build_status_list_credential,
    encode_status_list,
)
from lerconf.refimpl import revocation_list
from lerconf.refimpl.problems import (
    ProblemError,
    bad_request,
    read_json_object,
    reject_unknown,
    require_object,
)
from lerconf.refimpl.state import state_of

if TYPE_CHECKING:
    from lerconf.crypto.signing import Signer
    from lerconf.documents.jsonld import Processor

__all__ = ["ENTRY_TYPE", "MEDIA_TYPES", "PURPOSES", "ROUTES", "StatusRegistry", "negotiate"]

ENTRY_TYPE = "BitstringStatusListEntry"
PURPOSES = ("revocation", "suspension")
LIST_SUITE = "eddsa-rdfc-2022"
#: what a status list is served as, the default first (see ``negotiate``)
MEDIA_TYPES = ("application/vc", "application/ld+json", "application/vc+ld+json", "application/json")
TTL_MS = 1000


def _now() -> datetime:
    return entropy.utc_now()


@dataclass
class _List:
    set_indexes: set[int]
    used: set[int]
    changed_at: datetime = field(default_factory=_now)
    signed: dict[str, Any] | None = None


class StatusRegistry:
    """Thread-safe: issuance, status updates and list requests arrive on different threads."""

    def __init__(self, lists_url: str, signer: Signer, issuer_id: str, processor: Processor,
                 *, length: int = MIN_LIST_ENTRIES, ttl_ms: int = TTL_MS) -> None:
        self.lists_url = lists_url
        self.length = length
        self.ttl_ms = ttl_ms
        self._signer = signer
        self._issuer_id = issuer_id
        self._processor = processor
        self._lists = {p: _List(set(), set()) for p in PURPOSES}
        self._credentials: dict[tuple[str, str], int] = {}
        self._lock = threading.RLock()
        #: the instance's 1EdTech Revocation Lists (OB-26), served beside its bitstring lists
        self.revocation_lists = revocation_list.RevocationLists()
        #: probe lists (token -> Cache-Control): the revocation list's bits under a URL of their own
        self._probes: dict[str, str] = {}

    def list_url(self, purpose: str) -> str:
        return f"{self.lists_url}/{purpose}"

    # -- issuance ---------------------------------------------------------------------
    def reserve(self, credential_id: str, purpose: str) -> dict[str, Any]:
        """Take a random unused index for ``credential_id`` and return its status entry."""
        with self._lock:
            if (credential_id, purpose) in self._credentials:
                raise ProblemError(409, f"credential {credential_id} already has a {purpose} status entry; "
                                        "issue it under a new id")
            lst = self._lists[purpose]
            if len(lst.used) >= self.length:
                raise ProblemError(503, f"the {purpose} status list is full")
            while (index := entropy.randbelow(self.length)) in lst.used:
                pass
            lst.used.add(index)
            self._credentials[(credential_id, purpose)] = index
        url = self.list_url(purpose)
        return {"id": f"{url}#{index}", "type": ENTRY_TYPE, "statusPurpose": purpose,
                "statusListIndex": str(index), "statusListCredential": url}

    def release(self, credential_id: str, purpose: str) -> None:
        """Undo ``reserve`` when signing the credential failed."""
        with self._lock:
            index = self._credentials.pop((credential_id, purpose), None)
            if index is not None:
                self._lists[purpose].used.discard(index)

    # -- updates ----------------------------------------------------------------------
    def index_of(self, credential_id: str, purpose: str) -> int | None:
        with self._lock:
            return self._credentials.get((credential_id, purpose))

    def update(self, credential_id: str, purpose: str, value: bool) -> int:
        """Set or clear the bit; 404 for an unknown credential, 400 to un-revoke."""
        with self._lock:
            index = self._credentials.get((credential_id, purpose))
            if index is None:
                raise ProblemError(404, f"no credential {credential_id} was issued with a {purpose} status entry")
            lst = self._lists[purpose]
            if purpose == "revocation" and not value and index in lst.set_indexes:
                raise bad_request(f"credential {credential_id} is revoked; revocation is irreversible")
            before = index in lst.set_indexes
            (lst.set_indexes.add if value else lst.set_indexes.discard)(index)
            if before != value:
                lst.signed, lst.changed_at = None, _now()
            return index

    # -- a recording's side channel (lerconf.run.tapes) ---------------------------------
    def snapshot(self) -> dict[str, Any]:
        """Which bits are set and which credentials hold which index, now."""
        with self._lock:
            return {"set": {p: sorted(lst.set_indexes) for p, lst in self._lists.items()},
                    "credentials": [[c, p, i] for (c, p), i in self._credentials.items()]}

    def changes_since(self, before: dict[str, Any]) -> dict[str, Any]:
        now = self.snapshot()
        known = {(c, p) for c, p, _ in before["credentials"]}
        return {"set": {p: [i for i in now["set"][p] if i not in set(before["set"].get(p, []))] for p in now["set"]},
                "cleared": {p: [i for i in before["set"].get(p, []) if i not in set(now["set"][p])] for p in now["set"]},
                "credentials": [e for e in now["credentials"] if (e[0], e[1]) not in known]}

    def apply_changes(self, changes: dict[str, Any]) -> None:
        """Make the changes a recorded exchange made (its status updates reached this registry then)."""
        with self._lock:
            for credential, purpose, index in changes.get("credentials", []):
                self._credentials[(str(credential), str(purpose))] = int(index)
                self._lists[str(purpose)].used.add(int(index))
            for purpose, indexes in changes.get("set", {}).items():
                if indexes:
                    self._lists[purpose].set_indexes.update(int(i) for i in indexes)
                    self._lists[purpose].signed = None
            for purpose, indexes in changes.get("cleared", {}).items():
                if indexes:
                    self._lists[purpose].set_indexes.difference_update(int(i) for i in indexes)
                    self._lists[purpose].signed = None

    def is_set(self, purpose: str, index: int) -> bool:
        with self._lock:
            return index in self._lists[purpose].set_indexes

    # -- publication ------------------------------------------------------------------
    def probe(self, cache_control: str) -> str:
        """A fresh URL that serves the revocation list's current bits (signed for that URL) with
        ``cache_control``: a verifier's fetches of it, counted in the wire log, show whether it
        honours Cache-Control (lerconf.checks.ecosystem.status_cache_problems). Its entries are the
        revocation list's: an index reserved there is valid or revoked here alike."""
        token = entropy.token_hex(8)
        with self._lock:
            self._probes[token] = cache_control
        return f"{self.lists_url}/probe/{token}"

    def signed_probe(self, token: str) -> tuple[dict[str, Any], str] | None:
        """(the probe list signed for its URL, its Cache-Control), or None for an unknown token."""
        with self._lock:
            cache_control = self._probes.get(token)
            if cache_control is None:
                return None
            lst = self._lists["revocation"]
            valid_from = lst.changed_at.replace(microsecond=0).isoformat().replace("+00:00", "Z")
            doc = build_status_list_credential(
                f"{self.lists_url}/probe/{token}", encode_status_list(sorted(lst.set_indexes), length=self.length),
                "revocation", issuer=self._issuer_id, valid_from=valid_from, ttl=self.ttl_ms)
        return self._signer.sign(doc, LIST_SUITE, self._processor), cache_control

    def signed_list(self, purpose: str) -> dict[str, Any]:
        """The current signed status list credential, re-signed after any change."""
        with self._lock:
            lst = self._lists[purpose]
            if lst.signed is None:
                # validFrom is when this content took effect, not when it was signed: a verifier
                # that fixed its clock before fetching must not see a list from its future.
                valid_from = lst.changed_at.replace(microsecond=0).isoformat().replace("+00:00", "Z")
                url = self.list_url(purpose)
                doc = build_status_list_credential(
                    url, encode_status_list(sorted(lst.set_indexes), length=self.length), purpose,
                    issuer=self._issuer_id, valid_from=valid_from, ttl=self.ttl_ms,
                )
                lst.signed = self._signer.sign(doc, LIST_SUITE, self._processor)
            return lst.signed


def negotiate(accept: str | None) -> str:
    """The media type to serve a status list credential as, for an ``Accept`` header.

    ``application/vc`` (BSL §4, VCDM 2.0 §6.3) unless the client asks for a JSON-LD or JSON
    label it prefers: a client that parses only ``application/ld+json`` or ``application/json``
    bodies gets the same document under that label. A type named outright beats a wildcard of
    the same quality; a header that names nothing offered gets ``application/vc``."""
    best, best_rank = MEDIA_TYPES[0], (0.0, 0)
    for offered in MEDIA_TYPES:
        rank = _rank(accept or "", offered)
        if rank > best_rank:
            best, best_rank = offered, rank
    return best


def _rank(accept: str, offered: str) -> tuple[float, int]:
    """(q, specificity) of the Accept range that best matches ``offered``; (0, 0) when none does."""
    main = offered.split("/", 1)[0]
    found: tuple[float, int] = (0.0, 0)
    for item in accept.split(","):
        kind, *params = (part.strip() for part in item.split(";"))
        kind = kind.lower()
        specificity = 3 if kind == offered else 2 if kind == f"{main}/*" else 1 if kind == "*/*" else 0
        if not specificity:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        if q > 0 and specificity > found[1]:
            found = (q, specificity)
    return found


async def get_status_list(request: Request) -> Response:
    purpose = request.path_params["purpose"]
    if purpose not in PURPOSES:
        raise ProblemError(404, f"no status list {purpose!r}; lists: {', '.join(PURPOSES)}")
    registry = state_of(request).status
    doc = await run_in_threadpool(registry.signed_list, purpose)
    max_age = max(registry.ttl_ms // 1000, 0)
    return JSONResponse(doc, media_type=negotiate(request.headers.get("accept")),
                        headers={"Cache-Control": f"public, max-age={max_age}", "Vary": "Accept"})


async def get_probe_list(request: Request) -> Response:
    """A probe list (StatusRegistry.probe), served with the Cache-Control it was made with."""
    found = await run_in_threadpool(state_of(request).status.signed_probe, request.path_params["token"])
    if found is None:
        raise ProblemError(404, "no such probe status list")
    doc, cache_control = found
    return JSONResponse(doc, media_type=negotiate(request.headers.get("accept")),
                        headers={"Cache-Control": cache_control, "Vary": "Accept"})


async def update_status(request: Request) -> Response:
    """VCALM Update Status (API-06): {credentialId, credentialStatus: {type, statusPurpose}, status}."""
    body = await read_json_object(request)
    reject_unknown(body, {"credentialId", "credentialStatus", "status"}, "request")
    credential_id = body.get("credentialId")
    if not isinstance(credential_id, str) or not credential_id:
        raise bad_request("credentialId must be a non-empty string")
    entry = require_object(body.get("credentialStatus"), "credentialStatus")
    reject_unknown(entry, {"type", "statusPurpose", "id", "statusListIndex", "statusListCredential"}, "credentialStatus")
    if entry.get("type") != ENTRY_TYPE:
        raise bad_request(f"credentialStatus.type must be {ENTRY_TYPE}, got {entry.get('type')!r}")
    purpose = entry.get("statusPurpose")
    if purpose not in PURPOSES:
        raise bad_request(f"credentialStatus.statusPurpose must be one of {', '.join(PURPOSES)}, got {purpose!r}")
    value = body.get("status")
    if not isinstance(value, bool):
        raise bad_request(f"status must be true or false, got {value!r}")
    registry = state_of(request).status
    known = registry.index_of(credential_id, purpose)
    if known is not None and "statusListIndex" in entry and entry["statusListIndex"] != str(known):
        raise bad_request(f"statusListIndex {entry['statusListIndex']!r} is not this credential's index")
    if known is not None and "statusListCredential" in entry and entry["statusListCredential"] != registry.list_url(purpose):
        raise bad_request("statusListCredential does not name this server's list for that purpose")
    index = registry.update(credential_id, purpose, value)
    return JSONResponse({"credentialId": credential_id, "statusPurpose": purpose,
                         "statusListIndex": str(index), "status": value})


ROUTES = [
    Route("/status-lists/{purpose}", get_status_list, methods=["GET"]),
    Route("/status-lists/probe/{token}", get_probe_list, methods=["GET"]),
    Route("/credentials/status", update_status, methods=["POST"]),
    *revocation_list.ROUTES,  # /status-lists/1edtech/{name} (lerconf/refimpl/revocation_list.py)
]
