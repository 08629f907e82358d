"""Recording a run's digests and selection in results.json (``run.digests``, ``run.selection``).

Every scenario of the feature files bound to pytest (pytest-bdd's template registry holds them all,
selected or not) is digested from its rendered steps and tags; the requirement set from
requirements.json (lerconf.reports.digests says how, and compares two digests).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import pytest

from lerconf.reports.digests import record, scenario_key, steps_digest
from lerconf.roles import SCENARIO_ROLES
from lerconf.run import tags as tagmod
from lerconf.run.meta import scenario_meta

__all__ = ["run_digests", "run_selection", "tell_baseline"]


def _step_text(step: Any) -> str:
    text = f"{step.keyword.strip()} {step.name}"
    if step.docstring is not None:
        text += "\n" + str(step.docstring)
    if step.datatable is not None:
        text += "\n" + "\n".join("|".join(map(str, row)) for row in step.datatable.raw())
    return text


def _templates() -> list[Any]:
    from pytest_bdd.scenario import scenario_wrapper_template_registry

    seen: dict[int, Any] = {}
    for template in scenario_wrapper_template_registry.values():
        seen.setdefault(id(template), template)
    return list(seen.values())


#: each scenario template's feature file and digested rows, kept as long as pytest-bdd keeps the template
#: (its test module): a process doing many runs (a service, lerconf's own tests) digested every scenario of
#: every feature file again for each run, ~20 ms a run (issue 19). A template never changes once parsed.
_DIGESTED: WeakKeyDictionary[Any, tuple[Path, dict[str, dict[str, Any]]]] = WeakKeyDictionary()


def _digested(template: Any) -> tuple[Path, dict[str, dict[str, Any]]]:
    """The template's feature file and, per example row, its key and digest row (made once per template)."""
    known = _DIGESTED.get(template)
    if known is None:
        rule_tags = template.rule.tags if template.rule is not None else set()
        tags = set(template.tags) | set(template.feature.tags) | set(rule_tags)
        contexts = [ctx for examples in template.examples for ctx in examples.as_contexts()] or [{}]
        rows = {}
        for example in contexts:
            rendered = template.render(example)
            key = scenario_key(template.feature.rel_filename, rendered.name, example)
            rows[key] = {"digest": steps_digest(map(_step_text, rendered.steps), tags),
                         "requirement_ids": sorted(t for t in tags if tagmod.is_requirement(t)),
                         "role": next((r for r in SCENARIO_ROLES if r in tags), "")}
        known = _DIGESTED[template] = (Path(template.feature.filename).resolve(), rows)
    return known


def _scenarios(root: Path | None) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for template in _templates():
        feature_file, rows = _digested(template)
        if root is not None and not feature_file.is_relative_to(root):
            continue  # another session's feature files (an in-process run inside a test session)
        for key, row in rows.items():  # copies: the run's results own theirs
            out[key] = {**row, "requirement_ids": list(row["requirement_ids"])}
    return out


def run_digests(items: Sequence[pytest.Item]) -> dict[str, Any]:
    """results.json ``run.digests`` for a session whose selected items are ``items``."""
    ran = []
    for item in items:
        meta = scenario_meta(item)
        if meta is not None:
            ran.append(scenario_key(meta["feature_file"], meta["name"], meta["example"]))
    root = items[0].config.rootpath.resolve() if items else None
    return record(_scenarios(root), ran)


def run_selection(config: pytest.Config) -> dict[str, Any]:
    """results.json ``run.selection``: what -k, --tags (-m) and --role limited this run to."""
    return {"keyword": config.getoption("keyword") or "", "tags": config.getoption("markexpr") or "",
            "roles": list(config.getoption("--lerconf-role") or [])}


def tell_baseline(console: Any, digests: Mapping[str, Any]) -> None:
    """A --baseline console marks scenarios changed since the baseline's digests as such (not new or fixed)."""
    baseline = getattr(getattr(console, "marker", None), "__self__", None)
    against = getattr(baseline, "against", None)
    if callable(against):
        against(digests)
