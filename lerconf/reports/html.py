"""report.html: one self-contained page a non-programmer can read, print and archive.

No network at view time: CSS, script and charts (SVG) are inline, and a Content-Security-Policy
forbids every fetch, so the page works offline and cannot call home even if some vendor text
got past escaping. The only outgoing links are spec links from lerconf's requirement registry.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from lerconf.reports import sections, summary
from lerconf.reports.assets import CSS, JS, content_security_policy
from lerconf.reports.interop import Matrix
from lerconf.reports.markup import (
    ATTESTED_HELP,
    BASELINE_MARKS,
    DRAFT_ONLY_HELP,
    ECOSYSTEM_HELP,
    STATUS_HELP,
    STATUS_MARKS,
    VERDICT_HELP,
    esc,
    esc_pre,
    status_mark,
    to_json,
    token,
    verdict_badge,
)
from lerconf.reports.model import ReportData, role_order, spec_prefix
from lerconf.version import __version__

if TYPE_CHECKING:
    from lerconf.reports.baseline import BaselineDiff


def _banner(data: ReportData, diff: BaselineDiff | None) -> str:
    notes = []
    for run in data.runs:  # a lowered status list minimum changes what BSL-16 verdicts mean: said first
        note = run.status_list_note()
        if note:
            runs = f" (run {esc(run.id)})" if len(data.runs) > 1 else ""
            notes.append(f'<div class="banner warn" id="status-list-minimum"><strong>{esc(note)}</strong>{runs}. '
                         "BSL-16 verdicts in this report apply that minimum.</div>")
    if not data.complete:
        notes.append('<div class="banner warn">This result set includes a run that did not finish (interrupted or '
                     "killed): the report shows what it recorded, and verdicts are at best incomplete.</div>")
    if diff is not None:
        css = "bad" if diff.exit_code else "ok"
        notes.append(f'<div class="banner {css}"><strong>Against the baseline:</strong> {esc(diff.summary())}.</div>')
    else:
        failures = data.must_failures()
        if failures:
            attested = sum(1 for s in failures if s.attested)
            said = f" ({attested} of them attested: an operator reported what a person saw)" if attested else ""
            notes.append(f'<div class="banner bad"><strong>{len(failures)} claimed MUST scenario(s) failed or broke'
                         f"{esc(said)}.</strong> See the summary and the scorecard below.</div>")
        elif data.scenarios:
            notes.append('<div class="banner ok"><strong>No claimed MUST scenario failed or broke.</strong></div>')
        else:
            notes.append('<div class="banner warn">No scenario was recorded.</div>')
    return "".join(notes)


def _filters(data: ReportData) -> str:
    def select(name: str, label: str, values: list[tuple[str, str]]) -> str:
        options = "".join(f'<option value="{token(v)}">{esc(text)}</option>' for v, text in values)
        return f'<label>{esc(label)}<select name="{name}"><option value="">all</option>{options}</select></label>'

    roles = sorted({s.role for s in data.scenarios}, key=role_order)
    specs = sorted({spec_prefix(r) for s in data.scenarios for r in s.requirement_ids})
    statuses = [(s, f"{STATUS_MARKS[s][0]} {STATUS_MARKS[s][1]}") for s in ("passed", "failed", "broken", "skipped")]
    return ('<div class="filters noprint" role="search">'
            + select("role", "Role", [(r, r) for r in roles])
            + select("spec", "Spec", [(p, sections.spec_title(p)) for p in specs])
            + select("status", "Result", statuses)
            + select("vendor", "Vendor", [(v, v) for v in data.vendor_names])
            + '<button type="button" id="reset-filters">reset</button>'
            '<button type="button" id="expand-all">open all evidence</button>'
            '<button type="button" id="collapse-all">close all evidence</button>'
            '<span id="filter-count" class="small muted"></span></div>')


def _legend() -> str:
    marks = "".join(f"<dt>{status_mark(s)}</dt><dd>{esc(STATUS_HELP[s])}</dd>" for s in STATUS_MARKS)
    verdicts = "".join(f"<dt>{verdict_badge(v)}</dt><dd>{esc(h)}</dd>" for v, h in VERDICT_HELP.items())
    verdicts += f'<dt><span class="verdict v-draft-only">draft-only</span></dt><dd>{esc(DRAFT_ONLY_HELP)}</dd>'
    verdicts += f'<dt><span class="verdict v-conformant">conforms to &lt;ecosystem&gt;: yes</span></dt><dd>{esc(ECOSYSTEM_HELP)}</dd>'
    verdicts += f'<dt><span class="verdict v-attested">attested</span></dt><dd>{esc(ATTESTED_HELP)}</dd>'
    base = "".join(f'<dt><span class="tag b-{esc(k)}">{esc(label)}</span></dt><dd>{esc(h)}</dd>'
                   for k, (label, h) in BASELINE_MARKS.items())
    return ('<section id="legend"><h2>How to read this report</h2><dl class="legend">'
            f"{marks}{verdicts}{base}"
            "<dt>MUST / SHOULD pass rate</dt><dd>scenarios passed over scenarios that ran (not claimed ones are "
            "left out); SHOULD includes MAY</dd>"
            '<dt><span class="risk">at risk</span></dt><dd>a requirement fewer than two vendors pass</dd>'
            "<dt>n/m in a matrix cell</dt><dd>m positive scenarios ran between the two parties, n passed</dd>"
            "</dl></section>")


def _environment(data: ReportData) -> str:
    runs = []
    for r in data.runs:
        rows = [("run id", r.id), ("lerconf version", r.lerconf_version), ("Python", r.python),
                ("platform", r.platform), ("started", r.started), ("finished", r.finished or "not finished"),
                ("complete", "yes" if r.complete else "no (partial results)"),
                ("command line", " ".join(r.command)), ("results.json sha256", r.results_sha256)]
        if r.status_list_note():
            rows.append(("status list minimum", r.status_list_note()))
        rows += [(f"run.environment {k}", v if isinstance(v, str) else to_json(v)) for k, v in r.environment.items()]
        rows += [(k, v) for k, v in r.properties.items()]
        body = "".join(f'<tr><th scope="row">{esc(k)}</th><td><code>{esc(v)}</code></td></tr>' for k, v in rows)
        runs.append(f"<h3>Run {esc(r.id)}</h3><table class=\"small\"><tbody>{body}</tbody></table>")
    profiles = "".join(f'<details><summary>{esc(v.name)}</summary><pre>{esc_pre(to_json(v.profile))}</pre></details>'
                       for v in data.vendors)
    return (f'<section id="environment"><h2>Environment</h2><p class="small">Report generated by lerconf '
            f"{esc(__version__)}. Context and schema digests appear as recorded by the run.</p>{''.join(runs)}"
            f"<h3>Vendor profiles (public view: endpoints and claims, never secrets)</h3>{profiles}</section>")


def render(data: ReportData, matrices: Mapping[str, Matrix], diff: BaselineDiff | None = None,
           generated: datetime | None = None) -> str:
    """The whole page as one string."""
    generated = generated or datetime.now(UTC)
    vendors = ", ".join(data.vendor_names) or "no vendor"
    toc = "".join(f'<a href="#{a}">{esc(t)}</a>' for a, t in (
        ("summary", "Summary"), ("baseline", "Baseline") if diff else ("", ""), ("scorecard", "Scorecard"),
        ("at-risk", "At risk") if len(data.vendors) > 1 else ("", ""), ("interop", "Interop"),
        ("requirements", "Requirements"), ("environment", "Environment"), ("legend", "Legend")) if a)
    body = "".join([
        summary.section(data), _banner(data, diff), f'<nav class="toc noprint">{toc}</nav>', _filters(data), sections.summary(data),
        sections.baseline(diff), sections.scorecard(data), sections.at_risk(data), sections.interop(matrices),
        sections.requirements(data, diff), _environment(data), _legend(),
    ])
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{esc(content_security_policy())}">'
            '<meta name="referrer" content="no-referrer">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>lerconf conformance report \u2014 {esc(vendors)}</title><style>{CSS}</style></head><body>"
            f"<h1>Conformance report</h1><p class=\"sub\">{esc(vendors)} \u00b7 "
            f"{len(data.runs)} run(s): {esc(', '.join(r.id for r in data.runs))} \u00b7 generated "
            f"{esc(generated.isoformat(timespec='seconds'))} by lerconf {esc(__version__)}</p>"
            f"{body}<script>{JS}</script></body></html>\n")
