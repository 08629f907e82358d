"""lerconf catches faulty Open Badges 3.0 / CLR 2.0 hosts: each fault breaks one thing of the
reference host (a ``Rules`` switch of lerconf.refimpl.obhost, or a wrapper that alters one kind of
answer), and `lerconf run --role ob_provider` (a) fails the scenarios the fault names, with the
named requirement and a reason that names the defect, (b) passes every other scenario it runs,
(c) exits 1 when a MUST caught it. The clean control passes every ob_provider scenario.

A host whose service description needs a token cannot be used at all: there every other scenario
is broken (its prerequisite), never failed and never passed."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from faulty.runs import RunResult, describe
from faulty_obhost import CLEAN, FAULTS, HostFault, run_lerconf, running_host

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_data_env")]
BAD = ("failed", "broken")
OB_PROVIDER_ROWS = 49


@pytest.fixture(autouse=True)
def _fresh_secret_registry() -> Iterator[None]:
    """Each run registers one-time secrets (client secrets, codes, tokens) for scrubbing; those of
    earlier runs belong to stopped hosts: start each run empty."""
    from lerconf.redact import SECRETS

    with SECRETS.isolated():
        yield


def _run(fault: HostFault, tmp_path: Path) -> RunResult:
    with running_host(fault, tmp_path / "host") as host:
        return run_lerconf(host, tmp_path / "reports")


def _ran(result: RunResult) -> list[dict[str, object]]:
    return [s for s in result.scenarios if s["status"] != "skipped"]


def test_catalogue_is_well_formed() -> None:
    assert len(FAULTS) >= 13
    assert len({f.name for f in FAULTS}) == len(FAULTS)
    assert len({f.vendor_name for f in FAULTS}) == len(FAULTS)
    for fault in FAULTS:
        assert (fault.rules or fault.wrapper) and fault.detected_by and fault.requirements and fault.because, fault.name
        assert fault.keyword, f"{fault.name}: scope the run (the clean control runs everything)"


def test_clean_host_passes_every_ob_provider_scenario(tmp_path: Path) -> None:
    result = _run(CLEAN, tmp_path)
    assert not result.with_status(*BAD), "\n".join(map(describe, result.with_status(*BAD)))
    assert result.exit_code == 0
    ran = _ran(result)
    assert len(ran) == result.count("passed") >= OB_PROVIDER_ROWS, result.summary()
    assert {s["role"] for s in ran} == {"ob_provider"}
    # every fault's scenarios exist in the clean run and pass there
    names = {s["name"] for s in ran}
    for fault in FAULTS:
        assert fault.detected_by <= names, (fault.name, sorted(fault.detected_by - names))


@pytest.mark.parametrize("fault", FAULTS, ids=str)
def test_lerconf_detects_host_fault(fault: HostFault, tmp_path: Path) -> None:
    result = _run(fault, tmp_path)
    ran = _ran(result)
    assert fault.detected_by <= {s["name"] for s in ran}, sorted(fault.detected_by - {s["name"] for s in ran})
    caught = [s for s in ran if s["name"] in fault.detected_by]
    missed = [s for s in caught if s["status"] != "failed"]  # broken is "no usable answer", not caught
    assert not missed, f"{fault.name} went unnoticed:\n" + "\n".join(map(describe, missed))
    assert {r for s in caught for r in s["requirement_ids"]} == set(fault.requirements), "\n".join(map(describe, caught))
    assert all(fault.because in s["reason"] for s in caught), "\n".join(map(describe, caught))
    assert not fault.never or not [s for s in caught if fault.never in s["reason"]], "\n".join(map(describe, caught))
    others = [s for s in ran if s["name"] not in fault.detected_by]
    assert others, f"{fault.name}: the run holds no scenario the fault should leave alone"
    wrong = [s for s in others if s["status"] != fault.collateral]
    assert not wrong, f"{fault.name} also did:\n" + "\n".join(map(describe, wrong))
    if fault.collateral == "broken":
        assert all("prerequisite: the service description" in s["reason"] for s in others), (
            "\n".join(map(describe, others)))
    must = any(s["severity"] == "MUST" for s in caught)  # OBAPI-12 (revocation) is a MAY: the run exits 0
    assert result.exit_code == (1 if must else 0), result.summary()
