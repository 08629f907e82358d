"""junit.xml from lerconf's own results, for CI dashboards.

Written from the report model (results.json), never from pytest: one ``<testsuite>`` per vendor
and role (named "vendor / role"), the cross-vendor interop scenarios in a suite of their own; a
``<testcase>`` per scenario, named by the scenario, with classname "vendor.role.feature" and
``<properties>`` carrying its requirement ids, strength, vendor, role, tags and scenario id.

Outcomes, so that the totals agree with `lerconf run`'s exit code (``failures + errors > 0``
exactly when a claimed MUST scenario failed or broke, or newly did against a baseline):

- broken (no usable answer) -> ``<error>``; failed (a wrong answer) -> ``<failure>``;
- skipped (not claimed, cannot be judged, not selected) -> ``<skipped message=reason>``;
- a SHOULD or MAY scenario that failed or broke -> ``<skipped message="SHOULD not met (a warning, ...)">``
  (lerconf reports it as a warning; the run does not fail on it);
- with a baseline, a known failure -> ``<skipped message="known failure (baseline): ...">``.

Scenarios a ``--role`` run did not select ("role ... not selected") are left out, as pytest's
-k and -m leave out theirs: they were not part of the run's scope.

Reasons are those of results.json, already redacted; exchanges are never read. Characters XML
1.0 cannot carry are removed.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

from lerconf.reports.baseline import BaselineDiff
from lerconf.reports.model import ReportData, Scenario, role_order

__all__ = ["INTEROP_SUITE", "render_junit", "write_junit"]

#: the suite of cross-vendor scenarios (their "vendor" is a pair of vendors)
INTEROP_SUITE = "across vendors / interop"
#: what XML 1.0 cannot carry (control characters but tab, LF, CR; surrogates; U+FFFE, U+FFFF)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: the skip reason of a scenario a --role run did not select (lerconf.run.console.role_not_selected)
_NOT_SELECTED = re.compile(r"role \S+ not selected")
#: the longest message attribute; the whole reason is the element's text
MESSAGE_WIDTH = 500


def _clean(text: object) -> str:
    return _NOT_XML.sub("", str(text))


def _message(text: str) -> str:
    flat = " ".join(_clean(text).split())
    return flat if len(flat) <= MESSAGE_WIDTH else flat[: MESSAGE_WIDTH - 3] + "..."


def _part(text: str) -> str:
    """One part of a dotted classname: its own dots would split it."""
    return _clean(text).replace(".", "_").strip() or "-"


def _suite_key(s: Scenario) -> tuple[str, str]:
    """(vendor, role) of a scenario's suite; a role run in a pre-final protocol mode is its own
    ("oid4vp_verifier (draft-only)"), and so is an ecosystem profile's ("vcalm_issuer (LMC vcalm-eddsa 0.1)")
    and attested evidence ("displayer (attested)"),
    as in the report's summary."""
    if s.is_interop:
        return ("", "interop")
    if not s.role:
        return (s.vendor, "(no role)")
    return (s.vendor, s.row_label)


def _outcome(s: Scenario, changes: BaselineDiff | None) -> tuple[str, str, str]:
    """(element, message, text) of a scenario that did not pass; element "" when it passed."""
    reason = s.reason or s.status
    if s.status == "skipped":
        return "skipped", reason, ""
    if s.status == "passed":
        return "", "", ""
    if changes is not None and changes.mark(s) == "known":
        known = next((k for k, x in changes.known if x is s), None)
        why = f"{known.reason} -- " if known is not None and known.reason else ""
        return "skipped", f"known failure (baseline): {why}{s.status}: {reason}", reason
    if changes is not None and changes.mark(s) == "changed":  # not a regression: lerconf's requirements or steps changed
        why = next((w for w, x in changes.changed if x is s), "")
        return "skipped", f"changed since the baseline ({why}): {s.status}: {reason}", reason
    if s.severity != "MUST":
        return "skipped", f"{s.severity} not met (a warning, the run does not fail on it): {s.status}: {reason}", reason
    if s.attested:  # an operator's report decided it: a failure, said to be attested, never an automated one
        reason = f"attested (operator-reported): {reason}"
    return ("error" if s.status == "broken" else "failure"), reason, reason


def _properties(parent: ET.Element, values: Iterable[tuple[str, str]]) -> None:
    props = ET.SubElement(parent, "properties")
    for name, value in values:
        ET.SubElement(props, "property", name=name, value=_clean(value))


def _testcase(suite: ET.Element, s: Scenario, name: str, changes: BaselineDiff | None) -> str:
    vendor = "interop" if s.is_interop else s.vendor
    case = ET.SubElement(suite, "testcase", name=_clean(name),
                         classname=".".join(_part(p) for p in (vendor, s.role or "-", s.feature or s.feature_file)),
                         time=f"{max(s.duration_s, 0.0):.3f}", file=_clean(s.feature_file))
    mark = changes.mark(s) if changes is not None else ""
    _properties(case, [("requirement_ids", ", ".join(s.requirement_ids)), ("strength", s.severity),
                       ("vendor", s.vendor), ("role", s.role), ("tags", ", ".join(s.tags)), ("status", s.status),
                       ("scenario_id", s.source_id), ("judged_by", s.judged_by),
                       *(("requirement", r) for r in s.requirement_ids),
                       *((("baseline", mark),) if mark else ())])
    element, message, text = _outcome(s, changes)
    if element:
        node = ET.SubElement(case, element, message=_message(message))
        if element != "skipped":
            node.set("type", f"{s.severity} {s.status}")
        if text:
            node.text = _clean(text)
    return element


def render_junit(data: ReportData, changes: BaselineDiff | None = None) -> str:
    """The JUnit XML document of ``data`` (one or more runs)."""
    groups: dict[tuple[str, str], list[Scenario]] = {}
    for s in data.scenarios:
        if s.status == "skipped" and _NOT_SELECTED.fullmatch(s.reason):
            continue
        groups.setdefault(_suite_key(s), []).append(s)
    order = {n: i for i, n in enumerate(data.vendor_names)}
    keys = sorted(groups, key=lambda k: (k == ("", "interop"), order.get(k[0], len(order)), role_order(k[1].split(" ")[0]), k))
    root = ET.Element("testsuites", name="lerconf")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    seconds = 0.0
    started = next((r.started for r in data.runs if r.started), "")
    for vendor, role in keys:
        scenarios = groups[(vendor, role)]
        suite = ET.SubElement(root, "testsuite", name=INTEROP_SUITE if not vendor else _clean(f"{vendor} / {role}"))
        _properties(suite, [("vendor", vendor or "interop"), ("role", role),
                            ("run_ids", ", ".join(sorted({s.run_id for s in scenarios}))),
                            ("lerconf_version", next((r.lerconf_version for r in data.runs if r.lerconf_version), ""))])
        counts = {"tests": len(scenarios), "failures": 0, "errors": 0, "skipped": 0}
        names: dict[tuple[str, str], int] = {}
        for s in scenarios:
            names[(s.feature, s.name)] = names.get((s.feature, s.name), 0) + 1
        for s in scenarios:
            name = s.name
            if s.is_interop and s.vendor not in ("", "interop"):
                name = f"{name} [{s.vendor}]"
            elif names[(s.feature, s.name)] > 1 and s.example:
                name = f"{name} [{', '.join(f'{k}={v}' for k, v in s.example.items())}]"
            element = _testcase(suite, s, name, changes)
            key = {"failure": "failures", "error": "errors", "skipped": "skipped"}.get(element)
            if key:
                counts[key] += 1
        suite_seconds = sum(max(s.duration_s, 0.0) for s in scenarios)
        seconds += suite_seconds
        for k, v in counts.items():
            suite.set(k, str(v))
            totals[k] += v
        suite.set("time", f"{suite_seconds:.3f}")
        if started:
            suite.set("timestamp", _clean(started))
    for k, v in totals.items():
        root.set(k, str(v))
    root.set("time", f"{seconds:.3f}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_junit(data: ReportData, path: Path, changes: BaselineDiff | None = None) -> Path:
    """Write :func:`render_junit` to ``path`` (atomically: CI never reads half a file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(render_junit(data, changes), encoding="utf-8")
    tmp.replace(path)
    return path
