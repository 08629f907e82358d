"""Assembles the reference: state (keys, loader, stores) plus each service's ROUTES."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.middleware import Middleware

from lerconf.crypto.did import did_web_url
from lerconf.crypto.signing import Signer
from lerconf.documents.loader import DocumentLoader, LoaderSettings
from lerconf.refimpl import (
    artefacts,
    display,
    holder,
    issuer,
    login_callback,
    obconsumer,
    obhost,
    oid4vci,
    oid4vp,
    refresh,
    status,
    verifier,
)
from lerconf.refimpl.challenges import ChallengeStore
from lerconf.refimpl.exchanges import ROUTES as EXCHANGE_ROUTES
from lerconf.refimpl.keys import ReferenceKeys, did_web_id
from lerconf.refimpl.oid4vci import impostor
from lerconf.refimpl.problems import exception_handlers
from lerconf.refimpl.replay import TapeMiddleware
from lerconf.refimpl.state import ReferenceState, host_port
from lerconf.refimpl.status import StatusRegistry
from lerconf.refimpl.wallet.routes import ROUTES as WALLET_ROUTES
from lerconf.refimpl.wire import WireRecorder
from lerconf.verify.engine import Verifier

__all__ = ["build_state", "create_app"]

ROUTES = [*issuer.ROUTES, *status.ROUTES, *verifier.ROUTES, *holder.ROUTES]
ROUTES += refresh.ROUTES  # the 1EdTech refresh services of lerconf's badges (OB-25, features/verifier/)
ROUTES += display.ROUTES  # badges handed to a person for a displayer or a verifier web page (features/displayer/)
ROUTES += artefacts.ROUTES  # the issuer's delivered artefacts: files, a VC-JWT, baked images, a CLR (features/artefacts/)
ROUTES += oid4vp.ROUTES  # OID4VP verifier (lerconf/refimpl/oid4vp/)
ROUTES += oid4vci.ROUTES  # OID4VCI issuer + authorization server (lerconf/refimpl/oid4vci/)
ROUTES += WALLET_ROUTES + impostor.ROUTES  # reference wallet (/wallet) + mismatching issuer metadata
ROUTES += obhost.ROUTES  # OB 3.0 + CLR 2.0 host and authorization server (lerconf/refimpl/obhost/)
ROUTES += obconsumer.ROUTES  # reference OB consumer (trigger) + a host per consumer scenario (lerconf/refimpl/obconsumer/)
ROUTES += EXCHANGE_ROUTES  # VCALM workflows and exchanges, issuing and verifying (lerconf/refimpl/exchanges/)
ROUTES += login_callback.ROUTES  # where a person's browser lands after logging in at a vendor's AS (login: person)


def build_state(host: str, port: int, settings: LoaderSettings | None = None,
                workdir: Path | None = None, public_base_url: str | None = None, *,
                ca_file: Path | None = None, allow_loopback: bool = False) -> ReferenceState:
    """Keys and did:web for host:port, the DID document written for the URL map, and a loader
    that reaches this instance: its status lists over loopback HTTP, its did:web via the map.

    With ``public_base_url`` (validated by :func:`lerconf.refimpl.state.public_base_url`) every
    URL the reference advertises, and its did:web, name that base instead of host:port, so a
    wallet behind a tunnel can follow them; lerconf still calls it at ``local_url``.

    With ``ca_file`` the instance serves HTTPS under a certificate of that CA (``lerconf serve
    --tls``): its URLs are https and its own loader trusts the CA for its own host. With
    ``allow_loopback`` its verifier may fetch documents from any loopback address (status lists of
    a harness running next to it), not only from itself; other private addresses stay refused."""
    local_url = f"{'https' if ca_file else 'http'}://{host}:{port}"
    advertised = urlsplit(public_base_url) if public_base_url else None
    issuer_id = did_web_id(advertised.hostname or host, advertised.port) if advertised else did_web_id(host, port)
    keys = ReferenceKeys.for_issuer(issuer_id)
    workdir = workdir or Path(tempfile.mkdtemp(prefix="lerconf-ref-"))
    did_path = workdir / "did.json"
    did_path.write_text(json.dumps(keys.did_document(), indent=2), encoding="utf-8")
    base = settings or LoaderSettings.from_env()
    loader = DocumentLoader(LoaderSettings(
        context_dirs=base.context_dirs,
        schema_dirs=base.schema_dirs,
        cache_dir=base.cache_dir,
        url_map={**base.url_map, did_web_url(issuer_id): did_path},
        # The server fetches its own status lists over loopback, so it cannot run offline;
        # other hosts still pass the network guard, registered documents their digests.
        offline=False,
        allow_unregistered_contexts=base.allow_unregistered_contexts,
        allowed_hosts=base.allowed_hosts | {f"{host}:{port}"} | ({host_port(public_base_url)} if public_base_url else set()),
        allow_private_addresses=base.allow_private_addresses,
        allow_loopback=base.allow_loopback or allow_loopback,
        ca_files={**base.ca_files, **({f"{host}:{port}": (ca_file,)} if ca_file else {})},
    ))
    verifier_ = Verifier(loader)
    base_url = public_base_url or local_url
    # Status lists are signed by the issuer's Ed25519 key expressed as a did:key: the same key as
    # did:web#key-ed25519, but resolvable by any verifier without reaching this loopback server
    # (did:web is HTTPS-only), so other vendors can check lerconf's lists.
    list_signer = Signer.did_key(keys.ed25519.key)
    registry = StatusRegistry(f"{base_url}/status-lists", list_signer, list_signer.controller, verifier_.processor)
    return ReferenceState(host, port, base_url, keys, did_path, loader, verifier_, registry, ChallengeStore(),
                          local_url=local_url)


def create_app(state: ReferenceState) -> Starlette:
    app = Starlette(routes=ROUTES, exception_handlers=exception_handlers,
                    # each request under its own tape (record/replay), then what the protocol endpoints received
                    middleware=[Middleware(TapeMiddleware), Middleware(WireRecorder)])
    app.state.reference = state
    return app
