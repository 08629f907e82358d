"""tests/_shared_runs.py: a shared run is made once by whichever process comes first, the others
wait and read it; a run that cannot be made fails every process that needs it, none hangs; a
changed run is noticed."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import _shared_runs
import pytest
from _shared_runs import copy_of, shared_run

TESTS = Path(__file__).resolve().parent
#: a stand-in `lerconf run --out DIR`: slow enough for the second process to wait, counts its runs
FAKE_RUN = """
import os, sys, time
out = sys.argv[sys.argv.index("--out") + 1]
with open(os.environ["COUNT"], "a") as f:
    f.write("ran\\n")
time.sleep(1)
os.makedirs(os.path.join(out, "20260101T000000Z-1"))
open(os.path.join(out, "20260101T000000Z-1", "results.json"), "w").write("{}")
print("made it")
"""
CALLER = """
import json, sys
from pathlib import Path
from _shared_runs import shared_run
made = shared_run(Path(sys.argv[1]), "fake", json.loads(sys.argv[2]), env=dict(__import__("os").environ))
print(json.dumps([made.returncode, made.stdout, str(made.run_dir)]))
"""


def _callers(root: Path, argv: list[str], count: Path) -> list[subprocess.CompletedProcess[str]]:
    import json

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]),
           "COUNT": str(count)}
    jobs = [subprocess.Popen([sys.executable, "-c", CALLER, str(root), json.dumps(argv)], env=env, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    done = []
    for job in jobs:
        out, err = job.communicate(timeout=120)
        done.append(subprocess.CompletedProcess(job.args, job.returncode, out, err))
    return done


def test_made_once_and_read_by_every_process(tmp_path: Path) -> None:
    count = tmp_path / "count"
    done = _callers(tmp_path, [sys.executable, "-c", FAKE_RUN], count)
    assert [d.returncode for d in done] == [0, 0, 0], [d.stderr for d in done]
    assert count.read_text() == "ran\n", "made once"
    answers = {d.stdout for d in done}
    assert len(answers) == 1 and "made it" in answers.pop()
    made = shared_run(tmp_path, "fake", [], env={})  # this process reads it too: nothing runs ([] would fail)
    assert made.returncode == 0 and made.stdout == "made it\n" and not made.changed()
    assert not os.access(made.run_dir, os.W_OK) or os.geteuid() == 0  # read-only (root ignores modes)
    copy = copy_of(made.run_dir, tmp_path / "copy")
    (copy / "extra").write_text("a copy is writable")
    assert not made.changed()
    os.utime(made.run_dir / "results.json", ns=(1, 1))
    assert made.changed(), "a changed file in the shared run is noticed"


def test_a_run_that_cannot_be_made_fails_every_process(tmp_path: Path) -> None:
    done = _callers(tmp_path, [str(tmp_path / "no-such-command")], tmp_path / "count")
    assert all(d.returncode != 0 for d in done)
    assert all("shared run 'fake' could not be made" in d.stderr and "no-such-command" in d.stderr for d in done), \
        [d.stderr[-500:] for d in done]
    assert not (tmp_path / "count").exists()



#: a stand-in run that starts a child of its own (as `lerconf run` starts servers) and never ends
HANGING_RUN = """
import os, subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
open(os.environ["CHILD"], "w").write(str(child.pid))
time.sleep(600)
"""


def test_a_run_that_overstays_is_stopped_with_what_it_started(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_shared_runs, "RUN_TIMEOUT_S", 2)
    child_file = tmp_path / "child"
    with pytest.raises(pytest.fail.Exception, match="could not be made"):
        shared_run(tmp_path, "hanging", [sys.executable, "-c", HANGING_RUN], env={**os.environ, "CHILD": str(child_file)})
    pid = int(child_file.read_text())
    for _ in range(50):  # the kill is asynchronous: give the kernel a moment to reap
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        if Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("Z"):
            break  # a zombie: killed, only waiting for init to reap it
        time.sleep(0.1)
    else:
        raise AssertionError(f"the run's child {pid} outlived the stopped run")
