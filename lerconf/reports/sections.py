"""The result sections of report.html: summary, baseline, scorecard, at risk, interop, requirements.

Each function returns one escaped HTML fragment. Rows that filters act on carry ``data-filter``
and tokens (``data-role``, ``data-spec``, ``data-status``, ``data-vendor``) derived by hashing,
so vendor-controlled names never reach an attribute unescaped or a script at all.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from lerconf.reports.evidence_html import render_evidence
from lerconf.reports.interop import HOLDER_VERIFIER, ISSUER_VERIFIER, ISSUER_WALLET, LERCONF, WALLET_VERIFIER, Cell, Matrix
from lerconf.reports.markup import (
    SPEC_NAMES,
    anchor,
    attested_badge,
    baseline_badge,
    esc,
    percent,
    rate_bar,
    spec_link,
    spec_mode_badge,
    status_mark,
    token,
    verdict_badge,
)
from lerconf.reports.model import (
    INTEROP,
    ReportData,
    Scenario,
    cell_status,
    requirement_sort_key,
    role_order,
    spec_prefix,
)
from lerconf.requirements import Requirement, all_requirements

if TYPE_CHECKING:
    from lerconf.reports.baseline import BaselineDiff


def _attrs(*, role: Iterable[str] = (), spec: Iterable[str] = (), status: Iterable[str] = (),
           vendor: Iterable[str] = ()) -> str:
    parts = [" data-filter"]
    for name, values in (("role", role), ("spec", spec), ("status", status), ("vendor", vendor)):
        values = [v for v in values if v is not None]
        if values:
            parts.append(f' data-{name}="{" ".join(token(v) for v in values)}"')
    return "".join(parts)


def cell_anchor(rid: str, role: str, vendor: str) -> str:
    return anchor("req", rid, role, vendor)


def spec_title(prefix: str) -> str:
    return f"{prefix} \u2014 {SPEC_NAMES[prefix]}" if prefix in SPEC_NAMES else prefix


def _requirement(rid: str) -> Requirement | None:
    return all_requirements().get(rid)


def summary(data: ReportData) -> str:
    """One card per vendor: version, run, and per role the verdict, pass rates and counts."""
    by_vendor: dict[str, list[str]] = {}
    crossing = data.interop_summary()
    for r in data.summaries() + ([crossing] if crossing else []):
        c = r.counts
        row = (f'<tr{_attrs(role=[r.role], vendor=[r.vendor])}><th scope="row">{esc(r.label)}</th>'
               f"<td>{verdict_badge(r.verdict)}</td>"
               f'<td class="num">{rate_bar(r.must.rate)} {esc(percent(r.must.rate))}</td>'
               f'<td class="num">{rate_bar(r.should.rate)} {esc(percent(r.should.rate))}</td>'
               f'<td class="num">{c.passed}</td><td class="num">{c.failed}</td><td class="num">{c.broken}</td>'
               f'<td class="num">{c.skipped}</td></tr>')
        by_vendor.setdefault(r.vendor, []).append(row)
    runs = {run.id: run for run in data.runs}
    cards = []
    for v in data.vendors:
        run = runs.get(v.run_id)
        when = f"{run.started} \u2192 {run.finished or 'not finished'}" if run else ""
        partial = '' if run is None or run.complete else ' <span class="tag b-new">partial run</span>'
        rows = "".join(by_vendor.get(v.name, [])) or '<tr><td colspan="8" class="muted">no scenario ran</td></tr>'
        version = f' <span class="muted">version {esc(v.version)}</span>' if v.version else ""
        cards.append(
            f'<div class="card"><h3>{esc(v.name)}{version}</h3>'
            f'<p class="small muted">run {esc(v.run_id)}: {esc(when)}{partial}</p>'
            '<table><thead><tr><th>Role</th><th>Verdict</th><th class="num">MUST pass rate</th>'
            '<th class="num">SHOULD pass rate</th><th class="num">passed</th><th class="num">failed</th>'
            f'<th class="num">broken</th><th class="num">not claimed</th></tr></thead><tbody>{rows}</tbody></table></div>')
    if crossing is not None:  # counted once here, as the banner counts them (not once per vendor in them)
        parties = sorted({str(s.interop.get(k)) for s in data.interop_scenarios() if s.interop
                          for k in ("issuer", "holder", "verifier") if s.interop.get(k)})
        cards.append(
            f'<div class="card" id="summary-interop"><h3>{esc(INTEROP)}</h3>'
            f'<p class="small muted">scenarios between {esc(", ".join(parties) or "vendors")}, each counted once; '
            'see Interoperability</p>'
            '<table><thead><tr><th>Role</th><th>Verdict</th><th class="num">MUST pass rate</th>'
            '<th class="num">SHOULD pass rate</th><th class="num">passed</th><th class="num">failed</th>'
            f'<th class="num">broken</th><th class="num">not claimed</th></tr></thead><tbody>'
            f'{"".join(by_vendor.get(INTEROP, []))}</tbody></table></div>')
    return '<section id="summary"><h2>Summary</h2><div class="cards">' + "".join(cards) + "</div></section>"


def baseline(diff: BaselineDiff | None) -> str:
    if diff is None:
        return ""

    def item(s: Scenario, note: str = "", link: str = "") -> str:
        extra = f' <span class="muted">({esc(note)})</span>' if note else ""
        extra += f' <code class="small">{esc(link)}</code>' if link else ""
        return (f'<li>{status_mark(s.status)} <a href="#{anchor("sc", s.id)}">{esc(s.name)}</a>'
                f' \u2014 {esc(s.vendor)}: {esc(s.reason)}{extra}</li>')

    groups = [
        ("New failures (regressions)", [item(s) for s in diff.regressions]),
        ("Fixed since the baseline", [item(s, k.reason, k.link) for k, s in diff.fixed]),
        ("Known failures, still failing", [item(s, k.reason, k.link) for k, s in diff.known]),
        ("Known failures not run this time", [f"<li><code>{esc(k.label)}</code> {esc(k.reason)}</li>"
                                              for k in diff.not_run]),
    ]
    if diff.changed or diff.digest_changes:  # made under other requirements or scenarios: not regressions or fixes
        groups.append(("Changed since the baseline's requirements or scenarios", [item(s, why) for why, s in diff.changed]
                       + [f"<li>{esc(line)}</li>" for line in (diff.digest_changes.lines() if diff.digest_changes else [])]))
    for title, entries in (("Baseline entries not in this run's selection", diff.not_selected),
                           ("Baseline entries for scenarios removed since", diff.retired),
                           ("Stale baseline entries (match no scenario: an error)", diff.stale)):
        if entries:
            groups.append((title, [f"<li><code>{esc(k.label)}</code> {esc(k.reason)}</li>" for k in entries]))
    body = "".join(f"<h3>{esc(title)} ({len(items)})</h3><ul>{''.join(items) or '<li class=muted>none</li>'}</ul>"
                   for title, items in groups)
    return (f'<section id="baseline"><h2>Compared with the baseline</h2><p class="small">Baseline: '
            f"<code>{esc(diff.source)}</code>. {esc(diff.summary())}.</p>{body}</section>")


def _findings_note(scenarios: Iterable[Scenario]) -> str:
    """The warnings a cell's scenarios recorded (a SHOULD finding such as a refusal for another reason
    lives inside a passed scenario), counted in the cell so a passed mark does not hide them."""
    messages = [f"{c.get('id', '')}: {c.get('message', '')}" for s in scenarios
                for c in ((s.evidence or {}).get("checks") or []) if isinstance(c, Mapping) and c.get("status") == "warning"]
    if not messages:
        return ""
    return (f'<br><span class="small st-broken finding" title="{esc("; ".join(messages)[:600])}">'
            f'\u26a0 {len(messages)} finding{"s" if len(messages) != 1 else ""}</span>')


def _source_note(req: Requirement | None) -> str:
    """Where a rule comes from when not the linked final text (an errata draft, lerconf's own advice)."""
    return f'<br><span class="small source">{esc(req.source)}</span>' if req is not None and req.source else ""


def scorecard(data: ReportData) -> str:
    """Requirements (grouped by spec and role) by vendors; each cell links to its evidence."""
    cells = data.requirement_cells()
    keys = sorted({(rid, role) for rid, role, _ in cells},
                  key=lambda k: (spec_prefix(k[0]), role_order(k[1]), requirement_sort_key(k[0])))
    vendors = data.vendor_names
    head = "".join(f'<th scope="col">{esc(v)}</th>' for v in vendors)
    groups: dict[tuple[str, str], list[str]] = {}
    for rid, role in keys:
        req = _requirement(rid)
        marks = []
        statuses, present = set(), []
        for v in vendors:
            found = cells.get((rid, role, v))
            status = cell_status(s.status for s in found) if found else ""
            statuses.add(status or "none")
            if found:
                present.append(v)
                marks.append(f'<td class="st-{esc(status)}"><a href="#{cell_anchor(rid, role, v)}">'
                             f"{status_mark(status)}</a>{_findings_note(found)}</td>")
            else:
                marks.append(f"<td>{status_mark('')}</td>")
        title = req.title if req else ""
        strength = req.strength.value if req else ""
        groups.setdefault((spec_prefix(rid), role), []).append(
            f'<tr{_attrs(role=[role], spec=[spec_prefix(rid)], status=statuses, vendor=present)}>'
            f'<th scope="row"><a href="#{anchor("rq", rid)}">{esc(rid)}</a></th><td>{esc(title)}</td>'
            f"<td>{esc(strength)}{_source_note(req)}</td>{''.join(marks)}</tr>")
    body = "".join(
        f'<tbody data-group><tr><th colspan="{3 + len(vendors)}">{esc(spec_title(spec))} \u00b7 {esc(role)}</th></tr>'
        + "".join(rows) + "</tbody>" for (spec, role), rows in groups.items())
    return ('<section id="scorecard"><h2>Scorecard</h2><p class="small">One row per requirement and role, one '
            "column per vendor. A mark summarises the vendor's scenarios for that requirement: any failure shows "
            "as failed. Click a mark for the scenarios and their evidence.</p>"
            '<table class="scorecard"><thead><tr><th>Requirement</th><th>Title</th><th>Strength</th>'
            f"{head}</tr></thead>{body}</table></section>")


def at_risk(data: ReportData) -> str:
    if len(data.vendors) < 2:
        return ""
    rows = []
    for rid, marks in data.at_risk():
        req = _requirement(rid)
        passing = sum(1 for m in marks.values() if m == "passed")
        rows.append(f'<tr><th scope="row"><a href="#{anchor("rq", rid)}">{esc(rid)}</a></th>'
                    f'<td>{esc(req.title if req else "")}</td><td class="num risk">{passing}</td>'
                    + "".join(f"<td>{status_mark(marks[v])}</td>" for v in data.vendor_names) + "</tr>")
    head = "".join(f"<th>{esc(v)}</th>" for v in data.vendor_names)
    table = (f'<table><thead><tr><th>Requirement</th><th>Title</th><th class="num">vendors passing</th>{head}'
             f'</tr></thead><tbody>{"".join(rows)}</tbody></table>') if rows else (
        "<p>None: every requirement tested has at least two passing vendors.</p>")
    return (f'<section id="at-risk"><h2>Requirements at risk ({len(rows)})</h2><p class="small">Requirements that '
            "fewer than two vendors pass. A specification needs two independent passing implementations of each "
            f"feature; these lack them in this result set.</p>{table}</section>")


def _matrix_table(m: Matrix) -> str:
    corner = "issuer \u2193 / verifier \u2192" if m.kind == ISSUER_VERIFIER else "holder \u2193 / verifier \u2192"
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in m.columns)
    rows = []
    for r in m.rows:
        tds = []
        for c in m.columns:
            cell = m.cell(r, c)
            if cell is None and r == c == LERCONF:
                tds.append('<td class="muted" title="lerconf with itself is not tested">\u2014</td>')
                continue
            if cell is None:
                tds.append(f"<td>{status_mark('')}</td>")
                continue
            tds.append(_matrix_cell(cell))
        rows.append(f'<tr><th scope="row">{esc(r)}</th>{"".join(tds)}</tr>')
    return (f'<table class="matrix" data-matrix="{esc(m.kind)}"><thead><tr><th>{esc(corner)}</th>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def _matrix_cell(cell: Cell) -> str:
    """One interop matrix cell: its verdict (linked to the first failing scenario), passed/ran, variants."""
    first = next((s for s in cell.scenarios if s.status in ("failed", "broken")), cell.scenarios[0])
    n = cell.counts
    tip = f"{n.passed} passed, {n.failed} failed, {n.broken} broken, {n.skipped} skipped (not claimed or not judged)"
    variants = f'<br><span class="small muted">{esc(", ".join(sorted(cell.variants)))}</span>' if cell.variants else ""
    return (f'<td class="st-{esc(cell.status)}" title="{esc(tip)}"><a href="#{anchor("sc", first.id)}">'
            f'{status_mark(cell.status)}</a><br><span class="small">{n.passed}/{n.ran}</span>{variants}</td>')


def interop(matrices: Mapping[str, Matrix]) -> str:
    intro = ('<section id="interop"><h2>Interoperability</h2><p class="small">Does what the row party made verify '
             "at the column party? Counted from positive scenarios only (passed/ran); lerconf plays the roles a "
             'vendor lacks, shown as "lerconf (harness)". The diagonal is a vendor with itself (the lifecycle).</p>')
    parts = [intro]
    for kind, title in ((ISSUER_VERIFIER, "Issuer \u00d7 verifier"), (HOLDER_VERIFIER, "Holder \u00d7 verifier")):
        m = matrices.get(kind)
        parts.append(f"<h3>{esc(title)}</h3>")
        parts.append(_matrix_table(m) if m and m.rows and m.columns else '<p class="muted">No scenario.</p>')
    parts.append(openid_interop(matrices))
    return "".join(parts) + "</section>"


#: the OpenID matrices: title, corner, and what a cell answers
_OPENID_MATRICES = (
    (ISSUER_WALLET, "Issuer \u00d7 wallet (OpenID)", "issuer \u2193 / wallet \u2192",
     "Does the row vendor's OID4VCI issuer get its badge into the column vendor's wallet?"),
    (WALLET_VERIFIER, "Wallet \u00d7 verifier (OpenID)", "wallet \u2193 / verifier \u2192",
     "Does the column vendor's OID4VP verifier accept what the row vendor's wallet presents?"),
)


def openid_interop(matrices: Mapping[str, Matrix]) -> str:
    """The OpenID interop matrices (issuer x wallet, wallet x verifier), from the scenarios of
    features/interop/interop-openid.feature: each flow issuer -> wallet -> verifier fills one cell of each."""
    parts = ['<p class="small">Over OpenID, each flow goes issuer \u2192 wallet (OID4VCI) \u2192 verifier (OID4VP), '
             "judged end to end by the verifier's result hook; it fills one cell of each matrix below. A vendor's "
             "wallet is never paired with its own issuer or verifier.</p>"]
    for kind, title, corner, question in _OPENID_MATRICES:
        m = matrices.get(kind)
        parts.append(f'<h3>{esc(title)}</h3><p class="small muted">{esc(question)}</p>')
        if not (m and m.rows and m.columns and m.cells):
            parts.append('<p class="muted">No scenario (OpenID interop needs two or more vendors).</p>')
            continue
        head = "".join(f'<th scope="col">{esc(c)}</th>' for c in m.columns)
        rows = []
        for r in m.rows:
            tds = []
            for c in m.columns:
                cell = m.cell(r, c)
                if cell is None:
                    same = r == c
                    tip = "a vendor with itself is not an interop case" if same else "no flow through this pair"
                    mark = "\u2014" if same else status_mark("")
                    tds.append(f'<td class="muted" title="{esc(tip)}">{mark}</td>')
                    continue
                tds.append(_matrix_cell(cell))
            rows.append(f'<tr><th scope="row">{esc(r)}</th>{"".join(tds)}</tr>')
        parts.append(f'<table class="matrix" data-matrix="{esc(kind)}"><thead><tr><th>{esc(corner)}</th>{head}</tr></thead>'
                     f'<tbody>{"".join(rows)}</tbody></table>')
    return "".join(parts)


def _evidence_summary(s: Scenario) -> str:
    ev = s.evidence or {}
    counts = [(len(ev.get("exchanges") or []), "HTTP exchange"), (len(ev.get("checks") or []), "check"),
              (len(ev.get("documents") or {}), "document")]
    parts = [f"{n} {word}{'s' if n != 1 else ''}" for n, word in counts if n]
    return "evidence" + (": " + ", ".join(parts) if parts else "")


def _scenario_rows(s: Scenario, rid: str, first_anchor: str | None, marks: Mapping[str, str], rendered: set[str]) -> str:
    """The scenario's result row, then a full-width evidence row (hidden and shown with it)."""
    example = ", ".join(f"{k}={v}" for k, v in s.example.items())
    example_html = f'<br><span class="small muted">{esc(example)}</span>' if example else ""
    sid = anchor("sc", s.id)
    if s.id in rendered:
        ev = f'<a href="#{sid}" class="small">evidence: listed under {esc(s.requirement_ids[0])}</a>'
    else:
        rendered.add(s.id)
        ev = (f'<details class="ev" id="{sid}"><summary class="small">{esc(_evidence_summary(s))}</summary>'
              f'<p class="small muted">scenario <code>{esc(s.id)}</code> \u00b7 {esc(s.feature_file)} \u00b7 '
              f"{s.duration_s:.2f} s</p>{render_evidence(s.evidence)}</details>")
    row_id = f' id="{first_anchor}"' if first_anchor else ""
    return (f'<tr{row_id}{_attrs(role=[s.role], spec=[spec_prefix(rid)], status=[s.status], vendor=[s.vendor])}>'
            f"<td>{esc(s.vendor)}</td><td>{esc(s.role)}</td><td>{esc(s.name)}{example_html}</td>"
            f"<td>{status_mark(s.status)}{attested_badge(s.judged_by)}{spec_mode_badge(s.spec_mode)}"
            f"{baseline_badge(marks.get(s.id, ''))}</td>"
            f"<td>{esc(s.reason)}</td></tr>"
            f'<tr class="ev-row" data-follow><td colspan="5">{ev}</td></tr>')


def requirements(data: ReportData, diff: BaselineDiff | None) -> str:
    """Every requirement tested: its sentence and spec link, then each scenario with evidence."""
    by_req: dict[str, list[Scenario]] = {}
    for s in data.scenarios:
        for rid in s.requirement_ids or ("(none)",):
            by_req.setdefault(rid, []).append(s)
    marks = {s.id: diff.mark(s) for s in data.scenarios} if diff else {}
    order = {n: i for i, n in enumerate(data.vendor_names)}
    rendered: set[str] = set()
    per_spec: dict[str, list[str]] = {}
    for rid in sorted(by_req, key=lambda r: (spec_prefix(r), requirement_sort_key(r))):
        req = _requirement(rid)
        head = (f'<tr><th colspan="5" id="{anchor("rq", rid)}">{esc(rid)} \u00b7 '
                f'{spec_link(req.spec_url, req.section or "spec") if req else ""} \u00b7 {esc(req.strength.value if req else "")}'
                f'{_source_note(req)}'
                f'<br><strong>{esc(req.title if req else "")}</strong>'
                f'<br><span class="small">{esc(req.text if req else "")}</span></th></tr>')
        scenarios = sorted(by_req[rid], key=lambda s: (role_order(s.role), order.get(s.vendor, 99), s.name))
        seen_cells: set[tuple[str, str]] = set()
        rows = []
        for s in scenarios:
            cell = (s.role, s.vendor)
            first = cell_anchor(rid, s.role, s.vendor) if cell not in seen_cells else None
            seen_cells.add(cell)
            rows.append(_scenario_rows(s, rid, first, marks, rendered))
        per_spec.setdefault(spec_prefix(rid), []).append(f"<tbody data-group>{head}{''.join(rows)}</tbody>")
    tables = "".join(
        f'<div data-group><h3>{esc(spec_title(spec))}</h3><table class="reqs"><thead><tr><th>Vendor</th><th>Role</th>'
        f"<th>Scenario</th><th>Result</th><th>Reason</th></tr></thead>{''.join(groups)}</table></div>"
        for spec, groups in per_spec.items())
    return ('<section id="requirements"><h2>Requirements and evidence</h2><p class="small">Each requirement with '
            "its normative sentence and a link to the specification, then every scenario that tested it. "
            'Evidence (HTTP exchanges with secrets redacted, credentials, check output) opens under each scenario.</p>'
            f"{tables}</section>")
