"""Record and replay, end to end (issue 17 point 5): `lerconf run --record` keeps a tape per scenario,
`lerconf replay RUN_DIR` judges the run again offline with the current checks.

* the default run, recorded and replayed: every scenario gets the status and the very check results
  it had, the wallet's included (what the wallet sent is sent to lerconf's endpoints again);
* a check changed between recording and replay changes the replayed verdict (and only there), a
  wallet check too (judged on the recorded wallet requests);
* a faulty vendor, recorded and then stopped: the replay reproduces its failures without it;
* the recording keeps no access token, and a replay names the run it replays.
"""
from __future__ import annotations

import base64
import dataclasses
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _shared_runs import SharedRun
from faulty import FAULTS, running_vendor
from faulty.runs import _restored_environment, describe

from conftest import shared_env
from lerconf.results import Status
from lerconf.roles import vendor_role
from lerconf.run.cli import main
from lerconf.runlog import load_results

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_data_env")]

def _lerconf(*argv: str) -> int:
    with _restored_environment():
        return main(list(argv))


def _latest(out: Path) -> Path:
    return (out / "latest").resolve()


def _scenarios(run_dir: Path) -> dict[str, dict[str, Any]]:
    return {s["id"]: s for s in load_results(run_dir / "results.json")["scenarios"]}


def _checks(scenario: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(c["id"], c["status"], c["message"]) for c in (scenario.get("evidence") or {}).get("checks", [])]


@dataclasses.dataclass
class Recorded:
    run_dir: Path
    replay_dir: Path


@pytest.fixture(scope="module")
def recorded(recorded_reference_run: SharedRun, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Recorded]:
    """The session's shared `lerconf run --record` of the default run (tests/conftest.py; read-only,
    tests/e2e/test_harness_e2e.py judges it too) and its replay, made here."""
    with pytest.MonkeyPatch.context() as env:
        for name, value in shared_env().items():
            env.setenv(name, value)
        recording = recorded_reference_run
        assert recording.returncode == 0, recording.stdout[-2000:] + recording.stderr[-3000:]
        run_dir = _latest(recording.out)
        replays = tmp_path_factory.mktemp("replay")
        assert _lerconf("replay", str(run_dir), "--out", str(replays)) == 0
        yield Recorded(run_dir, _latest(replays))


@pytest.fixture(scope="module")
def recorded_part(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A smaller recording (the VC API issuer and the wallet: a vendor's answers and a wallet's
    requests) for the tests that replay it again with a check changed: a replay of the whole
    default run takes a minute, and they need one scenario of each kind."""
    with pytest.MonkeyPatch.context() as env:
        for name, value in shared_env().items():
            env.setenv(name, value)
        out = tmp_path_factory.mktemp("record-part")
        assert _lerconf("run", "--record", "--role", "issuer", "--role", "wallet", "--out", str(out)) == 0
        yield _latest(out)


def test_replay_reproduces_every_recorded_verdict(recorded: Recorded) -> None:
    """Every scenario, the wallet's included (its recorded requests sent to lerconf's endpoints
    again), gets the status and the very check results it had."""
    before, after = _scenarios(recorded.run_dir), _scenarios(recorded.replay_dir)
    assert set(before) == set(after)
    for i in before:
        assert after[i]["status"] == before[i]["status"], describe(after[i])
        assert _checks(after[i]) == _checks(before[i]), describe(after[i])
    assert sum(s["status"] == "passed" for s in after.values()) >= 200
    wallet = [i for i, s in after.items() if vendor_role(s["role"], s["tags"]) == "wallet"]
    assert len(wallet) >= 20 and all(after[i]["status"] == "passed" for i in wallet)
    assert any(s["status"] == "skipped" for s in after.values())  # not-claimed stays not claimed


def test_the_recorded_reference_ports_lie_below_the_ephemeral_range(recorded: Recorded) -> None:
    """So the replay can bind them again: an OS-chosen port may be taken meanwhile by any connection."""
    from lerconf.run.ports import LOWEST, ephemeral_floor
    header = json.loads((recorded.run_dir / "recording" / "run.json").read_text(encoding="utf-8"))
    assert LOWEST <= header["reference_port"] < ephemeral_floor()
    assert LOWEST <= header["reference_tls_port"] < ephemeral_floor()


def test_replay_names_the_run_it_replays(recorded: Recorded) -> None:
    run = load_results(recorded.replay_dir / "results.json")["run"]
    assert run["replay_of"]["run_id"] == recorded.run_dir.name
    assert load_results(recorded.run_dir / "results.json")["run"]["recorded"] is True
    assert (recorded.replay_dir / "report.html").is_file() and (recorded.replay_dir / "junit.xml").is_file()


def test_the_recording_keeps_no_token(recorded: Recorded) -> None:
    """The OID4VCI scenarios got access tokens and pre-authorized codes from the issuer under test: none
    is on a tape (each is a placeholder that only tells two tokens apart)."""
    tapes = sorted((recorded.run_dir / "recording").glob("[0-9]*.json"))
    bodies = []
    for tape in tapes:
        for entry in json.loads(tape.read_text(encoding="utf-8"))["steps"]:
            if entry.get("k") == "http" and entry.get("body"):
                bodies.append(base64.b64decode(entry["body"]).decode("utf-8", "replace"))
    tokens = [b for b in bodies if '"access_token"' in b]
    assert tokens, "the run's token responses should be on the tapes"
    for body in tokens:
        assert re.search(r'"access_token": "(?!\[REDACTED:[0-9a-f]{8}\])', body) is None, body[:300]
        assert re.search(r'"pre-authorized_code": "(?!\[REDACTED:[0-9a-f]{8}\])', body) is None, body[:300]


def test_a_changed_check_changes_the_replayed_verdict(recorded_part: Path, tmp_path: Path) -> None:
    """OB-12 made stricter after the recording: the replay of the same exchanges now fails it."""
    from lerconf.checks.base import check, failed
    from lerconf.results import Category
    from lerconf.scenarios import vcapi_judge

    @check("OB-12", Category.PROOF)
    def stricter(proof_results: Any) -> Any:
        return failed("a stricter OB-12: this proof is no longer accepted")

    name = "Issued badge carries a supported proof that verifies"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(vcapi_judge, "issued_badge_proof_verifies", stricter)
        assert _lerconf("replay", str(recorded_part), "--out", str(tmp_path)) == 1
    after = _scenarios(_latest(tmp_path))
    before = _scenarios(recorded_part)
    changed = {i for i in before if before[i]["status"] != after[i]["status"]}
    assert changed and all(before[i]["name"].startswith(name) for i in changed), sorted(changed)
    for i in changed:
        assert before[i]["status"] == "passed" and after[i]["status"] == "failed", describe(after[i])
        assert "a stricter OB-12" in after[i]["reason"]
    assert len(changed) == sum(1 for s in before.values() if s["name"].startswith(name))


def test_a_changed_wallet_check_is_applied_to_the_recorded_wallet_requests(recorded_part: Path, tmp_path: Path) -> None:
    """VCI-22 made stricter (a jwt key proof no longer binds): the wallet's recorded credential
    requests, sent to lerconf's issuer again, are judged by it."""
    from lerconf.checks import wallet_issuance
    from lerconf.checks.base import check, failed
    from lerconf.results import Category

    @check("VCI-22", Category.PROTOCOL)
    def stricter(credential_requests: Any, nonce_responses: Any, issuer: str, proof_types: Any = ()) -> Any:
        return failed(f"a stricter VCI-22 judged {len(credential_requests)} credential request(s) the wallet sent")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(wallet_issuance, "key_proof_binds_issuer_and_latest_nonce", stricter)
        assert _lerconf("replay", str(recorded_part), "--out", str(tmp_path)) == 1
    before, after = _scenarios(recorded_part), _scenarios(_latest(tmp_path))
    changed = [i for i in before if before[i]["status"] != after[i]["status"]]
    assert changed, "the stricter check changed no verdict"
    for i in changed:
        assert vendor_role(after[i]["role"], after[i]["tags"]) == "wallet", describe(after[i])
        assert (before[i]["status"], after[i]["status"]) == ("passed", "failed"), describe(after[i])
        seen = re.search(r"a stricter VCI-22 judged (\d+) credential request", after[i]["reason"])
        assert seen and int(seen.group(1)) >= 1, describe(after[i])  # the recorded requests, sent again


def test_a_faulty_vendor_is_judged_again_after_it_stopped(tmp_path: Path) -> None:
    """Recorded against a faulty issuer, replayed when that server is gone: the same failures."""
    fault = next(f for f in FAULTS if f.name == "issuer-alters-claim-after-signing")
    out = tmp_path / "record"
    with running_vendor(fault, tmp_path / "vendor") as vendor:
        code = _lerconf("run", "--record", "--no-preflight", "--vendor", str(vendor.profile_path), "--url-map",
                        str(vendor.url_map_path), "--role", "issuer", "--out", str(out), "-k", "proof or claims")
    assert code == 1
    before = _scenarios(_latest(out))
    failed = [s for s in before.values() if s["status"] == Status.FAILED.value]
    assert failed, [describe(s) for s in before.values()]
    assert _lerconf("replay", str(_latest(out)), "--out", str(tmp_path / "replay")) == 1
    after = _scenarios(_latest(tmp_path / "replay"))
    assert {i: s["status"] for i, s in after.items()} == {i: s["status"] for i, s in before.items()}
    for s in failed:
        assert after[s["id"]]["reason"] == s["reason"], describe(after[s["id"]])
