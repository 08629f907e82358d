"""Ecosystem profile results (lerconf/data/ecosystems/) are reported apart from specification
conformance, as draft-only results are: their own summary row ("conforms to LMC vcalm-eddsa 0.1: no"),
their own JUnit suite and certificate role result, and never in the vendor's spec pass rate."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from _report_data import results, scenario, vendor, write_run

from lerconf.crypto.keys import generate
from lerconf.reports import summary, write_report
from lerconf.reports.junit import render_junit
from lerconf.reports.markup import verdict_badge
from lerconf.reports.model import build
from lerconf.run.cli import main

LMC = "LMC vcalm-eddsa 0.1"


def _run(tmp_path: Path) -> Path:
    return write_run(tmp_path / "run", results([vendor("Acme", roles=())], [
        scenario("Issuer completes the exchange", "Acme", role="vcalm_issuer", req="API-19"),
        scenario("LMC: VCDM 2.0 OpenBadgeCredential", "Acme", role="vcalm_issuer", req="LMC-VE-01",
                 tags=("lmc-vcalm-eddsa",), ecosystem=LMC),
        scenario("LMC: own status list", "Acme", role="vcalm_issuer", req="LMC-VE-04", status="failed",
                 reason="LMC-VE-04: no BitstringStatusListEntry", tags=("lmc-vcalm-eddsa",), ecosystem=LMC),
    ]))


def test_an_ecosystem_failure_is_its_own_row_and_leaves_spec_conformance_alone(tmp_path: Path) -> None:
    data = build([_run(tmp_path)])
    rows = {r.label: r for r in data.summaries()}
    assert list(rows) == ["vcalm_issuer", f"vcalm_issuer ({LMC})"]
    assert rows["vcalm_issuer"].verdict == "conformant"
    assert rows[f"vcalm_issuer ({LMC})"].verdict == f"conforms to {LMC}: no"
    grid_rows, cells = summary.grid(data)
    assert grid_rows == ["vcalm_issuer", f"vcalm_issuer ({LMC})"]
    assert cells[(f"vcalm_issuer ({LMC})", "Acme")].word == "failed"
    assert cells[("vcalm_issuer", "Acme")].word == "passed"
    must, _ = summary.vendor_rates(data)["Acme"]
    assert (must.passed, must.failed) == (1, 0)  # the ecosystem's scenarios are not in the spec pass rate
    assert f"conforms to {LMC}: no" in summary.section(data)


def test_junit_has_an_ecosystem_suite(tmp_path: Path) -> None:
    suites = {s.get("name"): s for s in ET.fromstring(render_junit(build([_run(tmp_path)]))).iter("testsuite")}
    assert list(suites) == ["Acme / vcalm_issuer", f"Acme / vcalm_issuer ({LMC})"]
    assert suites[f"Acme / vcalm_issuer ({LMC})"].get("failures") == "1"
    assert suites["Acme / vcalm_issuer"].get("failures") == "0"


def test_the_certificate_names_the_ecosystem_profile(tmp_path: Path) -> None:
    keyfile = tmp_path / "key.json"
    keyfile.write_text(json.dumps({"privateKeyMultibase": generate("Ed25519").to_multikey()}), encoding="utf-8")
    run = _run(tmp_path)
    cert = json.loads(write_report([run], sign=keyfile).certificate.read_text(encoding="utf-8"))
    spec, eco = cert["credentialSubject"]["vendor"][0]["roleResult"]
    assert (spec["role"], spec["verdict"], "ecosystemProfile" in spec) == ("vcalm_issuer", "conformant", False)
    assert (eco["role"], eco["verdict"], eco["ecosystemProfile"]) == ("vcalm_issuer", f"conforms to {LMC}: no", LMC)
    assert main(["verify", str(run / "certificate.json")]) == 0


def test_an_ecosystem_verdict_is_coloured_by_its_answer() -> None:
    assert 'class="verdict v-not-conformant"' in verdict_badge(f"conforms to {LMC}: no")
    assert 'class="verdict v-conformant"' in verdict_badge(f"conforms to {LMC}: yes")
    assert f"conforms to {LMC}: yes" in verdict_badge(f"conforms to {LMC}: yes")
