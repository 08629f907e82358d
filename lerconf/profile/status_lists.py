"""``status_lists:`` in a vendor profile: what the vendor's ecosystem says about status lists.

Bitstring Status List v1.0 requires at least 131,072 entries (16 KB at statusSize 1) unless an
ecosystem specifies a lower minimum; some LER ecosystems publish lists of 100,000 entries.
``status_lists: {minimum_entries: 100000}`` says so, and lerconf's own verifier (BSL-16) then
applies that minimum in the run, recorded in results.json and shown in the report.
"""
from __future__ import annotations

from typing import Any

from lerconf.checks.status import list_minimum_problem
from lerconf.profile.reader import Reader, no_unknown

__all__ = ["status_list_minimum"]


def status_list_minimum(r: Reader, raw: Any) -> int | None:
    """``status_lists: {minimum_entries: N}``: a whole number from 1 to 131,072, or None when unset."""
    m = r.mapping(raw, "status_lists")
    no_unknown(r, m, "status_lists", {"minimum_entries"})
    if "minimum_entries" not in m:
        if raw is not None:
            raise r.fail("status_lists.minimum_entries", "is required (or leave out status_lists)")
        return None
    value = m["minimum_entries"]
    problem = list_minimum_problem(value)
    if problem:
        raise r.fail("status_lists.minimum_entries", problem)
    return int(value)
