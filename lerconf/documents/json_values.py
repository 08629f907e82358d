"""What parsed JSON is made of, for walks that look for objects and arrays."""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from json.encoder import encode_basestring
from typing import Any

__all__ = ["JSON_SCALARS", "nests_within", "pretty_json"]

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


def pretty_json(value: Any) -> str:
    """``json.dumps(value, indent=1, ensure_ascii=False, default=str)``, the same text, about twice as fast.

    Evidence is shown indented (Allure attachments, the HTML report), and the json module indents only in
    its pure-Python encoder, a generator per level: 3-4% of a run went there. Strings, numbers and anything
    else are still encoded by the json module; only the layout is done here. A mapping with a key that is
    not a string, or a structure too deep to recurse into, goes to json.dumps as it is."""
    out: list[str] = []
    try:
        _pretty(value, 0, out)
    except (_NotPlain, RecursionError):
        return json.dumps(value, indent=1, ensure_ascii=False, default=str)
    return "".join(out)


class _NotPlain(Exception):
    """A value json.dumps lays out differently from _pretty (a non-string key)."""


def _pretty(value: Any, level: int, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(encode_basestring(value))
    elif isinstance(value, dict):
        _members("{", "}", value.items(), True, level, out)
    elif isinstance(value, (list, tuple)):
        _members("[", "]", ((None, item) for item in value), False, level, out)
    else:  # numbers, booleans, null, and what default=str makes of anything else
        out.append(json.dumps(value, ensure_ascii=False, default=str))


def _members(opening: str, closing: str, members: Iterable[tuple[Any, Any]], keyed: bool, level: int,
             out: list[str]) -> None:
    """An object's (key, value) pairs or an array's items, one per line one level in; empty: ``{}`` / ``[]``."""
    inner = "\n" + " " * (level + 1)
    out.append(opening)
    start = len(out)
    for key, item in members:
        out.append(inner if len(out) == start else "," + inner)
        if keyed:
            if not isinstance(key, str):
                raise _NotPlain
            out.append(encode_basestring(key))
            out.append(": ")
        _pretty(item, level + 1, out)
    if len(out) == start:
        out[-1] = opening + closing
    else:
        out.append("\n" + " " * level + closing)
