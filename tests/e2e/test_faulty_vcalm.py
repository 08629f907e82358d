"""lerconf catches faulty VCALM exchanges: each bed relaxes one rule of the reference exchange
(lerconf.refimpl.exchanges.Rules) and runs as its own process on loopback; `lerconf run --role
<the fault's role>` (a) fails exactly the scenarios the fault names, with the named requirement and
a reason that names the defect, (b) passes every other scenario it runs, (c) gives that bed exit
code 1. The clean control passes every vcalm_issuer and vcalm_verifier scenario.

The beds are judged in one `lerconf run` per role (faulty_vcalm.run_beds): the clean control with
every fault of that role, each its own vendor, so each bed gets exactly the scenarios a run of its
own with ``--role <its role>`` would; each test asserts on its vendor's scenarios. They cannot affect
each other: a profile has only ``vcalm_issuer`` and ``vcalm_verifier`` sections, so no interop case
pairs two of them (features/interop needs VC API or OpenID roles), each scenario opens its own
exchange on one bed, and the status lists lerconf serves are read by index, an entry of its own
for each badge. A vendor's exit code is lerconf's own rule (lerconf.run.runner.exit_code) applied to
that vendor's scenarios: what a `lerconf run` of that bed alone would exit with."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from faulty.runs import RunResult, describe
from faulty_vcalm import CLEAN, FAULTS, SPEC_ROWS, ExchangeFault, RunningBed, run_beds, started_beds

from lerconf.run.runner import exit_code

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_data_env")]
VCALM_ROLES = ["vcalm_issuer", "vcalm_verifier"]
BEDS = (CLEAN, *FAULTS)


@pytest.fixture(scope="module")
def beds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, RunningBed]]:
    with started_beds(BEDS, tmp_path_factory.mktemp("vcalm-beds")) as running:
        yield running


@pytest.fixture(scope="module")
def results(beds: dict[str, RunningBed], tmp_path_factory: pytest.TempPathFactory) -> dict[str, RunResult]:
    """Per role: one run over the clean control and the faults judged in that role."""
    out = tmp_path_factory.mktemp("vcalm-runs")
    return {role: run_beds([beds[b.name] for b in BEDS if b is CLEAN or b.role == role], out / role, role)
            for role in VCALM_ROLES}


def _mine(result: RunResult, bed: ExchangeFault) -> list[dict[str, Any]]:
    """The scenarios of ``bed``'s vendor."""
    return [s for s in result.scenarios if s["vendor"] == bed.vendor_name]


def _ran(scenarios: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [s for s in scenarios if s["status"] != "skipped" and s["role"] in VCALM_ROLES]


def test_catalogue_is_well_formed() -> None:
    assert len({f.name for f in FAULTS}) == len(FAULTS) >= 5
    for fault in FAULTS:
        assert fault.rules and fault.detected_by and fault.requirements and fault.because, fault.name
        assert fault.role in VCALM_ROLES, fault.name
    assert len({b.vendor_name for b in BEDS}) == len(BEDS), "one vendor name per bed: the run tells them apart by it"


def test_clean_exchange_passes_every_scenario(results: dict[str, RunResult]) -> None:
    mine = [s for role in VCALM_ROLES for s in _mine(results[role], CLEAN)]
    ran = _ran(mine)
    assert not [s for s in ran if s["status"] != "passed"], "\n".join(map(describe, ran))
    assert {role: sum(s["role"] == role for s in ran) for role in VCALM_ROLES} == SPEC_ROWS, \
        {r: results[r].summary() for r in VCALM_ROLES}
    assert exit_code({"scenarios": mine}) == 0
    names = {s["name"] for s in ran}
    for fault in FAULTS:
        assert fault.detected_by <= names, (fault.name, sorted(fault.detected_by - names))
    for role, result in results.items():
        # what belongs to no bed (an interop case) is in the combined runs too: none of it may fail
        strays = [s for s in result.scenarios if s["vendor"] not in {b.vendor_name for b in BEDS}]
        assert not [s for s in strays if s["status"] in ("failed", "broken")], "\n".join(map(describe, strays))
        assert result.exit_code == 1, role  # the faulty beds of the role fail MUSTs in the same run


@pytest.mark.parametrize("fault", FAULTS, ids=str)
def test_lerconf_detects_exchange_fault(fault: ExchangeFault, results: dict[str, RunResult]) -> None:
    result = results[fault.role]
    mine = _mine(result, fault)
    ran = _ran(mine)
    caught = [s for s in ran if s["name"] in fault.detected_by]
    assert {s["name"] for s in caught} == fault.detected_by, sorted(fault.detected_by - {s["name"] for s in caught})
    missed = [s for s in caught if s["status"] != "failed"]
    assert not missed, f"{fault.name} went unnoticed:\n" + "\n".join(map(describe, missed))
    assert {r for s in caught for r in s["requirement_ids"]} == set(fault.requirements), "\n".join(map(describe, caught))
    assert all(any(b in str(s["reason"]) for b in fault.because) for s in caught), "\n".join(map(describe, caught))
    others = [s for s in ran if s["name"] not in fault.detected_by]
    assert others and all(s["status"] == "passed" for s in others), f"{fault.name} also did:\n" + "\n".join(
        map(describe, [s for s in others if s["status"] != "passed"]))
    assert exit_code({"scenarios": mine}) == 1, result.summary()
