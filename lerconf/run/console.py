"""The console of `lerconf run`, made to be read in CI logs.

One line per scenario as it finishes: a counter, its status, vendor and name and, unless it
passed, its reason on the same line (one line, truncated). Scenarios a ``--role`` run did not
select print nothing. With a baseline, a failure the baseline knows prints as KNOWN, a known one
that passes now as FIXED, and a failure it does not know carries ``[new]``. The run ends with the
failures grouped by reason (requirement ids and the reason's first words), the baseline's new
failures and fixes by name, then the counts and where the results are.

pytest's own console is quieted while lerconf's is in charge (`lerconf run` passes
``--lerconf-console``): no progress letters or percentages; collection errors (a step module that
fails to import, a feature pytest-bdd cannot parse) still print, since then pytest cannot start.

Colour only when stdout is a terminal and ``NO_COLOR`` is unset. With ``GITHUB_ACTIONS=true``,
failed and broken scenarios also print GitHub workflow annotations (``::error``, ``::warning``
for SHOULD/MAY ones) with the escaping GitHub requires.
"""
from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

__all__ = ["Console", "FailureGroup", "github_data", "github_property", "group_failures", "is_role_not_selected",
           "one_line", "role_not_selected", "use_color"]

#: the longest reason a scenario line shows (the full reason is in results.json and the report)
REASON_WIDTH = 200
FAILING = ("failed", "broken")
_COLORS = {"PASSED": "32", "FAILED": "31;1", "BROKEN": "35;1", "SKIPPED": "33", "KNOWN": "33;1", "FIXED": "36;1",
           "NEW": "31;1"}
_ROLE_NOT_SELECTED = re.compile(r"role \S+ not selected")


def role_not_selected(role: str) -> str:
    """The skip reason of a scenario whose role a ``--role`` run did not select."""
    return f"role {role} not selected"


def is_role_not_selected(reason: str) -> bool:
    return bool(_ROLE_NOT_SELECTED.fullmatch(reason or ""))


def use_color(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set to anything but "" (no-color.org)."""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR", ""):
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (ValueError, OSError):  # a closed stream
        return False


def one_line(text: str, width: int = REASON_WIDTH) -> str:
    """``text`` on one line (runs of whitespace, newlines included, become one space), cut at
    ``width`` characters with "..." when longer."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= width else flat[: max(width - 3, 1)].rstrip() + "..."


def github_data(text: str) -> str:
    """A workflow command's message, escaped as GitHub requires (%, CR, LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """A workflow command's property value (title=...): also ':' and ','."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def _strength(scenario: Mapping[str, Any]) -> str:
    return str(scenario.get("severity") or "MUST")


def _reason_words(reason: str, words: int = 8) -> str:
    """What a group of failures shares: the reason's first line, its first words, without the
    requirement id it may start with (the group names the ids)."""
    first = next((line.strip() for line in str(reason).splitlines() if line.strip()), "")
    first = re.sub(r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+:\s*", "", first)
    return " ".join(first.split()[:words])


@dataclass
class FailureGroup:
    """Failures (or broken scenarios) with the same status, strength and first words of reason."""

    status: str
    strength: str
    words: str
    requirement_ids: set[str] = field(default_factory=set)
    scenarios: list[Mapping[str, Any]] = field(default_factory=list)

    @property
    def ids(self) -> str:
        return ", ".join(sorted(self.requirement_ids)) or "(no requirement id)"


def group_failures(scenarios: Iterable[Mapping[str, Any]]) -> list[FailureGroup]:
    """Failed and broken scenarios grouped by reason, the largest group first."""
    groups: dict[tuple[str, str, str], FailureGroup] = {}
    for s in scenarios:
        if s.get("status") not in FAILING:
            continue
        key = (str(s["status"]), _strength(s), _reason_words(str(s.get("reason") or "")))
        group = groups.setdefault(key, FailureGroup(*key))
        group.requirement_ids.update(str(r) for r in s.get("requirement_ids") or ())
        group.scenarios.append(s)
    return sorted(groups.values(), key=lambda g: (g.strength != "MUST", -len(g.scenarios), g.status, g.words))


#: a scenario (as results.json records it) -> "new", "known", "fixed" or "" against a baseline
Marker = Callable[[Mapping[str, Any]], str]
#: a scenario (as results.json records it) -> why the baseline expects it to fail ("" when it says nothing)
Explainer = Callable[[Mapping[str, Any]], str]


class Console:
    """Writes the run's console to ``stream`` (stdout unless given; looked up at each write, so
    pytest's capture and redirections are honoured)."""

    def __init__(self, stream: TextIO | None = None, *, color: bool | None = None, github: bool | None = None,
                 marker: Marker | None = None, environ: Mapping[str, str] | None = None,
                 explain: Explainer | None = None) -> None:
        env = os.environ if environ is None else environ
        self._stream = stream
        self.color = use_color(self.stream, env) if color is None else color
        self.github = (env.get("GITHUB_ACTIONS", "").lower() == "true") if github is None else github
        self.marker = marker
        self.explain = explain
        self.done = 0

    @property
    def stream(self) -> TextIO:
        return self._stream if self._stream is not None else sys.stdout

    # -- output ------------------------------------------------------------------------------------
    def write(self, line: str = "") -> None:
        stream = self.stream
        try:
            stream.write(line + "\n")
        except UnicodeEncodeError:  # a terminal that cannot show a vendor's or scenario's characters
            encoding = getattr(stream, "encoding", None) or "ascii"
            stream.write((line + "\n").encode(encoding, "backslashreplace").decode(encoding))
        stream.flush()

    def paint(self, word: str, padded: str | None = None) -> str:
        text = padded if padded is not None else word
        code = _COLORS.get(word)
        return f"\033[{code}m{text}\033[0m" if self.color and code else text

    # -- one line per scenario ---------------------------------------------------------------------
    def scenario(self, scenario: Mapping[str, Any], total: int | None) -> None:
        """The line of one finished scenario (nothing for one a --role run did not select)."""
        status = str(scenario.get("status") or "")
        reason = str(scenario.get("reason") or "")
        if status == "skipped" and is_role_not_selected(reason):
            return
        self.done += 1
        mark = self.marker(scenario) if self.marker is not None else ""
        word = {"known": "KNOWN", "fixed": "FIXED"}.get(mark, status.upper())
        width = len(str(total)) if total else 3
        counter = f"[{self.done:>{width}}/{total or '?'}]"
        line = f"{counter} {self.paint(word, f'{word:<7}')} {scenario.get('vendor', '')}: {scenario.get('name', '')}"
        if scenario.get("judged_by") == "attested":  # an operator's report decided it, never lerconf's observation
            line += " [attested]"
        if status != "passed":
            why = self.explain(scenario) if mark == "known" and self.explain is not None else ""
            known = f"known {status} (baseline{': ' + one_line(why) if why else ''}): "
            note = {"known": known, "new": f"{self.paint('NEW', '[new]')} "}.get(mark, "")
            if _strength(scenario) != "MUST" and status in FAILING:
                note += f"{_strength(scenario)}: "
            line += f" -- {note}{one_line(reason)}"
        self.write(line)
        if self.github and status in FAILING and mark != "known":
            self.annotate(scenario)

    def annotate(self, scenario: Mapping[str, Any]) -> None:
        """A GitHub Actions annotation: ::error for a MUST failure or broken scenario, ::warning for SHOULD/MAY."""
        level = "error" if _strength(scenario) == "MUST" else "warning"
        title = f"{scenario.get('vendor', '')}: {scenario.get('name', '')}"
        ids = ", ".join(str(r) for r in scenario.get("requirement_ids") or ())
        message = f"{str(scenario.get('status', '')).upper()} [{ids or 'no requirement id'} {_strength(scenario)}] " \
                  f"{scenario.get('reason') or ''}"
        self.write(f"::{level} title={github_property(title)}::{github_data(message)}")

    # -- the end of the run ------------------------------------------------------------------------
    def failure_summary(self, scenarios: Sequence[Mapping[str, Any]], *, examples: int = 3) -> None:
        """Failures grouped by reason: status, strength, how many, requirement ids, the shared words,
        then a few of the scenarios."""
        groups = group_failures(scenarios)
        if not groups:
            return
        count = sum(len(g.scenarios) for g in groups)
        self.write(f"lerconf: {count} scenario(s) failed or broke, in {len(groups)} group(s) by reason:")
        for g in groups:
            word = g.status.upper()
            self.write(f"  {self.paint(word, f'{word:<7}')} {len(g.scenarios):>3} x {g.strength} {g.ids}: "
                       f"{one_line(g.words, 120) or '(no reason given)'}")
            for s in g.scenarios[:examples]:
                self.write(f"      {s.get('vendor', '')}: {one_line(str(s.get('name', '')), 150)}")
            if len(g.scenarios) > examples:
                self.write(f"      ... and {len(g.scenarios) - examples} more")

    def baseline_summary(self, source: str, new: Sequence[Mapping[str, Any]], fixed: Sequence[Mapping[str, Any]],
                         known: int, not_run: Sequence[str]) -> None:
        """Against a baseline: every new failure and every fix by name, known failures counted."""
        self.write(f"lerconf: against baseline {source}: {len(new)} new failure(s), {len(fixed)} fixed, "
                   f"{known} known failure(s) still failing")
        for s in new:
            self.write(f"  {self.paint('NEW', 'NEW    ')} {str(s.get('status', '')).upper():<7} {s.get('vendor', '')}: "
                       f"{s.get('name', '')} -- {one_line(str(s.get('reason') or ''))}")
        for s in fixed:
            self.write(f"  {self.paint('FIXED', 'FIXED  ')} {s.get('vendor', '')}: {s.get('name', '')}")
        if not_run:
            self.write(f"  {len(not_run)} baseline entr{'y' if len(not_run) == 1 else 'ies'} matched no failing or "
                       f"passing scenario of this run: {one_line(', '.join(not_run), 300)}")
