"""Compare the verdicts of two `lerconf run` directories: every scenario's status and every check.

A speed change must not change a verdict (issue 19). Run the default `lerconf run` before and after
the change and compare: the scenarios (name, vendor, example row), their status, and every check
result in their evidence (requirement id, status, subject, and the message of any check that did
not pass). Values that differ from run to run by design -- loopback ports, UUIDs, did:jwk wallet
keys, random path segments in hex, status-list indexes and dates, any digit -- are masked first.

Run: python benchmarks/compare_verdicts.py RUN_DIR_BEFORE RUN_DIR_AFTER   (exit 1 on a difference)
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

_MASKS = (
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "UUID"),
    (re.compile(r"(127\.0\.0\.1|localhost|\[::1\])(:|%3A)\d{2,5}"), "HOST"),
    (re.compile(r"did:jwk:[A-Za-z0-9_-]+"), "DID-JWK"),
    (re.compile(r"(?<=[/-])[0-9a-f]{6,}\b"), "HEX"),
    (re.compile(r"\d+"), "N"),
)

Key = tuple[str, str, str]
Verdicts = dict[Key, tuple[str, list[tuple[str, str, str, str]]]]


def masked(text: str) -> str:
    for pattern, replacement in _MASKS:
        text = pattern.sub(replacement, text)
    return text


def _checks(value: Any, out: list[tuple[str, str, str, str]]) -> list[tuple[str, str, str, str]]:
    """Every check result (CheckResult.to_json) anywhere in a scenario's evidence."""
    if isinstance(value, dict):
        if {"id", "status", "severity", "category"} <= value.keys():
            message = masked(str(value.get("message", ""))) if value["status"] != "passed" else ""
            out.append((str(value["id"]), str(value["status"]), masked(str(value.get("subject", ""))), message))
        for item in value.values():
            _checks(item, out)
    elif isinstance(value, list):
        for item in value:
            _checks(item, out)
    return out


def verdicts(run_dir: Path) -> Verdicts:
    results = run_dir / "results.json"
    if not results.is_file():  # a --out directory: its newest run
        found = sorted(p for p in run_dir.glob("2*/results.json"))
        if not found:
            raise SystemExit(f"no results.json in {run_dir}")
        results = found[-1]
    scenarios = json.loads(results.read_text(encoding="utf-8"))["scenarios"]
    return {(s["name"], s["vendor"], json.dumps(s.get("example"), sort_keys=True)):
            (s["status"], sorted(_checks(s.get("evidence"), []))) for s in scenarios}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    args = parser.parse_args()
    before, after = verdicts(args.before), verdicts(args.after)
    differing = [k for k in before.keys() | after.keys() if before.get(k) != after.get(k)]
    checks = sum(len(v[1]) for v in before.values())
    print(f"{len(before)} scenarios and {checks} check results before, {len(after)} scenarios after; "
          f"{len(differing)} differ")
    for key in sorted(differing)[:20]:
        was, now = before.get(key), after.get(key)
        print(f"- {key[0]} [{key[1]}] {key[2] if key[2] != 'null' else ''}: "
              f"{was[0] if was else 'absent'} -> {now[0] if now else 'absent'}")
        if was and now:
            print(f"    only before: {sorted(set(was[1]) - set(now[1]))[:3]}")
            print(f"    only after:  {sorted(set(now[1]) - set(was[1]))[:3]}")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
