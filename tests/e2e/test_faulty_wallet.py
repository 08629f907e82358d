"""lerconf can fail a wallet: each faulty wallet breaks one requirement, and the wallet
scenarios report exactly that (the scenarios the fault names fail, with the reason the wire
gives; scenarios it leaves without a credential are broken on a prerequisite, never failed;
every other scenario passes or is skipped as not claimed; a claimed MUST failing makes it exit 1).

The clean control, every fault and the wallet that declines every request are judged in ONE
`lerconf run` over their profiles (each wallet its own loopback server), and each test reads its
own wallet's scenarios (``s["vendor"]``). That is sound because lerconf runs the scenarios one
after another in one process, each reading what its own endpoints received since its own mark on
the wire log (lerconf.scenarios.wallet_driver.observe), from offers and requests it made for that
scenario; with only wallets in the run no interop case pairs two of them
(test_one_run_judges_each_wallet_on_its_own checks that nothing else is judged). The run selects
the scenarios a wallet can be judged on (WALLET_TAGS); every other one would be skipped as not
claimed for each of the seventeen wallets.
"""
from __future__ import annotations

from typing import Any

import pytest
from _pytest.mark.expression import Expression
from faulty.runs import RunResult, describe, run_profiles
from faulty_wallet import CLEAN, DECLINES, FAULTS, WALLET_TAGS, WalletFault, faults, started_wallets
from faulty_wallet.faults import OUTER_CLIENT, UNSIGNED, UNSUPPORTED
from pytest_bdd.parser import FeatureParser

from lerconf.roles import SCENARIO_ROLES, vendor_role
from lerconf.run.runner import exit_code, features_dir

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_data_env")]
BAD = ("failed", "broken")
BEDS = (CLEAN, *FAULTS, DECLINES)


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    workdir = tmp_path_factory.mktemp("wallet-beds")
    with started_wallets(BEDS, workdir) as wallets:
        # no URL map: a wallet bed serves no document lerconf must fetch (as a one-wallet run)
        return run_profiles([w.profile_path for w in wallets], None, workdir / "reports",  # type: ignore[arg-type]
                            tags=WALLET_TAGS)


def _of(result: RunResult, bed: WalletFault) -> list[dict[str, Any]]:
    return [s for s in result.scenarios if s["vendor"] == bed.vendor_name]


def _exit_code(scenarios: list[dict[str, Any]]) -> int:
    """What `lerconf run` would exit with over these scenarios alone: lerconf's own rule (a claimed MUST
    scenario failed or broken), applied to one wallet's scenarios of the shared run."""
    return exit_code({"scenarios": scenarios})


def test_catalogue_is_well_formed() -> None:
    assert len(FAULTS) >= 3
    assert len({f.name for f in FAULTS}) == len(FAULTS)
    # caught by the same scenarios for the same reasons = one fault (the same scenarios for different
    # reasons, e.g. a wrong domain vs a junk signature under VP-10, are two)
    assert len({frozenset(f.detected_by.items()) for f in FAULTS}) == len(FAULTS), "two faults caught the same way are one fault"
    assert all(not (set(f.detected_by) & f.blocked) for f in FAULTS)


def test_the_selection_leaves_out_no_scenario_a_wallet_can_be_judged_on() -> None:
    """WALLET_TAGS takes every scenario whose vendor role is the wallet (as lerconf reads a scenario's
    role: lerconf.run.meta, lerconf.roles.vendor_role) and the OpenID interop cases; a profile with only
    a wallet section claims nothing else."""
    selection = Expression.compile(WALLET_TAGS)
    wallet = []
    for path in sorted(features_dir().rglob("*.feature")):
        feature = FeatureParser(str(path.parent), path.name).parse()
        for scenario in feature.scenarios.values():
            rule = getattr(scenario, "rule", None)
            tags = set(scenario.tags) | set(feature.tags) | set(rule.tags if rule is not None else ())
            role = next((r for r in SCENARIO_ROLES if r in tags), "")
            if vendor_role(role, tags) == "wallet" or (role == "interop" and "oid4vp" in tags):
                wallet.append(scenario.name)
                assert selection.evaluate(tags.__contains__), f"{path.name}: {scenario.name} {sorted(tags)}"
    assert len(wallet) >= 15, wallet


def test_one_run_judges_each_wallet_on_its_own(result: RunResult) -> None:
    """Every wallet is judged on the same scenarios; nothing pairs two of them (the interop scenarios
    are skipped as not claimed: no OID4VCI issuer or OID4VP verifier in the run); the run's exit code
    is lerconf's rule over all of them (1: MUST faults)."""
    names = {bed.vendor_name for bed in BEDS}
    assert len(names) == len(BEDS)
    by_vendor = {n: sorted(s["name"] for s in result.scenarios if s["vendor"] == n) for n in names}
    assert len({tuple(v) for v in by_vendor.values()}) == 1 and by_vendor[CLEAN.vendor_name], result.summary()
    others = [s for s in result.scenarios if s["vendor"] not in names]
    assert all(s["status"] == "skipped" and s["reason"].startswith("not claimed") for s in others), (
        "\n".join(map(describe, others)))
    assert result.exit_code == _exit_code(result.scenarios) == 1, result.summary()


def test_clean_wallet_passes_every_wallet_scenario(result: RunResult) -> None:
    mine = _of(result, CLEAN)
    bad = [s for s in mine if s["status"] in BAD]
    assert not bad, "\n".join(map(describe, bad))
    scenarios = [s for s in mine if s["role"] == "wallet"]
    assert len(scenarios) >= 11 and all(s["status"] == "passed" for s in scenarios), "\n".join(map(describe, scenarios))
    assert _exit_code(mine) == 0


@pytest.mark.parametrize("fault", FAULTS, ids=str)
def test_lerconf_detects_wallet_fault(result: RunResult, fault: WalletFault) -> None:
    mine = _of(result, fault)
    by_name = {s["name"]: s for s in mine}
    assert set(fault.detected_by) <= set(by_name), sorted(set(fault.detected_by) - set(by_name))
    for name, because in fault.detected_by.items():
        s = by_name[name]
        assert s["status"] == "failed", f"{fault.name} went unnoticed by: {describe(s)}"
        assert because in s["reason"], describe(s)
    assert {rid for n in fault.detected_by for rid in by_name[n]["requirement_ids"]} == set(fault.requirements)
    for name in fault.blocked:
        s = by_name[name]
        assert s["status"] == "broken" and "prerequisite" in s["reason"], describe(s)
    collateral = [s for s in mine if s["status"] in BAD and s["name"] not in fault.detected_by and s["name"] not in fault.blocked]
    assert not collateral, f"{fault.name} also failed:\n" + "\n".join(map(describe, collateral))
    # a claimed MUST failing makes the run exit 1; a SHOULD-only fault (VP-13) is a warning, exit 0
    must = any(by_name[n]["severity"] == "MUST" for n in fault.detected_by)
    assert _exit_code(mine) == (1 if must else 0), "\n".join(describe(s) for s in mine if s["status"] in BAD)


def test_a_wallet_that_declines_every_request_passes_no_refusal(result: RunResult) -> None:
    """VP-11 and VP-12 (a request for a format it does not hold) hold only when the same wallet presents
    for a valid request: a wallet that declines everything cannot be judged on them, never passes."""
    by_name = {s["name"]: s for s in _of(result, DECLINES)}
    for name in (UNSIGNED, OUTER_CLIENT, UNSUPPORTED):
        s = by_name[name]
        assert s["status"] == "skipped", describe(s)
        assert s["reason"].startswith("cannot be judged:") and "positive control" in s["reason"], describe(s)
    assert by_name[faults.BADGE]["status"] == "failed", describe(by_name[faults.BADGE])
