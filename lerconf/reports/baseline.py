"""Baseline diff: which failures are new (regressions), fixed, or already known.

A vendor rarely passes everything on day one. A baseline lets CI go red only on what got worse:
either an earlier results.json or run directory (its failed and broken scenarios are the known
failures) or an expected-failures file, YAML or JSON, validated against the shipped JSON Schema
(lerconf/data/baseline.schema.json; a malformed file is a setup error naming the file and place)::

    expected_failures:
      - requirement: VCDM-08          # every scenario of Acme tagged VCDM-08 ...
        vendor: Acme
        role: issuer                  # ... of this role (optional)
        scenario: "credentialSubject" # ... whose name contains this (optional)
        reason: tracked in ACME-42
      - id: "issuer/vc-api-issue.feature::Issue a credential::Acme"   # a scenario id from results.json
        reason: tracked in ACME-43

An id without its trailing ``::vendor`` part matches every vendor. An entry that matches no scenario
of the run is stale: an error naming it (exit 2), unless this run's selection (-k, --tags, --role)
left its scenarios out ("not in this run's selection"), or its scenario was removed from the feature
files since the baseline's digests. When the baseline carries digests (a results.json does) and they
differ from this run's, a scenario whose steps or requirements changed is reported as changed, not as
a regression or a fix (lerconf.reports.digests).
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from lerconf.errors import LerconfError
from lerconf.reports.digests import DigestChanges, compare, scenario_key
from lerconf.reports.model import RunInfo, Scenario, _scenario
from lerconf.requirements import all_requirements
from lerconf.runlog import load_results

FAILING = ("failed", "broken")
_ROLE_NOT_SELECTED = re.compile(r"role \S+ not selected")  # lerconf.run.console.role_not_selected


@dataclass(frozen=True)
class KnownFailure:
    """One entry of a baseline: a failure it expects, with why and where it is tracked.

    ``id`` names a scenario (results.json's id, with or without vendor); otherwise ``requirement``
    and ``vendor`` (with optional ``role`` and ``scenario``, a part of its name) name scenarios."""

    id: str = ""
    reason: str = ""
    link: str = ""
    requirement: str = ""
    vendor: str = ""
    role: str = ""
    scenario: str = ""
    #: where it is in its file: "entry 3" (1-based), with the line in a YAML or JSON file when known
    place: str = ""

    @property
    def label(self) -> str:
        """The entry as its author wrote it, for messages."""
        if self.id:
            what = f"id: {self.id}"
        else:
            what = ", ".join(f"{k}: {v}" for k, v in (("requirement", self.requirement), ("vendor", self.vendor),
                                                        ("role", self.role), ("scenario", self.scenario)) if v)
        return f"{self.place}: {what}" if self.place else what

    def matches(self, s: Scenario) -> bool:
        if self.id:
            return self.id in (s.source_id, s.key)
        if self.requirement not in s.requirement_ids:
            return False
        if self.vendor not in (s.vendor, s.source_vendor) and not (
                s.interop and self.vendor in {str(v) for k, v in s.interop.items() if k in ("issuer", "verifier", "holder")}):
            return False
        if self.role and self.role != s.role:
            return False
        return not self.scenario or self.scenario.casefold() in s.name.casefold()


@dataclass(frozen=True)
class Baseline:
    source: str
    known: Mapping[str, KnownFailure]  # by id for scenario-id entries, by label for the others
    #: the run.digests the baseline was made under (a results.json's; optional in an expected-failures file)
    digests: Mapping[str, Any] | None = None
    #: a results.json baseline (its entries are the failures of that run, not written by hand)
    from_results: bool = False
    #: set by :meth:`against` once the current run's digests are known (the console marks as scenarios finish)
    _now: dict[str, DigestChanges] = field(default_factory=dict, compare=False, repr=False)

    def against(self, digests: Mapping[str, Any] | None) -> None:
        """The current run's digests: scenarios changed since the baseline's then mark "changed", not new or fixed."""
        changes = compare(self.digests, digests)
        self._now.clear()
        if changes:
            self._now["changes"] = changes

    @property
    def entries(self) -> list[KnownFailure]:
        return list(self.known.values())

    def match(self, scenario: Scenario) -> KnownFailure | None:
        found = self.known.get(scenario.source_id) or self.known.get(scenario.key)
        if found is not None:
            return found
        return next((k for k in self.known.values() if not k.id and k.matches(scenario)), None)

    def known_reason(self, raw: Mapping[str, Any]) -> str:
        """Why the baseline expects this scenario (as results.json records it) to fail: its entry's
        ``reason`` and ``link``; "" when no entry names it or the entry says nothing."""
        known = self.match(_scenario(raw, "", lambda name: name))
        if known is None:
            return ""
        return "; ".join(part for part in (known.reason, known.link) if part)

    def mark(self, raw: Mapping[str, Any]) -> str:
        """"new", "known", "fixed", "changed" or "" for one scenario as results.json records it (the
        console marks each as it finishes; :func:`diff` sorts the whole run the same way)."""
        scenario = _scenario(raw, "", lambda name: name)
        known = self.match(scenario)
        changes = self._now.get("changes")
        changed = changes is not None and bool(changes.affects(
            scenario_key(scenario.feature_file, scenario.name, scenario.example), scenario.requirement_ids))
        if raw.get("status") in FAILING:
            return "known" if known is not None else "changed" if changed else "new"
        if raw.get("status") == "passed" and known is not None:
            return "changed" if changed else "fixed"
        return ""


@dataclass
class BaselineDiff:
    """The current run against the baseline; the report lists each group, CI reads `exit_code`."""

    source: str
    regressions: list[Scenario] = field(default_factory=list)
    fixed: list[tuple[KnownFailure, Scenario]] = field(default_factory=list)
    known: list[tuple[KnownFailure, Scenario]] = field(default_factory=list)
    not_run: list[KnownFailure] = field(default_factory=list)  # matched only scenarios skipped now (not claimed, ...)
    #: entries whose scenarios this run's selection (-k, --tags, --role) left out: not errors
    not_selected: list[KnownFailure] = field(default_factory=list)
    #: entries that match nothing: errors (exit 2), each named
    stale: list[KnownFailure] = field(default_factory=list)
    #: entries whose scenarios were removed from the feature files since the baseline's digests
    retired: list[KnownFailure] = field(default_factory=list)
    #: scenarios whose status differs from the baseline's because they or their requirements changed
    changed: list[tuple[str, Scenario]] = field(default_factory=list)
    #: what changed between the baseline's digests and this run's (None when either has none)
    digest_changes: DigestChanges | None = None

    def mark(self, scenario: Scenario) -> str:
        """"new", "fixed", "known", "changed" or "" for one scenario of the current run."""
        if any(s is scenario for s in self.regressions):
            return "new"
        if any(s is scenario for _, s in self.changed):
            return "changed"
        if any(s is scenario for _, s in self.fixed):
            return "fixed"
        if any(s is scenario for _, s in self.known):
            return "known"
        return ""

    @property
    def exit_code(self) -> int:
        """2 when a baseline entry is stale (matches nothing); else 1 only when a claimed MUST scenario
        newly failed or broke; known failures and changed scenarios do not count."""
        if self.stale:
            return 2
        return 1 if any(s.severity == "MUST" for s in self.regressions) else 0

    def stale_messages(self) -> list[str]:
        """One line per stale entry, naming it and the baseline file."""
        return [f"stale baseline entry: {self.source}: {k.label}: matches no scenario of this run; "
                "fix or remove it (a scenario id is results.json's `id`; a requirement entry needs the vendor's name "
                "as its profile gives it)" for k in self.stale]

    def summary(self) -> str:
        line = (f"{len(self.regressions)} new failure(s), {len(self.fixed)} fixed, "
                f"{len(self.known)} known failure(s) still failing against {self.source}")
        if self.changed:
            line += f"; {len(self.changed)} changed since the baseline's requirements or scenarios (not regressions)"
        if self.not_selected:
            line += f"; {len(self.not_selected)} entr{'y' if len(self.not_selected) == 1 else 'ies'} not in this run's selection"
        if self.stale:
            line += f"; {len(self.stale)} stale baseline entr{'y' if len(self.stale) == 1 else 'ies'}: " + \
                    "; ".join(k.label for k in self.stale)
        return line


# -- loading -------------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def baseline_schema() -> dict[str, Any]:
    """The shipped JSON Schema of expected-failures files (lerconf/data/baseline.schema.json)."""
    schema: dict[str, Any] = json.loads(resources.files("lerconf.data").joinpath("baseline.schema.json")
                                        .read_text("utf-8"))
    return schema


def _lines(text: str, is_json: bool) -> dict[tuple[Any, ...], int]:
    """Line (1-based) of each node of a YAML (or JSON, a YAML subset) document, by its path."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return {}
    out: dict[tuple[Any, ...], int] = {}

    def walk(node: Any, path: tuple[Any, ...]) -> None:
        out[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                out[(*path, k.value, "key")] = k.start_mark.line + 1
                walk(v, (*path, k.value))
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                walk(v, (*path, i))

    if root is not None:
        walk(root, ())
    return out


def _schema_pattern(error: jsonschema.ValidationError) -> Any:
    return error.schema.get("pattern") if isinstance(error.schema, Mapping) else None


def _hint(error: jsonschema.ValidationError) -> str:
    instance = error.instance
    if error.validator == "pattern" and isinstance(instance, str) and _schema_pattern(error) == "::":
        if instance in all_requirements():
            return (f"; {instance} is a requirement id: write `requirement: {instance}` with `vendor: NAME` "
                    "(and optionally `role:`), or a scenario id from results.json")
        return "; a scenario id is results.json's `id`: FEATURE_FILE::SCENARIO NAME[::VENDOR]"
    if error.validator == "required" and "vendor" in str(error.message):
        return "; a requirement entry names the vendor it expects to fail, as its profile names it"
    if error.validator == "additionalProperties":
        return ("; an entry has `id`, or `requirement` + `vendor` (+ `role`, `scenario`), and optionally `reason`, "
                "`link`")
    return ""


def _validate(raw: Any, source: str, text: str, is_json: bool) -> None:
    validator = jsonschema.Draft202012Validator(baseline_schema())
    errors = sorted(validator.iter_errors(raw), key=lambda e: (list(map(str, e.absolute_path)), e.validator != "required"))
    if not errors:
        return
    lines = _lines(text, is_json)
    problems = []
    for error in errors[:5]:
        path = tuple(error.absolute_path)
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".") or "top level"
        entry = next((f"entry {p + 1}" for p in path if isinstance(p, int)), "")
        line = lines.get(path)
        if error.validator == "additionalProperties" and isinstance(error.instance, Mapping):
            extra = sorted(set(error.instance) - set(error.schema.get("properties", {}) if isinstance(error.schema, Mapping) else ()))
            line = lines.get((*path, extra[0], "key"), line) if extra else line
        place = ", ".join(p for p in (f"line {line}" if line else "", entry, where) if p)
        message = error.message
        if error.validator == "pattern" and _schema_pattern(error) == "::":
            message = f"{error.instance!r} is not a scenario id (it has no '::')"
        problems.append(f"{source}: {place}: {message}{_hint(error)}")
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    raise LerconfError("baseline does not match lerconf's expected-failures schema (lerconf/data/baseline.schema.json):\n  "
                       + "\n  ".join(problems) + more)


def _entries(raw: Any, source: str, text: str, is_json: bool) -> list[KnownFailure]:
    _validate(raw, source, text, is_json)
    items = raw["expected_failures"] if isinstance(raw, Mapping) else raw
    lines = _lines(text, is_json)
    prefix = ("expected_failures",) if isinstance(raw, Mapping) else ()
    entries = []
    for i, item in enumerate(items):
        line = lines.get((*prefix, i))
        place = f"entry {i + 1}" + (f" (line {line})" if line else "")
        if isinstance(item, str):
            item = {"id": item}
        requirement = str(item.get("requirement") or "")
        if requirement and requirement not in all_requirements():
            raise LerconfError(f"baseline {source}: {place}: unknown requirement id {requirement!r} "
                               "(the ids are in lerconf's requirements report and results.json's requirement_ids)")
        entries.append(KnownFailure(id=str(item.get("id") or ""), reason=str(item.get("reason") or ""),
                                    link=str(item.get("link") or ""), requirement=requirement,
                                    vendor=str(item.get("vendor") or ""), role=str(item.get("role") or ""),
                                    scenario=str(item.get("scenario") or ""), place=place))
    return entries


def _index(entries: Iterable[KnownFailure]) -> dict[str, KnownFailure]:
    out: dict[str, KnownFailure] = {}
    for k in entries:
        out.setdefault(k.id or k.label, k)
    return out


def load_baseline(path: Path) -> Baseline:
    """Read a baseline file; a malformed one is a setup error (exit 2), never an empty baseline."""
    path = Path(path)
    if path.is_dir():
        path = path / "results.json"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LerconfError(f"baseline {path}: {exc.strerror or exc}") from None
    is_json = path.suffix == ".json"
    try:
        raw = json.loads(text) if is_json else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise LerconfError(f"baseline {path}: not valid {'JSON' if is_json else 'YAML'}: {exc}") from None
    if isinstance(raw, Mapping) and "scenarios" in raw:
        results = load_results(path)  # also recovers a killed baseline run from its results.jsonl
        known = [KnownFailure(str(s.get("id")), str(s.get("reason") or ""), place=f"failure of run {path}")
                 for s in results.get("scenarios", []) if s.get("status") in FAILING]
        run = _mapping(results.get("run"))
        digests = run.get("digests") if isinstance(run.get("digests"), Mapping) else None
        return Baseline(str(path), _index(known), digests, from_results=True)
    known = _entries(raw, str(path), text, is_json)
    digests = raw.get("digests") if isinstance(raw, Mapping) and isinstance(raw.get("digests"), Mapping) else None
    return Baseline(str(path), _index(known), digests)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


# -- the diff --------------------------------------------------------------------------------------------------
def _runs_meta(runs: Sequence[RunInfo]) -> tuple[Mapping[str, Any] | None, Mapping[str, Any], set[str]]:
    """The current run's digests, selection and vendor names, read from its results.json."""
    digests: Mapping[str, Any] | None = None
    selection: dict[str, Any] = {}
    vendors: set[str] = set()
    for info in runs:
        try:
            results = load_results(Path(info.path) / "results.json")
        except (OSError, ValueError, LerconfError):
            continue
        run = _mapping(results.get("run"))
        if digests is None and isinstance(run.get("digests"), Mapping):
            digests = run["digests"]
        for k, v in (run.get("selection") or {}).items():
            if v:
                selection[k] = v
        vendors |= {str(v.get("name")) for v in results.get("vendors") or [] if isinstance(v, Mapping)}
    return digests, selection, vendors


def _exists(entry: KnownFailure, scenarios: Mapping[str, Any], vendors: set[str]) -> bool:
    """The entry names a scenario of the feature files (for a vendor of this run): a selection may have left it out."""
    if entry.id:
        for key in scenarios:
            if entry.id == key:
                return True
            if entry.id.startswith(key + "::"):
                return entry.id[len(key) + 2:].split("::")[0] in vendors
        return False
    if entry.vendor not in vendors:
        return False
    return any(entry.requirement in (v.get("requirement_ids") or []) and (not entry.role or entry.role == v.get("role"))
               and (not entry.scenario or entry.scenario.casefold() in k.split("::")[1].casefold())
               for k, v in scenarios.items() if isinstance(v, Mapping) and "::" in k)


def _retired(entry: KnownFailure, changes: DigestChanges | None) -> bool:
    """The entry's scenario (or requirement) was removed from lerconf since the baseline's digests."""
    if changes is None:
        return False
    if entry.requirement:
        return entry.requirement in changes.requirements_removed
    return any(entry.id == k or entry.id.startswith(k + "::") for k in changes.scenarios_removed)


def diff(scenarios: Iterable[Scenario], baseline: Baseline, runs: Sequence[RunInfo] = ()) -> BaselineDiff:
    """Sort every current failure into new, known or changed, and every baseline entry into fixed,
    not run, not selected, retired or stale. ``runs`` (the current runs) give the digests and selection."""
    digests, selection, vendors = _runs_meta(runs)
    changes = compare(baseline.digests, digests)
    result = BaselineDiff(baseline.source, digest_changes=changes)
    hits: dict[int, list[Scenario]] = {}
    for s in scenarios:
        entries = [k for k in baseline.entries if k.matches(s)]
        for k in entries:
            hits.setdefault(id(k), []).append(s)
        known = baseline.match(s)
        why = changes.affects(scenario_key(s.feature_file, s.name, s.example), s.requirement_ids) if changes else ""
        if s.status in FAILING:
            if known is not None:
                result.known.append((known, s))
            elif why:
                result.changed.append((why, s))
            else:
                result.regressions.append(s)
        elif s.status == "passed" and known is not None:
            if why:
                result.changed.append((why, s))
            else:
                result.fixed.append((known, s))
    universe = (digests or {}).get("scenario") or {}
    for k in baseline.entries:
        matched = hits.get(id(k), [])
        if any(s.status in (*FAILING, "passed") for s in matched):
            continue
        if matched and all(s.status == "skipped" and _ROLE_NOT_SELECTED.fullmatch(s.reason) for s in matched):
            result.not_selected.append(k)
        elif matched:
            result.not_run.append(k)
        elif _retired(k, changes):
            result.retired.append(k)
        elif selection and _exists(k, universe, vendors):
            result.not_selected.append(k)
        else:
            result.stale.append(k)
    return result
