"""Feature files and steps follow the house rules: known tags, one requirement per scenario,
every step defined, no step that checks nothing."""
from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_bdd.parser import FeatureParser

from lerconf.requirements import all_requirements
from lerconf.roles import SCENARIO_ROLES
from lerconf.run import tags

ROOT = Path(__file__).resolve().parents[2]
FEATURES = sorted((ROOT / "features").rglob("*.feature"))


def _scenarios() -> list[tuple[str, object, set[str]]]:
    out = []
    for path in FEATURES:
        feature = FeatureParser(str(path.parent), path.name).parse()
        for scenario in feature.scenarios.values():
            out.append((f"{path.name}: {scenario.name}", scenario, set(scenario.tags) | set(feature.tags)))
    return out


def test_there_are_features_for_every_role() -> None:
    roles = {t for _, _, ts in _scenarios() for t in ts if t in SCENARIO_ROLES}
    assert roles == set(SCENARIO_ROLES)  # every registered role has features


@pytest.mark.parametrize("name,scenario,scenario_tags", _scenarios(), ids=lambda v: v if isinstance(v, str) else "")
def test_scenario_tags(name: str, scenario: object, scenario_tags: set[str]) -> None:
    unknown = [t for t in scenario_tags if tags.classify(t) == "unknown"]
    assert not unknown, f"{name}: unknown tags {unknown}"
    ids = [t for t in scenario_tags if t in all_requirements()]
    assert len(ids) == 1, f"{name}: needs exactly one requirement id tag, has {ids}"
    strengths = [t for t in scenario_tags if t in tags.STRENGTHS]
    assert len(strengths) == 1, f"{name}: needs exactly one of @MUST/@SHOULD/@MAY"
    assert any(t in SCENARIO_ROLES for t in scenario_tags), f"{name}: no role tag"


def test_every_step_is_defined() -> None:
    """pytest-bdd's --generate-missing lists steps no definition matches."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "features", "--generate-missing", "--feature", "features", "-p", "no:cacheprovider"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert "collected" in result.stdout, result.stdout[-3000:] + result.stderr[-2000:]
    assert "Step definition is not found" not in result.stdout, result.stdout[-3000:]
    assert not re.search(r"@(given|when|then)\(", result.stdout), result.stdout[-3000:]


def test_no_step_is_empty_or_sleeps() -> None:
    for path in (ROOT / "steps").glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.decorator_list:
                body = [n for n in node.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
                assert body and not all(isinstance(n, ast.Pass) for n in body), f"{path.name}:{node.lineno} empty step"
            if isinstance(node, ast.Attribute) and node.attr == "sleep":
                pytest.fail(f"{path.name}:{node.lineno} sleeps")
