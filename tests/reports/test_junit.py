"""junit.xml from results.json (lerconf.reports.junit), on hand-made results.

A real run against a faulty vendor is parsed in tests/e2e/test_ci_console.py.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from _report_data import results, scenario, vendor, write_run

from lerconf.reports import build, diff, load_baseline
from lerconf.reports.junit import INTEROP_SUITE, render_junit, write_junit


def _data(tmp_path: Path, scenarios: list[dict]) -> object:
    return build([write_run(tmp_path / "run", results([vendor("Acme"), vendor("Beta")], scenarios))])


def _suites(xml: str) -> dict[str, ET.Element]:
    root = ET.fromstring(xml)
    assert root.tag == "testsuites"
    return {s.get("name", ""): s for s in root.findall("testsuite")}


def _props(element: ET.Element) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for p in element.findall("properties/property"):
        found.setdefault(p.get("name", ""), []).append(p.get("value", ""))
    return found


def _mixed() -> list[dict]:
    return [
        scenario("Issuer names itself with a URL", "Acme", req="VCDM-06", status="failed",
                 reason="VCDM-06: issuer is not a URL", tags=("ob30",)),
        scenario("Issuer answers", "Acme", req="API-01", status="broken", reason="server_error: HTTP 500"),
        scenario("Issuer adds a description", "Acme", req="OB-05", severity="SHOULD", status="failed",
                 reason="OB-05: no description"),
        scenario("Issuer passes", "Acme", req="VCDM-01"),
        scenario("Issuer does status", "Acme", req="BSL-01", status="skipped", reason="not claimed: status"),
        scenario("Verifier checks", "Acme", role="verifier", req="API-11", status="skipped",
                 reason="cannot be judged: the positive control was refused"),
        scenario("Verifier of another role", "Acme", role="oid4vp_verifier", req="VP-05", status="skipped",
                 reason="role oid4vp_verifier not selected"),
        scenario("Verifier checks", "Beta", role="verifier", req="API-11"),
        scenario("A verifier accepts badges issued by another vendor", "Acme -> Beta", role="interop", req="API-11",
                 status="failed", reason="the verifier said verified: false",
                 interop={"issuer": "Acme", "verifier": "Beta", "securing": "eddsa-rdfc-2022", "vc_version": "2.0"}),
    ]


def test_one_suite_per_vendor_and_role_and_one_for_interop(tmp_path: Path) -> None:
    suites = _suites(render_junit(_data(tmp_path, _mixed())))
    assert list(suites) == ["Acme / issuer", "Acme / verifier", "Beta / verifier", INTEROP_SUITE]

    issuer = suites["Acme / issuer"]
    assert (issuer.get("tests"), issuer.get("failures"), issuer.get("errors"), issuer.get("skipped")) == ("5", "1", "1", "2")
    cases = {c.get("name"): c for c in issuer.findall("testcase")}
    failed = cases["Issuer names itself with a URL"]
    assert failed.get("classname") == "Acme.issuer.issuer feature"
    assert failed.find("failure") is not None and failed.find("failure").get("message") == "VCDM-06: issuer is not a URL"
    props = _props(failed)
    assert props["requirement_ids"] == ["VCDM-06"] and props["requirement"] == ["VCDM-06"]
    assert props["strength"] == ["MUST"] and props["vendor"] == ["Acme"] and props["role"] == ["issuer"]
    assert "ob30" in props["tags"][0]
    assert float(failed.get("time", "0")) == 0.1

    broken = cases["Issuer answers"]
    assert broken.find("error") is not None and broken.find("failure") is None
    assert broken.find("error").get("message") == "server_error: HTTP 500"
    should = cases["Issuer adds a description"]
    assert should.find("failure") is None and "SHOULD not met" in should.find("skipped").get("message")
    assert cases["Issuer does status"].find("skipped").get("message") == "not claimed: status"
    assert not list(cases["Issuer passes"].iter("failure")) and cases["Issuer passes"].find("skipped") is None
    judged = suites["Acme / verifier"].find("testcase/skipped")
    assert judged is not None and judged.get("message", "").startswith("cannot be judged")

    interop = suites[INTEROP_SUITE].findall("testcase")
    assert [c.get("name") for c in interop] == ["A verifier accepts badges issued by another vendor [Acme -> Beta]"]
    assert interop[0].find("failure") is not None

    # a role the run did not select is out of the run's scope: no testcase for it
    assert "Acme / oid4vp_verifier" not in suites
    root = ET.fromstring(render_junit(_data(tmp_path, _mixed())))
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == ("8", "2", "1", "3")


def test_known_failures_are_skipped_so_totals_agree_with_the_exit_code(tmp_path: Path) -> None:
    data = _data(tmp_path, _mixed())
    expected = tmp_path / "expected.yaml"
    expected.write_text("- id: 'issuer/test.feature::Issuer names itself with a URL'\n  reason: tracked in JIRA-1\n"
                        "- id: 'issuer/test.feature::Issuer answers'\n"
                        "- id: 'verifier/test.feature::Verifier checks::Beta'\n", encoding="utf-8")
    changes = diff(data.scenarios, load_baseline(expected))
    root = ET.fromstring(render_junit(data, changes))
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    issuer = {c.get("name"): c for c in suites["Acme / issuer"].findall("testcase")}
    known = issuer["Issuer names itself with a URL"].find("skipped")
    assert known is not None
    assert known.get("message") == "known failure (baseline): tracked in JIRA-1 -- failed: VCDM-06: issuer is not a URL"
    assert issuer["Issuer answers"].find("skipped").get("message", "").startswith("known failure (baseline): broken")
    assert _props(issuer["Issuer answers"])["baseline"] == ["known"]
    assert _props({c.get("name"): c for c in suites["Beta / verifier"].findall("testcase")}["Verifier checks"])["baseline"] == ["fixed"]
    # only the interop failure is new: it is the one failure left, as the exit code (1) says
    assert (root.get("failures"), root.get("errors")) == ("1", "0")
    assert changes.exit_code == 1


def test_xml_is_valid_without_control_characters_and_escaped(tmp_path: Path) -> None:
    nasty = "VCDM-08: <script>&\"quoted\"\x00\x07\x1b[31m\ud800 line1\nline2 \U0001F600"
    data = _data(tmp_path, [scenario("Name with <b>&amp; \x0b", "Acme", status="failed", reason=nasty)])
    path = write_junit(data, tmp_path / "out" / "junit.xml")
    text = path.read_text(encoding="utf-8")
    for bad in ("\x00", "\x07", "\x1b", "\x0b"):
        assert bad not in text
    case = ET.parse(path).getroot().find("testsuite/testcase")
    assert case is not None and case.get("name") == "Name with <b>&amp; "
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == "VCDM-08: <script>&\"quoted\"[31m line1 line2 \U0001F600"
    assert failure.text == "VCDM-08: <script>&\"quoted\"[31m line1\nline2 \U0001F600"


def test_classname_parts_keep_their_own_dots_out(tmp_path: Path) -> None:
    data = build([write_run(tmp_path / "run", results([vendor("acme.io")], [scenario("S", "acme.io")]))])
    case = ET.fromstring(render_junit(data)).find("testsuite/testcase")
    assert case is not None and case.get("classname") == "acme_io.issuer.issuer feature"


def test_draft_only_scenarios_are_a_suite_of_their_own(tmp_path: Path) -> None:
    data = _data(tmp_path, [scenario("Accepts a presentation", "Acme", role="oid4vp_verifier", req="VP-05"),
                            scenario("Accepts a draft presentation", "Acme", role="oid4vp_verifier", req="VP-05",
                                     spec_mode="draft-only: OID4VP draft 20")])
    suites = _suites(render_junit(data))
    assert list(suites) == ["Acme / oid4vp_verifier", "Acme / oid4vp_verifier (draft-only)"]
    assert [c.get("name") for c in suites["Acme / oid4vp_verifier (draft-only)"].findall("testcase")] == \
        ["Accepts a draft presentation"]
