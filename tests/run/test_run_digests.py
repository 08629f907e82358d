"""results.json ``run.digests`` in a process that does many runs: each scenario is digested once per
process (lerconf.run.digests keeps the rows with pytest-bdd's template), every run gets the same digests
and rows of its own."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lerconf.run import digests
from lerconf.run.runner import RunOptions, features_dir, run

pytestmark = pytest.mark.usefixtures("shared_data_env")
SMALL = "verifies_a_valid_badge and eddsa-rdfc-2022-2.0 and not status"


def _digests(out: Path) -> dict[str, Any]:
    return dict(json.loads((out / "latest" / "results.json").read_text(encoding="utf-8"))["run"]["digests"])


def test_a_second_run_in_the_process_has_the_same_digests_without_digesting_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run(RunOptions(out=tmp_path / "one", keyword=SMALL))
    first = _digests(tmp_path / "one")
    assert len(first["scenario"]) > 400  # every scenario of the feature files, not only the selected ones
    calls: list[int] = []
    real = digests.steps_digest
    monkeypatch.setattr(digests, "steps_digest", lambda steps, tags: calls.append(1) or real(steps, tags))
    run(RunOptions(out=tmp_path / "two", keyword=SMALL))
    assert _digests(tmp_path / "two") == first
    assert calls == []


def test_each_run_gets_rows_of_its_own(tmp_path: Path) -> None:
    run(RunOptions(out=tmp_path, keyword=SMALL))
    root = features_dir().resolve()
    mine = digests._scenarios(root)
    key, row = next(iter(mine.items()))
    row["requirement_ids"].append("CHANGED-99")
    row["digest"] = "0" * 16
    again = digests._scenarios(root)
    assert "CHANGED-99" not in again[key]["requirement_ids"] and again[key]["digest"] != "0" * 16
