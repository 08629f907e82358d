"""`lerconf run --record` and `lerconf replay`: one tape per scenario (lerconf.tape), kept in the run
directory's ``recording/`` and played back in the same order.

A recording holds ``run.json`` (lerconf's version, the embedded reference's port, the vendor
profiles as they were, the run's selection), ``index.json`` (pytest node id -> tape file) and the
tapes. A replay runs the same scenarios, in the same order, against the same profiles, with the
reference bound to the recorded port (its URLs and did:web are in the recorded answers), every
answer read from the tape and nothing sent: the scenarios are judged again by the current checks.

Scenarios that test a wallet are not replayed: the verdict comes from what the wallet sent to
lerconf's own endpoints, which a replay cannot make it send again (its requests are in the
recorded evidence). They end *cannot be judged* with that reason.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import threading
from collections.abc import Generator, Mapping
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from lerconf import __version__
from lerconf.documents.loader import load_url_map
from lerconf.documents.netguard import default_tls
from lerconf.errors import LerconfError
from lerconf.refimpl.replay import InboundRequest, inbound_of
from lerconf.refimpl.status import StatusRegistry
from lerconf.refimpl.wire import RECORDED as RECORDED_PREFIXES
from lerconf.refimpl.wire import WireLog, wire_of
from lerconf.roles import PERSON_ROLES, VCALM_WALLET_ROLE, vendor_role
from lerconf.run.meta import scenario_meta
from lerconf.run.state import META_KEY, RUN_KEY
from lerconf.runlog import load_results
from lerconf.tape import Diverged, Tape, serve_tapes, start_replay_session, taped
from lerconf.verdicts import Broken, CannotJudge

__all__ = ["RECORDING", "TapePlugin", "load_recording", "reference_sides", "write_recording_header"]

RECORDING = "recording"


class FetchSide:
    """Who fetched lerconf's published documents (status lists, did:web) during an exchange: the
    verifier scenarios' "did it reach them" verdicts read it (lerconf.scenarios.reach)."""

    def __init__(self, wire: WireLog) -> None:
        self.wire = wire

    def mark(self) -> int:
        return self.wire.mark()

    def since(self, mark: int) -> list[dict[str, Any]]:
        return [{"at": f.at, "method": f.method, "path": f.path, "status": f.status, "client": f.client,
                 "user_agent": f.user_agent} for f in self.wire.fetches_since(mark)]

    def restore(self, changes: list[dict[str, Any]], everything: Mapping[str, Any]) -> None:
        if everything.get("inbound"):  # the wallet's requests, sent again, make their own fetches
            return
        for f in changes:
            self.wire.add_fetch(str(f["method"]), str(f["path"]), int(f["status"]), str(f["client"]),
                                str(f["user_agent"]))


class StatusSide:
    """The status bits lerconf set on its own lists through its status API during an exchange (the
    lifecycle scenario asks lerconf's registry whether a credential is still clear)."""

    def __init__(self, registry: StatusRegistry) -> None:
        self.registry = registry

    def mark(self) -> dict[str, Any]:
        return self.registry.snapshot()

    def since(self, mark: dict[str, Any]) -> dict[str, Any]:
        return self.registry.changes_since(mark)

    def restore(self, changes: dict[str, Any], everything: Mapping[str, Any]) -> None:
        self.registry.apply_changes(changes)  # after the inbound side: what it re-made live is set again, unchanged


def reference_sides(state: Any, *, recording: bool) -> dict[str, Any]:
    inbound_of(state).capturing = recording
    # in this order when replaying: a wallet's requests first (they re-make lerconf's state live)
    return {"inbound": InboundSide(state), "status": StatusSide(state.status), "fetches": FetchSide(wire_of(state))}


class TapePlugin:
    """Registered by the lerconf plugin when the run records (``--lerconf-record``) or replays
    (``--lerconf-replay DIR``)."""

    def __init__(self, config: pytest.Config, *, record_dir: Path | None, replay_dir: Path | None) -> None:
        self.config = config
        self.record_dir = record_dir
        self.replay_dir = replay_dir
        self.index: dict[str, str] = load_recording(replay_dir)[1] if replay_dir else {}
        self.written: dict[str, str] = {}
        #: filled by the harness fixture once the embedded reference runs (lerconf.run.plugin)
        self.sides: dict[str, Any] = {}

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, Any, Any]:
        meta = scenario_meta(item)
        if meta is None:
            return (yield)
        if self.replay_dir is None:
            tape, served = Tape("record", sides=self.sides), ServedRecorder()
            serve_tapes(served)
            try:
                with taped(tape):
                    return (yield)
            finally:
                serve_tapes(None)
                self._write(item.nodeid, tape, served)
        name = self.index.get(item.nodeid)
        try:
            recorded = read_tape(self.replay_dir, name) if name else {}
        except LerconfError as exc:  # this scenario is broken, the run goes on
            item.stash[DAMAGED_KEY] = str(exc)
            recorded = {}
        item.stash[REPLAY_KEY] = (name is not None, self._operated(item, meta))
        serve_tapes(ServedReplayer(recorded.get("served", [])))
        try:
            with taped(Tape("replay", recorded.get("steps", []), sides=self.sides)):
                return (yield)
        finally:
            serve_tapes(None)

    def _operated(self, item: pytest.Item, meta: dict[str, Any]) -> bool:
        """A wallet an operator drove by hand (manual mode): its requests came from a person's phone; and
        every displayer or verifier-page scenario: what a person reported cannot be asked again."""
        name = item.callspec.params.get("lerconf_vendor") if hasattr(item, "callspec") else None
        profile = next((p for p in self.config.stash[RUN_KEY]["profiles"] if p.name == name), None)
        if meta["role"] in PERSON_ROLES:  # a vendor without the section (the reference) says "not claimed" again
            return profile is not None and getattr(profile, meta["role"], None) is not None
        if profile is not None and _by_a_person(profile, meta):
            return True
        if vendor_role(meta["role"], meta["tags"]) not in ("wallet", VCALM_WALLET_ROLE):
            return False
        return profile is not None and profile.wallet is not None and profile.wallet.mode == "manual"

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Generator[None, Any, Any]:
        recorded, operated = item.stash.get(REPLAY_KEY, (True, False))
        damaged = item.stash.get(DAMAGED_KEY, None)
        if damaged is not None:
            raise Broken(f"cannot replay: {damaged}")
        if not recorded:
            pytest.skip(CannotJudge("not in the recording: this scenario did not run when the run was recorded").reason)
        if operated:
            # the recording started lerconf's reference in the first scenario that needed it, often this one:
            # start it here too, from this scenario's tape, so a later scenario's tape is not asked for it
            request = getattr(item, "_request", None)
            if request is not None:
                request.getfixturevalue("harness")
            role = item.stash.get(META_KEY, {}).get("role")
            what = ("a person reported what the screen showed; the answers are in the recorded evidence"
                    if role in PERSON_ROLES else
                    "a person logged in or drove the consumer by hand; what lerconf received is in the recorded "
                    "evidence" if role in ("ob_consumer", "ob_provider", "oid4vci_issuer") else
                    "an operator drove this wallet by hand (manual mode); its requests are in the recorded evidence")
            pytest.skip(CannotJudge(f"not replayed: {what}").reason)
        return (yield)

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        start_replay_session(False)  # a live run in this process after a replay keeps its guards

    def describe(self) -> dict[str, Any]:
        """What results.json ``run`` says: recorded, or a replay of which recording."""
        if self.replay_dir is None:
            return {"recorded": True}
        header = load_recording(self.replay_dir)[0]
        return {"replay_of": {"recording": str(self.replay_dir), "run_id": self.replay_dir.parent.name,
                              "lerconf": header.get("lerconf")}}

    def _write(self, nodeid: str, tape: Tape, served: ServedRecorder) -> None:
        assert self.record_dir is not None
        name = f"{len(self.written) + 1:04d}.json"
        kept = {"steps": tape.to_json(), "served": served.to_json()}
        (self.record_dir / name).write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
        self.written[nodeid] = name
        (self.record_dir / "index.json").write_text(json.dumps(self.written, indent=1), encoding="utf-8")


REPLAY_KEY = pytest.StashKey[tuple[bool, bool]]()
DAMAGED_KEY = pytest.StashKey[str]()


class ServedRecorder:
    """Recording: a fresh tape for each request the embedded reference answers, kept in arrival order."""

    def __init__(self) -> None:
        self.groups: list[tuple[dict[str, str], Tape]] = []
        self._lock = threading.Lock()

    def tape_for(self, method: str, path: str, digest: str) -> Tape | None:
        tape = Tape("record")
        with self._lock:
            self.groups.append(({"method": method, "path": path, "req": digest}, tape))
        return tape

    def to_json(self) -> list[dict[str, Any]]:
        with self._lock:  # requests the reference answered without a draw need no tape
            return [{**key, "steps": tape.to_json()} for key, tape in self.groups if tape.entries]


class ServedReplayer:
    """Replaying: the recorded tape of the same request (method, path, body digest), each used once, in
    order; a request the recording does not know is answered afresh."""

    def __init__(self, groups: list[dict[str, Any]]) -> None:
        self.groups = groups
        self.used = [False] * len(groups)
        self._lock = threading.Lock()

    def tape_for(self, method: str, path: str, digest: str) -> Tape | None:
        with self._lock:
            for i, group in enumerate(self.groups):
                if not self.used[i] and (group.get("method"), group.get("path"), group.get("req")) == (method, path, digest):
                    self.used[i] = True
                    return Tape("replay", list(group.get("steps", [])), lenient=True)
        return None


class InboundSide:
    """What a wallet sent to lerconf's endpoints during an exchange (lerconf.refimpl.replay): kept when
    recording, sent to the embedded reference again, in order, when replaying."""

    def __init__(self, state: Any) -> None:
        self.state = state
        self.log = inbound_of(state)

    def mark(self) -> int:
        return self.log.mark()

    def since(self, mark: int) -> list[dict[str, Any]]:
        return [r.to_json() for r in self.log.since(mark)]

    def restore(self, changes: list[dict[str, Any]], everything: Mapping[str, Any]) -> None:
        if not changes:  # most exchanges: no wallet request arrived
            return
        # plain http to its own loopback listener: the shared default context (building one is ~20 ms)
        with httpx.Client(trust_env=False, timeout=30.0, follow_redirects=False, verify=default_tls(False)) as client:
            for data in changes:
                request = InboundRequest.from_json(data)
                if not request.path.startswith(RECORDED_PREFIXES) or "@" in request.path or "//" in request.path:
                    raise Diverged(f"the recording holds a wallet request to {request.path!r}, not one of lerconf's "
                                   "wallet-facing endpoints")
                url = f"{self.state.local_url}{request.path}" + (f"?{request.query}" if request.query else "")
                try:
                    client.request(request.method, url, headers=dict(request.headers), content=request.body)
                except httpx.HTTPError as exc:
                    raise Diverged(f"lerconf's reference did not take the recorded wallet request {request.method} "
                                   f"{request.path} again: {exc}") from None


def write_recording_header(record_dir: Path, *, reference_port: int, profiles: list[Any],
                           selection: dict[str, Any], reference_tls_port: int | None = None) -> None:
    """run.json of a recording: what a replay needs to run the same scenarios the same way."""
    kept = record_dir / "profiles"
    kept.mkdir(parents=True, exist_ok=True)
    files = []
    for i, profile in enumerate(profiles):
        target = kept / f"{i + 1:02d}-{Path(profile.source).name}"
        if profile.tls_ca_file is None:
            shutil.copyfile(profile.source, target)
        else:  # the CA certificate (public) goes with the copy, which names it where it now is
            ca = target.with_suffix(".ca.pem")
            shutil.copyfile(profile.tls_ca_file, ca)
            data = yaml.safe_load(Path(profile.source).read_text(encoding="utf-8"))
            data["tls"] = {**(data.get("tls") or {}), "ca_file": ca.name}
            target.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        files.append(target.name)
    header = {"lerconf": __version__, "reference_port": reference_port, "profiles": files, "selection": selection,
              "url_map": _keep_url_map(record_dir),
              **({"reference_tls_port": reference_tls_port} if reference_tls_port is not None else {})}
    (record_dir / "run.json").write_text(json.dumps(header, indent=1), encoding="utf-8")


def _keep_url_map(record_dir: Path) -> str | None:
    """The run's --url-map files, copied: they stand for documents lerconf read instead of fetching
    (a vendor's did:web on loopback), which a replay must read the same way."""
    given = os.environ.get("LERCONF_URL_MAP")
    if not given:
        return None
    kept = record_dir / "url-map"
    kept.mkdir(exist_ok=True)
    mapping = {}
    for i, (url, path) in enumerate(load_url_map(Path(given)).items()):
        target = kept / f"{i + 1:03d}-{path.name}"
        shutil.copyfile(path, target)
        mapping[url] = target.name
    (kept / "map.json").write_text(json.dumps(mapping, indent=1), encoding="utf-8")
    return "url-map/map.json"


def recording_manifest(record_dir: Path) -> dict[str, Any]:
    """The sha256 of every file of a recording, for results.json: a replay refuses a recording changed
    since (an audit's "this verdict was reached from these exchanges" holds only for these bytes)."""
    files = sorted(p for p in record_dir.rglob("*") if p.is_file())
    for p in files:  # tapes hold lerconf's own draws (verifiers, key seeds): readable by their owner only
        p.chmod(0o600)
    return {"files": {str(p.relative_to(record_dir)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}}


def check_manifest(recording: Path) -> None:
    """The recording is the one its run's results.json pins (when that run wrote one), or a LerconfError
    naming what changed."""
    results = recording.parent / "results.json"
    if not results.is_file():
        return
    try:
        manifest = (load_results(results).get("run") or {}).get("recording")
    except (OSError, ValueError, LerconfError):
        raise LerconfError(f"{results}: cannot be read to check the recording against it") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        return  # a run that did not finish: nothing pins its tapes (said by the replay's results)
    pinned: dict[str, str] = {str(k): str(v) for k, v in manifest["files"].items()}
    present = {str(p.relative_to(recording)) for p in recording.rglob("*") if p.is_file()}
    changed = sorted(name for name, digest in pinned.items()
                     if name not in present or hashlib.sha256((recording / name).read_bytes()).hexdigest() != digest)
    added = sorted(present - set(pinned))
    if changed or added:
        raise LerconfError(f"{recording}: changed since its run ({', '.join([*changed, *added][:5])}); "
                           "a replay judges only the exchanges the run recorded")


def load_recording(recording: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """run.json and index.json of a recording, or a LerconfError naming what is missing."""
    header_file, index_file = recording / "run.json", recording / "index.json"
    for f in (header_file, index_file):
        if not f.is_file():
            raise LerconfError(f"{f}: missing; not a recording (make one with `lerconf run --record`)")
        if f.stat().st_size > MAX_RECORDING_FILE:
            raise LerconfError(f"{f}: larger than {MAX_RECORDING_FILE // (1024 * 1024)} MB; not a recording lerconf made")
    try:
        header, index = json.loads(header_file.read_text(encoding="utf-8")), json.loads(index_file.read_text(encoding="utf-8"))
    except (ValueError, RecursionError) as exc:
        raise LerconfError(f"{recording}: run.json or index.json is not JSON: {exc}") from None
    if not isinstance(header, dict) or not isinstance(index, dict):
        raise LerconfError(f"{recording}: run.json and index.json must be JSON objects")
    # a recording is input like any other: the names in it stay inside it
    bad = [str(v) for v in index.values() if not isinstance(v, str) or not _TAPE_NAME.fullmatch(v)]
    bad += [str(f) for f in header.get("profiles") or [] if not isinstance(f, str) or not _FILE_NAME.fullmatch(f)]
    if header.get("url_map") not in (None, "url-map/map.json"):
        bad.append(str(header.get("url_map")))
    port = header.get("reference_port")
    if bad or not isinstance(header.get("profiles", []), list):
        raise LerconfError(f"{recording}: names files outside the recording or not made by lerconf: {', '.join(bad[:5])}")
    if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
        raise LerconfError(f"{recording / 'run.json'}: reference_port {port!r} is not a port")
    tls_port = header.get("reference_tls_port")
    if tls_port is not None and (not isinstance(tls_port, int) or isinstance(tls_port, bool) or not 0 < tls_port < 65536):
        raise LerconfError(f"{recording / 'run.json'}: reference_tls_port {tls_port!r} is not a port")
    return header, {str(k): str(v) for k, v in index.items()}


_TAPE_NAME = re.compile(r"\d{4,6}\.json")
_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,200}")
#: the largest run.json, index.json or tape a replay reads (a tape holds one scenario's answers)
MAX_RECORDING_FILE = 32 * 1024 * 1024


def read_tape(recording: Path, name: str) -> dict[str, Any]:
    """One scenario's tape, or a LerconfError saying how it is damaged (the scenario is then broken)."""
    path = recording / name
    try:
        if path.stat().st_size > MAX_RECORDING_FILE:
            raise LerconfError(f"{path}: larger than {MAX_RECORDING_FILE // (1024 * 1024)} MB")
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        raise LerconfError(f"the recording's tape {name} cannot be read: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list) or not isinstance(data.get("served", []), list) \
            or not all(_entry_ok(e) for e in data["steps"]) \
            or not all(isinstance(g, dict) and isinstance(g.get("steps"), list) and all(_entry_ok(e) for e in g["steps"])
                       and all(isinstance(g.get(k), str) for k in ("method", "path", "req")) for g in data.get("served", [])):
        raise LerconfError(f"the recording's tape {name} is damaged (not a lerconf tape)")
    return data


def _entry_ok(entry: Any) -> bool:
    """A tape entry of a known kind with the fields a replay reads, of the right types."""
    if not isinstance(entry, dict):
        return False
    kind = entry.get("k")
    if kind == "draw":
        return isinstance(entry.get("what"), str) and "v" in entry
    if kind == "http":
        if "error" in entry:
            return isinstance(entry["error"], dict)
        return (isinstance(entry.get("status"), int) and 100 <= entry["status"] <= 599
                and isinstance(entry.get("headers", []), list) and isinstance(entry.get("body", ""), str)
                and all(isinstance(h, list) and len(h) == 2 for h in entry.get("headers", [])))
    if kind == "fetch":
        return isinstance(entry.get("url"), str) and (isinstance(entry.get("body"), str) or isinstance(entry.get("error"), dict))
    if kind == "guard":
        return isinstance(entry.get("url"), str) and isinstance(entry.get("error"), dict)
    if kind == "tls":  # what a TLS probe of an endpoint found (lerconf.clients.tls_probe)
        return isinstance(entry.get("url"), str) and isinstance(entry.get("facts"), dict)
    return False


def tape_plugin(config: pytest.Config) -> TapePlugin | None:
    plugin = config.pluginmanager.get_plugin("lerconf-tapes")
    return plugin if isinstance(plugin, TapePlugin) else None


def setup_tapes(config: pytest.Config) -> None:
    """Register the tape plugin when the run records or replays."""
    record = config.getoption("--lerconf-record")
    replay = config.getoption("--lerconf-replay")
    if not record and not replay:
        return
    record_dir = None
    if record:
        run_dir = config.getoption("--lerconf-run-dir")
        if not run_dir:
            raise pytest.UsageError("--lerconf-record needs --lerconf-run-dir")
        record_dir = Path(run_dir) / RECORDING
        record_dir.mkdir(parents=True, exist_ok=True)
    plugin = TapePlugin(config, record_dir=record_dir, replay_dir=Path(replay) if replay else None)
    start_replay_session(bool(replay))  # the vendor clients of this session answer from the recording
    config.pluginmanager.register(plugin, "lerconf-tapes")
    config.stash[RUN_KEY]["tapes"] = plugin


def _by_a_person(profile: Any, meta: dict[str, Any]) -> bool:
    """A scenario a person took part in besides the screens: an OB API consumer driven by hand, or a login
    by hand (``login: person``) at an OB API host or an OID4VCI authorization server. Its login or job
    cannot be done again, and a replay must never wait for it."""
    role, example = meta["role"], meta.get("example") or {}
    if role == "ob_consumer":
        return profile.ob_consumer is not None and profile.ob_consumer.by_hand is not None
    if role == "ob_provider":
        return profile.ob_provider is not None and profile.ob_provider.options.get("login") == "person"
    if role == "oid4vci_issuer" and (example.get("grant") == "authorization_code" or "lmc-oid4-ecdsa" in meta["tags"]):
        # the LMC oid4-ecdsa rows have badges issued through both grants, the authorization code one included
        return profile.oid4vci_issuer is not None and profile.oid4vci_issuer.authorization.get("login") == "person"
    return False
