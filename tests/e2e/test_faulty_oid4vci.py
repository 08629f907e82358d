"""lerconf catches faulty OID4VCI issuers: each fault relaxes one rule of the reference issuer,
and the OID4VCI features (a) fail the scenarios the fault names, with the named requirement and
reason, (b) pass everything else, (c) exit 1 (0 for a fault only a SHOULD scenario catches). The
clean control passes everything.

The beds of one scope (-k: the pre-authorized flows, the newer flows, everything; faults.py) are
judged in ONE `lerconf run`, each bed its own vendor on its own loopback server, and each test
reads its bed's scenarios (``s["vendor"]``): three runs instead of twenty. That is sound because
lerconf runs the scenarios one after another, each in sessions, offers and nonces of its own with
the vendor it judges (the stale-nonce wait, the deferred timeout and the tx_code attempts are per
scenario, against that vendor's server), and no interop case is selected (the oid4vci_issuer
features only)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from faulty.runs import describe
from faulty_oid4vci import (
    CLEAN,
    FAULTS,
    NEVER_READY,
    NONCE_BOUNDED_AGE,
    REFUSES_EVERY_PROOF,
    IssuerFault,
    RunResult,
    run_together,
)

from lerconf.redact import SECRETS
from lerconf.run.runner import exit_code

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_data_env")]
BAD = ("failed", "broken")
BEDS = (CLEAN, *FAULTS, REFUSES_EVERY_PROOF, NEVER_READY, NONCE_BOUNDED_AGE)


def _scopes() -> dict[str | None, list[IssuerFault]]:
    """The beds by their scope (-k): the beds of one scope share one run."""
    scopes: dict[str | None, list[IssuerFault]] = {}
    for bed in BEDS:
        scopes.setdefault(bed.keyword, []).append(bed)
    return scopes


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, RunResult]]:
    """Each bed's run (by vendor name): one `lerconf run` per scope, every bed of that scope its own
    vendor (its own loopback server) in it."""
    workdir = tmp_path_factory.mktemp("oid4vci-beds")
    by_vendor: dict[str, RunResult] = {}
    for n, beds in enumerate(_scopes().values()):
        # each run registers ~100 one-time secrets (codes, tokens, tx_codes) per bed for scrubbing; the
        # previous run's belong to stopped test servers: start each run empty, so its evidence is not
        # scrubbed for hundreds of stale values (restored after the run)
        with SECRETS.isolated():
            result = run_together(beds, workdir / f"scope-{n}")
        by_vendor.update({bed.vendor_name: result for bed in beds})
    yield by_vendor


def _of(runs: dict[str, RunResult], bed: IssuerFault) -> list[dict[str, Any]]:
    """The bed's scenarios in the run it shared."""
    return [s for s in runs[bed.vendor_name].scenarios if s["vendor"] == bed.vendor_name]


def _exit_code(scenarios: list[dict[str, Any]]) -> int:
    """What `lerconf run` would exit with over these scenarios alone: lerconf's own rule (a claimed MUST
    scenario failed or broken), applied to one bed's scenarios of the shared run."""
    return exit_code({"scenarios": scenarios})


def test_catalogue_is_well_formed() -> None:
    assert len(FAULTS) >= 5
    assert len({f.name for f in FAULTS}) == len(FAULTS)
    assert len({(f.detected_by, f.because) for f in FAULTS}) == len(FAULTS)
    for fault in FAULTS:
        assert fault.rules and fault.detected_by and fault.requirements and fault.because, fault.name


def test_the_beds_sharing_a_run_are_judged_each_on_its_own(runs: dict[str, RunResult]) -> None:
    """The beds of one scope are judged on the same scenarios, only as OID4VCI issuers (no interop
    case pairs two of them: the selection is the oid4vci_issuer features); each run's exit code is
    lerconf's rule over all its scenarios."""
    for keyword, beds in _scopes().items():
        result = runs[beds[0].vendor_name]
        assert {s["vendor"] for s in result.scenarios} == {bed.vendor_name for bed in beds}, keyword
        assert {s["role"] for s in result.scenarios} == {"oid4vci_issuer"}, keyword
        names = {bed.vendor_name: sorted(s["name"] for s in _of(runs, bed)) for bed in beds}
        assert len({tuple(v) for v in names.values()}) == 1, keyword
        assert result.exit_code == _exit_code(result.scenarios), (keyword, result.summary())


def test_clean_issuer_passes_every_oid4vci_scenario(runs: dict[str, RunResult]) -> None:
    mine = _of(runs, CLEAN)
    bad = [s for s in mine if s["status"] in BAD]
    assert not bad, "\n".join(map(describe, bad))
    assert _exit_code(mine) == 0
    assert sum(s["status"] == "passed" for s in mine) >= 30, runs[CLEAN.vendor_name].summary()
    assert {s["role"] for s in mine} == {"oid4vci_issuer"}


@pytest.mark.parametrize("fault", FAULTS, ids=str)
def test_lerconf_detects_issuer_fault(runs: dict[str, RunResult], fault: IssuerFault) -> None:
    mine = _of(runs, fault)
    ran = {s["name"] for s in mine}
    assert fault.detected_by <= ran, sorted(fault.detected_by - ran)
    caught = [s for s in mine if s["name"] in fault.detected_by]
    missed = [s for s in caught if s["status"] != "failed"]  # broken is "no usable answer", not caught
    assert not missed, f"{fault.name} went unnoticed:\n" + "\n".join(map(describe, missed))
    assert {r for s in caught for r in s["requirement_ids"]} == set(fault.requirements)
    assert any(fault.because in s["reason"] for s in caught), "\n".join(map(describe, caught))
    collateral = [s for s in mine if s["status"] in BAD and s["name"] not in fault.detected_by]
    assert not collateral, f"{fault.name} also failed:\n" + "\n".join(map(describe, collateral))
    # a MUST failing makes the run exit 1; a fault only a SHOULD scenario catches (LCI-01) exits 0
    must = any(s["severity"] == "MUST" for s in caught)
    assert _exit_code(mine) == (1 if must else 0), "\n".join(describe(s) for s in mine if s["status"] in BAD)


def test_an_issuer_refusing_every_proof_passes_no_negative_proof_scenario(runs: dict[str, RunResult]) -> None:
    """Over-strict is not conformant: an issuer that answers invalid_proof to every credential
    request would pass each negative key-proof scenario on its own; the positive control (a whole
    valid issuance in a fresh session) turns them into "cannot be judged", and the positive
    scenarios fail."""
    mine = _of(runs, REFUSES_EVERY_PROOF)
    negatives = [s for s in mine if "VCI-16" in s["requirement_ids"]]
    assert negatives and not [s for s in negatives if s["status"] == "passed"], "\n".join(map(describe, negatives))
    assert all(s["status"] == "skipped" and "cannot be judged" in s["reason"] for s in negatives), (
        "\n".join(map(describe, negatives)))
    assert [s for s in mine if s["status"] == "failed"], runs[REFUSES_EVERY_PROOF.vendor_name].summary()
    assert _exit_code(mine) == 1


def test_a_credential_still_pending_when_lerconf_stops_waiting_is_broken_not_failed(runs: dict[str, RunResult]) -> None:
    """Deferred issuance that never completes within options.deferred_timeout_s was not observed:
    the scenario is broken (no usable answer in time), never failed nor passed."""
    flow = [s for s in _of(runs, NEVER_READY) if "delivers the badge" in s["name"]]
    assert flow and all(s["status"] == "broken" and "still pending" in s["reason"] for s in flow), (
        "\n".join(map(describe, flow)))


def test_an_issuer_bounding_proof_age_by_its_nonce_is_not_failed_for_an_old_iat(runs: dict[str, RunResult]) -> None:
    """OID4VCI 1.0 App. F.4 / §13.8: the issuer may bound key-proof freshness by its c_nonce instead
    of iat. Accepting an hour-old iat that carries a c_nonce it issued a moment earlier passes; every
    other scenario is as for the clean issuer (issue 13: this was a false failure)."""
    from faulty_oid4vci.faults import PROOF

    mine = _of(runs, NONCE_BOUNDED_AGE)
    bad = [s for s in mine if s["status"] in BAD]
    assert not bad, "\n".join(map(describe, bad))
    old_iat = next(s for s in mine if s["name"] == PROOF.format("an iat an hour old"))
    assert old_iat["status"] == "passed", describe(old_iat)
    messages = [c["message"] for c in old_iat["evidence"]["checks"] if c["id"] == "VCI-16"]
    assert any("bounds proof age by its nonce" in m for m in messages), messages
