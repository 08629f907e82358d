"""How a generic step (``Then the <subject> satisfies "<id>"``) reaches the checks of an id.

Each subject a feature judges (the issuer's metadata, a token response, the verifier's request,
its verdict, …) has a table in its role's scenario module: requirement id -> the function that
gathers that id's facts from the scenario's objects and returns the CheckResults of the @check
functions registered for it. A step looks the id up with :func:`satisfied`, so every id is one
grep away: its checks, and the one table line that feeds them. No ``if requirement == …``.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lerconf.results import CheckResult

__all__ = ["Table", "satisfied"]

#: a subject's table: requirement id -> gatherer of the facts, returning the id's check results
Table = Mapping[str, Callable[..., "list[CheckResult]"]]


def satisfied(table: Table, requirement: str, *facts: Any) -> list[CheckResult]:
    """The results of ``requirement``'s entry in a subject's ``table``, on the scenario's ``facts``.
    An id the table does not know is a feature/library mismatch (KeyError), never a vendor failure."""
    if requirement not in table:
        raise KeyError(f"{requirement} is not judged on this subject (it judges {', '.join(table)})")
    return table[requirement](*facts)
