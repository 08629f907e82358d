"""Cross-vendor OpenID interop as a lerconf run: lerconf's reference and the independent openid4vc
peer (tests/peers/openid4vc) given as two vendors, `lerconf run --tags interop`. The reference's
issuer -> the peer's wallet -> the reference's verifier, and the peer's issuer -> the reference's
wallet -> the peer's verifier, in both formats, and the lifecycle (revoke -> refused) both ways;
the report's issuer x wallet and wallet x verifier matrices show the cells.

Node.js >= 20 and npm are required (as for tests/e2e/test_peer_openid4vc.py): without them the test fails.
"""
from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from peers.openid4vc import peer as peer_mod

from conftest import shared_env
from lerconf.documents.loader import LoaderSettings
from lerconf.refimpl import running_reference

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
PEER_DIR = REPO / "tests" / "peers" / "openid4vc"
REF = "lerconf reference implementation"
PEER = "openid4vc peer"



@pytest.fixture(scope="module")
def two_openid_vendors(tmp_path_factory: pytest.TempPathFactory, offline_settings: LoaderSettings) -> Iterator[list[Path]]:
    """The peer (its profile, plus where lerconf revokes its badges) and a reference instance that may
    reach the peer's loopback host (its status lists), as two vendor profiles."""
    folder = tmp_path_factory.mktemp("openid-vendors")
    try:
        manager = peer_mod.running_peer()
        peer = manager.__enter__()
    except peer_mod.PeerUnavailable as exc:  # a failure, never a skip: CI must have Node
        pytest.fail(f"openid4vc peer unavailable: {exc}", pytrace=False)
    try:
        host = peer.base.split("://", 1)[1]
        settings = dataclasses.replace(offline_settings, allowed_hosts=offline_settings.allowed_hosts | {host, host.split(":")[0]})
        with running_reference(settings=settings) as ref:
            ref_profile = folder / "reference.yaml"
            ref_profile.write_text((REPO / "fixtures/vendors/reference.yaml").read_text()
                                   .replace("${LERCONF_REFERENCE_PORT}", str(ref.port)))
            # the peer revokes with POST /oid4vci/status: lerconf's option for an OID4VCI issuer's status endpoint
            data = yaml.safe_load(peer.profile.read_text())
            data["oid4vci_issuer"].setdefault("options", {})["status_url"] = "${OID4VC_PEER_BASE}/oid4vci/status"
            peer_profile = folder / "peer.yaml"
            peer_profile.write_text(yaml.safe_dump(data, sort_keys=False))
            yield [ref_profile, peer_profile]
    finally:
        manager.__exit__(None, None, None)


def _cases(paths: list[Path], kind: str) -> set[tuple[str, str, str, str]]:
    from lerconf.profile.load import load_profile
    from lerconf.scenarios.interop_openid import openid_cases

    return {(c.issuer, c.wallet, c.verifier, c.format) for c in openid_cases([load_profile(p) for p in paths], kind)}


def test_openid_interop_run_both_directions(two_openid_vendors: list[Path], tmp_path: Path) -> None:
    paths = two_openid_vendors
    # what the claims of the two profiles generate: the wallet never meets its own vendor's issuer or verifier
    assert _cases(paths, "openid") == {(i, w, v, f) for i, w, v in ((REF, PEER, REF), (PEER, REF, PEER))
                                       for f in ("ldp_vc", "jwt_vc_json")}
    assert _cases(paths, "openid-lifecycle") == {(REF, PEER, REF, "ldp_vc"), (PEER, REF, PEER, "ldp_vc")}

    # two workers: the peer's wallet (one wallet for every scenario) has its cases in one of them; the reference's
    # wallet keeps scenarios apart (isolation: scenario), so its cases are dealt one by one (lerconf.run.plugin._shard_key)
    cmd = [sys.executable, "-m", "lerconf.run.cli", "run", "-n", "2", "--out", str(tmp_path), "--tags", "interop"]
    for p in paths:
        cmd += ["--vendor", str(p)]
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "CI": "true", **shared_env()}, check=False)
    print(done.stdout[-4000:])
    assert (tmp_path / "latest").exists(), done.stdout[-2000:] + done.stderr[-3000:]
    run_dir = (tmp_path / "latest").resolve()
    results = json.loads((run_dir / "results.json").read_text())
    openid = [s for s in results["scenarios"] if (s.get("interop") or {}).get("wallet")]
    seen = {(s["interop"]["kind"], s["interop"]["issuer"], s["interop"]["wallet"], s["interop"]["verifier"],
             s["interop"]["format"]): s["status"] for s in openid}
    print("\n".join(f"{k}: {v}" for k, v in sorted(seen.items())))
    bad = [(s["vendor"], s["name"], s["status"], s["reason"][:400]) for s in openid if s["status"] != "passed"]
    assert not bad, bad
    assert set(seen) == {("openid", i, w, v, f) for i, w, v in ((REF, PEER, REF), (PEER, REF, PEER))
                         for f in ("ldp_vc", "jwt_vc_json")} | {
        ("openid-lifecycle", REF, PEER, REF, "ldp_vc"), ("openid-lifecycle", PEER, REF, PEER, "ldp_vc")}
    # revoked for the right reason: the verifier said so after the issuer set the bit
    for s in openid:
        if s["interop"]["kind"] == "openid-lifecycle":
            notes = s["evidence"]["notes"]
            verdicts = [n for n in notes if "by its result hook" in n]
            assert len(verdicts) == 2 and "verified: true" in verdicts[0], notes
            assert re.search(r"revoked|status is set", verdicts[1]), notes
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    # every case that hands the peer's wallet a badge ran in one worker: that wallet is never used by two at once
    wallets_by_worker = {}
    for worker in sorted((run_dir / "workers").iterdir()):
        ran = json.loads(((worker / "latest").resolve() / "results.json").read_text())["scenarios"]
        wallets_by_worker[worker.name] = {s["interop"]["wallet"] for s in ran
                                          if (s.get("interop") or {}).get("wallet") and s["status"] != "skipped"}
    assert sum(PEER in wallets for wallets in wallets_by_worker.values()) == 1, wallets_by_worker
    assert any(REF in wallets for wallets in wallets_by_worker.values()), wallets_by_worker

    # the report: issuer x wallet and wallet x verifier, both directions, both formats
    from lerconf.reports import build, build_matrices
    from lerconf.reports.interop import ISSUER_WALLET, WALLET_VERIFIER

    matrices = build_matrices(build([run_dir]))
    for kind, pairs in ((ISSUER_WALLET, ((REF, PEER), (PEER, REF))), (WALLET_VERIFIER, ((PEER, REF), (REF, PEER)))):
        for row, column in pairs:
            cell = matrices[kind].cell(row, column)
            assert cell is not None and cell.status == "passed" and cell.counts.passed == 3, (kind, row, column, cell)
            assert cell.variants == {"ldp_vc", "jwt_vc_json"}, cell.variants
        assert matrices[kind].cell(REF, REF) is None and matrices[kind].cell(PEER, PEER) is None
    html = (run_dir / "report.html").read_text()
    for kind in (ISSUER_WALLET, WALLET_VERIFIER):
        table = html.split(f'data-matrix="{kind}"', 1)[1].split("</table>", 1)[0]
        assert table.count('class="st-passed"') == 2 and REF in table and PEER in table, table[:2000]
