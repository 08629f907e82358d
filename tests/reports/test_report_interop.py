"""Interop matrices from hand-made results: derived parties today, the interop field tomorrow."""
from __future__ import annotations

from pathlib import Path

from _report_data import results, scenario, three_vendors, vendor, write_run

from lerconf.reports.interop import (
    HOLDER_VERIFIER,
    ISSUER_VERIFIER,
    LERCONF,
    build_matrices,
)
from lerconf.reports.model import build


def _cell(matrix, row, column):
    cell = matrix.cell(row, column)
    return None if cell is None else (cell.status, cell.counts.passed, cell.counts.ran)


def test_three_vendor_issuer_verifier_matrix(tmp_path: Path) -> None:
    m = build_matrices(build([write_run(tmp_path / "r", three_vendors())]))[ISSUER_VERIFIER]
    assert m.rows == ["Acme", "Beta", LERCONF]  # Gamma has no issuer role
    assert m.columns == ["Acme", "Beta", "Gamma", LERCONF]
    assert _cell(m, "Acme", LERCONF) == ("passed", 3, 3)  # NEG scenarios are not interop
    assert _cell(m, "Beta", LERCONF) == ("failed", 2, 3)
    assert _cell(m, LERCONF, "Acme") == ("passed", 2, 2)
    assert _cell(m, LERCONF, "Beta") == ("broken", 1, 2)
    assert _cell(m, LERCONF, "Gamma") == ("passed", 1, 1)  # the not-claimed VC 1.1 case is not a failure
    assert _cell(m, "Acme", "Beta") == ("failed", 0, 1)  # from the interop field
    assert _cell(m, "Acme", "Gamma") == ("passed", 1, 1)
    assert _cell(m, "Beta", "Gamma") is None
    assert m.cell("Acme", "Beta").variants == {"eddsa-rdfc-2022 / VC 2.0"}


def test_lifecycle_fills_the_diagonal_and_lerconf_plays_missing_roles(tmp_path: Path) -> None:
    data = build([write_run(tmp_path / "r", results(
        [vendor("Full"), vendor("NoHolder", roles=("issuer", "verifier"))],
        [scenario("Revoked credential is rejected", "Full", role="lifecycle", req="BSL-10"),
         scenario("Revoked credential is rejected", "NoHolder", role="lifecycle", req="BSL-10", status="failed")]))])
    matrices = build_matrices(data)
    iv, hv = matrices[ISSUER_VERIFIER], matrices[HOLDER_VERIFIER]
    assert _cell(iv, "Full", "Full") == ("passed", 1, 1)
    assert _cell(iv, "NoHolder", "NoHolder") == ("failed", 0, 1)
    assert _cell(hv, "Full", "Full") == ("passed", 1, 1)
    assert _cell(hv, LERCONF, "NoHolder") == ("failed", 0, 1)


def test_embedded_reference_plays_every_role(tmp_path: Path) -> None:
    data = build([write_run(tmp_path / "r", results(
        [{"name": "ref", "embedded": True}],
        [scenario("Lifecycle", "ref", role="lifecycle", req="BSL-10"),
         scenario("Holder presents", "ref", role="holder", req="API-08"),
         scenario("Verifier verifies a presentation", "ref", role="verifier", req="API-14",
                  feature_file="verifier/vcapi-verify-presentation.feature")]))])
    hv = build_matrices(data)[HOLDER_VERIFIER]
    assert _cell(hv, "ref", "ref") == ("passed", 1, 1)
    assert _cell(hv, "ref", LERCONF) == ("passed", 1, 1)
    assert _cell(hv, LERCONF, "ref") == ("passed", 1, 1)


def test_interop_field_with_holder_fills_holder_matrix(tmp_path: Path) -> None:
    data = build([write_run(tmp_path / "r", results([vendor("A"), vendor("B")], [
        scenario("A verifier accepts presentations", "B → A", role="interop", req="API-14",
                 interop={"kind": "presentation", "issuer": None, "holder": "B", "verifier": "A",
                          "securing": "eddsa-rdfc-2022", "vc_version": "2.0"})]))])
    matrices = build_matrices(data)
    assert _cell(matrices[HOLDER_VERIFIER], "B", "A") == ("passed", 1, 1)
    # lerconf signed the badge only to stand in for an issuer: an interop scenario is evidence about
    # the vendors in it, never a cell of "lerconf (harness)" (issue 12)
    assert _cell(matrices[ISSUER_VERIFIER], LERCONF, "A") is None
