"""Negatives pass only for the right reason, against real vendors on loopback (faulty.reasons):
a refusal for another reason (401, "unknown options member", another error type) or for none
passes the MUST scenario with a SHOULD finding naming what the vendor said; the reference, which
names the defect's error type, gets no finding; a vendor that accepts a defect fails with the
defect lerconf injected named, and the evidence holds the defective request as a diff.

The vendors of a role share ONE `lerconf run` (a module-scoped run per role: the issuers with
"issuer and NEG", the verifiers with "verifier and NEG"), each on its own loopback server, and each
test judges its vendor's scenarios alone (``RunResult.for_vendor``). The reference (the clean bed)
is in both runs: its issuer negatives in one, its verifier negatives in the other."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from faulty import CLEAN, FAULTS, Fault, RunResult
from faulty.reasons import (
    ISSUER_401,
    ISSUER_NO_REASON,
    ISSUER_REFUSES_ALL,
    ISSUER_REJECTS_ALL,
    ISSUER_UNKNOWN_OPTIONS,
    VERIFIER_NO_REASON,
    VERIFIER_WRONG_TYPE,
)
from faulty.runs import describe, run_vendors

from lerconf.run.console import is_role_not_selected

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_data_env")]

TIME_ZONE = "Issuer refuses validity dates without a time zone"
TAMPERED = "Verifier detects a tampered badge (tampered-claim, eddsa-rdfc-2022)"


SIGNS_ANYTHING = next(f for f in FAULTS if f.name == "issuer-signs-anything")
#: the vendors judged in each role's run
ISSUERS = (CLEAN, ISSUER_401, ISSUER_UNKNOWN_OPTIONS, ISSUER_NO_REASON, SIGNS_ANYTHING, ISSUER_REFUSES_ALL,
           ISSUER_REJECTS_ALL)
VERIFIERS = (CLEAN, VERIFIER_WRONG_TYPE, VERIFIER_NO_REASON)


class SharedRuns:
    """One `lerconf run` per role (its vendors, "ROLE and NEG", --role ROLE), made when a test first asks."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.results: dict[str, RunResult] = {}

    def of(self, role: str) -> RunResult:
        if role not in self.results:
            vendors = {"issuer": ISSUERS, "verifier": VERIFIERS}[role]
            # (no interop scenario is a NEG one; "not interop" keeps it so: several vendors would be paired)
            result = run_vendors(vendors, self.workdir / role, roles=[role], tags=f"{role} and NEG and not interop")
            # every scenario is one vendor's own: none pairs two of them
            assert {s["vendor"] for s in result.scenarios} == {f.vendor_name for f in vendors}, result.summary()
            self.results[role] = result
        return self.results[role]


@pytest.fixture(scope="module")
def shared_runs(tmp_path_factory: pytest.TempPathFactory) -> SharedRuns:
    return SharedRuns(tmp_path_factory.mktemp("refusal-beds"))


def _run(fault: Fault, runs: SharedRuns, role: str) -> RunResult:
    """``fault``'s vendor's scenarios in the shared run of ``role`` (its own role: "ROLE and NEG")."""
    assert fault.role in (role, ""), (fault.name, role)
    result = runs.of(role).for_vendor(fault.vendor_name)
    assert result.scenarios, f"{fault.name} is not in the {role} run"
    return result


def _findings(scenario: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in scenario["evidence"]["checks"] if c["status"] == "warning" and c["details"].get("refusal_reason")]


def _negatives_pass_with_findings(result: RunResult, says: str) -> None:
    assert result.scenarios, result.summary()
    bad = result.with_status("failed", "broken")
    assert not bad, "\n".join(map(describe, bad))
    # a negative the bed does not claim (the ecdsa-sd-2023 ones) is not claimed; every other one ran
    ran = [s for s in result.scenarios if not (s["status"] == "skipped" and s["reason"].startswith("not claimed"))]
    assert len(ran) >= len(result.scenarios) // 2, result.summary()
    for scenario in ran:
        findings = _findings(scenario)
        assert findings, f"no refusal-reason finding: {describe(scenario)}"
        for finding in findings:
            assert finding["severity"] == "SHOULD" and finding["id"] in scenario["requirement_ids"], finding
            assert says in finding["message"], finding["message"]


@pytest.mark.parametrize("fault, says", [
    (ISSUER_401, "rejected for another reason: an authentication or authorization error (HTTP 401"),
    (ISSUER_UNKNOWN_OPTIONS, "rejected for another reason: a complaint about the request's options"),
    (ISSUER_NO_REASON, "rejected without saying why (HTTP 400)"),
], ids=str)
def test_an_issuer_refusing_for_another_reason_passes_with_a_should_finding(fault: Fault, says: str,
                                                                           shared_runs: SharedRuns) -> None:
    result = _run(fault, shared_runs, "issuer")
    _negatives_pass_with_findings(result, says)
    scenario = next(s for s in result.scenarios if s["name"] == TIME_ZONE)
    assert "expected MALFORMED_VALUE_ERROR or PARSING_ERROR" in _findings(scenario)[0]["message"]


@pytest.mark.parametrize("fault, says", [
    (VERIFIER_WRONG_TYPE, "rejected for another reason: HTTP 200: https://www.w3.org/TR/vc-bitstring-status-list/#STATUS_RETRIEVAL_ERROR"),
    (VERIFIER_NO_REASON, "rejected without saying why (HTTP 200)"),
], ids=str)
def test_a_verifier_rejecting_for_another_reason_passes_with_a_should_finding(fault: Fault, says: str,
                                                                              shared_runs: SharedRuns) -> None:
    result = _run(fault, shared_runs, "verifier")
    # where the specs name no error type (expiry, a set status bit) any stated reason will do; and the
    # status list the verifier blames is the right reason where the list is unreachable
    # (a badge revoked on a 1EdTech revocation list included: OB 3.0 names no error type for it either)
    any_reason = {s["name"] for s in result.scenarios if "expired" in s["name"] or "revoked or suspended" in s["name"]
                  or "revoked on its issuer's 1EdTech" in s["name"]}
    right = {"Verifier reports an unreachable status list", *any_reason} if fault is VERIFIER_WRONG_TYPE else set()
    assert TAMPERED in {s["name"] for s in result.scenarios} and len(right) in (0, 8)
    assert right <= {s["name"] for s in result.scenarios}, sorted(right)  # the exempt scenarios did run
    for scenario in (s for s in result.scenarios if s["name"] in right):
        assert scenario["status"] == "passed" and not _findings(scenario), describe(scenario)
    # CLR-10's row asks for a flag (a refusal or a warning), and the faulty verifiers flag with a warning: no refusal
    flagged = {s["name"] for s in result.scenarios if "CLR-10" in s["requirement_ids"]}
    assert len(flagged) == 1 and all(s["status"] == "passed" for s in result.scenarios if s["name"] in flagged)
    result.scenarios = [s for s in result.scenarios if s["name"] not in right | flagged]
    _negatives_pass_with_findings(result, says)


def test_the_reference_naming_the_defect_gets_no_finding(shared_runs: SharedRuns) -> None:
    # "(issuer or verifier) and NEG" over every role: its issuer's in one run, its verifier's in the other
    # (a negative tagged issuer and verifier is the issuer's: --role verifier skips it, the issuer run judges it)
    issuer, verifier = _run(CLEAN, shared_runs, "issuer"), _run(CLEAN, shared_runs, "verifier")
    scenarios = [s for s in (*issuer.scenarios, *verifier.scenarios) if not is_role_not_selected(str(s["reason"] or ""))]
    result = RunResult(max(issuer.exit_code, verifier.exit_code), issuer.run_dir, scenarios, issuer.seconds + verifier.seconds)
    assert result.count("passed") >= 30, result.summary()
    noted = [(s["name"], f["message"]) for s in result.scenarios if s["evidence"] is not None for f in _findings(s)]
    assert all(s["reason"].startswith("not claimed") for s in result.scenarios if s["evidence"] is None)
    assert not noted, noted


def test_an_accepted_defect_fails_naming_it_and_the_evidence_holds_the_diff(shared_runs: SharedRuns) -> None:
    result = _run(SIGNS_ANYTHING, shared_runs, "issuer")
    scenario = next(s for s in result.scenarios if s["name"] == TIME_ZONE)
    assert scenario["status"] == "failed", describe(scenario)
    assert "VCDM-08: validFrom '2026-01-15T09:00:00' has no time zone; the issuer accepted it with 201" in scenario["reason"]
    diff = scenario["evidence"]["documents"]["defective credential in the issue request (diff against the valid one)"]
    assert diff["changes"] == ['/validFrom: "2026-01-15T09:00:00Z" -> "2026-01-15T09:00:00"']
    assert '+  "validFrom": "2026-01-15T09:00:00"' in diff["diff"]


def test_an_issuer_refusing_everything_passes_no_issue_request_negative(shared_runs: SharedRuns) -> None:
    """Its 401 to a defective request is a refusal, but it signs nothing valid either: the positive
    control (the same badge without the defect) gets no usable answer, so every negative is broken
    (an authentication problem to fix), none passed."""
    result = _run(ISSUER_REFUSES_ALL, shared_runs, "issuer")
    assert result.scenarios, result.summary()
    for scenario in result.scenarios:
        assert scenario["status"] == "broken", describe(scenario)
        assert "the valid badge the defective request was made from: auth_error" in scenario["reason"], describe(scenario)


def test_an_issuer_rejecting_everything_cannot_be_judged_on_its_refusals(shared_runs: SharedRuns) -> None:
    """A 400 to the valid counterpart too: the refusal proves nothing, the negatives cannot be judged."""
    result = _run(ISSUER_REJECTS_ALL, shared_runs, "issuer")
    assert result.scenarios, result.summary()
    for scenario in result.scenarios:
        assert scenario["status"] == "skipped", describe(scenario)
        assert scenario["reason"].startswith("cannot be judged:") and "(positive control)" in scenario["reason"], describe(scenario)
