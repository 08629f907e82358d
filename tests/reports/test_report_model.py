"""Aggregation: counts, pass rates, verdicts, at-risk requirements, several runs, killed runs."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from _report_data import results, scenario, three_vendors, vendor, write_run

from lerconf.errors import LerconfError
from lerconf.reports.model import Counts, build, cell_status


def _summary(data, vendor_name, role):
    return next(s for s in data.summaries() if s.vendor == vendor_name and s.role == role)


def test_counts_rate_ignores_not_claimed() -> None:
    c = Counts(passed=3, failed=1, skipped=5)
    assert c.ran == 4 and c.total == 9 and c.rate == 0.75
    assert Counts(skipped=2).rate is None


@pytest.mark.parametrize(("statuses", "expected"), [
    (["passed", "failed", "broken"], "failed"), (["passed", "broken"], "broken"),
    (["skipped", "passed"], "passed"), (["skipped"], "skipped"), ([], ""),
])
def test_cell_status_precedence(statuses: list[str], expected: str) -> None:
    assert cell_status(statuses) == expected


def test_three_vendor_summaries_and_verdicts(tmp_path: Path) -> None:
    data = build([write_run(tmp_path / "r", three_vendors())])
    assert data.vendor_names == ["Acme", "Beta", "Gamma"]  # interop labels are not vendors
    acme = _summary(data, "Acme", "issuer")
    assert (acme.must.passed, acme.must.rate, acme.should.rate, acme.verdict) == (3, 1.0, 1.0, "conformant")
    beta = _summary(data, "Beta", "issuer")
    assert beta.verdict == "not conformant" and beta.must.failed == 1 and round(beta.must.rate, 3) == 0.667
    beta_v = _summary(data, "Beta", "verifier")
    assert beta_v.verdict == "incomplete" and beta_v.must.broken == 1
    gamma = _summary(data, "Gamma", "verifier")
    assert (gamma.counts.passed, gamma.counts.skipped, gamma.must.rate, gamma.verdict) == (2, 1, 1.0, "conformant")
    assert all(s.role != "interop" for s in data.summaries())


def test_should_failure_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    data = build([write_run(tmp_path / "r", results([vendor("A")], [
        scenario("a", "A"), scenario("b", "A", req="OB-05", severity="SHOULD", status="failed")]))])
    summary = _summary(data, "A", "issuer")
    assert summary.verdict == "conformant with warnings"
    assert data.must_failures() == []


def test_only_skipped_is_not_claimed(tmp_path: Path) -> None:
    data = build([write_run(tmp_path / "r", results([vendor("A")], [scenario("a", "A", status="skipped")]))])
    assert _summary(data, "A", "issuer").verdict == "not claimed"


def test_at_risk_lists_requirements_fewer_than_two_vendors_pass(tmp_path: Path) -> None:
    data = build([write_run(tmp_path / "r", three_vendors())])
    risky = dict(data.at_risk())
    assert list(risky) == ["VCDM-06"]
    assert risky["VCDM-06"] == {"Acme": "passed", "Beta": "failed", "Gamma": ""}


def test_at_risk_needs_two_vendors(tmp_path: Path) -> None:
    data = build([write_run(tmp_path / "r", results([vendor("A")], [scenario("a", "A", status="failed")]))])
    assert data.at_risk() == []


def test_several_runs_side_by_side_rename_a_vendor_seen_twice(tmp_path: Path) -> None:
    one = write_run(tmp_path / "one", results([vendor("A")], [scenario("a", "A")], id="run-1"))
    two = write_run(tmp_path / "two", results([vendor("A"), vendor("B")], [scenario("a", "A", status="failed"),
                                                                         scenario("a", "B")], id="run-2"))
    data = build([one, two])
    assert data.vendor_names == ["A [run-1]", "A [run-2]", "B"]
    assert {s.vendor for s in data.scenarios} == {"A [run-1]", "A [run-2]", "B"}
    assert _summary(data, "A [run-2]", "issuer").verdict == "not conformant"
    assert [s.source_id for s in data.scenarios if s.vendor == "B"] == ["issuer/test.feature::a::B"]


def test_partial_run_recovers_from_results_jsonl(tmp_path: Path) -> None:
    """A run killed mid-write: results.json is cut, results.jsonl holds the finished scenarios."""
    run = tmp_path / "killed"
    run.mkdir()
    full = results([vendor("A")], [scenario("a", "A"), scenario("b", "A", status="failed")], complete=False, finished=None)
    (run / "results.json").write_text(json.dumps(full)[:150], encoding="utf-8")  # cut by the kill
    lines = [json.dumps(s) for s in full["scenarios"]]
    (run / "results.jsonl").write_text("\n".join(lines) + '\n{"id": "cut', encoding="utf-8")
    data = build([run])
    assert [s.status for s in data.scenarios] == ["passed", "failed"]
    assert data.complete is False
    assert data.vendor_names == ["A"]  # recovered from the scenarios when the header is lost
    assert _summary(data, "A", "issuer").verdict == "not conformant"


def test_partial_run_verdict_is_incomplete_not_conformant(tmp_path: Path) -> None:
    data = build([write_run(tmp_path / "r", results([vendor("A")], [scenario("a", "A")], complete=False))])
    assert _summary(data, "A", "issuer").verdict == "incomplete"


def test_unknown_status_counts_as_broken(tmp_path: Path) -> None:
    raw = scenario("a", "A")
    raw["status"] = "weird"
    data = build([write_run(tmp_path / "r", results([vendor("A")], [raw]))])
    assert data.scenarios[0].status == "broken"


def test_missing_run_directory_is_a_setup_error(tmp_path: Path) -> None:
    with pytest.raises(LerconfError, match="no results.json"):
        build([tmp_path / "nothing"])


def test_environment_properties_are_read(tmp_path: Path) -> None:
    run = write_run(tmp_path / "r", results([vendor("A")], [scenario("a", "A")]))
    (run / "allure-results").mkdir()
    (run / "allure-results" / "environment.properties").write_text("context.v2=59955ced6697d61e\n# c\n", "utf-8")
    data = build([run])
    assert data.runs[0].properties == {"context.v2": "59955ced6697d61e"}
    assert len(data.runs[0].results_sha256) == 64


def test_draft_only_results_are_their_own_row_and_never_plain_conformant(tmp_path: Path) -> None:
    """A vendor passing OID4VCI draft 13 is 'draft-only: conformant', beside (not inside) its final-spec row."""
    data = build([write_run(tmp_path / "r", results([vendor("A", roles=())], [
        scenario("final", "A", role="oid4vci_issuer", req="VCI-01"),
        scenario("draft", "A", role="oid4vci_issuer", req="VCI-02", spec_mode="draft-only: OID4VCI draft 13"),
        scenario("draft failing", "A", role="oid4vp_verifier", req="VP-01", status="failed",
                 spec_mode="draft-only: OID4VP pre-final draft")]))])
    rows = {(s.role, s.draft_only): s for s in data.summaries()}
    assert rows[("oid4vci_issuer", False)].verdict == "conformant"
    assert rows[("oid4vci_issuer", False)].counts.passed == 1
    draft = rows[("oid4vci_issuer", True)]
    assert (draft.label, draft.verdict, draft.counts.passed) == (
        "oid4vci_issuer (draft-only)", "draft-only: conformant", 1)
    assert rows[("oid4vp_verifier", True)].verdict == "draft-only: not conformant"
    scenario_modes = {s.name: s.spec_mode for s in data.scenarios}
    assert scenario_modes == {"final": "", "draft": "draft-only: OID4VCI draft 13",
                              "draft failing": "draft-only: OID4VP pre-final draft"}
