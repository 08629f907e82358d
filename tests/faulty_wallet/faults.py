"""Each fault relaxes one rule of the reference wallet (lerconf.refimpl.wallet.store.WalletRules)."""
from __future__ import annotations

from dataclasses import dataclass, field

from lerconf.refimpl.wallet.store import WalletRules


@dataclass(frozen=True)
class WalletFault:
    name: str
    summary: str
    rules: WalletRules
    requirements: tuple[str, ...]
    detected_by: dict[str, str]                # rendered scenario title -> what its reason must say
    blocked: frozenset[str] = field(default_factory=frozenset)  # scenarios left without their prerequisite
    #: its profile says isolation: scenario, so LCW-05 judges its adapter (every bed adapter keeps scenarios apart
    #: whatever the profile says, so each fault is also applied to the scenario's own wallet)
    isolation: bool = False

    @property
    def vendor_name(self) -> str:
        return f"faulty wallet {self.name}"

    def __str__(self) -> str:
        return self.name


REDEEM = "The wallet fetches the metadata and redeems a pre-authorized offer with its tx_code"
PROOF = "The wallet's key proof is bound to the issuer and the latest c_nonce"
STORED = "The wallet stores the issued badge unchanged"
MISMATCH = "The wallet refuses an issuer whose metadata credential_issuer is not the offer's issuer"
BOUND = "The wallet binds its presentation to the request's nonce and full client_id"
BADGE = "The wallet presents exactly the requested badge, as issued, keyed by the DCQL query id"
BY_VALUE = "The wallet fetches the metadata for an offer passed by value and redeems it"
NO_TX_CODE = "The wallet sends no tx_code when the offer asks for none"
DECLINE = "The wallet declines with an error response when it holds no matching credential"
UNSUPPORTED = "The wallet declines a request for a credential format it does not hold"
UNSIGNED = "The wallet refuses an unsigned request object when its client_id prefix requires a signature"
OUTER_CLIENT = "The wallet refuses a request whose request object names another client_id than the invocation"
REDIRECT = "The wallet does not follow an HTTP redirect from the response_uri"
FOREIGN = "The wallet refuses an x509_san_dns request whose response_uri is on another host than its certificate"
JWT_BOUND = "The wallet presents a jwt_vc_json badge as a VP JWT bound to the request's nonce and full client_id"
ENCRYPTED = "The wallet encrypts its response when the request asks for direct_post.jwt"
PKCE = "The wallet redeems an authorization_code offer with PKCE (S256)"
RETRY = "The wallet gets a fresh c_nonce and retries after invalid_nonce"
LIFECYCLE = "A badge revoked after issuance is refused at the wallet's next presentation (lerconf's verifier)"
ISOLATED = "The wallet adapter keeps each scenario's wallet apart"
FORMATS = ("ldp_vc", "jwt_vc_json")
PREFIXES = ("redirect_uri", "decentralized_identifier", "x509_san_dns", "x509_hash")

FAULTS = [
    WalletFault("proof-without-nonce", "sends its key proof without the c_nonce it fetched",
                WalletRules(proof_nonce=False), ("VCI-22",),
                {**{f"{PROOF} ({f})": "the key proof carries no nonce" for f in FORMATS},
                 RETRY: "does not carry the fresh c_nonce"},
                # no credential is issued, so there is nothing to store or present: not run, not failed
                frozenset({*(f"{STORED} ({f})" for f in FORMATS), *(f"{BOUND} ({p})" for p in PREFIXES), BADGE,
                           UNSUPPORTED, UNSIGNED, OUTER_CLIENT, FOREIGN, REDIRECT, LIFECYCLE, JWT_BOUND, ENCRYPTED})),
    WalletFault("alters-stored-credential", "changes the Data Integrity badge it stores (and later presents)",
                WalletRules(store_unchanged=False), ("LCW-01", "LCW-02", "VP-09"),
                {f"{STORED} (ldp_vc)": "stored the credential", BADGE: "is not the badge lerconf issued",
                 LIFECYCLE: "did not present the badge exactly as lerconf issued it"}),
    WalletFault("mismatched-client-id", "binds its presentation to the client_id without its prefix",
                WalletRules(domain_is_client_id=False), ("VP-10", "LCW-02"),
                {**{f"{BOUND} ({p})": "is not the request's full client_id" for p in PREFIXES},
                 JWT_BOUND: "is not the request's full client_id",
                 LIFECYCLE: "lerconf's verifier refused the wallet's presentation"}),
    WalletFault("no-offer-by-value", "refuses a credential offer passed by value (handles only credential_offer_uri)",
                WalletRules(offer_by_value=False), ("VCI-20",),
                {BY_VALUE: "never fetched the issuer metadata"},
                frozenset({MISMATCH})),  # lerconf's impostor offer comes by value: never fetched, not run
    WalletFault("tx-code-always", "sends a tx_code even when the offer has no tx_code object",
                WalletRules(tx_code_only_when_asked=False), ("VCI-21",),
                {NO_TX_CODE: "sent a tx_code although the offer has no tx_code object"}),
    WalletFault("accepts-unsigned-request", "accepts an unsigned request object under a client_id prefix that requires a signature",
                WalletRules(check_request_signature=False), ("VP-11",),
                {UNSIGNED: "the request is not signed as its client_id requires"}),
    WalletFault("ignores-invocation-client-id", "ignores that the invocation names another client_id than the request object",
                WalletRules(check_outer_client_id=False), ("VP-11",),
                {OUTER_CLIENT: "the two client_ids differ"}),
    WalletFault("ignores-san-response-uri", "answers an x509_san_dns request at a response_uri on another host",
                WalletRules(check_response_uri_host=False), ("VP-11",),
                {FOREIGN: "the response_uri is not on the host its x509_san_dns client_id names"}),
    WalletFault("presents-unrequested-format", "answers a query for a format it does not hold with the badge it has",
                WalletRules(match_query_format=False), ("VP-12",),
                {UNSUPPORTED: "sent a vp_token although it holds no credential matching"}),
    WalletFault("follows-response-redirect", "follows the response_uri's HTTP redirect",
                WalletRules(follow_redirects=True), ("VP-13",),
                {REDIRECT: "followed the response_uri's HTTP redirect"}),
    WalletFault("junk-presentation-proof", "binds its presentation to the right nonce and client_id but signs nothing",
                WalletRules(sign_presentation=False), ("VP-10", "LCW-02"),
                {**{f"{BOUND} ({p})": "refused the presentation itself" for p in PREFIXES},
                 JWT_BOUND: "refused the presentation itself",
                 LIFECYCLE: "lerconf's verifier refused the wallet's presentation"}),
    WalletFault("no-pkce", "runs the authorization code flow without PKCE",
                WalletRules(pkce=False), ("LCW-04",),
                {PKCE: "uses no S256 code_challenge"}),
    WalletFault("no-nonce-retry", "gives up after invalid_nonce instead of fetching a fresh c_nonce",
                WalletRules(retry_after_invalid_nonce=False), ("VCI-22",),
                {RETRY: "gave up after invalid_nonce"}),
    WalletFault("clear-response", "sends its response in clear although the request asks for direct_post.jwt",
                WalletRules(encrypt_when_asked=False), ("LCW-03",),
                {ENCRYPTED: "sent its response in clear"}),
    WalletFault("shares-one-wallet", "advertises scenario isolation but keeps one wallet for every scenario",
                WalletRules(isolate_scenarios=False), ("LCW-05",),
                {ISOLATED: "the adapter resets one wallet for every X-Lerconf-Scenario value"}, isolation=True),
    WalletFault("ignores-issuer-mismatch", "uses metadata whose credential_issuer is another issuer",
                WalletRules(check_credential_issuer=False), ("VCI-20",),
                {MISMATCH: "redeemed the offer's pre-authorized code"}),
]

CLEAN = WalletFault("clean", "no fault: the test bed itself", WalletRules(), (), {}, isolation=True)

#: not a fault of the catalogue: over-strict (tests/e2e/test_faulty_wallet.py checks it is judged on no refusal)
DECLINES = WalletFault("declines-every-request", "answers every presentation request with access_denied",
                       WalletRules(answer_requests=False), (), {})
