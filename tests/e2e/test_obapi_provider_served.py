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
from _served import running_served

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
    import threading

    import httpx

    profile = yaml.safe_load(served_profile.read_text(encoding="utf-8"))
    profile["ob_provider"]["options"] = {**profile["ob_provider"].get("options", {}), "login": "person",
                                         "login_timeout_s": 60}
    person_profile = tmp_path / "person.yaml"
    person_profile.write_text(yaml.safe_dump(profile), encoding="utf-8")
    ca = profile["tls"]["ca_file"]
    proc = subprocess.Popen([str(LERCONF), "run", "--vendor", str(person_profile), "--role", "ob_provider",
                             "-k", "same_state or bearer_access_token", "--out", str(tmp_path / "out")], cwd=REPO,
                            env={**os.environ, **shared_env()}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)  # no terminal: lerconf's prompt goes to stderr
    opened: list[tuple[str, int, str]] = []
    said: list[str] = []

    def browser() -> None:  # the person: open each address lerconf prints, log in (the host auto-approves)
        assert proc.stderr is not None
        waiting = False
        for line in proc.stderr:
            said.append(line)
            if "log in by hand" in line:
                waiting = True
            elif waiting and line.startswith("  https://"):
                waiting = False
                try:
                    with httpx.Client(verify=ca, follow_redirects=True, trust_env=False, timeout=30) as browser_client:
                        landed = browser_client.get(line.strip())
                    opened.append((str(landed.url), landed.status_code, landed.text))
                except httpx.HTTPError as exc:  # a browser that got nowhere: the assertions below say so
                    opened.append((line.strip(), 0, repr(exc)))

    reader = threading.Thread(target=browser, daemon=True)
    reader.start()  # the only reader of stderr (communicate() would read it too, and take lines away)
    assert proc.stdout is not None
    out = proc.stdout.read()
    proc.wait(timeout=300)
    reader.join(10)
    dirs = [p for p in (tmp_path / "out").iterdir() if p.is_dir() and not p.is_symlink()]
    assert len(dirs) == 1, out[-2000:] + "".join(said)[-4000:]
    ours = [s for s in load_results(dirs[0] / "results.json")["scenarios"] if s.get("role") == "ob_provider"
            and s["status"] != "skipped"]
    assert len(ours) == 4 and all(s["status"] == "passed" for s in ours), ([(s["name"], s["reason"]) for s in ours],
                                                                          opened, "".join(said)[-3000:])
    assert len(opened) >= 4  # one login per scenario at least, each by the person
    for url, status, page in opened:  # each browser ended on lerconf's callback, which never shows the code
        assert url.startswith("http://127.0.0.1:") and "/login/callback?" in url and status == 200
        assert "lerconf received the login" in page and "code=" not in page
    registration = next(e for s in ours for e in s["evidence"]["exchanges"] if e["request"]["url"].endswith("/register"))
    assert "/login/callback" in json.dumps(registration["request"]["body"])
    assert proc.returncode == 0, out[-2000:]
