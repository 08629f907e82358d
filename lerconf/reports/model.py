"""The report model: results.json of one or more runs, read once and summarised.

Every view of a report (HTML, exit code, signed certificate) is computed from this model, so
they cannot disagree. It reads only results.json (partial ones too: `load_results` recovers a
killed run from results.jsonl) and, when present, the run's allure-results/environment.properties
for the context digests lerconf recorded there.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lerconf.errors import LerconfError
from lerconf.roles import REPORT_ROLE_ORDER, VCAPI_ROLES
from lerconf.runlog import load_results

STATUSES = ("passed", "failed", "broken", "skipped")
#: how a scenario was judged (results.json ``judged_by``): what lerconf observed, or what a person reported
AUTOMATED, ATTESTED = "automated", "attested"
#: the summary row of cross-vendor (interop) scenarios: they belong to the vendors in them, counted once
INTEROP = "across vendors (interop)"
#: every role an embedded reference (no profile) plays
ALL_ROLES = frozenset(VCAPI_ROLES)


@dataclass(frozen=True)
class Scenario:
    """One scenario of one vendor, as results.json recorded it (evidence untouched: already redacted)."""

    id: str
    name: str
    feature: str
    feature_file: str
    vendor: str
    role: str
    requirement_ids: tuple[str, ...]
    severity: str
    tags: tuple[str, ...]
    example: Mapping[str, Any]
    status: str
    reason: str
    duration_s: float
    evidence: Mapping[str, Any] | None
    run_id: str
    source_id: str  # the id in its own results.json (before any vendor renaming across runs)
    source_vendor: str  # the vendor as its own results.json names it
    interop: Mapping[str, Any] | None = None
    spec_mode: str = ""  # "draft-only: OID4VCI draft 13" when run in a pre-final protocol mode
    ecosystem: str = ""  # "LMC vcalm-eddsa 0.1" for an ecosystem profile's scenario (reported apart)
    judged_by: str = AUTOMATED  # "attested": an operator reported what a person saw (reported apart)

    @property
    def draft_only(self) -> bool:
        return self.spec_mode.startswith("draft-only")

    @property
    def attested(self) -> bool:
        """Judged by what an operator reported a person saw, not by what lerconf observed."""
        return self.judged_by == ATTESTED

    @property
    def row_label(self) -> str:
        """The summary row the scenario counts in: its role, or its own row for a draft mode, an
        ecosystem profile or attested evidence (RoleSummary.label names the same row)."""
        if self.attested:
            return f"{self.role} ({ATTESTED})"
        if self.ecosystem:
            return f"{self.role} ({self.ecosystem})"
        return f"{self.role} (draft-only)" if self.draft_only else self.role

    @property
    def is_interop(self) -> bool:
        """A cross-vendor scenario: it belongs to the interop matrix, not to one vendor's verdict."""
        return self.role == "interop" or self.interop is not None

    @property
    def key(self) -> str:
        """The vendor-independent part of the id: the same scenario for every vendor.

        Ids are ``feature::name[::example k=v...]::vendor[::variant]``; the key drops the vendor.
        """
        parts = self.source_id.split("::")
        if self.source_vendor in parts:
            del parts[len(parts) - 1 - parts[::-1].index(self.source_vendor)]
        return "::".join(parts)


@dataclass(frozen=True)
class RunInfo:
    """Facts about one run directory, shown in the report's environment section."""

    id: str
    path: Path
    lerconf_version: str
    python: str
    platform: str
    started: str
    finished: str
    complete: bool
    command: tuple[str, ...]
    environment: Mapping[str, Any]
    properties: Mapping[str, str]
    results_sha256: str
    #: results.json run.status_list_minimum: the BSL-16 minimum the run's engine applied, and its source
    status_list_minimum: Mapping[str, Any] = field(default_factory=dict)

    @property
    def lowered_status_list_minimum(self) -> int | None:
        """The ecosystem minimum when the run lowered BSL-16's 131,072 entries, else None."""
        entries = self.status_list_minimum.get("entries")
        default = self.status_list_minimum.get("default")
        if isinstance(entries, int) and isinstance(default, int) and entries < default:
            return entries
        return None

    def status_list_note(self) -> str:
        """The sentence the report shows when the run lowered BSL-16's minimum (empty otherwise)."""
        entries = self.lowered_status_list_minimum
        if entries is None:
            return ""
        return (f"Status lists: ecosystem minimum {entries:,} entries (Bitstring Status List default "
                f"{self.status_list_minimum['default']:,}) \u2014 set by {self.status_list_minimum.get('source') or 'the run'}")


@dataclass(frozen=True)
class Vendor:
    """A vendor as the report names it, with its public profile view (never secrets)."""

    name: str
    run_id: str
    version: str
    profile: Mapping[str, Any]
    roles: frozenset[str]


@dataclass
class Counts:
    """Scenario outcomes; *skipped* means not claimed (or not selected), never a failure."""

    passed: int = 0
    failed: int = 0
    broken: int = 0
    skipped: int = 0

    def add(self, status: str) -> None:
        setattr(self, status, getattr(self, status) + 1)

    @property
    def ran(self) -> int:
        return self.passed + self.failed + self.broken

    @property
    def total(self) -> int:
        return self.ran + self.skipped

    @property
    def rate(self) -> float | None:
        """Passed over ran; None when nothing ran (a rate of nothing is not 0 %)."""
        return self.passed / self.ran if self.ran else None


def cell_status(statuses: Iterable[str]) -> str:
    """One mark for several scenarios: a failure outweighs a broken run, which outweighs a pass.

    Returns "" when there is nothing to summarise (not tested).
    """
    found = set(statuses)
    for status in ("failed", "broken", "passed", "skipped"):
        if status in found:
            return status
    return ""


@dataclass
class RoleSummary:
    vendor: str
    role: str
    must: Counts = field(default_factory=Counts)
    should: Counts = field(default_factory=Counts)  # SHOULD and MAY: recommendations
    complete: bool = True
    draft_only: bool = False  # scenarios run in a pre-final protocol mode (OID4VCI draft 13, OID4VP drafts)
    ecosystem: str = ""  # an ecosystem profile's scenarios (lerconf.ecosystems): their own row, never spec conformance
    attested: bool = False  # judged by what an operator reported: their own row and counts, never automated ones

    @property
    def counts(self) -> Counts:
        total = Counts()
        for c in (self.must, self.should):
            for s in STATUSES:
                setattr(total, s, getattr(total, s) + getattr(c, s))
        return total

    @property
    def label(self) -> str:
        """The role as the report shows it; a draft-mode summary is its own row, never the final one, and
        so is an ecosystem profile's ("vcalm_issuer (LMC vcalm-eddsa 0.1)") and attested evidence's
        ("displayer (attested)")."""
        if self.attested:
            return f"{self.role} ({ATTESTED})"
        if self.ecosystem:
            return f"{self.role} ({self.ecosystem})"
        return f"{self.role} (draft-only)" if self.draft_only else self.role

    @property
    def verdict(self) -> str:
        """The conformance verdict of one vendor in one role, in words a reader can act on.

        Draft-mode results say so ("draft-only: ..."): passing a pre-final draft is not
        conformance to the final specification."""
        base = self._verdict()
        if self.attested:
            return f"{ATTESTED}: {base}"
        if self.ecosystem:
            return self.ecosystem_verdict
        return f"draft-only: {base}" if self.draft_only and self.counts.ran else base

    @property
    def ecosystem_verdict(self) -> str:
        """"conforms to LMC vcalm-eddsa 0.1: yes" (or no, incomplete, not claimed): an ecosystem row's verdict."""
        base = self._verdict()
        answer = {"conformant": "yes", "conformant with warnings": "yes, with warnings", "not conformant": "no"}.get(base, base)
        return f"conforms to {self.ecosystem}: {answer}"

    @property
    def base_verdict(self) -> str:
        """The verdict word without a draft-only or ecosystem wording (for colours and marks)."""
        return self._verdict()

    def _verdict(self) -> str:
        if self.counts.ran == 0:
            return "not claimed" if self.counts.skipped else "not tested"
        if self.must.failed:
            return "not conformant"
        if self.must.broken or not self.complete:
            return "incomplete"
        if self.should.failed or self.should.broken:
            return "conformant with warnings"
        return "conformant"


@dataclass
class ReportData:
    runs: list[RunInfo]
    vendors: list[Vendor]
    scenarios: list[Scenario]

    @property
    def vendor_names(self) -> list[str]:
        return [v.name for v in self.vendors]

    @property
    def complete(self) -> bool:
        return all(r.complete for r in self.runs)

    def vendor(self, name: str) -> Vendor | None:
        return next((v for v in self.vendors if v.name == name), None)

    def own_scenarios(self) -> list[Scenario]:
        """Scenarios of one vendor each (cross-vendor interop ones are judged in the matrix only)."""
        return [s for s in self.scenarios if not s.is_interop]

    def summaries(self) -> list[RoleSummary]:
        """One summary per vendor and role that has scenarios, vendors in report order."""
        table: dict[tuple[str, str, bool, str, bool], RoleSummary] = {}
        complete = {r.id: r.complete for r in self.runs}
        for s in self.own_scenarios():
            summary = table.setdefault((s.vendor, s.role, s.draft_only, s.ecosystem, s.attested),
                                       RoleSummary(s.vendor, s.role, draft_only=s.draft_only, ecosystem=s.ecosystem,
                                                   attested=s.attested))
            summary.complete &= complete.get(s.run_id, True)
            (summary.must if s.severity == "MUST" else summary.should).add(s.status)
        order = {n: i for i, n in enumerate(self.vendor_names)}
        return sorted(table.values(), key=lambda r: (order.get(r.vendor, 99), bool(r.ecosystem), r.ecosystem,
                                                     role_order(r.role), r.draft_only, r.attested))

    def interop_scenarios(self) -> list[Scenario]:
        """Cross-vendor scenarios: each belongs to the vendors in it, and is counted once."""
        return [s for s in self.scenarios if s.is_interop]

    def interop_summary(self) -> RoleSummary | None:
        """The cross-vendor scenarios counted once (beside the vendors' own summaries), so that the
        summaries add up to what the banner counts (:meth:`must_failures` counts them too);
        None when the run has none."""
        scenarios = self.interop_scenarios()
        if not scenarios:
            return None
        summary = RoleSummary(INTEROP, "interop")
        complete = {r.id: r.complete for r in self.runs}
        for s in scenarios:
            summary.complete &= complete.get(s.run_id, True)
            (summary.must if s.severity == "MUST" else summary.should).add(s.status)
        return summary

    def requirement_cells(self) -> dict[tuple[str, str, str], list[Scenario]]:
        """(requirement id, role, vendor) -> the scenarios that test it."""
        cells: dict[tuple[str, str, str], list[Scenario]] = {}
        for s in self.own_scenarios():
            for rid in s.requirement_ids or ("(none)",):
                cells.setdefault((rid, s.role, s.vendor), []).append(s)
        return cells

    def at_risk(self) -> list[tuple[str, dict[str, str]]]:
        """Requirements fewer than two vendors pass (only meaningful with two or more vendors).

        A vendor passes a requirement when every scenario of it that ran passed, in all roles.
        """
        if len(self.vendors) < 2:
            return []
        by_req: dict[str, dict[str, list[str]]] = {}
        for (rid, _role, vendor), scenarios in self.requirement_cells().items():
            by_req.setdefault(rid, {}).setdefault(vendor, []).extend(s.status for s in scenarios)
        risky = []
        for rid in sorted(by_req, key=requirement_sort_key):
            marks = {v: cell_status(by_req[rid].get(v, [])) for v in self.vendor_names}
            if sum(1 for m in marks.values() if m == "passed") < 2:
                risky.append((rid, marks))
        return risky

    def must_failures(self) -> list[Scenario]:
        """Claimed MUST scenarios that failed or broke: what makes `lerconf run` exit 1. Each counts
        once: an interop scenario is in :meth:`interop_summary`, not in each vendor's summary, so
        the banner's count equals the summaries' MUST failed + broken added up. A scenario that
        could not be judged is skipped, never counted."""
        return [s for s in self.scenarios if s.status in ("failed", "broken") and s.severity == "MUST"]


def role_order(role: str) -> int:
    return REPORT_ROLE_ORDER.index(role) if role in REPORT_ROLE_ORDER else len(REPORT_ROLE_ORDER)


def requirement_sort_key(rid: str) -> tuple[str, int, str]:
    prefix, _, rest = rid.rpartition("-")
    return (prefix, int(rest), "") if rest.isdigit() else (prefix or rid, 0, rest)


def spec_prefix(rid: str) -> str:
    """The specification a requirement id belongs to: its prefix (VCDM-06 -> VCDM)."""
    return rid.rsplit("-", 1)[0] if "-" in rid else rid


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_properties(path: Path) -> dict[str, str]:
    """Java-style key=value lines (allure's environment.properties); absent file -> {}."""
    if not path.is_file():
        return {}
    props = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.strip() and not line.lstrip().startswith(("#", "!")) and "=" in line:
            key, _, value = line.partition("=")
            props[key.strip()] = value.strip()
    return props


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _scenario(raw: Mapping[str, Any], run_id: str, rename: Any) -> Scenario:
    status = raw.get("status")
    if status not in STATUSES:
        status = "broken"  # an unknown status is not a pass
    evidence = raw.get("evidence")
    interop = raw.get("interop")
    if isinstance(interop, Mapping):  # the parties are vendor names: rename them like the vendor
        interop = {k: rename(str(v)) if k in ("issuer", "verifier", "holder") and v else v for k, v in interop.items()}
    return Scenario(
        id=_text(raw.get("id")), name=_text(raw.get("name")), feature=_text(raw.get("feature")),
        feature_file=_text(raw.get("feature_file")), vendor=rename(_text(raw.get("vendor"))), role=_text(raw.get("role")),
        requirement_ids=tuple(str(r) for r in raw.get("requirement_ids") or ()),
        severity=_text(raw.get("severity") or "MUST"), tags=tuple(str(t) for t in raw.get("tags") or ()),
        example=dict(raw.get("example") or {}), status=str(status), reason=_text(raw.get("reason")),
        duration_s=float(raw.get("duration_s") or 0.0),
        evidence=evidence if isinstance(evidence, Mapping) else None, run_id=run_id,
        source_id=_text(raw.get("id")), source_vendor=_text(raw.get("vendor")), interop=interop if isinstance(interop, Mapping) else None,
        spec_mode=_text(raw.get("spec_mode")), ecosystem=_text(raw.get("ecosystem")),
        judged_by=ATTESTED if raw.get("judged_by") == ATTESTED else AUTOMATED)


def _vendor(view: Mapping[str, Any], run_id: str, name: str) -> Vendor:
    roles = view.get("roles")
    role_names = frozenset(roles) if isinstance(roles, Mapping) else ALL_ROLES if view.get("embedded") else frozenset()
    return Vendor(name=name, run_id=run_id, version=_text(view.get("version")), profile=dict(view), roles=role_names)


def load_run(run_dir: Path, results: Mapping[str, Any] | None = None
             ) -> tuple[RunInfo, list[Mapping[str, Any]], list[Mapping[str, Any]]]:
    """One run directory -> (run info, vendor views, raw scenarios). ``results``: its results.json as
    the caller just read it (`lerconf run` has; parsing it again was ~2% of a run)."""
    path = run_dir / "results.json" if run_dir.is_dir() else run_dir
    if not path.is_file() and not path.with_name("results.jsonl").is_file():
        raise LerconfError(f"{run_dir}: no results.json (is it a lerconf run directory?)")
    data = results if results is not None else load_results(path)
    run = data.get("run") or {}
    info = RunInfo(
        id=_text(run.get("id") or path.parent.name), path=path.parent,
        lerconf_version=_text(run.get("lerconf_version")), python=_text(run.get("python")),
        platform=_text(run.get("platform")), started=_text(run.get("started")), finished=_text(run.get("finished")),
        complete=bool(run.get("complete")), command=tuple(str(c) for c in run.get("command") or ()),
        environment=dict(run.get("environment") or {}),
        properties=read_properties(path.parent / "allure-results" / "environment.properties"),
        results_sha256=sha256_file(path) if path.is_file() else "",
        status_list_minimum=dict(run.get("status_list_minimum") or {}))
    return info, list(data.get("vendors") or []), list(data.get("scenarios") or [])


def build(run_dirs: Sequence[Path], results: Mapping[Path, Mapping[str, Any]] | None = None) -> ReportData:
    """Read every run and name vendors uniquely across them (a vendor in two runs gets the run id);
    ``results`` gives the results.json of a run directory already read."""
    loaded = [load_run(Path(d), (results or {}).get(Path(d))) for d in run_dirs]
    seen: dict[str, int] = {}
    for _info, views, scenarios in loaded:
        names = {_text(v.get("name")) for v in views} | {_text(s.get("vendor")) for s in scenarios}
        for n in names:
            seen[n] = seen.get(n, 0) + 1
    data = ReportData(runs=[], vendors=[], scenarios=[])
    for info, views, scenarios in loaded:
        def rename(name: str, run_id: str = info.id) -> str:
            return f"{name} [{run_id}]" if seen.get(name, 0) > 1 else name

        data.runs.append(info)
        listed = set()
        for view in views:
            listed.add(_text(view.get("name")))
            data.vendors.append(_vendor(view, info.id, rename(_text(view.get("name")))))
        for raw in scenarios:
            vendor = _text(raw.get("vendor"))
            # a scenario of a vendor the run header lost (killed run)
            if vendor not in listed and raw.get("role") != "interop" and not raw.get("interop"):
                listed.add(vendor)
                data.vendors.append(_vendor({"name": vendor}, info.id, rename(vendor)))
            data.scenarios.append(_scenario(raw, info.id, rename))
    return data
