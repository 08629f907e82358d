"""Expected-failures files: the shipped JSON Schema, its errors (file, line, entry), requirement
entries, stale and deselected entries, and digests that explain a difference instead of a regression."""
from __future__ import annotations

import copy
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from _report_data import results, scenario, vendor, write_run

from lerconf.errors import LerconfError
from lerconf.reports.baseline import diff, load_baseline
from lerconf.reports.digests import compare, record
from lerconf.reports.model import build

README = Path(__file__).resolve().parents[2] / "README.md"


def _load(tmp_path: Path, text: str, name: str = "expected.yaml") -> Any:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_baseline(path)


def test_the_schema_is_valid_and_the_readme_example_passes_it() -> None:
    schema = json.loads(resources.files("lerconf.data").joinpath("baseline.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    section = README.read_text(encoding="utf-8").split("### Baselines (expected failures)", 1)[1]
    example = yaml.safe_load(re.search(r"```yaml\n(.*?)```", section, re.S).group(1))  # type: ignore[union-attr]
    jsonschema.validate(example, schema)
    assert {e.get("requirement") for e in example["expected_failures"]} >= {"VCDM-08", "API-01"}


def test_a_wrong_key_names_file_line_entry_and_key(tmp_path: Path) -> None:
    with pytest.raises(LerconfError) as info:
        _load(tmp_path, "expected_failures:\n  - id: 'issuer/x.feature::y'\n  - idd: 'issuer/x.feature::z'\n    reason: r\n")
    message = str(info.value)
    assert f"{tmp_path / 'expected.yaml'}: line 3, entry 2" in message, message
    assert "'idd' was unexpected" in message and "baseline.schema.json" in message


def test_a_requirement_entry_without_vendor_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(LerconfError, match=r"line 1, entry 1, \[0\]: 'vendor' is a required property"):
        _load(tmp_path, "- requirement: API-01\n  reason: tracked in ACME-42\n")


def test_the_natural_guess_id_requirement_says_how_to_write_it(tmp_path: Path) -> None:
    with pytest.raises(LerconfError, match="VCDM-08 is a requirement id: write `requirement: VCDM-08` with `vendor: NAME`"):
        _load(tmp_path, "- id: VCDM-08\n")


def test_an_unknown_requirement_or_role_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(LerconfError, match="entry 1 .*unknown requirement id 'API-999'"):
        _load(tmp_path, "- {requirement: API-999, vendor: A}\n")
    with pytest.raises(LerconfError, match="role"):
        _load(tmp_path, "- {requirement: API-01, vendor: A, role: issuers}\n")


def test_json_errors_name_the_line_too(tmp_path: Path) -> None:
    text = json.dumps({"expected_failures": [{"requirement": "API-01", "vendor": "A"}, {"requirement": "API-01"}]}, indent=1)
    with pytest.raises(LerconfError, match=r"expected\.json: line \d+, entry 2"):
        _load(tmp_path, text, "expected.json")


def _run(tmp_path: Path, selection: dict[str, Any] | None = None, digests: dict[str, Any] | None = None) -> Path:
    scenarios = [scenario("Issuer returns 201", "Acme", req="API-01", status="failed"),
                 scenario("Issuer returns 201", "Beta", req="API-01"),
                 scenario("Verifier says why", "Acme", role="verifier", req="API-12", status="skipped",
                          reason="role verifier not selected")]
    run: dict[str, Any] = {}
    if selection is not None:
        run["selection"] = selection
    if digests is not None:
        run["digests"] = digests
    return write_run(tmp_path / "now", results([vendor("Acme"), vendor("Beta")], scenarios, **run))


def _digests(**scenario_requirements: list[str]) -> dict[str, Any]:
    return record({f"{k.split('__')[0]}/test.feature::{k.split('__')[1].replace('_', ' ')}":
                   {"digest": "0" * 16, "requirement_ids": v, "role": k.split("__")[0]}
                   for k, v in scenario_requirements.items()},
                  [])


def test_requirement_and_vendor_entries_match_and_stale_ones_are_named(tmp_path: Path) -> None:
    run = _run(tmp_path, selection={"keyword": "", "tags": "", "roles": ["issuer"]})
    base = _load(tmp_path, "- requirement: API-01\n  vendor: Acme\n  reason: tracked in ACME-42\n"
                           "- {requirement: API-01, vendor: Nobody Inc}\n"
                           "- {requirement: API-12, vendor: Acme, role: verifier}\n"
                           "- {requirement: API-01, vendor: Acme, scenario: 'no such name'}\n")
    d = diff(build([run]).scenarios, base, build([run]).runs)
    assert [(k.reason, s.vendor) for k, s in d.known] == [("tracked in ACME-42", "Acme")]
    assert d.regressions == []
    assert [k.vendor for k in d.not_selected] == ["Acme"], "its only scenario's role was not selected"
    assert [k.label for k in d.stale] == ["entry 2 (line 4): requirement: API-01, vendor: Nobody Inc",
                                          "entry 4 (line 6): requirement: API-01, vendor: Acme, scenario: no such name"]
    assert d.exit_code == 2
    assert any("stale baseline entry" in m and "vendor: Nobody Inc" in m for m in d.stale_messages())


def test_an_entry_a_keyword_selection_left_out_is_not_stale(tmp_path: Path) -> None:
    digests = _digests(issuer__Issuer_returns_201=["API-01"], issuer__Issuer_states_validFrom=["OB-04"])
    entry = "- {requirement: OB-04, vendor: Acme}\n- {id: 'issuer/test.feature::Issuer states validFrom::Acme'}\n"
    selected = _run(tmp_path, selection={"keyword": "returns", "tags": "", "roles": []}, digests=digests)
    d = diff(build([selected]).scenarios, _load(tmp_path, entry), build([selected]).runs)
    assert len(d.not_selected) == 2 and d.stale == [] and d.exit_code == 1  # Acme's API-01 failure is new
    everything = _run(tmp_path / "all", selection={"keyword": "", "tags": "", "roles": []}, digests=digests)
    d = diff(build([everything]).scenarios, _load(tmp_path, entry), build([everything]).runs)
    assert len(d.stale) == 2 and d.exit_code == 2, "without a selection, the same entries match nothing"


def test_a_changed_requirement_is_named_not_reported_as_a_regression(tmp_path: Path) -> None:
    now = record({"issuer/test.feature::Issuer returns 201": {"digest": "1" * 16, "requirement_ids": ["API-01"],
                                                              "role": "issuer"}}, ["issuer/test.feature::Issuer returns 201"])
    run = _run(tmp_path, selection={"keyword": "", "tags": "", "roles": ["issuer"]}, digests=now)
    before = copy.deepcopy(now)
    before["requirement"]["API-01"] = {"strength": "SHOULD", "text": "0" * 16}
    before["requirements"] = "0" * 64
    earlier = results([vendor("Acme"), vendor("Beta")], [scenario("Issuer returns 201", "Acme", req="API-01")],
                      digests=before)
    base_dir = write_run(tmp_path / "before", earlier)
    d = diff(build([run]).scenarios, load_baseline(base_dir), build([run]).runs)
    assert d.regressions == [] and d.exit_code == 0
    assert [(why, s.vendor) for why, s in d.changed] == [
        ("requirement API-01 strength SHOULD -> MUST, requirement API-01 reworded since the baseline", "Acme")]
    assert d.digest_changes is not None and d.digest_changes.lines() == [
        "requirements reworded (1): API-01", "requirement strength changed (1): API-01 SHOULD -> MUST"]
    # the same baseline without digests: a plain regression (the check above can fail)
    del earlier["run"]["digests"]
    write_run(base_dir, earlier)
    d = diff(build([run]).scenarios, load_baseline(base_dir), build([run]).runs)
    assert [s.vendor for s in d.regressions] == ["Acme"] and d.exit_code == 1


def test_compare_names_added_removed_and_changed_scenarios() -> None:
    a = record({"f::one": {"digest": "1" * 16, "requirement_ids": [], "role": ""},
                "f::two": {"digest": "2" * 16, "requirement_ids": [], "role": ""}}, [])
    b = record({"f::two": {"digest": "3" * 16, "requirement_ids": [], "role": ""},
                "f::three": {"digest": "4" * 16, "requirement_ids": [], "role": ""}}, [])
    changes = compare(a, b)
    assert changes is not None
    assert (changes.scenarios_added, changes.scenarios_removed, changes.scenarios_changed) == (["f::three"], ["f::one"], ["f::two"])
    assert changes.requirements_reworded == [] and not compare(a, a)
    assert compare(None, b) is None


@pytest.mark.usefixtures("shared_data_env")
def test_the_certificate_carries_the_run_digests_and_still_verifies(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from lerconf.run.cli import main

    digests = _digests(issuer__Issuer_returns_201=["API-01"])
    run = _run(tmp_path, selection={"keyword": "", "tags": "", "roles": []}, digests=digests)
    key = tmp_path / "key.json"
    assert main(["keygen", "--out", str(key)]) == 0
    main(["report", str(run), "--sign", str(key)])
    certificate = json.loads((run / "certificate.json").read_text(encoding="utf-8"))
    [entry] = certificate["credentialSubject"]["run"]
    assert (entry["requirementsDigest"], entry["featuresDigest"], entry["scenariosRunDigest"]) == (
        digests["requirements"], digests["features"], digests["ran"])
    capsys.readouterr()
    assert main(["verify", str(run / "certificate.json"), "--check-digests", str(run)]) == 0, capsys.readouterr().out
