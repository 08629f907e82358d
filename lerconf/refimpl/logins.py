"""Authorization responses a person's browser brought back to lerconf (``login: person``), kept by
``state`` until the login waiting for each takes it (the route: lerconf.refimpl.login_callback)."""
from __future__ import annotations

import threading
import time
from collections import OrderedDict

__all__ = ["MAX_KEPT", "MAX_PARAMS", "MAX_VALUE", "LoginCallbacks"]

#: answers kept at once (the oldest are forgotten), parameters per answer, characters per value
MAX_KEPT, MAX_PARAMS, MAX_VALUE = 64, 16, 4096


class LoginCallbacks:
    """Authorization responses that arrived, by their ``state``, for the login waiting on each."""

    def __init__(self) -> None:
        self._kept: OrderedDict[str, dict[str, str]] = OrderedDict()
        self._arrived = threading.Condition()

    def record(self, params: dict[str, str]) -> bool:
        """Keep one response; False when it has no state (nobody could be waiting for it)."""
        state = params.get("state")
        if not state:
            return False
        with self._arrived:
            self._kept[state] = params
            while len(self._kept) > MAX_KEPT:
                self._kept.popitem(last=False)
            self._arrived.notify_all()
        return True

    def wait(self, state: str, timeout_s: float) -> dict[str, str] | None:
        """The response carrying ``state``, once it arrived, or None at the deadline."""
        deadline = time.monotonic() + timeout_s
        with self._arrived:
            while state not in self._kept:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._arrived.wait(min(left, 1.0))
            return self._kept.pop(state)
