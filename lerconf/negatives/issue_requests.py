"""Malformed issue requests: named defects a conforming issuer must refuse with 400/422."""
from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from lerconf.documents.templates import VC_V1, VC_V2, ob3_achievement_credential


def _drop(key: str) -> Callable[[dict[str, Any]], None]:
    return lambda c: c.pop(key, None)


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda c: c.__setitem__(key, value)


DEFECTS: dict[str, Callable[[dict[str, Any]], None]] = {
    "no @context": _drop("@context"),
    "a @context that is a number": _set("@context", 42),
    "the OB context before the VC base context": lambda c: c.__setitem__("@context", list(reversed(c["@context"][:2])) + c["@context"][2:]),
    "both VC 1.1 and 2.0 base contexts": lambda c: c.__setitem__("@context", [VC_V2, VC_V1, *c["@context"][1:]]),
    "no type": _drop("type"),
    "a type without VerifiableCredential": _set("type", ["OpenBadgeCredential"]),
    "a type that is a number": _set("type", 7),
    "no issuer": _drop("issuer"),
    "an issuer that is not a URL": _set("issuer", "not a url"),
    "an issuer object without id": lambda c: c["issuer"].pop("id"),
    "no credentialSubject": _drop("credentialSubject"),
    "a credentialSubject that is a string": _set("credentialSubject", "did:example:learner"),
    "validUntil before validFrom": _set("validUntil", "2020-01-01T00:00:00Z"),
    "a validFrom without time zone": _set("validFrom", "2026-01-15T09:00:00"),
    "a claim no context defines": lambda c: c["credentialSubject"].__setitem__("favouriteColour", "teal"),
}


def malformed_issue_request(issuer_id: str, defect: str) -> dict[str, Any]:
    """An otherwise valid OB 3.0 credential with exactly one named defect."""
    try:
        edit = DEFECTS[defect]
    except KeyError:
        raise KeyError(f"unknown issue-request defect {defect!r}; known: {', '.join(DEFECTS)}") from None
    credential = copy.deepcopy(ob3_achievement_credential(issuer_id))
    edit(credential)
    return credential
