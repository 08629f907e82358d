"""lerconf catches selective-disclosure defects (issue 18), proven on real loopback servers: the
clean control and ten faulty beds (tests/faulty_sd), each the reference claiming ecdsa-sd-2023 and
bbs-2023 with one fault in one suite, are judged in ONE `lerconf run` over their eleven profiles,
limited to the selective-disclosure scenarios of both suites. (a) The clean bed passes all of them;
(b) each fault fails exactly the scenarios it names (its own suite's rows), with its requirement id
and a reason naming the defect; (c) a faulty issuer's derivation (LCS-02 / LBB-06) is broken (its
prerequisite, a base proof that checks out, is EC-03's / LBB-01's to judge), never passed; (d) every
other scenario of a faulty bed passes, the other suite's rows included; (e) the run exits 1."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from faulty.faults import Fault
from faulty.runs import RunResult, describe, run_profiles
from faulty_sd import CLEAN, DERIVATION, FAULTS, KEYWORD, SCENARIOS, started_beds

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_data_env")]


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunResult]:
    workdir = tmp_path_factory.mktemp("sd-beds")
    with started_beds(workdir) as beds:
        yield run_profiles([v.profile_path for v in beds.vendors], beds.url_map, workdir / "reports", keyword=KEYWORD)


def _of(result: RunResult, vendor: str) -> list[dict[str, object]]:
    return [s for s in result.scenarios if s["vendor"] == vendor]


def test_the_clean_bed_passes_every_sd_scenario(result: RunResult) -> None:
    clean = _of(result, CLEAN.vendor_name)
    assert len(clean) == SCENARIOS, result.summary()
    assert all(s["status"] == "passed" for s in clean), "\n".join(map(describe, clean))
    assert result.exit_code == 1  # the faulty beds fail MUSTs in the same run


@pytest.mark.parametrize("fault", FAULTS, ids=str)
def test_each_fault_fails_exactly_its_own_scenarios(result: RunResult, fault: Fault) -> None:
    mine = _of(result, fault.vendor_name)
    assert len(mine) == SCENARIOS, result.summary()
    caught = [s for s in mine if s["name"] in fault.detected_by]
    assert {s["name"] for s in caught} == fault.detected_by
    assert all(s["status"] == "failed" for s in caught), "\n".join(map(describe, caught))
    assert {r for s in caught for r in s["requirement_ids"]} == set(fault.requirements)
    assert all(fault.because in str(s["reason"]) for s in caught), "\n".join(map(describe, caught))
    rest = [s for s in mine if s["name"] not in fault.detected_by]
    if fault.role == "issuer":  # the derivation needs a base proof that checks out: broken, not blamed twice
        base_requirement = fault.requirements[0]  # EC-03 (ecdsa-sd-2023) or LBB-01 (bbs-2023)
        derived = next(s for s in rest if s["name"] == DERIVATION[base_requirement])
        assert derived["status"] == "broken" and "prerequisite" in str(derived["reason"]), describe(derived)
        assert base_requirement in str(derived["reason"]), describe(derived)
        rest.remove(derived)
    assert all(s["status"] == "passed" for s in rest), f"{fault.name} also failed:\n" + "\n".join(map(describe, rest))
