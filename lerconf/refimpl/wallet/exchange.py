"""The reference wallet in a VCALM exchange: given an interaction URL (as scanned from a QR code) it
reads the exchange's protocols as a JSON client, starts the ``vcapi`` exchange with ``{}``, and
answers each verifiablePresentationRequest: DIDAuthentication as a presentation signed for
``authentication`` with the request's challenge and domain by the key of its did:key holder, and
QueryByExample with only the held credentials the example asks for. Credentials an issuing exchange
returns are stored exactly as received.

A request it cannot answer ends the flow with a :class:`~.store.WalletError`; the exchange's own
refusal (a 4xx problem detail) too. :class:`~.store.WalletRules` let tests/faulty_vcalm_wallet
break one rule (present everything, sign for another purpose, ignore the challenge).
"""
from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from typing import Any

from lerconf import entropy
from lerconf.checks.vcalm_wallet import as_list, credential_matches, presented_credentials, query_examples
from lerconf.documents.templates import unsigned_presentation
from lerconf.refimpl.state import ReferenceState
from lerconf.refimpl.wallet.agent import UserAgent
from lerconf.refimpl.wallet.store import WalletError, WalletStore

__all__ = ["MAX_STEPS", "MAX_URL", "interact"]

#: an interaction URL longer than a QR code can carry (VCALM Interaction URL Format) is refused
MAX_URL = 4296
#: request/answer rounds of one exchange before the wallet gives up (an exchange that never ends)
MAX_STEPS = 4
def _selected(store: WalletStore, queries: list[Mapping[str, Any]]) -> list[Any]:
    """The held credentials the request's QueryByExample queries ask for (the fault: all it holds)."""
    with store.lock:
        held = [e["credential"] for e in store.credentials if isinstance(e.get("credential"), Mapping)]
    examples = query_examples({"query": queries})
    if not examples:
        return []
    if not store.rules.present_only_requested:
        return held
    chosen = [c for c in held if any(credential_matches(e, c) for e in examples)]
    if not chosen:
        raise WalletError("rejected", "no_match", "the wallet holds no credential the exchange's QueryByExample asks for")
    return chosen


def _presentation(state: ReferenceState, store: WalletStore, vpr: Mapping[str, Any]) -> dict[str, Any]:
    """The answer to one verifiablePresentationRequest, signed as DIDAuthentication asks."""
    queries = [q for q in as_list(vpr.get("query")) if isinstance(q, Mapping)]
    known = {"DIDAuthentication", "QueryByExample"}
    if not queries or any(q.get("type") not in known for q in queries):
        raise WalletError("rejected", "unsupported_query",
                          f"the request's query must be {' and/or '.join(sorted(known))} (got {[q.get('type') for q in queries]})")
    challenge, domain = vpr.get("challenge"), vpr.get("domain")
    if not isinstance(challenge, str) or not challenge or not isinstance(domain, str) or not domain:
        raise WalletError("rejected", "invalid_request", "the request has no challenge and domain to bind the presentation to")
    rules, signer = store.rules, store.signer
    vp = unsigned_presentation(_selected(store, queries), signer.controller)
    return signer.sign(vp, "eddsa-rdfc-2022", state.verifier.processor,
                       purpose="authentication" if rules.authentication_purpose else "assertionMethod",
                       challenge=challenge if rules.answer_challenge else entropy.token_urlsafe(24), domain=domain)


def _store(store: WalletStore, answer: Mapping[str, Any], source: str) -> list[dict[str, Any]]:
    """The credentials an exchange answered with, kept exactly as received."""
    credentials = presented_credentials(answer.get("verifiablePresentation"))
    entries = [{"id": f"urn:uuid:{secrets.token_hex(16)}", "format": "ldp_vc" if isinstance(c, Mapping) else "jwt_vc_json",
                "credential": c, "issuer": source, "received_at": int(time.time())}
               for c in credentials if isinstance(c, (Mapping, str))]
    with store.lock:
        store.credentials.extend(entries)
    return entries


def _vcapi_url(http: UserAgent, interaction_url: str) -> str:
    """The exchange URL the interaction URL's protocols name for ``vcapi`` (VCALM Interaction Protocols Response)."""
    body = http.json("GET", interaction_url, "the interaction URL", headers={"Accept": "application/json"})
    protocols = body.get("protocols")
    url = protocols.get("vcapi") if isinstance(protocols, Mapping) else None
    if not isinstance(url, str) or not url:
        raise WalletError("rejected", "unsupported_protocol", "the interaction URL names no vcapi exchange")
    return url


def interact(state: ReferenceState, store: WalletStore, body: Mapping[str, Any]) -> dict[str, Any]:
    """Run the exchange ``body["interaction_url"]`` leads to: stored credentials, a submitted
    presentation, or a WalletError."""
    url = body.get("interaction_url")
    if not isinstance(url, str) or not url or len(url) > MAX_URL:
        raise WalletError("rejected", "invalid_request", f"interaction_url must be a URL of at most {MAX_URL} characters")
    stored: list[dict[str, Any]] = []
    presented = 0
    with UserAgent(verify=store.tls_verify) as http:
        exchange_url = _vcapi_url(http, url)
        answer = http.json("POST", exchange_url, "starting the exchange", json={})
        for _ in range(MAX_STEPS):
            stored += _store(store, answer, exchange_url)
            vpr = answer.get("verifiablePresentationRequest")
            if not isinstance(vpr, Mapping):
                break
            vp = _presentation(state, store, vpr)
            answer = http.json("POST", exchange_url, "answering the exchange's request", json={"verifiablePresentation": vp})
            presented += 1
        else:
            raise WalletError("error", "exchange_too_long", f"the exchange still asked after {MAX_STEPS} answers")
    if stored:
        return {"outcome": "stored", "stored": [{"id": e["id"], "format": e["format"]} for e in stored]}
    return {"outcome": "submitted" if presented else "error", **({} if presented else {"wallet_error": {
        "code": "nothing_asked", "message": "the exchange asked for nothing and gave nothing"}})}
