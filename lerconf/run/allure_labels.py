"""Allure for a conformance run: each scenario's redacted evidence as attachments, and labels that
group the tree as vendor > role > feature, link each requirement's spec and key history stably.
"""
from __future__ import annotations

import pytest

from lerconf.documents.json_values import pretty_json
from lerconf.evidence import Evidence
from lerconf.profile.claims import spec_mode
from lerconf.requirements import all_requirements
from lerconf.run.meta import scenario_meta
from lerconf.run.state import META_KEY

__all__ = ["ALLURE_SEVERITY", "attach_evidence", "label_scenario"]


def attach_evidence(ev: Evidence) -> None:
    try:
        import allure
    except ImportError:  # pragma: no cover - allure-pytest-bdd is a test dependency
        return
    shown = ev.to_json()  # redacted once, and the same for the scenario's results.json record
    for i, (exchange, seen) in enumerate(zip(ev.exchanges, shown["exchanges"], strict=True)):
        allure.attach(pretty_json(seen), name=f"HTTP {i + 1}: {exchange.method} {exchange.outcome.value}",
                      attachment_type=allure.attachment_type.JSON)
    for name, doc in shown["documents"].items():
        allure.attach(pretty_json(doc), name=name, attachment_type=allure.attachment_type.JSON)
    if shown["checks"]:
        allure.attach(pretty_json(shown["checks"]), name="checks", attachment_type=allure.attachment_type.JSON)


#: Allure severity for each normative strength
ALLURE_SEVERITY = {"MUST": "critical", "SHOULD": "normal", "MAY": "minor"}


def label_scenario(item: pytest.Item) -> None:
    """Group Allure's tree as vendor > role > feature, link each spec, and key history stably.

    Runs at fixture teardown, while allure-pytest-bdd's test case is open. testCaseId is the
    md5 of results.json's scenario id without the vendor, so Allure history and report.html agree
    across runs; the vendor stays a parameter, which keeps historyId distinct per vendor.
    """
    try:
        import allure
        from allure_commons import plugin_manager
    except ImportError:  # pragma: no cover - allure-pytest-bdd is a test dependency
        return
    import hashlib

    meta = item.stash.get(META_KEY, None) or scenario_meta(item)
    if meta is None:
        return
    vendor = item.callspec.params.get("lerconf_vendor", "") if hasattr(item, "callspec") else ""
    allure.dynamic.parent_suite(str(vendor))
    allure.dynamic.suite(meta["role"] or "other")
    allure.dynamic.sub_suite(meta["feature"])
    allure.dynamic.severity(ALLURE_SEVERITY.get(meta["severity"], "normal"))
    mode = spec_mode(item)
    if mode:  # a pre-final protocol mode: never read as final-spec conformance
        allure.dynamic.tag("draft-only")
        allure.dynamic.label("specMode", mode)
    if meta.get("ecosystem"):  # an ecosystem profile's scenario: reported apart from specification conformance
        allure.dynamic.tag("ecosystem")
        allure.dynamic.label("ecosystem", meta["ecosystem"])
    requirements = all_requirements()
    for rid in meta["requirement_ids"]:
        allure.dynamic.link(requirements[rid].spec_url, name=f"{rid}: {requirements[rid].title}")
    key = "::".join([meta["feature_file"], meta["name"], *(f"{k}={v}" for k, v in meta["example"].items())])
    case_id = hashlib.md5(key.encode()).hexdigest()
    allure.dynamic.id(case_id)
    for plugin in plugin_manager.get_plugins():  # no dynamic API for testCaseId: set it on the open case
        lifecycle = getattr(plugin, "lifecycle", None)
        if lifecycle is not None and hasattr(lifecycle, "update_test_case"):
            with lifecycle.update_test_case() as result:
                if result is not None:
                    result.testCaseId = case_id
            break
