"""Compare two runs' results.json: the scenarios only one has, and those whose status or
requirement ids differ. Exit 1 when they differ (a restructure must change neither).

When both runs recorded digests (results.json run.digests) and those differ, it first says what
changed in lerconf between them (requirements added, removed, reworded or with another strength;
scenarios added, removed or with other steps), and each differing scenario is listed with that
cause ("changed under ...") instead of as a bare difference a reader would take for a regression
or a fix.

    python tools/compare_results.py BEFORE/results.json AFTER/results.json
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from lerconf.reports.digests import DigestChanges, compare


def _load(path: Path) -> dict[str, Any]:
    path = path / "results.json" if path.is_dir() else path
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _index(data: dict[str, Any]) -> dict[str, tuple[str, tuple[str, ...]]]:
    return {s["id"]: (s["status"], tuple(s["requirement_ids"])) for s in data["scenarios"]}


def _keys(data: dict[str, Any]) -> dict[str, str]:
    """Scenario id -> its digest key (the id without the vendor and interop variant)."""
    return {s["id"]: "::".join([s.get("feature_file", ""), s.get("name", ""),
                                *(f"{k}={v}" for k, v in (s.get("example") or {}).items())]) for s in data["scenarios"]}


def _why(changes: DigestChanges | None, key: str, requirement_ids: tuple[str, ...]) -> str:
    if changes is None:
        return ""
    if key in changes.scenarios_removed:
        return "scenario removed since"
    return changes.affects(key, requirement_ids)


def main(before: Path, after: Path) -> int:
    da, db = _load(before), _load(after)
    a, b = _index(da), _index(db)
    keys = {**_keys(da), **_keys(db)}
    changes = compare((da.get("run") or {}).get("digests"), (db.get("run") or {}).get("digests"))
    if changes is None:
        print("digests: not recorded by both runs; differences below may come from lerconf's own changes")
    elif changes:
        print("lerconf changed between the runs (digests differ):")
        for line in changes.lines():
            print(f"  {line}")
    else:
        print("digests: same requirements and scenarios")
    only_before, only_after = sorted(set(a) - set(b)), sorted(set(b) - set(a))
    changed = [(k, a[k], b[k]) for k in sorted(set(a) & set(b)) if a[k] != b[k]]
    explained = 0

    def note(k: str, reqs: tuple[str, ...]) -> str:
        nonlocal explained
        why = _why(changes, keys.get(k, ""), reqs)
        explained += bool(why)
        return f"  [changed under: {why}]" if why else ""

    for k in only_before:
        print(f"only before: {k}{note(k, a[k][1])}")
    for k in only_after:
        print(f"only after:  {k}{note(k, b[k][1])}")
    for k, was, now in changed:
        print(f"changed:     {k}: {was} -> {now}{note(k, tuple(sorted(set(was[1]) | set(now[1]))))}")
    print(f"{len(a)} scenarios before, {len(b)} after; {len(only_before)} only before, {len(only_after)} only after, "
          f"{len(changed)} changed; {explained} of these explained by changed requirements or scenarios")
    return 1 if only_before or only_after or changed else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
