"""lerconf judges the LMC VCALM EdDSA ecosystem profile apart from the specifications, proven on
real servers: each bed is the reference's issuing exchange in its own process on 127.0.0.1, claiming
LMC vcalm-eddsa, served over HTTPS (a CA made at start) and relaxed in one way OB 3.0 allows and the
profile does not (tests/faulty_vcalm/faults.py LMC_FAULTS), or a verifier that reuses a status list
served no-cache. `lerconf run --role vcalm_issuer` (or vcalm_verifier):
(a) fails exactly the ecosystem scenarios the fault names, with the named LMC requirement and a
reason naming the defect; (b) passes every features/vcalm (specification) scenario, so the report's
vcalm_issuer row stays "conformant" while its "LMC vcalm-eddsa 0.1" row says "no"; (c) exits 1, since
a claimed MUST failed. The clean bed passes everything."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from faulty.runs import RunResult, describe
from faulty_vcalm import LMC_CLEAN, LMC_FAULTS, SPEC_ROWS, ExchangeFault, RunningBed, run_lerconf, started_beds

from lerconf.reports.model import build

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_data_env")]
LMC = "LMC vcalm-eddsa 0.1"
#: per role: features/ecosystems scenarios (LMC); SPEC_ROWS: the features/vcalm ones
LMC_ROWS = {"vcalm_issuer": 5, "vcalm_verifier": 2}


@pytest.fixture(scope="module")
def beds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, RunningBed]]:
    with started_beds((LMC_CLEAN, *LMC_FAULTS), tmp_path_factory.mktemp("lmc-beds")) as running:
        yield running


def _ran(result: RunResult, role: str) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    ran = [s for s in result.scenarios if s["status"] != "skipped" and s["role"] == role]
    return [s for s in ran if not s.get("ecosystem")], [s for s in ran if s.get("ecosystem") == LMC]


def _rows(result: RunResult, role: str) -> dict[str, str]:
    """The report's rows of ``role`` (the other roles are not selected)."""
    return {r.label: r.verdict for r in build([result.run_dir]).summaries() if r.role == role}


@pytest.mark.parametrize("role", sorted(SPEC_ROWS))
def test_the_clean_bed_conforms_to_the_specs_and_to_lmc(role: str, beds: dict[str, RunningBed], tmp_path: Path) -> None:
    result = run_lerconf(beds[LMC_CLEAN.name], tmp_path, [role])
    spec, lmc = _ran(result, role)
    assert len(spec) == SPEC_ROWS[role] and len(lmc) == LMC_ROWS[role], result.summary()
    assert all(s["status"] == "passed" for s in spec + lmc), "\n".join(map(describe, spec + lmc))
    assert _rows(result, role) == {role: "conformant", f"{role} ({LMC})": f"conforms to {LMC}: yes"}
    assert result.exit_code == 0


@pytest.mark.parametrize("fault", LMC_FAULTS, ids=str)
def test_an_lmc_fault_fails_the_ecosystem_row_only(fault: ExchangeFault, beds: dict[str, RunningBed], tmp_path: Path) -> None:
    role = fault.role
    result = run_lerconf(beds[fault.name], tmp_path, [role])
    spec, lmc = _ran(result, role)
    assert len(spec) == SPEC_ROWS[role] and all(s["status"] == "passed" for s in spec), \
        f"{fault.name} broke specification conformance:\n" + "\n".join(map(describe, [s for s in spec if s["status"] != "passed"]))
    caught = [s for s in lmc if s["status"] == "failed"]
    assert {s["name"] for s in caught} == fault.detected_by, "\n".join(map(describe, lmc))
    assert {r for s in caught for r in s["requirement_ids"]} == set(fault.requirements)
    assert all(any(b in str(s["reason"]) for b in fault.because) for s in caught), "\n".join(map(describe, caught))
    assert all(s["status"] == "passed" for s in lmc if s["name"] not in fault.detected_by), "\n".join(map(describe, lmc))
    assert _rows(result, role) == {role: "conformant", f"{role} ({LMC})": f"conforms to {LMC}: no"}
    assert result.exit_code == 1, result.summary()
