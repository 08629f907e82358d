"""Scenarios skipped before they start (a role --role did not select, a claim the vendor does not make)
never enter pytest's run protocol, yet their rows stand in results.json exactly where a run of them
would have put them: the same ids in the same order as a run that selects every role."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lerconf.run.runner import RunOptions, run

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_data_env")]
KEYWORD = "(verifies_a_valid_badge or signs_a_presentation_with) and eddsa-rdfc-2022"


def _run(out: Path, roles: list[str]) -> tuple[int, Path, list[dict[str, Any]]]:
    code, run_dir = run(RunOptions(vendors=[], out=out, keyword=KEYWORD, roles=roles))
    return code, run_dir, json.loads((run_dir / "results.json").read_text(encoding="utf-8"))["scenarios"]


@pytest.mark.parametrize("role, other", [("holder", "verifier"), ("verifier", "holder")])
def test_rows_set_aside_keep_their_place_and_make_no_pytest_run(tmp_path: Path, role: str, other: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from lerconf.run import plugin

    set_up: list[str] = []
    real_setup = plugin.pytest_runtest_setup

    def counting_setup(item: pytest.Item) -> None:  # registered as the run starts: counts what pytest runs
        set_up.append(item.nodeid)
        real_setup(item)

    monkeypatch.setattr(plugin, "pytest_runtest_setup", counting_setup)
    _, _, every = _run(tmp_path / "every", [])
    assert len(set_up) == len(every)
    set_up.clear()
    code, run_dir, chosen = _run(tmp_path / "chosen", [role])
    assert code == 0
    assert [s["id"] for s in chosen] == [s["id"] for s in every]  # before, between and after those that ran
    ran = [s for s in chosen if s["role"] == role]
    aside = [s for s in chosen if s["role"] == other]
    assert ran and aside and all(s["status"] == "passed" for s in ran)
    assert all(s["status"] == "skipped" and s["reason"] == f"role {other} not selected" and s["evidence"] is None
               for s in aside)
    assert {k: v for k, v in every[0].items() if k not in ("duration_s", "evidence", "status", "reason")} == \
        {k: v for k, v in chosen[0].items() if k not in ("duration_s", "evidence", "status", "reason")}
    assert len(set_up) == len(ran)  # the set-aside ones were never run by pytest
    assert (run_dir / "results.jsonl").read_text(encoding="utf-8").count("\n") == len(chosen)



def test_a_set_aside_row_still_prints_its_console_line(tmp_path: Path) -> None:
    """A read-only run skips the scenarios that change vendor state: their SKIPPED lines are printed in
    their place on the console, not swallowed by pytest's capture of the next scenario's setup."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "lerconf.run.cli", "run", "--out", str(tmp_path), "--read-only",
                           "--tags", "issuer or verifier", "-k", "status or verifies_a_valid_badge"],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    rows = json.loads(((tmp_path / "latest").resolve() / "results.json").read_text(encoding="utf-8"))["scenarios"]
    read_only = [s for s in rows if s["reason"] == "read-only run: this scenario changes vendor state"]
    later = [i for i, s in enumerate(rows) if s["status"] == "passed" and i > rows.index(read_only[-1])]
    assert read_only and later  # rows set aside before a scenario that runs
    assert done.stdout.count("SKIPPED") == len(read_only), done.stdout
