"""Issue 12 (point 2): a cross-vendor scenario belongs to the vendors in it. A scenario that could not
be judged makes no red cell; no interop cell is blamed on "lerconf (harness)"; and the banner's
count of failures equals what the summaries show (interop scenarios counted once)."""
from __future__ import annotations

import re
from pathlib import Path

from _report_data import results, scenario, vendor, write_run

from lerconf.reports import sections
from lerconf.reports.interop import HOLDER_VERIFIER, ISSUER_VERIFIER, LERCONF, build_matrices
from lerconf.reports.model import INTEROP, ReportData, build

LIFECYCLE = {"kind": "lifecycle", "issuer": "A", "holder": None, "verifier": "B", "securing": "eddsa-rdfc-2022",
             "vc_version": "2.0"}
CREDENTIAL = {"kind": "credential", "issuer": "B", "holder": None, "verifier": "A", "securing": "eddsa-rdfc-2022",
              "vc_version": "2.0"}
UNJUDGED = ("cannot be judged: lerconf could not check the vendor's document: BSL-13: status list "
            "http://127.0.0.1:8811/status/1 could not be retrieved: refusing to fetch … (fix: name the host under "
            "`documents.hosts` in the vendor profile, or pass --allow-private-network)")


def data(tmp_path: Path) -> ReportData:
    return build([write_run(tmp_path / "r", results([vendor("A"), vendor("B")], [
        scenario("Issuer names itself with a URL", "A", req="VCDM-06", status="failed", reason="VCDM-06: no"),
        scenario("Verifier rejects a revoked badge", "B", role="verifier", req="BSL-10", status="failed",
                 reason="accepted a revoked badge"),
        scenario("A badge revoked by its issuer is rejected by another vendor's verifier", "interop", role="interop",
                 req="BSL-10", status="failed", reason="the verifier accepted it", interop=LIFECYCLE,
                 feature_file="interop/interop.feature"),
        scenario("A verifier accepts badges issued by another vendor", "interop", role="interop", req="API-11",
                 status="skipped", reason=UNJUDGED, interop=CREDENTIAL, feature_file="interop/interop.feature"),
    ]))])


def test_the_banner_count_equals_the_summaries(tmp_path: Path) -> None:
    report = data(tmp_path)
    crossing = report.interop_summary()
    assert crossing is not None and crossing.vendor == INTEROP
    rows = [*report.summaries(), crossing]
    assert len(report.must_failures()) == 3 == sum(r.must.failed + r.must.broken for r in rows)
    assert (crossing.must.failed, crossing.must.skipped) == (1, 1)  # counted once, not once per vendor in it
    html = sections.summary(report)
    assert INTEROP in html and 'id="summary-interop"' in html and "A, B" in html
    failed_cells = re.findall(r'<td class="num">\d+</td><td class="num">(\d+)</td><td class="num">\d+</td>'
                              r'<td class="num">\d+</td></tr>', html)
    assert sum(int(n) for n in failed_cells) == 3


def test_no_interop_cell_is_blamed_on_lerconf(tmp_path: Path) -> None:
    matrices = build_matrices(data(tmp_path))
    for matrix in matrices.values():
        for (row, column), cell in matrix.cells.items():
            if any(s.is_interop for s in cell.scenarios):
                assert LERCONF not in (row, column), (matrix.kind, row, column)
    assert matrices[ISSUER_VERIFIER].cell("A", "B").status == "failed"  # the vendors in it
    assert matrices[HOLDER_VERIFIER].cell(LERCONF, "B") is None  # lerconf only stood in for the holder


def test_a_scenario_that_could_not_be_judged_makes_no_red_cell(tmp_path: Path) -> None:
    matrices = build_matrices(data(tmp_path))
    cell = matrices[ISSUER_VERIFIER].cell("B", "A")
    assert cell is not None and cell.status == "skipped" and cell.counts.ran == 0
    html = sections.interop(matrices)
    assert 'class="st-skipped"' in html and "not claimed or not judged" in html
    red = {(m.kind, r, c) for m in matrices.values() for (r, c), cell in m.cells.items() if cell.status == "failed"}
    # the interop failure is one red cell (A → B), never a second one for lerconf as the holder; the
    # other two are the vendors' own scenarios (A's issuer judged by lerconf, B's verifier given lerconf's badge)
    assert red == {(ISSUER_VERIFIER, "A", "B"), (ISSUER_VERIFIER, "A", LERCONF), (ISSUER_VERIFIER, LERCONF, "B")}
    assert html.count('<td class="st-failed"') == 3
