"""Exchanges the reference holds: state, the VPR it asked, what the wallet presented, the outcome.

In memory, bounded and thread-safe, like the other reference stores; identifiers and challenges
come from lerconf.entropy so a recorded run replays.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from lerconf import entropy

__all__ = ["ExchangeRecord", "ExchangeStore", "Rules"]

PENDING, ACTIVE, COMPLETE = "pending", "active", "complete"


@dataclass(frozen=True)
class Rules:
    """What the reference enforces; every switch on. Faulty beds turn one off to prove lerconf notices."""

    require_did_authentication: bool = True
    check_challenge: bool = True
    #: issue to the DID the wallet authenticated as (off: to another DID)
    bind_to_authenticated_did: bool = True
    #: answer errors as RFC 9457 problem details (off: plain text)
    problem_details: bool = True
    #: GET …/request leaves the exchange as it is (off: it mints a new challenge)
    request_is_read_only: bool = True
    #: a verifying exchange refuses a credential outside its validity period (off: dates are not checked)
    check_validity_period: bool = True
    # What the issued badge looks like. Every value here conforms to Open Badges 3.0; ecosystem
    # profiles narrow them (LMC vcalm-eddsa: eddsa-rdfc-2022, OpenBadgeCredential, a status list).
    #: the cryptosuite the badge is signed with
    cryptosuite: str = "eddsa-rdfc-2022"
    #: the badge's type besides VerifiableCredential (OB 3.0 allows AchievementCredential too)
    badge_type: str = "OpenBadgeCredential"
    #: give the badge a revocation status entry (off: none; credentialStatus is optional in OB 3.0)
    with_status: bool = True


@dataclass
class ExchangeRecord:
    """One exchange: its workflow, state, the challenge it asked for and, once done, the outcome."""

    id: str
    workflow: str
    challenge: str
    domain: str
    state: str = PENDING
    sequence: int = 0
    result: dict[str, Any] = field(default_factory=dict)
    attempts: list[str] = field(default_factory=list)
    #: a step is being judged: a second one at the same time is refused (no double issuance)
    busy: bool = False


class ExchangeStore:
    """Exchanges by id; the oldest are forgotten first."""

    def __init__(self, rules: Rules | None = None, capacity: int = 2_000) -> None:
        self.rules = rules or Rules()
        self._items: OrderedDict[str, ExchangeRecord] = OrderedDict()
        self._capacity = capacity
        self.lock = threading.Lock()

    def create(self, workflow: str, domain: str) -> ExchangeRecord:
        record = ExchangeRecord(f"z{entropy.token_hex(12)}", workflow, entropy.token_urlsafe(24), domain)
        with self.lock:
            self._items[record.id] = record
            while len(self._items) > self._capacity:
                self._items.popitem(last=False)
        return record

    def get(self, exchange_id: str) -> ExchangeRecord | None:
        with self.lock:
            return self._items.get(exchange_id)

    def claim_step(self, record: ExchangeRecord) -> str | None:
        """Take the exchange for one completing step; why not, when it is complete or busy."""
        with self.lock:
            if record.state == COMPLETE:
                return "this exchange is complete: a step is never accepted twice"
            if record.busy:
                return "another step of this exchange is being processed"
            record.busy = True
            return None

    def new_challenge(self, record: ExchangeRecord) -> None:
        record.challenge = entropy.token_urlsafe(24)
