"""lerconf.shards: the split of a run over CI jobs, and the refusal of sets that are not one run's shards.
(tests/e2e/test_interop.py runs three shards of a two-vendor run and compares the merge with an unsharded run.)"""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from lerconf.errors import LerconfError
from lerconf.run.cli import main
from lerconf.run.state import RUN_KEY
from lerconf.runlog import RunLog, load_results
from lerconf.shards import Shard, merge_shards, parse_shard, split


@pytest.mark.parametrize(("text", "shard"), [("1/1", Shard(1, 1)), ("2/3", Shard(2, 3)), (" 3 / 3 ", Shard(3, 3))])
def test_a_shard_is_I_of_N(text: str, shard: Shard) -> None:
    assert parse_shard(text) == shard


@pytest.mark.parametrize("text", ["0/3", "4/3", "1/0", "3", "a/b", "-1/2", "1/2/3"])
def test_a_bad_shard_says_what_a_shard_looks_like(text: str) -> None:
    with pytest.raises(ValueError, match="I/N|between 1 and N"):
        parse_shard(text)


def test_the_cli_refuses_a_bad_shard_as_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["run", "--shard", "4/3"])
    assert exit_info.value.code == 2
    assert "between 1 and N" in capsys.readouterr().err


def test_every_scenario_lands_in_exactly_one_shard_and_the_shards_are_balanced() -> None:
    keys = [f"scenario {i}" for i in range(100)]
    shards = [split(keys, Shard(i, 3)) for i in (1, 2, 3)]
    assert sorted(p for s in shards for p in s) == list(range(100))
    assert sorted(map(len, shards)) == [33, 33, 34]
    assert split(keys, Shard(2, 3)) == shards[1], "the same selection splits the same way every time"


def test_a_group_is_never_cut_in_two() -> None:
    """An interop scenario is one key for all its issuer x verifier pairs: they stay in one shard."""
    keys = ["a", "interop", "b", "interop", "c", "interop", "d"]
    holding = [i for i in (1, 2, 3) if any(keys[p] == "interop" for p in split(keys, Shard(i, 3)))]
    assert len(holding) == 1
    interop_shard = split(keys, Shard(holding[0], 3))
    assert [p for p in interop_shard if keys[p] == "interop"] == [1, 3, 5]


def test_more_shards_than_groups_leaves_some_empty() -> None:
    assert [split(["x", "y"], Shard(i, 3)) for i in (1, 2, 3)] == [[0], [1], []]


def _shard_dir(root: Path, index: int, total: int, *, scenarios: list[dict[str, Any]] | None = None,
               selection: dict[str, Any] | None = None, vendors: list[str] | None = None, shard: bool = True) -> Path:
    directory = root / f"s{index}-{total}"
    log = RunLog.start(directory, run_id=directory.name, command=[], vendors=[{"name": n, "requests": 2} for n in vendors or ["A"]])
    log.run["selection"] = selection or {"keyword": "", "tags": "", "roles": []}
    if shard:
        log.run["shard"] = {"index": index, "total": total, "scenarios": len(scenarios or []), "of": 4}
    for scenario in scenarios or []:
        log.add(scenario)
    log.finish()
    return directory


def _scenario(name: str, order: int, status: str = "passed") -> dict[str, Any]:
    return {"id": f"f::{name}::A", "name": name, "vendor": "A", "status": status, "reason": "", "order": order}


def test_shards_merge_in_the_unsharded_order(tmp_path: Path) -> None:
    one = _shard_dir(tmp_path, 1, 2, scenarios=[_scenario("first", 0), _scenario("third", 2, "failed")])
    two = _shard_dir(tmp_path, 2, 2, scenarios=[_scenario("second", 1), _scenario("fourth", 3)])
    merged = load_results(merge_shards([two, one], tmp_path / "merged"))
    assert [s["name"] for s in merged["scenarios"]] == ["first", "second", "third", "fourth"]
    assert merged["vendors"][0]["requests"] == 4, "calls made to a vendor are summed over the shards"
    assert "shard" not in merged["run"] and [s["index"] for s in merged["run"]["shards"]] == [1, 2]
    lines = (tmp_path / "merged" / "results.jsonl").read_text().splitlines()
    assert [json.loads(line)["name"] for line in lines] == ["first", "second", "third", "fourth"]


def test_a_shard_given_twice_is_refused(tmp_path: Path) -> None:
    one = _shard_dir(tmp_path, 1, 2)
    with pytest.raises(LerconfError, match=r"shard 1/2 given twice"):
        merge_shards([one, one], tmp_path / "merged")


def test_shards_of_splits_of_different_sizes_are_refused(tmp_path: Path) -> None:
    with pytest.raises(LerconfError, match="different sizes"):
        merge_shards([_shard_dir(tmp_path, 1, 2), _shard_dir(tmp_path, 2, 3)], tmp_path / "merged")


def test_shards_of_different_selections_are_refused(tmp_path: Path) -> None:
    one = _shard_dir(tmp_path, 1, 2)
    two = _shard_dir(tmp_path, 2, 2, selection={"keyword": "", "tags": "verifier", "roles": []})
    with pytest.raises(LerconfError, match="selection differ"):
        merge_shards([one, two], tmp_path / "merged")


def test_shards_of_different_vendors_are_refused(tmp_path: Path) -> None:
    with pytest.raises(LerconfError, match="different vendors"):
        merge_shards([_shard_dir(tmp_path, 1, 2), _shard_dir(tmp_path, 2, 2, vendors=["B"])], tmp_path / "merged")


def test_a_whole_run_among_shards_is_refused(tmp_path: Path) -> None:
    whole = _shard_dir(tmp_path, 2, 2, shard=False)
    with pytest.raises(LerconfError, match="not a shard"):
        merge_shards([_shard_dir(tmp_path, 1, 2), whole], tmp_path / "merged")


def test_shard_and_merged_results_follow_the_results_schema(tmp_path: Path) -> None:
    from importlib import resources

    import jsonschema

    schema = json.loads(resources.files("lerconf.data").joinpath("results.schema.json").read_text("utf-8"))
    one = _shard_dir(tmp_path, 1, 2, scenarios=[_scenario("first", 0)])
    two = _shard_dir(tmp_path, 2, 2, scenarios=[_scenario("second", 1)])
    for results in (load_results(one), load_results(merge_shards([one, two], tmp_path / "merged"))):
        for scenario in results["scenarios"]:  # the toy records lack what a real run writes; the run part is judged whole
            scenario.update(feature="f", feature_file="f.feature", role="issuer", requirement_ids=[], severity="MUST",
                            tags=[], example={}, duration_s=0.0, evidence=None)
        jsonschema.validate(results, schema)
    bad = load_results(one)
    bad["run"]["shard"]["index"] = 0
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_shards_are_dealt_by_expected_time_not_by_count() -> None:
    """One slow scenario (an OID4VCI nonce row) weighs as much as many quick ones (artefact rows)."""
    keys = [f"s{i}" for i in range(11)]
    costs = [1000] + [100] * 10
    first, second = split(keys, Shard(1, 2), costs), split(keys, Shard(2, 2), costs)
    assert sorted(first + second) == list(range(11))
    assert first == [0] and len(second) == 10  # 1000 ms against 10 x 100 ms, not 6 scenarios against 5
    assert split(keys, Shard(1, 2), costs) == first, "the same costs split the same way every time"


def test_a_scenario_skipped_at_once_costs_nothing() -> None:
    keys = ["a", "b", "c", "d"]
    costs = [50, 50, 0, 0]
    shards = [split(keys, Shard(i, 2), costs) for i in (1, 2)]
    assert sorted(p for s in shards for p in s) == [0, 1, 2, 3]
    assert (0 in shards[0]) != (1 in shards[0])  # the two that run are apart


def test_costs_must_match_the_scenarios() -> None:
    with pytest.raises(ValueError, match="3 costs for 2 scenarios"):
        split(["a", "b"], Shard(1, 2), [1, 2, 3])


def test_the_cost_table_names_only_features_that_exist() -> None:
    from lerconf.run.costs import _table, feature_cost

    features_dir = Path(__file__).resolve().parents[2] / "features"
    measured, default = _table()
    assert measured and default > 0
    stale = [name for name in measured if not (features_dir / name).is_file()]
    assert not stale, f"tools/scenario_costs.py measured features that are gone: {stale}"
    assert feature_cost("no/such.feature") == default


def test_the_cost_tool_takes_each_features_median(tmp_path: Path) -> None:
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
    from scenario_costs import costs

    results = tmp_path / "results.json"
    results.write_text(json.dumps({"scenarios": [
        {"feature_file": "a.feature", "status": "passed", "duration_s": 0.010},
        {"feature_file": "a.feature", "status": "failed", "duration_s": 0.030},
        {"feature_file": "a.feature", "status": "passed", "duration_s": 0.020},
        {"feature_file": "b.feature", "status": "skipped", "duration_s": 9.0},  # never ran: not measured
        {"feature_file": "c.feature", "status": "passed", "duration_s": 0.2}]}), encoding="utf-8")
    table = costs([results])
    assert table["features"] == {"a.feature": 20, "c.feature": 200}
    assert table["default_ms"] == 110


class _Config:
    """The run's vendor profiles as the plugin keeps them (only what _shard_key reads: name, wallet isolation)."""

    def __init__(self, isolated: dict[str, bool]) -> None:
        profiles = [SimpleNamespace(name=name, wallet=SimpleNamespace(isolated=flag)) for name, flag in isolated.items()]
        self.stash = {RUN_KEY: {"profiles": profiles}}


class _Item:
    """What lerconf.run.plugin._shard_key reads of a collected scenario: its parameters and its tags."""

    def __init__(self, meta: dict[str, Any], config: _Config | None = None, **params: Any) -> None:
        self.meta, self.nodeid = meta, meta["name"]
        self.callspec = type("Callspec", (), {"params": params})()
        self.config = config or _Config({"Acme": False, "Beta": False})


def _meta(name: str, role: str, *tags: str) -> dict[str, Any]:
    return {"name": name, "role": role, "tags": {role, *tags}, "example": {}, "feature_file": f"{role}.feature"}


def test_what_uses_one_wallet_is_one_group_and_other_wallets_are_others(monkeypatch: pytest.MonkeyPatch) -> None:
    from lerconf.run import plugin
    from lerconf.scenarios.interop_openid import OpenIdInteropCase

    monkeypatch.setattr(plugin, "scenario_meta", lambda item: item.meta)
    acme_wallet = [_Item(_meta("offer", "wallet"), lerconf_vendor="Acme"),
                   _Item(_meta("revoke", "lifecycle", "oid4vci"), lerconf_vendor="Acme"),
                   _Item(_meta("beta to acme", "interop", "oid4vp"), lerconf_vendor="interop",
                         lerconf_interop=OpenIdInteropCase("openid", "Beta", "Acme", "Beta", "ldp_vc"))]
    beta_wallet = [_Item(_meta("offer", "wallet"), lerconf_vendor="Beta"),
                   _Item(_meta("acme to beta", "interop", "oid4vp"), lerconf_vendor="interop",
                         lerconf_interop=OpenIdInteropCase("openid", "Acme", "Beta", "Acme", "jwt_vc_json"))]
    assert {plugin._shard_key(i) for i in acme_wallet} == {("wallet", "Acme")}  # type: ignore[arg-type]
    assert {plugin._shard_key(i) for i in beta_wallet} == {("wallet", "Beta")}  # type: ignore[arg-type]
    issuers = {plugin._shard_key(_Item(_meta("issue", "issuer"), lerconf_vendor=v)) for v in ("Acme", "Beta")}  # type: ignore[arg-type]
    assert len(issuers) == 2 and not any(k[0] == "wallet" for k in issuers)


def test_a_wallet_that_keeps_scenarios_apart_is_dealt_scenario_by_scenario(monkeypatch: pytest.MonkeyPatch) -> None:
    """wallet.isolation: scenario -- each of its scenarios (and each OpenID case handing it a badge) is a group of
    its own, so workers and shards run them at once; a wallet without it stays one group."""
    from lerconf.run import plugin
    from lerconf.scenarios.interop_openid import OpenIdInteropCase

    monkeypatch.setattr(plugin, "scenario_meta", lambda item: item.meta)
    config = _Config({"Acme": True, "Beta": False})
    acme = [_Item(_meta("offer", "wallet"), config, lerconf_vendor="Acme"),
            _Item(_meta("present", "wallet", "oid4vp"), config, lerconf_vendor="Acme"),
            _Item(_meta("revoke", "lifecycle", "oid4vci"), config, lerconf_vendor="Acme"),
            _Item(_meta("beta to acme", "interop", "oid4vp"), config, lerconf_vendor="interop",
                  lerconf_interop=OpenIdInteropCase("openid", "Beta", "Acme", "Beta", "ldp_vc")),
            _Item(_meta("beta to acme", "interop", "oid4vp"), config, lerconf_vendor="interop",
                  lerconf_interop=OpenIdInteropCase("openid", "Beta", "Acme", "Beta", "jwt_vc_json"))]
    keys = [plugin._shard_key(i) for i in acme]  # type: ignore[arg-type]
    assert len(set(keys)) == len(acme) and not any(k[0] == "wallet" for k in keys)
    beta = [_Item(_meta("offer", "wallet"), config, lerconf_vendor="Beta"),
            _Item(_meta("acme to beta", "interop", "oid4vp"), config, lerconf_vendor="interop",
                  lerconf_interop=OpenIdInteropCase("openid", "Acme", "Beta", "Acme", "ldp_vc"))]
    assert {plugin._shard_key(i) for i in beta} == {("wallet", "Beta")}  # type: ignore[arg-type]


def test_the_embedded_references_wallet_keeps_scenarios_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    """With no profile (the default run) the plugin deals the reference's wallet scenarios one by one: its
    profile must say so, and its adapter must advertise it."""
    from lerconf.refimpl.server import running_reference
    from lerconf.refimpl.wallet.store import CAPABILITIES
    from lerconf.run import plugin

    monkeypatch.setattr(plugin, "scenario_meta", lambda item: item.meta)
    config = _Config({})
    keys = {plugin._shard_key(_Item(_meta(n, "wallet"), config, lerconf_vendor="reference"))  # type: ignore[arg-type]
            for n in ("offer", "present")}
    assert len(keys) == 2
    with running_reference() as reference:
        wallet = reference.profile().wallet
    assert wallet is not None and wallet.isolated and CAPABILITIES["scenario_isolation"] is True
