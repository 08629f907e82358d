"""A private key given in a key file (lerconf report --sign) never reaches any output file."""
from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

from _report_data import three_vendors, write_run

from conftest import shared_env
from lerconf.crypto.encoding import b58decode
from lerconf.crypto.signing import deterministic_key

REPO = Path(__file__).resolve().parents[2]


def _forms(secret: str) -> list[str]:
    raw = b58decode(secret[1:])
    return [secret, base64.b64encode(raw).decode().rstrip("="), base64.urlsafe_b64encode(raw).decode().rstrip("="),
            raw.hex(), raw[-32:].hex(), base64.urlsafe_b64encode(raw[-32:]).decode().rstrip("=")]


def test_signing_key_never_appears_in_outputs(tmp_path: Path) -> None:
    key = deterministic_key("test-report-signing-key", "Ed25519")
    secret = key.to_multikey()
    key_file = tmp_path / "key.json"
    key_file.write_text(json.dumps({"privateKeyMultibase": secret}))
    run = write_run(tmp_path / "run", three_vendors())
    done = subprocess.run([sys.executable, "-m", "lerconf.run.cli", "report", str(run), "--sign", str(key_file)],
                          cwd=REPO, capture_output=True, text=True, timeout=120, env={**os.environ, **shared_env()})
    assert (run / "certificate.json").is_file(), done.stderr
    outputs = [p for p in run.rglob("*") if p.is_file()]
    assert len(outputs) >= 3
    texts = [p.read_text(errors="replace") for p in outputs] + [done.stdout, done.stderr]
    for form in _forms(secret):
        assert not any(form in t for t in texts), f"a form of the private key leaked: {form[:6]}…"
    # and a broken key file is reported without echoing its content
    key_file.write_text(json.dumps({"privateKeyMultibase": secret[:-3] + "!!!"}))
    bad = subprocess.run([sys.executable, "-m", "lerconf.run.cli", "report", str(run), "--sign", str(key_file)],
                         cwd=REPO, capture_output=True, text=True, timeout=120, env={**os.environ, **shared_env()})
    assert bad.returncode == 2
    assert secret[5:25] not in bad.stdout + bad.stderr
