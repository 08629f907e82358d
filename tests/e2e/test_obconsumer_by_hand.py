"""An OB 3.0 / CLR 2.0 API consumer driven by hand (``ob_consumer.by_hand``): each scenario is a step
of the operator page with lerconf's host's address and the job; a robot person operates the consumer
(the reference consumer, or a faulty one) and says it finished. The wire decides as with the trigger
hook: a clean consumer passes every row, a faulty one fails its rows for the same reason, and an
operator who never answers or reports an error with nothing received breaks the rows (no verdict)."""
from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest
from faulty.runs import _restored_environment
from faulty_obconsumer import CLEAN, FAULTS, ConsumerFault, running_consumer
from manual_robot import Decision, Robot

from lerconf.refimpl.obconsumer import TRIGGER_PATH
from lerconf.run.runner import RunOptions, run
from lerconf.runlog import load_results

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_data_env")]
SCENARIOS = 14


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run_by_hand(fault: ConsumerFault, tmp: Path, *, policy: Any = None, timeout_s: float = 30,
                 keyword: str | None = None, record: bool = False) -> tuple[int, dict[str, dict[str, Any]], Robot]:
    port = _free_port()
    with running_consumer(fault, tmp / "vendor") as vendor:
        profile = tmp / "by-hand.json"
        profile.write_text(json.dumps({"name": "Backpack by hand", "ob_consumer": {
            "by_hand": {"open": "the robot's backpack", "timeout_s": timeout_s, "page_port": port},
            "apis": ["ob", "clr"], "claims": {"operations": ["write", "read"], "formats": ["ldp_vc", "jwt"]}}}),
            encoding="utf-8")
        robot = Robot(f"http://127.0.0.1:{port}/", consumer_trigger=f"{vendor.state.base_url}{TRIGGER_PATH}")
        if policy is not None:
            robot.policy = policy
        with _restored_environment(), robot:
            code, run_dir = run(RunOptions(vendors=[profile], roles=["ob_consumer"], out=tmp / "reports",
                                           keyword=keyword, record=record))
    assert not robot.errors, robot.errors
    found = {s["name"]: s for s in load_results(run_dir / "results.json")["scenarios"] if s["role"] == "ob_consumer"}
    return code, found, robot


def test_a_clean_consumer_operated_by_hand_passes_every_row(tmp_path: Path) -> None:
    code, found, robot = _run_by_hand(CLEAN, tmp_path)
    assert len(found) == SCENARIOS and {s["status"] for s in found.values()} == {"passed"}, \
        [(n, s["status"], s["reason"]) for n, s in found.items() if s["status"] != "passed"]
    steps = [h for h in robot.handled if h["kind"] == "consumer"]
    assert len(steps) == SCENARIOS and all("/discovery" in h["uri"] for h in steps)
    assert any("/ims/clr/v2p0/" in h["uri"] for h in steps) and any("VC-JWT" in h["instructions"] for h in steps)
    one = next(iter(found.values()))
    assert any("the operator reported it finished" in n for n in one["evidence"]["notes"])
    assert code == 0


def test_a_faulty_consumer_operated_by_hand_fails_its_rows_for_the_same_reason(tmp_path: Path) -> None:
    fault = next(f for f in FAULTS if f.name == "ignores-next")
    _, found, _ = _run_by_hand(fault, tmp_path)
    for name, because in fault.detected_by.items():
        assert found[name]["status"] == "failed" and because in found[name]["reason"], found[name]
    others = [s for n, s in found.items() if n not in fault.detected_by and n not in fault.blocked]
    assert others and all(s["status"] == "passed" for s in others)


def _reports_an_error_without_doing_anything(step: dict[str, Any]) -> Decision:
    return "error", "the backpack said: cannot add this host", None


def test_an_operator_who_reports_an_error_with_nothing_received_breaks_the_rows(tmp_path: Path) -> None:
    code, found, _ = _run_by_hand(CLEAN, tmp_path, policy=_reports_an_error_without_doing_anything)
    assert {s["status"] for s in found.values()} == {"broken"}
    assert all("lerconf's host received nothing" in s["reason"] for s in found.values()) and code == 1


def test_an_operator_who_never_answers_breaks_the_rows_at_the_timeout(tmp_path: Path) -> None:
    _, found, _ = _run_by_hand(CLEAN, tmp_path, policy=lambda step: ("ignore", "", None), timeout_s=1,
                               keyword="profile")
    ran = [s for s in found.values() if s["status"] != "skipped"]
    assert ran and all(s["status"] == "broken" and "no answer from the operator" in s["reason"] for s in ran)


def test_a_replay_never_waits_for_the_operator(tmp_path: Path) -> None:
    """What an operator did in the consumer cannot be done again: a replay skips those rows as not replayed
    (what lerconf's host received stays in the recorded evidence) instead of opening an operator page."""
    code, found, _ = _run_by_hand(CLEAN, tmp_path, keyword="reads", record=True)
    assert code == 0 and {s["status"] for s in found.values() if s["status"] != "skipped"} == {"passed"}
    recorded = (tmp_path / "reports" / "latest").resolve()
    from lerconf.run.cli import main

    with _restored_environment():
        assert main(["replay", str(recorded), "--out", str(tmp_path / "replay")]) == 0
    run_dir = (tmp_path / "replay" / "latest").resolve()
    replayed = [s for s in load_results(run_dir / "results.json")["scenarios"] if s["role"] == "ob_consumer"
                and "reads" in s["name"]]
    assert replayed and all(s["status"] == "skipped" and "not replayed: a person" in s["reason"] for s in replayed)
