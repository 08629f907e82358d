"""lerconf catches faulty OID4VCI issuers: each fault relaxes one rule of the reference issuer,
and the OID4VCI features (a) fail the scenarios the fault names, with the named requirement and
reason, (b) pass everything else, (c) exit 1. The clean control passes everything."""
from __future__ import annotations

from pathlib import Path

import pytest
from faulty.runs import describe
from faulty_oid4vci import (
    CLEAN,
    FAULTS,
    IssuerFault,
    RunResult,
    run_lerconf,
    running_issuer,
)

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_data_env")]
BAD = ("failed", "broken")


@pytest.fixture(autouse=True)
def _fresh_secret_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each OID4VCI run registers ~100 one-time secrets (codes, tokens, tx_codes) for scrubbing.
    The previous runs' secrets belong to stopped test servers: start each run empty, so a dozen
    runs in one process do not scrub every evidence text for hundreds of stale values."""
    from lerconf.redact import SECRETS

    monkeypatch.setattr(SECRETS, "_values", set())
    monkeypatch.setattr(SECRETS, "_ordered", None)


def _run(fault: IssuerFault, tmp_path: Path) -> RunResult:
    with running_issuer(fault, tmp_path / "issuer") as issuer:
        return run_lerconf(issuer, tmp_path / "reports")


def test_catalogue_is_well_formed() -> None:
    assert len(FAULTS) >= 5
    assert len({f.name for f in FAULTS}) == len(FAULTS)
    assert len({(f.detected_by, f.because) for f in FAULTS}) == len(FAULTS)
    for fault in FAULTS:
        assert fault.rules and fault.detected_by and fault.requirements and fault.because, fault.name


def test_clean_issuer_passes_every_oid4vci_scenario(tmp_path: Path) -> None:
    result = _run(CLEAN, tmp_path)
    assert not result.with_status(*BAD), "\n".join(map(describe, result.with_status(*BAD)))
    assert result.exit_code == 0
    assert result.count("passed") >= 30, result.summary()
    assert {s["role"] for s in result.scenarios} == {"oid4vci_issuer"}


@pytest.mark.parametrize("fault", FAULTS, ids=str)
def test_lerconf_detects_issuer_fault(fault: IssuerFault, tmp_path: Path) -> None:
    result = _run(fault, tmp_path)
    ran = {s["name"] for s in result.scenarios}
    assert fault.detected_by <= ran, sorted(fault.detected_by - ran)
    caught = [s for s in result.scenarios if s["name"] in fault.detected_by]
    missed = [s for s in caught if s["status"] != "failed"]  # broken is "no usable answer", not caught
    assert not missed, f"{fault.name} went unnoticed:\n" + "\n".join(map(describe, missed))
    assert {r for s in caught for r in s["requirement_ids"]} == set(fault.requirements)
    assert any(fault.because in s["reason"] for s in caught), "\n".join(map(describe, caught))
    collateral = [s for s in result.with_status(*BAD) if s["name"] not in fault.detected_by]
    assert not collateral, f"{fault.name} also failed:\n" + "\n".join(map(describe, collateral))
    # a MUST failing makes the run exit 1; a fault only a SHOULD scenario catches (LCI-01) exits 0
    must = any(s["severity"] == "MUST" for s in caught)
    assert result.exit_code == (1 if must else 0), result.summary()


def test_an_issuer_refusing_every_proof_passes_no_negative_proof_scenario(tmp_path: Path) -> None:
    """Over-strict is not conformant: an issuer that answers invalid_proof to every credential
    request would pass each negative key-proof scenario on its own; the positive control (a whole
    valid issuance in a fresh session) turns them into "cannot be judged", and the positive
    scenarios fail."""
    strict = IssuerFault("refuses-every-proof", {"refuse_all_proofs": True}, keyword=None)
    result = _run(strict, tmp_path)
    negatives = [s for s in result.scenarios if "VCI-16" in s["requirement_ids"]]
    assert negatives and not [s for s in negatives if s["status"] == "passed"], "\n".join(map(describe, negatives))
    assert all(s["status"] == "skipped" and "cannot be judged" in s["reason"] for s in negatives), (
        "\n".join(map(describe, negatives)))
    assert result.with_status("failed"), result.summary()
    assert result.exit_code == 1


def test_a_credential_still_pending_when_lerconf_stops_waiting_is_broken_not_failed(tmp_path: Path) -> None:
    """Deferred issuance that never completes within options.deferred_timeout_s was not observed:
    the scenario is broken (no usable answer in time), never failed nor passed."""
    import yaml
    from faulty_oid4vci import run_lerconf

    slow = IssuerFault("never-ready", {"deferred_ready_after_s": 3600.0}, keyword="deferred")
    with running_issuer(slow, tmp_path / "issuer") as issuer:
        profile = yaml.safe_load(issuer.profile_path.read_text())
        profile["oid4vci_issuer"]["options"]["deferred_timeout_s"] = 1.5
        issuer.profile_path.write_text(yaml.safe_dump(profile))
        result = run_lerconf(issuer, tmp_path / "reports")
    flow = [s for s in result.scenarios if "delivers the badge" in s["name"]]
    assert flow and all(s["status"] == "broken" and "still pending" in s["reason"] for s in flow), (
        "\n".join(map(describe, flow)))


def test_an_issuer_bounding_proof_age_by_its_nonce_is_not_failed_for_an_old_iat(tmp_path: Path) -> None:
    """OID4VCI 1.0 App. F.4 / §13.8: the issuer may bound key-proof freshness by its c_nonce instead
    of iat. Accepting an hour-old iat that carries a c_nonce it issued a moment earlier passes; every
    other scenario is as for the clean issuer (issue 13: this was a false failure)."""
    from faulty_oid4vci.faults import NONCE_BOUNDED_AGE, PROOF

    result = _run(NONCE_BOUNDED_AGE, tmp_path)
    assert not result.with_status(*BAD), "\n".join(map(describe, result.with_status(*BAD)))
    old_iat = next(s for s in result.scenarios if s["name"] == PROOF.format("an iat an hour old"))
    assert old_iat["status"] == "passed", describe(old_iat)
    messages = [c["message"] for c in old_iat["evidence"]["checks"] if c["id"] == "VCI-16"]
    assert any("bounds proof age by its nonce" in m for m in messages), messages
