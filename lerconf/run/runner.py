"""`lerconf run`: one conformance run, from vendor profiles to a run directory of results.

It validates profiles and the document setup first (exit 2 on a setup error), makes
reports/<run-id>/ (and reports/latest), runs the feature files through pytest with the
lerconf plugin and allure-pytest-bdd, then derives the exit code from results.json: 0 when no
claimed MUST scenario failed or broke, 1 otherwise (with --baseline: 1 only when one newly did).
It ends by writing report.html and junit.xml (lerconf.reports.junit, from results.json) into the run
directory, and printing the failures grouped by reason, the counts and where the report is
(lerconf.run.console; pytest's own console is quieted). A selection that matches no scenario
(-k, --tags, --role) or an unknown tag in --tags is a usage error (exit 2), not a green run.

Document settings (--contexts-dir, --schemas-dir, --offline, --url-map, --allow-private-network)
reach the pytest session,
which runs in this process and reads them with LoaderSettings.from_env(), through the LERCONF_*
environment variables; run() sets them for the run only and restores the environment after.
"""
from __future__ import annotations

import contextlib
import gc
import json
import os
import shutil
import sys
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lerconf import __version__
from lerconf.documents.loader import ALLOW_PRIVATE_VARIABLE, DocumentLoader, LoaderSettings
from lerconf.documents.registry import REGISTRY
from lerconf.errors import LerconfError
from lerconf.profile.load import load_profile
from lerconf.run import tags as tagmod
from lerconf.run.console import Console, is_role_not_selected
from lerconf.run.parallel import refuse_parallel, run_workers
from lerconf.run.ports import recording_ports
from lerconf.run.preflight import before_run
from lerconf.runlog import load_results
from lerconf.scenarios.harness import status_list_minimum
from lerconf.shards import Shard

if TYPE_CHECKING:
    from lerconf.reports import ReportOutcome
    from lerconf.reports.baseline import Baseline, BaselineDiff

BASE_CONTEXT = "https://www.w3.org/ns/credentials/v2"

CATEGORIES = [
    {"name": "Transport (unreachable, timeout, size limit)", "matchedStatuses": ["broken"],
     "messageRegex": ".*(transport_error|timeout|refused|exceeded|circuit open).*"},
    {"name": "Authentication", "matchedStatuses": ["broken"], "messageRegex": ".*(auth_error|credentials refused).*"},
    {"name": "Server error", "matchedStatuses": ["broken"], "messageRegex": ".*(server_error|HTTP 5\\d\\d).*"},
    {"name": "Protocol (unexpected answer)", "matchedStatuses": ["broken", "failed"],
     "messageRegex": ".*(malformed_response|contradictory|API-\\d+).*"},
    {"name": "Schema", "matchedStatuses": ["failed"], "messageRegex": ".*(OB-11|OB-21|CLR-06|CLR-08|schema).*"},
    {"name": "Proof", "matchedStatuses": ["failed"], "messageRegex": ".*(DI-\\d+|ED-\\d+|EC-\\d+|JC-\\d+|signature).*"},
    {"name": "DID resolution", "matchedStatuses": ["failed"], "messageRegex": ".*(CID-\\d+|DID-\\d+|did:).*"},
    {"name": "Status", "matchedStatuses": ["failed"], "messageRegex": ".*(BSL-\\d+|revoked|suspended|status list).*"},
    {"name": "Dates", "matchedStatuses": ["failed"], "messageRegex": ".*(VCDM-3[34]|OB-27|expired|not yet valid).*"},
    {"name": "Data model", "matchedStatuses": ["failed"], "messageRegex": ".*(VCDM-\\d+|OB-\\d+|CLR-\\d+).*"},
    {"name": "Verifier accepted a defective document", "matchedStatuses": ["failed"], "messageRegex": ".*accepted it.*"},
]


@dataclass
class RunOptions:
    vendors: list[Path] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    tags: str | None = None
    keyword: str | None = None
    out: Path = field(default_factory=lambda: Path.cwd() / "reports")
    offline: bool = False
    url_map: Path | None = None
    read_only: bool = False
    baseline: Path | None = None
    #: searched before any LERCONF_CONTEXTS_DIR / LERCONF_SCHEMAS_DIR directories (like `lerconf verify`)
    contexts_dirs: list[Path] = field(default_factory=list)
    schemas_dirs: list[Path] = field(default_factory=list)
    #: --allow-private-network: vendor documents and calls may reach private addresses no profile names
    allow_private_network: bool = False
    #: --status-list-minimum: the fewest entries a status list may hold (BSL-16); None = the profiles' or the spec's
    status_list_minimum: int | None = None
    #: --junit: also write the run's JUnit XML here (it is always in the run directory as junit.xml)
    junit: Path | None = None
    #: False with --no-preflight: no reachability/authentication checks before the run (lerconf.run.preflight)
    preflight: bool = True
    #: --record: keep a tape per scenario in the run directory's recording/ (lerconf.run.tapes)
    record: bool = False
    #: `lerconf replay`: the recording every answer is read from (nothing is sent)
    replay: Path | None = None
    #: --shard I/N: only this part of the selection (lerconf.shards); `lerconf report` merges the parts
    shard: Shard | None = None
    #: -n: worker processes on this machine, each a shard, merged into this run (lerconf.run.parallel)
    workers: int = 1


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + f"-{os.getpid()}"


def new_run_dir(out: Path) -> Path:
    """A new directory under ``out`` named by the time and process; a second run the same second in the
    same process (a service or a script calling ``run`` in a loop) gets ``-2``, ``-3``... instead of
    failing on the first one's directory."""
    out.mkdir(parents=True, exist_ok=True)
    base = new_run_id()
    for n in range(1, 1000):
        run_dir = out / (base if n == 1 else f"{base}-{n}")
        try:
            run_dir.mkdir()
        except FileExistsError:
            continue
        return run_dir
    raise LerconfError(f"{out}: no free run directory name for {base}")


def _dirs_variable(name: str, dirs: list[Path]) -> dict[str, str]:
    """``name`` with ``dirs`` (absolute) put before the directories it already lists."""
    if not dirs:
        return {}
    for directory in dirs:
        if not directory.is_dir():
            raise LerconfError(f"{directory}: no such directory (given for {name})")
    given = [str(d.resolve()) for d in dirs]
    already = [p for p in os.environ.get(name, "").split(os.pathsep) if p]
    return {name: os.pathsep.join(given + already)}


def document_environment(options: RunOptions) -> dict[str, str]:
    """The LERCONF_* variables that carry the run's document settings to LoaderSettings.from_env()."""
    env = {**_dirs_variable("LERCONF_CONTEXTS_DIR", options.contexts_dirs),
           **_dirs_variable("LERCONF_SCHEMAS_DIR", options.schemas_dirs)}
    if options.offline:
        env["LERCONF_OFFLINE"] = "1"
    if options.url_map:
        env["LERCONF_URL_MAP"] = str(options.url_map.resolve())
    if options.allow_private_network:
        env[ALLOW_PRIVATE_VARIABLE] = "1"
    return env


@contextlib.contextmanager
def environment(values: Mapping[str, str]) -> Iterator[None]:
    """os.environ with ``values`` set, restored afterwards (the pytest session runs in this process)."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def check_setup(options: RunOptions) -> list[Any]:
    """Fail fast, before any scenario, on what would break every scenario."""
    profiles = [load_profile(p) for p in options.vendors]
    names = [p.name for p in profiles]
    if len(set(names)) != len(names):
        raise LerconfError(f"two vendor profiles share a name: {sorted(n for n in names if names.count(n) > 1)}")
    status_list_minimum(profiles, options.status_list_minimum)  # profiles that disagree are a setup error
    settings = LoaderSettings.from_env(offline=True if options.offline else None)
    DocumentLoader(settings).load_registered(BASE_CONTEXT)  # raises ResolutionError (setup) when missing
    features = features_dir()  # raises LerconfError when the installed package lacks its feature files
    if options.tags:
        check_tags(options.tags, features)
    return profiles


def check_tags(expression: str, features: Path) -> None:
    """--tags names only tags the feature files use (a typo would select nothing and go green)."""
    valid = tagmod.feature_tags(features)
    unknown = tagmod.unknown_tags(expression, valid)
    if unknown:
        hint = [f"{t} is a requirement id, not a tag" for t in unknown if tagmod.is_requirement(t)]
        raise LerconfError(f"--tags {expression!r}: unknown tag(s) {', '.join(unknown)}; the feature files use: "
                           f"{', '.join(sorted(valid, key=str.lower))}" + "".join(f"; {h}" for h in hint))


def features_dir() -> Path:
    """The feature files shipped with lerconf (features/ in a checkout, lerconf/features when
    installed): found through importlib.resources, never relative to the working directory."""
    try:
        root = Path(str(resources.files("lerconf.features")))
    except ModuleNotFoundError:
        raise LerconfError("lerconf's feature files are not installed (package lerconf.features is missing); "
                           "reinstall lerconf from its wheel") from None
    if not root.is_dir() or not any(root.rglob("*.feature")):
        raise LerconfError(f"feature files not found at {root}: lerconf must be installed on disk, not zipped")
    return root


def _environment(profiles: list[Any], run_dir: Path) -> None:
    allure_dir = run_dir / "allure-results"
    allure_dir.mkdir(parents=True, exist_ok=True)
    lines = [f"lerconf.version={__version__}", f"python={sys.version.split()[0]}"]
    for i, p in enumerate(profiles):
        lines.append(f"vendor.{i}={p.name} {p.version or ''}".rstrip())
    if not profiles:
        lines.append("vendor.0=lerconf reference (embedded)")
    for url in ("https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"):
        entry = REGISTRY[url]
        lines.append(f"context.{url.rsplit('/', 1)[-1]}={','.join(sorted(d[:16] for d in entry.digests))}")
    (allure_dir / "environment.properties").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (allure_dir / "categories.json").write_text(json.dumps(CATEGORIES, indent=1), encoding="utf-8")


def _latest(out: Path, run_dir: Path) -> None:
    link = out / "latest"
    try:
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(run_dir.name, target_is_directory=True)
    except OSError:
        (out / "LATEST").write_text(run_dir.name + "\n", encoding="utf-8")


def pytest_args(options: RunOptions, run_dir: Path) -> list[str]:
    features = features_dir()
    # no:unraisableexception: its two full garbage collections as the session ends were ~3% of a test
    # process doing many runs; an unraisable exception still reaches stderr through Python's own hook
    args = [str(features), "-c", str(features / "pytest.ini"), f"--rootdir={features}",
            "--disable-plugin-autoload", "-p", "pytest_bdd.plugin", "-p", "allure_pytest_bdd.plugin",
            "-p", "no:cacheprovider", "-p", "no:warnings", "-p", "no:unraisableexception",
            "-qq", "--no-header", "-rN", "--tb=no",
            "-o", "console_output_style=classic", "--lerconf-console", f"--lerconf-run-dir={run_dir}",
            f"--alluredir={run_dir / 'allure-results'}"]
    if options.baseline:
        args.append(f"--lerconf-baseline={options.baseline}")
    for vendor in options.vendors:
        args.append(f"--vendor={vendor}")
    for role in options.roles:
        args.append(f"--lerconf-role={role}")
    if options.tags:
        args += ["-m", options.tags]
    if options.keyword:
        args += ["-k", options.keyword]
    if options.read_only:
        args.append("--read-only")
    if options.status_list_minimum is not None:
        args.append(f"--lerconf-status-list-minimum={options.status_list_minimum}")
    if options.record:
        args.append("--lerconf-record")
    if options.replay is not None:
        args.append(f"--lerconf-replay={options.replay}")
    if options.shard is not None:
        args.append(f"--lerconf-shard={options.shard}")
    return args


def exit_code(results: dict[str, Any]) -> int:
    """1 when a claimed MUST scenario failed or broke (skipped = not claimed, never counted)."""
    for s in results.get("scenarios", []):
        if s.get("status") in ("failed", "broken") and s.get("severity", "MUST") == "MUST":
            return 1
    return 0


def _selection(options: RunOptions) -> str:
    parts = [f"-k {options.keyword!r}" if options.keyword else "", f"--tags {options.tags!r}" if options.tags else "",
             " ".join(f"--role {r}" for r in options.roles)]
    return ", ".join(p for p in parts if p) or "all features"


def _forget(out: Path, run_dir: Path, previous: str | None) -> None:
    """Remove a run directory that holds nothing, and point `latest` back where it was."""
    shutil.rmtree(run_dir, ignore_errors=True)
    link = out / "latest"
    with contextlib.suppress(OSError):
        if link.is_symlink():
            link.unlink()
            if previous:
                link.symlink_to(previous, target_is_directory=True)


@contextlib.contextmanager
def _long_lived_set_aside() -> Iterator[None]:
    """Everything alive before the run (imported modules, loaded documents, a test process's fixtures)
    outlives it: frozen, the garbage collector's full passes during the run skip it instead of walking
    it again each time; put back afterwards, so what the run left behind is collected as usual. No
    collection first: in a process doing many runs (lerconf's tests) that full pass over everything
    cost more than the frozen garbage it would have spared (it is collected after the unfreeze)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _let_go_of_the_session() -> None:
    """pytest keeps the last failed scenario's exception in sys.last_* (for a post-mortem debugger); its
    traceback holds the scenario and with it the whole pytest session of the run. A run that failed a
    scenario then kept every item, fixture and evidence of the run alive in the process, which made each
    later garbage collection of a process doing many runs (a service, lerconf's own tests) slower."""
    for name in ("last_type", "last_value", "last_traceback", "last_exc"):
        if hasattr(sys, name):
            delattr(sys, name)


def run(options: RunOptions) -> tuple[int, Path]:
    import pytest

    from lerconf.reports import load_baseline, write_report
    from lerconf.reports.junit import write_junit

    # a recorded run's reference gets ports its replay can bind again (lerconf.run.ports)
    with environment({**document_environment(options), **recording_ports(options.record)}):
        profiles = check_setup(options)
        if options.workers > 1:
            refuse_parallel(options, profiles)
        before_run(profiles, check=options.preflight, allow_private=options.allow_private_network,
                   roles=options.roles)  # lerconf.run.preflight: exit 2 on setup problems, before any scenario
        baseline = load_baseline(options.baseline) if options.baseline else None  # a bad baseline is a setup error
        run_dir = new_run_dir(options.out)
        _environment(profiles, run_dir)
        previous = os.readlink(options.out / "latest") if (options.out / "latest").is_symlink() else None
        _latest(options.out, run_dir)
        if options.workers > 1:
            code = _parallel(options, run_dir, baseline)
        else:
            with warnings.catch_warnings():  # the console is for verdicts: no library or pytest warnings in it
                warnings.simplefilter("ignore")
                with _long_lived_set_aside():
                    try:
                        code = pytest.main(pytest_args(options, run_dir))
                    except KeyboardInterrupt:  # Ctrl-C as pytest ended the session: what was written stands
                        code = pytest.ExitCode.INTERRUPTED
            _let_go_of_the_session()
        nothing_written = not (run_dir / "results.json").is_file() and not (run_dir / "results.jsonl").is_file()
        if code == pytest.ExitCode.INTERRUPTED and nothing_written:  # Ctrl-C while pytest was starting
            _forget(options.out, run_dir, previous)
            print("lerconf: interrupted before any scenario ran; nothing written", file=sys.stderr)
            return 130, run_dir
        if code in (pytest.ExitCode.USAGE_ERROR, pytest.ExitCode.INTERNAL_ERROR) and nothing_written:
            _forget(options.out, run_dir, previous)
            raise LerconfError(f"pytest could not start the run ({_selection(options)}): its error is above")
        results = load_results(run_dir / "results.json")
        selected = [s for s in results.get("scenarios", [])
                    if not (s.get("status") == "skipped" and is_role_not_selected(str(s.get("reason") or "")))]
        # a shard may hold nothing when there are fewer scenarios than shards; the selection itself may not
        whole = int((results.get("run", {}).get("shard") or {}).get("of", 0)) if options.shard else len(selected)
        if not whole and code in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
            _forget(options.out, run_dir, previous)
            raise LerconfError(f"no scenario matches the selection ({_selection(options)}); nothing ran")
        try:
            report = write_report([run_dir], baseline=baseline, results={run_dir: results})
            junit = [run_dir / "junit.xml", *([options.junit] if options.junit else [])]
            for path in junit:
                write_junit(report.data, path, report.diff)
        except KeyboardInterrupt:  # Ctrl-C after the scenarios: results.json holds them, the report is unfinished
            print(f"lerconf: interrupted while writing the report; the results are in {run_dir / 'results.json'}",
                  file=sys.stderr)
            return 130, run_dir
    _summary(Console(), results, report, run_dir, junit)
    if code == pytest.ExitCode.INTERRUPTED:
        print(f"lerconf: interrupted; partial results in {run_dir / 'results.json'}", file=sys.stderr)
        return 130, run_dir
    if code in (pytest.ExitCode.INTERNAL_ERROR, pytest.ExitCode.USAGE_ERROR):
        return 2, run_dir
    return (report.exit_code if baseline else exit_code(results)), run_dir


def _parallel(options: RunOptions, run_dir: Path, baseline: Baseline | None) -> int:
    """Run the selection in worker processes (lerconf.run.parallel); a pytest-like exit code for run()."""
    import pytest

    console = Console(marker=baseline.mark, explain=baseline.known_reason) if baseline is not None else Console()
    outcome = run_workers(options, options.workers, run_dir, console)
    for log in outcome.failed_logs:
        print(f"lerconf: error: a worker ended without finishing its part; its output: {log}", file=sys.stderr)
    if outcome.interrupted:
        return pytest.ExitCode.INTERRUPTED
    return pytest.ExitCode.INTERNAL_ERROR if outcome.failed_logs else pytest.ExitCode.OK


def _summary(console: Console, results: dict[str, Any], report: ReportOutcome, run_dir: Path, junit: list[Path]) -> None:
    """The end of the console: failures grouped by reason (with a baseline: the new ones, each new
    failure and fix by name), then the counts and where the results are."""
    scenarios = list(results.get("scenarios", []))
    diff = report.diff
    if diff is not None:
        new_ids = {s.source_id for s in diff.regressions}
        console.failure_summary([s for s in scenarios if s.get("id") in new_ids])
        by_id = {s.get("id"): s for s in scenarios}
        console.baseline_summary(diff.source, [by_id[i] for i in (s.source_id for s in diff.regressions) if i in by_id],
                                 [by_id[s.source_id] for _, s in diff.fixed if s.source_id in by_id],
                                 len(diff.known), [k.label for k in diff.not_run])
        _baseline_notes(console, diff)
    else:
        console.failure_summary(scenarios)
    counts = {k: sum(1 for s in scenarios if s.get("status") == k) for k in ("passed", "failed", "broken", "skipped")}
    line = ", ".join(f"{n} {k}" for k, n in counts.items())
    skipped = [str(s.get("reason") or "") for s in scenarios if s.get("status") == "skipped"]
    why = {"not claimed": sum(1 for r in skipped if r.startswith("not claimed")),
           "cannot be judged": sum(1 for r in skipped if r.startswith("cannot be judged")),
           "role not selected": sum(1 for r in skipped if is_role_not_selected(r))}
    why["other"] = len(skipped) - sum(why.values())
    if skipped:
        line += " (" + ", ".join(f"{n} {k}" for k, n in why.items() if n) + ")"
    if diff is not None:
        line += f"; {len(diff.regressions)} new, {len(diff.known)} known (baseline)"
    console.write(f"lerconf: {line}; results in {run_dir}")
    console.write(f"lerconf: report: {report.report}; JUnit: {', '.join(map(str, junit))}")
    for message in diff.stale_messages() if diff is not None else []:
        print(f"lerconf: error: {message}", file=sys.stderr)


def _baseline_notes(console: Console, diff: BaselineDiff) -> None:
    """What changed since the baseline's digests, the scenarios that changed with it (not regressions),
    the entries this run's selection left out, and the stale entries (errors, exit 2)."""
    changes = diff.digest_changes
    if changes:
        console.write("lerconf: the baseline was made under other requirements or scenarios; changed since:")
        for line in changes.lines():
            console.write(f"  {line}")
    for why, s in diff.changed:
        console.write(f"  CHANGED {s.status.upper():<7} {s.vendor}: {s.name} -- {why}")
    if diff.not_selected:
        console.write(f"  {len(diff.not_selected)} baseline entr{'y' if len(diff.not_selected) == 1 else 'ies'} not in this "
                      f"run's selection: {'; '.join(k.label for k in diff.not_selected)}")
    if diff.retired:
        console.write(f"  {len(diff.retired)} baseline entr{'y' if len(diff.retired) == 1 else 'ies'} name scenarios "
                      f"removed since the baseline: {'; '.join(k.label for k in diff.retired)}")
    for k in diff.stale:
        console.write(f"  {console.paint('STALE', 'STALE  ')} baseline {k.label}: matches no scenario of this run")
