"""What the test user holds before any client calls: a few badges (OB 3.0) or CLRs (CLR 2.0)
signed by the reference issuer, Data Integrity (eddsa-rdfc-2022) and one VC-JWT each, so
getCredentials has verifiable credentials of both forms to page through from the start."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from lerconf.crypto.jose.encodings import JwtEncoding, iso
from lerconf.crypto.jose.sign import sign_jwt
from lerconf.documents.templates import clr2_credential, ob3_achievement_credential
from lerconf.refimpl.obhost.api import OB, Api
from lerconf.refimpl.obhost.store import TEST_USER, HostStore, Stored, equality_key
from lerconf.refimpl.state import ReferenceState

__all__ = ["SEEDED_DI", "profile_of", "seed"]

#: Data Integrity credentials seeded per API (plus one VC-JWT)
SEEDED_DI = {"ob": 4, "clr": 1}
SUITE = "eddsa-rdfc-2022"


def profile_of(state: ReferenceState) -> dict[str, Any]:
    """The test user's OB 3.0 Profile (its id is the reference holder's DID)."""
    return {"id": state.keys.holder_id, "type": ["Profile"], "name": "Lerconf Test Learner",
            "email": "learner@lerconf.example"}


def _document(state: ReferenceState, api: Api, issued: datetime) -> dict[str, Any]:
    holder = state.keys.holder_id
    badge = ob3_achievement_credential(state.issuer_id, holder, credential_id=f"urn:uuid:{uuid.uuid4()}",
                                       valid_from=iso(issued))
    if api is OB:
        return badge
    inner = state.keys.ed25519.sign(badge, SUITE, state.verifier.processor)
    return clr2_credential(state.issuer_id, holder, [inner], credential_id=f"urn:uuid:{uuid.uuid4()}",
                           valid_from=iso(issued))


def seed(state: ReferenceState, store: HostStore) -> None:
    """Sign and store the seed credentials once (slow: call it off the event loop)."""
    with store.seeding:
        if not store.seeded:
            _sign_seeds(state, store)
            store.seeded = True


def _sign_seeds(state: ReferenceState, store: HostStore) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    count = SEEDED_DI[store.api.key]
    for n in range(count + 1):
        issued = now - timedelta(days=30 * (count + 1 - n))  # oldest first: arrival order = issuance order
        document = _document(state, store.api, issued)
        key = equality_key(state.issuer_id, document["id"])
        signer = state.keys.ed25519
        signed: dict[str, Any] | str = (
            signer.sign(document, SUITE, state.verifier.processor) if n < count
            else sign_jwt(document, signer.key, signer.verification_method, JwtEncoding.OB30))
        store.upsert(TEST_USER, Stored(key, signed, issued))
    with store.lock:
        store.profiles.setdefault(TEST_USER, profile_of(state))
