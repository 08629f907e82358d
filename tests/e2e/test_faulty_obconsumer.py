"""lerconf can fail an OB 3.0 / CLR 2.0 API consumer: each faulty consumer breaks one requirement,
and the ob_consumer scenarios report exactly that (the scenarios the fault names fail, with the
reason lerconf's host saw; scenarios it leaves without an access token are broken on that
prerequisite, never failed; every other scenario passes; its exit code is 1). A faulty consumer,
recorded and then stopped, is judged again by a replay: what it sent to lerconf's host is sent again.

The clean control and every fault are judged in ONE `lerconf run` (each its own vendor on its own
loopback port), over the ob_consumer features (``--role ob_consumer --tags "ob_consumer or lifecycle or
interop"``: the tags leave out only scenarios the role skips as not selected); each test asserts on its
vendor's scenarios. They cannot affect each other: each scenario makes a fresh host on lerconf's
reference (its own session, store and paths; lerconf.scenarios.obapi_consumer.open_host) and judges
only what that host received, a trigger is answered once the consumer is done (a consumer in a retry
loop gives up after a few tries), and a profile has only an ``ob_consumer`` section, so no interop
case pairs two of them. A vendor's exit code is lerconf's own rule (lerconf.run.runner.exit_code)
applied to that vendor's scenarios: what a `lerconf run` of that bed alone would exit with.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from faulty.runs import RunResult, _restored_environment, describe, run_profiles
from faulty_obconsumer import CLEAN, FAULTS, ConsumerFault, running_consumer, running_consumers

from lerconf.run.cli import main
from lerconf.run.runner import exit_code
from lerconf.runlog import load_results

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_data_env")]
BAD = ("failed", "broken")
#: the ob_consumer scenario rows of features/ob_consumer (4 + 4 + 2 + 4)
SCENARIOS = 14


ROLE = "ob_consumer"
BEDS = (CLEAN, *FAULTS)


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    workdir = tmp_path_factory.mktemp("consumer-beds")
    with running_consumers(BEDS, workdir) as vendors:
        # a consumer bed needs no URL map (lerconf's host is its only counterpart)
        return run_profiles([v.profile_path for v in vendors], None, workdir / "reports",  # type: ignore[arg-type]
                            roles=[ROLE], tags=f"{ROLE} or lifecycle or interop")


def _of(result: RunResult, fault: ConsumerFault) -> list[dict[str, Any]]:
    """The scenarios of ``fault``'s vendor."""
    return [s for s in result.scenarios if s["vendor"] == fault.vendor_name]


def test_catalogue_is_well_formed() -> None:
    assert len(FAULTS) == 6
    assert len({f.name for f in FAULTS}) == len(FAULTS)
    assert len({frozenset(f.detected_by.items()) for f in FAULTS}) == len(FAULTS), "two faults caught the same way are one fault"
    assert all(not (set(f.detected_by) & f.blocked) for f in FAULTS)
    assert len({b.vendor_name for b in BEDS}) == len(BEDS), "one vendor name per bed: the run tells them apart by it"


def test_clean_consumer_passes_every_consumer_scenario(result: RunResult) -> None:
    mine = _of(result, CLEAN)
    bad = [s for s in mine if s["status"] in BAD]
    assert not bad, "\n".join(map(describe, bad))
    scenarios = [s for s in mine if s["role"] == ROLE]
    assert len(scenarios) == SCENARIOS and all(s["status"] == "passed" for s in scenarios), result.summary()
    assert exit_code({"scenarios": mine}) == 0
    # what belongs to no bed (an interop case) is in the combined run too: none of it may fail
    strays = [s for s in result.scenarios if s["vendor"] not in {b.vendor_name for b in BEDS}]
    assert not [s for s in strays if s["status"] in BAD], "\n".join(map(describe, strays))
    assert result.exit_code == 1  # the faulty beds fail MUSTs in the same run


@pytest.mark.parametrize("fault", FAULTS, ids=str)
def test_lerconf_detects_consumer_fault(fault: ConsumerFault, result: RunResult) -> None:
    mine = _of(result, fault)
    by_name = {s["name"]: s for s in mine}
    assert len(by_name) == len(mine), "a scenario name twice for one vendor"
    assert set(fault.detected_by) <= set(by_name), sorted(set(fault.detected_by) - set(by_name))
    for name, because in fault.detected_by.items():
        s = by_name[name]
        assert s["status"] == "failed", f"{fault.name} went unnoticed by: {describe(s)}"
        assert because in s["reason"], describe(s)
    assert {rid for n in fault.detected_by for rid in by_name[n]["requirement_ids"]} == set(fault.requirements)
    for name in fault.blocked:
        s = by_name[name]
        assert s["status"] == "broken" and "prerequisite" in s["reason"], describe(s)
    collateral = [s for s in mine if s["status"] in BAD and s["name"] not in fault.detected_by
                  and s["name"] not in fault.blocked]
    assert not collateral, f"{fault.name} also failed:\n" + "\n".join(map(describe, collateral))
    passed = [s for s in mine if s["role"] == ROLE and s["status"] == "passed"]
    assert len(passed) == SCENARIOS - len(fault.detected_by) - len(fault.blocked), result.summary()
    assert exit_code({"scenarios": mine}) == 1, result.summary()


def test_a_faulty_consumer_is_judged_again_after_it_stopped(tmp_path: Path) -> None:
    """Recorded against a consumer that retries a refused token in a loop, replayed once it is gone:
    its recorded requests, sent to lerconf's host again, give the same verdicts and the same checks.
    A run of its own (one vendor, recorded): the recording, its replay and their exit codes are the point."""
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
