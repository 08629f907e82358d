"""What parsed JSON is made of, for walks that look for objects and arrays."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["JSON_SCALARS", "nests_within"]

#: the types json.loads gives for anything but an object or an array: nothing nests below them, so a walk
#: looking for objects skips them by one set lookup (``isinstance(x, Mapping)`` on every string was a
#: measurable part of a verification, issue 19)
JSON_SCALARS = frozenset({str, int, float, bool, type(None)})


def nests_within(document: Any, limit: int) -> bool:
    """True when ``document`` nests objects and arrays no deeper than ``limit`` (a container at depth
    ``limit`` or more, the root being 0, is too deep). Iterative and visiting only the containers: it runs
    before every compiled validation, and cost more than the validation itself as a recursion."""
    stack: list[tuple[Any, int]] = [(document, 0)]
    pop, push = stack.pop, stack.append
    while stack:
        node, depth = pop()
        kind = type(node)
        if kind is dict:
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        elif kind in JSON_SCALARS or not isinstance(node, Mapping):
            continue
        else:
            children = node.values()
        if depth >= limit:
            return False
        for child in children:
            if type(child) not in JSON_SCALARS:
                push((child, depth + 1))
    return True
