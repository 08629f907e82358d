"""The verdict of an OID4VP verifier on one transaction, as lerconf (the wallet) observed it: plain
data the verdict checks (lerconf.checks.oid4vp, VP-04..08, VP-12) judge. How it is observed
(result hook, direct_post status, redirect) is lerconf.clients.oid4vp's business.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["Observation", "Seen"]


class Seen(str, enum.Enum):
    SUCCESS = "success"
    FAILURE = "failure"
    NOT_OBSERVABLE = "not_observable"
    BROKEN = "broken"          # the verifier (or its hook) gave no usable answer


@dataclass(frozen=True)
class Observation:
    """The verifier's verdict on one transaction, as lerconf observed it, and from where."""

    seen: Seen
    reason: str
    source: str

    def __str__(self) -> str:
        return f"{self.seen.value} ({self.source}: {self.reason})"
