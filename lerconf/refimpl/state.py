"""Everything one running reference instance holds: identity, keys, loader, verifier, stores.

Routes reach it as ``request.app.state.reference``; nothing is global, so two instances
(e.g. a clean one and a fault-wrapped one in tests) never share status lists or challenges.

Two base URLs: ``base_url`` is what the reference *advertises* (offers, metadata, request
objects, status list URLs, its did:web), ``local_url`` is where lerconf itself reaches it on
loopback. They differ only with ``--public-base-url``, when a wallet on a phone reaches the
loopback server through a tunnel or a LAN address (see :func:`public_base_url`).
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from lerconf.checks.status import ListMinimum
from lerconf.crypto.did import did_web_url
from lerconf.refimpl.logins import LoginCallbacks

if TYPE_CHECKING:
    from starlette.requests import Request

    from lerconf.documents.loader import DocumentLoader
    from lerconf.refimpl.challenges import ChallengeStore
    from lerconf.refimpl.keys import ReferenceKeys
    from lerconf.refimpl.status import StatusRegistry
    from lerconf.verify.engine import Verifier

__all__ = ["PublicUrlError", "ReferenceState", "public_base_url", "state_of"]


@dataclass
class ReferenceState:
    host: str
    port: int
    base_url: str
    keys: ReferenceKeys
    did_document_path: Path
    loader: DocumentLoader
    verifier: Verifier
    status: StatusRegistry
    challenges: ChallengeStore
    #: where lerconf reaches this instance (loopback); ``base_url`` is what it advertises
    local_url: str = ""
    #: the fewest entries a status list may hold when this verifier checks status (BSL-16); a run
    #: sets its ecosystem minimum here, so lerconf playing a vendor's missing verifier judges alike
    status_list_minimum: ListMinimum = field(default_factory=ListMinimum)
    #: the artefacts its issuer delivers as files (lerconf.refimpl.artefacts), made on first request
    delivered: dict[str, bytes] = field(default_factory=dict)
    #: authorization responses a person's browser brought back (``login: person``; lerconf.refimpl.login_callback)
    logins: LoginCallbacks = field(default_factory=LoginCallbacks)
    #: what lerconf hands a person to open (lerconf.refimpl.display): opaque path -> (media type, bytes)
    displayed: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    #: the 1EdTech refresh services of lerconf's badges (lerconf.refimpl.refresh): name -> refreshed credential (JSON)
    refreshed: dict[str, bytes | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.local_url = self.local_url or self.base_url

    @property
    def issuer_id(self) -> str:
        return self.keys.issuer_id

    @property
    def did_url(self) -> str:
        """Where did:web resolution looks (HTTPS), mapped to the local file by the URL map."""
        return did_web_url(self.issuer_id)

    @property
    def url_map(self) -> dict[str, Path]:
        return {self.did_url: self.did_document_path}

    @property
    def allowed_hosts(self) -> frozenset[str]:
        """The bound host:port, and the advertised one (status lists are fetched where advertised)."""
        return frozenset({f"{self.host}:{self.port}", host_port(self.base_url)})


class PublicUrlError(ValueError):
    """A --public-base-url lerconf cannot advertise; the message says what to give instead."""


def host_port(url: str) -> str:
    """``host:port`` of an http(s) URL, the scheme's default port made explicit."""
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or (443 if parts.scheme == 'https' else 80)}"


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def public_base_url(value: str) -> str:
    """The validated advertised base URL (no trailing slash).

    A wallet on another device must reach lerconf over HTTPS with a certificate it trusts (a
    tunnel's or a LAN proxy's), so plain http is refused except for loopback hosts, where it
    serves same-machine wallets and tests. The base is an origin without a path: did:web
    (``did:web:<host>``) resolves at the host's root ``/.well-known/did.json``, and lerconf's
    endpoints are found by path on what its loopback server received.
    """
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError as exc:
        raise PublicUrlError(f"--public-base-url {value!r} is not a URL: {exc}") from None
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or not host:
        raise PublicUrlError(f"--public-base-url {value!r} must be an https:// URL with a host "
                             "(e.g. the https address your tunnel prints)")
    if parts.scheme == "http" and not _is_loopback(host):
        raise PublicUrlError(f"--public-base-url {value!r} uses http on a non-loopback host: wallets need "
                             "https with a certificate they trust there (use the tunnel's https URL)")
    if parts.username or parts.password or parts.query or parts.fragment or parts.path not in ("", "/"):
        raise PublicUrlError(f"--public-base-url {value!r} must be an origin only (scheme, host, optional port), "
                             "without path, query, fragment or user info")
    if ":" in host:
        raise PublicUrlError(f"--public-base-url {value!r}: an IPv6 literal has no did:web form; use a host name")
    authority = host if port is None else f"{host}:{port}"
    return f"{parts.scheme}://{authority}"


def state_of(request: Request) -> ReferenceState:
    state: ReferenceState = request.app.state.reference
    return state
