"""Escaping and the report's vocabulary of marks.

Everything a report shows from results.json came from a vendor (names, reasons, HTTP bodies),
so every value passes through `esc` and never becomes a URL, an attribute name or markup. The
only links out of the report are spec links from lerconf's own requirement registry.
"""
from __future__ import annotations

import hashlib
import html
from typing import Any

from lerconf.documents.json_values import pretty_json

#: status -> (symbol, words) for every mark a cell can carry; the legend is built from this
STATUS_MARKS: dict[str, tuple[str, str]] = {
    "passed": ("\u2714", "passed"),
    "failed": ("\u2718", "failed"),
    "broken": ("\u26a0", "broken"),
    "skipped": ("\u2013", "not claimed"),
    "": ("\u00b7", "not tested"),
}
STATUS_HELP = {
    "passed": "the vendor did what the requirement asks",
    "failed": "the vendor answered, and the answer breaks the requirement",
    "broken": "no usable answer (server error, timeout, refused credentials): conformance unknown",
    "skipped": "the vendor does not claim this feature (or the role/scenario was not selected): not counted",
    "": "no scenario of this run tests it",
}
VERDICT_HELP = {
    "conformant": "every claimed MUST and SHOULD scenario passed",
    "conformant with warnings": "every claimed MUST passed; a SHOULD (recommendation) failed or broke",
    "incomplete": "no MUST failed, but a MUST scenario broke or the run was interrupted",
    "not conformant": "at least one claimed MUST scenario failed",
    "not claimed": "the vendor does not offer this role or its features",
    "not tested": "nothing of this role ran",
}
BASELINE_MARKS = {
    "new": ("new failure", "failing now, not failing (nor expected to) in the baseline: a regression"),
    "fixed": ("fixed", "expected to fail by the baseline, passes now"),
    "known": ("known failure", "still failing, as the baseline expects"),
    "changed": ("changed since baseline", "its scenario or requirements changed since the baseline: neither a regression nor a fix"),
}
SPEC_NAMES = {
    "VCDM": "W3C VC Data Model 2.0", "DI": "W3C VC Data Integrity", "DIVP": "Data Integrity presentations",
    "ED": "EdDSA cryptosuites", "EC": "ECDSA cryptosuites", "CID": "Controlled Identifiers",
    "DID": "DID methods", "JC": "VC JOSE/COSE", "JWT11": "VC 1.1 JWT", "SDJ": "SD-JWT VC",
    "OB": "Open Badges 3.0", "OBAPI": "Open Badges 3.0 API", "CLR": "CLR 2.0", "API": "VC API (VCALM)",
    "VCI": "OpenID4VCI", "VP": "OpenID4VP", "BSL": "Bitstring Status List", "LER": "LER-RS",
}


def esc(value: Any) -> str:
    """HTML-escape any value for text or a double-quoted attribute."""
    return html.escape("" if value is None else str(value), quote=True)


def esc_pre(value: Any) -> str:
    """Escape for <pre> text: <, > and & only (quotes are harmless there and common in JSON)."""
    return html.escape("" if value is None else str(value), quote=False)


def to_json(value: Any) -> str:
    return pretty_json(value)  # json.dumps(value, indent=1, ensure_ascii=False, default=str), faster


def anchor(*parts: str) -> str:
    """A safe, stable element id for any (vendor-controlled) text."""
    return "a" + hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def token(text: str) -> str:
    """A filter token for a value that may contain spaces or markup (vendor names, roles)."""
    return "t" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def status_mark(status: str, *, words: bool = True) -> str:
    symbol, label = STATUS_MARKS.get(status, STATUS_MARKS[""])
    text = f"{symbol} {label}" if words else symbol
    return f'<span class="mark st-{esc(status or "none")}" title="{esc(label)}">{esc(text)}</span>'


DRAFT_ONLY_HELP = ("run in a pre-final protocol mode the vendor claims (OID4VCI draft 13, an OID4VP draft): "
                   "what it says holds for that draft only, never for the final specification")
ECOSYSTEM_HELP = ("an ecosystem profile the vendor claims (e.g. the Learning Mobility Collaborative's VCALM EdDSA "
                  "profile): conformance to that community's narrower rules, reported in its own row and never "
                  "counted as conformance to the specifications")
ATTESTED_HELP = ("judged by what an operator reported a person saw (what a displayer showed, the verdict a verifier web "
                 "page gave), with screenshots as evidence: counted in its own row, never mixed with the verdicts "
                 "lerconf's own observation decides")
#: the colour class of an ecosystem row's answer ("conforms to LMC vcalm-eddsa 0.1: no")
_ECOSYSTEM_CSS = {"yes": "v-conformant", "yes, with warnings": "v-conformant-with-warnings", "no": "v-not-conformant"}


def verdict_badge(verdict: str) -> str:
    if verdict.startswith("attested: "):
        return (f'<span class="verdict v-attested" title="{esc(ATTESTED_HELP)}">attested</span> '
                + verdict_badge(verdict.removeprefix("attested: ")))
    if verdict.startswith("draft-only: "):
        inner = verdict.removeprefix("draft-only: ")
        return (f'<span class="verdict v-draft-only" title="{esc(DRAFT_ONLY_HELP)}">draft-only</span> '
                + verdict_badge(inner))
    if verdict.startswith("conforms to ") and ": " in verdict:  # an ecosystem profile's row
        answer = verdict.rsplit(": ", 1)[1]
        css = _ECOSYSTEM_CSS.get(answer, "v-" + answer.replace(" ", "-"))
        return f'<span class="verdict {esc(css)}" title="{esc(ECOSYSTEM_HELP)}">{esc(verdict)}</span>'
    css = "v-" + verdict.replace(" ", "-")
    return f'<span class="verdict {esc(css)}" title="{esc(VERDICT_HELP.get(verdict, ""))}">{esc(verdict)}</span>'


def spec_mode_badge(mode: str) -> str:
    """The "draft-only" tag on a scenario row, with the draft it ran against in its tooltip."""
    if not mode:
        return ""
    return f' <span class="tag b-draft" title="{esc(mode + " — " + DRAFT_ONLY_HELP)}">draft-only</span>'


def attested_badge(judged_by: str) -> str:
    """The "attested" tag on a scenario row: an operator's report decided it, not lerconf's observation."""
    if judged_by != "attested":
        return ""
    return f' <span class="tag b-attested" title="{esc(ATTESTED_HELP)}">attested</span>'


def baseline_badge(mark: str) -> str:
    if not mark:
        return ""
    label, help_text = BASELINE_MARKS[mark]
    return f' <span class="tag b-{esc(mark)}" title="{esc(help_text)}">{esc(label)}</span>'


def spec_link(url: str, text: str) -> str:
    """A link to a spec from lerconf's registry; anything but http(s) is shown as plain text."""
    if url.startswith(("https://", "http://")) and not any(c in url for c in "\"'<> \n"):
        return f'<a href="{esc(url)}" rel="noreferrer noopener" target="_blank">{esc(text)}</a>'
    return esc(text)


def percent(rate: float | None) -> str:
    return "\u2014" if rate is None else f"{rate * 100:.0f}\u202f%"


def rate_bar(rate: float | None, width: int = 90) -> str:
    """A tiny inline SVG bar, so pass rates read at a glance on screen and on paper."""
    if rate is None:
        return ""
    filled = round(width * rate)
    color = "#1a7f37" if rate >= 0.999 else "#b26a00" if rate >= 0.8 else "#c62828"
    return (f'<svg class="bar" width="{width}" height="10" role="img" aria-label="{esc(percent(rate))}">'
            f'<rect width="{width}" height="10" fill="#e5e7eb"/><rect width="{filled}" height="10" fill="{color}"/></svg>')
