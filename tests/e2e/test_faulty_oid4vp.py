"""lerconf can fail an OID4VP verifier: each faulty verifier breaks one requirement, and the
OID4VP scenarios report exactly that (the scenarios the fault names fail with "the verifier
reported success"; every other scenario passes or is skipped as not claimed; its exit code is 1
when a MUST scenario caught it).

The clean control, every fault and an over-strict verifier are judged in ONE `lerconf run` (each
its own vendor on its own loopback port), over the scenarios tagged ``@oid4vp`` (and the lifecycle
and interop ones, all skipped as not claimed); each test asserts on its vendor's scenarios. They
cannot affect each other: a profile has only an ``oid4vp_verifier`` section, so no interop case
pairs two of them (features/interop-openid needs an OID4VCI issuer and a wallet too), and lerconf
plays the wallet afresh in each scenario (a transaction, its nonce and its state are one verifier's). A vendor's exit code is lerconf's own
rule (lerconf.run.runner.exit_code) applied to that vendor's scenarios: what a `lerconf run` of
that bed alone would exit with.

Every other feature is skipped as not claimed for such a profile, decided from the profile alone
before any call (lerconf.run.plugin._skipped_at_setup), so a fault cannot change it; a run of every
feature against the clean bed proves it once (ca. 450 such scenarios a vendor: they would cost the
combined run some 3 s a bed).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from faulty.runs import RunResult, describe, run_profile, run_profiles
from faulty_oid4vp import CLEAN, FAULTS, VerifierFault, Verifiers, running_verifiers

from lerconf.run.runner import exit_code

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_data_env")]
BAD = ("failed", "broken")


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


STRICT = VerifierFault("refuses-everything", "refuses every presentation", (), frozenset(), "", _refuse_everything)
BEDS = (CLEAN, *FAULTS, STRICT)


#: the features the combined run selects: every scenario that can run against an OID4VP verifier, and
#: the lifecycle and interop ones (where two beds would meet, if anything paired them)
TAGS = "oid4vp or lifecycle or interop"


@dataclass
class Judged:
    beds: Verifiers
    result: RunResult


@pytest.fixture(scope="module")
def judged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Judged]:
    workdir = tmp_path_factory.mktemp("oid4vp-beds")
    with running_verifiers(BEDS, workdir) as beds:
        yield Judged(beds, run_profiles([v.profile_path for v in beds.vendors], beds.url_map, workdir / "reports",
                                        tags=TAGS))


@pytest.fixture
def result(judged: Judged) -> RunResult:
    return judged.result


def _of(result: RunResult, fault: VerifierFault) -> list[dict[str, Any]]:
    """The scenarios of ``fault``'s vendor."""
    return [s for s in result.scenarios if s["vendor"] == fault.vendor_name]


def _oid4vp(scenarios: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [s for s in scenarios if s["role"] == "oid4vp_verifier"]


def _bad(scenarios: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [s for s in scenarios if s["status"] in BAD]


def test_catalogue_is_well_formed() -> None:
    assert len(FAULTS) >= 5
    assert len({f.name for f in FAULTS}) == len(FAULTS)
    assert len({f.detected_by for f in FAULTS}) == len(FAULTS), "two faults caught the same way are one fault"
    assert len({b.vendor_name for b in BEDS}) == len(BEDS), "one vendor name per bed: the run tells them apart by it"


def test_clean_verifier_passes_every_oid4vp_scenario(result: RunResult) -> None:
    mine = _of(result, CLEAN)
    bad = _bad(mine)
    assert not bad, "\n".join(map(describe, bad))
    scenarios = _oid4vp(mine)
    assert len(scenarios) >= 37 and all(s["status"] == "passed" for s in scenarios), result.summary()
    assert exit_code({"scenarios": mine}) == 0
    # what belongs to no bed (an interop case) is in the combined run too: none of it may fail
    strays = [s for s in result.scenarios if s["vendor"] not in {b.vendor_name for b in BEDS}]
    assert not _bad(strays), "\n".join(map(describe, _bad(strays)))
    assert result.exit_code == 1  # the faulty beds fail MUSTs in the same run


def test_no_other_feature_runs_against_an_oid4vp_verifier(judged: Judged, tmp_path: Path) -> None:
    """Every feature, the clean bed alone: beyond the combined run's selection nothing runs against an
    oid4vp_verifier-only profile (skipped as not claimed: the same for every bed, decided from the
    profile before any call) and nothing fails, so the combined run leaves out nothing a fault could change."""
    mine = _of(judged.result, CLEAN)
    clean = judged.beds.vendors[BEDS.index(CLEAN)]
    assert clean.url_map_path is not None
    whole = run_profile(clean.profile_path, clean.url_map_path, tmp_path / "reports")
    assert not whole.with_status(*BAD), "\n".join(map(describe, whole.with_status(*BAD)))
    ran = {s["name"] for s in whole.scenarios if s["status"] != "skipped"}
    assert ran == {s["name"] for s in mine if s["status"] != "skipped"}, sorted(ran ^ {s["name"] for s in mine})
    outside = [s for s in whole.scenarios if s["status"] == "skipped" and not str(s["reason"]).startswith("not claimed")
               and s["name"] not in {m["name"] for m in mine}]
    assert not outside, "\n".join(map(describe, outside))
    assert whole.exit_code == 0


@pytest.mark.parametrize("fault", FAULTS, ids=str)
def test_lerconf_detects_verifier_fault(fault: VerifierFault, result: RunResult) -> None:
    mine = _of(result, fault)
    ran = {s["name"] for s in mine}
    assert fault.detected_by <= ran, sorted(fault.detected_by - ran)
    caught = [s for s in mine if s["name"] in fault.detected_by]
    missed = [s for s in caught if s["status"] != "failed"]
    assert not missed, f"{fault.name} went unnoticed by:\n" + "\n".join(map(describe, missed))
    assert {rid for s in caught for rid in s["requirement_ids"]} == set(fault.requirements)
    assert all(fault.because in s["reason"] for s in caught), "\n".join(map(describe, caught))
    collateral = [s for s in _bad(mine) if s["name"] not in fault.detected_by]
    assert not collateral, f"{fault.name} also failed:\n" + "\n".join(map(describe, collateral))
    # a MUST failing makes the vendor's exit code 1; a fault only SHOULD scenarios catch (e.g. a plain response) 0
    must = any(s["severity"] == "MUST" for s in caught)
    assert exit_code({"scenarios": mine}) == (1 if must else 0), "\n".join(map(describe, _bad(mine)))


def test_a_verifier_refusing_everything_passes_no_negative_scenario(result: RunResult) -> None:
    """A verifier that refuses every presentation would pass each negative scenario on its own; the
    positive control (a valid presentation in a fresh transaction) makes them "cannot be judged",
    and the positive scenarios fail."""
    mine = _of(result, STRICT)
    scenarios = _oid4vp(mine)
    negatives = [s for s in scenarios if "NEG" in s["tags"]]
    assert negatives and not [s for s in negatives if s["status"] == "passed"], "\n".join(map(describe, negatives))
    judged = [s for s in negatives if s["status"] == "skipped"]
    assert judged and all("cannot be judged" in s["reason"] for s in judged), "\n".join(map(describe, judged))
    assert [s for s in scenarios if s["status"] == "failed"], result.summary()
    assert exit_code({"scenarios": mine}) == 1
