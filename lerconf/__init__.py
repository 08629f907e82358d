"""lerconf: conformance and interoperability harness for Learning and Employment Records."""
from __future__ import annotations

from lerconf.errors import LerconfError, ProfileError, ResolutionError, VectorError
from lerconf.results import Category, CheckResult, Severity, Status

__version__ = "0.1.0"

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
