"""lerconf can fail a wallet in VCALM exchanges: each faulty wallet relaxes one rule of the
reference wallet, and ONE `lerconf run --role vcalm_wallet` over all of them (one vendor profile
each, the clean control among them) shows (a) the scenarios a fault names fail, with the named
requirement and a reason naming the defect, (b) the scenarios it leaves without a badge are broken
on a prerequisite, never failed, (c) everything else passes, (d) the clean wallet passes every
scenario, and an adapter without POST /interactions has every scenario not claimed."""
from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from faulty.runs import describe
from faulty_vcalm_wallet import CLEAN, FAULTS, NO_INTERACTIONS, WalletExchangeFault, running_wallets
from faulty_vcalm_wallet.faults import SCENARIOS

from lerconf.run.runner import RunOptions, run
from lerconf.runlog import load_results

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_data_env")]
BAD = ("failed", "broken")
ROLE_SCENARIOS = len(SCENARIOS)  # 10: three outlines of two rows, three single scenarios, the lifecycle


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, dict[str, list[dict[str, Any]]], float]]:
    """One run over every bed wallet: exit code, the scenarios by vendor name, seconds."""
    workdir = tmp_path_factory.mktemp("vcalm-wallets")
    with running_wallets((CLEAN, NO_INTERACTIONS, *FAULTS), workdir) as vendors:
        # --tags deselects the other features when collecting: with five vendors, skipping each of their
        # scenarios one by one ("role not selected") costs more than the exchange scenarios themselves
        options = RunOptions(vendors=[v.profile_path for v in vendors], roles=["vcalm_wallet"], tags="vcalm_wallet",
                             out=workdir / "reports", preflight=False)
        started = time.monotonic()
        code, run_dir = run(options)
        seconds = time.monotonic() - started
    scenarios = load_results(run_dir / "results.json").get("scenarios", [])
    by_vendor: dict[str, list[dict[str, Any]]] = {}
    for s in scenarios:
        if s["name"] in SCENARIOS:
            by_vendor.setdefault(s["vendor"], []).append(s)
    yield code, by_vendor, seconds


def test_catalogue_is_well_formed() -> None:
    assert len({f.name for f in FAULTS}) == len(FAULTS) >= 3
    assert len({frozenset(f.detected_by.items()) for f in FAULTS}) == len(FAULTS), "two faults caught the same way are one fault"
    for fault in FAULTS:
        assert fault.detected_by and fault.requirements, fault.name
        assert set(fault.detected_by) <= SCENARIOS and fault.blocked <= SCENARIOS, fault.name
        assert not set(fault.detected_by) & fault.blocked, fault.name


def test_clean_wallet_passes_every_exchange_scenario(outcome: tuple[int, dict[str, list[dict[str, Any]]], float]) -> None:
    _, by_vendor, _ = outcome
    ran = by_vendor[CLEAN.vendor_name]
    assert ROLE_SCENARIOS == 10 and len(ran) == ROLE_SCENARIOS, sorted(s["name"] for s in ran)
    assert all(s["status"] == "passed" for s in ran), "\n".join(map(describe, ran))


def test_an_adapter_without_interactions_is_not_claimed(outcome: tuple[int, dict[str, list[dict[str, Any]]], float]) -> None:
    _, by_vendor, _ = outcome
    ran = by_vendor[NO_INTERACTIONS.vendor_name]
    assert len(ran) == ROLE_SCENARIOS
    for s in ran:
        assert s["status"] == "skipped" and "POST /interactions" in str(s["reason"]), describe(s)


@pytest.mark.parametrize("fault", FAULTS, ids=str)
def test_lerconf_detects_wallet_exchange_fault(fault: WalletExchangeFault,
                                               outcome: tuple[int, dict[str, list[dict[str, Any]]], float]) -> None:
    _, by_vendor, _ = outcome
    by_name = {s["name"]: s for s in by_vendor[fault.vendor_name]}
    assert set(by_name) == SCENARIOS, sorted(SCENARIOS ^ set(by_name))
    for name, because in fault.detected_by.items():
        s = by_name[name]
        assert s["status"] == "failed", f"{fault.name} went unnoticed by: {describe(s)}"
        assert because in str(s["reason"]), describe(s)
    assert {rid for n in fault.detected_by for rid in by_name[n]["requirement_ids"]} == set(fault.requirements)
    for name in fault.blocked:
        s = by_name[name]
        assert s["status"] == "broken" and "prerequisite" in str(s["reason"]), describe(s)
    others = [s for s in by_name.values() if s["name"] not in fault.detected_by and s["name"] not in fault.blocked]
    assert others and all(s["status"] == "passed" for s in others), f"{fault.name} also did:\n" + "\n".join(
        map(describe, [s for s in others if s["status"] != "passed"]))


def test_the_run_fails_and_stays_fast(outcome: tuple[int, dict[str, list[dict[str, Any]]], float]) -> None:
    code, _, seconds = outcome
    assert code == 1  # a claimed MUST failed for some vendor
    assert seconds < 60, f"the one run over every bed wallet took {seconds:.0f} s"  # about 14 s on 2 cores
