"""What the reference wallet holds (credentials, its holder key, trusted CAs) and the rules it
follows; how it answers a flow it refuses (:class:`WalletError`).

The adapter keeps scenarios apart (``scenario_isolation`` in its capabilities): every distinct
``X-Lerconf-Scenario`` header names a wallet of its own, so lerconf may run several scenarios on
this one adapter at once (workers, shards). A call without the header uses the app's one wallet.
"""
from __future__ import annotations

import ssl
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from lerconf.crypto.keys import PrivateKey, generate
from lerconf.crypto.signing import Signer
from lerconf.documents.netguard import ssl_context
from lerconf.protocol.wallet_adapter import SCENARIO_HEADER

__all__ = ["AUTHORIZATION_CODE", "CAPABILITIES", "MAX_SCENARIO_WALLETS", "RESPONSE_MODES", "WalletError", "WalletRules",
           "WalletStore", "wallet_of"]

AUTHORIZATION_CODE = "authorization_code"
RESPONSE_MODES = ("direct_post", "direct_post.jwt")
CAPABILITIES = {
    "wallet": {"name": "lerconf reference wallet", "version": "0.1.0", "build": "refimpl"},
    "formats": ["ldp_vc", "jwt_vc_json"], "grants": ["pre-authorized_code", AUTHORIZATION_CODE], "proof_types": ["jwt"],
    "did_methods": ["did:key"],
    "client_id_prefixes": ["redirect_uri", "decentralized_identifier", "x509_san_dns", "x509_hash"],
    "request_uri_methods": ["get"], "response_modes": list(RESPONSE_MODES), "dcql": True, "consent": "auto",
    "vcalm_exchanges": ["issuing", "verifying"], "scenario_isolation": True,
}
#: scenario wallets kept at once; the least recently used goes first (a run's scenario ends long before)
MAX_SCENARIO_WALLETS = 256


@dataclass(frozen=True)
class WalletRules:
    """What the reference wallet does right. All on by default; tests/faulty_wallet breaks one."""

    proof_nonce: bool = True             # put the fresh c_nonce in the key proof
    store_unchanged: bool = True         # keep the credential exactly as issued
    check_credential_issuer: bool = True  # refuse metadata whose credential_issuer mismatches
    domain_is_client_id: bool = True     # domain = the full client_id (with its prefix)
    offer_by_value: bool = True          # accept a credential_offer passed by value
    tx_code_only_when_asked: bool = True  # send a tx_code only when the offer has a tx_code object
    check_request_signature: bool = True  # a did/x509 client_id prefix needs a verified signed request object
    check_outer_client_id: bool = True   # the invocation's client_id must be the request object's
    match_query_format: bool = True      # present only what the DCQL query asks for (format and type)
    follow_redirects: bool = False       # VP §14.8: never follow HTTP redirects from the response_uri
    encrypt_when_asked: bool = True      # direct_post.jwt: encrypt the response to client_metadata.jwks
    retry_after_invalid_nonce: bool = True  # after invalid_nonce: a fresh c_nonce and one retry
    pkce: bool = True                    # authorization code grant: code_challenge S256 + code_verifier
    sign_presentation: bool = True       # a valid signature on the VP (the fault: right nonce, junk proof)
    answer_requests: bool = True         # present when a request can be answered (the fault: decline all)
    check_response_uri_host: bool = True  # x509_san_dns: the response_uri's host is the SAN name (VP §5.9.3)
    # VCALM exchanges (lerconf.refimpl.wallet.exchange; tests/faulty_vcalm_wallet breaks one)
    present_only_requested: bool = True  # QueryByExample: only the held credentials the example asks for
    authentication_purpose: bool = True  # DIDAuthentication: proofPurpose authentication (the fault: assertionMethod)
    answer_challenge: bool = True        # DIDAuthentication: the request's challenge (the fault: one of its own)
    # the adapter (tests/faulty_wallet: advertises scenario_isolation, keeps one wallet for every scenario)
    isolate_scenarios: bool = True       # each X-Lerconf-Scenario value is a wallet of its own


@dataclass
class WalletStore:
    """The wallet's state: rules, holder key, stored credentials, trusted CAs."""

    rules: WalletRules = field(default_factory=WalletRules)
    key: PrivateKey = field(default_factory=lambda: generate("Ed25519"), repr=False)
    credentials: list[dict[str, Any]] = field(default_factory=list)
    trust_anchors: list[Any] = field(default_factory=list, repr=False)  # CA certificates for x509 prefixes
    #: TLS trust of the wallet's user agent: the system store, plus the CA of ``lerconf serve --tls``
    #: (and any vendor CA its loader knows), so the served wallet can reach its own HTTPS issuer and verifier
    tls_verify: ssl.SSLContext | bool = field(default=True, repr=False)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def signer(self) -> Signer:
        return Signer.did_key(self.key)

    def reset(self, trust_anchors: list[Any] | None = None) -> None:
        with self.lock:
            self.key = generate("Ed25519")
            self.credentials = []
            self.trust_anchors = list(trust_anchors or [])


_CREATE = threading.Lock()


def _tls_trust(reference: Any) -> ssl.SSLContext | bool:
    """The CA files the reference's own loader trusts (``lerconf serve --tls``), as the wallet's trust."""
    settings = getattr(getattr(reference, "loader", None), "settings", None)
    files = sorted({path for paths in getattr(settings, "ca_files", {}).values() for path in paths})
    return ssl_context(files)


def wallet_of(request: Request) -> WalletStore:
    """The wallet of the call's scenario (``X-Lerconf-Scenario``), else the app's one wallet; both
    created on first use. A scenario's wallet follows the app wallet's rules and TLS trust."""
    state = request.app.state
    scenario = request.headers.get(SCENARIO_HEADER)
    with _CREATE:
        store = getattr(state, "wallet", None)
        if store is None:
            store = WalletStore(tls_verify=_tls_trust(state.reference))
            state.wallet = store
        if not scenario or not store.rules.isolate_scenarios:
            return store
        wallets: OrderedDict[str, WalletStore] | None = getattr(state, "scenario_wallets", None)
        if wallets is None:
            wallets = state.scenario_wallets = OrderedDict()
        own = wallets.get(scenario)
        if own is None:
            own = wallets[scenario] = WalletStore(rules=store.rules, tls_verify=store.tls_verify)
            while len(wallets) > MAX_SCENARIO_WALLETS:
                wallets.popitem(last=False)
        wallets.move_to_end(scenario)
        return own


class WalletError(Exception):
    """A flow the wallet ends: ``outcome`` (rejected / error) and a wallet error code, as the adapter answers."""

    def __init__(self, outcome: str, code: str, message: str) -> None:
        super().__init__(message)
        self.outcome, self.code, self.message = outcome, code, message

    def answer(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "wallet_error": {"code": self.code, "message": self.message}}
