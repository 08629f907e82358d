"""The fewest entries a Bitstring Status List may hold (BSL-16): the spec's default of 131,072, or a
lower minimum an ecosystem sets (a vendor profile's ``status_lists.minimum_entries`` or
``--status-list-minimum``), with where it came from, for BSL-16's message and the run's record."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lerconf.crypto.status_list import MIN_LIST_ENTRIES

__all__ = ["ListMinimum", "list_minimum_problem"]


@dataclass(frozen=True)
class ListMinimum:
    """The fewest entries a status list may hold (BSL-16), and who set that number.

    Bitstring Status List's default is 131,072 entries (16 KB at statusSize 1); the spec lets an
    ecosystem specify a lower minimum, so a vendor profile (``status_lists.minimum_entries``) or the
    command line (``--status-list-minimum``) may lower it. It is never raised: a verifier that wanted
    more than the spec's default would refuse lists the spec makes conformant. ``source`` says
    where a lowered value came from ("vendor profile acme.yaml", "--status-list-minimum").
    """

    entries: int = MIN_LIST_ENTRIES
    source: str = ""

    def __post_init__(self) -> None:
        problem = list_minimum_problem(self.entries)
        if problem:
            raise ValueError(problem)

    @property
    def lowered(self) -> bool:
        return self.entries < MIN_LIST_ENTRIES

    def describe(self) -> str:
        """Which minimum applied and where it came from, as BSL-16's message says it."""
        if not self.lowered:
            return f"the spec's default {MIN_LIST_ENTRIES:,}"
        return (f"ecosystem minimum {self.entries} set by {self.source or 'the caller'}; "
                f"the spec's default is {MIN_LIST_ENTRIES:,}")

    def to_json(self) -> dict[str, Any]:
        """As results.json records it (run metadata)."""
        return {"entries": self.entries, "default": MIN_LIST_ENTRIES, "lowered": self.lowered,
                "source": self.source if self.lowered else "Bitstring Status List default"}


def list_minimum_problem(value: Any) -> str | None:
    """Why ``value`` cannot be a status list minimum (None when it can): a whole number of entries
    from 1 to the spec's default 131,072."""
    if not isinstance(value, int) or isinstance(value, bool):
        return f"must be a whole number of entries, got {value!r}"
    if value < 1:
        return f"must be at least 1 entry, got {value}"
    if value > MIN_LIST_ENTRIES:
        return (f"{value} is above Bitstring Status List's default minimum of {MIN_LIST_ENTRIES:,} entries; an "
                "ecosystem may only lower it (a list of 131,072 entries is conformant)")
    return None
