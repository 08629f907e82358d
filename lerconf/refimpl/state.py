"""Everything one running reference instance holds: identity, keys, loader, verifier, stores.

Routes reach it as ``request.app.state.reference``; nothing is global, so two instances
(e.g. a clean one and a fault-wrapped one in tests) never share status lists or challenges.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lerconf.did import did_web_url

if TYPE_CHECKING:
    from starlette.requests import Request

    from lerconf.documents.loader import DocumentLoader
    from lerconf.refimpl.challenges import ChallengeStore
    from lerconf.refimpl.keys import ReferenceKeys
    from lerconf.refimpl.status import StatusRegistry
    from lerconf.verify import Verifier

__all__ = ["ReferenceState", "state_of"]


@dataclass
class ReferenceState:
    host: str
    port: int
    base_url: str
    keys: "ReferenceKeys"
    did_document_path: Path
    loader: "DocumentLoader"
    verifier: "Verifier"
    status: "StatusRegistry"
    challenges: "ChallengeStore"

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
        return frozenset({f"{self.host}:{self.port}"})


def state_of(request: "Request") -> ReferenceState:
    state: ReferenceState = request.app.state.reference
    return state
