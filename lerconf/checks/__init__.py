"""Checks: one small function per requirement id, each returning a CheckResult.

Find the check for a requirement by searching for its id, e.g. ``@check("VCDM-06"``.
"""
from __future__ import annotations

from lerconf.checks.base import (
    CHECKS,
    check,
    failed,
    not_applicable,
    passed,
    run_check,
    warning,
)

__all__ = ["CHECKS", "check", "failed", "not_applicable", "passed", "run_check", "warning"]
