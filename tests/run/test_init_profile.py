"""`lerconf init URL` (lerconf.run.init_profile): probes a base URL on loopback and writes a
commented profile that loads, validates against the shipped schema and names what it found."""
from __future__ import annotations

import json
import socket
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import yaml

from lerconf.profile.load import load_profile
from lerconf.refimpl import running_reference
from lerconf.run.cli import main
from lerconf.run.preflight import incomplete

SCHEMA = json.loads((resources.files("lerconf.data") / "vendor-profile.schema.json").read_text(encoding="utf-8"))


def test_init_against_the_reference_writes_a_profile_that_loads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "ref.yaml"
    with running_reference() as ref:
        base = ref.base_url
        code = main(["init", base, "--out", str(out), "--name", "Reference"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "found holder, issuer, oid4vci_issuer, verifier, wallet" in err and str(out) in err
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    jsonschema.Draft202012Validator(SCHEMA).validate(yaml.safe_load(text))
    profile = load_profile(out)
    assert profile.name == "Reference"
    assert profile.role("issuer").urls == {"issue_url": f"{base}/credentials/issue",  # type: ignore[union-attr]
                                           "status_url": f"{base}/credentials/status"}
    assert profile.role("issuer").issuer_id == "did:web:127.0.0.1%3A" + base.rsplit(":", 1)[1]  # type: ignore[union-attr]
    assert profile.role("verifier").urls["verify_presentation_url"] == f"{base}/presentations/verify"  # type: ignore[union-attr]
    # the reference serves VC API Derive Credential too (selective disclosure): init finds it
    assert profile.role("holder").urls == {"present_url": f"{base}/presentations",  # type: ignore[union-attr]
                                           "derive_url": f"{base}/credentials/derive"}
    assert profile.oid4vci_issuer.credential_issuer == f"{base}/oid4vci"
    assert set(profile.oid4vci_issuer.formats) == {"ldp_vc", "jwt_vc_json"}
    assert set(profile.oid4vci_issuer.grants) == {"pre-authorized_code", "authorization_code"}
    assert profile.wallet.adapter_url == f"{base}/wallet"
    assert profile.wallet.isolated  # the capabilities' scenario_isolation
    assert profile.vcalm_wallet.exchanges == ("issuing", "verifying")  # the capabilities' vcalm_exchanges
    assert "did:web:127.0.0.1%3A" in text
    assert "TODO: lerconf cannot learn these by probing" in text and "oid4vp_verifier: TODO" in text
    assert incomplete(profile)[0] == [], "the written claims are complete (marked TODO to check)"


def test_init_against_a_closed_port_writes_nothing_and_says_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = tmp_path / "x.yaml"
    code = main(["init", f"http://127.0.0.1:{port}", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"http://127.0.0.1:{port}: unreachable (ConnectError" in err and "nothing written" in err
    assert not out.exists()


def test_init_with_nothing_found_writes_a_template_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from test_preflight import answering

    out = tmp_path / "x.yaml"
    with answering(404, b"not found", "text/plain") as base:
        code = main(["init", base, "--out", str(out)])
    assert code == 1
    assert "no endpoint was found" in capsys.readouterr().err
    assert "# TODO: no endpoint was found under this URL" in out.read_text(encoding="utf-8")


def test_init_marks_endpoints_behind_authentication(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from test_preflight import answering

    out = tmp_path / "x.yaml"
    with answering(401, b'{"error": "unauthorized"}', "application/json") as base:
        assert main(["init", base, "--out", str(out), "--name", "Acme Co"]) == 0
    text = out.read_text(encoding="utf-8")
    assert "# TODO: these endpoints answered 401/403" in text and "bearer_token_env: ACME_CO_TOKEN" in text
    assert load_profile(out).auth.bearer_token_env == "ACME_CO_TOKEN"
    assert main(["init", base, "--out", str(out)]) == 2, "an existing file is not overwritten without --force"


def test_init_reads_a_bounded_amount_from_a_server_that_never_stops(tmp_path: Path) -> None:
    """A hostile (or broken) server streaming an endless body on every path: each probe reads at most
    MAX_PROBE_BYTES and stops at its timeout; `lerconf init` ends, having found nothing."""
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from lerconf.run.init_profile import MAX_PROBE_BYTES, probe

    sent = [0]

    class Endless(BaseHTTPRequestHandler):
        def _endless(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            chunk = b"[" * 65536
            try:
                while sent[0] < 200 * MAX_PROBE_BYTES:
                    self.wfile.write(chunk)
                    sent[0] += len(chunk)
            except OSError:
                pass

        do_GET = do_POST = _endless

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Endless)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        started = time.monotonic()
        found = probe(f"http://127.0.0.1:{server.server_address[1]}", timeout=2.0)
        elapsed = time.monotonic() - started
    finally:
        server.shutdown()
        server.server_close()
    assert found.reachable and found.issuer_did is None and found.wallet is None  # answered, nothing parseable
    assert sent[0] < 200 * MAX_PROBE_BYTES, "the probes read the whole endless body"
    assert elapsed < 60, f"the probes took {elapsed:.0f} s"
