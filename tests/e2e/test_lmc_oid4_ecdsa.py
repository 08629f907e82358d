"""The LMC oid4-ecdsa profile judged on OID4VCI issuers running as their own servers (over TLS with a
CA of their own, the badge's did:web reached through a URL map): a clean issuer passes all seven
rows; each faulty one fails exactly its rows for its reason; all in one run (several vendors)."""
from __future__ import annotations

import contextlib
import dataclasses
import json
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn
import yaml
from faulty.runs import RunResult, describe, run_profiles
from faulty_oid4vci.server import profile_document
from starlette.applications import Starlette

from lerconf.documents.loader import LoaderSettings
from lerconf.refimpl import app as ref_app
from lerconf.refimpl.oid4vci import IssuerStore, Rules
from lerconf.refimpl.problems import exception_handlers
from lerconf.refimpl.server import bind
from lerconf.refimpl.tls import make_server_certificate

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_data_env")]
HOST = "127.0.0.1"
ROWS = {f"LMC-OE-0{n}" for n in range(1, 8)}


@dataclass(frozen=True)
class Bed:
    name: str
    rules: dict[str, Any] = field(default_factory=dict)
    grants: tuple[str, ...] = ("pre-authorized_code", "authorization_code")
    tls: bool = True
    fails: frozenset[str] = frozenset()  # the rows it must fail
    because: str = ""                     # said in each of their reasons


BEDS = [
    Bed("lmc-clean"),
    # its only ldp_vc badge is the plain one: eddsa-rdfc-2022 by an Ed25519 key, no status list, no end
    Bed("lmc-no-ecdsa-configuration", {"ecdsa_configuration": False},
        fails=frozenset({"LMC-OE-02", "LMC-OE-03", "LMC-OE-04", "LMC-OE-07"}), because="eddsa-rdfc-2022"),
    Bed("lmc-no-status", {"ecdsa_status": False}, fails=frozenset({"LMC-OE-04"}), because="BitstringStatusListEntry"),
    # every field right, the signature no longer covering the badge: only lerconf's verification can tell
    Bed("lmc-changed-after-signing", {"ecdsa_changed_after_signing": True}, fails=frozenset({"LMC-OE-02"}),
        because="signature does not verify"),
    Bed("lmc-pre-authorized-only", grants=("pre-authorized_code",), fails=frozenset({"LMC-OE-05"}),
        because="authorization_code: the vendor's oid4vci_issuer does not claim the grant"),
    Bed("lmc-plain-http", tls=False, fails=frozenset({"LMC-OE-06"}), because="is plain HTTP: no TLS at all"),
]


@contextlib.contextmanager
def serving(bed: Bed, workdir: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    """The reference's OID4VCI issuer with the bed's rules, on its own port (TLS unless the bed says not)."""
    workdir.mkdir(parents=True, exist_ok=True)
    sock = bind(HOST, 0)
    port = sock.getsockname()[1]
    certificate = make_server_certificate(Path(tempfile.mkdtemp(prefix="lmc-bed-", dir=workdir)), HOST) if bed.tls else None
    state = ref_app.build_state(HOST, port, LoaderSettings.from_env(), workdir=workdir,
                                ca_file=certificate.ca_file if certificate else None)
    base = f"{'https' if bed.tls else 'http'}://{HOST}:{port}"
    app = Starlette(routes=ref_app.ROUTES, exception_handlers=exception_handlers)
    app.state.reference = state
    app.state.oid4vci = IssuerStore(base, dataclasses.replace(Rules(), **bed.rules))
    profile = profile_document(f"LMC bed {bed.name}", base, {"grants": list(bed.grants), "formats": ["ldp_vc"]})
    profile["ecosystems"] = {"lmc": ["oid4-ecdsa"]}
    if certificate is not None:
        profile["tls"] = {"ca_file": str(certificate.ca_file)}
    path = workdir / "profile.yaml"
    path.write_text(yaml.safe_dump(profile, sort_keys=False), encoding="utf-8")
    config = uvicorn.Config(app, host=HOST, port=port, log_level="warning", access_log=False, lifespan="off",
                            ssl_certfile=str(certificate.cert_file) if certificate else None,
                            ssl_keyfile=str(certificate.key_file) if certificate else None)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield path, {url: str(p) for url, p in state.url_map.items()}
    finally:
        server.should_exit = True
        thread.join(5)


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    workdir = tmp_path_factory.mktemp("lmc-oid4")
    with contextlib.ExitStack() as stack:
        served = [stack.enter_context(serving(bed, workdir / bed.name)) for bed in BEDS]
        url_map = workdir / "url-map.json"
        url_map.write_text(json.dumps({k: v for _, m in served for k, v in m.items()}), encoding="utf-8")
        return run_profiles([p for p, _ in served], url_map, workdir / "reports", tags="lmc-oid4-ecdsa")


@pytest.mark.parametrize("bed", BEDS, ids=lambda b: b.name)
def test_each_bed_fails_exactly_its_rows_for_its_reason(result: RunResult, bed: Bed) -> None:
    mine = {rid: s for s in result.scenarios if s["vendor"] == f"LMC bed {bed.name}" for rid in s["requirement_ids"]}
    assert set(mine) == ROWS, sorted(mine)
    failed = {rid for rid, s in mine.items() if s["status"] == "failed"}
    assert not [s for s in mine.values() if s["status"] not in ("passed", "failed")], "a row neither passed nor failed"
    assert failed == bed.fails, "\n".join(describe(s) for s in mine.values() if s["status"] != "passed")
    assert all(bed.because in str(mine[rid]["reason"]) or rid != min(bed.fails) for rid in bed.fails), \
        "\n".join(describe(mine[rid]) for rid in bed.fails)
    assert all(mine[rid]["status"] == "passed" for rid in ROWS - bed.fails)
