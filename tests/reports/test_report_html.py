"""report.html: self-contained, escaped (results are vendor-controlled), and complete."""
from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

from _report_data import results, scenario, three_vendors, vendor, write_run

from lerconf.reports import write_report
from lerconf.reports.assets import CSS, JS
from lerconf.reports.markup import STATUS_MARKS
from lerconf.requirements import all_requirements

EVIL = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&'


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def _parse(html: str) -> _Collector:
    c = _Collector()
    c.feed(html)
    return c


def _evil_run(tmp_path: Path) -> Path:
    s = scenario(f"name {EVIL}", f"vendor {EVIL}", status="failed", reason=f"reason {EVIL}",
                 example={"mutator": EVIL})
    s["evidence"]["exchanges"][0]["request"]["url"] = f"https://evil.example/{EVIL}"
    s["evidence"]["exchanges"][0]["response"]["body"] = {"detail": EVIL, "link": "javascript:alert(3)"}
    s["evidence"]["documents"][EVIL] = {"name": EVIL}
    s["evidence"]["notes"] = [EVIL]
    s["evidence"]["checks"][0]["message"] = EVIL
    s["evidence"]["checks"][0]["details"] = {"x": EVIL}
    s["interop"] = None
    v = vendor(f"vendor {EVIL}", version=EVIL)
    v["contact"] = EVIL
    return write_run(tmp_path / "evil", results([v], [s], command=["lerconf", EVIL], environment={"x": EVIL}))


def test_vendor_data_is_escaped_everywhere(tmp_path: Path) -> None:
    html = write_report([_evil_run(tmp_path)]).report.read_text(encoding="utf-8")
    parsed = _parse(html)
    assert [t for t, _ in parsed.tags if t == "script"] == ["script"]  # only ours
    assert not [t for t, _ in parsed.tags if t == "img"]
    assert not any(k.startswith("on") for _, attrs in parsed.tags for k in attrs)
    assert "<script>alert" not in html and "onerror=alert(2)>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html
    assert parsed.scripts == [JS]


def test_no_external_references_but_spec_links(tmp_path: Path) -> None:
    html = write_report([write_run(tmp_path / "r", three_vendors())]).report.read_text(encoding="utf-8")
    spec_urls = {r.spec_url for r in all_requirements().values()}
    tags = _parse(html).tags
    assert not [t for t, _ in tags if t in ("link", "iframe", "object", "embed", "img", "base")]
    for tag, attrs in tags:
        for name in ("src", "href", "action", "data", "poster", "srcset", "xlink:href"):
            value = attrs.get(name)
            if value is None:
                continue
            assert value.startswith("#") or value in spec_urls, (tag, name, value)
    assert not re.search(r"@import|url\(|<link\b|<iframe|<object|<embed", html, re.IGNORECASE)
    assert "fonts.googleapis" not in html and "cdn" not in html.lower().replace("vendor", "")


def test_content_security_policy_allows_only_our_blocks(tmp_path: Path) -> None:
    html = write_report([write_run(tmp_path / "r", three_vendors())]).report.read_text(encoding="utf-8")
    csp = next(a["content"] for t, a in _parse(html).tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert csp and "default-src 'none'" in csp
    for block in (CSS, JS):
        digest = base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert f"<style>{CSS}</style>" in html and f"<script>{JS}</script>" in html


def test_report_has_every_section_legend_and_filter(tmp_path: Path) -> None:
    html = write_report([write_run(tmp_path / "r", three_vendors())]).report.read_text(encoding="utf-8")
    for section in ("summary", "scorecard", "at-risk", "interop", "requirements", "environment", "legend"):
        assert f'id="{section}"' in html
    for symbol, words in STATUS_MARKS.values():
        assert f"{symbol} {words}" in html
    for name in ("role", "spec", "status", "vendor"):
        assert f'<select name="{name}">' in html
    assert "Requirements at risk (1)" in html
    assert "version 2.3.1" in html  # vendor version in the summary
    assert "not conformant" in html and "incomplete" in html
    assert "@media print" in html


def test_single_vendor_report_has_no_at_risk_section(tmp_path: Path) -> None:
    html = write_report([write_run(tmp_path / "r", results([vendor("A")], [scenario("a", "A")]))]).report.read_text("utf-8")
    assert 'id="at-risk"' not in html and 'id="scorecard"' in html


def test_out_may_name_the_html_file(tmp_path: Path) -> None:
    run = write_run(tmp_path / "r", three_vendors())
    outcome = write_report([run], out=tmp_path / "site" / "index.html")
    assert outcome.report == tmp_path / "site" / "index.html" and outcome.report.is_file()


def test_draft_only_results_are_labelled_in_summary_and_rows(tmp_path: Path) -> None:
    run = write_run(tmp_path / "r", results([vendor("A", roles=())], [
        scenario("final metadata", "A", role="oid4vci_issuer", req="VCI-01"),
        scenario("draft metadata", "A", role="oid4vci_issuer", req="VCI-02", spec_mode="draft-only: OID4VCI draft 13")]))
    html = write_report([run]).report.read_text(encoding="utf-8")
    assert "oid4vci_issuer (draft-only)" in html
    assert html.count('class="tag b-draft"') == 1  # the one draft-mode scenario row, not the final one
    assert "draft-only: OID4VCI draft 13" in html  # which draft, in the tooltip
    summary = html[html.index('id="summary"'):html.index("</section>", html.index('id="summary"'))]
    assert summary.count('class="verdict v-draft-only"') == 1
