"""`lerconf site`: history and a dashboard over many runs, from hand-made run directories.

Three runs of two vendors (tests/_site_data.py): Acme's VCDM-06 passes, fails, then passes
again, and the run directories' names sort differently from their start times.
"""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from _site_data import BREAK_REASON, HOSTILE, write_history

from lerconf.reports.charts import Point, Series, line_chart
from lerconf.reports.history import Change, changes
from lerconf.reports.site import vendor_page, write_site
from lerconf.run.cli import main


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("site")
    runs = write_history(base / "runs")
    assert main(["site", str(runs), "--out", str(base / "site")]) == 0
    return base / "site"


def _page(site: Path, vendor: str) -> str:
    return (site / vendor_page(vendor)).read_text(encoding="utf-8")


def _row(page: str, rid: str, role: str) -> str:
    found = re.search(rf'<tr><th scope="row">{re.escape(rid)}</th><td class="text">{role}</td>.*?</tr>', page)
    assert found, f"no history row for {rid} {role}"
    return found.group(0)


def _cell(row: str, css: str) -> str:
    found = re.search(rf'<td class="text small {css}">(.*?)</td>', row)
    assert found
    return found.group(1)


def test_vendor_page_names_when_it_broke_and_when_it_was_fixed(site: Path) -> None:
    row = _row(_page(site, "Acme"), "VCDM-06", "issuer")
    broke, fixed = _cell(row, "broke"), _cell(row, "fixed")
    assert "run-2" in broke and "2026-01-02T02:00:00Z" in broke and "run-1" not in broke and "run-3" not in broke
    assert "VCDM-06: issuer &lt;b&gt;is&lt;/b&gt; not a URL" in broke  # the reason, escaped
    assert "run-3" in fixed and "2026-01-03T02:00:00Z" in fixed and "run-2" not in fixed
    marks = re.findall(r'<td class="st-(\w+)"', row)
    assert marks == ["passed", "failed", "passed"]  # by start time, not by directory name
    steady = _row(_page(site, "Acme"), "VCDM-01", "issuer")
    assert "run-" not in _cell(steady, "broke") and "run-" not in _cell(steady, "fixed")


def test_a_requirement_only_some_runs_had_shows_as_not_tested_in_the_others(site: Path) -> None:
    row = _row(_page(site, "Acme"), "OB-05", "issuer")
    assert re.findall(r'<td class="st-(\w+)"', row) == ["none", "none", "passed"]


def test_trend_chart_has_one_point_per_run_and_role(site: Path) -> None:
    page = _page(site, "Acme")
    chart = page[page.index('id="verdicts"'):page.index("</svg>", page.index('id="verdicts"'))]
    series = re.findall(r'<g class="series".*?</g>', chart)
    assert len(series) == 2  # issuer, verifier
    for s in series:
        assert re.findall(r'data-run="(\d)"', s) == ["0", "1", "2"]
    issuer = series[0]
    assert "not conformant" in issuer and 'fill="#c62828"' in issuer  # the broken run's point says its verdict


def test_index_lists_both_vendors_and_the_latest_results(site: Path) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    for name in ("Acme", HOSTILE):
        assert f'href="{vendor_page(name)}"' in index
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Corp" in index
    assert '<table class="scorecard">' in index and 'data-matrix="issuer-verifier"' in index
    assert "run-3" in index[index.index('id="latest"'):index.index('id="scorecard"')]
    chart = index[index.index('id="spec-areas"'):index.index("</svg>", index.index('id="spec-areas"'))]
    names = re.findall(r'<g class="series" data-series="\d">.*?</g>', chart)
    points = [len(re.findall(r'class="pt"', s)) for s in names]
    assert sorted(points) == [1, 1, 3, 3]  # API and OB only in the last run; DI and VCDM in all three


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in ("href", "src", "xlink:href", "action", "data", "poster") and value is not None:
                self.links.append((tag, name, value))


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_link_resolves_to_a_file_in_the_site(site: Path) -> None:
    pages = sorted(site.glob("*.html"))
    assert len(pages) == 4  # index, latest, two vendors
    parsed = {p.name: _parse(p) for p in pages}
    local = 0
    for page, links in parsed.items():
        for tag, _attr, value in links.links:
            parts = urlsplit(value)
            if parts.scheme in ("http", "https"):
                continue  # spec links: checked in the next test
            assert not parts.scheme and not parts.netloc and tag == "a", f"{page}: {value}"
            target = (site / unquote(parts.path)).resolve() if parts.path else (site / page).resolve()
            assert target.parent == site.resolve() and target.is_file(), f"{page}: {value}"
            if parts.fragment:
                assert parts.fragment in parsed[target.name].ids, f"{page}: {value}"
            local += 1
    assert local > 20


def test_no_network_asset_references(site: Path) -> None:
    pages = sorted(site.glob("*.html"))
    assert len(pages) >= 4, pages  # index, latest and a page per vendor
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<(link|img|iframe|object|embed|audio|video|source)\b", text), path.name
        assert not re.search(r"\b(src|xlink:href|action)=", text), path.name
        assert "url(" not in text and "@import" not in text, path.name
        for tag, _attr, value in _parse(path).links:
            if urlsplit(value).scheme in ("http", "https"):
                assert tag == "a", f"{path.name}: {value}"
                assert re.search(rf'<a href="{re.escape(html.escape(value))}" rel="noreferrer noopener"', text), value  # a spec link
        assert "Content-Security-Policy" in text and "default-src 'none'" in html.unescape(text)


def test_vendor_names_and_reasons_are_escaped_everywhere(site: Path) -> None:
    pages = sorted(site.glob("*.html"))
    assert len(pages) >= 4, pages
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in text and "<b>is</b>" not in text, path.name
    hostile = _page(site, HOSTILE)
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt; Corp</h1>" in hostile
    assert "<script" not in (site / "index.html").read_text(encoding="utf-8")  # the site's own pages run no script
    assert BREAK_REASON not in _page(site, "Acme")


def test_changes_track_each_break_and_fix() -> None:
    row = [("failed", "a"), ("passed", ""), ("skipped", ""), ("", ""), ("broken", "b"), ("failed", "c"), ("passed", "")]
    assert changes(row) == [Change("fixed", 1), Change("broke", 4, "b"), Change("fixed", 6)]
    assert changes([("passed", ""), ("passed", "")]) == []


def test_chart_leaves_gaps_and_escapes_labels() -> None:
    svg = line_chart("<t>", ["<a>", "b", "c"], [Series("<s>", [Point(1.0, "x"), Point(None, ""), Point(0.5, "<y>")])])
    assert svg.count('class="pt"') == 2 and "<polyline" not in svg  # no line across the gap
    assert "<t>" not in svg and "<a>" not in svg and "<s>" not in svg and "<y>" not in svg


def test_site_accepts_run_directories_themselves_once_each(tmp_path: Path) -> None:
    runs = write_history(tmp_path / "runs")
    outcome = write_site([runs / "b-third", runs / "c-first", runs / "latest", runs], tmp_path / "out")
    assert outcome.runs == 3 and outcome.vendors == ["Acme", HOSTILE]


def test_site_without_runs_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()
    assert main(["site", str(tmp_path / "empty"), "--out", str(tmp_path / "out")]) == 2
    assert "no results.json" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
