"""Splitting one run across machines (`lerconf run --shard I/N`) and joining the pieces again.

A CI matrix is lerconf's scale-out engine: each job runs one shard of the same command, and
`lerconf report` merges the shards' run directories into one results.json and one report.

The split is deterministic and needs no coordination: every job collects the same scenarios in
the same order (same features, same profiles, same selection), groups them, deals the groups
(costliest first, each to the shard with the least expected time; lerconf.run.costs) and keeps
its own. A group is
one scenario for one vendor; an interop scenario with all its issuer × verifier pairs (a pair is
never cut in two); or every scenario that uses one wallet: its vendor's wallet scenarios and the OpenID
interop cases that hand a badge to it (lerconf.run.plugin). Each record carries its position in the unsharded order
(``order``), so the merged results.json lists scenarios exactly as an unsharded run would.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lerconf.errors import LerconfError
from lerconf.runlog import load_results

__all__ = ["Shard", "is_shard", "merge_shards", "parse_shard", "split"]

_SPEC = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")
#: run fields every shard of one run must agree on (else they are shards of different runs)
_SAME = ("lerconf_version", "selection", "digests", "status_list_minimum")


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` (1-based) of ``total``."""

    index: int
    total: int

    def __str__(self) -> str:
        return f"{self.index}/{self.total}"


def parse_shard(text: str) -> Shard:
    """'2/3' -> Shard(2, 3); anything else says what a shard looks like."""
    match = _SPEC.match(text)
    if not match:
        raise ValueError(f"--shard {text!r}: expected I/N, e.g. 2/3 (the second of three shards)")
    index, total = int(match.group(1)), int(match.group(2))
    if total < 1 or not 1 <= index <= total:
        raise ValueError(f"--shard {text!r}: I must be between 1 and N, and N at least 1")
    return Shard(index, total)


def split(keys: Sequence[Hashable], shard: Shard, costs: Sequence[int] | None = None) -> list[int]:
    """Positions of ``keys`` (one per scenario, in collection order) that belong to ``shard``.

    Equal keys form one group. Groups are dealt costliest first (ties: the one collected first) to
    the shard with the least cost so far (ties: the lowest index), so shards differ by at most one
    large group, and a big group (one wallet's scenarios) is balanced by many small ones elsewhere.
    ``costs``: each scenario's expected cost (lerconf.run.costs: what its feature usually takes,
    nothing for one that will be skipped at once); without them every scenario costs 1. Integers,
    so the same collection splits the same way on every machine."""
    weights = list(costs) if costs is not None else [1] * len(keys)
    if len(weights) != len(keys):
        raise ValueError(f"{len(weights)} costs for {len(keys)} scenarios")
    groups: dict[Hashable, list[int]] = {}
    for position, key in enumerate(keys):
        groups.setdefault(key, []).append(position)
    load = [0] * shard.total
    kept: list[int] = []
    ordered = sorted(groups.values(), key=lambda g: (-sum(weights[p] for p in g), -len(g), g[0]))
    for positions in ordered:
        target = min(range(shard.total), key=lambda i: (load[i], i))
        load[target] += sum(weights[p] for p in positions) or 0
        if target == shard.index - 1:
            kept += positions
    return sorted(kept)


def is_shard(results: Mapping[str, Any]) -> bool:
    return isinstance(results.get("run", {}).get("shard"), dict)


def merge_shards(run_dirs: Sequence[Path], out: Path, *, partial: bool = False, run_id: str | None = None,
                 command: list[str] | None = None) -> Path:
    """Join the run directories of all N shards of one run into ``out``: results.json (and .jsonl)
    and the union of their allure-results.

    Refuses (LerconfError, naming what is wrong) a set that is not exactly shards 1..N of one
    run: a shard missing or given twice, shards of different N, of different selections, feature
    files, requirement sets or lerconf versions. With ``partial`` (`lerconf run -n`, whose worker
    may die), a missing shard is allowed and the merged run is marked incomplete. ``run_id`` and
    ``command`` name the merged run (default: the first shard's id + "-merged", its command)."""
    loaded = [(Path(d), load_results(Path(d) / "results.json")) for d in run_dirs]
    if not loaded:
        raise LerconfError("no shard to merge")
    for directory, results in loaded:
        if not is_shard(results):
            raise LerconfError(f"{directory}: not a shard (its run was not started with --shard); "
                               "give either only the shards of one run, or only whole runs")
    totals = {int(r["run"]["shard"]["total"]) for _, r in loaded}
    if len(totals) != 1:
        raise LerconfError(f"these shards belong to splits of different sizes ({', '.join(f'N={t}' for t in sorted(totals))})")
    total = totals.pop()
    seen: dict[int, Path] = {}
    for directory, results in loaded:
        index = int(results["run"]["shard"]["index"])
        if index in seen:
            raise LerconfError(f"shard {index}/{total} given twice: {seen[index]} and {directory}")
        seen[index] = directory
    missing = [i for i in range(1, total + 1) if i not in seen]
    if missing and not partial:
        raise LerconfError(f"shard(s) {', '.join(f'{i}/{total}' for i in missing)} missing: a merged run must hold all {total}")
    loaded.sort(key=lambda pair: int(pair[1]["run"]["shard"]["index"]))
    first_dir, first = loaded[0]
    for directory, results in loaded[1:]:
        for name in _SAME:
            if results["run"].get(name) != first["run"].get(name):
                raise LerconfError(f"{directory} and {first_dir} are not shards of one run: their {name} differ")
        if [v.get("name") for v in results.get("vendors", [])] != [v.get("name") for v in first.get("vendors", [])]:
            raise LerconfError(f"{directory} and {first_dir} are not shards of one run: they tested different vendors")
    merged = _merged(loaded)
    if run_id is not None:
        merged["run"]["id"] = run_id
    if command is not None:
        merged["run"]["command"] = list(command)
    if missing:
        merged["run"]["complete"] = False
        merged["run"]["shards"] += [{"index": i, "total": total, "id": None, "scenarios": None, "complete": False}
                                    for i in missing]
    out.mkdir(parents=True, exist_ok=True)
    _write(out, merged)
    for directory, _ in loaded:  # Allure results are one file per result, uniquely named: the union is the run's
        source = directory / "allure-results"
        if source.is_dir() and source.resolve() != (out / "allure-results").resolve():
            shutil.copytree(source, out / "allure-results", dirs_exist_ok=True)
    return out


def _merged(loaded: list[tuple[Path, dict[str, Any]]]) -> dict[str, Any]:
    first = loaded[0][1]
    scenarios = [s for _, r in loaded for s in r.get("scenarios", [])]
    scenarios.sort(key=lambda s: int(s.get("order", 0)))
    runs = [r["run"] for _, r in loaded]
    run = {key: value for key, value in first["run"].items() if key != "shard"}
    run.update(
        id=f"{first['run']['id']}-merged",
        started=min(str(r.get("started") or "") for r in runs) or None,
        finished=None if any(not r.get("finished") for r in runs) else max(str(r["finished"]) for r in runs),
        complete=all(bool(r.get("complete")) for r in runs),
        shards=[{"index": r["shard"]["index"], "total": r["shard"]["total"], "id": r.get("id"),
                 "scenarios": r["shard"].get("scenarios"), "complete": bool(r.get("complete"))} for r in runs])
    vendors = [dict(v) for v in first.get("vendors", [])]
    for view in vendors:  # calls lerconf made to each vendor: the sum over the shards
        counts = [next((v.get("requests") for v in r.get("vendors", []) if v.get("name") == view.get("name")), None)
                  for _, r in loaded]
        if all(isinstance(c, int) for c in counts):
            view["requests"] = sum(c for c in counts if isinstance(c, int))
    return {"run": run, "vendors": vendors, "scenarios": scenarios}


def _write(out: Path, merged: dict[str, Any]) -> None:
    lines = "".join(json.dumps(s, ensure_ascii=False) + "\n" for s in merged["scenarios"])
    (out / "results.jsonl").write_text(lines, encoding="utf-8")
    tmp = out / "results.json.tmp"
    tmp.write_text(json.dumps(merged, indent=1, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, out / "results.json")
