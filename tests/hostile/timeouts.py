"""The ``timeouts:`` a hostile-bed vendor's profile gets, by its misbehaviour.

A stall is judged by lerconf's timeouts, so the vendors whose misbehaviour *is* a stall get tight
ones (the bed stays short and the reason names the timeout). Every other misbehaviour is answered at
once; its verdict must not hang on how quickly a busy CI machine schedules the bed's server thread,
so those vendors get room: with a 0.5 s read timeout a redirect loop was once judged a read timeout
on a loaded two-core machine, not "more than 5 redirects".
"""
from __future__ import annotations

#: the stalls, with the timeouts that judge them (their reasons name these figures)
STALLING: dict[str, dict[str, float]] = {
    "never": {"connect": 1.0, "read": 0.5, "total": 2.0},          # read timeout after 0.5 s
    "stall-headers": {"connect": 1.0, "read": 0.5, "total": 2.0},  # timeout after 0.5 s waiting for the body
    "trickle": {"connect": 1.0, "read": 1.5, "total": 2.0},        # total time limit of 2 s exceeded
}
ROOMY: dict[str, float] = {"connect": 2.0, "read": 5.0, "total": 10.0}


def timeouts_for(behaviour: str) -> dict[str, float]:
    """The profile's ``timeouts:`` for a vendor misbehaving as ``behaviour``."""
    return dict(STALLING.get(behaviour, ROOMY))


def call_bound_ms(behaviour: str) -> float:
    """The longest one call to that vendor may take: connect, the total limit, and scheduling slack."""
    t = timeouts_for(behaviour)
    return (t["connect"] + t["total"] + 1.5) * 1000


def run_bound_s(requests_by_behaviour: dict[str, int]) -> float:
    """What the vendors' calls may take at most, each its connect and total limits."""
    return sum(n * (timeouts_for(b)["connect"] + timeouts_for(b)["total"]) for b, n in requests_by_behaviour.items())
