"""The pytest plugin that turns feature files into a conformance run.

It loads vendor profiles (--vendor, repeatable; none = the embedded reference), starts
lerconf's embedded reference on loopback for the roles vendors lack, runs every scenario once
per vendor, skips scenarios whose needs the vendor does not claim ("not claimed: …"), attaches
redacted evidence to Allure, and writes results.json as each scenario finishes.
"""
from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from lerconf.clients.manual.driver import set_operator_writer
from lerconf.clients.scenario_header import CURRENT_SCENARIO, scenario_header
from lerconf.documents.loader import LoaderSettings
from lerconf.errors import ProfileError
from lerconf.evidence import CURRENT_EVIDENCE, Evidence
from lerconf.profile.claims import not_claimed
from lerconf.profile.load import VendorProfile, load_profile
from lerconf.redact import redact_text
from lerconf.refimpl.server import running_reference
from lerconf.roles import PERSON_ROLES, SELECTABLE_ROLES, WALLET_ROLES, vendor_role
from lerconf.run import tags as tagmod
from lerconf.run.allure_labels import attach_evidence, label_scenario
from lerconf.run.console import Console, role_not_selected
from lerconf.run.costs import feature_cost
from lerconf.run.digests import run_digests, run_selection, tell_baseline
from lerconf.run.meta import scenario_meta
from lerconf.run.recording import failure_reason, finish_scenario, skip_reason
from lerconf.run.state import (
    EVIDENCE_KEY,
    INTEROP_KINDS,
    META_KEY,
    NO_INTEROP,
    ORDER_KEY,
    RECORD_KEY,
    REFERENCE_NAME,
    RUN_KEY,
)
from lerconf.run.step_lookup import install as remember_step_lookups
from lerconf.run.tapes import recording_manifest, reference_sides, setup_tapes, write_recording_header
from lerconf.runlog import RunLog
from lerconf.scenarios.harness import Harness, VendorUnderTest, build_vendor, engine_for
from lerconf.scenarios.harness import status_list_minimum as run_status_list_minimum
from lerconf.scenarios.interop import cases
from lerconf.scenarios.interop_openid import OPENID_KINDS, OpenIdInteropCase, OpenIdParties, openid_cases
from lerconf.scenarios.vcapi import InteropParties
from lerconf.shards import Shard, parse_shard, split
from lerconf.verdicts import Unjudged

if TYPE_CHECKING:
    from pluggy import Result


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("lerconf")
    group.addoption("--vendor", action="append", default=[], metavar="FILE", help="vendor profile YAML (repeatable)")
    group.addoption("--lerconf-role", action="append", default=[], choices=list(SELECTABLE_ROLES),
                    help="only test these roles of the vendors")
    group.addoption("--lerconf-run-dir", default=None, help="write results.json into this directory")
    group.addoption("--read-only", action="store_true", help="skip scenarios that change vendor state")
    group.addoption("--lerconf-status-list-minimum", type=int, default=None, metavar="N",
                    help="fewest entries a status list may hold (BSL-16); overrides the profiles' status_lists")
    group.addoption("--lerconf-console", action="store_true",
                    help="lerconf's console only (as `lerconf run`): no pytest progress letters or percentages")
    group.addoption("--lerconf-baseline", default=None, metavar="FILE",
                    help="mark each finished scenario against this baseline (KNOWN, FIXED, [new])")
    group.addoption("--lerconf-record", action="store_true",
                    help="keep every exchange and lerconf's own choices on a tape per scenario (run dir/recording)")
    group.addoption("--lerconf-shard", default=None, metavar="I/N",
                    help="run only shard I of N of the selected scenarios (lerconf.shards; `lerconf report` merges them)")
    group.addoption("--lerconf-replay", default=None, metavar="DIR",
                    help="answer every call from this recording instead of the network (lerconf replay)")


def pytest_configure(config: pytest.Config) -> None:
    remember_step_lookups()
    for tag, meaning in tagmod.VOCABULARY.items():
        config.addinivalue_line("markers", f"{tag}: {meaning}")
    config.addinivalue_line("markers", "req(id): the requirement a scenario tests")

    try:
        profiles: list[VendorProfile] = [load_profile(Path(p)) for p in config.getoption("--vendor")]
        minimum = run_status_list_minimum(profiles, config.getoption("--lerconf-status-list-minimum"))
    except ProfileError as exc:
        raise pytest.UsageError(str(exc)) from None
    except ValueError as exc:
        raise pytest.UsageError(f"--status-list-minimum: {exc}") from None
    config.stash[RUN_KEY] = {"profiles": profiles, "run_log": None, "done": 0, "failed": 0, "started": time.monotonic(),
                             "status_list_minimum": minimum, "console": _console(config)}
    if config.getoption("--lerconf-console"):
        config.pluginmanager.register(CollectErrors(config), "lerconf-collect-errors")
    setup_tapes(config)
    set_operator_writer(_operator_writer(config))


def pytest_unconfigure(config: pytest.Config) -> None:
    set_operator_writer(None)


def _operator_writer(config: pytest.Config) -> Callable[[str], None]:
    """Writes to the real stderr while a scenario runs (an operator's prompt: manual modes, login:
    person, in a process without a terminal): pytest's capture is suspended around each write."""
    capman = config.pluginmanager.getplugin("capturemanager")

    def write(text: str) -> None:
        suspended = capman.global_and_fixture_disabled() if capman is not None else contextlib.nullcontext()
        with suspended:
            sys.stderr.write(text)
            sys.stderr.flush()
    return write


def _console(config: pytest.Config) -> Console:
    """The console of the run; with --lerconf-baseline, each scenario is marked against it as it finishes."""
    baseline_file = config.getoption("--lerconf-baseline")
    if not baseline_file:
        return Console()
    from lerconf.errors import LerconfError
    from lerconf.reports import load_baseline

    try:
        baseline = load_baseline(Path(baseline_file))
    except LerconfError as exc:
        raise pytest.UsageError(str(exc)) from None
    return Console(marker=baseline.mark, explain=baseline.known_reason)


# -- console: lerconf's lines, not pytest's ---------------------------------------------------------------
@pytest.hookimpl(wrapper=True)
def pytest_report_teststatus(report: pytest.TestReport, config: pytest.Config) -> Generator[None, Any, Any]:
    """Under `lerconf run` pytest prints no progress letter or word: lerconf prints one line per scenario."""
    result = yield
    if config.getoption("--lerconf-console") and result:
        return (result[0], "", "")
    return result


class CollectErrors:
    """Under `lerconf run` (--tb=no), says what pytest could not collect (a feature or step module):
    then the run cannot start, and the session ends as a usage error (exit 2), not as interrupted."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.count = 0

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.count += 1
            sys.stderr.write(f"lerconf: pytest could not collect {report.nodeid or 'the features'}:\n{report.longreprtext}\n")
            sys.stderr.flush()

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.count:
            session.exitstatus = pytest.ExitCode.USAGE_ERROR


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


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    profiles = metafunc.config.stash[RUN_KEY]["profiles"]
    if "lerconf_interop" in metafunc.fixturenames:
        reqs = [m.args[0] for m in metafunc.definition.iter_markers("req")]
        if metafunc.definition.get_closest_marker("oid4vp") is not None:  # issuer x wallet x verifier over OpenID
            kind = next((OPENID_KINDS[r] for r in reqs if r in OPENID_KINDS), None)
            found: list[Any] = list(openid_cases(profiles, kind)) if kind else []
        else:
            # what a vendor delivered as files, sent to other vendors' verifiers (features/interop, @artefacts)
            kind = "artefact" if metafunc.definition.get_closest_marker("artefacts") else (
                INTEROP_KINDS.get(reqs[0]) if reqs else None)
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
    state = request.config.stash[RUN_KEY]
    with running_reference() as reference:
        own_profile = reference.profile()
        reference.state.status_list_minimum = state["status_list_minimum"]  # lerconf playing a verifier judges alike
        profiles: list[VendorProfile] = state["profiles"] or [own_profile]
        # vendors may be reached on the hosts their profile names (loopback included), nowhere else
        vendors = [build_vendor(p) for p in profiles]
        own = build_vendor(own_profile, allow_private=True, own=True)
        engine = engine_for(reference, profiles, LoaderSettings.from_env())
        tapes = state.get("tapes")
        if tapes is not None:  # the reference's wire and status bits go on each exchange's tape
            tapes.sides.update(reference_sides(reference.state, recording=tapes.record_dir is not None))
            if tapes.record_dir is not None:
                write_recording_header(tapes.record_dir, reference_port=reference.port,
                                       reference_tls_port=reference.tls.port if reference.tls is not None else None,
                                       profiles=state["profiles"],
                                       selection={**run_selection(request.config),
                                                  "read_only": bool(request.config.getoption("--read-only")),
                                                  "status_list_minimum": request.config.getoption(
                                                      "--lerconf-status-list-minimum")})
        yield Harness(vendors=vendors, own=own, engine=engine, reference=reference,
                      status_list_minimum=state["status_list_minimum"])
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
def interop(harness: Harness, lerconf_interop: Any, request: pytest.FixtureRequest) -> InteropParties | OpenIdParties:
    """The vendors of one interop case (lerconf plays a missing holder; OpenID cases have all three)."""
    if lerconf_interop == NO_INTEROP:
        if request.node.get_closest_marker("oid4vp") is not None:
            pytest.skip(f"not claimed: {NO_INTEROP}: an OID4VCI issuer, another vendor's wallet and an OID4VP "
                        "verifier with a result hook, claiming a format in common")
        pytest.skip(f"not claimed: {NO_INTEROP} with matching roles, securing methods and VC versions")
    if isinstance(lerconf_interop, OpenIdInteropCase):
        return OpenIdParties.of(harness, lerconf_interop)
    return InteropParties.of(harness, lerconf_interop)


@pytest.fixture
def vendor(harness: Harness, lerconf_vendor: str) -> VendorUnderTest:
    return harness.vendor(lerconf_vendor)


@pytest.fixture
def requirement_ids(request: pytest.FixtureRequest) -> tuple[str, ...]:
    """The requirement ids the running scenario is tagged with: what its verdict steps judge."""
    return tuple(sorted(str(m.args[0]) for m in request.node.iter_markers("req")))


@pytest.fixture
def evidence(request: pytest.FixtureRequest) -> Iterator[Evidence]:
    ev = Evidence()
    token = CURRENT_EVIDENCE.set(ev)
    named = CURRENT_SCENARIO.set(scenario_header(_scenario_label(request.node)))
    request.node.stash[EVIDENCE_KEY] = ev
    try:
        yield ev
    finally:
        CURRENT_SCENARIO.reset(named)
        CURRENT_EVIDENCE.reset(token)
        attach_evidence(ev)
        label_scenario(request.node)


def _scenario_label(item: pytest.Item) -> str:
    """What a wallet adapter logs for the scenario (X-Lerconf-Scenario): requirement ids, title, vendor."""
    meta = item.stash.get(META_KEY, None) or scenario_meta(item)
    if meta is None:
        return item.name
    vendor = item.callspec.params.get("lerconf_vendor") if hasattr(item, "callspec") else None
    return " ".join([*meta["requirement_ids"], meta["name"], *([f"({vendor})"] if isinstance(vendor, str) else [])])


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """The rows set aside before this scenario, written as it starts (outside pytest's capture of the
    scenario's own phases, so their console lines are shown, not taken for the scenario's output)."""
    waiting = item.stash.get(SKIPPED_BEFORE_KEY, [])
    if waiting:
        del item.stash[SKIPPED_BEFORE_KEY]
        _write_skipped(item.config, waiting)


def pytest_runtest_setup(item: pytest.Item) -> None:
    meta = scenario_meta(item)
    if meta is None:
        return
    item.stash[META_KEY] = meta
    reason = _skipped_at_setup(item.config, item, meta)
    if reason:
        pytest.skip(reason)


#: the scenarios set aside before a scenario that runs (each with its meta and why it is skipped)
SKIPPED_BEFORE_KEY = pytest.StashKey[list[tuple[pytest.Item, dict[str, Any], str]]]()


def _set_aside_the_skipped(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Scenarios skipped before they start (role not selected, not claimed, a read-only run) leave
    pytest's run protocol: its setup, teardown and three reports, with pytest-bdd's and Allure's hooks,
    cost ~1.4 ms each, and a --role run of several vendors holds thousands (a hostile VCALM bed: 7,000
    of 7,400; its run took 54 s, now 26 s). Their rows are written in their place in the run's order --
    as the next scenario that runs starts, or as the session ends -- so results.json, the console and
    the report read as before."""
    kept: list[pytest.Item] = []
    waiting: list[tuple[pytest.Item, dict[str, Any], str]] = []
    aside: list[pytest.Item] = []
    for item in items:
        meta = scenario_meta(item)
        reason = _skipped_at_setup(config, item, meta) if meta is not None else None
        if reason is None or meta is None:
            if waiting:
                item.stash[SKIPPED_BEFORE_KEY] = waiting
                waiting = []
            kept.append(item)
        else:
            waiting.append((item, meta, redact_text(reason)))
            aside.append(item)
    if aside:
        items[:] = kept
        config.hook.pytest_deselected(items=aside)
    config.stash[RUN_KEY]["skipped_last"] = waiting
    config.stash[RUN_KEY]["set_aside"] = len(aside)


def _write_skipped(config: pytest.Config, skipped: list[tuple[pytest.Item, dict[str, Any], str]]) -> None:
    for item, meta, reason in skipped:
        finish_scenario(item, meta, {"status": "skipped", "reason": reason, "duration_s": 0.0})


def _skipped_at_setup(config: pytest.Config, item: pytest.Item, meta: dict[str, Any]) -> str | None:
    """Why the scenario is skipped before it starts (read-only run, role not selected, not claimed),
    or None; decided from the selection and the profiles alone, so the shard dealing can count it free."""
    if config.getoption("--read-only") and "mutates_state" in meta["tags"]:
        return "read-only run: this scenario changes vendor state"
    if _deselected_role(config, meta):  # the wallet lifecycle runs with --role wallet
        return role_not_selected(vendor_role(meta["role"], meta["tags"]))
    if meta["role"] == "interop":
        return None  # interop cases are generated from the claims, so they are claimed by construction
    name = item.callspec.params.get("lerconf_vendor") if hasattr(item, "callspec") else None
    profile = _profile_named(config, name)
    if profile is None:
        return None  # the embedded reference claims everything it implements; its profile says so
    reason = not_claimed(profile, meta)
    return f"not claimed: {reason}" if reason else None


def _deselected_role(config: pytest.Config, meta: dict[str, Any]) -> bool:
    """The scenario's role is not among the run's --role ones (the wallet lifecycle runs with --role wallet)."""
    roles = config.getoption("--lerconf-role")
    selected_as = vendor_role(meta["role"], meta["tags"])
    return bool(roles) and selected_as in SELECTABLE_ROLES and selected_as not in roles


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
    meta = item.stash.get(META_KEY, None) or scenario_meta(item)
    if meta is None:
        return
    record = item.stash.get(RECORD_KEY, None)
    if report.when == "setup" and report.skipped:
        record = {"status": "skipped", "reason": skip_reason(report)}
    elif report.when in ("setup", "call") and report.failed:
        broken = call.excinfo is not None and not call.excinfo.errisinstance(AssertionError)
        message = failure_reason(call)
        record = {"status": "broken" if broken or report.when == "setup" else "failed", "reason": message}
    elif report.when == "call" and report.passed:
        record = {"status": "passed", "reason": ""}
    elif report.when == "call" and report.skipped:
        record = {"status": "skipped", "reason": skip_reason(report)}
    if record is not None:
        record["duration_s"] = round(float(record.get("duration_s", 0.0)) + report.duration, 3)
        item.stash[RECORD_KEY] = record
    if report.when == "teardown" and record is not None:
        finish_scenario(item, meta, record)


@pytest.hookimpl(trylast=True)  # after -k and -m deselected theirs
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    selected = list(items)  # the whole selection: digests and baselines compare it, shard or not
    shard = _shard(config)
    if shard is not None:
        _keep_shard(config, items, shard)
    metas = [m for m in map(scenario_meta, items) if m is not None]
    config.stash[RUN_KEY]["total"] = sum(1 for m in metas if not _deselected_role(config, m))  # what the console counts
    run_dir = config.getoption("--lerconf-run-dir")
    if run_dir and config.stash[RUN_KEY].get("run_log") is None:
        profiles = config.stash[RUN_KEY]["profiles"]
        config.stash[RUN_KEY]["run_log"] = RunLog.start(
            Path(run_dir), run_id=Path(run_dir).name, command=sys.argv,
            vendors=[p.public_view() for p in profiles] or [{"name": REFERENCE_NAME, "embedded": True}])
        # run settings that change verdicts: recorded with the results (shown in the report when lowered)
        config.stash[RUN_KEY]["run_log"].run["status_list_minimum"] = config.stash[RUN_KEY]["status_list_minimum"].to_json()
        # what the run judged against (requirement set, scenarios) and what it selected: baselines compare them
        config.stash[RUN_KEY]["run_log"].run.update(digests=run_digests(selected), selection=run_selection(config))
        if shard is not None:
            config.stash[RUN_KEY]["run_log"].run["shard"] = {"index": shard.index, "total": shard.total,
                                                            "scenarios": len(items), "of": len(selected),
                                                            "counted": config.stash[RUN_KEY]["total"]}
        tell_baseline(config.stash[RUN_KEY]["console"], config.stash[RUN_KEY]["run_log"].run["digests"])
        tapes = config.stash[RUN_KEY].get("tapes")
        if tapes is not None:  # a recorded run says so; a replay names the run it judges again
            config.stash[RUN_KEY]["run_log"].run.update(tapes.describe())
        config.stash[RUN_KEY]["run_log"].flush()  # what the run selects and judges against, before any scenario
    _set_aside_the_skipped(config, items)


def _shard(config: pytest.Config) -> Shard | None:
    text = config.getoption("--lerconf-shard")
    if not text:
        return None
    try:
        return parse_shard(str(text))
    except ValueError as exc:
        raise pytest.UsageError(str(exc)) from None


def _shard_key(item: pytest.Item) -> tuple[str, ...]:
    """The group a scenario is dealt in: one scenario for one vendor; an interop scenario with all its
    pairs; and, per wallet that is one stateful system (each scenario resets and fills it), every
    scenario that uses that wallet -- its own wallet scenarios and each OpenID interop case that hands
    another vendor's badge to it -- so they run one after another. A wallet whose adapter keeps
    scenarios apart (``wallet.isolation: scenario``; the embedded reference's) is dealt scenario by
    scenario like any role. Scenarios in different workers or shards run at once, each worker with
    its own reference and wire log."""
    meta = scenario_meta(item)
    if meta is None:
        return (item.nodeid,)
    params = item.callspec.params if hasattr(item, "callspec") else {}
    vendor = str(params.get("lerconf_vendor", ""))
    row = tuple(f"{k}={v}" for k, v in meta["example"].items())
    case = params.get("lerconf_interop")
    if isinstance(case, OpenIdInteropCase):  # issuer → wallet → verifier: it resets and fills this wallet
        if _wallet_isolated(item.config, case.wallet):
            return ("openid", meta["feature_file"], meta["name"], *row, case.id)
        return ("wallet", case.wallet)
    if case is not None:
        return ("interop", meta["feature_file"], meta["name"], *row)
    if vendor_role(meta["role"], meta["tags"]) in WALLET_ROLES and not _wallet_isolated(item.config, vendor):
        return ("wallet", vendor)
    if meta["role"] in PERSON_ROLES:  # one operator in front of one screen: the person's steps stay together
        return ("person", meta["role"], vendor)
    return (meta["feature_file"], meta["name"], *row, vendor)


def _profile_named(config: pytest.Config, name: object) -> VendorProfile | None:
    """The run's profile of vendor ``name``; None for the embedded reference (it has none)."""
    return next((p for p in config.stash[RUN_KEY]["profiles"] if p.name == name), None)


def _wallet_isolated(config: pytest.Config, vendor: str) -> bool:
    """The vendor's wallet adapter gives each scenario a wallet of its own. With no profile the vendor
    is the embedded reference, started in each worker, whose wallet does (its profile says
    ``isolation: scenario``; tests/run/test_shards.py holds both to it)."""
    if not config.stash[RUN_KEY]["profiles"]:
        return True
    wallet = getattr(_profile_named(config, vendor), "wallet", None)
    return bool(wallet is not None and wallet.isolated)


def _expected_cost(config: pytest.Config, item: pytest.Item) -> int:
    """What the scenario is expected to take (ms; lerconf.run.costs), nothing when it is skipped at once."""
    meta = scenario_meta(item)
    if meta is None:
        return feature_cost("")
    return 0 if _skipped_at_setup(config, item, meta) else feature_cost(meta["feature_file"])


def _keep_shard(config: pytest.Config, items: list[pytest.Item], shard: Shard) -> None:
    """Deselect what other shards run; remember each kept item's place in the whole selection."""
    keep = set(split([_shard_key(item) for item in items], shard, [_expected_cost(config, item) for item in items]))
    for position, item in enumerate(items):
        item.stash[ORDER_KEY] = position
    dropped = [item for position, item in enumerate(items) if position not in keep]
    items[:] = [item for position, item in enumerate(items) if position in keep]
    if dropped:
        config.hook.pytest_deselected(items=dropped)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    state = session.config.stash.get(RUN_KEY, None)
    stopped = session.shouldstop or session.shouldfail or session.config.option.collectonly
    if state and exitstatus != pytest.ExitCode.INTERRUPTED and not stopped:  # skipped after the last that ran
        _write_skipped(session.config, state.pop("skipped_last", []))
    if state and exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED and state.get("set_aside"):
        session.exitstatus = pytest.ExitCode.OK  # every selected scenario was skipped, as pytest would have said
    if state and state.get("run_log") is not None:
        counts = state.get("requests") or {}
        for view in state["run_log"].vendors:  # calls lerconf made to each vendor (staging safety)
            if view.get("name") in counts:
                view["requests"] = counts[view["name"]]
        tapes = state.get("tapes")
        if tapes is not None and tapes.record_dir is not None:  # results.json (which a certificate signs) pins the tapes
            state["run_log"].run["recording"] = recording_manifest(tapes.record_dir)
        state["run_log"].finish(interrupted=exitstatus == pytest.ExitCode.INTERRUPTED)
