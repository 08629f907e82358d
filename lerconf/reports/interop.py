"""Interop matrices: issuer x verifier and holder x verifier (VC API), issuer x wallet and wallet x
verifier (OpenID).

A cell answers "do credentials (presentations) made by the row party verify at the column
party?". A scenario says which parties it involved in an optional ``interop`` field
``{kind, issuer, verifier, holder, securing, vc_version}`` (a missing issuer or holder is
lerconf); such scenarios fill every cell of the matrix. Results written before that field existed carry one ``vendor``, with lerconf playing
the roles the vendor lacks, so their parties are derived:

* issuer scenarios: the vendor issued, lerconf's engine verified (vendor -> lerconf);
* verifier scenarios: lerconf signed (and, for presentations, presented), the vendor verified
  (lerconf -> vendor);
* holder scenarios: the vendor presented, lerconf verified;
* lifecycle scenarios: the vendor in every role it has, lerconf in the others (the diagonal).

Only positive scenarios count: a negative one (``@NEG``) tests refusal of a broken document,
which is conformance, not interoperability. An interop scenario gives evidence only about the
vendors in it: where lerconf stood in for a party (the holder of a lifecycle case), no cell is
made for lerconf, so a cross-vendor failure is never blamed on "lerconf (harness)". A scenario
that could not be judged (or was not claimed) is skipped: it counts in no cell's runs and never
makes a cell red.

OpenID interop scenarios (features/interop/interop-openid.feature) name ``{kind, issuer, wallet,
holder, verifier, format}`` (the wallet is the holder): each fills one cell of the issuer x wallet
matrix ("does the row issuer's badge reach the column wallet?") and one of the wallet x verifier
matrix ("does the column verifier accept what the row wallet presents?"), and no cell of the VC
API matrices. A cell is only as green as every flow through it: a flow is judged end to end, by
the verifier's result hook.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from lerconf.reports.model import Counts, ReportData, Scenario, Vendor, cell_status

#: the name of the harness when it plays a role itself
LERCONF = "lerconf (harness)"
ISSUER_VERIFIER = "issuer-verifier"
HOLDER_VERIFIER = "holder-verifier"
ISSUER_WALLET = "issuer-wallet"
WALLET_VERIFIER = "wallet-verifier"
#: the OpenID matrices: the vendor profile section each side's party has
OPENID_SECTIONS = {ISSUER_WALLET: ("oid4vci_issuer", "wallet"), WALLET_VERIFIER: ("wallet", "oid4vp_verifier")}


@dataclass(frozen=True)
class Edge:
    """One scenario seen as "source's output verified at target"."""

    kind: str
    source: str
    target: str
    scenario: Scenario


@dataclass
class Cell:
    counts: Counts = field(default_factory=Counts)
    scenarios: list[Scenario] = field(default_factory=list)
    variants: set[str] = field(default_factory=set)  # "eddsa-rdfc-2022 / VC 2.0"

    @property
    def status(self) -> str:
        return cell_status(s.status for s in self.scenarios)


@dataclass
class Matrix:
    kind: str
    rows: list[str]
    columns: list[str]
    cells: dict[tuple[str, str], Cell]

    def cell(self, row: str, column: str) -> Cell | None:
        return self.cells.get((row, column))


def _variant(scenario: Scenario) -> str:
    source: Mapping[str, object] = scenario.interop or scenario.example
    parts = [str(source[k]) for k in ("securing", "format") if source.get(k)]
    if source.get("vc_version"):
        parts.append(f"VC {source['vc_version']}")
    return " / ".join(parts)


def edges(scenario: Scenario, vendor: Vendor | None,
          unclaimed: frozenset[tuple[str, str]] = frozenset()) -> list[Edge]:
    """The interop edges one scenario gives evidence for (none for negative scenarios); ``unclaimed``:
    ``not_claimed_roles`` of the run, roles that are no party in a derived (lifecycle) edge."""
    if "NEG" in scenario.tags:
        return []
    if scenario.interop and scenario.interop.get("wallet"):  # OpenID: issuer -> wallet -> verifier
        # the wallet is also the record's holder (renamed with the other parties when runs are merged)
        issuer, verifier = (str(scenario.interop.get(k) or LERCONF) for k in ("issuer", "verifier"))
        wallet = str(scenario.interop.get("holder") or scenario.interop["wallet"])
        return [Edge(ISSUER_WALLET, issuer, wallet, scenario), Edge(WALLET_VERIFIER, wallet, verifier, scenario)]
    if scenario.interop:
        parties = {k: str(scenario.interop.get(k) or LERCONF) for k in ("issuer", "holder", "verifier")}
        found = []
        if scenario.interop.get("issuer"):
            found.append(Edge(ISSUER_VERIFIER, parties["issuer"], parties["verifier"], scenario))
        if scenario.interop.get("holder"):  # lerconf standing in for the holder is not interop evidence
            found.append(Edge(HOLDER_VERIFIER, parties["holder"], parties["verifier"], scenario))
        return found
    name = scenario.vendor
    if scenario.role == "issuer":
        return [Edge(ISSUER_VERIFIER, name, LERCONF, scenario)]
    if scenario.role == "holder":
        return [Edge(HOLDER_VERIFIER, name, LERCONF, scenario)]
    if scenario.role == "verifier":
        found = [Edge(ISSUER_VERIFIER, LERCONF, name, scenario)]
        if "presentation" in f"{scenario.feature_file} {scenario.name}".lower():
            found.append(Edge(HOLDER_VERIFIER, LERCONF, name, scenario))
        return found
    if scenario.role == "lifecycle":
        roles = vendor.roles if vendor is not None else frozenset()
        issuer, holder, verifier = (name if r in roles else LERCONF for r in ("issuer", "holder", "verifier"))
        # a role the summary calls "not claimed" (none of its own scenarios ran) is no party in a cell,
        # although the lifecycle used it: lerconf did not play it either, so the edge is left out
        return [e for e, parts in ((Edge(ISSUER_VERIFIER, issuer, verifier, scenario), ("issuer", "verifier")),
                                   (Edge(HOLDER_VERIFIER, holder, verifier, scenario), ("holder", "verifier")))
                if not any((name, r) in unclaimed for r in parts)]
    return []


def not_claimed_roles(scenarios: Sequence[Scenario]) -> frozenset[tuple[str, str]]:
    """(vendor, role) pairs the summary calls "not claimed": scenarios of the role were skipped, none ran."""
    ran = {(s.vendor, s.role) for s in scenarios if s.status != "skipped"}
    return frozenset({(s.vendor, s.role) for s in scenarios if s.status == "skipped"} - ran)


def _order(parties: set[str], vendors: Sequence[str]) -> list[str]:
    listed = [v for v in vendors if v in parties]
    others = sorted(p for p in parties if p not in vendors and p != LERCONF)
    return listed + others + ([LERCONF] if LERCONF in parties else [])


def build_matrices(data: ReportData) -> dict[str, Matrix]:
    """Every matrix; rows and columns are the vendors that have the role, then lerconf."""
    found: dict[str, dict[tuple[str, str], Cell]] = {ISSUER_VERIFIER: {}, HOLDER_VERIFIER: {}, ISSUER_WALLET: {},
                                                     WALLET_VERIFIER: {}}
    unclaimed = not_claimed_roles(data.scenarios)
    for s in data.scenarios:
        for e in edges(s, data.vendor(s.vendor), unclaimed):
            cell = found[e.kind].setdefault((e.source, e.target), Cell())
            cell.counts.add(s.status)
            cell.scenarios.append(s)
            if _variant(s):
                cell.variants.add(_variant(s))
    matrices = {}
    names = data.vendor_names
    for kind, cells in found.items():
        if kind in OPENID_SECTIONS:  # a vendor profile's OpenID sections (not among its VC API roles)
            source_section, target_section = OPENID_SECTIONS[kind]
            rows = {v.name for v in data.vendors if v.profile.get(source_section)} | {a for a, _ in cells}
            columns = {v.name for v in data.vendors if v.profile.get(target_section)} | {b for _, b in cells}
        else:
            source_role, target_role = kind.split("-")
            rows = {v.name for v in data.vendors if source_role in v.roles} | {a for a, _ in cells}
            columns = {v.name for v in data.vendors if target_role in v.roles} | {b for _, b in cells}
        matrices[kind] = Matrix(kind, _order(rows, names), _order(columns, names), cells)
    return matrices
