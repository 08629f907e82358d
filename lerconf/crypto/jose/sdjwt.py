"""Apply SD-JWT disclosures (RFC 9901 §7.1) to rebuild the disclosed document.

Digests are checked against the ``_sd`` arrays and ``{"...": digest}`` array elements of the
signed payload, so an unsigned claim cannot be slipped in as a disclosure. Problems are
collected as messages for the caller's checks, not raised.
"""
from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from lerconf.crypto.encoding import b64url_decode, b64url_encode

_HASHES = {"sha-256": hashlib.sha256, "sha-384": hashlib.sha384, "sha-512": hashlib.sha512}
_RESERVED = {"_sd", "...", "_sd_alg"}


@dataclass
class Disclosed:
    document: Any
    problems: list[str] = field(default_factory=list)
    disclosed_claims: list[str] = field(default_factory=list)


def apply_disclosures(payload: dict[str, Any], disclosures: tuple[str, ...]) -> Disclosed:
    """Replace digests by the disclosed values; report unknown, duplicate or malformed ones."""
    alg = payload.get("_sd_alg", "sha-256")
    hasher = _HASHES.get(alg) if isinstance(alg, str) else None
    if hasher is None:
        return Disclosed(copy.deepcopy(payload), [f"unsupported _sd_alg {alg!r}"])
    by_digest: dict[str, list[Any]] = {}
    problems: list[str] = []
    for disclosure in disclosures:
        digest = b64url_encode(hasher(disclosure.encode("ascii")).digest())
        try:
            value = json.loads(b64url_decode(disclosure))
        except (ValueError, UnicodeDecodeError):
            problems.append("a disclosure is not base64url JSON")
            continue
        if not isinstance(value, list) or len(value) not in (2, 3) or not isinstance(value[0], str):
            problems.append("a disclosure is not a [salt, (name,) value] array")
            continue
        if digest in by_digest:
            problems.append("the same disclosure appears twice")
        by_digest[digest] = value
    state = Disclosed(None, problems)
    used: set[str] = set()
    state.document = _walk(copy.deepcopy(payload), by_digest, used, state)
    for digest in set(by_digest) - used:
        state.problems.append(f"disclosure with digest {digest} is not referenced by the signed payload")
    return state


def _walk(node: Any, by_digest: dict[str, list[Any]], used: set[str], state: Disclosed) -> Any:
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in ("_sd", "_sd_alg"):
                continue
            out[key] = _walk(value, by_digest, used, state)
        for digest in node.get("_sd", []) if isinstance(node.get("_sd"), list) else []:
            found = by_digest.get(digest) if isinstance(digest, str) else None
            if found is None:
                continue  # undisclosed claim
            if len(found) != 3 or not isinstance(found[1], str):
                state.problems.append("an object-property disclosure has no claim name")
                continue
            if digest in used:
                state.problems.append("a digest is referenced twice")
            used.add(digest)
            name = found[1]
            if name in _RESERVED or name in out:
                state.problems.append(f"disclosed claim {name!r} is reserved or already present")
                continue
            out[name] = _walk(found[2], by_digest, used, state)
            state.disclosed_claims.append(name)
        return out
    if isinstance(node, list):
        items: list[Any] = []
        for item in node:
            if isinstance(item, dict) and set(item) == {"..."}:
                found = by_digest.get(item["..."]) if isinstance(item["..."], str) else None
                if found is None:
                    continue
                if len(found) != 2:
                    state.problems.append("an array-element disclosure has a claim name")
                    continue
                used.add(item["..."])
                items.append(_walk(found[1], by_digest, used, state))
            else:
                items.append(_walk(item, by_digest, used, state))
        return items
    return node
