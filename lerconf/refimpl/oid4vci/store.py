"""State of the reference OID4VCI issuer and authorization server: offers, pre-authorized codes,
issuer states and authorization codes (with their PKCE challenge), access tokens, nonces,
deferred transactions, and the rules it enforces.

One store per app instance (``app.state.oid4vci``), created on first use; nothing is global, so
lerconf's faulty test bed runs an instance with one rule relaxed beside the strict reference.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lerconf import entropy

if TYPE_CHECKING:
    from starlette.requests import Request

__all__ = ["AuthorizationCode", "CodeGrant", "IssuerStore", "Offered", "Rules", "TokenGrant", "Transaction", "store_of"]

PATH = "/oid4vci"


@dataclass(frozen=True)
class Rules:
    """What the reference issuer enforces. All on by default; tests/faulty_oid4vci relaxes one."""

    nonce_lifetime_s: float = 2.0
    code_lifetime_s: float = 300.0
    token_lifetime_s: float = 300.0
    max_tx_code_attempts: int = 3
    nonce_expires: bool = True
    nonce_single_use: bool = True
    nonce_no_store: bool = True
    check_audience: bool = True
    check_signature: bool = True
    proof_max_age_s: float = 300.0      # a key proof's iat may be this old (its c_nonce bounds it too)
    codes_single_use: bool = True
    check_tx_code: bool = True
    require_access_token: bool = True
    bind_to_proof_key: bool = True
    metadata_at_final_path: bool = True
    metadata_at_draft_path: bool = False
    # authorization code grant (RFC 6749 §4.1, RFC 7636 PKCE)
    check_code_verifier: bool = True
    auth_codes_single_use: bool = True
    check_redirect_uri: bool = True
    # deferred issuance (§9): a transaction becomes ready this long after the credential request
    deferred_ready_after_s: float = 0.5
    deferred_interval_s: int = 1
    check_transaction_id: bool = True
    refuse_all_proofs: bool = False     # over-strict: refuses even valid key proofs (tests the positive controls)
    # di_vp key proofs (App. F.2): the challenge must be a c_nonce this issuer issued
    check_di_vp_challenge: bool = True
    #: serve OID4VCI draft 13 instead of 1.0 (metadata at the appended path, c_nonce in the token
    #: response, ``format`` + ``proof`` requests, a single ``credential`` in the response)
    draft13: bool = False
    #: the ecdsa-rdfc-2019 configuration of the LMC oid4-ecdsa profile: advertised; its badge revocable
    ecdsa_configuration: bool = True
    ecdsa_status: bool = True
    ecdsa_changed_after_signing: bool = False   # a test bed's: the badge's name changed once it was signed


@dataclass(frozen=True)
class Offered:
    """What the offer hook asked for beyond the configuration: a deferred credential, a status entry."""

    deferred: bool = False
    status_purpose: str | None = None   # "revocation" / "suspension": the badge gets a status list entry
    refuse_first_nonce: bool = False    # answer the first credential request invalid_nonce (wallet retry test)


NOTHING_MORE = Offered()


@dataclass
class CodeGrant:
    configuration_ids: tuple[str, ...]
    tx_code: str | None
    expires: float
    used: bool = False
    failed_attempts: int = 0
    offered: Offered = NOTHING_MORE


@dataclass
class AuthorizationCode:
    """An authorization code and what the authorization request bound to it."""

    client_id: str
    redirect_uri: str
    code_challenge: str | None
    configuration_ids: tuple[str, ...]
    expires: float
    offered: Offered = NOTHING_MORE
    used: bool = False
    tokens: list[str] = field(default_factory=list)   # revoked when the code is replayed (RFC 6749 §4.1.2)


@dataclass
class TokenGrant:
    configuration_ids: tuple[str, ...]
    expires: float
    offered: Offered = NOTHING_MORE
    nonce_refused: bool = False         # refuse_first_nonce has been applied to this token


@dataclass
class Transaction:
    """A deferred issuance: the credential for ``subject`` once ``ready_at`` has passed."""

    configuration_id: str
    subject: str
    ready_at: float
    offered: Offered = NOTHING_MORE
    done: bool = False


@dataclass
class IssuerStore:
    base_url: str
    rules: Rules = field(default_factory=Rules)
    offers: dict[str, dict[str, Any]] = field(default_factory=dict)
    codes: dict[str, CodeGrant] = field(default_factory=dict)
    #: issuer_state (authorization code offers) -> (configuration ids, what was offered)
    issuer_states: dict[str, tuple[tuple[str, ...], Offered]] = field(default_factory=dict)
    auth_codes: dict[str, AuthorizationCode] = field(default_factory=dict)
    tokens: dict[str, TokenGrant] = field(default_factory=dict)
    transactions: dict[str, Transaction] = field(default_factory=dict)
    nonces: dict[str, float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def identifier(self) -> str:
        """The Credential Issuer Identifier: it has a path, so the well-known URL is inserted."""
        return self.base_url + PATH

    def new_code(self, configuration_ids: tuple[str, ...], with_tx_code: bool, *,
                 offered: Offered = NOTHING_MORE) -> tuple[str, str | None]:
        code = entropy.token_urlsafe(24)
        tx_code = f"{entropy.randbelow(10**6):06d}" if with_tx_code else None
        with self.lock:
            self.codes[code] = CodeGrant(configuration_ids, tx_code, entropy.unix_time() + self.rules.code_lifetime_s,
                                         offered=offered)
        return code, tx_code

    def new_issuer_state(self, configuration_ids: tuple[str, ...], *, offered: Offered = NOTHING_MORE) -> str:
        value = entropy.token_urlsafe(24)
        with self.lock:
            self.issuer_states[value] = (configuration_ids, offered)
        return value

    def new_token(self, configuration_ids: tuple[str, ...], *, offered: Offered = NOTHING_MORE) -> str:
        token = entropy.token_urlsafe(32)
        with self.lock:
            self.tokens[token] = TokenGrant(configuration_ids, entropy.unix_time() + self.rules.token_lifetime_s, offered)
        return token

    def token_info(self, token: str) -> TokenGrant | None:
        with self.lock:
            grant = self.tokens.get(token)
        if grant is None or grant.expires < entropy.unix_time():
            return None
        return grant

    def token_grant(self, token: str) -> tuple[str, ...] | None:
        grant = self.token_info(token)
        return grant.configuration_ids if grant is not None else None

    def new_transaction(self, configuration_id: str, subject: str, offered: Offered = NOTHING_MORE) -> str:
        transaction_id = entropy.token_urlsafe(24)
        with self.lock:
            self.transactions[transaction_id] = Transaction(
                configuration_id, subject, entropy.unix_time() + self.rules.deferred_ready_after_s, offered)
        return transaction_id

    def new_nonce(self) -> str:
        nonce = entropy.token_urlsafe(24)
        with self.lock:
            self._expire()
            self.nonces[nonce] = entropy.unix_time() + self.rules.nonce_lifetime_s
        return nonce

    def use_nonce(self, nonce: str | None) -> str | None:
        """None when the nonce is acceptable (and now spent); otherwise why it is not."""
        if not nonce:
            return "the proof carries no nonce although the issuer has a nonce endpoint"
        with self.lock:
            expires = self.nonces.get(nonce)
            if expires is None:
                return "the nonce was not issued by this issuer, or was already used"
            if self.rules.nonce_expires and expires < entropy.unix_time():
                self.nonces.pop(nonce, None)
                return "the nonce has expired"
            if self.rules.nonce_single_use:
                self.nonces.pop(nonce, None)
        return None

    def _expire(self) -> None:
        if len(self.nonces) > 10_000:  # bounded memory for long `lerconf serve` sessions
            now = entropy.unix_time()
            self.nonces = {n: e for n, e in self.nonces.items() if e > now - 3600}


_CREATE = threading.Lock()


def store_of(request: Request) -> IssuerStore:
    """The issuer a request reached. Over the reference's second, HTTPS listener it is an issuer of its own,
    whose identifier (and every URL it names) is on that listener: an issuer identifier is the URL its
    metadata is fetched from, so one identifier cannot serve both listeners."""
    state = request.app.state
    tls_base = getattr(state, "tls_base_url", None)
    over_tls = tls_base is not None and request.url.scheme == "https" and \
        f"{request.url.scheme}://{request.url.netloc}" == tls_base
    with _CREATE:
        plain = getattr(state, "oid4vci", None)
        if plain is None:
            plain = state.oid4vci = IssuerStore(state.reference.base_url)
        if not over_tls:
            return plain
        secure = getattr(state, "oid4vci_tls", None)
        if secure is None or secure.base_url != tls_base:
            secure = state.oid4vci_tls = IssuerStore(str(tls_base))
        secure.rules = plain.rules  # one set of rules (a test bed's) holds on both listeners
        return secure
