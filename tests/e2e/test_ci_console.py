"""`lerconf run` in CI: its console and its junit.xml, against a vendor that fails and breaks.

The vendor is lerconf's reference with two faults of tests/faulty: its issuer answers 200 instead
of 201 (API-01: six scenarios *failed*) and its verifier answers HTTP 500 whenever it finds a
problem (DI-15: seven tampered-badge scenarios *broken*); its valid badges verify (six passed).
Runs are limited with -k to those scenarios, so each takes seconds.
"""
from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from faulty import FAULTS, running_vendor
from faulty.faults import Fault, Parts
from faulty.server import FaultyVendor

from conftest import shared_env
from lerconf.reports.junit import INTEROP_SUITE
from lerconf.run.console import one_line
from lerconf.run.runner import RunOptions, run
from lerconf.runlog import load_results

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
LERCONF = Path(sys.executable).parent / "lerconf"
KEYWORD = "returns_201 or tampered_badge or verifies_a_valid_badge"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
_BY_NAME = {f.name: f for f in FAULTS}


def _both(state: Any) -> Parts:
    issuer, verifier = (_BY_NAME[n].install(state) for n in ("issuer-answers-200", "verifier-500-on-failure"))
    return Parts(routes=issuer.routes + verifier.routes, middleware=issuer.middleware + verifier.middleware)


TWO_FAULTS = Fault("issuer-200-verifier-500", "issuer", "issuer answers 200; verifier answers 500 on failure",
                   ("API-01", "DI-15"), frozenset(), _both)


@pytest.fixture(scope="module")
def vendor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FaultyVendor]:
    with pytest.MonkeyPatch.context() as patch:
        for name, value in shared_env().items():
            patch.setenv(name, value)
        with running_vendor(TWO_FAULTS, tmp_path_factory.mktemp("vendor")) as served:
            yield served


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "GITHUB_ACTIONS", "CI", "FORCE_COLOR")}
    return {**env, **shared_env(), **extra}


def _lerconf(vendor: FaultyVendor, out: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    argv = [str(LERCONF), "run", "--vendor", str(vendor.profile_path), "--url-map", str(vendor.url_map_path),
            "--role", "issuer", "--role", "verifier", "--out", str(out), "-k", KEYWORD, *args]
    return subprocess.run(argv, check=False, cwd=REPO, env=_env(**env), capture_output=True, text=True, timeout=300)


def _in_process(vendor: FaultyVendor, out: Path, **options: Any) -> tuple[int, Path]:
    saved = {k: os.environ.get(k) for k in ("LERCONF_URL_MAP", "LERCONF_OFFLINE", *shared_env())}
    os.environ.update(shared_env())
    try:
        return run(RunOptions(vendors=[vendor.profile_path], url_map=vendor.url_map_path, roles=["issuer", "verifier"],
                              keyword=KEYWORD, out=out, **options))
    finally:
        for k, v in saved.items():
            os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)


def _scenarios(run_dir: Path) -> list[dict[str, Any]]:
    return [s for s in load_results(run_dir)["scenarios"] if not str(s["reason"]).endswith("not selected")]


@pytest.fixture(scope="module")
def junit_run(vendor: FaultyVendor, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, Path, Path]:
    """One in-process run with --junit (read-only): its exit code, run directory and extra JUnit file.
    The JUnit test judges it; the baseline JUnit test takes its results.json as the baseline."""
    folder = tmp_path_factory.mktemp("junit-run")
    extra = folder / "ci" / "lerconf-junit.xml"
    code, run_dir = _in_process(vendor, folder / "reports", junit=extra)
    return code, run_dir, extra


@pytest.fixture(scope="module")
def console_run(vendor: FaultyVendor, tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    """One `lerconf run` subprocess, no baseline (read-only): its process and --out directory. The
    console test judges its console; the console baseline test takes its scenarios for the baseline."""
    out = tmp_path_factory.mktemp("console-run") / "reports"
    return _lerconf(vendor, out), out


# -- JUnit ------------------------------------------------------------------------------------------------
def test_junit_of_a_failing_and_broken_run(vendor: FaultyVendor, junit_run: tuple[int, Path, Path]) -> None:
    code, run_dir, extra = junit_run
    assert code == 1
    scenarios = _scenarios(run_dir)
    by_status = {k: [s for s in scenarios if s["status"] == k] for k in ("passed", "failed", "broken")}
    assert (len(by_status["failed"]), len(by_status["broken"]), len(by_status["passed"])) == (6, 7, 6), \
        [(s["status"], s["name"]) for s in scenarios]

    root = ET.parse(run_dir / "junit.xml").getroot()
    assert extra.read_text(encoding="utf-8") == (run_dir / "junit.xml").read_text(encoding="utf-8")
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == ("19", "6", "7", "0")
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    name = vendor.fault.vendor_name
    assert set(suites) == {f"{name} / issuer", f"{name} / verifier"}, set(suites)
    assert INTEROP_SUITE not in suites
    issuer, verifier = suites[f"{name} / issuer"], suites[f"{name} / verifier"]
    assert (issuer.get("tests"), issuer.get("failures"), issuer.get("errors")) == ("6", "6", "0")
    assert (verifier.get("tests"), verifier.get("failures"), verifier.get("errors")) == ("13", "0", "7")

    cases = {c.get("name"): c for s in suites.values() for c in s.findall("testcase")}
    assert set(cases) == {s["name"] for s in scenarios}, "testcase names are the scenario names"
    for s in scenarios:
        case = cases[s["name"]]
        assert case.get("classname") == f"{name}.{s['role']}.{s['feature'].replace('.', '_')}"
        props: dict[str, list[str]] = {}
        for p in case.findall("properties/property"):
            props.setdefault(p.get("name", ""), []).append(p.get("value", ""))
        assert props["requirement"] == s["requirement_ids"] and props["strength"] == [s["severity"]]
        assert props["vendor"] == [name] and props["role"] == [s["role"]] and props["scenario_id"] == [s["id"]]
        assert set(props["tags"][0].split(", ")) == set(s["tags"])
        assert float(case.get("time", "-1")) == pytest.approx(s["duration_s"], abs=0.001)
        element = {"failed": "failure", "broken": "error", "passed": None}[s["status"]]
        if element is None:
            assert not [c for c in case if c.tag in ("failure", "error", "skipped")]
        else:
            node = case.find(element)
            assert node is not None and node.get("message") == one_line(s["reason"], 500)
    assert "API-01" in cases[by_status["failed"][0]["name"]].find("failure").get("message", "")
    assert "server_error: HTTP 500" in cases[by_status["broken"][0]["name"]].find("error").get("message", "")


def test_junit_of_a_baseline_run_agrees_with_exit_code_0(vendor: FaultyVendor, junit_run: tuple[int, Path, Path],
                                                         tmp_path: Path) -> None:
    _, first, _ = junit_run
    code, run_dir = _in_process(vendor, tmp_path / "again", baseline=first / "results.json")
    assert code == 0, "every failure is known to the baseline"
    root = ET.parse(run_dir / "junit.xml").getroot()
    assert (root.get("failures"), root.get("errors"), root.get("skipped")) == ("0", "0", "13")
    known = [s for s in root.iter("skipped")]
    assert all(k.get("message", "").startswith("known failure (baseline): ") for k in known)
    assert any("server_error: HTTP 500" in k.get("message", "") for k in known)


# -- the console --------------------------------------------------------------------------------------------
def test_console_of_a_failing_run(console_run: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    proc, reports = console_run
    assert proc.returncode == 1, proc.stdout[-3000:] + proc.stderr[-3000:]
    out = proc.stdout
    (run_dir,) = [p for p in reports.iterdir() if p.is_dir() and not p.is_symlink()]
    scenarios = _scenarios(run_dir)
    lines = out.splitlines()
    scenario_lines = [line for line in lines if re.match(r"\[\s*\d+/19\] ", line)]
    assert len(scenario_lines) == len(scenarios) == 19, out
    for s in scenarios:
        mine = [line for line in scenario_lines if f"{s['status'].upper():<7} {s['vendor']}: {s['name']}" in line]
        assert len(mine) == 1, (s["name"], out)
        if s["status"] != "passed":
            assert mine[0].endswith(" -- " + one_line(s["reason"])), mine[0]
    assert any("API-01: issue answered HTTP 200" in line and line.split("] ", 1)[1].startswith("FAILED") for line in scenario_lines)
    assert any("server_error: HTTP 500" in line and "BROKEN" in line for line in scenario_lines)
    # pytest's noise is gone
    assert "warnings summary" not in out + proc.stderr and "PytestAssertRewriteWarning" not in out + proc.stderr
    assert "%]" not in out and not re.search(r"^[.sFE]+\s*$", out, re.M), out
    assert not ANSI.search(out), "no colour when stdout is not a terminal"
    assert "::error" not in out, "no GitHub annotations outside GitHub Actions"
    # the end: failures grouped by reason, then the counts and the report path
    summary = out[out.index("failed or broke, in 2 group(s) by reason"):]
    assert re.search(r"FAILED\s+6 x MUST API-01: issue answered HTTP 200", summary), summary
    assert re.search(r"BROKEN\s+7 x MUST DI-15: the verifier gave no verdict: server_error: HTTP 500", summary), summary
    assert f"6 passed, 6 failed, 7 broken, 0 skipped; results in {run_dir}" in summary
    assert f"report: {run_dir / 'report.html'}" in summary
    assert summary.index("by reason") < summary.index("6 passed") < summary.index("report: ")


def test_console_with_a_baseline_names_new_failures_fixes_and_known(
        vendor: FaultyVendor, console_run: tuple[subprocess.CompletedProcess[str], Path], tmp_path: Path) -> None:
    first, first_out = console_run
    (first_dir,) = [p for p in first_out.iterdir() if p.is_dir() and not p.is_symlink()]
    scenarios = _scenarios(first_dir)
    failed = [s for s in scenarios if s["status"] == "failed"]
    passing = next(s for s in scenarios if s["status"] == "passed")
    expected = tmp_path / "expected.yaml"
    expected.write_text("".join(f"- id: {json.dumps(s['id'])}\n  reason: tracked\n" for s in [*failed, passing]),
                        encoding="utf-8")
    proc = _lerconf(vendor, tmp_path / "again", "--baseline", str(expected))
    assert first.returncode == 1 and proc.returncode == 1, proc.stdout[-3000:] + proc.stderr[-2000:]
    out = proc.stdout
    known = [line for line in out.splitlines() if "] KNOWN   " in line]
    # each KNOWN line says why the baseline expects it (the entry's reason)
    assert len(known) == 6 and all("known failed (baseline: tracked): API-01" in line for line in known), out
    assert sum(1 for line in out.splitlines() if "] BROKEN  " in line and " -- [new] " in line) == 7, out
    assert f"] FIXED   {passing['vendor']}: {passing['name']}" in out
    assert "7 new failure(s), 1 fixed, 6 known failure(s) still failing" in out
    new_lines = [line for line in out.splitlines() if line.startswith("  NEW ")]
    assert len(new_lines) == 7 and all("server_error: HTTP 500" in line for line in new_lines), out
    assert f"  FIXED   {passing['vendor']}: {passing['name']}" in out
    assert re.search(r"BROKEN\s+7 x MUST DI-15", out) and not re.search(r"FAILED\s+6 x MUST API-01", out), \
        "the grouped summary lists only what fails the run"


def test_github_actions_annotations(vendor: FaultyVendor, tmp_path: Path) -> None:
    proc = _lerconf(vendor, tmp_path / "reports", GITHUB_ACTIONS="true")
    assert proc.returncode == 1, proc.stderr[-3000:]
    errors = [line for line in proc.stdout.splitlines() if line.startswith("::error ")]
    assert len(errors) == 13, proc.stdout
    name = vendor.fault.vendor_name
    title = f"{name}%3A Issuer service issues a badge and returns 201 (eddsa-rdfc-2022%2C VC 2.0)"
    assert f"::error title={title}::FAILED [API-01 MUST] API-01: issue answered HTTP 200, VCALM requires 201 Created" \
        in proc.stdout, proc.stdout
    for line in errors:
        title_part, message = line.removeprefix("::error title=").split("::", 1)
        assert ":" not in title_part and "," not in title_part and "\n" not in message
    assert not [line for line in proc.stdout.splitlines() if line.startswith("::warning")]


# -- selections that match nothing ---------------------------------------------------------------------------
def test_a_selection_matching_no_scenario_is_exit_2(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    proc = subprocess.run([str(LERCONF), "run", "--out", str(out), "-k", "nosuchscenario"], check=False, cwd=REPO,
                          env=_env(), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "no scenario matches the selection (-k 'nosuchscenario')" in proc.stderr
    assert not [p for p in out.iterdir() if p.is_dir() and not p.is_symlink()] if out.exists() else True
    assert "0 passed" not in proc.stdout


def test_an_unknown_tag_is_exit_2_listing_the_valid_tags(tmp_path: Path) -> None:
    proc = subprocess.run([str(LERCONF), "run", "--out", str(tmp_path / "reports"), "--tags", "NEGG"], check=False,
                          cwd=REPO, env=_env(), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "unknown tag(s) NEGG" in proc.stderr
    listed = proc.stderr.split("the feature files use: ", 1)[1].split(";")[0].strip().split(", ")
    assert {"NEG", "issuer", "verifier", "holder", "mutates_state", "MUST", "SHOULD"} <= set(listed)
    assert "Unknown marker" not in proc.stderr and not (tmp_path / "reports").exists()


# -- colour --------------------------------------------------------------------------------------------------
def _on_a_terminal(out: Path, **env: str) -> str:
    leader, follower = pty.openpty()
    proc = subprocess.Popen([str(LERCONF), "run", "--out", str(out), "-k", "returns_201"], cwd=REPO, env=_env(**env),
                            stdout=follower, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    os.close(follower)
    chunks = []
    try:
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
        proc.wait(timeout=300)
    assert proc.returncode == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_colour_on_a_terminal_unless_no_color(tmp_path: Path) -> None:
    coloured = _on_a_terminal(tmp_path / "a")
    assert ANSI.search(coloured) and "PASSED" in coloured, coloured
    plain = _on_a_terminal(tmp_path / "b", NO_COLOR="1")
    assert "PASSED" in plain and not ANSI.search(plain), plain
