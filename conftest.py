"""Repository root: `pytest` here collects lerconf's own tests (tests/) and feature runs
(features/) only, never the data folders beside them."""
import pytest

collect_ignore = ["reports", "fixtures", "vectors", "benchmarks", "tools", "docs"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The end-to-end files (marked ``slow``: whole runs, servers) first, each file kept whole.

    `make test` deals files to xdist workers in collection order (``--no-loadscope-reorder``): the
    long files start first and the many short ones fill in behind them, instead of one worker
    running the last long file alone while the other waits (issue 19)."""
    slow_files = {item.nodeid.split("::")[0] for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.nodeid.split("::")[0] not in slow_files)  # stable: order within kept
