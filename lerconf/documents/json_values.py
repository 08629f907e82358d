"""What parsed JSON is made of, for walks that look for objects and arrays."""
from __future__ import annotations

__all__ = ["JSON_SCALARS"]

#: the types json.loads gives for anything but an object or an array: nothing nests below them, so a walk
#: looking for objects skips them by one set lookup (``isinstance(x, Mapping)`` on every string was a
#: measurable part of a verification, issue 19)
JSON_SCALARS = frozenset({str, int, float, bool, type(None)})
