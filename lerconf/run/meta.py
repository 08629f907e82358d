"""A scenario's metadata, read from pytest-bdd's template of a test item: name, feature, tags,
requirement ids, role, strength and Examples row. results.json, claims and Allure all use it.
"""
from __future__ import annotations

from typing import Any

import pytest

from lerconf.ecosystems import profile_for_tag
from lerconf.requirements import all_requirements
from lerconf.roles import SCENARIO_ROLES
from lerconf.run import tags as tagmod

__all__ = ["ATTESTED", "AUTOMATED", "scenario_meta"]

#: how a scenario is judged (results.json ``judged_by``): by what lerconf observed, or by what an
#: operator reported a person saw (the feature file says which with the @attested tag)
AUTOMATED, ATTESTED = "automated", "attested"


# -- claims: skip what the vendor does not claim ------------------------------------------------------
def scenario_meta(item: pytest.Item) -> dict[str, Any] | None:
    from pytest_bdd.scenario import scenario_wrapper_template_registry

    func = getattr(item, "function", None)
    template = scenario_wrapper_template_registry.get(func) if func is not None else None
    if template is None:
        return None
    callspec = getattr(item, "callspec", None)
    example = dict(callspec.params.get("_pytest_bdd_example", {})) if callspec else {}
    rule_tags = template.rule.tags if template.rule is not None else set()
    tags = set(template.tags) | set(template.feature.tags) | set(rule_tags)
    reqs = sorted(t for t in tags if tagmod.is_requirement(t))
    name = template.render(example).name if example else template.name
    role = next((r for r in SCENARIO_ROLES if r in tags), "")
    strengths = [s for s in tagmod.STRENGTHS if s in tags]
    ecosystem = profile_for_tag(tags)
    return {"name": name, "feature": template.feature.name, "feature_file": template.feature.rel_filename,
            "tags": sorted(tags), "requirement_ids": reqs, "role": role,
            "severity": strengths[0] if strengths else (all_requirements()[reqs[0]].strength.value if reqs else "MUST"),
            "example": example, "ecosystem": ecosystem.label if ecosystem is not None else "",
            "judged_by": ATTESTED if ATTESTED in tags else AUTOMATED}
