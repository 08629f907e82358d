"""How lerconf drives a wallet under test: one :class:`WalletDriver` interface with the
operations of the HTTP wallet adapter (``docs/wallet-adapter.openapi.yaml``): the five OpenID
ones, and ``POST /interactions`` for VCALM exchanges (newer: a driver without it answers 501).

The driver only *asks* the wallet to act. What the wallet answers (``outcome``, its stored
credentials) is evidence; the verdicts come from what lerconf's own issuer and verifier
endpoints received (``lerconf.refimpl.wire``). An operation the wallet does not support
answers 501, which scenarios report as not claimed.
"""
from __future__ import annotations

import abc
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lerconf.clients.scenario_header import CURRENT_SCENARIO
from lerconf.outcome import Outcome
from lerconf.protocol.wallet_adapter import MAX_SCENARIO_HEADER, SCENARIO_HEADER

if TYPE_CHECKING:
    from lerconf.clients.http import VendorClient
    from lerconf.exchange import Exchange

__all__ = ["OUTCOMES", "HttpWalletDriver", "WalletAnswer", "WalletDriver"]

#: what POST /offers and POST /presentations may report
OUTCOMES = ("stored", "rejected", "submitted", "no_match", "error", "timeout")


@dataclass
class WalletAnswer:
    """One adapter call: the recorded exchange and its unredacted JSON body."""

    exchange: Exchange
    body: Any = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        """2xx with a JSON answer, or 204 (POST /reset answers no body)."""
        return self.exchange.outcome is Outcome.ACCEPTED or self.exchange.status == 204

    @property
    def not_supported(self) -> bool:
        return self.exchange.status == 501

    @property
    def listed(self) -> list[Any]:
        """The credentials a ``GET /credentials`` answer lists (each entry's ``credential``); none for any other body."""
        return [e.get("credential") for e in (self.body if isinstance(self.body, list) else []) if isinstance(e, Mapping)]

    @property
    def outcome(self) -> str | None:
        value = self.body.get("outcome") if isinstance(self.body, Mapping) else None
        return value if isinstance(value, str) else None

    @property
    def wallet_error(self) -> Mapping[str, Any] | None:
        value = self.body.get("wallet_error") if isinstance(self.body, Mapping) else None
        return value if isinstance(value, Mapping) else None

    def __repr__(self) -> str:
        return f"WalletAnswer({self.exchange!r}, outcome={self.outcome!r})"


class WalletDriver(abc.ABC):
    """The operations lerconf needs from a wallet under test."""

    #: the last POST /reset answered 501 (lerconf cannot know the wallet is empty)
    reset_unsupported: bool = False

    @abc.abstractmethod
    def capabilities(self) -> WalletAnswer:
        """``GET /capabilities``: formats, grants, DCQL support, client_id prefixes."""

    @abc.abstractmethod
    def receive_offer(self, *, credential_offer_uri: str | None = None,
                      credential_offer: Mapping[str, Any] | None = None, tx_code: str | None = None) -> WalletAnswer:
        """``POST /offers``: process a credential offer as after a scan, giving tx_code when asked."""

    @abc.abstractmethod
    def present(self, *, request_uri: str | None = None, request: str | None = None,
                client_id: str | None = None) -> WalletAnswer:
        """``POST /presentations``: resolve an OID4VP request, select, consent, and respond."""

    def process_interaction(self, interaction_url: str) -> WalletAnswer:
        """``POST /interactions``: take part in the VCALM exchange an interaction URL leads to.
        Not abstract, so drivers written before it keep working: they answer 501 (not supported)."""
        raise NotImplementedError(f"{type(self).__name__} cannot process a VCALM interaction URL")

    @abc.abstractmethod
    def credentials(self) -> WalletAnswer:
        """``GET /credentials``: the credentials exactly as stored."""

    @abc.abstractmethod
    def reset(self, seed: list[Mapping[str, Any]] | None = None, trust_anchors: list[str] | None = None) -> WalletAnswer:
        """``POST /reset``: forget credentials, keys and sessions (optionally import ``seed``, and
        trust ``trust_anchors``, PEM CA certificates, for x509 client_id prefixes)."""


class HttpWalletDriver(WalletDriver):
    """The HTTP wallet adapter, called through lerconf's VendorClient (profile auth, limits,
    redacted evidence). ``scenario`` is sent as ``X-Lerconf-Scenario`` (lerconf.clients.scenario_header):
    by default the running scenario's, so every driver of one scenario reaches the same wallet of an
    adapter that keeps scenarios apart."""

    def __init__(self, http: VendorClient, adapter_url: str, *, scenario: str | None = None) -> None:
        self.http, self.base = http, adapter_url.rstrip("/")
        self.scenario = scenario or CURRENT_SCENARIO.get()

    def __repr__(self) -> str:
        return f"HttpWalletDriver({self.base!r})"

    def _call(self, method: str, path: str, body: Any = None) -> WalletAnswer:
        raw: list[Any] = []
        headers = {SCENARIO_HEADER: self.scenario[:MAX_SCENARIO_HEADER]} if self.scenario else {}
        exchange = self.http.request(method, self.base + path, json_body=body, headers=headers, keep_json=raw)
        return WalletAnswer(exchange, raw[0] if raw else None)

    def capabilities(self) -> WalletAnswer:
        return self._call("GET", "/capabilities")

    def receive_offer(self, *, credential_offer_uri: str | None = None,
                      credential_offer: Mapping[str, Any] | None = None, tx_code: str | None = None) -> WalletAnswer:
        if (credential_offer_uri is None) == (credential_offer is None):
            raise ValueError("give exactly one of credential_offer_uri and credential_offer")
        body: dict[str, Any] = ({"credential_offer_uri": credential_offer_uri} if credential_offer_uri is not None
                                else {"credential_offer": dict(credential_offer or {})})
        if tx_code is not None:
            body["tx_code"] = tx_code
        return self._call("POST", "/offers", body)

    def present(self, *, request_uri: str | None = None, request: str | None = None,
                client_id: str | None = None) -> WalletAnswer:
        if (request_uri is None) == (request is None):
            raise ValueError("give exactly one of request_uri and request")
        body: dict[str, Any] = {"request_uri": request_uri} if request_uri is not None else {"request": request}
        if client_id is not None:
            body["client_id"] = client_id
        return self._call("POST", "/presentations", body)

    def process_interaction(self, interaction_url: str) -> WalletAnswer:
        return self._call("POST", "/interactions", {"interaction_url": interaction_url})

    def credentials(self) -> WalletAnswer:
        return self._call("GET", "/credentials")

    def reset(self, seed: list[Mapping[str, Any]] | None = None, trust_anchors: list[str] | None = None) -> WalletAnswer:
        body: dict[str, Any] = {"seed": list(seed)} if seed else {}
        if trust_anchors:
            body["trust_anchors"] = list(trust_anchors)
        return self._call("POST", "/reset", body)
