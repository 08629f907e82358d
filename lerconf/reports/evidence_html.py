"""Evidence of one scenario as HTML: checks, HTTP exchanges, documents and notes.

Evidence is shown as lerconf stored it: already redacted when it was recorded. This module
only escapes; it never decodes, un-redacts or follows anything (URLs are text, not links).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lerconf.reports.markup import esc, esc_pre, to_json

_CHECK_MARK = {"passed": "passed", "failed": "failed", "warning": "broken", "not_applicable": "skipped"}


def _checks(checks: list[Any]) -> str:
    rows = []
    for c in checks:
        if not isinstance(c, Mapping):
            rows.append(f'<tr><td colspan="5"><code>{esc(to_json(c))}</code></td></tr>')
            continue
        status = str(c.get("status", ""))
        details = c.get("details")
        extra = f'<br><code class="small">{esc(to_json(details))}</code>' if details else ""
        rows.append(
            f'<tr><td><code>{esc(c.get("id", ""))}</code></td>'
            f'<td class="st-{esc(_CHECK_MARK.get(status, "none"))}">{esc(status.replace("_", " "))}</td>'
            f'<td>{esc(c.get("severity", ""))}</td><td>{esc(c.get("message", ""))}{extra}</td>'
            f'<td><code>{esc(c.get("subject", ""))}</code></td></tr>')
    return ('<h4>Checks</h4><table class="small"><thead><tr><th>Requirement</th><th>Result</th><th>Strength</th>'
            f'<th>What lerconf observed</th><th>Where</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')


def _exchange(i: int, x: Any) -> str:
    if not isinstance(x, Mapping):
        return f"<pre>{esc_pre(to_json(x))}</pre>"
    raw_request, raw_response = x.get("request"), x.get("response")
    request: Mapping[str, Any] = raw_request if isinstance(raw_request, Mapping) else {}
    response: Mapping[str, Any] | None = raw_response if isinstance(raw_response, Mapping) else None
    status = response.get("status", "") if response else "no response"
    summary = (f'HTTP {i}: {esc(request.get("method", ""))} <code>{esc(request.get("url", ""))}</code> '
               f'\u2192 {esc(status)} \u00b7 {esc(x.get("outcome", ""))}'
               + (f' \u00b7 {esc(x.get("elapsed_ms"))} ms' if x.get("elapsed_ms") is not None else ""))
    reason = f'<p class="small">{esc(x.get("reason"))}</p>' if x.get("reason") else ""
    parts = [f"<h5>Request</h5><pre>{esc_pre(to_json(request))}</pre>"]
    if response is not None:
        parts.append(f"<h5>Response</h5><pre>{esc_pre(to_json(response))}</pre>")
    rest = {k: v for k, v in x.items() if k not in ("request", "response", "outcome", "reason", "elapsed_ms")}
    if rest:
        parts.append(f"<h5>More</h5><pre>{esc_pre(to_json(rest))}</pre>")
    return f'<details><summary>{summary}</summary>{reason}{"".join(parts)}</details>'


def _attestations(attestations: list[Any]) -> str:
    """What an operator reported, question by question, beside what lerconf expected: an attested
    scenario's evidence, shown under its own heading so it is never read as lerconf's observation."""
    out = []
    for a in attestations:
        if not isinstance(a, Mapping):
            continue
        rows = []
        for q in a.get("questions") or []:
            if not isinstance(q, Mapping):
                continue
            verdict = str(q.get("verdict", ""))
            rows.append(f'<tr><td>{esc(q.get("label") or q.get("id", ""))}</td><td>{esc(q.get("expected", ""))}</td>'
                        f'<td>{esc(q.get("answer", ""))}</td>'
                        f'<td class="st-{esc(_CHECK_MARK.get(verdict, "none"))}">{esc(verdict)}</td></tr>')
        shots = "".join(f'<li><code>{esc(s.get("sha256", ""))}</code> {esc(s.get("content_type", ""))}, '
                        f'{esc(s.get("bytes", ""))} bytes</li>' for s in a.get("screenshots") or [] if isinstance(s, Mapping))
        out.append(f'<p class="small">manual step {esc(a.get("step", ""))}: {esc(a.get("title", ""))}'
                   + (f' \u00b7 operator: {esc(a.get("operator"))}' if a.get("operator") else "") + "</p>"
                   '<table class="small"><thead><tr><th>Question</th><th>lerconf expected</th><th>Operator reported</th>'
                   f'<th>Result</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
                   + (f'<p class="small">screenshots (SHA-256):</p><ul class="small">{shots}</ul>' if shots else ""))
    return ('<h4>Attested by the operator (what a person reported seeing; not lerconf\'s observation)</h4>'
            + "".join(out))


def render_evidence(evidence: Mapping[str, Any] | None) -> str:
    """The body of one scenario's evidence <details>; empty evidence says so rather than vanish."""
    if not evidence:
        return '<p class="muted small">No evidence was recorded (the scenario did not start).</p>'
    out = []
    attestations = evidence.get("attestations") or []
    if attestations:
        out.append(_attestations(list(attestations)))
    notes = evidence.get("notes") or []
    if notes:
        out.append("<h4>Notes</h4><ul>" + "".join(f"<li>{esc(n)}</li>" for n in notes) + "</ul>")
    checks = evidence.get("checks") or []
    if checks:
        out.append(_checks(list(checks)))
    exchanges = evidence.get("exchanges") or []
    if exchanges:
        out.append("<h4>HTTP exchanges (secrets redacted)</h4>"
                   + "".join(_exchange(i + 1, x) for i, x in enumerate(exchanges)))
    documents = evidence.get("documents") or {}
    if isinstance(documents, Mapping) and documents:
        out.append("<h4>Documents</h4>" + "".join(
            f"<details><summary>{esc(name)}</summary><pre>{esc_pre(to_json(doc))}</pre></details>"
            for name, doc in documents.items()))
    known = {"notes", "checks", "exchanges", "documents", "attestations"}
    rest = {k: v for k, v in evidence.items() if k not in known}
    if rest:
        out.append(f"<h4>Other evidence</h4><pre>{esc_pre(to_json(rest))}</pre>")
    return "".join(out) or '<p class="muted small">The scenario recorded no exchanges, checks or documents.</p>'
