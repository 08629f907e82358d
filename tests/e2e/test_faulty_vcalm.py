"""lerconf catches faulty VCALM exchanges: each bed relaxes one rule of the reference exchange
(lerconf.refimpl.exchanges.Rules) and runs as its own process on loopback; `lerconf run --role
<the fault's role>` (a) fails exactly the scenarios the fault names, with the named requirement and
a reason that names the defect, (b) passes every other scenario it runs, (c) exits 1. The clean
control passes every vcalm_issuer and vcalm_verifier scenario."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from faulty.runs import RunResult, describe
from faulty_vcalm import CLEAN, FAULTS, SPEC_ROWS, ExchangeFault, RunningBed, run_lerconf, started_beds

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_data_env")]
VCALM_ROLES = ["vcalm_issuer", "vcalm_verifier"]


@pytest.fixture(scope="module")
def beds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, RunningBed]]:
    with started_beds((CLEAN, *FAULTS), tmp_path_factory.mktemp("vcalm-beds")) as running:
        yield running


def _ran(result: RunResult) -> list[dict[str, object]]:
    return [s for s in result.scenarios if s["status"] != "skipped" and s["role"] in VCALM_ROLES]


def test_catalogue_is_well_formed() -> None:
    assert len({f.name for f in FAULTS}) == len(FAULTS) >= 5
    for fault in FAULTS:
        assert fault.rules and fault.detected_by and fault.requirements and fault.because, fault.name


def test_clean_exchange_passes_every_scenario(beds: dict[str, RunningBed], tmp_path: Path) -> None:
    result = run_lerconf(beds[CLEAN.name], tmp_path, VCALM_ROLES)
    ran = _ran(result)
    assert not [s for s in ran if s["status"] != "passed"], "\n".join(map(describe, ran))
    assert {role: sum(s["role"] == role for s in ran) for role in VCALM_ROLES} == SPEC_ROWS, result.summary()
    assert result.exit_code == 0
    names = {s["name"] for s in ran}
    for fault in FAULTS:
        assert fault.detected_by <= names, (fault.name, sorted(fault.detected_by - names))


@pytest.mark.parametrize("fault", FAULTS, ids=str)
def test_lerconf_detects_exchange_fault(fault: ExchangeFault, beds: dict[str, RunningBed], tmp_path: Path) -> None:
    result = run_lerconf(beds[fault.name], tmp_path, [fault.role])
    ran = _ran(result)
    caught = [s for s in ran if s["name"] in fault.detected_by]
    assert {s["name"] for s in caught} == fault.detected_by, sorted(fault.detected_by - {s["name"] for s in caught})
    missed = [s for s in caught if s["status"] != "failed"]
    assert not missed, f"{fault.name} went unnoticed:\n" + "\n".join(map(describe, missed))
    assert {r for s in caught for r in s["requirement_ids"]} == set(fault.requirements), "\n".join(map(describe, caught))
    assert all(any(b in str(s["reason"]) for b in fault.because) for s in caught), "\n".join(map(describe, caught))
    others = [s for s in ran if s["name"] not in fault.detected_by]
    assert others and all(s["status"] == "passed" for s in others), f"{fault.name} also did:\n" + "\n".join(
        map(describe, [s for s in others if s["status"] != "passed"]))
    assert result.exit_code == 1, result.summary()
