"""The wire decides for status and did:web, end to end: `lerconf run` against faulty verifiers on
loopback that reject valid credentials depending on lerconf's status list or did:web.

* never fetched the document: the scenario *cannot be judged* and names the URL;
* fetched it and rejected anyway: the status scenario fails, saying how often it was fetched (the
  did:web control of DI-19 is refused after a fetch: cannot be judged, with the count);
* the reference's verifier behind the same bed, and the embedded reference of a plain `lerconf run`,
  still pass those scenarios.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from faulty import CLEAN, Fault, running_vendor
from faulty.reach import DI_19, DID_WEB_FETCHED, DID_WEB_UNFETCHED, STATUS_CLEAR, STATUS_FETCHED, STATUS_UNFETCHED
from faulty.runs import RunResult, _restored_environment, describe, run_profile

from lerconf.run.runner import RunOptions, run
from lerconf.runlog import load_results

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_data_env")]

KEYWORD = "status_bit_is_clear or key_not_authorized"


def _run(fault: Fault, tmp_path: Path) -> RunResult:
    with running_vendor(fault, tmp_path / "vendor") as vendor:
        return run_profile(vendor.profile_path, vendor.url_map_path, tmp_path / "reports", roles=["verifier"],
                           keyword=KEYWORD)


def _by_name(result: RunResult) -> dict[str, dict[str, Any]]:
    scenarios = {s["name"]: s for s in result.scenarios}
    assert set(STATUS_CLEAR) | {DI_19} <= set(scenarios), sorted(scenarios)
    return scenarios


def test_status_list_never_fetched_cannot_be_judged(tmp_path: Path) -> None:
    scenarios = _by_name(_run(STATUS_UNFETCHED, tmp_path))
    for name in STATUS_CLEAR:
        scenario = scenarios[name]
        purpose = "revocation" if "revocation" in name else "suspension"
        assert scenario["status"] == "skipped", describe(scenario)
        assert scenario["reason"].startswith("cannot be judged: the verifier did not reach http://127.0.0.1:"), describe(scenario)
        assert f"/status-lists/{purpose} (see --public-base-url)" in scenario["reason"], describe(scenario)
    assert scenarios[DI_19]["status"] == "passed", describe(scenarios[DI_19])


def test_status_list_fetched_and_rejected_fails(tmp_path: Path) -> None:
    result = _run(STATUS_FETCHED, tmp_path)
    scenarios = _by_name(result)
    for name in STATUS_CLEAR:
        scenario = scenarios[name]
        purpose = "revocation" if "revocation" in name else "suspension"
        assert scenario["status"] == "failed", describe(scenario)
        assert f"/status-lists/{purpose} 1 time(s) during this verification" in scenario["reason"], describe(scenario)
    assert scenarios[DI_19]["status"] == "passed", describe(scenarios[DI_19])
    assert result.exit_code == 1


def test_did_web_never_fetched_cannot_be_judged(tmp_path: Path) -> None:
    scenarios = _by_name(_run(DID_WEB_UNFETCHED, tmp_path))
    scenario = scenarios[DI_19]
    assert scenario["status"] == "skipped", describe(scenario)
    assert scenario["reason"].startswith("cannot be judged: the verifier did not reach https://127.0.0.1:"), describe(scenario)
    assert "/.well-known/did.json (see --public-base-url)" in scenario["reason"], describe(scenario)
    assert all(scenarios[n]["status"] == "passed" for n in STATUS_CLEAR)


def test_did_web_fetched_and_rejected_names_the_fetch(tmp_path: Path) -> None:
    scenario = _by_name(_run(DID_WEB_FETCHED, tmp_path))[DI_19]
    assert scenario["status"] == "skipped", describe(scenario)  # a refused positive control: never the vendor's pass
    assert "positive control" in scenario["reason"], describe(scenario)
    assert "/.well-known/did.json 1 time(s) during this verification" in scenario["reason"], describe(scenario)
    assert "did not reach" not in scenario["reason"]


def test_reference_verifier_behind_the_bed_still_passes(tmp_path: Path) -> None:
    result = _run(CLEAN, tmp_path)
    scenarios = _by_name(result)
    assert all(s["status"] == "passed" for s in scenarios.values()), "\n".join(map(describe, scenarios.values()))
    assert result.exit_code == 0


def test_embedded_reference_still_passes(tmp_path: Path) -> None:
    """A plain `lerconf run` (the in-process reference as the vendor, whose verifier fetches its own
    status lists over loopback HTTP and reads its did:web from its file)."""
    with _restored_environment():
        code, run_dir = run(RunOptions(vendors=[], keyword=KEYWORD, out=tmp_path / "reports"))
    scenarios = load_results(run_dir / "results.json")["scenarios"]
    names = {s["name"] for s in scenarios}
    assert set(STATUS_CLEAR) | {DI_19} <= names, sorted(names)
    assert all(s["status"] == "passed" for s in scenarios), "\n".join(map(describe, scenarios))
    assert code == 0
