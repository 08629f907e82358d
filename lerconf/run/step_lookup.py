"""pytest-bdd's step lookup, looked up once per step text instead of once per step run.

For every step of every scenario, pytest-bdd asks pytest, for each fixture name of the session (a few
hundred: every step definition is one), which definitions the scenario can see, then matches each
one's parser against the step's text. The answer depends only on the step's kind and text, on the
fixture manager, and on which definitions the scenario's file sees; lerconf registers its step
definitions once, as plugins, before any scenario runs. So it is found once per (file, kind, text)
and reused: the lookup was ~9% of a default run's CPU (issue 19).

pytest-bdd has no public seam for this; the module's function is replaced only when it has the
signature this was written against (pytest-bdd 8 and 9), and left alone otherwise.
"""
from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterable, Iterator
from typing import Any

__all__ = ["install", "remembering"]

_EXPECTED = ["step", "fixturemanager", "node"]
_MARK = "_lerconf_remembers"
_MEMO = "_lerconf_step_lookups"

Lookup = Callable[..., Iterable[Any]]


def remembering(lookup: Lookup) -> Lookup:
    """``lookup`` answered from memory for a step text it has seen in the same file of the same session."""

    def find(step: Any, fixturemanager: Any, node: Any) -> Iterator[Any]:
        # kept on the session's fixture manager: the definitions found hold the session, and a memo
        # anywhere else (even weakly keyed) would keep every finished session of the process alive
        known: dict[tuple[str, Any, str], tuple[Any, ...]] = vars(fixturemanager).setdefault(_MEMO, {})
        key = (node.nodeid.split("::", 1)[0], step.type, step.name)
        found = known.get(key)
        if found is None:
            found = known[key] = tuple(lookup(step=step, fixturemanager=fixturemanager, node=node))
        return iter(found)

    setattr(find, _MARK, True)
    return find


def install() -> bool:
    """Put the remembering lookup in pytest-bdd's place (once); False where its lookup is not the known one."""
    # the module, not the function pytest_bdd exports under the same name
    bdd_scenario: Any = importlib.import_module("pytest_bdd.scenario")
    original = getattr(bdd_scenario, "find_fixturedefs_for_step", None)
    if original is None:
        return False
    if getattr(original, _MARK, False):
        return True
    if list(inspect.signature(original).parameters) != _EXPECTED:
        return False
    bdd_scenario.find_fixturedefs_for_step = remembering(original)
    return True
