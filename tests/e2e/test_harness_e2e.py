"""`lerconf run` end to end, through the real command line in a subprocess.

Against the embedded reference everything passes and every report artefact exists (the session's
shared recorded run, tests/_shared_runs.py, made once for this file and tests/e2e/test_record_replay.py); a bad
profile stops the run before it starts (exit 2, naming file and field); a vendor that refuses
connections makes scenarios broken, never passed; a run killed with SIGKILL leaves results that
``lerconf.runlog.load_results`` reads.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _shared_runs import SharedRun

from conftest import shared_env
from lerconf.runlog import STATUSES, load_results

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
LERCONF = Path(sys.executable).parent / "lerconf"
SCENARIO_KEYS = {"id", "name", "feature", "vendor", "role", "requirement_ids", "severity", "status", "reason",
                 "example", "evidence"}


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, **shared_env(), **extra}


def _lerconf(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LERCONF), *args], check=False, cwd=REPO, env=_env(), capture_output=True, text=True, timeout=600)


def _run_dirs(out: Path) -> list[Path]:
    return [p for p in out.iterdir() if p.is_dir() and not p.is_symlink()] if out.exists() else []


def _refused_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _profile(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


#: the longest step argument an Allure result may show (a session, an attempt, a presentation: a line or two)
STEP_PARAMETER_LIMIT = 4000


def _step_parameters(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for step in node.get("steps", []):
        yield from step.get("parameters", [])
        yield from _step_parameters(step)


def test_run_against_the_embedded_reference(recorded_reference_run: SharedRun) -> None:
    """The session's shared `lerconf run --record` (tests/conftest.py), which
    tests/e2e/test_record_replay.py replays: recording adds recording/ and changes nothing checked here."""
    proc, out = recorded_reference_run, recorded_reference_run.out
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-4000:]

    (run_dir,) = _run_dirs(out)
    assert f"results in {run_dir}" in proc.stdout
    latest = out / "latest"
    assert latest.is_symlink() and latest.resolve() == run_dir.resolve()

    results = json.loads((run_dir / "results.json").read_text(encoding="utf-8"))
    assert results["run"]["complete"] is True
    scenarios = results["scenarios"]
    assert len(scenarios) >= 90
    ids = [s["id"] for s in scenarios]
    assert len(ids) == len(set(ids)), "scenario ids key reports and baselines: they must be unique"
    for scenario in scenarios:
        assert set(scenario) >= SCENARIO_KEYS, sorted(SCENARIO_KEYS - set(scenario))
        assert scenario["status"] in STATUSES
    bad = [f"{s['status']}: {s['name']}: {s['reason']}" for s in scenarios if s["status"] in ("failed", "broken")]
    assert not bad, "\n".join(bad)
    skipped = [s for s in scenarios if s["status"] == "skipped"]
    # the reference is one vendor: only what needs two (interop) is not claimed
    assert all(s["reason"].startswith("not claimed") for s in skipped), skipped
    passed = [s for s in scenarios if s["status"] == "passed"]
    assert len(passed) >= 90
    # a pass says what it saw: the vendor exchanges and check results are kept as evidence
    assert all(s["requirement_ids"] for s in scenarios)
    assert all(s["evidence"]["exchanges"] or s["evidence"]["checks"] for s in passed)
    # a pass is judged by the check of the requirement it is tagged with (its result, with the spec
    # link, is in the evidence): a scenario tagged one id whose steps judged another fails here
    unjudged = [f"{s['name']}: {s['requirement_ids']}" for s in passed
                if not set(s["requirement_ids"]) <= {c["id"] for c in s["evidence"]["checks"]}]
    assert not unjudged, "\n".join(unjudged)
    assert f"{len(passed)} passed, 0 failed, 0 broken, {len(skipped)} skipped" in proc.stdout

    junit = ET.parse(run_dir / "junit.xml").getroot()  # lerconf.reports.junit: a suite per vendor and role
    assert junit.tag == "testsuites" and len(junit.findall("testsuite")) >= 8
    assert int(junit.get("tests", "0")) == len(scenarios) == len(list(junit.iter("testcase")))
    assert int(junit.get("failures", "0")) == 0 and int(junit.get("errors", "0")) == 0
    assert int(junit.get("skipped", "0")) == len(skipped)

    allure = run_dir / "allure-results"
    assert (allure / "environment.properties").is_file()
    assert json.loads((allure / "categories.json").read_text(encoding="utf-8"))
    assert len(list(allure.glob("*-result.json"))) >= len(passed)
    # Allure shows each step's arguments by repr(): the gist of each, not a run's artefacts or credentials
    # in full (the artefact steps once wrote 32 MB of them into a default run)
    long = sorted({(p["name"], len(p["value"])) for path in allure.glob("*-result.json")
                   for p in _step_parameters(json.loads(path.read_text(encoding="utf-8")))
                   if len(p["value"]) > STEP_PARAMETER_LIMIT})
    assert not long, long


def test_bad_profile_stops_before_the_run(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    bad_url = _profile(tmp_path / "bad-url.yaml", "name: Bad URL vendor\nverifier:\n"
                       "  verify_credential_url: ftp://verifier.example/verify\n")
    proc = _lerconf("run", "--vendor", str(bad_url), "--out", str(out))
    assert proc.returncode == 2, proc.stderr
    assert str(bad_url) in proc.stderr
    assert "verifier.verify_credential_url" in proc.stderr and "not an http(s) URL" in proc.stderr
    assert "Traceback" not in proc.stderr

    no_issuer_id = _profile(tmp_path / "no-id.yaml", "name: No issuer id\nissuer:\n"
                            "  issue_url: https://issuer.example/credentials/issue\n")
    proc = _lerconf("run", "--vendor", str(no_issuer_id), "--out", str(out))
    assert proc.returncode == 2, proc.stderr
    assert f"{no_issuer_id}: issuer.id: is required" in proc.stderr
    assert not _run_dirs(out), "a setup error must not leave a run directory"


def test_vendor_refusing_connections_is_broken_not_passed(tmp_path: Path) -> None:
    port = _refused_port()
    base = f"http://127.0.0.1:{port}"
    profile = _profile(tmp_path / "down.yaml", f"""\
name: Vendor that is down
issuer:
  issue_url: {base}/credentials/issue
  status_url: {base}/credentials/status
  id: did:web:127.0.0.1%3A{port}
  claims: {{vc_versions: ["2.0", "1.1"], credential_types: [OpenBadgeCredential],
           securing: [eddsa-rdfc-2022], status: [BitstringStatusList]}}
verifier:
  verify_credential_url: {base}/credentials/verify
  verify_presentation_url: {base}/presentations/verify
  failure_style: verified_false
  claims: {{vc_versions: ["2.0", "1.1"], credential_types: [OpenBadgeCredential],
           securing: [eddsa-rdfc-2022], status: [BitstringStatusList]}}
holder:
  present_url: {base}/presentations
  claims: {{vc_versions: ["2.0"], securing: [eddsa-rdfc-2022]}}
""")
    out = tmp_path / "reports"
    # the scenarios' own handling of an outage (preflight would stop the run first: tests/run/test_preflight.py)
    proc = _lerconf("run", "--vendor", str(profile), "--out", str(out), "--no-preflight")
    assert proc.returncode == 1, proc.stdout[-2000:] + proc.stderr[-4000:]

    (run_dir,) = _run_dirs(out)
    results = load_results(run_dir)
    assert results["run"]["complete"] is True, "the run must finish despite the outage"
    scenarios = [s for s in results["scenarios"] if s["vendor"] == "Vendor that is down"]
    assert len(scenarios) >= 40
    by_status = {k: [s for s in scenarios if s["status"] == k] for k in STATUSES}
    assert not by_status["passed"], [s["name"] for s in by_status["passed"]]
    assert not by_status["failed"], [f"{s['name']}: {s['reason']}" for s in by_status["failed"]]
    assert len(by_status["broken"]) >= 40
    for s in by_status["broken"]:
        assert "transport_error" in s["reason"], s["reason"]
    for s in by_status["skipped"]:
        assert "not claimed" in s["reason"], s["reason"]
    assert all(s["evidence"]["exchanges"] for s in by_status["broken"])


def test_killed_run_leaves_readable_results(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    env = _env()  # one console line per finished scenario, on stdout
    proc = subprocess.Popen([str(LERCONF), "run", "--out", str(out)], cwd=REPO, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True)
    finished: list[str] = []
    try:
        assert proc.stdout is not None
        for line in proc.stdout:  # a scenario's line is written after the scenario is stored
            if line.startswith("[") and "] " in line:
                finished.append(line)
                if len(finished) == 12:
                    os.killpg(proc.pid, signal.SIGKILL)
                    break
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        if proc.stdout is not None:
            proc.stdout.close()
    assert len(finished) == 12, "the run ended before it could be killed"
    assert proc.returncode == -signal.SIGKILL

    (run_dir,) = _run_dirs(out)
    assert (run_dir / "results.jsonl").is_file()
    results = load_results(run_dir / "results.json")
    assert results["run"]["complete"] is False
    scenarios = results["scenarios"]
    assert len(scenarios) >= 12
    assert all(s["status"] in STATUSES and set(s) >= SCENARIO_KEYS for s in scenarios)
    names = {s["name"] for s in scenarios}
    for line in finished:
        assert _scenario_name(line) in names, line

    # results.json gone (killed before its first write, or removed): the jsonl alone still serves
    (run_dir / "results.json").unlink()
    rebuilt = load_results(run_dir / "results.json")
    assert len(rebuilt["scenarios"]) >= 12
    assert {s["name"] for s in rebuilt["scenarios"]} >= {_scenario_name(line) for line in finished}


def _scenario_name(line: str) -> str:
    """The scenario of a console line: "[n/N] STATUS  vendor: name[ [attested]][ -- reason]" (lerconf.run.console)."""
    return line.split(": ", 1)[1].rstrip("\n").split(" -- ", 1)[0].removesuffix(" [attested]")
