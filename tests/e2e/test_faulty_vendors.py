"""lerconf can fail: each faulty vendor breaks one requirement, and lerconf reports exactly that.

For every fault in ``faulty.FAULTS`` the feature suite runs once (in process, limited to the
fault's role; lifecycle scenarios always run) against the reference implementation wrapped with
that one fault, and:

(a) every scenario the fault names is failed or broken, and they cover the requirement ids it
    declares;
(b) every other scenario passed or was skipped: lerconf blames nothing else;
(c) the run exits 1.

The clean control runs the same plumbing without a fault over every role: everything passes, so
the failures above come from the faults and not from the test bed.

The faults that test the same role are judged together: each on its own loopback server, all of
them in ONE `lerconf run` (a module-scoped run per role, ``faulty.runs.run_vendors``), and every
check above is made on each fault's own scenarios (``RunResult.for_vendor``). Nothing of a faulty
vendor is shared with another (its own server, port, state, profile and timeouts; the harness keeps
its wire counts per vendor), and (b) checks every fault against the others' collateral too. The
clean control keeps a run of its own: it must exit 0; and so does ``verifier-times-out`` (ALONE).
"""
from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest
from faulty import CLEAN, FAULTS, Fault, RunResult, run_lerconf, running_vendor
from faulty.runs import describe, run_vendors

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_data_env")]


BAD = ("failed", "broken")


#: faults judged in a run of their own, and why
ALONE = {
    # it answers each verification 1 s late, after lerconf gave up (0.5 s): its engine then fetches
    # lerconf's status lists and DID document while lerconf waits for the NEXT vendor's verifier, and
    # lerconf.scenarios.reach counts a fetch made during a vendor's call as that vendor's
    "verifier-times-out": "its late verifications fetch in another vendor's wire window",
}


def _run(fault: Fault, tmp_path: Path) -> RunResult:
    with running_vendor(fault, tmp_path / "vendor") as vendor:
        return run_lerconf(vendor, tmp_path / "reports", roles=fault.roles)


def _group(fault: Fault) -> str:
    return fault.name if fault.name in ALONE else fault.role


def _selection(role: str) -> str:
    """What ``--role ROLE`` runs (the role's scenarios and the lifecycle; checked against --role alone),
    without the ~430 scenarios of other roles --role would skip one at a time for every vendor, and
    without interop: one vendor has none to pair ("not claimed"), several would pair every faulty
    issuer with every faulty verifier."""
    return f"({role} or lifecycle) and not interop"


class SharedRuns:
    """One `lerconf run` per group of faults (its role, or the fault ALONE), made when a test first asks."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.results: dict[str, RunResult] = {}
        #: what each run left in the process, looked at as soon as it ended (pytest clears sys.last_*
        #: before each test, so a later test could not tell)
        self.left_behind: dict[str, list[str]] = {}

    def of(self, fault: Fault) -> RunResult:
        group = _group(fault)
        if group not in self.results:
            members = [f for f in FAULTS if _group(f) == group]
            result = run_vendors(members, self.workdir / group, roles=fault.roles, tags=_selection(fault.role))
            self.left_behind[group] = [name for name in ("last_type", "last_value", "last_traceback", "last_exc")
                                       if hasattr(sys, name)] + (["frozen objects"] if gc.get_freeze_count() else [])
            # every scenario is one vendor's own: none pairs two of them
            assert {s["vendor"] for s in result.scenarios} == {f.vendor_name for f in members}, result.summary()
            self.results[group] = result
        return self.results[group]


@pytest.fixture(scope="module")
def shared_runs(tmp_path_factory: pytest.TempPathFactory) -> SharedRuns:
    return SharedRuns(tmp_path_factory.mktemp("faulty-beds"))


def test_fault_catalogue_is_well_formed() -> None:
    names = [f.name for f in FAULTS]
    assert len(names) == len(set(names)), "fault names must be unique"
    assert len(FAULTS) >= 12
    for fault in FAULTS:
        assert fault.role in ("issuer", "verifier", "holder"), fault.name
        assert fault.detected_by, f"{fault.name} names no scenario that must detect it"
        assert fault.requirements, f"{fault.name} names no requirement"
        assert fault.because, f"{fault.name} names no reason lerconf must give"
    # no two faults are caught the same way: same scenarios and same reason would be one fault
    signatures = [(f.detected_by, f.because) for f in FAULTS]
    assert len(signatures) == len(set(signatures))


def test_clean_test_bed_passes_everything(tmp_path: Path) -> None:
    result = _run(CLEAN, tmp_path)
    bad = result.with_status(*BAD)
    assert not bad, "the test bed itself fails scenarios:\n" + "\n".join(map(describe, bad))
    assert result.exit_code == 0
    assert result.count("passed") >= 90, result.summary()
    for scenario in result.with_status("skipped"):
        # only what one vendor cannot claim (interop needs two): nothing "cannot be judged"
        assert scenario["reason"].startswith("not claimed"), describe(scenario)


@pytest.mark.parametrize("fault", FAULTS, ids=str)
def test_lerconf_detects_fault(fault: Fault, shared_runs: SharedRuns) -> None:
    shared = shared_runs.of(fault)
    result = shared.for_vendor(fault.vendor_name)
    ran = {s["name"] for s in result.scenarios}
    # judged on every scenario the shared run selected, like every other vendor in it
    assert ran == {s["name"] for s in shared.scenarios}, sorted({s["name"] for s in shared.scenarios} - ran)
    assert fault.detected_by <= ran, f"scenarios not in the run: {sorted(fault.detected_by - ran)}"

    # (a) the scenarios for the violated requirements are failed or broken
    missed = [s for s in result.scenarios if s["name"] in fault.detected_by and s["status"] not in BAD]
    assert not missed, f"{fault.name} went unnoticed by:\n" + "\n".join(map(describe, missed))
    caught = [s for s in result.scenarios if s["name"] in fault.detected_by]
    if fault.detected_as:
        wrong = [s for s in caught if s["status"] != fault.detected_as]
        assert not wrong, f"expected {fault.detected_as}:\n" + "\n".join(map(describe, wrong))
    caught_ids = {rid for s in caught for rid in s["requirement_ids"]}
    assert caught_ids == set(fault.requirements), (sorted(caught_ids), fault.requirements)
    assert all(s["reason"] for s in caught), "a failed or broken scenario must say why"
    assert any(fault.because in s["reason"] for s in caught), \
        f"no reason says {fault.because!r}:\n" + "\n".join(map(describe, caught))

    # (b) nothing else fails: the fault is one thing and lerconf blames only that
    collateral = [s for s in result.with_status(*BAD) if s["name"] not in fault.detected_by]
    assert not collateral, f"{fault.name} also failed:\n" + "\n".join(map(describe, collateral))
    # the role was judged, not skipped wholesale (a vendor that times out passes nothing)
    assert result.count("passed") > 0 or fault.detected_as == "broken", result.summary()

    # (c) a claimed MUST failed, so the run fails: the run over this vendor alone, by lerconf's rule
    # (RunResult.for_vendor), and the shared one
    assert result.exit_code == 1, result.summary()
    assert shared.exit_code == 1, shared.summary()


def test_a_run_that_failed_scenarios_keeps_nothing_of_itself_in_the_process(shared_runs: SharedRuns) -> None:
    """pytest leaves the last failure's traceback in sys.last_*, and with it the whole session of the run;
    lerconf.run lets go of it, so a process that runs many (these tests) does not carry every one."""
    (fault,) = [f for f in FAULTS if f.name == "issuer-answers-200"]  # its scenarios fail by an exception
    shared = shared_runs.of(fault)
    assert shared.with_status("failed")
    # nothing in sys.last_*, and what the run set aside from the garbage collector is back with it
    assert shared_runs.left_behind[_group(fault)] == []
    assert len(shared_runs.left_behind) == len(shared_runs.results)
