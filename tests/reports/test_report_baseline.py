"""Baseline diff: regressions, fixed and known failures, from results.json or expected-failures files."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from _report_data import results, scenario, vendor, write_run

from lerconf.errors import LerconfError
from lerconf.reports.baseline import diff, load_baseline
from lerconf.reports.model import build
from lerconf.run.cli import main


def _current(tmp_path: Path) -> Path:
    return write_run(tmp_path / "now", results([vendor("A")], [
        scenario("still broken", "A", status="failed", reason="still"),
        scenario("newly broken", "A", status="broken", reason="HTTP 503"),
        scenario("now fixed", "A"),
        scenario("should regress", "A", severity="SHOULD", req="OB-05", status="failed"),
        scenario("not claimed now", "A", status="skipped"),
    ]))


def _earlier(tmp_path: Path) -> Path:
    return write_run(tmp_path / "before", results([vendor("A")], [
        scenario("still broken", "A", status="failed"), scenario("newly broken", "A"),
        scenario("now fixed", "A", status="broken"), scenario("should regress", "A"),
        scenario("not claimed now", "A", status="failed"),
    ], id="before"))


def test_diff_against_earlier_results_json(tmp_path: Path) -> None:
    data = build([_current(tmp_path)])
    d = diff(data.scenarios, load_baseline(_earlier(tmp_path) / "results.json"))
    assert sorted(s.name for s in d.regressions) == ["newly broken", "should regress"]
    assert [s.name for _, s in d.fixed] == ["now fixed"]
    assert [s.name for _, s in d.known] == ["still broken"]
    assert [k.id for k in d.not_run] == ["issuer/test.feature::not claimed now::A"]
    assert d.exit_code == 1
    assert d.mark(data.scenarios[1]) == "new" and d.mark(data.scenarios[0]) == "known"


def test_only_should_regressions_do_not_fail(tmp_path: Path) -> None:
    run = write_run(tmp_path / "r", results([vendor("A")], [scenario("s", "A", severity="SHOULD", status="failed")]))
    empty = tmp_path / "none.yaml"
    empty.write_text("[]\n", encoding="utf-8")
    d = diff(build([run]).scenarios, load_baseline(empty))
    assert len(d.regressions) == 1 and d.exit_code == 0


def test_expected_failures_yaml_with_and_without_vendor(tmp_path: Path) -> None:
    run = write_run(tmp_path / "r", results([vendor("A"), vendor("B")], [
        scenario("x", "A", status="failed"), scenario("x", "B", status="failed"), scenario("y", "A", status="failed")]))
    base = tmp_path / "expected.yaml"
    base.write_text("- id: 'issuer/test.feature::x'\n  reason: vendor bug 42\n  link: https://tracker.example/42\n"
                    "- id: 'issuer/test.feature::y::A'\n", encoding="utf-8")
    d = diff(build([run]).scenarios, load_baseline(base))
    assert d.regressions == [] and d.exit_code == 0
    assert {(k.reason, s.vendor) for k, s in d.known} == {("vendor bug 42", "A"), ("vendor bug 42", "B"), ("", "A")}
    assert d.known[0][0].link == "https://tracker.example/42"


def test_expected_failures_json_object_form(tmp_path: Path) -> None:
    base = tmp_path / "expected.json"
    base.write_text(json.dumps({"expected_failures": [{"id": "a::b::c", "reason": "r"}]}), encoding="utf-8")
    assert list(load_baseline(base).known) == ["a::b::c"]


@pytest.mark.parametrize("text", ["{not yaml: [", "just a string", "- {reason: no id}"])
def test_malformed_baseline_is_a_setup_error(tmp_path: Path, text: str) -> None:
    base = tmp_path / "bad.yaml"
    base.write_text(text, encoding="utf-8")
    with pytest.raises(LerconfError):
        load_baseline(base)


def test_missing_baseline_is_a_setup_error(tmp_path: Path) -> None:
    with pytest.raises(LerconfError, match="baseline"):
        load_baseline(tmp_path / "nope.json")


def test_cli_report_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    now, before = _current(tmp_path), _earlier(tmp_path)
    assert main(["report", str(now)]) == 1  # MUST failures, no baseline
    assert (now / "report.html").is_file()
    assert main(["report", str(now), "--baseline", str(before / "results.json"), "--out", str(tmp_path / "o")]) == 1
    out = capsys.readouterr().out
    assert "2 new failure(s), 1 fixed, 1 known failure(s)" in out
    html = (tmp_path / "o" / "report.html").read_text(encoding="utf-8")
    assert "New failures (regressions) (2)" in html and "Fixed since the baseline (1)" in html
    accept = tmp_path / "accept.yaml"
    accept.write_text("- id: 'issuer/test.feature::newly broken'\n- id: 'issuer/test.feature::still broken::A'\n",
                      encoding="utf-8")
    assert main(["report", str(now), "--baseline", str(accept)]) == 0  # only MUST regressions fail
    assert main(["report", str(now), "--baseline", str(tmp_path / "missing.yaml")]) == 2


def test_vendorless_id_matches_ids_with_example_rows_and_variants(tmp_path: Path) -> None:
    run = write_run(tmp_path / "r", results([vendor("A"), vendor("B")], [
        scenario("x", "A", example={"mutator": "m"}, status="failed"),
        scenario("i", "A → B", role="interop", status="failed",
                 interop={"kind": "credential", "issuer": "A", "verifier": "B", "securing": "s", "vc_version": "2.0"})]))
    scenarios = build([run]).scenarios
    assert [s.key for s in scenarios] == ["issuer/test.feature::x::mutator=m", "interop/test.feature::i::s/VC 2.0"]
    base = tmp_path / "b.yaml"
    base.write_text("- id: 'issuer/test.feature::x::mutator=m'\n- id: 'interop/test.feature::i::s/VC 2.0'\n", "utf-8")
    assert diff(scenarios, load_baseline(base)).regressions == []
