"""Run the reference on loopback: in a background thread for tests and `lerconf run`, or in
the foreground for `lerconf serve`.

The socket is bound before the app is built, because the port is part of the issuer's
did:web identifier (``did:web:127.0.0.1%3A<port>``) and so of every signature it makes.

With a public base URL (``--public-base-url``, or ``LERCONF_PUBLIC_BASE_URL`` for the reference
a `lerconf run` starts, bound to ``LERCONF_REFERENCE_BIND_PORT``) the reference advertises that
base while it still listens on loopback only: a user-provided tunnel or LAN proxy forwards to it.
"""
from __future__ import annotations

import contextlib
import os
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING, Any

import httpx
import uvicorn
from starlette.applications import Starlette

from lerconf.documents.loader import LoaderSettings
from lerconf.documents.netguard import default_tls
from lerconf.profile.load import parse_profile
from lerconf.refimpl.app import build_state, create_app
from lerconf.refimpl.state import public_base_url as public_base
from lerconf.refimpl.tls import CertificateAuthority, ServerCertificate, make_server_certificate, new_ca

if TYPE_CHECKING:
    from lerconf.profile.load import VendorProfile
    from lerconf.refimpl.keys import ReferenceKeys
    from lerconf.refimpl.state import ReferenceState

__all__ = ["PROFILE_PATH", "TLS_BIND_PORT_VARIABLE", "RunningReference", "bind", "reference_serving", "running_reference", "serve",
           "served_profile_text"]

#: the embedded reference's own profile: fixtures/vendors/reference.yaml, shipped as lerconf.fixtures
PROFILE_PATH = Path(str(resources.files("lerconf.fixtures"))) / "vendors" / "reference.yaml"
PORT_VARIABLE = "LERCONF_REFERENCE_PORT"
#: set by `lerconf run --public-base-url URL --port N` for the reference its pytest session starts
PUBLIC_BASE_VARIABLE = "LERCONF_PUBLIC_BASE_URL"
BIND_PORT_VARIABLE = "LERCONF_REFERENCE_BIND_PORT"
#: the port of the reference's HTTPS listener (a replay binds the recorded one: its URLs are on the tapes)
TLS_BIND_PORT_VARIABLE = "LERCONF_REFERENCE_TLS_BIND_PORT"

#: the references started in this process, by every base URL they answer to (see reference_serving)
_SERVING: dict[str, ReferenceState] = {}
_SERVING_LOCK = threading.Lock()


def reference_serving(url: str) -> ReferenceState | None:
    """The in-process reference whose advertised or loopback base ``url`` starts with, if any.

    The manual wallet driver gets only the URI it shows the operator; this finds the wire log
    of the reference behind that URI, without a global "current reference"."""
    with _SERVING_LOCK:
        for base, state in _SERVING.items():
            if url == base or url.startswith(base + "/"):
                return state
    return None


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket (port 0 = any free port).

    The protocol is named (IPPROTO_TCP), not left 0: asyncio turns Nagle's algorithm off only on
    accepted sockets whose protocol is IPPROTO_TCP, and with it on every response written in two
    parts (headers, then body) waits ~40 ms for the client's delayed ACK."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    return sock


@dataclass
class RunningReference:
    """A started reference; everything a harness needs to call and trust it."""

    state: ReferenceState
    _server: uvicorn.Server = field(repr=False)
    _thread: threading.Thread = field(repr=False)
    #: the same app served over HTTPS on a second loopback port (certificate of a CA made at start):
    #: the VCALM workflows' endpoints in the embedded profile, as an ecosystem's TLS rule needs them
    tls: TlsListener | None = None

    @property
    def base_url(self) -> str:
        """Where lerconf calls the reference: always the loopback address it is bound to."""
        return self.state.local_url

    @property
    def public_base_url(self) -> str:
        """What the reference advertises (the --public-base-url, else the loopback base)."""
        return self.state.base_url

    @property
    def port(self) -> int:
        return self.state.port

    @property
    def server(self) -> uvicorn.Server:
        """The uvicorn server (``server.config.app`` is the Starlette app, for its stores)."""
        return self._server

    @property
    def issuer_id(self) -> str:
        return self.state.issuer_id

    @property
    def keys(self) -> ReferenceKeys:
        return self.state.keys

    @property
    def did_document_path(self) -> Path:
        return self.state.did_document_path

    @property
    def url_map(self) -> dict[str, Path]:
        """did:web resolves to https://host:port/.well-known/did.json; the server speaks HTTP."""
        return self.state.url_map

    @property
    def allowed_hosts(self) -> frozenset[str]:
        return self.state.allowed_hosts

    def loader_settings(self, base: LoaderSettings | None = None) -> LoaderSettings:
        """``base`` plus what a harness loader needs to verify this reference's output."""
        base = base or LoaderSettings.from_env()
        return LoaderSettings(
            context_dirs=base.context_dirs, schema_dirs=base.schema_dirs, cache_dir=base.cache_dir,
            url_map={**base.url_map, **self.url_map}, offline=False,  # status lists come over loopback
            allow_unregistered_contexts=base.allow_unregistered_contexts,
            allowed_hosts=base.allowed_hosts | self.allowed_hosts,
            allow_private_addresses=base.allow_private_addresses,
        )

    def profile(self, path: Path = PROFILE_PATH) -> VendorProfile:
        """The vendor profile with ${LERCONF_REFERENCE_PORT} replaced by this instance's port."""
        import yaml

        text = Template(path.read_text(encoding="utf-8")).substitute({PORT_VARIABLE: str(self.port)})
        raw = yaml.safe_load(text)
        if self.tls is not None and isinstance(raw, dict):
            # behind a public base URL the OID4VCI issuer keeps the advertised identifier (below): its offers
            # must come from the same listener as its metadata, so it stays off the TLS listener
            public = self.public_base_url != self.base_url
            self.tls.rewrite(raw, self.base_url, tuple(s for s in TLS_SECTIONS if not (public and s == "oid4vci_issuer")))
        if self.public_base_url != self.base_url and isinstance(raw, dict):
            # identities must be the advertised ones (metadata and credentials name them);
            # endpoints stay on loopback, where lerconf calls them
            if isinstance(raw.get("issuer"), dict):
                raw["issuer"]["id"] = self.issuer_id
            if isinstance(raw.get("oid4vci_issuer"), dict):
                raw["oid4vci_issuer"]["credential_issuer"] = self.public_base_url + "/oid4vci"
        return parse_profile(raw, str(path))

    def stop(self, timeout: float = 5.0) -> None:
        _forget(self.state)
        self._server.should_exit = True
        if self.tls is not None:
            self.tls.server.should_exit = True
            self.tls.thread.join(timeout)
        self._thread.join(timeout)


#: the embedded profile's sections served over the TLS listener (their endpoints are judged for TLS by the
#: LMC profiles the reference claims: vcalm-eddsa for the exchanges, oid4-ecdsa for the OID4VCI issuer)
TLS_SECTIONS = ("vcalm_issuer", "vcalm_verifier", "oid4vci_issuer")


@dataclass
class TlsListener:
    """The reference's app on a second, HTTPS port (lerconf.refimpl.tls), for the sections that
    claim an ecosystem's TLS rule: their endpoints move there, and the profile trusts its CA."""

    base_url: str
    port: int
    certificate: ServerCertificate
    server: uvicorn.Server = field(repr=False)
    thread: threading.Thread = field(repr=False)

    def rewrite(self, raw: dict[str, Any], http_base: str, sections: tuple[str, ...] = TLS_SECTIONS) -> None:
        for name in sections:
            section = raw.get(name)
            if isinstance(section, dict):
                for key, value in list(section.items()):
                    if isinstance(value, str) and value.startswith(http_base + "/"):
                        section[key] = self.base_url + value[len(http_base):]
        raw["tls"] = {"ca_file": str(self.certificate.ca_file)}


#: the embedded reference's CA, one per process: a process doing many runs (a service, lerconf's own tests)
#: made one for every start, and every client of the run then built an SSL context trusting the new one
#: (~30 ms a run: the system store and certifi's bundle loaded again); made again when a day is left
_REFERENCE_CA: CertificateAuthority | None = None
_REFERENCE_CA_LOCK = threading.Lock()


def _reference_ca() -> CertificateAuthority:
    global _REFERENCE_CA
    with _REFERENCE_CA_LOCK:
        if _REFERENCE_CA is None or _REFERENCE_CA.days_left(datetime.now(UTC)) < 1:
            _REFERENCE_CA = new_ca()
        return _REFERENCE_CA


def _start_tls(app: Starlette, host: str, timeout: float, port: int = 0) -> TlsListener:
    sock = bind(host, port)
    certificate = make_server_certificate(Path(tempfile.mkdtemp(prefix="lerconf-ref-tls-")), host, ca=_reference_ca())
    server = uvicorn.Server(_config(app, host, sock.getsockname()[1], certificate))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="lerconf-reference-tls", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            server.should_exit = True
            raise RuntimeError(f"the reference's TLS listener did not start on {host}:{sock.getsockname()[1]}")
        time.sleep(0.02)
    listener = TlsListener(f"https://{host}:{sock.getsockname()[1]}", sock.getsockname()[1], certificate, server, thread)
    app.state.tls_base_url = listener.base_url  # what an endpoint that names itself says when called over it
    return listener


def _remember(state: ReferenceState) -> None:
    with _SERVING_LOCK:
        _SERVING[state.local_url] = _SERVING[state.base_url] = state


def _forget(state: ReferenceState) -> None:
    with _SERVING_LOCK:
        for base in (state.local_url, state.base_url):
            if _SERVING.get(base) is state:
                del _SERVING[base]


def _config(app: Starlette, host: str, port: int, tls: ServerCertificate | None = None) -> uvicorn.Config:
    return uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False, lifespan="off",
                          ssl_certfile=str(tls.cert_file) if tls else None, ssl_keyfile=str(tls.key_file) if tls else None)


def start_reference(host: str = "127.0.0.1", port: int = 0, settings: LoaderSettings | None = None,
                    timeout: float = 10.0, public_base_url: str | None = None, tls_port: int = 0) -> RunningReference:
    """Start in a daemon thread and return once the server answers HTTP (on loopback)."""
    advertised = public_base(public_base_url) if public_base_url else None
    sock = bind(host, port)
    state = build_state(host, sock.getsockname()[1], settings, public_base_url=advertised)
    app = create_app(state)
    server = uvicorn.Server(_config(app, host, state.port))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="lerconf-reference", daemon=True)
    thread.start()
    running = RunningReference(state, server, thread, _start_tls(app, host, timeout, tls_port))
    deadline = time.monotonic() + timeout
    while True:
        try:
            if server.started:
                with httpx.Client(trust_env=False, timeout=1.0, verify=default_tls(False)) as client:  # no new SSL context
                    if client.get(f"{state.local_url}/.well-known/did.json").status_code == 200:
                        _remember(state)
                        return running
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or not thread.is_alive():
            running.stop()
            sock.close()
            raise RuntimeError(f"reference implementation did not start on {state.local_url}")
        time.sleep(0.02)


@contextlib.contextmanager
def running_reference(host: str = "127.0.0.1", port: int | None = None, settings: LoaderSettings | None = None,
                      public_base_url: str | None = None) -> Iterator[RunningReference]:
    """``with running_reference() as ref:`` – the reference on a free loopback port.

    ``port`` and ``public_base_url`` default to ``LERCONF_REFERENCE_BIND_PORT`` and
    ``LERCONF_PUBLIC_BASE_URL``: `lerconf run` hands its flags to the pytest session this way."""
    if port is None:
        port = int(os.environ.get(BIND_PORT_VARIABLE) or 0)
    public_base_url = public_base_url or os.environ.get(PUBLIC_BASE_VARIABLE) or None
    running = start_reference(host, port, settings, public_base_url=public_base_url,
                              tls_port=int(os.environ.get(TLS_BIND_PORT_VARIABLE) or 0))
    try:
        yield running
    finally:
        running.stop()


def serve(host: str, port: int, settings: LoaderSettings | None = None, *, announce: bool = True,
          public_base_url: str | None = None, tls: bool = False, ca_out: Path | None = None,
          allow_loopback: bool = False, profile_out: Path | None = None) -> None:
    """Serve in the foreground until interrupted (``lerconf serve``).

    ``tls``: HTTPS under a certificate of a CA made at start (lerconf.refimpl.tls), the CA
    certificate written to ``ca_out`` (default: the instance's temporary folder; the path is
    printed), so its did:web resolves over HTTPS as the DID method requires. ``allow_loopback``:
    its verifier may fetch documents (status lists, DID documents) from other loopback ports, e.g.
    those of a `lerconf run` next to it. ``profile_out``: write a vendor profile for this instance
    (see :func:`served_profile_text`)."""
    advertised = public_base(public_base_url) if public_base_url else None
    sock = bind(host, port)
    bound = sock.getsockname()[1]
    workdir = Path(tempfile.mkdtemp(prefix="lerconf-ref-"))
    certificate = make_server_certificate(workdir / "tls", host, ca_out=ca_out) if tls else None
    state = build_state(host, bound, settings, workdir, public_base_url=advertised,
                        ca_file=certificate.ca_file if certificate else None, allow_loopback=allow_loopback)
    if profile_out is not None:
        profile_out.parent.mkdir(parents=True, exist_ok=True)
        profile_out.write_text(served_profile_text(state, certificate.ca_file if certificate else None),
                               encoding="utf-8")
    if announce:
        print(f"lerconf reference implementation at {state.local_url}"
              + (f", advertised as {state.base_url}" if state.base_url != state.local_url else ""), flush=True)
        print(f"issuer {state.issuer_id}", flush=True)
        print(f"holder {state.keys.holder_id}", flush=True)
        print(f"url map: {state.did_url} -> {state.did_document_path}", flush=True)
        if certificate is not None:
            print(f"tls ca: {certificate.ca_file}", flush=True)
        if allow_loopback:
            print("verifier may fetch documents on loopback (--allow-loopback)", flush=True)
        if profile_out is not None:
            print(f"profile: {profile_out}", flush=True)
    uvicorn.Server(_config(create_app(state), host, state.port, certificate)).run(sockets=[sock])


SERVED_NAME = "lerconf reference (served)"


def served_profile_text(state: ReferenceState, ca_file: Path | None, path: Path = PROFILE_PATH,
                        name: str = SERVED_NAME) -> str:
    """reference.yaml for a served instance: ${LERCONF_REFERENCE_PORT} replaced by its port, its
    endpoints on its scheme (https with --tls, and ``tls: {ca_file}`` added), its advertised
    issuer id, and a name of its own (so it can run next to the embedded reference)."""
    import yaml

    text = Template(path.read_text(encoding="utf-8")).substitute({PORT_VARIABLE: str(state.port)})
    text = text.replace(f"http://127.0.0.1:{state.port}", state.local_url)
    raw = yaml.safe_load(text)
    raw["name"] = name
    if isinstance(raw.get("issuer"), dict):
        raw["issuer"]["id"] = state.issuer_id
    if isinstance(raw.get("oid4vci_issuer"), dict) and state.base_url != state.local_url:
        raw["oid4vci_issuer"]["credential_issuer"] = state.base_url + "/oid4vci"
    if ca_file is not None:
        raw["tls"] = {"ca_file": str(ca_file)}
    header = (f"# vendor profile of `lerconf serve` at {state.local_url} (written at start; valid while it runs)\n"
              "# lerconf run --vendor THIS_FILE --role issuer --role verifier --role holder\n")
    return header + yaml.safe_dump(raw, sort_keys=False, allow_unicode=True)
