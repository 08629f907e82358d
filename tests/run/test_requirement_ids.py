"""Every requirement id is one grep: each id a scenario is tagged with has a registered check, the
ids a scenario's steps name are the ids it is tagged with, and steps are one line into lerconf."""
from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from pytest_bdd.parser import FeatureParser

import lerconf.checks
from lerconf.checks.base import CHECKS
from lerconf.checks.vcapi_answers import REFUSAL_CHECKS, VERDICT_CHECKS
from lerconf.requirements import all_requirements

ROOT = Path(__file__).resolve().parents[2]
SATISFIES = re.compile(r'satisf(?:ies|y|ying) "([^"]+)"')
#: steps that judge the scenario's tagged requirement through a verdict or refusal check
VERDICT_STEPS = ("the verifier accepts it", "the verifier rejects it")
REFUSAL_STEPS = ("the issuer rejects the request",)

for _module in pkgutil.iter_modules(lerconf.checks.__path__, "lerconf.checks."):
    importlib.import_module(_module.name)  # every check registers itself on import


def _scenarios() -> list[tuple[str, set[str], list[str]]]:
    out = []
    for path in sorted((ROOT / "features").rglob("*.feature")):
        feature = FeatureParser(str(path.parent), path.name).parse()
        for scenario in feature.scenarios.values():
            ids = {t for t in set(scenario.tags) | set(feature.tags) if t in all_requirements()}
            steps = [s.name for s in scenario.steps]
            out.append((f"{path.relative_to(ROOT)}: {scenario.name}", ids, steps))
    return out


SCENARIOS = _scenarios()


@pytest.mark.parametrize("name,ids,steps", SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_every_tagged_requirement_has_a_check(name: str, ids: set[str], steps: list[str]) -> None:
    missing = sorted(i for i in ids if not CHECKS.get(i))
    assert not missing, f"{name}: no @check function for {missing}"


@pytest.mark.parametrize("name,ids,steps", SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_steps_name_only_the_tagged_requirement(name: str, ids: set[str], steps: list[str]) -> None:
    named = {m for step in steps for m in SATISFIES.findall(step) if not m.startswith("<")}
    assert named <= ids, f"{name}: its steps judge {sorted(named - ids)}, it is tagged {sorted(ids)}"
    if named:
        assert ids <= named, f"{name}: tagged {sorted(ids - named)} but no step judges it"


@pytest.mark.parametrize("name,ids,steps", SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_verdict_steps_have_a_check_for_the_tagged_requirement(name: str, ids: set[str], steps: list[str]) -> None:
    if any(s in VERDICT_STEPS for s in steps):
        assert all(i in VERDICT_CHECKS for i in ids), f"{name}: no verifier-verdict check for {sorted(ids - set(VERDICT_CHECKS))}"
    if any(s in REFUSAL_STEPS for s in steps):
        assert all(i in REFUSAL_CHECKS for i in ids), f"{name}: no issuer-refusal check for {sorted(ids - set(REFUSAL_CHECKS))}"


def _step_functions() -> list[tuple[str, ast.FunctionDef]]:
    out = []
    for path in sorted((ROOT / "steps").glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and any(_is_step(d) for d in node.decorator_list):
                out.append((f"{path.name}:{node.lineno}", node))
    return out


def _is_step(decorator: ast.expr) -> bool:
    call = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(call, ast.Name) and call.id in ("given", "when", "then")


STEPS = _step_functions()


@pytest.mark.parametrize("where,func", STEPS, ids=[s[0] for s in STEPS])
def test_a_step_is_one_line_into_lerconf(where: str, func: ast.FunctionDef) -> None:
    body = [n for n in func.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
    assert len(body) == 1, f"{where}: a step body is one statement (a call or a return), this one has {len(body)}"
    assert func.name == "_", f"{where}: step functions are named _"
    assert sum(_is_step(d) for d in func.decorator_list) == 1, f"{where}: one keyword per step function"


def test_the_lint_catches_a_scenario_judging_another_requirement() -> None:
    """The lint itself: a step naming an id the scenario is not tagged with is reported."""
    with pytest.raises(AssertionError, match="judge"):
        test_steps_name_only_the_tagged_requirement("example", {"BSL-04"}, ['the issued credential satisfies "BSL-14"'])


def _step_text(decorator: ast.expr) -> str:
    call = decorator if isinstance(decorator, ast.Call) else None
    arg = call.args[0] if call is not None and call.args else None
    if isinstance(arg, ast.Call) and arg.args:  # parsers.parse("...")
        arg = arg.args[0]
    return arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else ""


def test_no_two_step_definitions_share_a_text() -> None:
    """pytest-bdd binds a step to the last definition registered: two step files with the same text
    would silently run one folder's glue in another's scenarios."""
    seen: dict[str, str] = {}
    clashes = []
    for where, func in STEPS:
        for decorator in func.decorator_list:
            text = _step_text(decorator)
            if text and text in seen:
                clashes.append(f"{text!r}: {seen[text]} and {where}")
            seen.setdefault(text, where)
    assert not clashes, "\n".join(clashes)
