"""`lerconf serve` as an external VCALM issuer and verifier with exchanges, and as a wallet taking
part in lerconf's exchanges: its own process, HTTPS under the CA it makes at start, the profile it
writes naming its ``vcalm_issuer``, ``vcalm_verifier``, ``wallet`` and ``vcalm_wallet`` sections.
One `lerconf run --vendor <that profile> --role vcalm_issuer --role vcalm_verifier --role
vcalm_wallet` passes every exchange scenario over the wire: lerconf as the wallet against the
served workflows, the LMC vcalm-eddsa ecosystem scenarios its profile claims (its endpoints are
HTTPS), and the served wallet (its adapter over HTTPS) in the exchanges of lerconf's own embedded
reference. Only loopback traffic."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from _served import running_served

from conftest import shared_env
from lerconf.runlog import load_results

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
LERCONF = Path(sys.executable).parent / "lerconf"
#: every scenario of features/vcalm where lerconf plays the wallet (12 issuing, 15 verifying)
VCALM_ROWS = 27
#: every scenario of the wallet in lerconf's exchanges (features/vcalm/vcalm-wallet.feature, 9 rows,
#: and the lifecycle over exchanges, features/lifecycle/wallet-vcalm-revocation.feature)
WALLET_ROWS = 10
#: features/ecosystems: the LMC vcalm-eddsa scenarios the served profile claims (5 issuing, 2 verifying)
LMC_ROWS = 7


def test_served_exchanges_pass_every_vcalm_scenario(tmp_path: Path) -> None:
    (tmp_path / "served").mkdir()
    with running_served(tmp_path / "served") as server:
        profile = yaml.safe_load(server.profile.read_text(encoding="utf-8"))
        assert profile["vcalm_issuer"]["workflow_url"] == f"{server.base_url}/workflows/issue-badge"
        proc = subprocess.run([str(LERCONF), "run", "--vendor", str(server.profile), "--role", "vcalm_issuer",
                               "--role", "vcalm_verifier", "--role", "vcalm_wallet", "--out", str(tmp_path / "out")], cwd=REPO,
                              env={**os.environ, **shared_env()}, capture_output=True, text=True, timeout=300)
    dirs = [p for p in (tmp_path / "out").iterdir() if p.is_dir() and not p.is_symlink()]
    assert len(dirs) == 1, proc.stdout[-2000:] + proc.stderr[-4000:]
    results = load_results(dirs[0] / "results.json")
    ours = [s for s in results["scenarios"] if s.get("role") in ("vcalm_issuer", "vcalm_verifier")]
    bad = [f"{s['status']}: {s['name']} — {s.get('reason')}" for s in ours if s["status"] != "passed"]
    assert not bad, bad
    lmc = [s for s in ours if s.get("ecosystem") == "LMC vcalm-eddsa 0.1"]
    assert len(ours) - len(lmc) == VCALM_ROWS and len(lmc) == LMC_ROWS, (len(ours), len(lmc))
    assert all(s["vendor"] != "lerconf reference implementation" for s in ours)  # the served one, not the embedded
    assert profile["wallet"]["adapter_url"].startswith("https://") and profile["vcalm_wallet"]
    wallet = [s for s in results["scenarios"] if "vcalm_wallet" in s.get("tags", [])]
    bad = [f"{s['status']}: {s['name']} — {s.get('reason')}" for s in wallet if s["status"] != "passed"]
    assert not bad, bad
    assert len(wallet) == WALLET_ROWS and {s["vendor"] for s in wallet} == {profile["name"]}, len(wallet)
    assert proc.returncode == 0, proc.stdout[-2000:]
