"""`lerconf serve` as an external Open Badges 3.0 / CLR 2.0 host: its own process, HTTPS under the
CA it makes at start, the profile it writes naming its ``ob_provider`` section. `lerconf run
--vendor <that profile> --role ob_provider` passes every ob_provider scenario over the wire, with
no client secret, token or code in the results. Only loopback traffic."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from _served import landed_on_lerconfs_callback, run_with_a_person, running_served

from conftest import shared_env
from lerconf.runlog import load_results

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
LERCONF = Path(sys.executable).parent / "lerconf"
HOST = "127.0.0.1"


@pytest.fixture(scope="module")
def served_profile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """`lerconf serve --tls --profile-out` on a free loopback port; its profile, while it runs."""
    with running_served(tmp_path_factory.mktemp("served-ob"), "/ims/ob/v3p0/discovery") as server:
        yield server.profile


def test_served_host_passes_every_ob_provider_scenario(served_profile: Path, tmp_path: Path) -> None:
    section = yaml.safe_load(served_profile.read_text(encoding="utf-8"))["ob_provider"]
    assert section["base_url"].startswith("https://127.0.0.1:")
    assert section["options"]["revocation_url"].startswith(section["base_url"])
    proc = subprocess.run([str(LERCONF), "run", "--vendor", str(served_profile), "--role", "ob_provider",
                           "--out", str(tmp_path)], cwd=REPO, env={**os.environ, **shared_env()},
                          capture_output=True, text=True, timeout=300)
    dirs = [p for p in tmp_path.iterdir() if p.is_dir() and not p.is_symlink()]
    assert len(dirs) == 1, proc.stdout[-2000:] + proc.stderr[-4000:]
    results = load_results(dirs[0] / "results.json")
    ours = [s for s in results["scenarios"] if s.get("role") == "ob_provider"]
    bad = [f"{s['status']}: {s['name']} — {s.get('reason')}" for s in ours if s["status"] != "passed"]
    assert not bad, bad
    assert len(ours) >= 49, len(ours)  # every example row of features/ob_provider, none skipped
    text = (dirs[0] / "results.json").read_text(encoding="utf-8")
    assert not re.search(r'"(client_secret|access_token|refresh_token)": "(?!\[REDACTED\])', text)
    assert proc.returncode == 0, proc.stdout[-2000:]


def test_a_person_logs_in_by_hand_and_the_host_is_judged(served_profile: Path, tmp_path: Path) -> None:
    """``login: person``: lerconf prints the authorization URL, a person (here a robot playing the
    browser) opens it and the host sends the browser back to lerconf's own callback, registered as
    the client's redirect_uri; the login scenarios then pass as with follow_redirects."""
    profile = yaml.safe_load(served_profile.read_text(encoding="utf-8"))
    profile["ob_provider"]["options"] = {**profile["ob_provider"].get("options", {}), "login": "person",
                                         "login_timeout_s": 60}
    person_profile = tmp_path / "person.yaml"
    person_profile.write_text(yaml.safe_dump(profile), encoding="utf-8")
    ran = run_with_a_person(["--vendor", str(person_profile), "--role", "ob_provider", "-k",
                             "same_state or bearer_access_token"], profile["tls"]["ca_file"], tmp_path / "out")
    ours = [s for s in load_results(ran.run_dir / "results.json")["scenarios"] if s.get("role") == "ob_provider"
            and s["status"] != "skipped"]
    assert len(ours) == 4 and all(s["status"] == "passed" for s in ours), ([(s["name"], s["reason"]) for s in ours],
                                                                          ran.opened, "".join(ran.said)[-3000:])
    assert len(ran.opened) >= 4 and landed_on_lerconfs_callback(ran.opened), ran.opened  # one login a scenario at least
    registration = next(e for s in ours for e in s["evidence"]["exchanges"] if e["request"]["url"].endswith("/register"))
    assert "/login/callback" in json.dumps(registration["request"]["body"])
    assert ran.returncode == 0, ran.stdout[-2000:]


def test_a_person_logs_in_from_the_operator_page(served_profile: Path, tmp_path: Path) -> None:
    """The same login by hand, read off lerconf's operator page (a "login" step with the address as a
    link) instead of the terminal: each step ends by itself when the browser comes back to lerconf."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    profile = yaml.safe_load(served_profile.read_text(encoding="utf-8"))
    profile["ob_provider"]["options"] = {**profile["ob_provider"].get("options", {}), "login": "person",
                                         "login_timeout_s": 60, "login_page_port": port}
    person_profile = tmp_path / "person.yaml"
    person_profile.write_text(yaml.safe_dump(profile), encoding="utf-8")
    ran = run_with_a_person(["--vendor", str(person_profile), "--role", "ob_provider", "-k", "same_state"],
                            profile["tls"]["ca_file"], tmp_path / "out", page_port=port)
    ours = [s for s in load_results(ran.run_dir / "results.json")["scenarios"] if s.get("role") == "ob_provider"
            and s["status"] != "skipped"]
    assert len(ours) == 2 and all(s["status"] == "passed" for s in ours), ([(s["name"], s["reason"]) for s in ours],
                                                                          ran.opened, "".join(ran.said)[-3000:])
    assert len(ran.opened) >= 2 and landed_on_lerconfs_callback(ran.opened), ran.opened
    said = "".join(ran.said)
    assert f"operator page at http://127.0.0.1:{port}/" in said and "ended: lerconf saw the outcome" in said
    assert ran.returncode == 0, ran.stdout[-2000:]
