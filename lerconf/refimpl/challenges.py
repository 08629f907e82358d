"""Challenges minted by the reference verifier and how often each has been used (API-15)."""
from __future__ import annotations

import threading
from collections import OrderedDict

from lerconf import entropy

__all__ = ["ChallengeStore"]


class ChallengeStore:
    """Bounded, thread-safe: the oldest challenges are forgotten first."""

    def __init__(self, capacity: int = 10_000) -> None:
        self._uses: OrderedDict[str, int] = OrderedDict()
        self._capacity = capacity
        self._lock = threading.Lock()

    def mint(self) -> str:
        challenge = entropy.token_urlsafe(24)
        with self._lock:
            self._uses[challenge] = 0
            while len(self._uses) > self._capacity:
                self._uses.popitem(last=False)
        return challenge

    def record_use(self, challenge: str) -> int | None:
        """Count one verification with ``challenge``; its use count, or None if we never minted it."""
        with self._lock:
            if challenge not in self._uses:
                return None
            self._uses[challenge] += 1
            return self._uses[challenge]

    def uses(self, challenge: str) -> int | None:
        with self._lock:
            return self._uses.get(challenge)
