"""lerconf as a wallet against a vendor's VCALM exchange (API-19..22), through the vendor's
:class:`~lerconf.clients.http.VendorClient` (address guard, redaction, recording).

A fresh exchange comes from the profile's ``workflow_url`` (``POST <workflow_url>/exchanges``, the
exchange URL in ``Location`` or the body) or its ``exchange_hook`` (``POST {}``, the body naming
``exchangeUrl`` and/or ``interactionUrl``). Wallet calls carry no profile auth: a wallet has none.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from lerconf.protocol.oid4vci import Answer

if TYPE_CHECKING:
    from lerconf.clients.http import VendorClient
    from lerconf.profile.vcalm import VcalmExchangeSection

__all__ = ["NewExchange", "VcalmClient"]

JSON = "application/json"


@dataclass
class NewExchange:
    """What lerconf learnt from creating an exchange: the answer and the URLs it named (if any)."""

    answer: Answer
    exchange_url: str | None
    interaction_url: str | None


def _string(body: Any, *names: str) -> str | None:
    if not isinstance(body, Mapping):
        return None
    return next((str(body[n]) for n in names if isinstance(body.get(n), str) and body[n]), None)


class VcalmClient:
    """One vendor exchange role (``vcalm_issuer`` or ``vcalm_verifier``)."""

    def __init__(self, http: VendorClient, section: VcalmExchangeSection) -> None:
        self.http = http
        self.section = section

    def _call(self, method: str, url: str, *, body: Any = None, accept: str = JSON, with_auth: bool = False) -> Answer:
        raw: list[Any] = []
        text: list[str] = []
        kept: list[dict[str, str]] = []
        exchange = self.http.request(method, url, json_body=body, headers={"Accept": accept}, with_auth=with_auth,
                                     keep_json=raw, keep_text=text, accept_text=True, keep_headers=kept)
        parsed = raw[0] if raw and raw[0] is not None else (text[0] if text and text[0].strip() else None)
        return Answer(exchange, parsed, kept[0] if kept else None)

    def new_exchange(self) -> NewExchange:
        """A fresh exchange (API-19 create through the workflow, else the vendor's hook)."""
        if self.section.workflow_url:
            url = f"{self.section.workflow_url}/exchanges"
            answer = self._call("POST", url, body={}, with_auth=True)
        else:
            url = str(self.section.exchange_hook)
            answer = self._call("POST", url, body={}, with_auth=True)
        location = answer.header("location")
        named = _string(answer.body, "exchangeUrl", "exchange_url")
        exchange_url = urljoin(url, location) if location else urljoin(url, named) if named else None
        if exchange_url is None and self.section.workflow_url and _string(answer.body, "id", "exchangeId"):
            exchange_url = f"{url}/{_string(answer.body, 'id', 'exchangeId')}"
        interaction = _string(answer.body, "interactionUrl", "interaction_url")
        return NewExchange(answer, exchange_url, urljoin(url, interaction) if interaction else None)

    def start(self, exchange_url: str) -> Answer:
        """API-19: ``POST {}`` to the exchange URL starts it."""
        return self._call("POST", exchange_url, body={})

    def present(self, exchange_url: str, presentation: Mapping[str, Any]) -> Answer:
        """The wallet's answer to the exchange's request."""
        return self._call("POST", exchange_url, body={"verifiablePresentation": dict(presentation)})

    def present_raw(self, exchange_url: str, body: Mapping[str, Any]) -> Answer:
        """Any step body (a malformed one, to see how the exchange refuses it)."""
        return self._call("POST", exchange_url, body=dict(body))

    def current_request(self, exchange_url: str) -> Answer:
        """API-21: ``GET …/request``."""
        return self._call("GET", f"{exchange_url.rstrip('/')}/request")

    def protocols(self, exchange_url: str) -> Answer:
        """API-20: ``GET …/protocols``."""
        return self._call("GET", f"{exchange_url.rstrip('/')}/protocols")

    def interaction(self, interaction_url: str, *, as_json: bool) -> Answer:
        """API-22: the interaction URL as a JSON client, or as a browser would ask."""
        return self._call("GET", interaction_url, accept=JSON if as_json else "text/html,application/xhtml+xml")
