"""lerconf judges the LMC VCALM EdDSA ecosystem profile apart from the specifications, proven on
real servers: each bed is the reference's issuing exchange in its own process on 127.0.0.1, claiming
LMC vcalm-eddsa, served over HTTPS (a CA made at start) and relaxed in one way OB 3.0 allows and the
profile does not (tests/faulty_vcalm/faults.py LMC_FAULTS), or a verifier that reuses a status list
served no-cache. `lerconf run --role vcalm_issuer` (or vcalm_verifier):
(a) fails exactly the ecosystem scenarios the fault names, with the named LMC requirement and a
reason naming the defect; (b) passes every features/vcalm (specification) scenario, so the report's
vcalm_issuer row stays "conformant" while its "LMC vcalm-eddsa 0.1" row says "no"; (c) gives the bed
exit code 1, since a claimed MUST failed. The clean bed passes everything.

The beds are judged in one `lerconf run` per role (faulty_vcalm.run_beds): the clean bed with every
fault of that role, each its own vendor with its own CA (lerconf trusts each CA for the hosts of the
profile naming it), so each bed gets exactly the scenarios a run of its own with ``--role`` would;
each test asserts on its vendor's scenarios and its vendor's report rows. They cannot affect each
other: no interop case pairs two of them (features/interop needs VC API or OpenID roles), each
scenario opens its own exchange on one bed, and the no-cache status list is a fresh URL in each
scenario (lerconf.refimpl.status probe), its fetches counted by that URL. A vendor's exit code is
lerconf's own rule (lerconf.run.runner.exit_code) applied to that vendor's scenarios: what a `lerconf
run` of that bed alone would exit with."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from faulty.runs import RunResult, describe
from faulty_vcalm import LMC_CLEAN, LMC_FAULTS, SPEC_ROWS, ExchangeFault, RunningBed, run_beds, started_beds

from lerconf.reports.model import build
from lerconf.run.runner import exit_code

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_data_env")]
LMC = "LMC vcalm-eddsa 0.1"
#: per role: features/ecosystems scenarios (LMC); SPEC_ROWS: the features/vcalm ones
LMC_ROWS = {"vcalm_issuer": 5, "vcalm_verifier": 2}
BEDS = (LMC_CLEAN, *LMC_FAULTS)


@pytest.fixture(scope="module")
def beds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, RunningBed]]:
    with started_beds(BEDS, tmp_path_factory.mktemp("lmc-beds")) as running:
        yield running


@pytest.fixture(scope="module")
def results(beds: dict[str, RunningBed], tmp_path_factory: pytest.TempPathFactory) -> dict[str, RunResult]:
    """Per role: one run over the clean bed and the faults judged in that role."""
    out = tmp_path_factory.mktemp("lmc-runs")
    return {role: run_beds([beds[b.name] for b in BEDS if b is LMC_CLEAN or b.role == role], out / role, role)
            for role in sorted(SPEC_ROWS)}


def _ran(result: RunResult, bed: ExchangeFault, role: str) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    ran = [s for s in result.scenarios if s["vendor"] == bed.vendor_name and s["status"] != "skipped" and s["role"] == role]
    return [s for s in ran if not s.get("ecosystem")], [s for s in ran if s.get("ecosystem") == LMC]


def _rows(result: RunResult, bed: ExchangeFault, role: str) -> dict[str, str]:
    """The report's rows of ``bed``'s ``role`` (the other roles are not selected)."""
    return {r.label: r.verdict for r in build([result.run_dir]).summaries() if r.vendor == bed.vendor_name and r.role == role}


def _exit_code(result: RunResult, bed: ExchangeFault) -> int:
    return exit_code({"scenarios": [s for s in result.scenarios if s["vendor"] == bed.vendor_name]})


def test_catalogue_is_well_formed() -> None:
    assert len({b.vendor_name for b in BEDS}) == len(BEDS), "one vendor name per bed: the run tells them apart by it"
    assert all(f.role in SPEC_ROWS for f in LMC_FAULTS)


@pytest.mark.parametrize("role", sorted(SPEC_ROWS))
def test_the_clean_bed_conforms_to_the_specs_and_to_lmc(role: str, results: dict[str, RunResult]) -> None:
    result = results[role]
    spec, lmc = _ran(result, LMC_CLEAN, role)
    assert len(spec) == SPEC_ROWS[role] and len(lmc) == LMC_ROWS[role], result.summary()
    assert all(s["status"] == "passed" for s in spec + lmc), "\n".join(map(describe, spec + lmc))
    assert _rows(result, LMC_CLEAN, role) == {role: "conformant", f"{role} ({LMC})": f"conforms to {LMC}: yes"}
    assert _exit_code(result, LMC_CLEAN) == 0
    # what belongs to no bed (an interop case) is in the combined run too: none of it may fail
    strays = [s for s in result.scenarios if s["vendor"] not in {b.vendor_name for b in BEDS}]
    assert not [s for s in strays if s["status"] in ("failed", "broken")], "\n".join(map(describe, strays))
    assert result.exit_code == 1  # the role's faulty beds fail MUSTs in the same run


@pytest.mark.parametrize("fault", LMC_FAULTS, ids=str)
def test_an_lmc_fault_fails_the_ecosystem_row_only(fault: ExchangeFault, results: dict[str, RunResult]) -> None:
    role = fault.role
    result = results[role]
    spec, lmc = _ran(result, fault, role)
    assert len(spec) == SPEC_ROWS[role] and all(s["status"] == "passed" for s in spec), \
        f"{fault.name} broke specification conformance:\n" + "\n".join(map(describe, [s for s in spec if s["status"] != "passed"]))
    caught = [s for s in lmc if s["status"] == "failed"]
    assert {s["name"] for s in caught} == fault.detected_by, "\n".join(map(describe, lmc))
    assert {r for s in caught for r in s["requirement_ids"]} == set(fault.requirements)
    assert all(any(b in str(s["reason"]) for b in fault.because) for s in caught), "\n".join(map(describe, caught))
    assert all(s["status"] == "passed" for s in lmc if s["name"] not in fault.detected_by), "\n".join(map(describe, lmc))
    assert _rows(result, fault, role) == {role: "conformant", f"{role} ({LMC})": f"conforms to {LMC}: no"}
    assert _exit_code(result, fault) == 1, result.summary()
