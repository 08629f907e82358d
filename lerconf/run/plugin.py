"""The pytest plugin that turns feature files into a conformance run.

It loads vendor profiles (--vendor, repeatable; none = the embedded reference), starts
lerconf's embedded reference on loopback for the roles vendors lack, runs every scenario once
per vendor, skips scenarios whose needs the vendor does not claim ("not claimed: …"), attaches
redacted evidence to Allure, and writes results.json as each scenario finishes.
"""
from __future__ import annotations

import os
import sys
import time
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from lerconf.documents.loader import LoaderSettings
from lerconf.errors import ProfileError
from lerconf.evidence import CURRENT_EVIDENCE, Evidence
from lerconf.profile.claims import not_claimed, spec_mode
from lerconf.profile.load import VendorProfile, load_profile
from lerconf.redact import redact_text
from lerconf.refimpl.server import running_reference
from lerconf.requirements import all_requirements
from lerconf.roles import SCENARIO_ROLES, SELECTABLE_ROLES, vendor_role
from lerconf.run import tags as tagmod
from lerconf.runlog import RunLog
from lerconf.scenarios.harness import Harness, build_vendor, engine_for
from lerconf.scenarios.interop import cases
from lerconf.scenarios.vcapi import InteropParties
from lerconf.verdicts import Broken, Unjudged

if TYPE_CHECKING:
    from pluggy import Result

_RESULTS_KEY = pytest.StashKey[dict[str, Any]]()
#: per test item: its scenario's metadata (scenario_meta), kept at setup
_META_KEY = pytest.StashKey[dict[str, Any]]()
#: per test item: the results.json record built up over its setup, call and teardown reports
_RECORD_KEY = pytest.StashKey[dict[str, Any]]()
#: per test item: the evidence its scenario gathered (the evidence fixture)
_EVIDENCE_KEY = pytest.StashKey[Evidence]()
#: the name fixtures/vendors/reference.yaml gives the embedded reference
REFERENCE_NAME = "lerconf reference implementation"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("lerconf")
    group.addoption("--vendor", action="append", default=[], metavar="FILE", help="vendor profile YAML (repeatable)")
    group.addoption("--lerconf-role", action="append", default=[], choices=list(SELECTABLE_ROLES),
                    help="only test these roles of the vendors")
    group.addoption("--lerconf-run-dir", default=None, help="write results.json into this directory")
    group.addoption("--read-only", action="store_true", help="skip scenarios that change vendor state")


def pytest_configure(config: pytest.Config) -> None:
    for tag, meaning in tagmod.VOCABULARY.items():
        config.addinivalue_line("markers", f"{tag}: {meaning}")
    config.addinivalue_line("markers", "req(id): the requirement a scenario tests")

    try:
        profiles: list[VendorProfile] = [load_profile(Path(p)) for p in config.getoption("--vendor")]
    except ProfileError as exc:
        raise pytest.UsageError(str(exc)) from None
    config.stash[_RESULTS_KEY] = {"profiles": profiles, "run_log": None, "done": 0, "failed": 0, "started": time.monotonic()}


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_apply_tag(tag: str, function: Any) -> bool | None:
    """Requirement-id tags become ``req`` marks; every scenario gets the vendor fixture."""
    if not getattr(function, "_lerconf_vendor", False):
        pytest.mark.usefixtures("lerconf_vendor", "evidence")(function)
        function._lerconf_vendor = True
    if tag == "interop":
        pytest.mark.usefixtures("lerconf_interop")(function)
    kind = tagmod.classify(tag)
    if kind == "requirement":
        pytest.mark.req(tag)(function)
        return True
    if kind == "unknown":
        raise pytest.UsageError(f"unknown feature tag @{tag}: add it to lerconf/tags.py or fix the feature file")
    return None


#: which interop cases an interop scenario runs, by its requirement id
INTEROP_KINDS = {"API-11": "credential", "API-14": "presentation", "BSL-10": "lifecycle"}
NO_INTEROP = "interop needs two or more vendors"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    profiles = metafunc.config.stash[_RESULTS_KEY]["profiles"]
    if "lerconf_interop" in metafunc.fixturenames:
        reqs = [m.args[0] for m in metafunc.definition.iter_markers("req")]
        kind = INTEROP_KINDS.get(reqs[0]) if reqs else None
        found = list(cases(profiles, kind)) if kind else []
        params: list[Any] = found or [NO_INTEROP]
        metafunc.parametrize("lerconf_interop", params, ids=[_slug(c.id) if c != NO_INTEROP else "none" for c in params])
        metafunc.parametrize("lerconf_vendor", ["interop"], ids=["interop"])
    elif "lerconf_vendor" in metafunc.fixturenames:
        names = [p.name for p in profiles] or [REFERENCE_NAME]
        metafunc.parametrize("lerconf_vendor", names, ids=[_slug(n) for n in names], scope="function")


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")


# -- session fixtures -----------------------------------------------------------------------------
@pytest.fixture(scope="session")
def harness(request: pytest.FixtureRequest) -> Iterator[Harness]:
    state = request.config.stash[_RESULTS_KEY]
    with running_reference() as reference:
        own_profile = reference.profile()
        profiles: list[VendorProfile] = state["profiles"] or [own_profile]
        # vendors may be reached on the hosts their profile names (loopback included), nowhere else
        vendors = [build_vendor(p) for p in profiles]
        own = build_vendor(own_profile, allow_private=True)
        engine = engine_for(reference, profiles, LoaderSettings.from_env())
        yield Harness(vendors=vendors, own=own, engine=engine, reference=reference)
        state["requests"] = {v.name: v.http.request_count for v in vendors}  # reported per vendor in results.json
        for v in (*vendors, own):
            v.http.close()


@pytest.fixture
def lerconf_vendor(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def lerconf_interop(request: pytest.FixtureRequest) -> Any:
    return request.param  # replaced by direct parametrization (pytest_generate_tests)


@pytest.fixture
def interop(harness: Harness, lerconf_interop: Any) -> Any:
    """The vendors of one interop case (lerconf plays a missing holder)."""
    if lerconf_interop == NO_INTEROP:
        pytest.skip(f"not claimed: {NO_INTEROP} with matching roles, securing methods and VC versions")
    return InteropParties.of(harness, lerconf_interop)


@pytest.fixture
def vendor(harness: Harness, lerconf_vendor: str) -> Any:
    return harness.vendor(lerconf_vendor)


@pytest.fixture
def evidence(request: pytest.FixtureRequest) -> Iterator[Evidence]:
    ev = Evidence()
    token = CURRENT_EVIDENCE.set(ev)
    request.node.stash[_EVIDENCE_KEY] = ev
    try:
        yield ev
    finally:
        CURRENT_EVIDENCE.reset(token)
        _attach(ev)
        _allure_labels(request.node)


def _attach(ev: Evidence) -> None:
    try:
        import allure
    except ImportError:  # pragma: no cover - allure-pytest-bdd is a test dependency
        return
    for i, exchange in enumerate(ev.exchanges):
        allure.attach(_json(exchange.to_evidence()), name=f"HTTP {i + 1}: {exchange.method} {exchange.outcome.value}",
                      attachment_type=allure.attachment_type.JSON)
    for name, doc in ev.documents.items():
        allure.attach(_json(doc), name=name, attachment_type=allure.attachment_type.JSON)
    if ev.checks:
        allure.attach(_json([c.to_json() for c in ev.checks]), name="checks", attachment_type=allure.attachment_type.JSON)


#: Allure severity for each normative strength
ALLURE_SEVERITY = {"MUST": "critical", "SHOULD": "normal", "MAY": "minor"}


def _allure_labels(item: pytest.Item) -> None:
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

    meta = item.stash.get(_META_KEY, None) or scenario_meta(item)
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


def _json(value: Any) -> str:
    import json

    return json.dumps(value, indent=1, ensure_ascii=False, default=str)


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
    return {"name": name, "feature": template.feature.name, "feature_file": template.feature.rel_filename,
            "tags": sorted(tags), "requirement_ids": reqs, "role": role,
            "severity": strengths[0] if strengths else (all_requirements()[reqs[0]].strength.value if reqs else "MUST"),
            "example": example}


def pytest_runtest_setup(item: pytest.Item) -> None:
    meta = scenario_meta(item)
    if meta is None:
        return
    item.stash[_META_KEY] = meta
    config = item.config
    if config.getoption("--read-only") and "mutates_state" in meta["tags"]:
        pytest.skip("read-only run: this scenario changes vendor state")
    roles = config.getoption("--lerconf-role")
    selected_as = vendor_role(meta["role"], meta["tags"])  # the wallet lifecycle runs with --role wallet
    if roles and selected_as in SELECTABLE_ROLES and selected_as not in roles:
        pytest.skip(f"role {selected_as} not selected")
    profiles = config.stash[_RESULTS_KEY]["profiles"]
    name = item.callspec.params.get("lerconf_vendor") if hasattr(item, "callspec") else None
    if meta["role"] == "interop":
        return  # interop cases are generated from the claims, so they are claimed by construction
    profile = next((p for p in profiles if p.name == name), None)
    if profile is None:
        return  # the embedded reference claims everything it implements; its profile says so
    reason = not_claimed(profile, meta)
    if reason:
        pytest.skip(f"not claimed: {reason}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Library code says a scenario cannot be judged by raising (lerconf.verdicts); here, and only
    here, that becomes a pytest skip with the reason results.json reports."""
    try:
        return (yield)
    except Unjudged as exc:
        pytest.skip(exc.reason)


# -- results: classify and write each scenario as it finishes --------------------------------------------
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[Any]
) -> Generator[None, Result[pytest.TestReport], None]:
    outcome = yield
    report = outcome.get_result()
    meta = item.stash.get(_META_KEY, None) or scenario_meta(item)
    if meta is None:
        return
    record = item.stash.get(_RECORD_KEY, None)
    if report.when == "setup" and report.skipped:
        record = {"status": "skipped", "reason": _skip_reason(report)}
    elif report.when in ("setup", "call") and report.failed:
        broken = call.excinfo is not None and not call.excinfo.errisinstance(AssertionError)
        message = _failure_reason(call)
        record = {"status": "broken" if broken or report.when == "setup" else "failed", "reason": message}
    elif report.when == "call" and report.passed:
        record = {"status": "passed", "reason": ""}
    elif report.when == "call" and report.skipped:
        record = {"status": "skipped", "reason": _skip_reason(report)}
    if record is not None:
        record["duration_s"] = round(float(record.get("duration_s", 0.0)) + report.duration, 3)
        item.stash[_RECORD_KEY] = record
    if report.when == "teardown" and record is not None:
        _finish(item, meta, record)


def _skip_reason(report: pytest.TestReport) -> str:
    if isinstance(report.longrepr, tuple):
        return str(report.longrepr[2]).removeprefix("Skipped: ")
    return str(report.longrepr or "skipped")


def _failure_reason(call: pytest.CallInfo[Any]) -> str:
    if call.excinfo is None:
        return "failed"
    exc = call.excinfo.value
    text = str(exc).strip() or type(exc).__name__
    if isinstance(exc, Broken):
        return redact_text(text)
    if not isinstance(exc, AssertionError):
        text = f"{type(exc).__name__}: {text}"
    return redact_text(text.splitlines()[0] if len(text) > 2000 else text)[:2000]


def _finish(item: pytest.Item, meta: dict[str, Any], record: dict[str, Any]) -> None:
    state = item.config.stash[_RESULTS_KEY]
    params = item.callspec.params if hasattr(item, "callspec") else {}
    vendor = params.get("lerconf_vendor", "")
    case = params.get("lerconf_interop")
    if case is not None and case != NO_INTEROP:
        vendor = case.label
        record = {**record, "interop": case.to_json()}
    evidence = item.stash.get(_EVIDENCE_KEY, None)
    scenario = {
        # stable across runs: feature, scenario, example row, vendor (titles may repeat across rows)
        "id": "::".join([meta["feature_file"], meta["name"], *(f"{k}={v}" for k, v in meta["example"].items()), vendor,
                         *([f"{case.securing}/VC {case.vc_version}"] if case is not None and case != NO_INTEROP else [])]),
        "name": meta["name"],
        "feature": meta["feature"],
        "feature_file": meta["feature_file"],
        "vendor": vendor,
        "role": meta["role"],
        "requirement_ids": meta["requirement_ids"],
        "severity": meta["severity"],
        "tags": meta["tags"],
        "example": meta["example"],
        **record,
        **({"spec_mode": mode} if (mode := spec_mode(item)) else {}),
        "evidence": evidence.to_json() if evidence is not None else None,
    }
    state["done"] += 1
    if record["status"] in ("failed", "broken"):
        state["failed"] += 1
    log = state.get("run_log")
    if log is not None:
        log.add(scenario)
    _progress(item.config, state, scenario)


def _progress(config: pytest.Config, state: dict[str, Any], scenario: dict[str, Any]) -> None:
    total = state.get("total") or "?"
    line = (f"[{state['done']}/{total}] {scenario['status'].upper():<7} {scenario['vendor']}: {scenario['name']}"
            f"  (failures so far: {state['failed']})")
    stream = sys.stderr
    if stream.isatty() and not os.environ.get("CI"):
        stream.write("\r\033[K" + line[:180])
        if scenario["status"] in ("failed", "broken"):
            stream.write("\n")
    else:
        stream.write(line + "\n")
    stream.flush()


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    config.stash[_RESULTS_KEY]["total"] = sum(1 for i in items if scenario_meta(i) is not None)
    run_dir = config.getoption("--lerconf-run-dir")
    if run_dir and config.stash[_RESULTS_KEY].get("run_log") is None:
        profiles = config.stash[_RESULTS_KEY]["profiles"]
        config.stash[_RESULTS_KEY]["run_log"] = RunLog.start(
            Path(run_dir), run_id=Path(run_dir).name, command=sys.argv,
            vendors=[p.public_view() for p in profiles] or [{"name": REFERENCE_NAME, "embedded": True}])


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    state = session.config.stash.get(_RESULTS_KEY, None)
    if state and state.get("run_log") is not None:
        counts = state.get("requests") or {}
        for view in state["run_log"].vendors:  # calls lerconf made to each vendor (staging safety)
            if view.get("name") in counts:
                view["requests"] = counts[view["name"]]
        state["run_log"].finish(interrupted=exitstatus == pytest.ExitCode.INTERRUPTED)
