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
"""
from __future__ import annotations

from pathlib import Path

import pytest
from faulty import CLEAN, FAULTS, Fault, RunResult, run_lerconf, running_vendor
from faulty.runs import describe

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_data_env")]


BAD = ("failed", "broken")


def _run(fault: Fault, tmp_path: Path) -> RunResult:
    with running_vendor(fault, tmp_path / "vendor") as vendor:
        return run_lerconf(vendor, tmp_path / "reports", roles=fault.roles)


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
def test_lerconf_detects_fault(fault: Fault, tmp_path: Path) -> None:
    result = _run(fault, tmp_path)
    ran = {s["name"] for s in result.scenarios}
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

    # (c) a claimed MUST failed, so the run fails
    assert result.exit_code == 1, result.summary()
