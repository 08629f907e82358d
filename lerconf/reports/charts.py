"""Inline SVG line charts for the history site: rates over runs, drawn in Python.

No script, no library, no network: a chart is one ``<svg>`` element whose text (labels,
tooltips) is escaped like any other report text. Each series is a polyline with one ``<circle
class="pt">`` per run that has a value, and a ``<title>`` tooltip saying what that point is.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lerconf.reports.markup import esc, percent

#: series colours, in order (colour-blind friendly, Okabe-Ito)
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000")
#: point colours by verdict (the report's verdict colours)
VERDICT_COLOURS = {"conformant": "#1a7f37", "not conformant": "#c62828", "incomplete": "#b26a00",
                   "conformant with warnings": "#b26a00"}

WIDTH, HEIGHT = 760, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 12, 40


@dataclass(frozen=True)
class Point:
    """One value of a series at one run: a rate (None: nothing ran), its tooltip and its colour."""

    rate: float | None
    tip: str
    colour: str = ""


@dataclass(frozen=True)
class Series:
    name: str
    points: Sequence[Point]  # one per x label (run), None rates leave a gap


def _x(i: int, n: int) -> float:
    span = WIDTH - LEFT - RIGHT
    return LEFT + (span / 2 if n <= 1 else span * i / (n - 1))


def _y(rate: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1.0 - rate)


def _axes(labels: Sequence[str]) -> str:
    parts = []
    for tick in (0.0, 0.5, 1.0):
        y = _y(tick)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#d0d7de"/>'
                     f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{tick * 100:.0f}%</text>')
    step = max(1, len(labels) // 8)  # at most about eight x labels, the last one always
    for i, label in enumerate(labels):
        if i % step == 0 or i == len(labels) - 1:
            side = "middle" if len(labels) == 1 else "start" if i == 0 else "end" if i == len(labels) - 1 else "middle"
            parts.append(f'<text x="{_x(i, len(labels)):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="{side}" '
                         f'font-size="10">{esc(label)}</text>')
    return "".join(parts)


def _series(s: Series, colour: str, n: int, index: int) -> str:
    segments: list[list[str]] = [[]]
    dots = []
    for i, p in enumerate(s.points):
        if p.rate is None:
            segments.append([])
            continue
        x, y = _x(i, n), _y(p.rate)
        segments[-1].append(f"{x:.1f},{y:.1f}")
        dots.append(f'<circle class="pt" data-run="{i}" cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{esc(p.colour or colour)}" '
                    f'stroke="{colour}" stroke-width="1.5"><title>{esc(s.name)}: {esc(percent(p.rate))} \u2014 '
                    f"{esc(p.tip)}</title></circle>")
    lines = "".join(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(seg)}"/>'
                    for seg in segments if len(seg) > 1)
    return f'<g class="series" data-series="{index}">{lines}{"".join(dots)}</g>'


def line_chart(title: str, labels: Sequence[str], series: Sequence[Series]) -> str:
    """A rate-over-runs chart (0..100 %) with a legend; labels are the x axis (one per run)."""
    n = len(labels)
    body = "".join(_series(s, PALETTE[i % len(PALETTE)], n, i) for i, s in enumerate(series))
    legend = "".join(f'<span class="lg"><svg width="14" height="10" aria-hidden="true"><rect width="14" height="10" '
                     f'fill="{PALETTE[i % len(PALETTE)]}"/></svg> {esc(s.name)}</span> ' for i, s in enumerate(series))
    return (f'<figure class="chart"><svg class="trend" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
            f'aria-label="{esc(title)}"><title>{esc(title)}</title>'
            f"{_axes(labels)}{body}</svg><figcaption class=\"small\">{legend}</figcaption></figure>")
