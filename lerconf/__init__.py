"""lerconf: conformance and interoperability harness for Learning and Employment Records."""
from __future__ import annotations

from lerconf.errors import LerconfError, ProfileError, ResolutionError, VectorError
from lerconf.results import Category, CheckResult, Severity, Status
from lerconf.version import __version__

__all__ = [
    "Category",
    "CheckResult",
    "LerconfError",
    "ProfileError",
    "ResolutionError",
    "Severity",
    "Status",
    "VectorError",
    "__version__",
]
