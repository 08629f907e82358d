"""pretty_json gives exactly json.dumps(value, indent=1, ensure_ascii=False, default=str), faster: over every
JSON document in ../shared and lerconf's own vectors, and the values whose layout or encoding differ."""
from __future__ import annotations

import json
import math
from collections import OrderedDict
from decimal import Decimal
from enum import IntEnum
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, VECTORS_DIR
from lerconf.documents.json_values import pretty_json


def _stdlib(value: Any) -> str:
    return json.dumps(value, indent=1, ensure_ascii=False, default=str)


def _documents() -> list[tuple[str, Any]]:
    roots = [VECTORS_DIR.parent / "examples", VECTORS_DIR, VECTORS_DIR.parent / "contexts", REPO / "vectors"]
    found = []
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in (".json", ".jsonld") and path.is_file():
                try:
                    found.append((str(path), json.loads(path.read_text(encoding="utf-8"))))
                except (ValueError, UnicodeDecodeError):
                    continue
    return found


def test_every_shared_document_is_laid_out_as_json_dumps_does() -> None:
    documents = _documents()
    assert len(documents) >= 300
    differ = [name for name, doc in documents if pretty_json(doc) != _stdlib(doc)]
    assert differ == []


class _Level(IntEnum):
    HIGH = 3


@pytest.mark.parametrize("value", [
    {}, [], (), "", {"a": {}}, {"a": []}, [[], {}, [[]]], ("t", 1, (2,)),
    {"é": "ünïcødé ✓ \u2028 \x00 \"quoted\" \\ back"}, {"n": [0, -1, 1.5, 1e300, -0.0, 10**30, True, False, None]},
    {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}, OrderedDict([("b", 1), ("a", 2)]),
    {"level": _Level.HIGH, "decimal": Decimal("1.10"), "path": Path("/x/y"), "bytes": b"\xff", "set": {1}},
    {1: "int key", "s": "str key"}, {None: 1}, {"deep": [[[[{"x": [1, {"y": "z"}]}]]]]},
    object(),
], ids=lambda v: type(v).__name__)
def test_values_whose_layout_or_encoding_differ_are_written_the_same(value: Any) -> None:
    assert pretty_json(value) == _stdlib(value)


def test_a_structure_too_deep_to_recurse_into_is_left_to_json_dumps() -> None:
    deep: Any = []
    for _ in range(5000):
        deep = [deep]
    with pytest.raises(RecursionError):
        _stdlib(deep)
    with pytest.raises(RecursionError):
        pretty_json(deep)  # the same failure json.dumps gives, not a text of its own
