"""Baseline diff: which failures are new (regressions), fixed, or already known.

A vendor rarely passes everything on day one. A baseline lets CI go red only on what got worse:
either an earlier results.json (its failed and broken scenarios are the known failures) or an
expected-failures file, YAML or JSON, ``[{id, reason, link}]``. An id is a scenario id from
results.json, with or without its trailing ``::vendor`` part (without it, it matches every vendor).
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from lerconf.errors import LerconfError
from lerconf.reports.model import Scenario, _scenario
from lerconf.runlog import load_results

FAILING = ("failed", "broken")


@dataclass(frozen=True)
class KnownFailure:
    """One failure the baseline expects, with why and where it is tracked."""

    id: str
    reason: str = ""
    link: str = ""


@dataclass(frozen=True)
class Baseline:
    source: str
    known: Mapping[str, KnownFailure]

    def match(self, scenario: Scenario) -> KnownFailure | None:
        return self.known.get(scenario.source_id) or self.known.get(scenario.key)

    def mark(self, raw: Mapping[str, Any]) -> str:
        """"new", "known", "fixed" or "" for one scenario as results.json records it (the console
        marks each as it finishes; :func:`diff` sorts the whole run the same way)."""
        known = self.match(_scenario(raw, "", lambda name: name))
        if raw.get("status") in FAILING:
            return "new" if known is None else "known"
        return "fixed" if raw.get("status") == "passed" and known is not None else ""


@dataclass
class BaselineDiff:
    """The current run against the baseline; the report lists each group, CI reads `exit_code`."""

    source: str
    regressions: list[Scenario] = field(default_factory=list)
    fixed: list[tuple[KnownFailure, Scenario]] = field(default_factory=list)
    known: list[tuple[KnownFailure, Scenario]] = field(default_factory=list)
    not_run: list[KnownFailure] = field(default_factory=list)  # known failures skipped or absent now

    def mark(self, scenario: Scenario) -> str:
        """"new", "fixed", "known" or "" for one scenario of the current run."""
        if any(s is scenario for s in self.regressions):
            return "new"
        if any(s is scenario for _, s in self.fixed):
            return "fixed"
        if any(s is scenario for _, s in self.known):
            return "known"
        return ""

    @property
    def exit_code(self) -> int:
        """1 only when a claimed MUST scenario newly failed or broke; known failures do not count."""
        return 1 if any(s.severity == "MUST" for s in self.regressions) else 0

    def summary(self) -> str:
        return (f"{len(self.regressions)} new failure(s), {len(self.fixed)} fixed, "
                f"{len(self.known)} known failure(s) still failing against {self.source}")


def _entries(raw: Any, source: str) -> list[KnownFailure]:
    if isinstance(raw, Mapping) and "expected_failures" in raw:
        raw = raw["expected_failures"]
    if not isinstance(raw, list):
        raise LerconfError(f"{source}: a baseline is a results.json or a list of {{id, reason, link}}")
    entries = []
    for i, item in enumerate(raw):
        if isinstance(item, str):
            item = {"id": item}
        if not isinstance(item, Mapping) or not isinstance(item.get("id"), str) or not item["id"]:
            raise LerconfError(f"{source}: entry {i} needs an id (a scenario id from results.json)")
        entries.append(KnownFailure(item["id"], str(item.get("reason") or ""), str(item.get("link") or "")))
    return entries


def load_baseline(path: Path) -> Baseline:
    """Read a baseline file; a malformed one is a setup error (exit 2), never an empty baseline."""
    path = Path(path)
    if path.is_dir():
        path = path / "results.json"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LerconfError(f"baseline {path}: {exc.strerror or exc}") from None
    try:
        raw = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise LerconfError(f"baseline {path}: not valid {'JSON' if path.suffix == '.json' else 'YAML'}: {exc}") from None
    if isinstance(raw, Mapping) and "scenarios" in raw:
        results = load_results(path)  # also recovers a killed baseline run from its results.jsonl
        known = [KnownFailure(str(s.get("id")), str(s.get("reason") or ""))
                 for s in results.get("scenarios", []) if s.get("status") in FAILING]
    else:
        known = _entries(raw, str(path))
    return Baseline(str(path), {k.id: k for k in known})


def diff(scenarios: Iterable[Scenario], baseline: Baseline) -> BaselineDiff:
    """Sort every current failure into new or known, and every known one into fixed or not run."""
    result = BaselineDiff(baseline.source)
    for s in scenarios:
        known = baseline.match(s)
        if s.status in FAILING:
            if known is None:
                result.regressions.append(s)
            else:
                result.known.append((known, s))
        elif s.status == "passed" and known is not None:
            result.fixed.append((known, s))
    seen = {id(k) for k, _ in result.known + result.fixed}
    result.not_run = [k for k in baseline.known.values() if id(k) not in seen]
    return result
