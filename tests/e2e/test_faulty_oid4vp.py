"""lerconf can fail an OID4VP verifier: each faulty verifier breaks one requirement, and the
OID4VP scenarios report exactly that (the scenarios the fault names fail with "the verifier
reported success"; every other scenario passes or is skipped as not claimed; the run exits 1).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from faulty.runs import RunResult, describe, run_lerconf
from faulty_oid4vp import CLEAN, FAULTS, VerifierFault, running_verifier

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_data_env")]
BAD = ("failed", "broken")


def _run(fault: VerifierFault, tmp_path: Path) -> RunResult:
    with running_verifier(fault, tmp_path / "vendor") as vendor:
        return run_lerconf(vendor, tmp_path / "reports")  # type: ignore[arg-type]


def _oid4vp(result: RunResult) -> list[dict[str, Any]]:
    return [s for s in result.scenarios if s["role"] == "oid4vp_verifier"]


def test_catalogue_is_well_formed() -> None:
    assert len(FAULTS) >= 5
    assert len({f.name for f in FAULTS}) == len(FAULTS)
    assert len({f.detected_by for f in FAULTS}) == len(FAULTS), "two faults caught the same way are one fault"


def test_clean_verifier_passes_every_oid4vp_scenario(tmp_path: Path) -> None:
    result = _run(CLEAN, tmp_path)
    bad = result.with_status(*BAD)
    assert not bad, "\n".join(map(describe, bad))
    scenarios = _oid4vp(result)
    assert len(scenarios) >= 37 and all(s["status"] == "passed" for s in scenarios), result.summary()
    assert result.exit_code == 0


@pytest.mark.parametrize("fault", FAULTS, ids=str)
def test_lerconf_detects_verifier_fault(fault: VerifierFault, tmp_path: Path) -> None:
    result = _run(fault, tmp_path)
    ran = {s["name"] for s in result.scenarios}
    assert fault.detected_by <= ran, sorted(fault.detected_by - ran)
    caught = [s for s in result.scenarios if s["name"] in fault.detected_by]
    missed = [s for s in caught if s["status"] != "failed"]
    assert not missed, f"{fault.name} went unnoticed by:\n" + "\n".join(map(describe, missed))
    assert {rid for s in caught for rid in s["requirement_ids"]} == set(fault.requirements)
    assert all(fault.because in s["reason"] for s in caught), "\n".join(map(describe, caught))
    collateral = [s for s in result.with_status(*BAD) if s["name"] not in fault.detected_by]
    assert not collateral, f"{fault.name} also failed:\n" + "\n".join(map(describe, collateral))
    # a MUST failing makes the run exit 1; a fault only SHOULD scenarios catch (e.g. a plain response) exits 0
    must = any(s["severity"] == "MUST" for s in caught)
    assert result.exit_code == (1 if must else 0), result.summary()


def _refuse_everything(state: Any) -> None:
    """Over-strict: every presentation is refused (as if no issuer could be resolved)."""
    from faulty_oid4vp.faults import _Engine

    def report(rep: Any) -> None:
        from lerconf.results import Category, CheckResult, Severity, Status

        rep.checks.append(CheckResult("VCDM-01", Status.FAILED, Severity.MUST, Category.PROOF,
                                      "refused by an over-strict verifier", ""))
    state.verifier = _Engine(state.verifier, report=report)
    from lerconf.refimpl.oid4vp import Oid4vpStore, store_of

    store = store_of(state)
    store.binding_problems = lambda txn, nonce, audience: [  # type: ignore[method-assign]
        *Oid4vpStore.binding_problems(store, txn, nonce, audience), "refused by an over-strict verifier"]


def test_a_verifier_refusing_everything_passes_no_negative_scenario(tmp_path: Path) -> None:
    """A verifier that refuses every presentation would pass each negative scenario on its own; the
    positive control (a valid presentation in a fresh transaction) makes them "cannot be judged",
    and the positive scenarios fail."""
    strict = VerifierFault("refuses-everything", "refuses every presentation", (), frozenset(), "", _refuse_everything)
    result = _run(strict, tmp_path)
    scenarios = _oid4vp(result)
    negatives = [s for s in scenarios if "NEG" in s["tags"]]
    assert negatives and not [s for s in negatives if s["status"] == "passed"], "\n".join(map(describe, negatives))
    judged = [s for s in negatives if s["status"] == "skipped"]
    assert judged and all("cannot be judged" in s["reason"] for s in judged), "\n".join(map(describe, judged))
    assert [s for s in scenarios if s["status"] == "failed"], result.summary()
    assert result.exit_code == 1
