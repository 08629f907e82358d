"""`lerconf run` against a crowd of hostile vendors, end to end, in a child process.

One run, one vendor profile per misbehaviour (every role pointed at it), with recognisable
secrets in the environment variables the profiles name. Asserted:

* every scenario of every hostile vendor ends broken or failed with a reason naming the
  misbehaviour, never passed, and the run reaches every vendor;
* every call is bounded by the profile's ``timeouts:`` (evidence ``elapsed_ms``), and the whole
  run by scenarios x timeout plus margin;
* the canary (another loopback port everything tries to send lerconf to) sees nothing;
* peak memory (the child's ru_maxrss) stays under MEMORY_BOUND_MB with the 200 MB body and the
  2 GB decompression bombs in the run;
* no file under the run directory, no Allure attachment and no captured output holds a secret
  or its base64 / URL-encoded forms, although some vendors echo every header and form back;
* the request budget, the rate limit and the per-vendor request count; --read-only.
"""
from __future__ import annotations

import json
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hostile.child import ChildRun, child_command, child_env, parse_child_line
from hostile.child import run_child as _run_child
from hostile.leaks import LeakScanner
from hostile.server import HostileServer, self_signed_tls
from hostile.timeouts import call_bound_ms, run_bound_s, timeouts_for

REPO = Path(__file__).resolve().parents[2]
MEMORY_BOUND_MB = 300
KEYWORD = ("(issues_a_badge_and_returns or signs_a_presentation_with or verifies_a_valid_badge "
           "or (tampered_badge and tampered-claim)) and eddsa-rdfc-2022-2.0")

#: misbehaviour -> words every non-skipped scenario's reason must contain (one of, "|"-separated)
EXPECTED: dict[str, str] = {
    "never": "read timeout after 0.5 s|circuit open after 3",
    "stall-headers": "timeout after 0.5 s waiting for the body|circuit open after 3",
    "trickle": "total time limit of 2 s exceeded|circuit open after 3",
    "reset": "Connection reset by peer|circuit open after 3",
    "close-early": "Server disconnected without sending a response|circuit open after 3",
    "chunked-bad": "illegal chunk header|circuit open after 3",
    "huge": "response body exceeded 10 MB limit|circuit open after 3",
    "gzip-bomb": "response body exceeded 10 MB limit|circuit open after 3",
    "deflate-bomb": "response body exceeded 10 MB limit|circuit open after 3",
    "length-short": "body is not JSON",
    "length-long": "without sending complete message body|circuit open after 3",
    "invalid-json": "body is not JSON",
    "deep-json": "JSON nested too deeply",
    "huge-number": "JSON number with more digits",
    "duplicate-keys": "duplicate key",
    "wrong-content-type": "Content-Type text/html; charset=utf-8, not JSON",
    "empty-200": "body is not JSON",
    "html-200": "body is not JSON (Content-Type text/html)",
    "redirect-loop": "more than 5 redirects",
    "redirect-canary": "not followed (other origin)",
    "echo-html-500": "HTTP 500 server error",
    "tls-untrusted": "CERTIFICATE_VERIFY_FAILED|circuit open after 3",
}
SIZE_AND_BOMBS = ("huge", "gzip-bomb", "deflate-bomb")
#: vendors whose misbehaviour is echoing every header and form back (in a 200 that says
#: verified: true, in a 400 problem); their verdicts may be right, so they are judged on secrets only
ECHOING = ("echo-json", "echo-400")


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, HostileServer]]:
    canary = HostileServer(canary=True, lifetime=300).start()
    ctx, _ = self_signed_tls(tmp_path_factory.mktemp("tls"))
    plain = HostileServer(canary_url=canary.base_url, lifetime=300).start()
    tls = HostileServer(tls=ctx, canary_url=canary.base_url, lifetime=300).start()
    plain.trickle_interval = tls.trickle_interval = 0.3
    plain.oauth_token = f"oauth-access-token-{uuid.uuid4().hex}"
    try:
        yield {"canary": canary, "plain": plain, "tls": tls}
    finally:
        for s in (plain, tls, canary):
            s.stop()


def profile(name: str, base: str, auth: dict[str, Any], behaviour: str, **top: Any) -> dict[str, Any]:
    claims = {"vc_versions": ["2.0"], "credential_types": ["OpenBadgeCredential"], "securing": ["eddsa-rdfc-2022"]}
    return {
        "name": name, "auth": auth, "timeouts": timeouts_for(behaviour), **top,
        "issuer": {"issue_url": f"{base}/credentials/issue", "id": "did:example:hostile-issuer", "claims": claims},
        "verifier": {"verify_credential_url": f"{base}/credentials/verify", "failure_style": "either", "claims": claims},
        "holder": {"present_url": f"{base}/presentations", "claims": claims},
    }


AUTHS = ({"bearer_token_env": "HOSTILE_BEARER"}, {"headers_env": {"X-Api-Key": "HOSTILE_API_KEY"}}, "oauth2")


def write_profiles(directory: Path, servers: dict[str, HostileServer], names: list[str],
                   **top: Any) -> list[Path]:
    plain, tls = servers["plain"], servers["tls"]
    paths = []
    for i, name in enumerate(names):
        base = f"{tls.base_url}/echo-json" if name == "tls-untrusted" else plain.url(name)
        auth = AUTHS[i % 3]
        if auth == "oauth2":
            auth = {"oauth2": {"token_url": plain.url("oauth", "/token"), "client_id": "lerconf-hostile",
                               "client_secret_env": "HOSTILE_CLIENT_SECRET"}}
        path = directory / f"{name}.yaml"
        path.write_text(yaml.safe_dump(profile(f"hostile {name}", base, auth, name, **top)), encoding="utf-8")
        paths.append(path)
    return paths


def run_child(vendors: list[Path], out: Path, env_secrets: dict[str, str], **args: Any) -> tuple[dict[str, Any], str, str]:
    child = hostile_child([str(v) for v in vendors], out, env_secrets, **args)
    return {"code": child.code, "run_dir": str(child.run_dir), "maxrss_mb": child.maxrss_mb}, child.stdout, child.stderr


def hostile_child(vendors: list[str], out: Path, env_secrets: dict[str, str], **args: Any) -> ChildRun:
    return _run_child({"vendors": vendors, "out": str(out), **args}, env=env_secrets, timeout=240)


@pytest.fixture(scope="module")
def secrets() -> dict[str, str]:
    tag = uuid.uuid4().hex
    return {"HOSTILE_BEARER": f"bearer-SECRET-{tag}", "HOSTILE_API_KEY": f"apikey-SECRET-{tag}",
            "HOSTILE_CLIENT_SECRET": f"client/SECRET+{tag}=="}  # URL-encodes differently: the form echo shows it


@pytest.fixture(scope="module")
def hostile_run(servers: dict[str, HostileServer], secrets: dict[str, str],
                tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    directory = tmp_path_factory.mktemp("hostile-run")
    vendors = write_profiles(directory, servers, [*EXPECTED, *ECHOING])
    started = time.monotonic()
    child, out, err = run_child(vendors, directory / "reports", secrets, keyword=KEYWORD)
    seconds = time.monotonic() - started
    results = json.loads((Path(child["run_dir"]) / "results.json").read_text(encoding="utf-8"))
    table = summarise(results)
    print(f"\nhostile run: {seconds:.1f} s, peak RSS {child['maxrss_mb']:.0f} MB, "
          f"canary connections {servers['canary'].connections}")
    for name, row in table.items():
        print(f"  {name:<20} {row}")
    return {"child": child, "stdout": out, "stderr": err, "results": results, "seconds": seconds, "table": table}


def summarise(results: dict[str, Any]) -> dict[str, str]:
    table: dict[str, str] = {}
    for s in results["scenarios"]:
        name = s["vendor"].removeprefix("hostile ")
        if s["status"] != "skipped":
            table[name] = table.get(name, "") + f"{s['status']}: {s['reason'][:90]}\n    "
    return table


def test_every_hostile_scenario_is_broken_or_failed_with_a_named_reason(hostile_run: dict[str, Any]) -> None:
    scenarios = hostile_run["results"]["scenarios"]
    seen = {s["vendor"].removeprefix("hostile ") for s in scenarios}
    assert seen == {*EXPECTED, *ECHOING}, f"vendors not reached: {set(EXPECTED) - seen}"
    wrong = []
    for s in scenarios:
        name = s["vendor"].removeprefix("hostile ")
        if s["status"] == "skipped" or name in ECHOING:
            continue
        if s["status"] == "passed" or not any(w in s["reason"] for w in EXPECTED[name].split("|")):
            wrong.append(f"{name}: {s['name']}: {s['status']}: {s['reason'][:200]}")
    assert not wrong, "\n".join(wrong)
    assert sum(s["status"] != "skipped" for s in scenarios) >= 4 * len(EXPECTED)


def test_every_call_is_bounded_and_the_run_is_too(hostile_run: dict[str, Any]) -> None:
    slow = [(s["vendor"], e["request"]["url"], e["elapsed_ms"]) for s in hostile_run["results"]["scenarios"]
            for e in (s.get("evidence") or {}).get("exchanges", [])
            if e["elapsed_ms"] > call_bound_ms(s["vendor"].removeprefix("hostile "))]
    assert not slow
    calls = {v["name"].removeprefix("hostile "): v.get("requests", 0) for v in hostile_run["results"]["vendors"]}
    # every call at most its total timeout, plus lerconf's own work (signing, the reference) per scenario
    bound = run_bound_s(calls) + 0.5 * len(hostile_run["results"]["scenarios"]) + 60
    assert hostile_run["seconds"] < bound


def test_the_canary_is_never_reached(hostile_run: dict[str, Any], servers: dict[str, HostileServer]) -> None:
    assert servers["canary"].connections == 0, [r.path for r in servers["canary"].requests]


def test_peak_memory_stays_bounded_with_the_size_and_bomb_vendors(hostile_run: dict[str, Any]) -> None:
    assert {s["vendor"] for s in hostile_run["results"]["scenarios"]} >= {f"hostile {n}" for n in SIZE_AND_BOMBS}
    assert hostile_run["child"]["maxrss_mb"] < MEMORY_BOUND_MB


def test_no_secret_leaks_into_the_run_directory_or_output(hostile_run: dict[str, Any], secrets: dict[str, str],
                                                          servers: dict[str, HostileServer]) -> None:
    everything = {**secrets, "oauth access token": servers["plain"].oauth_token}
    # the echoing vendors really were sent the secrets (else this test would prove nothing)
    sent = b"".join(r.body + json.dumps(r.headers).encode() for r in servers["plain"].requests)
    assert set(LeakScanner(everything).scan(sent)) >= {"HOSTILE_BEARER", "HOSTILE_API_KEY", "HOSTILE_CLIENT_SECRET",
                                            "oauth access token"}
    run_dir = Path(hostile_run["child"]["run_dir"])
    files = [p for p in run_dir.rglob("*") if p.is_file()]
    assert any(p.parent.name == "allure-results" and "attachment" in p.name for p in files)
    found = LeakScanner(everything).scan_all([*((str(p.relative_to(run_dir)), p.read_bytes()) for p in files),
                                              ("stdout", hostile_run["stdout"].encode()),
                                              ("stderr", hostile_run["stderr"].encode())])
    assert found == []


def test_requests_per_vendor_are_reported(hostile_run: dict[str, Any]) -> None:
    vendors = {v["name"]: v for v in hostile_run["results"]["vendors"]}
    assert all(isinstance(v.get("requests"), int) for v in vendors.values())
    assert vendors["hostile never"]["requests"] == 3  # then the circuit opened


# -- staging safety -------------------------------------------------------------------------------------------
def test_budget_rate_limit_and_read_only_are_honoured(servers: dict[str, HostileServer], secrets: dict[str, str],
                                                      tmp_path: Path) -> None:
    [vendor] = write_profiles(tmp_path, servers, ["echo-400"], rate_limit_per_second=4, max_requests=5)
    plain = servers["plain"]
    before = [r for r in plain.requests if r.path.startswith("/echo-400/")]
    child, _, _ = run_child([vendor], tmp_path / "reports", secrets, read_only=True,
                            keyword="issue or status or tampered_badge")
    results = json.loads((Path(child["run_dir"]) / "results.json").read_text(encoding="utf-8"))
    received = [r for r in plain.requests if r.path.startswith("/echo-400/")][len(before):]
    assert results["vendors"][0]["requests"] == len(received) == 5
    scenarios = results["scenarios"]
    spent = [s for s in scenarios if "request budget of 5 for hostile echo-400 is spent" in s["reason"]]
    assert spent and all(s["status"] == "broken" for s in spent)
    read_only = [s for s in scenarios if s["reason"] == "read-only run: this scenario changes vendor state"]
    assert read_only and all(s["status"] == "skipped" and "mutates_state" in s["tags"] for s in read_only)
    assert not [s for s in scenarios if "mutates_state" in s["tags"] and s["status"] != "skipped"]
    # rate limit: 4 a second -> 5 calls (the OAuth token call included) span at least 1 s
    token_calls = [r for r in plain.requests if r.path.startswith("/oauth/")]
    stamps = sorted(r.at for r in received + [t for t in token_calls if t.at >= received[0].at - 5])
    assert stamps[-1] - stamps[0] >= (len(received) - 1) / 4 - 0.05


# -- durability: Ctrl-C (SIGKILL is covered by tests/test_harness_e2e.py) -----------------------------------------
def test_ctrl_c_stops_cleanly_and_says_where_partial_results_are(servers: dict[str, HostileServer],
                                                                 secrets: dict[str, str], tmp_path: Path) -> None:
    [vendor] = write_profiles(tmp_path, servers, ["never"])
    data = yaml.safe_load(vendor.read_text(encoding="utf-8"))
    data["timeouts"] = {"connect": 1.0, "read": 3.0, "total": 10.0}  # slow enough to be caught mid-run
    vendor.write_text(yaml.safe_dump(data), encoding="utf-8")
    for attempt in (1, 2):  # a second try only when the run outran the signal (its scenarios had all ended)
        out, err = _interrupted_run(vendor, tmp_path / f"reports-{attempt}", secrets)
        assert "LERCONF-CHILD " in out, f"the interrupted run did not end cleanly:\n{out[-2000:]}\n{err[-3000:]}"
        child = parse_child_line(out)
        done = json.loads((Path(child["run_dir"]) / "results.json").read_text(encoding="utf-8"))
        if not done["run"].get("complete") or attempt == 2:
            break
    assert child["code"] == 130
    results_file = Path(child["run_dir"]) / "results.json"
    assert f"interrupted; partial results in {results_file}" in err
    results = json.loads(results_file.read_text(encoding="utf-8"))
    assert results["run"]["complete"] is False
    assert results["scenarios"] and all(s["status"] != "passed" for s in results["scenarios"])


def _interrupted_run(vendor: Path, out_dir: Path, secrets: dict[str, str]) -> tuple[str, str]:
    """A child `lerconf run` sent SIGINT once its first scenario has finished: its stdout and stderr."""
    import signal

    proc = subprocess.Popen(child_command({"vendors": [str(vendor)], "out": str(out_dir), "keyword": KEYWORD}),
                            cwd=REPO, env=child_env(secrets), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 90
    try:
        while time.monotonic() < deadline:  # wait until the first scenario has finished
            lines = list(out_dir.glob("*/results.jsonl"))
            if lines and lines[0].read_text(encoding="utf-8").strip():
                break
            if proc.poll() is not None:
                break
            time.sleep(0.2)
        assert proc.poll() is None, "the run ended before it could be interrupted"
        proc.send_signal(signal.SIGINT)
        return proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
