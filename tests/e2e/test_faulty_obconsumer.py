"""lerconf can fail an OB 3.0 / CLR 2.0 API consumer: each faulty consumer breaks one requirement,
and the ob_consumer scenarios report exactly that (the scenarios the fault names fail, with the
reason lerconf's host saw; scenarios it leaves without an access token are broken on that
prerequisite, never failed; every other scenario passes; the run exits 1). A faulty consumer,
recorded and then stopped, is judged again by a replay: what it sent to lerconf's host is sent again.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from faulty.runs import RunResult, _restored_environment, describe, run_lerconf
from faulty_obconsumer import CLEAN, FAULTS, ConsumerFault, running_consumer

from lerconf.run.cli import main
from lerconf.runlog import load_results

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_data_env")]
BAD = ("failed", "broken")
#: the ob_consumer scenario rows of features/ob_consumer (4 + 4 + 2 + 4)
SCENARIOS = 14


def _run(fault: ConsumerFault, tmp_path: Path) -> RunResult:
    with running_consumer(fault, tmp_path / "vendor") as vendor:
        return run_lerconf(vendor, tmp_path / "reports", roles=["ob_consumer"])  # type: ignore[arg-type]


def test_catalogue_is_well_formed() -> None:
    assert len(FAULTS) == 6
    assert len({f.name for f in FAULTS}) == len(FAULTS)
    assert len({frozenset(f.detected_by.items()) for f in FAULTS}) == len(FAULTS), "two faults caught the same way are one fault"
    assert all(not (set(f.detected_by) & f.blocked) for f in FAULTS)


def test_clean_consumer_passes_every_consumer_scenario(tmp_path: Path) -> None:
    result = _run(CLEAN, tmp_path)
    bad = result.with_status(*BAD)
    assert not bad, "\n".join(map(describe, bad))
    scenarios = [s for s in result.scenarios if s["role"] == "ob_consumer"]
    assert len(scenarios) == SCENARIOS and all(s["status"] == "passed" for s in scenarios), result.summary()
    assert result.exit_code == 0


@pytest.mark.parametrize("fault", FAULTS, ids=str)
def test_lerconf_detects_consumer_fault(fault: ConsumerFault, tmp_path: Path) -> None:
    result = _run(fault, tmp_path)
    by_name = {s["name"]: s for s in result.scenarios}
    assert set(fault.detected_by) <= set(by_name), sorted(set(fault.detected_by) - set(by_name))
    for name, because in fault.detected_by.items():
        s = by_name[name]
        assert s["status"] == "failed", f"{fault.name} went unnoticed by: {describe(s)}"
        assert because in s["reason"], describe(s)
    assert {rid for n in fault.detected_by for rid in by_name[n]["requirement_ids"]} == set(fault.requirements)
    for name in fault.blocked:
        s = by_name[name]
        assert s["status"] == "broken" and "prerequisite" in s["reason"], describe(s)
    collateral = [s for s in result.with_status(*BAD) if s["name"] not in fault.detected_by and s["name"] not in fault.blocked]
    assert not collateral, f"{fault.name} also failed:\n" + "\n".join(map(describe, collateral))
    passed = [s for s in result.scenarios if s["role"] == "ob_consumer" and s["status"] == "passed"]
    assert len(passed) == SCENARIOS - len(fault.detected_by) - len(fault.blocked), result.summary()
    assert result.exit_code == 1, result.summary()


def test_a_faulty_consumer_is_judged_again_after_it_stopped(tmp_path: Path) -> None:
    """Recorded against a consumer that retries a refused token in a loop, replayed once it is gone:
    its recorded requests, sent to lerconf's host again, give the same verdicts and the same checks."""
    fault = next(f for f in FAULTS if f.name == "retries-on-401")
    out, replayed = tmp_path / "record", tmp_path / "replay"
    with running_consumer(fault, tmp_path / "vendor") as vendor, _restored_environment():
        code = main(["run", "--record", "--no-preflight", "--vendor", str(vendor.profile_path), "--role", "ob_consumer",
                     "--out", str(out), "-k", "expired or discovers"])
    assert code == 1
    with _restored_environment():
        assert main(["replay", str(out / "latest"), "--out", str(replayed)]) == 1

    def scenarios(run: Path) -> dict[str, dict[str, Any]]:
        found = load_results(run.resolve() / "results.json")["scenarios"]
        return {str(s["id"]): s for s in found if s["role"] == "ob_consumer"}

    def checks(s: dict[str, Any]) -> list[tuple[str, str, str]]:
        return [(c["id"], c["status"], c["message"]) for c in (s.get("evidence") or {}).get("checks", [])]

    before, after = scenarios(out / "latest"), scenarios(replayed / "latest")
    assert len(before) == 8 and set(before) == set(after)
    assert sum(s["status"] == "failed" for s in before.values()) == 4, [describe(s) for s in before.values()]
    for i, s in before.items():
        assert after[i]["status"] == s["status"] and checks(after[i]) == checks(s), describe(after[i])
