"""lerconf can fail a wallet: each faulty wallet breaks one requirement, and the wallet
scenarios report exactly that (the scenarios the fault names fail, with the reason the wire
gives; scenarios it leaves without a credential are broken on a prerequisite, never failed;
every other scenario passes or is skipped as not claimed; the run exits 1).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from faulty.runs import RunResult, describe, run_lerconf
from faulty_wallet import CLEAN, FAULTS, WalletFault, faults, running_wallet
from faulty_wallet.faults import OUTER_CLIENT, UNSIGNED, UNSUPPORTED

from lerconf.refimpl.wallet.store import WalletRules

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_data_env")]
BAD = ("failed", "broken")


def _run(fault: WalletFault, tmp_path: Path) -> RunResult:
    with running_wallet(fault, tmp_path / "vendor") as vendor:
        return run_lerconf(vendor, tmp_path / "reports")  # type: ignore[arg-type]


def test_catalogue_is_well_formed() -> None:
    assert len(FAULTS) >= 3
    assert len({f.name for f in FAULTS}) == len(FAULTS)
    # caught by the same scenarios for the same reasons = one fault (the same scenarios for different
    # reasons, e.g. a wrong domain vs a junk signature under VP-10, are two)
    assert len({frozenset(f.detected_by.items()) for f in FAULTS}) == len(FAULTS), "two faults caught the same way are one fault"
    assert all(not (set(f.detected_by) & f.blocked) for f in FAULTS)


def test_clean_wallet_passes_every_wallet_scenario(tmp_path: Path) -> None:
    result = _run(CLEAN, tmp_path)
    bad = result.with_status(*BAD)
    assert not bad, "\n".join(map(describe, bad))
    scenarios = [s for s in result.scenarios if s["role"] == "wallet"]
    assert len(scenarios) >= 11 and all(s["status"] == "passed" for s in scenarios), result.summary()
    assert result.exit_code == 0


@pytest.mark.parametrize("fault", FAULTS, ids=str)
def test_lerconf_detects_wallet_fault(fault: WalletFault, tmp_path: Path) -> None:
    result = _run(fault, tmp_path)
    by_name = {s["name"]: s for s in result.scenarios}
    assert set(fault.detected_by) <= set(by_name), sorted(set(fault.detected_by) - set(by_name))
    for name, because in fault.detected_by.items():
        s = by_name[name]
        assert s["status"] == "failed", f"{fault.name} went unnoticed by: {describe(s)}"
        assert because in s["reason"], describe(s)
    assert {rid for n in fault.detected_by for rid in by_name[n]["requirement_ids"]} == set(fault.requirements)
    for name in fault.blocked:
        s = by_name[name]
        assert s["status"] == "broken" and "prerequisite" in s["reason"], describe(s)
    collateral = [s for s in result.with_status(*BAD) if s["name"] not in fault.detected_by and s["name"] not in fault.blocked]
    assert not collateral, f"{fault.name} also failed:\n" + "\n".join(map(describe, collateral))
    # a claimed MUST failing makes the run exit 1; a SHOULD-only fault (VP-13) is a warning, exit 0
    must = any(by_name[n]["severity"] == "MUST" for n in fault.detected_by)
    assert result.exit_code == (1 if must else 0), result.summary()


def test_a_wallet_that_declines_every_request_passes_no_refusal(tmp_path: Path) -> None:
    """VP-11 and VP-12 (a request for a format it does not hold) hold only when the same wallet presents
    for a valid request: a wallet that declines everything cannot be judged on them, never passes."""
    declines = WalletFault("declines-every-request", "answers every presentation request with access_denied",
                           WalletRules(answer_requests=False), (), {})
    result = _run(declines, tmp_path)
    by_name = {s["name"]: s for s in result.scenarios}
    for name in (UNSIGNED, OUTER_CLIENT, UNSUPPORTED):
        s = by_name[name]
        assert s["status"] == "skipped", describe(s)
        assert s["reason"].startswith("cannot be judged:") and "positive control" in s["reason"], describe(s)
    assert by_name[faults.BADGE]["status"] == "failed", describe(by_name[faults.BADGE])
