"""A real `lerconf run` (a small selection against the embedded reference, made once per session and
shared: tests/_shared_runs.py): its results.json fits
the published schema, its Allure results carry lerconf's labels, and it ends with a report.
"""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from _report_data import three_vendors
from _shared_runs import SharedRun

from lerconf.reports.model import build

pytestmark = pytest.mark.slow


def _schema() -> dict[str, Any]:
    return json.loads(resources.files("lerconf.data").joinpath("results.schema.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def run_dir(small_reference_run: SharedRun) -> Path:
    """The session's shared small run (tests/conftest.py, read-only): `-k SMALL_SELECTION`, CI=1."""
    proc = small_reference_run
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    dirs = [d for d in proc.out.iterdir() if d.is_dir() and not d.is_symlink()]
    assert len(dirs) == 1
    return dirs[0]


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(_schema())


def test_real_results_json_fits_the_schema(run_dir: Path) -> None:
    data = json.loads((run_dir / "results.json").read_text(encoding="utf-8"))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in jsonschema.Draft202012Validator(_schema()).iter_errors(data)]
    assert errors == []
    assert {s["role"] for s in data["scenarios"]} >= {"issuer", "verifier", "holder", "lifecycle"}


def test_hand_made_results_fit_the_schema_and_bad_ones_do_not() -> None:
    validator = jsonschema.Draft202012Validator(_schema())
    data = three_vendors()
    assert list(validator.iter_errors(data)) == []
    data["scenarios"][0]["status"] = "green"
    del data["scenarios"][1]["evidence"]
    assert len(list(validator.iter_errors(data))) == 2


def test_run_ends_with_a_report(run_dir: Path) -> None:
    html = (run_dir / "report.html").read_text(encoding="utf-8")
    assert "lerconf reference implementation" in html and 'id="interop"' in html
    data = build([run_dir])
    assert {s.verdict for s in data.summaries()} == {"conformant"}
    assert data.runs[0].properties.get("context.v2")  # context digests from environment.properties


def test_allure_results_carry_suites_severity_links_and_a_stable_id(run_dir: Path) -> None:
    results = json.loads((run_dir / "results.json").read_text(encoding="utf-8"))
    by_name = {s["name"]: s for s in results["scenarios"]}
    files = list((run_dir / "allure-results").glob("*-result.json"))
    assert len(files) == len(results["scenarios"])
    import hashlib

    for path in files:
        r = json.loads(path.read_text(encoding="utf-8"))
        labels = {(label["name"], label["value"]) for label in r["labels"]}
        names = {n for n, _ in labels}
        scenario = by_name[r["name"]]
        assert ("parentSuite", scenario["vendor"]) in labels
        assert ("suite", scenario["role"]) in labels
        assert ("subSuite", scenario["feature"]) in labels
        assert ("severity", "critical") in labels  # every selected scenario is MUST
        assert {"parentSuite", "suite", "subSuite", "severity", "as_id"} <= names
        assert {link["url"] for link in r["links"]} and all(link["url"].startswith("https://") for link in r["links"])
        assert any(link["name"].startswith(scenario["requirement_ids"][0]) for link in r["links"])
        key = "::".join([scenario["feature_file"], scenario["name"], *(f"{k}={v}" for k, v in scenario["example"].items())])
        assert scenario["id"] == f"{key}::{scenario['vendor']}"  # results.json's id is this key plus the vendor
        assert r["testCaseId"] == hashlib.md5(key.encode()).hexdigest()
        assert r["historyId"].startswith(r["testCaseId"] + ".")
