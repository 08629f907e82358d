"""`lerconf serve` as a real external vendor (issue 12, point 1).

`lerconf serve --tls --allow-loopback --profile-out` runs as its own process: HTTPS under a CA it
makes at start, so its did:web issuer id resolves over https as the DID method requires, and its
verifier may read the status lists of the `lerconf run` next to it. `lerconf run --vendor` the
profile it wrote (which names the CA as ``tls.ca_file``) passes every claimed scenario — in two
workers, which run its wallet scenarios at once on its one wallet (it keeps each scenario apart) —
and every claimed VC API and wallet scenario, again in two workers, through a transparent TCP proxy
in front of it (a vendor behind a load balancer: the endpoints are the proxy's, the documents stay on the vendor's own host, named
in ``documents.hosts``).

Only loopback traffic: the server, the proxy and the harness all bind 127.0.0.1.
"""
from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from _served import Served, running_served

from conftest import shared_env
from lerconf.runlog import load_results

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
LERCONF = Path(sys.executable).parent / "lerconf"
ROLES = ("--role", "issuer", "--role", "verifier", "--role", "holder")
HOST = "127.0.0.1"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`lerconf serve --tls` on a free loopback port, until the module's tests are done."""
    with running_served(tmp_path_factory.mktemp("served")) as server:
        yield server


def _run(profile: Path, out: Path, *extra: str, roles: tuple[str, ...] = ROLES) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    proc = subprocess.run([str(LERCONF), "run", "--vendor", str(profile), *roles, "--out", str(out), *extra],
                          cwd=REPO, env={**os.environ, **shared_env()}, capture_output=True, text=True, timeout=300)
    dirs = [p for p in out.iterdir() if p.is_dir() and not p.is_symlink()]
    assert len(dirs) == 1, proc.stdout[-2000:] + proc.stderr[-4000:]
    return proc, load_results(dirs[0] / "results.json")


def _bad(results: dict[str, Any]) -> list[str]:
    return [f"{s['status']}: {s['name']} — {s.get('reason')}" for s in results["scenarios"]
            if s["status"] in ("failed", "broken")]


def _passed(results: dict[str, Any]) -> int:
    return sum(1 for s in results["scenarios"] if s["status"] == "passed")


def test_served_reference_over_tls_passes_every_claimed_scenario(served: Served, tmp_path: Path) -> None:
    raw = yaml.safe_load(served.profile.read_text(encoding="utf-8"))
    assert raw["tls"] == {"ca_file": str(served.ca_file)}
    assert raw["issuer"]["id"] == f"did:web:127.0.0.1%3A{served.port}"
    assert raw["issuer"]["issue_url"].startswith(f"https://127.0.0.1:{served.port}/")
    # every role it claims, OpenID and wallet too, in two workers: its adapter keeps each X-Lerconf-Scenario
    # apart (its profile says isolation: scenario), so both run its wallet scenarios against that one wallet
    assert raw["wallet"]["isolation"] == "scenario"
    proc, results = _run(served.profile, tmp_path / "reports", "-n", "2", roles=())
    assert _bad(results) == [], "\n".join(_bad(results))
    assert proc.returncode == 0, proc.stderr[-4000:]
    by_role = Counter(s["role"] for s in results["scenarios"] if s["status"] == "passed")
    assert sum(by_role[r] for r in ("issuer", "verifier", "holder")) >= 90  # the VC API scenarios it claims
    # its OID4VCI issuer, OID4VP verifier and wallet over HTTPS (the wallet trusts the CA it serves under), LCW-05
    # (the adapter's isolation) among the wallet's
    assert by_role["oid4vci_issuer"] >= 40 and by_role["oid4vp_verifier"] >= 30 and by_role["wallet"] >= 20, by_role
    assert any("LCW-05" in s["requirement_ids"] for s in results["scenarios"] if s["status"] == "passed")
    run_dir = next(p for p in (tmp_path / "reports").iterdir() if p.is_dir() and not p.is_symlink())
    worker_runs = [next(p for p in w.iterdir() if p.is_dir() and not p.is_symlink()) / "results.json"
                   for w in sorted((run_dir / "workers").iterdir())]
    per_worker = [sum(1 for s in load_results(r)["scenarios"] if s["role"] == "wallet" and s["status"] == "passed")
                  for r in worker_runs]
    assert len(per_worker) == 2 and min(per_worker) >= 5, f"wallet scenarios per worker: {per_worker}"


OB_VERIFIER = ("Verifier accepts a badge its issuer's 1EdTech revocation list does not name",
               "Verifier reports a badge revoked on its issuer's 1EdTech revocation list",
               "Verifier accepts a badge with a valid endorsement", "Verifier rejects a badge with a tampered endorsement",
               "Verifier rejects a badge with a forged endorsement", "Verifier rejects a CLR with a tampered endorsement")


def test_served_verifier_judges_1edtech_revocation_and_endorsements(served: Served, tmp_path: Path) -> None:
    """OB-26 / OB-29 / CLR-09 against the separately started reference: it fetches the 1EdTech revocation
    list the harness's embedded reference publishes on another loopback port, and rejects the revoked
    badge and the bad endorsements after accepting their valid twins."""
    proc, results = _run(served.profile, tmp_path / "reports", "-k", "1EdTech or endorsement", roles=("--role", "verifier"))
    outcome = {s["name"]: s["status"] for s in results["scenarios"] if s["name"] in OB_VERIFIER}
    assert outcome == dict.fromkeys(OB_VERIFIER, "passed") and not _bad(results), "\n".join(_bad(results)) or outcome
    assert proc.returncode == 0, proc.stderr[-4000:]
    revoked = next(s for s in results["scenarios"] if s["name"] == OB_VERIFIER[1])
    assert "/status-lists/1edtech/" in str(revoked["evidence"]), "the served verifier fetched no 1EdTech list"


class ForwardingProxy:
    """A transparent TCP forwarder on 127.0.0.1 (TLS passes through untouched), in a thread of its
    own; bounded (connections, lifetime) and stopping itself when its lifetime is over."""

    def __init__(self, target_port: int, *, lifetime_s: float = 240.0, max_connections: int = 64) -> None:
        self.target_port = target_port
        self.lifetime_s = lifetime_s
        self.connections = 0
        self._slots = asyncio.Semaphore(max_connections)
        self._ready = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._stop: asyncio.Event | None = None
        self.port = 0
        self._thread = threading.Thread(target=self._loop.run_until_complete, args=(self._main(),),
                                        name="test-proxy", daemon=True)

    def __enter__(self) -> ForwardingProxy:
        self._thread.start()
        assert self._ready.wait(10), "proxy did not start"
        return self

    def __exit__(self, *exc: object) -> None:
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)

    async def _main(self) -> None:
        self._stop = asyncio.Event()
        server = await asyncio.start_server(self._handle, HOST, 0)
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        async with server:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), self.lifetime_s)
            server.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        async with self._slots:
            self.connections += 1
            try:
                up_reader, up_writer = await asyncio.wait_for(asyncio.open_connection(HOST, self.target_port), 5)
            except (OSError, TimeoutError):
                writer.close()
                return
            await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await asyncio.wait_for(reader.read(65536), 60):
            writer.write(data)
            await writer.drain()
    except (OSError, TimeoutError, asyncio.IncompleteReadError):
        pass
    finally:
        with contextlib.suppress(OSError):
            writer.close()


def test_served_reference_behind_a_transparent_proxy_passes_every_claimed_scenario(served: Served, tmp_path: Path) -> None:
    with ForwardingProxy(served.port) as proxy:
        raw = yaml.safe_load(served.profile.read_text(encoding="utf-8"))
        text = served.profile.read_text(encoding="utf-8").replace(f"https://127.0.0.1:{served.port}/",
                                                                 f"https://127.0.0.1:{proxy.port}/")
        proxied = yaml.safe_load(text)
        proxied["name"] = "lerconf reference (behind a proxy)"
        proxied["issuer"]["id"] = raw["issuer"]["id"]  # the identity stays the vendor's own host
        proxied["documents"] = {"hosts": [f"127.0.0.1:{served.port}"]}  # where its DID document and lists live
        proxied["tls"] = {"ca_file": served.ca_file.name}  # relative: read from the profile's folder
        (tmp_path / served.ca_file.name).write_bytes(served.ca_file.read_bytes())
        profile = tmp_path / "proxied.yaml"
        profile.write_text(yaml.safe_dump(proxied, sort_keys=False), encoding="utf-8")
        # its wallet too, in two workers: both reach its one isolated wallet through the proxy at once
        proc, results = _run(profile, tmp_path / "reports", "-n", "2", roles=(*ROLES, "--role", "wallet"))
        assert proxy.connections > 0  # the vendor calls went through the proxy
    assert _bad(results) == [], "\n".join(_bad(results))
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert _passed(results) >= 110
    wallet = [s for s in results["scenarios"] if s["role"] == "wallet" and s["status"] == "passed"]
    assert len(wallet) >= 20 and any("LCW-05" in s["requirement_ids"] for s in wallet)
    assert proxied["wallet"]["adapter_url"].startswith(f"https://127.0.0.1:{proxy.port}/")


def test_a_person_logs_in_by_hand_at_the_oid4vci_authorization_server(served: Served, tmp_path: Path) -> None:
    """OID4VCI's authorization code flow with ``login: person``: the robot person opens the address
    lerconf prints, the served AS sends the browser back to lerconf's own callback (the redirect_uri
    lerconf sent), and the wallet redeems the code for a badge."""
    from _served import landed_on_lerconfs_callback, run_with_a_person

    from lerconf.runlog import load_results

    profile = yaml.safe_load(served.profile.read_text(encoding="utf-8"))
    options = profile["oid4vci_issuer"].setdefault("options", {})
    options["authorization"] = {**options.get("authorization", {}), "login": "person", "login_timeout_s": 60}
    options["authorization"].pop("redirect_uri", None)
    person_profile = tmp_path / "person.yaml"
    person_profile.write_text(yaml.safe_dump(profile), encoding="utf-8")
    ran = run_with_a_person(["--vendor", str(person_profile), "--role", "oid4vci_issuer", "-k",
                             "obtains_an_access_token_over_the_authorization_code_flow"], str(served.ca_file),
                            tmp_path / "out")
    ours = [s for s in load_results(ran.run_dir / "results.json")["scenarios"] if s.get("role") == "oid4vci_issuer"
            and s["status"] != "skipped"]
    assert len(ours) == 2 and all(s["status"] == "passed" for s in ours), ([(s["name"], s["reason"]) for s in ours],
                                                                          ran.opened, "".join(ran.said)[-3000:])
    assert len(ran.opened) == 2 and landed_on_lerconfs_callback(ran.opened), ran.opened
    assert ran.returncode == 0, ran.stdout[-2000:]

