"""`lerconf site`: a static, self-contained site over many runs (history and a dashboard).

index.html is the cross-vendor page: the scorecard and interop matrices of the latest run of
each vendor set (lerconf.reports.sections, as in report.html; their links go to latest.html,
the full report of those runs) and pass rates per spec area over time. Each vendor gets a page
with its verdict per role over time and every requirement's history: its status in each run,
when it broke and when it was fixed. Pages open from disk: relative links only, CSS inline, SVG
charts drawn here, no script, and a Content-Security-Policy that forbids every fetch. All text
comes from results.json (already redacted) and is escaped.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from lerconf.reports import sections
from lerconf.reports.assets import CSS, csp_hash
from lerconf.reports.charts import VERDICT_COLOURS, Point, Series, line_chart
from lerconf.reports.history import (
    Change,
    RunEntry,
    changes,
    latest_per_vendor_set,
    load_history,
    requirement_history,
    spec_rates,
    vendor_names,
    vendor_runs,
)
from lerconf.reports.html import render
from lerconf.reports.interop import Matrix, build_matrices
from lerconf.reports.markup import esc, status_mark, verdict_badge
from lerconf.reports.model import ReportData, build, requirement_sort_key, role_order
from lerconf.requirements import all_requirements
from lerconf.version import __version__

SITE_CSS = CSS + """
.chart{margin:.5rem 0 1rem}svg.trend{width:100%;max-width:760px;height:auto;border:1px solid var(--line);background:#fff}
.lg{margin-right:.8rem;white-space:nowrap}table.history th,table.history td{text-align:center}
table.history th[scope=row],table.history td.text{text-align:left}
"""
LATEST = "latest.html"
NO_SCENARIO = '<span class="muted">no scenario</span>'


@dataclass
class SiteOutcome:
    out: Path
    pages: list[Path]
    runs: int
    vendors: list[str]

    def summary(self) -> str:
        return (f"{self.runs} run(s) of {len(self.vendors)} vendor(s); {len(self.pages)} page(s); "
                f"open {self.out / 'index.html'}")


def vendor_page(name: str) -> str:
    """The vendor page's file name: readable, and unique even for names that differ only in punctuation."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "vendor"
    return f"vendor-{slug}-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:8]}.html"


def _page(title: str, body: str, generated: datetime) -> str:
    csp = f"default-src 'none'; style-src {csp_hash(SITE_CSS)}; img-src data:; form-action 'none'; base-uri 'none'"
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{esc(csp)}">'
            '<meta name="referrer" content="no-referrer">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title)}</title><style>{SITE_CSS}</style></head><body>{body}"
            f'<p class="small muted">Generated {esc(generated.isoformat(timespec="seconds"))} by lerconf '
            f"{esc(__version__)} from results.json only.</p></body></html>\n")


def _run_tip(entry: RunEntry) -> str:
    return f"run {entry.info.id} ({entry.info.started or 'no start time'}; {', '.join(entry.data.vendor_names)})"


def spec_chart(history: Sequence[RunEntry]) -> str:
    rates = [spec_rates(e) for e in history]
    prefixes = sorted({p for r in rates for p in r})
    series = []
    for prefix in prefixes:
        points = []
        for entry, run_rates in zip(history, rates, strict=True):
            passed, ran = run_rates.get(prefix, (0, 0))
            points.append(Point(passed / ran if ran else None, f"{passed}/{ran} passed \u00b7 {_run_tip(entry)}"))
        series.append(Series(sections.spec_title(prefix), points))
    return line_chart("Pass rate per spec area, per run", [e.label for e in history], series)


def verdict_chart(runs: Sequence[RunEntry], vendor: str) -> str:
    """One series per role: the MUST pass rate of each run, its point coloured by the verdict."""
    labels = sorted({s.label for e in runs for s in e.summaries(vendor)}, key=lambda r: (role_order(r.split()[0]), r))
    series = []
    for label in labels:
        points = []
        for entry in runs:
            found = next((s for s in entry.summaries(vendor) if s.label == label), None)
            if found is None or not found.counts.ran:
                points.append(Point(None, ""))
                continue
            rate = found.must.rate if found.must.ran else found.counts.rate
            colour = VERDICT_COLOURS.get(found.base_verdict, "#6b7280")
            points.append(Point(rate, f"{found.verdict} \u00b7 {_run_tip(entry)}", colour))
        series.append(Series(label, points))
    return line_chart(f"{vendor}: MUST pass rate per role, per run (points coloured by verdict)",
                      [e.label for e in runs], series)


def _runs_table(history: Sequence[RunEntry]) -> str:
    rows = []
    for e in reversed(history):
        counts = {s: sum(1 for x in e.data.scenarios if x.status == s) for s in ("passed", "failed", "broken", "skipped")}
        reqs = len({r for s in e.data.scenarios for r in s.requirement_ids})
        vendors = ", ".join(f'<a href="{vendor_page(v)}">{esc(v)}</a>' for v in e.data.vendor_names)
        rows.append(f'<tr><td>{esc(e.info.started)}</td><td><code>{esc(e.info.id)}</code></td><td>{vendors}</td>'
                    f"<td>{esc(e.info.lerconf_version)}</td><td class=\"num\">{reqs}</td>"
                    + "".join(f'<td class="num">{n}</td>' for n in counts.values())
                    + f"<td>{'yes' if e.info.complete else 'no'}</td></tr>")
    return ('<section id="runs"><h2>Runs (newest first)</h2><table class="small"><thead><tr><th>started</th><th>run</th>'
            '<th>vendors</th><th>lerconf</th><th class="num">requirements</th><th class="num">passed</th>'
            '<th class="num">failed</th><th class="num">broken</th><th class="num">not claimed</th><th>complete</th>'
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table></section>")


def _vendors_table(history: Sequence[RunEntry]) -> str:
    rows = []
    for name in vendor_names(history):
        runs = vendor_runs(history, name)
        verdicts = " ".join(f"{esc(s.label)}: {verdict_badge(s.verdict)}" for s in runs[-1].summaries(name)) or NO_SCENARIO
        rows.append(f'<tr><th scope="row"><a href="{vendor_page(name)}">{esc(name)}</a></th><td class="num">{len(runs)}</td>'
                    f"<td>{esc(runs[-1].info.started)}</td><td>{verdicts}</td></tr>")
    return ('<section id="vendors"><h2>Vendors</h2><table><thead><tr><th>Vendor</th><th class="num">runs</th>'
            f"<th>latest run</th><th>latest verdicts</th></tr></thead><tbody>{''.join(rows)}</tbody></table></section>")


def _to_latest(fragment: str) -> str:
    """The report sections link to anchors of report.html: here they go to latest.html, that report."""
    return fragment.replace('href="#', f'href="{LATEST}#')


def index_page(history: Sequence[RunEntry], latest: Sequence[RunEntry], data: ReportData, matrices: Mapping[str, Matrix],
               generated: datetime) -> str:
    """The cross-vendor page; `data` and `matrices` are those of the `latest` runs together."""
    which = ", ".join(f"{e.info.id} ({', '.join(e.data.vendor_names)})" for e in latest)
    body = (f"<h1>Conformance history</h1><p class=\"sub\">{len(history)} run(s) of {len(vendor_names(history))} "
            f"vendor(s), {esc(history[0].info.started)} \u2192 {esc(history[-1].info.started)}</p>"
            '<nav class="toc"><a href="#vendors">Vendors</a><a href="#spec-areas">Spec areas</a>'
            f'<a href="#latest">Latest results</a><a href="#runs">Runs</a><a href="{LATEST}">Latest full report</a></nav>'
            + _vendors_table(history)
            + '<section id="spec-areas"><h2>Pass rates per spec area over time</h2><p class="small">Per run, over all '
            "its scenarios that ran (not claimed ones left out); a gap is a run without that area.</p>"
            + spec_chart(history) + "</section>"
            + f'<section id="latest"><h2>Latest results</h2><p class="small">The latest run of each set of vendors: '
            f'{esc(which)}. Marks link to <a href="{LATEST}">their full report</a>.</p>'
            + _to_latest(sections.scorecard(data)) + _to_latest(sections.interop(matrices)) + "</section>"
            + _runs_table(history))
    return _page("lerconf conformance history", body, generated)


def _verdict_table(runs: Sequence[RunEntry], vendor: str) -> str:
    labels = sorted({s.label for e in runs for s in e.summaries(vendor)}, key=lambda r: (role_order(r.split()[0]), r))
    rows = []
    for e in reversed(runs):
        found = {s.label: s for s in e.summaries(vendor)}
        cells = "".join(f"<td>{verdict_badge(found[label].verdict) if label in found else status_mark('')}</td>"
                        for label in labels)
        rows.append(f'<tr><th scope="row">{esc(e.info.started)}<br><code class="small">{esc(e.info.id)}</code></th>{cells}</tr>')
    head = "".join(f'<th scope="col">{esc(label)}</th>' for label in labels)
    return f"<table><thead><tr><th>run (newest first)</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _change_list(runs: Sequence[RunEntry], found: Iterable[Change], kind: str) -> str:
    items = []
    for c in (c for c in found if c.kind == kind):
        entry = runs[c.index]
        note = f'<br><span class="small muted">{esc(c.reason)}</span>' if c.reason else ""
        items.append(f"<div>{esc(entry.info.started or entry.info.id)}<br><code class=\"small\">{esc(entry.info.id)}</code>{note}</div>")
    return "".join(items) or '<span class="muted">\u2014</span>'


def requirements_table(runs: Sequence[RunEntry], vendor: str) -> str:
    table = requirement_history(runs, vendor)
    registry = all_requirements()
    head = "".join(f'<th scope="col" title="{esc(_run_tip(e))}">{esc(e.label)}</th>' for e in runs)
    rows = []
    for rid, role in sorted(table, key=lambda k: (requirement_sort_key(k[0]), role_order(k[1]))):
        row = table[(rid, role)]
        found = changes(row)
        marks = "".join(f'<td class="st-{esc(status or "none")}" title="{esc(reason)}">{status_mark(status, words=False)}</td>'
                        for status, reason in row)
        req = registry.get(rid)
        rows.append(f'<tr><th scope="row">{esc(rid)}</th><td class="text">{esc(role)}</td>'
                    f'<td class="text small">{esc(req.title if req else "")}</td>{marks}'
                    f'<td class="text small broke">{_change_list(runs, found, "broke")}</td>'
                    f'<td class="text small fixed">{_change_list(runs, found, "fixed")}</td></tr>')
    return ('<table class="history"><thead><tr><th>Requirement</th><th>role</th><th>title</th>'
            f"{head}<th>broke</th><th>fixed</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


def vendor_html(history: Sequence[RunEntry], vendor: str, generated: datetime) -> str:
    runs = vendor_runs(history, vendor)
    body = (f'<p class="small"><a href="index.html">\u2190 all vendors</a></p><h1>{esc(vendor)}</h1>'
            f'<p class="sub">{len(runs)} run(s), {esc(runs[0].info.started)} \u2192 {esc(runs[-1].info.started)}</p>'
            '<section id="verdicts"><h2>Verdict per role over time</h2>' + verdict_chart(runs, vendor)
            + _verdict_table(runs, vendor) + "</section>"
            '<section id="requirements"><h2>Requirement history</h2><p class="small">Each requirement\'s status in each '
            "run (\u00b7: the run did not test it). <em>Broke</em>: the first failing run after a passing one, with "
            "its reason; <em>fixed</em>: the first passing run after a failing one.</p>"
            + requirements_table(runs, vendor) + "</section>")
    return _page(f"lerconf history \u2014 {vendor}", body, generated)


def write_site(paths: Sequence[Path], out: Path, generated: datetime | None = None) -> SiteOutcome:
    """Read the runs, then write index.html, latest.html and one page per vendor into `out`."""
    generated = generated or datetime.now(UTC)
    history = load_history(paths)
    latest = latest_per_vendor_set(history)
    out.mkdir(parents=True, exist_ok=True)
    data = build([e.path for e in latest])
    matrices = build_matrices(data)
    pages = {"index.html": index_page(history, latest, data, matrices, generated),
             LATEST: render(data, matrices, generated=generated)}
    names = vendor_names(history)
    for name in names:
        pages[vendor_page(name)] = vendor_html(history, name, generated)
    written = []
    for file, text in pages.items():
        target = out / file
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)
        written.append(target)
    return SiteOutcome(out, written, len(history), names)
