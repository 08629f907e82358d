"""Preflight (lerconf.run.preflight): setup problems stop `lerconf run` with exit 2 before any
scenario, one line each (what, vendor / role, URL, fix); --no-preflight runs anyway.

The vendors are small loopback servers (http.server in a thread) answering one fixed way."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from lerconf.profile.load import load_profile, parse_profile
from lerconf.run.cli import main
from lerconf.run.preflight import PreflightError, before_run, check_vendor, preflight

REPO = Path(__file__).resolve().parents[2]
LERCONF = Path(sys.executable).with_name("lerconf")
CLAIMS = '{vc_versions: ["2.0"], securing: [eddsa-rdfc-2022], status: []}'


@contextmanager
def answering(status: int, body: bytes, content_type: str) -> Iterator[str]:
    """A loopback server answering every request with ``status`` and ``body``; yields its base URL."""

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            if length:
                self.rfile.read(length)
            self.send_response(status)
            self.send_header("content-type", content_type)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        do_GET = do_POST = do_HEAD = _answer

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed when the block ends: nothing listens there


def write_profile(path: Path, base: str, *, name: str = "Acme", auth: str = "", holder_claims: str = CLAIMS) -> Path:
    path.write_text(f"""\
name: {name}
{auth}
issuer:
  issue_url: {base}/credentials/issue
  id: did:example:acme
  claims: {CLAIMS}
verifier:
  verify_credential_url: {base}/credentials/verify
  claims: {CLAIMS}
holder:
  present_url: {base}/presentations
  claims: {holder_claims}
""", encoding="utf-8")
    return path


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["run", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def no_run_directory(out: Path) -> bool:
    return not out.exists() or not [p for p in out.iterdir() if p.is_dir() and not p.is_symlink()]


def test_unset_token_is_exit_2_naming_the_variable_and_vendor(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VB_TOKEN", raising=False)
    profile = write_profile(tmp_path / "vb.yaml", f"http://127.0.0.1:{closed_port()}", name="Vendor B",
                            auth="auth: {bearer_token_env: VB_TOKEN}")
    out = tmp_path / "reports"
    started = time.monotonic()
    code, _, err = run_cli(capsys, "--vendor", str(profile), "--out", str(out))
    assert code == 2, err
    assert "Vendor B / auth: environment variable VB_TOKEN is not set (auth.bearer_token_env" in err
    assert "export VB_TOKEN=" in err and "no scenario ran" in err and "--no-preflight" in err
    assert err.count("\n  - ") == 1, "a missing secret is the one problem: no network check follows"
    assert no_run_directory(out), "a setup error leaves no run directory"
    assert time.monotonic() - started < 10


def test_unreachable_base_url_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    port = closed_port()
    profile = write_profile(tmp_path / "down.yaml", f"http://127.0.0.1:{port}")
    out = tmp_path / "reports"
    code, _, err = run_cli(capsys, "--vendor", str(profile), "--out", str(out))
    assert code == 2, err
    assert "Acme / issuer: unreachable (" in err and f"POST http://127.0.0.1:{port}/credentials/issue" in err
    assert "check the host and port" in err
    assert err.count("\n  - ") == 1, "one unreachable origin is one problem, not one per role"
    assert no_run_directory(out)


def test_401_to_everything_is_authentication_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "tok-SECRET-7f3a9c"
    monkeypatch.setenv("ACME_TOKEN", secret)
    with answering(401, b'{"error": "unauthorized"}', "application/json") as base:
        profile = write_profile(tmp_path / "acme.yaml", base, auth="auth: {bearer_token_env: ACME_TOKEN}")
        code, out, err = run_cli(capsys, "--vendor", str(profile), "--out", str(tmp_path / "reports"))
    assert code == 2, err
    for role, path in (("issuer", "/credentials/issue"), ("verifier", "/credentials/verify"), ("holder", "/presentations")):
        assert f"Acme / {role}: authentication refused (HTTP 401) at POST {base}{path}" in err
    assert "check that $ACME_TOKEN (auth.bearer_token_env) holds a token this endpoint accepts" in err
    assert secret not in err + out, "secrets never appear in messages"
    assert no_run_directory(tmp_path / "reports")


def test_html_500_to_every_call_is_a_setup_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with answering(500, b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html") as base:
        profile = write_profile(tmp_path / "acme.yaml", base)
        code, _, err = run_cli(capsys, "--vendor", str(profile), "--out", str(tmp_path / "reports"))
    assert code == 2, err
    assert f"Acme / verifier: server error (HTTP 500, text/html) to a harmless call at POST {base}/credentials/verify" in err
    assert "not a web page, proxy or load balancer error page" in err


def test_what_is_not_a_setup_problem() -> None:
    """A 400 (the conformant answer to an empty body) passes; a JSON 500 is a warning only."""
    for status, body, ctype, warnings in ((400, b'{"title": "bad"}', "application/problem+json", 0),
                                          (500, b'{"title": "oops"}', "application/json", 3)):
        with answering(status, body, ctype) as base:
            profile = parse_profile({"name": "Acme", **{r: {u: f"{base}/{u}", "id": "did:example:x"} if r == "issuer"
                                                         else {u: f"{base}/{u}"} for r, u in (
                                                             ("issuer", "issue_url"), ("verifier", "verify_credential_url"),
                                                             ("holder", "present_url"))}}, "acme.yaml")
            found = preflight([profile])
        assert len(found) == warnings and all(p.warning for p in found), found


def test_a_claim_left_out_is_named_with_its_values(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with answering(400, b"{}", "application/json") as base:
        profile = write_profile(tmp_path / "acme.yaml", base, holder_claims="{securing: [eddsa-rdfc-2022]}")
        code, _, err = run_cli(capsys, "--vendor", str(profile), "--out", str(tmp_path / "reports"))
    assert code == 2, err
    assert ("Acme / holder: holder.claims.vc_versions is not given: every holder scenario selects by it and would be "
            "skipped as not claimed") in err
    assert "fix: list what the holder supports, some of: 1.1, 2.0 (or vc_versions: [] to claim none)" in err


def test_an_omitted_status_claim_gets_a_printed_default(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with answering(400, b"{}", "application/json") as base:
        path = write_profile(tmp_path / "acme.yaml", base)
        path.write_text(path.read_text(encoding="utf-8").replace(", status: []}", "}"), encoding="utf-8")
        before_run([load_profile(path)])
    out = capsys.readouterr().out
    assert "lerconf: Acme: issuer.claims.status not given: default [] (no status method claimed" in out
    assert "lerconf: Acme: verifier.claims.status not given" in out
    assert "preflight passed for Acme" in out


def test_the_embedded_reference_passes_trivially() -> None:
    started = time.monotonic()
    before_run([])
    assert time.monotonic() - started < 0.5


def test_preflight_error_lists_one_line_per_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("A_KEY", raising=False)
    monkeypatch.delenv("A_SECRET", raising=False)
    profile = parse_profile({"name": "A", "auth": {"headers_env": {"X-Api-Key": "A_KEY"}},
                             "verifier": {"verify_credential_url": "http://127.0.0.1:9/v"}}, "a.yaml")
    problems = check_vendor(profile)
    assert [p.line() for p in problems] == [
        "A / auth: environment variable A_KEY is not set (auth.headers_env.X-Api-Key, a.yaml); "
        "fix: export A_KEY=<the secret for A> (in CI: from the secret store)"]
    assert str(PreflightError(problems)).splitlines()[1].startswith("  - A / auth: environment variable A_KEY")


@pytest.mark.slow
def test_no_preflight_runs_anyway(tmp_path: Path) -> None:
    profile = write_profile(tmp_path / "vb.yaml", f"http://127.0.0.1:{closed_port()}", name="Vendor B",
                            auth="auth: {bearer_token_env: VB_TOKEN}", holder_claims="{securing: [eddsa-rdfc-2022]}")
    env = {k: v for k, v in os.environ.items() if k != "VB_TOKEN"}
    out = tmp_path / "reports"
    proc = subprocess.run([str(LERCONF), "run", "--vendor", str(profile), "--out", str(out), "--no-preflight",
                           "--role", "issuer", "--role", "holder", "-k", "returns_201"], cwd=REPO, env={**env, "CI": "1"},
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 1, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "warning (--no-preflight): Vendor B / holder: holder.claims.vc_versions is not given" in proc.stdout
    [run_dir] = [p for p in out.iterdir() if p.is_dir() and not p.is_symlink()]
    scenarios = json.loads((run_dir / "results.json").read_text(encoding="utf-8"))["scenarios"]
    ran = [s for s in scenarios if s["status"] != "skipped"]
    assert ran and all(s["status"] == "broken" and "VB_TOKEN is not set" in s["reason"] for s in ran)


def test_role_selection_checks_only_the_selected_sections() -> None:
    with answering(400, b"{}", "application/json") as base:
        profile = parse_profile({"name": "Acme",
                                 "verifier": {"verify_credential_url": f"{base}/credentials/verify",
                                              "claims": {"vc_versions": ["2.0"], "securing": ["eddsa-rdfc-2022"]}},
                                 "holder": {"present_url": f"http://127.0.0.1:{closed_port()}/presentations",
                                            "claims": {"securing": ["eddsa-rdfc-2022"]}}}, "acme.yaml")
        assert check_vendor(profile, roles=["verifier"]) == []
        assert [p.where for p in check_vendor(profile)] == ["holder"]
        before_run([profile], roles=["verifier"])  # the holder's missing vc_versions is not this run's business
        with pytest.raises(PreflightError, match="holder.claims.vc_versions is not given"):
            before_run([profile], roles=["holder"])


@pytest.mark.parametrize(("advertised", "said"), [(None, "None"), ("yes", "'yes'"), (False, "False")])
def test_a_profile_claiming_isolation_needs_an_adapter_advertising_it(advertised: Any, said: str) -> None:
    """wallet.isolation: scenario runs the wallet's scenarios at once: its adapter must say it keeps them apart."""
    body = {"formats": ["ldp_vc"], **({"scenario_isolation": advertised} if advertised is not None else {})}
    with answering(200, json.dumps(body).encode(), "application/json") as base:
        isolated = parse_profile({"name": "w", "wallet": {"adapter_url": f"{base}/a", "isolation": "scenario"}}, "inline")
        plain = parse_profile({"name": "w", "wallet": {"adapter_url": f"{base}/a"}}, "inline")
        problems, unclaimed = check_vendor(isolated), check_vendor(plain)
    assert len(problems) == 1 and not problems[0].warning and problems[0].where == "wallet"
    assert f"does not advertise scenario_isolation: true (it says {said})" in problems[0].what
    assert "remove wallet.isolation" in problems[0].fix and problems[0].url == f"GET {base}/a/capabilities"
    assert unclaimed == [], "without the claim, nothing is asked of the adapter"


def test_an_adapter_advertising_isolation_passes_preflight() -> None:
    body = json.dumps({"formats": ["ldp_vc"], "scenario_isolation": True}).encode()
    with answering(200, body, "application/json") as base:
        profile = parse_profile({"name": "w", "wallet": {"adapter_url": f"{base}/a", "isolation": "scenario"}}, "inline")
        assert check_vendor(profile) == []


def test_the_isolation_claim_is_checked_whatever_roles_are_selected() -> None:
    """--role never deselects the OpenID interop cases that use the wallet: dealt one by one on that claim."""
    with answering(200, json.dumps({"formats": ["ldp_vc"]}).encode(), "application/json") as base:
        profile = parse_profile({"name": "w", "wallet": {"adapter_url": f"{base}/a", "isolation": "scenario"}}, "inline")
        problems = check_vendor(profile, roles=["oid4vp_verifier"])
    assert [q.where for q in problems if not q.warning] == ["wallet"]
    assert "does not advertise scenario_isolation" in problems[0].what


def test_unreadable_capabilities_are_a_warning_not_a_wrong_isolation_error() -> None:
    """A JSON 5xx is a warning for any adapter; it says nothing about isolation either way."""
    with answering(503, b'{"error": "busy"}', "application/json") as base:
        profile = parse_profile({"name": "w", "wallet": {"adapter_url": f"{base}/a", "isolation": "scenario"}}, "inline")
        problems = check_vendor(profile)
    assert problems and all(q.warning for q in problems), problems
    assert any("could not read whether the adapter keeps scenarios apart" in q.what for q in problems)
    assert not any("does not advertise" in q.what for q in problems)


def test_a_hostile_isolation_value_is_quoted_short_in_the_problem() -> None:
    """The adapter's answer goes into a message: a megabyte string in scenario_isolation is cut, not printed."""
    body = json.dumps({"scenario_isolation": "yes" * 500_000}).encode()
    with answering(200, body, "application/json") as base:
        profile = parse_profile({"name": "w", "wallet": {"adapter_url": f"{base}/a", "isolation": "scenario"}}, "inline")
        [problem] = check_vendor(profile)
    assert "does not advertise scenario_isolation: true (it says 'yesyes" in problem.what
    assert len(problem.what) < 300 and not problem.warning
