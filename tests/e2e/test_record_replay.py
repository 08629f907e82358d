"""Record and replay, end to end (issue 17 point 5): `lerconf run --record` keeps a tape per scenario,
`lerconf replay RUN_DIR` judges the run again offline with the current checks.

* the default run, recorded and replayed: every scenario that is not a wallet's gets the status and
  the very check results it had; wallet scenarios say why they are not replayed;
* a check changed between recording and replay changes the replayed verdict (and only there);
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
from faulty import FAULTS, running_vendor
from faulty.runs import _restored_environment, describe

from conftest import shared_env
from lerconf.results import Status
from lerconf.roles import vendor_role
from lerconf.run.cli import main
from lerconf.runlog import load_results

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_data_env")]

NOT_REPLAYED = "cannot be judged: not replayed: a wallet is judged by what it sent to lerconf's endpoints"


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
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Recorded]:
    with pytest.MonkeyPatch.context() as env:
        for name, value in shared_env().items():
            env.setenv(name, value)
        out = tmp_path_factory.mktemp("record")
        assert _lerconf("run", "--record", "--out", str(out)) == 0
        run_dir = _latest(out)
        replays = tmp_path_factory.mktemp("replay")
        assert _lerconf("replay", str(run_dir), "--out", str(replays)) == 0
        yield Recorded(run_dir, _latest(replays))


def test_replay_reproduces_every_recorded_verdict(recorded: Recorded) -> None:
    before, after = _scenarios(recorded.run_dir), _scenarios(recorded.replay_dir)
    assert set(before) == set(after)
    replayed = [i for i in before if not after[i]["reason"].startswith(NOT_REPLAYED)]
    assert len(replayed) >= 150, len(replayed)
    for i in replayed:
        assert after[i]["status"] == before[i]["status"], describe(after[i])
        assert _checks(after[i]) == _checks(before[i]), describe(after[i])
    assert any(before[i]["status"] == "skipped" for i in replayed)  # not-claimed stays not claimed
    assert sum(before[i]["status"] == "passed" for i in replayed) >= 150


def test_wallet_scenarios_say_why_they_are_not_replayed(recorded: Recorded) -> None:
    after = _scenarios(recorded.replay_dir)
    wallet = [s for s in after.values() if s["role"] == "wallet"]
    assert wallet
    assert all(s["status"] == "skipped" and s["reason"].startswith(NOT_REPLAYED) for s in wallet), \
        [describe(s) for s in wallet if not s["reason"].startswith(NOT_REPLAYED)]
    others = [s for s in after.values() if s["reason"].startswith(NOT_REPLAYED) and s["role"] != "wallet"]
    assert all(vendor_role(s["role"], s["tags"]) == "wallet" for s in others), [describe(s) for s in others]


def test_replay_names_the_run_it_replays(recorded: Recorded) -> None:
    run = load_results(recorded.replay_dir / "results.json")["run"]
    assert run["replay_of"]["run_id"] == recorded.run_dir.name
    assert load_results(recorded.run_dir / "results.json")["run"]["recorded"] is True
    assert (recorded.replay_dir / "report.html").is_file() and (recorded.replay_dir / "junit.xml").is_file()


def test_the_recording_keeps_no_token(recorded: Recorded) -> None:
    """The OID4VCI scenarios got access tokens and pre-authorized codes: none is on a tape."""
    tapes = list((recorded.run_dir / "recording").glob("*.json"))
    bodies = []
    for tape in tapes:
        entries = json.loads(tape.read_text(encoding="utf-8"))
        if not isinstance(entries, list):
            continue
        for entry in entries:
            if entry.get("k") == "http" and entry.get("body"):
                bodies.append(base64.b64decode(entry["body"]).decode("utf-8", "replace"))
    tokens = [b for b in bodies if '"access_token"' in b]
    assert tokens, "the run's token responses should be on the tapes"
    for body in tokens:
        assert re.search(r'"access_token": "(?!\[REDACTED\])', body) is None, body[:300]
        assert re.search(r'"pre-authorized_code": "(?!\[REDACTED\])', body) is None, body[:300]


def test_a_changed_check_changes_the_replayed_verdict(recorded: Recorded, tmp_path: Path) -> None:
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
        assert _lerconf("replay", str(recorded.run_dir), "--out", str(tmp_path)) == 1
    after = _scenarios(_latest(tmp_path))
    before = _scenarios(recorded.run_dir)
    changed = {i for i in before if before[i]["status"] != after[i]["status"]
               and not after[i]["reason"].startswith(NOT_REPLAYED)}
    assert changed and all(before[i]["name"].startswith(name) for i in changed), sorted(changed)
    for i in changed:
        assert before[i]["status"] == "passed" and after[i]["status"] == "failed", describe(after[i])
        assert "a stricter OB-12" in after[i]["reason"]
    assert len(changed) == sum(1 for s in before.values() if s["name"].startswith(name))


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
