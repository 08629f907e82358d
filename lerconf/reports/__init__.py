"""Reports of conformance runs: report.html, baseline diffs, interop matrices, certificates.

All of them are derived from results.json alone (see `lerconf.runlog`).
"""
from __future__ import annotations

from lerconf.reports.baseline import (
    Baseline,
    BaselineDiff,
    KnownFailure,
    diff,
    load_baseline,
)
from lerconf.reports.certificate import check_digests
from lerconf.reports.generate import ReportOutcome, write_report
from lerconf.reports.interop import Matrix, build_matrices
from lerconf.reports.model import ReportData, build

__all__ = [
    "Baseline",
    "BaselineDiff",
    "KnownFailure",
    "Matrix",
    "ReportData",
    "ReportOutcome",
    "build",
    "build_matrices",
    "check_digests",
    "diff",
    "load_baseline",
    "write_report",
]
