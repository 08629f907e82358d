"""`lerconf run --role ob_provider` against hostile Open Badges 3.0 / CLR 2.0 hosts
(tests/hostile/obhost.py), end to end, in a child process: a huge getCredentials page, an endless
and a cyclic chain of ``Link: rel="next"``, a token endpoint that redirects to a canary, an HTML 500
on everything, and HTML 500s that echo the access token back from every resource call. Asserted:

* nothing passed that should not: every scenario the misbehaviour reaches is failed, broken or
  cannot be judged, with a reason that names the misbehaviour; the scenarios it cannot reach pass;
* bounded: every call within the profile's ``timeouts:``, the whole run within a fixed bound, the
  child's peak memory under MEMORY_BOUND_MB with the 50 MB page in the run;
* the canary (another loopback port the token endpoint redirects to) is never contacted;
* nothing leaked: no client secret, code or token the hosts issued appears in any file of the run
  directory (results.json, report.html, Allure, JUnit) or in the console output.
"""
from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hostile.child import run_child
from hostile.leaks import LeakScanner
from hostile.obhost import OB_BEHAVIOURS, RunningObHost, running_ob_host
from hostile.server import HostileServer

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_data_env")]

REPO = Path(__file__).resolve().parents[2]
MEMORY_BOUND_MB = 400
TIMEOUTS = {"connect": 1.0, "read": 3.0, "total": 8.0}
CALL_BOUND_MS = (TIMEOUTS["connect"] + TIMEOUTS["total"] + 1.5) * 1000
RUN_BOUND_S = 240  # the child is killed after RUN_BOUND_S + 60
CANNOT_JUDGE = "cannot be judged"

#: scenario titles (substrings) each misbehaviour cannot reach: those must still pass (the refresh scenario
#: lists the credentials with the refreshed token, so a misbehaving getCredentials reaches it)
UNREACHED: dict[str, tuple[str, ...]] = {
    "huge-page": ("service description", "register itself", "same state", "exchanges the code", "registration with",
                  "without PKCE", "already used", "code verifier", "stores a new",
                  "profile", "refresh", "401 to upsertCredential", "401 to getProfile", "401 to putProfile",
                  "403 to upsertCredential", "403 to getProfile", "403 to putProfile", "Imsx_StatusInfo"),
    "endless-next": ("service description", "register itself", "same state", "exchanges the code", "registration with",
                     "without PKCE", "already used", "code verifier", "stores a new", "lists", "profile", "refresh",
                     "401", "403", "Imsx_StatusInfo", "revoked access token"),
    "token-redirect": ("service description", "register itself", "same state", "registration with"),
    "html-500": (),
    "html-500-resources": ("service description", "register itself", "same state", "exchanges the code",
                           "registration with", "without PKCE", "already used", "code verifier"),
}
UNREACHED["cyclic-next"] = UNREACHED["endless-next"]
#: misbehaviour -> words the reason of every scenario it reaches contains (one of, "|"-separated)
REASONS: dict[str, str] = {
    "huge-page": "response body exceeded 10 MB limit|circuit open",
    "endless-next": "Link next does not end",
    "cyclic-next": "a cycle",
    "token-redirect": "HTTP 307",
    "html-500": "HTTP 500|circuit open",
    "html-500-resources": "HTTP 500|circuit open",
}

@pytest.fixture(scope="module")
def canary() -> Iterator[HostileServer]:
    server = HostileServer(canary=True, lifetime=400).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def hosts(canary: HostileServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, RunningObHost]]:
    from conftest import shared_env

    directory = tmp_path_factory.mktemp("hostile-ob")
    with pytest.MonkeyPatch.context() as env, contextlib.ExitStack() as stack:
        for name, value in shared_env().items():
            env.setenv(name, value)
        yield {b: stack.enter_context(running_ob_host(b, directory / b, canary.base_url, TIMEOUTS)) for b in OB_BEHAVIOURS}


@pytest.fixture(scope="module")
def hostile_run(hosts: dict[str, RunningObHost], canary: HostileServer,
                tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from conftest import shared_env

    directory = tmp_path_factory.mktemp("hostile-ob-run")
    url_map = directory / "url-map.json"
    url_map.write_text(json.dumps({k: v for h in hosts.values() for k, v in h.url_map.items()}))
    from_child = run_child({"vendors": [str(h.profile_path) for h in hosts.values()], "out": str(directory / "reports"),
                            "url_map": str(url_map), "roles": ["ob_provider"], "keyword": "not lifecycle"},
                           env=shared_env(), timeout=RUN_BOUND_S + 60)
    seconds = from_child.seconds
    child = {"code": from_child.code, "run_dir": str(from_child.run_dir), "maxrss_mb": from_child.maxrss_mb}
    results = json.loads((Path(child["run_dir"]) / "results.json").read_text(encoding="utf-8"))
    calls = {v["name"]: v.get("requests", 0) for v in results["vendors"]}
    print(f"\nhostile OB run: {seconds:.1f} s, peak RSS {child['maxrss_mb']:.0f} MB, canary connections "
          f"{canary.connections}, secrets issued {sum(len(h.app.issued) for h in hosts.values())}, calls {calls}")
    spent: dict[str, float] = {}
    for s in results["scenarios"]:
        spent[s["vendor"]] = spent.get(s["vendor"], 0.0) + s["duration_s"]
    print("  seconds per host: " + ", ".join(f"{v.removeprefix('hostile OB host ')} {t:.1f}" for v, t in spent.items()))
    for s in results["scenarios"]:
        if s["status"] != "skipped" or CANNOT_JUDGE in s["reason"]:
            print(f"  {s['vendor'].removeprefix('hostile OB host '):<20} {s['status']:<8} {s['name'][:70]:<70} "
                  f"{s['reason'][:110]}")
    return {"child": child, "stdout": from_child.stdout, "stderr": from_child.stderr, "results": results, "seconds": seconds}


def _behaviour(scenario: dict[str, Any]) -> str:
    return str(scenario["vendor"]).removeprefix("hostile OB host ")


def _reached(behaviour: str, name: str) -> bool:
    return not any(u in name for u in UNREACHED[behaviour])


def _ob_scenarios(hostile_run: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in hostile_run["results"]["scenarios"] if s["role"] == "ob_provider"]


def test_nothing_the_misbehaviour_reaches_passes(hostile_run: dict[str, Any]) -> None:
    scenarios = _ob_scenarios(hostile_run)
    assert {_behaviour(s) for s in scenarios} == set(OB_BEHAVIOURS)
    wrong = []
    for s in scenarios:
        behaviour = _behaviour(s)
        if not _reached(behaviour, s["name"]):
            continue
        judged = s["status"] in ("failed", "broken") or (s["status"] == "skipped" and CANNOT_JUDGE in s["reason"])
        if not judged or not any(w in s["reason"] for w in REASONS[behaviour].split("|")):
            wrong.append(f"{behaviour}: {s['name']}: {s['status']}: {s['reason'][:300]}")
    assert not wrong, "\n".join(wrong)
    for behaviour in OB_BEHAVIOURS:  # each misbehaviour reached something
        assert any(_reached(behaviour, s["name"]) for s in scenarios if _behaviour(s) == behaviour), behaviour


def test_what_the_misbehaviour_cannot_reach_still_passes(hostile_run: dict[str, Any]) -> None:
    unreached = [s for s in _ob_scenarios(hostile_run) if not _reached(_behaviour(s), s["name"])]
    assert unreached
    wrong = [f"{_behaviour(s)}: {s['name']}: {s['status']}: {s['reason'][:300]}" for s in unreached
             if s["status"] != "passed"]
    assert not wrong, "\n".join(wrong)


def test_every_call_and_the_run_are_bounded(hostile_run: dict[str, Any]) -> None:
    slow = [(s["vendor"], e["request"]["url"], e["elapsed_ms"]) for s in _ob_scenarios(hostile_run)
            for e in (s.get("evidence") or {}).get("exchanges", []) if e["elapsed_ms"] > CALL_BOUND_MS]
    assert not slow
    calls = sum(v.get("requests", 0) for v in hostile_run["results"]["vendors"])
    # every call at most its total timeout, plus lerconf's own work (signing, verifying) per scenario
    bound = calls * (TIMEOUTS["connect"] + TIMEOUTS["total"]) + 0.5 * len(hostile_run["results"]["scenarios"]) + 60
    assert hostile_run["seconds"] < min(bound, RUN_BOUND_S), (hostile_run["seconds"], calls)
    assert hostile_run["child"]["maxrss_mb"] < MEMORY_BOUND_MB


def test_the_canary_is_never_contacted(hostile_run: dict[str, Any], canary: HostileServer,
                                       hosts: dict[str, RunningObHost]) -> None:
    assert canary.connections == 0, [r.path for r in canary.requests]
    # the redirect really was offered (else this test would prove nothing)
    redirected = [e for s in _ob_scenarios(hostile_run) if _behaviour(s) == "token-redirect"
                  for e in (s.get("evidence") or {}).get("exchanges", []) if e["response"]["status"] == 307]
    assert redirected


def test_no_secret_the_hosts_issued_leaks(hostile_run: dict[str, Any], hosts: dict[str, RunningObHost]) -> None:
    issued = {secret for h in hosts.values() for secret in h.app.issued}
    # client secrets, codes and tokens were issued, and echoed back by the html-500-resources host
    assert len(hosts["html-500-resources"].app.issued) >= 10 and len(hosts["token-redirect"].app.issued) >= 4
    run_dir = Path(hostile_run["child"]["run_dir"])
    files = [p for p in run_dir.rglob("*") if p.is_file()]
    assert {"results.json", "report.html"} <= {p.name for p in files}
    scanner = LeakScanner({secret[:6]: secret for secret in issued})
    found = scanner.scan_all([*((str(p.relative_to(run_dir)), p.read_bytes()) for p in files),
                              ("stdout", hostile_run["stdout"].encode()), ("stderr", hostile_run["stderr"].encode())])
    assert found == []


def _basic(secret: str, prefix: str = "client-id:") -> str:
    import base64

    return base64.b64encode(f"{prefix}{secret}".encode()).decode()


@pytest.mark.parametrize("form", ["plain", "url-encoded", "basic-header", "base64-shifted"])
def test_the_leak_scanner_finds_a_secret_in_any_form(form: str) -> None:
    """The detector the test above relies on: a secret in any form it can take in a file is found,
    wherever it sits in a large blob, and nothing is found in a blob without it."""
    from urllib.parse import quote

    secret = "Zx9/qT+3vL0aB7cD8eF1gH2i="  # with characters URL encoding changes
    written = {"plain": secret, "url-encoded": quote(secret, safe=""), "basic-header": _basic(secret),
               "base64-shifted": _basic(secret, "x")}[form]
    assert form == "plain" or secret not in written
    scanner = LeakScanner({"token": secret, "other": "not-in-the-blob-0123456789"})
    filler = b'{"evidence": "' + b"a" * 2_000_000 + b'"}\n'
    assert scanner.scan(filler + f"Authorization: Basic {written}\n".encode() + filler) == ["token"]
    assert scanner.scan(filler) == []
