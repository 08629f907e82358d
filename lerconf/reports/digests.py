"""Digests of what a run judged against: the requirement set and the scenarios of the feature files.

results.json records them (``run.digests``, written by lerconf.run.digests when the run starts) and
the certificate carries the set digests, so a baseline or a comparison made under other requirements
or scenarios can say what changed (a requirement added, removed, reworded or with another strength;
a scenario added, removed or whose steps changed) instead of reporting it as a regression or a fix.

``run.digests``::

    {"algorithm": "sha256",
     "requirements": HEX,   # the whole requirement set: every id with its strength and text
     "features": HEX,       # every scenario of the shipped feature files: its steps and tags
     "ran": HEX,            # the scenarios this run selected (-k / --tags; before --role)
     "requirement": {"API-01": {"strength": "MUST", "text": HEX16}, ...},
     "scenario": {"FEATURE_FILE::NAME[::k=v...]": {"digest": HEX16, "requirement_ids": [...], "role": ROLE}, ...}}

A scenario's key is its results.json id without the vendor (and an interop case's variant).
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from lerconf.requirements import all_requirements

__all__ = ["ALGORITHM", "DigestChanges", "compare", "record", "requirement_digests", "scenario_key", "short_digest",
           "steps_digest"]

ALGORITHM = "sha256"


def short_digest(text: str) -> str:
    """The first 16 hex digits of the text's SHA-256: enough to tell one wording from another."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _set_digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
                          .encode("utf-8")).hexdigest()


def requirement_digests() -> dict[str, dict[str, str]]:
    """Per requirement id: its strength and a digest of its text."""
    return {rid: {"strength": r.strength.value, "text": short_digest(r.text)}
            for rid, r in sorted(all_requirements().items())}


def scenario_key(feature_file: str, name: str, example: Mapping[str, Any]) -> str:
    """A scenario's results.json id without vendor: the same scenario for every vendor."""
    return "::".join([feature_file, name, *(f"{k}={v}" for k, v in example.items())])


def steps_digest(steps: Iterable[str], tags: Iterable[str]) -> str:
    """A scenario's steps (keyword and rendered text, docstrings and tables included) and its tags."""
    return short_digest(json.dumps({"steps": list(steps), "tags": sorted(tags)}, ensure_ascii=False))


def record(scenarios: Mapping[str, Mapping[str, Any]], ran: Iterable[str]) -> dict[str, Any]:
    """results.json's ``run.digests`` from every scenario of the feature files and the keys this run selected."""
    requirements = requirement_digests()
    ordered = {k: dict(scenarios[k]) for k in sorted(scenarios)}
    selected = sorted(set(ran) & set(ordered))
    return {"algorithm": ALGORITHM, "requirements": _set_digest(requirements), "features": _set_digest(ordered),
            "ran": _set_digest({k: ordered[k] for k in selected}), "requirement": requirements, "scenario": ordered}


@dataclass
class DigestChanges:
    """What differs between two digests: requirements and scenarios, by id and key."""

    requirements_added: list[str] = field(default_factory=list)
    requirements_removed: list[str] = field(default_factory=list)
    requirements_reworded: list[str] = field(default_factory=list)
    strength_changed: list[tuple[str, str, str]] = field(default_factory=list)  # (id, before, now)
    scenarios_added: list[str] = field(default_factory=list)
    scenarios_removed: list[str] = field(default_factory=list)
    scenarios_changed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any((self.requirements_added, self.requirements_removed, self.requirements_reworded,
                    self.strength_changed, self.scenarios_added, self.scenarios_removed, self.scenarios_changed))

    def requirement_change(self, rid: str) -> str:
        """How requirement ``rid`` changed, in words ("" when it did not)."""
        if rid in self.requirements_added:
            return f"requirement {rid} added"
        if rid in self.requirements_removed:
            return f"requirement {rid} removed"
        parts = [f"requirement {rid} strength {a} -> {b}" for r, a, b in self.strength_changed if r == rid]
        if rid in self.requirements_reworded:
            parts.append(f"requirement {rid} reworded")
        return ", ".join(parts)

    def affects(self, key: str, requirement_ids: Iterable[str]) -> str:
        """Why a scenario's verdict is not comparable with the baseline's ("" when it is)."""
        if key in self.scenarios_added:
            return "scenario added since the baseline"
        parts = ["scenario steps changed"] if key in self.scenarios_changed else []
        parts += [c for c in map(self.requirement_change, requirement_ids) if c]
        return (", ".join(parts) + " since the baseline") if parts else ""

    def lines(self, limit: int = 12) -> list[str]:
        """One line per kind of change, naming up to ``limit`` ids or scenarios."""
        def names(items: list[str]) -> str:
            more = f", ... and {len(items) - limit} more" if len(items) > limit else ""
            return ", ".join(items[:limit]) + more

        groups = [("requirements added", self.requirements_added), ("requirements removed", self.requirements_removed),
                  ("requirements reworded", self.requirements_reworded),
                  ("requirement strength changed", [f"{r} {a} -> {b}" for r, a, b in self.strength_changed]),
                  ("scenarios added", self.scenarios_added), ("scenarios removed", self.scenarios_removed),
                  ("scenarios changed", self.scenarios_changed)]
        return [f"{title} ({len(items)}): {names(items)}" for title, items in groups if items]

    def to_json(self) -> dict[str, Any]:
        return {"requirements_added": self.requirements_added, "requirements_removed": self.requirements_removed,
                "requirements_reworded": self.requirements_reworded,
                "strength_changed": [list(x) for x in self.strength_changed], "scenarios_added": self.scenarios_added,
                "scenarios_removed": self.scenarios_removed, "scenarios_changed": self.scenarios_changed}


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def compare(before: Mapping[str, Any] | None, now: Mapping[str, Any] | None) -> DigestChanges | None:
    """The changes from ``before`` to ``now`` (two ``run.digests``); None when either is missing.

    Equal set digests short-cut to no change; scenarios compare over the whole feature set, so two
    runs with different selections still compare."""
    if not before or not now or not isinstance(before, Mapping) or not isinstance(now, Mapping):
        return None
    changes = DigestChanges()
    if before.get("requirements") != now.get("requirements"):
        a, b = _mapping(before.get("requirement")), _mapping(now.get("requirement"))
        changes.requirements_added = sorted(set(b) - set(a))
        changes.requirements_removed = sorted(set(a) - set(b))
        for rid in sorted(set(a) & set(b)):
            was, new = _mapping(a[rid]), _mapping(b[rid])
            if was.get("strength") != new.get("strength"):
                changes.strength_changed.append((rid, str(was.get("strength")), str(new.get("strength"))))
            if was.get("text") != new.get("text"):
                changes.requirements_reworded.append(rid)
    if before.get("features") != now.get("features"):
        a, b = _mapping(before.get("scenario")), _mapping(now.get("scenario"))
        changes.scenarios_added = sorted(set(b) - set(a))
        changes.scenarios_removed = sorted(set(a) - set(b))
        changes.scenarios_changed = sorted(k for k in set(a) & set(b)
                                           if _mapping(a[k]).get("digest") != _mapping(b[k]).get("digest"))
    return changes
