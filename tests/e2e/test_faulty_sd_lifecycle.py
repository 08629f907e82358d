"""lerconf catches defects in the lifecycle of a badge disclosed in part (LCS-04), on real loopback
servers (tests/faulty_sd/lifecycle.py): the clean control and three faulty beds, each the reference
claiming ecdsa-sd-2023 and bbs-2023 with one fault, are judged in ONE `lerconf run` limited to the
lifecycle's rows. The clean bed passes both (its verifier accepted each disclosure before the revocation:
the positive control); each fault fails both rows, with LCS-04 and a reason naming the defect."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from faulty.faults import Fault
from faulty.runs import RunResult, describe, run_profiles
from faulty_sd import started_beds
from faulty_sd.lifecycle import CLEAN, FAULTS, KEYWORD, ROWS

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_data_env")]


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunResult]:
    workdir = tmp_path_factory.mktemp("sd-life-beds")
    with started_beds(workdir, (CLEAN, *FAULTS)) as beds:
        yield run_profiles([v.profile_path for v in beds.vendors], beds.url_map, workdir / "reports", keyword=KEYWORD)


def _of(result: RunResult, vendor: str) -> list[dict[str, object]]:
    return [s for s in result.scenarios if s["vendor"] == vendor]


def test_the_clean_bed_passes_both_rows(result: RunResult) -> None:
    clean = _of(result, CLEAN.vendor_name)
    assert sorted(str(s["name"]) for s in clean) == sorted(ROWS), result.summary()
    assert all(s["status"] == "passed" for s in clean), "\n".join(map(describe, clean))
    assert result.exit_code == 1  # the faulty beds fail MUSTs in the same run


@pytest.mark.parametrize("fault", FAULTS, ids=str)
def test_each_fault_fails_both_rows_for_its_reason(result: RunResult, fault: Fault) -> None:
    mine = _of(result, fault.vendor_name)
    assert {str(s["name"]) for s in mine} == fault.detected_by, result.summary()
    assert all(s["status"] == "failed" for s in mine), "\n".join(map(describe, mine))
    assert all(s["requirement_ids"] == ["LCS-04"] for s in mine)
    assert all(fault.because in str(s["reason"]) for s in mine), "\n".join(map(describe, mine))
