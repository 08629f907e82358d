"""What a VC API (VCALM) call answered, as data: an issued credential, a verifier's verdict, a
presented presentation. The VC API clients make these; checks and scenarios read them."""
from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from lerconf.exchange import Exchange
from lerconf.outcome import Outcome

__all__ = ["Issued", "Presented", "VerifierAnswer", "VerifierVerdict"]


class VerifierVerdict(str, enum.Enum):
    """What a verifier said about one credential or presentation."""

    ACCEPTED = "accepted"
    REJECTED = "rejected"
    INCONSISTENT = "inconsistent"   # status code and `verified` disagree
    BROKEN = "broken"               # 5xx, transport, auth or unreadable answer: no verdict at all


@dataclass(frozen=True)
class Issued:
    exchange: Exchange
    credential: Any  # dict (embedded proof), str (JWT) or None

    @property
    def outcome(self) -> Outcome:
        return self.exchange.outcome


@dataclass(frozen=True)
class VerifierAnswer:
    exchange: Exchange
    verdict: VerifierVerdict
    reason: str


@dataclass(frozen=True)
class Presented:
    exchange: Exchange
    presentation: Any
