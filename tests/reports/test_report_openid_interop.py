"""The OpenID interop matrices (issuer x wallet, wallet x verifier) from hand-made results."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from _report_data import results, scenario, vendor, write_run

from lerconf.reports.html import render
from lerconf.reports.interop import HOLDER_VERIFIER, ISSUER_VERIFIER, ISSUER_WALLET, WALLET_VERIFIER, build_matrices
from lerconf.reports.model import build
from lerconf.reports.sections import openid_interop

FEATURE = "interop/interop-openid.feature"
POSITIVE = "A wallet presents a badge from another vendor's issuer and the verifier accepts it"
LIFECYCLE = "A badge revoked by its issuer is refused at the wallet's next presentation to another vendor's verifier"


def _openid_vendor(name: str, *sections: str) -> dict[str, Any]:
    view = vendor(name, roles=())
    for section in sections:
        view[section] = {"claims": {"formats": ["ldp_vc", "jwt_vc_json"]}}
    return view


def _flow(issuer: str, wallet: str, verifier: str, fmt: str, status: str = "passed", *, lifecycle: bool = False) -> dict[str, Any]:
    kind = "openid-lifecycle" if lifecycle else "openid"
    label = f"{issuer} → {wallet} → {verifier}"
    s = scenario(LIFECYCLE if lifecycle else POSITIVE, label, role="interop", status=status,
                 req="LCW-02" if lifecycle else "VP-04", tags=("interop", "oid4vci", "oid4vp"), feature_file=FEATURE,
                 reason="" if status == "passed" else "VP-04: the verifier did not accept it")
    s["id"] += f"::{fmt}/VC -"
    s["interop"] = {"kind": kind, "issuer": issuer, "wallet": wallet, "holder": wallet, "verifier": verifier, "format": fmt,
                    "client_id_prefix": "decentralized_identifier"}
    return s


def _data(tmp_path: Path) -> Any:
    vendors = [_openid_vendor("Acme", "oid4vci_issuer", "oid4vp_verifier", "wallet"),
               _openid_vendor("Beta", "wallet"),
               _openid_vendor("Gamma", "oid4vp_verifier")]
    flows = [
        _flow("Acme", "Beta", "Acme", "ldp_vc"),
        _flow("Acme", "Beta", "Acme", "jwt_vc_json", status="failed"),
        _flow("Acme", "Beta", "Gamma", "ldp_vc"),
        _flow("Acme", "Beta", "Gamma", "jwt_vc_json", status="skipped"),
        _flow("Acme", "Beta", "Acme", "ldp_vc", lifecycle=True),
    ]
    return build([write_run(tmp_path / "r", results(vendors, flows))])


def _cell(matrix: Any, row: str, column: str) -> tuple[str, int, int] | None:
    cell = matrix.cell(row, column)
    return None if cell is None else (cell.status, cell.counts.passed, cell.counts.ran)


def test_openid_flows_fill_issuer_wallet_and_wallet_verifier(tmp_path: Path) -> None:
    matrices = build_matrices(_data(tmp_path))
    iw, wv = matrices[ISSUER_WALLET], matrices[WALLET_VERIFIER]
    # rows and columns: the vendors with the profile section of each side
    assert iw.rows == ["Acme"] and iw.columns == ["Acme", "Beta"]
    assert wv.rows == ["Acme", "Beta"] and wv.columns == ["Acme", "Gamma"]
    # every flow through Acme's issuer and Beta's wallet: one failed, one skipped (not counted)
    assert _cell(iw, "Acme", "Beta") == ("failed", 3, 4)
    assert iw.cell("Acme", "Beta").variants == {"ldp_vc", "jwt_vc_json"}
    assert _cell(wv, "Beta", "Acme") == ("failed", 2, 3)
    assert _cell(wv, "Beta", "Gamma") == ("passed", 1, 1)
    assert _cell(iw, "Acme", "Acme") is None and _cell(wv, "Acme", "Acme") is None
    # OpenID flows are not VC API issuer x verifier or holder x verifier evidence
    assert not matrices[ISSUER_VERIFIER].cells and not matrices[HOLDER_VERIFIER].cells


def test_the_report_renders_both_openid_matrices(tmp_path: Path) -> None:
    data = _data(tmp_path)
    fragment = openid_interop(build_matrices(data))
    for kind in (ISSUER_WALLET, WALLET_VERIFIER):
        assert f'data-matrix="{kind}"' in fragment
    issuer_wallet = fragment.split(f'data-matrix="{ISSUER_WALLET}"', 1)[1].split("</table>", 1)[0]
    assert issuer_wallet.count('class="st-failed"') == 1 and "3/4" in issuer_wallet
    assert 'title="a vendor with itself is not an interop case"' in issuer_wallet
    wallet_verifier = fragment.split(f'data-matrix="{WALLET_VERIFIER}"', 1)[1].split("</table>", 1)[0]
    assert wallet_verifier.count('class="st-passed"') == 1 and wallet_verifier.count('class="st-failed"') == 1
    html = render(data, build_matrices(data))
    assert "Issuer \u00d7 wallet (OpenID)" in html and "Wallet \u00d7 verifier (OpenID)" in html
    assert f'data-matrix="{WALLET_VERIFIER}"' in html


def test_without_openid_flows_the_matrices_say_so(tmp_path: Path) -> None:
    data = build([write_run(tmp_path / "r", results([vendor("Solo")], [scenario("Issues", "Solo")]))])
    fragment = openid_interop(build_matrices(data))
    assert "data-matrix" not in fragment and fragment.count("No scenario (OpenID interop needs two or more vendors)") == 2
