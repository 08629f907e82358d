"""lerconf's version: one place, read by the package metadata (pyproject), results.json and reports."""
__version__ = "0.1.0"
