"""Steps of features/verifier/vcapi-verify-selective.feature (one line each into lerconf.scenarios.selective)."""
from __future__ import annotations

from pytest_bdd import given, parsers

from lerconf.evidence import Evidence
from lerconf.scenarios import selective
from lerconf.scenarios.harness import Harness
from lerconf.scenarios.vcapi import Badge


@given(parsers.parse('a badge lerconf issued with "{securing}" and disclosed in part, as "{variant}"'), target_fixture="badge")
def _(harness: Harness, evidence: Evidence, securing: str, variant: str) -> Badge:
    return selective.selective_badge(harness, evidence, variant)
