"""pytest-bdd's step lookup, looked up once per step text instead of once per step run.

For every step of every scenario, pytest-bdd asks pytest, for each fixture name of the session (a few
hundred: every step definition is one), which definitions the scenario can see, then matches each
one's parser against the step's text. The answer depends only on the step's kind and text, on the
fixture manager, and on which definitions the scenario's file sees; lerconf registers its step
definitions once, as plugins, before any scenario runs. So the definitions a file sees are found
once per file, each (file, kind, text) is matched against them once, and the answer reused: the lookup
was ~9% of a default run's CPU (issue 19).

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
#: (fixture manager, node) -> every step definition the node sees, as (fixture definition, step context)
Definitions = Callable[[Any, Any], list[tuple[Any, Any]]]


def remembering(lookup: Lookup, definitions: Definitions | None = None) -> Lookup:
    """``lookup`` answered from memory for a step text it has seen in the same file of the same session.

    With ``definitions``, a text not seen yet is matched against the definitions the file sees, found once
    per file, instead of asking pytest again for every fixture name (``lookup``'s way, for each new text)."""

    def find(step: Any, fixturemanager: Any, node: Any) -> Iterator[Any]:
        # kept on the session's fixture manager: the definitions found hold the session, and a memo
        # anywhere else (even weakly keyed) would keep every finished session of the process alive
        memo: dict[Any, Any] = vars(fixturemanager).setdefault(_MEMO, {})
        file = node.nodeid.split("::", 1)[0]
        key = (file, step.type, step.name)
        found = memo.get(key)
        if found is None:
            if definitions is None:
                found = tuple(lookup(step=step, fixturemanager=fixturemanager, node=node))
            else:
                seen = memo.get(file)
                if seen is None:
                    seen = memo[file] = definitions(fixturemanager, node)
                found = tuple(fixturedef for fixturedef, context in seen
                              if (context.type is None or context.type == step.type) and context.parser.is_matching(step.name))
            memo[key] = found
        return iter(found)

    setattr(find, _MARK, True)
    return find


def _definitions_of(bdd_scenario: Any) -> Definitions | None:
    """The visible step definitions, found the way pytest-bdd's lookup finds them (every fixture name, the
    definitions pytest lets the node see, those that are steps), when its module has the same helpers."""
    names = getattr(bdd_scenario, "get_fixture_names", None)
    visible = getattr(bdd_scenario, "getfixturedefs", None)
    registry = getattr(bdd_scenario, "step_function_context_registry", None)
    if names is None or visible is None or registry is None:
        return None

    def definitions(fixturemanager: Any, node: Any) -> list[tuple[Any, Any]]:
        found = []
        for name in names(fixturemanager=fixturemanager):
            for fixturedef in visible(fixturemanager, name, node) or []:
                context = registry.get(fixturedef.func)
                if context is not None:
                    found.append((fixturedef, context))
        return found

    return definitions


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
    bdd_scenario.find_fixturedefs_for_step = remembering(original, _definitions_of(bdd_scenario))
    return True
