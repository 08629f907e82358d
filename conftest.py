"""Repository root: `pytest` here collects lerconf's own tests (tests/) and feature runs
(features/) only, never the data folders beside them."""
collect_ignore = ["reports", "fixtures", "vectors", "benchmarks", "tools", "docs"]
