"""Compare two runs' results.json: the scenarios only one has, and those whose status or
requirement ids differ. Exit 1 when they differ (a restructure must change neither).

    python tools/compare_results.py BEFORE/results.json AFTER/results.json
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def _index(path: Path) -> dict[str, tuple[str, tuple[str, ...]]]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return {s["id"]: (s["status"], tuple(s["requirement_ids"])) for s in data["scenarios"]}


def main(before: Path, after: Path) -> int:
    a, b = _index(before), _index(after)
    only_before, only_after = sorted(set(a) - set(b)), sorted(set(b) - set(a))
    changed = [(k, a[k], b[k]) for k in sorted(set(a) & set(b)) if a[k] != b[k]]
    for k in only_before:
        print(f"only before: {k}")
    for k in only_after:
        print(f"only after:  {k}")
    for k, was, now in changed:
        print(f"changed:     {k}: {was} -> {now}")
    print(f"{len(a)} scenarios before, {len(b)} after; {len(only_before)} only before, {len(only_after)} only after, "
          f"{len(changed)} changed")
    return 1 if only_before or only_after or changed else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
