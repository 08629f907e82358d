"""The reference wallet's user agent: loopback only, no redirects followed (VP §14.8), JSON answers."""
from __future__ import annotations

import ssl
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx

from lerconf.documents.netguard import default_tls
from lerconf.refimpl.wallet.store import WalletError

__all__ = ["LOOPBACK", "UserAgent"]

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


class UserAgent:
    """The wallet's HTTP client for one flow (a context manager)."""

    def __init__(self, *, follow_redirects: bool = False, verify: ssl.SSLContext | bool = True) -> None:
        trust = default_tls(trust_env=False) if verify is True else verify  # built once, not per flow
        self.client = httpx.Client(trust_env=False, follow_redirects=follow_redirects, timeout=10.0, verify=trust)

    def __enter__(self) -> UserAgent:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()

    def call(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One request to a loopback host; anything else, or a transport failure, ends the flow."""
        host = urlsplit(url).hostname or ""
        if urlsplit(url).scheme not in ("http", "https") or host not in LOOPBACK:
            raise WalletError("error", "unreachable", f"the reference wallet only talks to loopback hosts, not {url!r}")
        try:
            return self.client.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            raise WalletError("error", "transport", f"{method} {url}: {type(exc).__name__}") from None

    def json(self, method: str, url: str, what: str, **kwargs: Any) -> Mapping[str, Any]:
        """A request whose 2xx answer must be a JSON object (else the flow ends with its error)."""
        response = self.call(method, url, **kwargs)
        try:
            body = response.json()
        except ValueError:
            body = None
        if not 200 <= response.status_code < 300 or not isinstance(body, Mapping):
            error = body.get("error") if isinstance(body, Mapping) else None
            raise WalletError("error", str(error or "http_error"), f"{what}: HTTP {response.status_code} {error or ''}".strip())
        return body
