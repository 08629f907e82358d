"""The interop matrix never shows a role as a party that passed when the summary says the role is
not claimed (issue 17: a holder without vc_versions, every holder scenario skipped, the lifecycle
"passed 1/1" in the holder x verifier matrix)."""
from __future__ import annotations

from pathlib import Path

from _report_data import results, scenario, vendor, write_run

from lerconf.reports.interop import HOLDER_VERIFIER, ISSUER_VERIFIER, LERCONF, build_matrices
from lerconf.reports.model import build


def test_a_not_claimed_holder_is_no_party_in_the_lifecycle_cell(tmp_path: Path) -> None:
    skipped = "not claimed: holder does not claim vc_versions=2.0"
    data = build([write_run(tmp_path / "r", results(
        [vendor("Acme")],
        [scenario("Holder presents", "Acme", role="holder", status="skipped", reason=skipped,
                  example={"securing": "eddsa-rdfc-2022", "vc_version": "2.0"}),
         scenario("Issuer issues", "Acme", role="issuer"),
         scenario("Verifier verifies", "Acme", role="verifier"),
         scenario("Revoked credential is rejected", "Acme", role="lifecycle", req="BSL-10")]))])
    summary = {(r.vendor, r.role): r.verdict for r in data.summaries()}
    assert summary[("Acme", "holder")] == "not claimed"
    matrices = build_matrices(data)
    holder_cells = {k: c for k, c in matrices[HOLDER_VERIFIER].cells.items() if k[0] == "Acme"}
    assert not any(c.counts.passed for c in holder_cells.values()), holder_cells
    assert matrices[ISSUER_VERIFIER].cell("Acme", "Acme") is not None, "the issuer and verifier did take part"
    assert matrices[ISSUER_VERIFIER].cell("Acme", "Acme").status == "passed"  # type: ignore[union-attr]
    assert matrices[HOLDER_VERIFIER].cell(LERCONF, "Acme") is None, "lerconf did not play the holder either"


def test_a_claimed_holder_still_fills_the_lifecycle_cell(tmp_path: Path) -> None:
    data = build([write_run(tmp_path / "r", results(
        [vendor("Acme")],
        [scenario("Holder presents", "Acme", role="holder"),
         scenario("Revoked credential is rejected", "Acme", role="lifecycle", req="BSL-10")]))])
    assert build_matrices(data)[HOLDER_VERIFIER].cell("Acme", "Acme").status == "passed"  # type: ignore[union-attr]
