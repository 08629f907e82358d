"""Write lerconf/data/scenario_costs.json from the scenarios that ran in one or more results.json:
each feature file's median ``duration_s`` (ms) over its passed and failed scenarios, and the median
of those as the default for features not measured. lerconf.run.costs reads it to deal shards.

Usage: python tools/scenario_costs.py RUN_DIR/results.json [...] > lerconf/data/scenario_costs.json
"""
from __future__ import annotations

import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path


def costs(results_files: list[Path]) -> dict[str, object]:
    durations: dict[str, list[float]] = defaultdict(list)
    for path in results_files:
        for scenario in json.loads(path.read_text(encoding="utf-8")).get("scenarios", []):
            if scenario.get("status") in ("passed", "failed") and scenario.get("feature_file"):
                durations[str(scenario["feature_file"])].append(float(scenario.get("duration_s") or 0.0))
    features = {name: max(1, round(statistics.median(values) * 1000)) for name, values in sorted(durations.items())}
    default = round(statistics.median(features.values())) if features else 20
    return {"unit": "ms", "measured_from": len(results_files), "default_ms": default, "features": features}


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    print(json.dumps(costs([Path(a) for a in argv]), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
