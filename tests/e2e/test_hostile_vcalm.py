"""`lerconf run` as a wallet against hostile VCALM exchanges (roles vcalm_issuer and vcalm_verifier),
end to end, in a child process. Each vendor misbehaves in one way, either when lerconf creates an
exchange (``POST <workflow>/exchanges``, which carries the profile's bearer token) or only once the
exchange exists (a well-formed 201 whose exchange and interaction URLs then misbehave: starting,
presenting, ``GET …/request``, ``…/protocols``, the interaction URL). Asserted:

* nothing passes that the misbehaviour reaches: every scenario is failed, broken or cannot be
  judged, with a reason naming the misbehaviour;
* bounded: every call within the profile's ``timeouts:``, the run within a fixed bound, the child's
  own peak memory under MEMORY_BOUND_MB with 200 MB bodies and decompression bombs in the run;
* the canary (another loopback port the redirects point at) is never contacted;
* the bearer token (sent on exchange creation, echoed back by some vendors in headers and pages)
  appears in no file of the run directory and not in the console.
"""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from hostile.child import ChildRun, run_child
from hostile.leaks import LeakScanner
from hostile.server import HostileServer
from hostile.timeouts import call_bound_ms, run_bound_s, timeouts_for

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_data_env")]

MEMORY_BOUND_MB = 400  # the child collects every feature (~6,000 rows, most skipped by role)
RUN_BOUND_S = 240
ROLES = ["vcalm_issuer", "vcalm_verifier"]
TOKEN_ENV = "HOSTILE_VCALM_BEARER"

#: misbehaviour at exchange creation -> words the reason of every scenario contains (one of, "|"-separated)
AT_CREATION: dict[str, str] = {
    "never": "read timeout after 0.5 s|circuit open after 3",
    "huge": "response body exceeded 10 MB limit|circuit open after 3",
    "gzip-bomb": "response body exceeded 10 MB limit|circuit open after 3",
    "deep-json": "JSON nested too deeply",
    "invalid-json": "not JSON",
    "redirect-canary": "not followed (other origin)",
    "redirect-loop": "more than 5 redirects",
    "echo-html-500": "HTTP 500",
    "echo-400": "HTTP 400",
}
#: misbehaviour of the exchange once created -> words as above
IN_EXCHANGE: dict[str, str] = {
    "never": "read timeout after 0.5 s|circuit open after 3",
    "huge": "response body exceeded 10 MB limit|circuit open after 3",
    # an exchange answer lerconf cannot read as JSON is "not a JSON object" to the check that reads it
    "deep-json": "JSON nested too deeply|did not answer a JSON object|no protocols object",
    # a redirect lerconf does not follow is the answer it judges: a 307 is no exchange step
    "redirect-canary": "not followed (other origin)|HTTP 307",
    "echo-html-500": "HTTP 500",
    # a 200 that echoes the request and says "verified": an answer that is no VCALM answer
    "echo-json": "VCALM does not define: echo, verified|no protocols object|verifiablePresentationRequest|"
                 "accepted",
}


def _vendor(kind: str, behaviour: str) -> str:
    return f"hostile vcalm {kind} {behaviour}"


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, HostileServer]]:
    canary = HostileServer(canary=True, lifetime=400).start()
    plain = HostileServer(canary_url=canary.base_url, lifetime=400).start()
    try:
        yield {"canary": canary, "plain": plain}
    finally:
        plain.stop()
        canary.stop()


def _profile(name: str, base: str, behaviour: str) -> dict[str, Any]:
    claims = {"features": ["protocols", "request", "interaction_url"]}
    return {"name": name, "auth": {"bearer_token_env": TOKEN_ENV}, "timeouts": timeouts_for(behaviour),
            "vcalm_issuer": {"workflow_url": f"{base}/workflows/issue-badge", "claims": claims},
            "vcalm_verifier": {"workflow_url": f"{base}/workflows/verify-badge", "claims": claims}}


@pytest.fixture(scope="module")
def token() -> str:
    return f"vcalm-bearer-SECRET-{uuid.uuid4().hex}"


@pytest.fixture(scope="module")
def hostile_run(servers: dict[str, HostileServer], token: str, tmp_path_factory: pytest.TempPathFactory) -> ChildRun:
    from conftest import shared_env

    directory = tmp_path_factory.mktemp("hostile-vcalm")
    plain = servers["plain"]
    vendors = []
    for kind, table in (("create", AT_CREATION), ("exchange", IN_EXCHANGE)):
        for behaviour in table:
            base = plain.url(behaviour) if kind == "create" else plain.url("exchange-then", f"/{behaviour}")
            path = directory / f"{kind}-{behaviour}.yaml"
            path.write_text(yaml.safe_dump(_profile(_vendor(kind, behaviour), base, behaviour)), encoding="utf-8")
            vendors.append(str(path))
    child = run_child({"vendors": vendors, "out": str(directory / "reports"), "roles": ROLES},
                      env={**shared_env(), TOKEN_ENV: token}, timeout=RUN_BOUND_S + 60)
    results = child.results
    print(f"\nhostile VCALM run: {child.seconds:.1f} s, peak RSS {child.maxrss_mb:.0f} MB, canary connections "
          f"{servers['canary'].connections}, scenarios {len(results['scenarios'])}")
    for s in results["scenarios"]:
        if s["status"] != "skipped" or "cannot be judged" in s["reason"]:
            print(f"  {s['vendor'].removeprefix('hostile vcalm '):<24} {s['status']:<8} {s['name'][:60]:<60} "
                  f"{s['reason'][:120]}")
    return child



def _kind_behaviour(scenario: dict[str, Any]) -> tuple[str, str]:
    kind, _, behaviour = str(scenario["vendor"]).removeprefix("hostile vcalm ").partition(" ")
    return kind, behaviour


def _ran(child: ChildRun) -> list[dict[str, Any]]:
    return [s for s in child.results["scenarios"] if s["role"] in ROLES and not (
        s["status"] == "skipped" and "cannot be judged" not in s["reason"])]


def test_nothing_the_misbehaviour_reaches_passes(hostile_run: ChildRun) -> None:
    ran = _ran(hostile_run)
    reached = {_kind_behaviour(s) for s in ran}
    assert reached == {("create", b) for b in AT_CREATION} | {("exchange", b) for b in IN_EXCHANGE}
    wrong = []
    for s in ran:
        kind, behaviour = _kind_behaviour(s)
        words = (AT_CREATION if kind == "create" else IN_EXCHANGE)[behaviour].split("|")
        if s["status"] == "passed" or not any(w in s["reason"] for w in words):
            wrong.append(f"{kind} {behaviour}: {s['name']}: {s['status']}: {s['reason'][:300]}")
    assert not wrong, "\n".join(wrong)
    # every VCALM scenario of every vendor ran (none lost to an earlier vendor's misbehaviour)
    per_vendor = {v: sum(s["vendor"] == v for s in ran) for v in {s["vendor"] for s in ran}}
    assert set(per_vendor.values()) == {27}, per_vendor


def test_every_call_and_the_run_are_bounded(hostile_run: ChildRun) -> None:
    ran = _ran(hostile_run)
    slow = [(s["vendor"], e["request"]["url"], e["elapsed_ms"]) for s in ran
            for e in (s.get("evidence") or {}).get("exchanges", []) if e["elapsed_ms"] > call_bound_ms(_kind_behaviour(s)[1])]
    assert not slow
    calls: dict[str, int] = {}
    for v in hostile_run.results["vendors"]:
        behaviour = _kind_behaviour({"vendor": v["name"]})[1]
        calls[behaviour] = calls.get(behaviour, 0) + v.get("requests", 0)
    bound = run_bound_s(calls) + 0.5 * len(ran) + 60
    assert hostile_run.seconds < min(bound, RUN_BOUND_S), (hostile_run.seconds, calls)
    assert hostile_run.maxrss_mb < MEMORY_BOUND_MB


def test_the_canary_is_never_contacted(hostile_run: ChildRun, servers: dict[str, HostileServer]) -> None:
    assert servers["canary"].connections == 0, [r.path for r in servers["canary"].requests]
    # the redirects really were offered, at creation and inside an exchange
    paths = [r.path for r in servers["plain"].requests]
    assert any(p.startswith("/redirect-canary/workflows/") for p in paths)
    assert any(p.startswith("/redirect-canary/exchanges/") for p in paths)


def test_the_bearer_token_never_leaks(hostile_run: ChildRun, servers: dict[str, HostileServer], token: str) -> None:
    scanner = LeakScanner({"bearer token": token})
    # the echoing vendors really were sent the token (else this would prove nothing), and echoed it
    sent = [r for r in servers["plain"].requests if r.header("authorization") == f"Bearer {token}"]
    assert {r.path.split("/")[1] for r in sent} >= {"echo-400", "echo-html-500"}
    files = [p for p in hostile_run.run_dir.rglob("*") if p.is_file()]
    assert {"results.json", "report.html", "junit.xml"} <= {p.name for p in files}
    found = scanner.scan_all([*((str(p.relative_to(hostile_run.run_dir)), p.read_bytes()) for p in files),
                              ("stdout", hostile_run.stdout.encode()), ("stderr", hostile_run.stderr.encode())])
    assert found == []
