"""A lowered status list minimum (issue 12, point 7) is recorded in results.json, said at the top
of report.html and in its environment section, and stated in the certificate; the spec's
default is recorded but not announced."""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from _report_data import results, scenario, vendor, write_run
from _shared_runs import SharedRun

from conftest import cli_in_process
from lerconf.crypto.keys import generate
from lerconf.reports import write_report
from lerconf.run.cli import main

LOWERED = {"entries": 100_000, "default": 131_072, "lowered": True, "source": "vendor profile acme.yaml"}
DEFAULT = {"entries": 131_072, "default": 131_072, "lowered": False, "source": "Bitstring Status List default"}
SENTENCE = "Status lists: ecosystem minimum 100,000 entries (Bitstring Status List default 131,072) \u2014 set by vendor profile acme.yaml"


def _run(tmp_path: Path, minimum: dict[str, Any] | None) -> Path:
    extra = {"status_list_minimum": minimum} if minimum is not None else {}
    return write_run(tmp_path / "run", results([vendor("acme")], [scenario("ok", "acme")], **extra))


def test_report_announces_a_lowered_minimum(tmp_path: Path) -> None:
    run = _run(tmp_path, LOWERED)
    page = write_report([run]).report.read_text(encoding="utf-8")
    assert 'id="status-list-minimum"' in page
    assert SENTENCE in page
    assert page.count(SENTENCE) == 2  # the banner, and the run's row in the environment section
    assert page.index(SENTENCE) < page.index('id="summary"')


@pytest.mark.parametrize("minimum", [DEFAULT, None], ids=["default recorded", "not recorded (older run)"])
def test_report_is_silent_about_the_default(tmp_path: Path, minimum: dict[str, Any] | None) -> None:
    page = write_report([_run(tmp_path, minimum)]).report.read_text(encoding="utf-8")
    assert "status-list-minimum" not in page and "ecosystem minimum" not in page


@pytest.mark.parametrize(("minimum", "stated"), [(LOWERED, True), (DEFAULT, False)])
def test_certificate_states_a_lowered_minimum(tmp_path: Path, minimum: dict[str, Any], stated: bool) -> None:
    keyfile = tmp_path / "key.json"
    keyfile.write_text(json.dumps({"privateKeyMultibase": generate("Ed25519").to_multikey()}), encoding="utf-8")
    run = _run(tmp_path, minimum)
    cert = json.loads(write_report([run], sign=keyfile).certificate.read_text(encoding="utf-8"))
    [run_entry] = cert["credentialSubject"]["run"]
    if stated:
        assert run_entry["statusListMinimumEntries"] == 100_000
        assert run_entry["statusListMinimumSource"] == "vendor profile acme.yaml"
    else:
        assert "statusListMinimumEntries" not in run_entry
    assert main(["verify", str(run / "certificate.json")]) == 0  # its terms are defined: it still verifies


# -- a real `lerconf run`: the plugin records the setting, the report shows it -----------------------
def _real_run(out: Path, *args: str) -> tuple[dict[str, Any], str]:
    proc = cli_in_process("run", "--out", str(out), *args, env={"CI": "1"})
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    [run_dir] = [d for d in out.iterdir() if d.is_dir() and not d.is_symlink()]
    return (json.loads((run_dir / "results.json").read_text(encoding="utf-8")),
            (run_dir / "report.html").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_run_records_the_command_line_minimum(tmp_path: Path) -> None:
    data, page = _real_run(tmp_path, "-k", "verifies_a_valid_badge", "--status-list-minimum", "100000")
    assert data["run"]["status_list_minimum"] == {"entries": 100_000, "default": 131_072, "lowered": True,
                                                  "source": "--status-list-minimum"}
    assert data["scenarios"] and all(s["status"] == "passed" for s in data["scenarios"])
    schema = json.loads(resources.files("lerconf.data").joinpath("results.schema.json").read_text("utf-8"))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == []
    bad = {**data, "run": {**data["run"], "status_list_minimum": {**LOWERED, "entries": 200_000}}}
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(bad))  # the schema bounds it too
    assert "ecosystem minimum 100,000 entries (Bitstring Status List default 131,072) \u2014 set by --status-list-minimum" in page


@pytest.mark.slow
def test_run_records_a_profiles_minimum_and_the_default(tmp_path: Path, small_reference_run: SharedRun) -> None:
    profile = tmp_path / "acme.yaml"
    profile.write_text("name: acme\nholder:\n  present_url: https://holder.acme.example/presentations\n"
                       "status_lists:\n  minimum_entries: 100000\n", encoding="utf-8")
    # the interop scenarios need two vendors: skipped as not claimed, no call leaves the machine
    data, page = _real_run(tmp_path / "p", "--vendor", str(profile), "--tags", "interop", "--no-preflight")
    assert data["run"]["status_list_minimum"] == LOWERED
    assert data["vendors"][0]["status_lists"] == {"minimum_entries": 100_000}
    assert SENTENCE in page
    # the default: the session's shared small run against the embedded reference (no profile, no
    # --status-list-minimum; tests/conftest.py), as any run without a setting would record it
    assert small_reference_run.returncode == 0, small_reference_run.stdout[-2000:] + small_reference_run.stderr[-2000:]
    run_dir = small_reference_run.run_dir
    data = json.loads((run_dir / "results.json").read_text(encoding="utf-8"))
    page = (run_dir / "report.html").read_text(encoding="utf-8")
    assert data["run"]["status_list_minimum"] == DEFAULT
    assert "ecosystem minimum" not in page
