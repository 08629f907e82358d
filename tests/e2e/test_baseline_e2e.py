"""Baselines end to end: `lerconf run` through the CLI's entry point (its console, exit code and run
directory, as on the shell; in this process: tests/e2e/test_ci_console.py runs the installed command)
against a vendor whose issuer answers 200 instead of 201 (API-01 fails in the six "returns 201"
scenarios), limited with -k and --role.

Requirement + vendor entries make those failures KNOWN (with their reason in JUnit), a stale entry
is exit 2 naming it, an entry the selection left out is not an error, results.json carries the
digests and passes its schema, and a baseline made under another strength and text of API-01 names
that change instead of reporting regressions (tools/compare_results.py too).
"""
from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from faulty import FAULTS, running_vendor
from faulty.server import FaultyVendor

from conftest import Ran, cli_in_process, shared_env

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
KEYWORD = "returns_201"


@pytest.fixture(scope="module")
def vendor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FaultyVendor]:
    fault = next(f for f in FAULTS if f.name == "issuer-answers-200")
    with pytest.MonkeyPatch.context() as patch:
        for name, value in shared_env().items():
            patch.setenv(name, value)
        with running_vendor(fault, tmp_path_factory.mktemp("vendor")) as served:
            yield served


def _lerconf(vendor: FaultyVendor, out: Path, *args: str) -> tuple[Ran, Path]:
    ran = cli_in_process("run", "--vendor", str(vendor.profile_path), "--url-map", str(vendor.url_map_path),
                         "--role", "issuer", "--out", str(out), "-k", KEYWORD, *args,
                         env={"NO_COLOR": "1"}, unset=("GITHUB_ACTIONS", "CI"), cwd=REPO)
    runs = sorted(p for p in out.iterdir() if p.is_dir() and p.name != "latest") if out.is_dir() else []
    return ran, (runs[-1] if runs else out)


@pytest.fixture(scope="module")
def first(vendor: FaultyVendor, tmp_path_factory: pytest.TempPathFactory) -> Path:
    proc, run_dir = _lerconf(vendor, tmp_path_factory.mktemp("first"))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    return run_dir


def _results(run_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((run_dir / "results.json").read_text(encoding="utf-8"))
    return data


def test_results_json_has_the_digests_and_passes_its_schema(first: Path) -> None:
    data = _results(first)
    schema = json.loads(resources.files("lerconf.data").joinpath("results.schema.json").read_text("utf-8"))
    jsonschema.validate(data, schema)
    digests = data["run"]["digests"]
    assert digests["requirement"]["API-01"]["strength"] == "MUST" and len(digests["requirement"]) > 200
    failed = [s for s in data["scenarios"] if s["status"] == "failed"]
    assert len(failed) == 6
    for s in failed:
        key = s["id"].rsplit("::", 1)[0]  # the id without the vendor
        assert digests["scenario"][key]["requirement_ids"] == s["requirement_ids"] == ["API-01"]
    assert len(digests["scenario"]) > len(data["scenarios"]), "every shipped scenario, not only the selected"
    assert data["run"]["selection"] == {"keyword": KEYWORD, "tags": "", "roles": ["issuer"]}
    assert digests["ran"] != digests["features"]


def test_requirement_vendor_entries_make_failures_known(vendor: FaultyVendor, tmp_path: Path) -> None:
    base = tmp_path / "expected.yaml"
    base.write_text(f"expected_failures:\n  - requirement: API-01\n    vendor: {vendor.fault.vendor_name}\n"
                    "    role: issuer\n    reason: tracked in ACME-42\n", encoding="utf-8")
    proc, run_dir = _lerconf(vendor, tmp_path / "out", "--baseline", str(base))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("KNOWN") >= 6 and "0 new failure(s)" in proc.stdout
    skipped = list(ET.parse(run_dir / "junit.xml").getroot().iter("skipped"))
    assert len(skipped) == 6 and all("tracked in ACME-42" in (k.get("message") or "") for k in skipped)


def test_a_stale_entry_is_an_error_naming_it_and_a_deselected_one_is_not(vendor: FaultyVendor, tmp_path: Path) -> None:
    name = vendor.fault.vendor_name
    base = tmp_path / "expected.yaml"
    base.write_text(f"- {{requirement: API-01, vendor: '{name}', reason: tracked in ACME-42}}\n"
                    f"- {{requirement: OB-04, vendor: '{name}'}}\n"  # a scenario -k left out
                    f"- {{requirement: DI-15, vendor: '{name}', role: verifier}}\n"  # a role --role left out
                    "- {requirement: API-01, vendor: Nobody Inc}\n", encoding="utf-8")
    proc, run_dir = _lerconf(vendor, tmp_path / "out", "--baseline", str(base))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "stale baseline entry" in proc.stderr and "entry 4 (line 4): requirement: API-01, vendor: Nobody Inc" in proc.stderr
    assert proc.stderr.count("stale baseline entry") == 1, proc.stderr
    assert "2 baseline entries not in this run's selection" in proc.stdout, proc.stdout
    assert (run_dir / "report.html").is_file(), "the run still writes its report"
    assert "Stale baseline entries" in (run_dir / "report.html").read_text(encoding="utf-8")


def test_a_schema_error_stops_the_run_before_it_starts(vendor: FaultyVendor, tmp_path: Path) -> None:
    base = tmp_path / "expected.yaml"
    base.write_text("- id: VCDM-08\n", encoding="utf-8")
    proc, _ = _lerconf(vendor, tmp_path / "out", "--baseline", str(base))
    assert proc.returncode == 2 and "line 1, entry 1" in proc.stderr and "requirement: VCDM-08" in proc.stderr, proc.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").glob("2*")), "no run directory"


def _edited_baseline(first: Path, target: Path) -> Path:
    """A copy of the first run made under another API-01 (SHOULD, other text), where it passed."""
    data = _results(first)
    digests = data["run"]["digests"]
    digests["requirement"]["API-01"] = {"strength": "SHOULD", "text": "0" * 16}
    digests["requirements"] = "0" * 64
    for s in data["scenarios"]:
        if "API-01" in s["requirement_ids"]:
            s["status"], s["reason"] = "passed", ""
    target.mkdir(parents=True)
    (target / "results.json").write_text(json.dumps(data), encoding="utf-8")
    return target / "results.json"


def test_a_baseline_under_another_requirement_names_the_change(vendor: FaultyVendor, first: Path, tmp_path: Path) -> None:
    edited = _edited_baseline(first, tmp_path / "before")
    proc, run_dir = _lerconf(vendor, tmp_path / "out", "--baseline", str(edited))
    out = proc.stdout
    assert proc.returncode == 0, out + proc.stderr
    assert "requirement strength changed (1): API-01 SHOULD -> MUST" in out and "requirements reworded (1): API-01" in out
    assert out.count("CHANGED FAILED") == 6 and "0 new failure(s)" in out, out
    assert "[new]" not in out, "nor marked new as each scenario finishes"
    root = ET.parse(run_dir / "junit.xml").getroot()
    assert (root.get("failures"), root.get("errors")) == ("0", "0"), "JUnit agrees with exit code 0"
    assert [k.get("message", "")[:33] for k in root.iter("skipped")] == ["changed since the baseline (requi"] * 6
    # the control: the same baseline without its digests reports the six as regressions
    data = json.loads(edited.read_text(encoding="utf-8"))
    del data["run"]["digests"]
    edited.write_text(json.dumps(data), encoding="utf-8")
    proc, _ = _lerconf(vendor, tmp_path / "out2", "--baseline", str(edited))
    assert proc.returncode == 1 and "6 new failure(s)" in proc.stdout, proc.stdout


def test_compare_results_names_the_changed_requirement(first: Path, tmp_path: Path) -> None:
    edited = _edited_baseline(first, tmp_path / "before")
    proc = subprocess.run([sys.executable, str(REPO / "tools" / "compare_results.py"), str(edited), str(first)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 1
    assert "requirement strength changed (1): API-01 SHOULD -> MUST" in proc.stdout, proc.stdout
    assert proc.stdout.count("[changed under: requirement API-01 strength SHOULD -> MUST, requirement API-01 reworded") == 6
    assert "6 of these explained" in proc.stdout
