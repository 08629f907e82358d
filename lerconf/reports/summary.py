"""The executive summary: the report's first section and the PDF's first page, for people who decide.

One page, no jargon beyond the verdict words: a role × vendor grid of verdicts with counts, MUST and
SHOULD pass rates per vendor, the requirements that fail most (in the requirement registry's plain
titles), and the run's date, scope and lerconf version. Everything is computed from the same
:class:`ReportData` as the technical sections below it, so the two cannot disagree; the grid's
words are the verdicts of the summary cards put plainly (conformant -> passed, incomplete ->
cannot be judged).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from lerconf.reports.markup import esc, percent, rate_bar
from lerconf.reports.model import INTEROP, Counts, ReportData, RoleSummary, RunInfo, Scenario, requirement_sort_key
from lerconf.requirements import all_requirements
from lerconf.version import __version__

#: skipped scenarios whose reason starts so were run but could not be judged (lerconf.verdicts.CannotJudge)
CANNOT_JUDGE = "cannot be judged"
#: how many failing requirements the summary names
TOP_FAILURES = 6
#: the formal verdict of a role -> the plain word of the grid, and its mark
PLAIN: dict[str, tuple[str, str, str]] = {
    "conformant": ("passed", "\u2714", "passed"),
    "conformant with warnings": ("passed, SHOULD warnings", "\u2714", "passed"),
    "not conformant": ("failed", "\u2718", "failed"),
    "incomplete": ("cannot be judged", "?", "broken"),
    "not claimed": ("not claimed", "\u2013", "skipped"),
    "not tested": ("not tested", "\u00b7", "none"),
}
#: options of `lerconf run` that narrow what ran: shown as the run's selection
SELECTION_OPTIONS = {"-k": "-k", "--tags": "--tags", "--role": "--role", "--vendor": "--vendor",
                     "--baseline": "--baseline"}


@dataclass
class Cell:
    """One vendor in one role: the plain verdict and what it is made of."""

    word: str
    mark: str
    css: str
    verdict: str
    counts: Counts = field(default_factory=Counts)
    cannot_judge: int = 0

    @property
    def not_claimed(self) -> int:
        return self.counts.skipped - self.cannot_judge

    def parts(self) -> list[str]:
        c = self.counts
        parts = [f"{n} {w}" for n, w in ((c.passed, "passed"), (c.failed, "failed"), (c.broken, "broken"),
                                         (self.not_claimed, "not claimed"), (self.cannot_judge, CANNOT_JUDGE)) if n]
        return parts


@dataclass
class FailingRequirement:
    """A requirement some claimed scenario failed or broke, with how widely."""

    id: str
    title: str
    strength: str
    failed: int = 0
    broken: int = 0
    vendors: set[str] = field(default_factory=set)
    #: of those, how many an operator's attested report decided (never lerconf's own observation)
    attested: int = 0

    @property
    def scenarios(self) -> int:
        return self.failed + self.broken


def _cannot_judge(scenarios: Iterable[Scenario]) -> int:
    return sum(1 for s in scenarios if s.status == "skipped" and s.reason.startswith(CANNOT_JUDGE))


def _cell(summary: RoleSummary, scenarios: Sequence[Scenario]) -> Cell:
    unjudged = _cannot_judge(scenarios)
    verdict = summary.base_verdict
    word, mark, css = PLAIN.get(verdict, (verdict, "\u00b7", "none"))
    if summary.counts.ran == 0 and summary.counts.skipped and unjudged == summary.counts.skipped:
        word, mark, css = PLAIN["incomplete"]  # nothing ran that could be judged: not "not claimed"
    return Cell(word, mark, css, summary.verdict, summary.counts, unjudged)


def grid(data: ReportData) -> tuple[list[str], dict[tuple[str, str], Cell]]:
    """Row labels (roles; a draft-mode row and an ecosystem profile's row on their own) and the cell
    of each (row, vendor)."""
    scenarios: dict[tuple[str, str], list[Scenario]] = {}
    for s in data.own_scenarios():
        scenarios.setdefault((s.row_label, s.vendor), []).append(s)
    rows: list[str] = []
    cells: dict[tuple[str, str], Cell] = {}
    for r in data.summaries():
        if r.label not in rows:
            rows.append(r.label)
        cells[(r.label, r.vendor)] = _cell(r, scenarios.get((r.label, r.vendor), []))
    interop = _interop_cells(data)
    if interop:
        rows.append(INTEROP)
        cells.update({(INTEROP, v): c for v, c in interop.items()})
    return rows, cells


def _interop_cells(data: ReportData) -> dict[str, Cell]:
    """Per vendor, the cross-vendor scenarios it took part in (a scenario counts for each party)."""
    taking_part: dict[str, RoleSummary] = {}
    scenarios: dict[str, list[Scenario]] = {}
    for s in data.interop_scenarios():
        parties = {str(s.interop.get(k)) for k in ("issuer", "holder", "verifier") if s.interop and s.interop.get(k)}
        for vendor in parties & set(data.vendor_names):
            summary = taking_part.setdefault(vendor, RoleSummary(vendor, "interop"))
            (summary.must if s.severity == "MUST" else summary.should).add(s.status)
            scenarios.setdefault(vendor, []).append(s)
    return {v: _cell(r, scenarios[v]) for v, r in taking_part.items()}


def vendor_rates(data: ReportData) -> dict[str, tuple[Counts, Counts]]:
    """(MUST, SHOULD incl. MAY) counts of each vendor's own final-spec scenarios (draft-mode ones are
    shown in their own row, and passing a draft is not conformance to the final specification; an
    ecosystem profile's scenarios too: conformance to a community's profile is not to the specifications; and
    attested ones: what a person reported is counted apart from what lerconf observed)."""
    rates = {v: (Counts(), Counts()) for v in data.vendor_names}
    for s in data.own_scenarios():
        if s.draft_only or s.ecosystem or s.attested or s.vendor not in rates:
            continue
        must, should = rates[s.vendor]
        (must if s.severity == "MUST" else should).add(s.status)
    return rates


def top_failures(data: ReportData, limit: int | None = TOP_FAILURES) -> list[FailingRequirement]:
    """Requirements claimed scenarios failed or broke, widest first: MUST before SHOULD, then by how
    many vendors and scenarios. A cross-vendor scenario counts for each vendor in it."""
    registry = all_requirements()
    found: dict[str, FailingRequirement] = {}
    for s in data.scenarios:
        if s.status not in ("failed", "broken"):
            continue
        if s.is_interop:
            vendors = {str(s.interop.get(k)) for k in ("issuer", "holder", "verifier") if s.interop and s.interop.get(k)}
        else:
            vendors = {s.vendor}
        for rid in s.requirement_ids or ("(no requirement id)",):
            req = registry.get(rid)
            item = found.setdefault(rid, FailingRequirement(rid, req.title if req else rid,
                                                            str(req.strength.value if req else s.severity)))
            if s.status == "failed":
                item.failed += 1
            else:
                item.broken += 1
            item.attested += s.attested
            item.vendors |= vendors
    ranked = sorted(found.values(), key=lambda f: (f.strength != "MUST", -len(f.vendors), -f.scenarios,
                                                   requirement_sort_key(f.id)))
    return ranked if limit is None else ranked[:limit]


def selection(run: RunInfo) -> list[str]:
    """The options of the run's command line that narrowed what ran (`-k`, `--tags`, `--role`, ...)."""
    chosen: list[str] = []
    args = list(run.command)
    for i, arg in enumerate(args):
        name, eq, value = arg.partition("=")
        if name in SELECTION_OPTIONS:
            if not eq:
                value = args[i + 1] if i + 1 < len(args) else ""
            chosen.append(f"{name} {value}".strip())
    return chosen


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _headline(data: ReportData) -> str:
    failures = data.must_failures()
    if not data.scenarios:
        return '<p class="es-head warn">No scenario was recorded.</p>'
    if failures:
        where = sorted({s.vendor for s in failures if not s.is_interop})
        crossing = sum(1 for s in failures if s.is_interop)
        if crossing:
            where.append(f"{crossing} across vendors")
        return (f'<p class="es-head bad">\u2718 {_plural(len(failures), "claimed MUST scenario")} failed or broke '
                f"({esc(', '.join(where))}).</p>")
    if not data.complete:
        return '<p class="es-head warn">No claimed MUST scenario failed or broke, but a run did not finish.</p>'
    return '<p class="es-head ok">\u2714 No claimed MUST scenario failed or broke.</p>'


def _grid_table(data: ReportData) -> str:
    rows, cells = grid(data)
    vendors = data.vendor_names
    head = "".join(f'<th scope="col">{esc(v)}</th>' for v in vendors)
    body = []
    for label in rows:
        tds = []
        for v in vendors:
            cell = cells.get((label, v))
            if cell is None:
                vendor = data.vendor(v)
                offered = vendor is not None and label.split(" ")[0] in vendor.roles
                word, mark, css = PLAIN["not tested"] if offered or label == INTEROP else PLAIN["not claimed"]
                tds.append(f'<td class="es-cell st-{css}"><span class="mark">{mark} {esc(word)}</span></td>')
                continue
            detail = " \u00b7 ".join(cell.parts())
            tds.append(f'<td class="es-cell st-{cell.css}" title="{esc(cell.verdict)}"><span class="mark">'
                       f'{esc(cell.mark)} {esc(cell.word)}</span><br><span class="small">{esc(detail)}</span></td>')
        body.append(f'<tr><th scope="row">{esc(label)}</th>{"".join(tds)}</tr>')
    crossing = data.interop_summary()
    if crossing is not None and INTEROP not in rows:  # no vendor of this report took part (one vendor only)
        cell = _cell(crossing, data.interop_scenarios())
        detail = " \u00b7 ".join(cell.parts())
        body.append(f'<tr><th scope="row">{esc(INTEROP)}</th><td class="es-cell st-{cell.css}" colspan="{len(vendors)}">'
                    f'<span class="mark">{esc(cell.mark)} {esc(cell.word)}</span><br><span class="small">{esc(detail)}'
                    "</span></td></tr>")
    rates = vendor_rates(data)
    for title, index in (("MUST pass rate", 0), ("SHOULD pass rate", 1)):
        tds = []
        for v in vendors:
            c = rates[v][index]
            text = f"{percent(c.rate)} ({c.passed}/{c.ran})" if c.ran else "\u2014 (none ran)"
            tds.append(f'<td class="num es-rate">{rate_bar(c.rate, 60)} {esc(text)}</td>')
        body.append(f'<tr class="es-rates"><th scope="row">{esc(title)}</th>{"".join(tds)}</tr>')
    return (f'<table class="es-grid"><thead><tr><th scope="col">Role</th>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def _failures_list(data: ReportData) -> str:
    everything = top_failures(data, limit=None)
    if not everything:
        return "<h3>Top failing requirements</h3><p>None: no claimed scenario failed or broke.</p>"
    items = []
    for f in everything[:TOP_FAILURES]:
        how = ", ".join(p for p in (f"{f.failed} failed" if f.failed else "", f"{f.broken} broke" if f.broken else "",
                                    f"{f.attested} attested" if f.attested else "") if p)
        items.append(f'<li><strong>{esc(f.title)}</strong> <span class="muted">({esc(f.id)}, {esc(f.strength)})</span>'
                     f" \u2014 {_plural(f.scenarios, 'scenario')} ({esc(how)}), "
                     f"{_plural(len(f.vendors), 'vendor')}: {esc(', '.join(sorted(f.vendors)))}</li>")
    more = len(everything) - TOP_FAILURES
    tail = f'<p class="small muted">and {_plural(more, "more requirement")}: see Requirements.</p>' if more > 0 else ""
    return f"<h3>Top failing requirements</h3><ol class=\"es-fail\">{''.join(items)}</ol>{tail}"


def _scope(data: ReportData) -> str:
    rows: list[tuple[str, str]] = []
    for run in data.runs:
        prefix = f"run {run.id}: " if len(data.runs) > 1 else ""
        when = f"{run.started} \u2192 {run.finished or 'not finished'}" + ("" if run.complete else " (did not finish)")
        rows.append(("Date", f"{prefix}{when}"))
    vendors = ", ".join(f"{v.name} {v.version}".strip() for v in data.vendors) or "none"
    rows.append(("Vendors", vendors))
    roles, _ = grid(data)
    rows.append(("Roles", ", ".join(roles) or "none"))
    for run in data.runs:
        prefix = f"run {run.id}: " if len(data.runs) > 1 else ""
        chosen = selection(run)
        rows.append(("Selection", prefix + ("; ".join(chosen) if chosen else "every scenario (no -k, --tags or --role)")))
        lowered = run.lowered_status_list_minimum
        if lowered is not None:  # said in other words than the banner's sentence, which it sits above
            rows.append(("Status lists", f"{prefix}BSL-16 minimum lowered to {lowered:,} entries (default "
                                         f"{run.status_list_minimum.get('default', 131072):,}), set by "
                                         f"{run.status_list_minimum.get('source') or 'the run'}"))
    total = Counts()
    for s in data.scenarios:
        total.add(s.status)
    unjudged = _cannot_judge(data.scenarios)
    rows.append(("Scenarios", f"{total.total}: {total.passed} passed, {total.failed} failed, {total.broken} broken, "
                              f"{total.skipped - unjudged} not claimed, {unjudged} {CANNOT_JUDGE}"))
    versions = sorted({r.lerconf_version for r in data.runs if r.lerconf_version})
    rows.append(("lerconf", f"runs by {', '.join(versions) or 'unknown version'}; report by {__version__}"))
    body = "".join(f'<tr><th scope="row">{esc(k)}</th><td>{esc(v)}</td></tr>' for k, v in rows)
    return f'<table class="es-scope small"><tbody>{body}</tbody></table>'


def section(data: ReportData) -> str:
    """The executive summary section: first in report.html, alone on the PDF's first page."""
    legend = ("passed: every claimed MUST scenario passed; failed: a claimed MUST scenario failed; cannot be judged: "
              "a MUST scenario gave no usable answer (or the run did not finish); not claimed: the vendor does not "
              "offer it. Pass rates: passed over ran, own final-spec scenarios (SHOULD includes MAY).")
    return ('<section id="executive-summary" class="es"><h2>Executive summary</h2>'
            f"{_headline(data)}{_grid_table(data)}"
            f'<p class="small muted es-legend">{esc(legend)}</p>{_failures_list(data)}'
            f"<h3>Scope</h3>{_scope(data)}"
            '<p class="small muted">The technical evidence follows: per-vendor summary, scorecard, interoperability, '
            "every requirement with its scenarios and exchanges, and the run's environment.</p></section>")
