"""What a scenario is expected to take, by its feature file, so `--shard` and `-n` deal shards of
equal time rather than equal counts (an OID4VCI nonce scenario takes twenty times an artefact row).

The table (lerconf/data/scenario_costs.json) is measured: tools/scenario_costs.py reads the
``duration_s`` of the scenarios that ran in one or more results.json and writes each feature's
median in milliseconds. It ships with lerconf, so every CI job of one run reads the same numbers
and deals the same shards; a stale table only makes shards less even, never wrong.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

__all__ = ["feature_cost"]


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, int], int]:
    raw = json.loads(resources.files("lerconf.data").joinpath("scenario_costs.json").read_text("utf-8"))
    features = {str(k): max(1, int(v)) for k, v in (raw.get("features") or {}).items()}
    return features, max(1, int(raw.get("default_ms", 20)))


def feature_cost(feature_file: str) -> int:
    """Milliseconds a scenario of ``feature_file`` (relative to features/) usually takes; the table's
    default for a feature it has not measured."""
    features, default = _table()
    return features.get(feature_file, default)
