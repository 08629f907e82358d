"""What the lerconf plugin keeps across a run and per scenario: the run's state on the config's
stash, each item's metadata, record and evidence on its own stash, and the names they use.
"""
from __future__ import annotations

from typing import Any

import pytest

from lerconf.evidence import Evidence

__all__ = ["EVIDENCE_KEY", "INTEROP_KINDS", "META_KEY", "NO_INTEROP", "ORDER_KEY", "RECORD_KEY", "REFERENCE_NAME", "RUN_KEY"]


RUN_KEY = pytest.StashKey[dict[str, Any]]()


#: per test item: its scenario's metadata (scenario_meta), kept at setup
META_KEY = pytest.StashKey[dict[str, Any]]()


#: per test item: the results.json record built up over its setup, call and teardown reports
RECORD_KEY = pytest.StashKey[dict[str, Any]]()


#: per test item: the evidence its scenario gathered (the evidence fixture)
EVIDENCE_KEY = pytest.StashKey[Evidence]()


#: per test item of a sharded run: its position in the unsharded run (results.json ``order``)
ORDER_KEY = pytest.StashKey[int]()


#: the name fixtures/vendors/reference.yaml gives the embedded reference
REFERENCE_NAME = "lerconf reference implementation"


#: which interop cases an interop scenario runs, by its requirement id
INTEROP_KINDS = {"API-11": "credential", "API-14": "presentation", "BSL-10": "lifecycle", "LCS-03": "disclosure"}


NO_INTEROP = "interop needs two or more vendors"
