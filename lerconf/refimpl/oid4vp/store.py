"""Transactions of the reference OID4VP verifier: what each request was made with (the test
hook's options), what it asks for, and its verdict."""
from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from lerconf import entropy
from lerconf.crypto.keys import generate
from lerconf.crypto.signing import Signer, deterministic_key
from lerconf.protocol.dcql import OB_VOCAB
from lerconf.refimpl.oid4vp.x509 import SAN_DNS, verifier_certificates
from lerconf.refimpl.state import ReferenceState

__all__ = [
    "FORMATS",
    "PREFIXES",
    "QUERY_ID",
    "Oid4vpStore",
    "OptionError",
    "PresentationTransaction",
    "RequestOptions",
    "store_of",
    "verifier_signer",
]

QUERY_ID = "openbadge"
PREFIXES = ("redirect_uri", "decentralized_identifier", "x509_san_dns", "x509_hash")
#: prefixes under which a request object must be signed (VP §5.9.3)
SIGNED_PREFIXES = ("decentralized_identifier", "x509_san_dns", "x509_hash")
FORMATS = ("ldp_vc", "jwt_vc_json", "unsupported")
RESPONSE_MODES = ("direct_post", "direct_post.jwt")
SPEC_VERSIONS = {"1.0": "1.0", "draft": "draft-20", "draft-20": "draft-20"}
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
ENC_VALUES = ["A128GCM", "A256GCM"]
#: draft-era client_id_scheme values for the prefixes (VP draft 20 §5.7)
DRAFT_SCHEMES = {"redirect_uri": "redirect_uri", "decentralized_identifier": "did", "x509_san_dns": "x509_san_dns"}


def verifier_signer() -> Signer:
    """The key that signs request objects under ``decentralized_identifier:`` (a did:key)."""
    return Signer.did_key(deterministic_key("refimpl-oid4vp-verifier", "Ed25519"))


class OptionError(ValueError):
    """A test-hook body the reference cannot honour (answered 400)."""


@dataclass(frozen=True)
class RequestOptions:
    """How one request is made (the body of ``POST /oid4vp/requests``, normalised)."""

    client_id_prefix: str = "redirect_uri"
    request_uri_method: str = "get"
    signed: bool = False                   # the request object carries a signature
    require_signed: bool = False           # a prefix that requires a signature, served unsigned (alg none)
    client_id_mismatch: bool = False       # the hook answer / invocation URI names another client_id
    foreign_response_uri: bool = False     # x509_san_dns: the response_uri on another host than the SAN name
    format: str = "ldp_vc"                 # what the DCQL query asks for; "unsupported": mso_mdoc only
    response_mode: str = "direct_post"
    redirect_on_response: int = 0          # 0, or the 3xx status the response_uri answers with
    spec_version: str = "1.0"              # "draft-20": client_id_scheme + presentation_definition

    @property
    def draft(self) -> bool:
        return self.spec_version != "1.0"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def parse(cls, body: Mapping[str, Any]) -> RequestOptions:
        """Read the hook body; unknown values raise OptionError (defaults = the plain 1.0 request)."""
        def choice(name: str, allowed: tuple[str, ...] | Mapping[str, str], default: str) -> str:
            value = body.get(name)
            value = default if value is None or value == "" else str(value)
            value = value.lower() if name == "request_uri_method" else value
            if value not in allowed:
                raise OptionError(f"unsupported {name} {value!r}; one of {', '.join(allowed)}")
            return allowed[value] if isinstance(allowed, Mapping) else value

        def flag(name: str) -> bool | None:
            value = body.get(name)
            if value is not None and not isinstance(value, bool):
                raise OptionError(f"{name} must be true or false")
            return value

        require_signed = bool(flag("require_signed"))
        prefix = choice("client_id_prefix", PREFIXES, "decentralized_identifier" if require_signed else "redirect_uri")
        signed = flag("signed")
        if require_signed:
            if prefix not in SIGNED_PREFIXES:
                raise OptionError(f"require_signed needs a prefix that requires signing, not {prefix!r}")
            if signed:
                raise OptionError("require_signed serves an unsigned request object: signed must not be true")
            signed = False
        elif signed is None:
            signed = prefix in SIGNED_PREFIXES
        redirect = body.get("redirect_on_response")
        if redirect is None or redirect is False:
            status = 0
        elif redirect is True:
            status = 302
        elif isinstance(redirect, int) and redirect in REDIRECT_STATUSES:
            status = redirect
        else:
            raise OptionError(f"redirect_on_response is true, false or one of {REDIRECT_STATUSES}")
        spec = choice("spec_version", SPEC_VERSIONS, "1.0")
        if spec != "1.0" and prefix not in DRAFT_SCHEMES:
            raise OptionError(f"the draft mode has no client_id_scheme for {prefix!r}")
        foreign = bool(flag("foreign_response_uri"))
        if foreign and prefix != "x509_san_dns":
            raise OptionError(f"foreign_response_uri applies to the x509_san_dns prefix, not {prefix!r}")
        return cls(prefix, choice("request_uri_method", ("get", "post"), "get"), bool(signed), require_signed,
                   bool(flag("client_id_mismatch")), foreign, choice("format", FORMATS, "ldp_vc"),
                   choice("response_mode", RESPONSE_MODES, "direct_post"), status, spec)


@dataclass
class PresentationTransaction:
    id: str
    state: str
    nonce: str
    client_id: str                           # the request object's client_id
    response_uri: str
    request_uri_method: str
    signed: bool
    options: RequestOptions = field(default_factory=RequestOptions)
    outer_client_id: str = ""                # the client_id the hook answer / invocation URI names
    encryption_key: Any = field(default=None, repr=False)   # joserfc ECKey (direct_post.jwt)
    status: str = "pending"                  # pending | answering | done
    verified: bool | None = None
    errors: list[str] = field(default_factory=list)
    redirect_hits: list[dict[str, Any]] = field(default_factory=list)   # redirect_on_response target hits
    created: float = field(default_factory=time.time)

    def __post_init__(self) -> None:
        self.outer_client_id = self.outer_client_id or self.client_id

    def dcql_query(self) -> dict[str, Any]:
        fmt = self.options.format
        if fmt == "unsupported":  # a format no LER wallet presents: an ISO mDL
            return {"credentials": [{"id": QUERY_ID, "format": "mso_mdoc",
                                     "meta": {"doctype_value": "org.iso.18013.5.1.mDL"},
                                     "claims": [{"path": ["org.iso.18013.5.1", "family_name"]}]}]}
        return {"credentials": [{
            "id": QUERY_ID, "format": fmt,
            "meta": {"type_values": [[OB_VOCAB + "OpenBadgeCredential"], [OB_VOCAB + "AchievementCredential"]]},
            # VP §7.1 / App. B.1.3.1: paths start at the credential's root, for jwt_vc_json too (its ``vc``)
            "claims": [{"path": ["credentialSubject", "achievement", "name"]}],
        }]}

    def presentation_definition(self) -> dict[str, Any]:
        """The draft-era DIF Presentation Exchange query for an OB 3.0 badge."""
        fmt = {"ldp_vc": {"ldp_vp": {"proof_type": ["DataIntegrityProof"]}, "ldp_vc": {"proof_type": ["DataIntegrityProof"]}},
               "jwt_vc_json": {"jwt_vp_json": {"alg": ["EdDSA", "ES256"]}, "jwt_vc_json": {"alg": ["EdDSA", "ES256"]}},
               "unsupported": {"mso_mdoc": {"alg": ["ES256"]}}}[self.options.format]
        return {"id": QUERY_ID, "input_descriptors": [{
            "id": QUERY_ID, "format": fmt,
            "constraints": {"fields": [{"path": ["$.type", "$.vc.type"],
                                        "filter": {"type": "array", "contains": {"const": "OpenBadgeCredential"}}}]},
        }]}

    def client_metadata(self) -> dict[str, Any]:
        formats: dict[str, Any] = {"ldp_vc": {"proof_type_values": ["DataIntegrityProof"],
                              "cryptosuite_values": ["eddsa-rdfc-2022", "ecdsa-rdfc-2019", "eddsa-jcs-2022",
                                                     "ecdsa-jcs-2019"]},
                   "jwt_vc_json": {"alg_values": ["EdDSA", "ES256"]}}
        if self.options.format == "unsupported":
            formats = {"mso_mdoc": {"issuerauth_alg_values": [-7], "deviceauth_alg_values": [-7]}}
        meta: dict[str, Any] = ({"vp_formats": {"ldp_vp": {"proof_type": ["DataIntegrityProof"]},
                                                "jwt_vp_json": {"alg": ["EdDSA", "ES256"]}}}
                                if self.options.draft else {"vp_formats_supported": formats})
        if self.encryption_key is not None:
            meta["jwks"] = {"keys": [self.encryption_key.as_dict(private=False)]}
            meta["encrypted_response_enc_values_supported"] = list(ENC_VALUES)
        return meta

    def request_claims(self, wallet_nonce: str | None = None) -> dict[str, Any]:
        claims: dict[str, Any] = {
            "client_id": self.client_id, "response_type": "vp_token", "response_mode": self.options.response_mode,
            "response_uri": self.response_uri, "nonce": self.nonce, "state": self.state,
            "aud": "https://self-issued.me/v2", "iat": int(entropy.unix_time()), "client_metadata": self.client_metadata(),
        }
        if self.options.draft:
            claims["client_id_scheme"] = DRAFT_SCHEMES[self.options.client_id_prefix]
            claims["presentation_definition"] = self.presentation_definition()
        else:
            claims["dcql_query"] = self.dcql_query()
        if wallet_nonce:
            claims["wallet_nonce"] = wallet_nonce
        return claims

    def record(self) -> dict[str, Any]:
        """What the test hook and the result endpoint tell about the transaction."""
        return {"transaction_id": self.id, "client_id": self.client_id, "outer_client_id": self.outer_client_id,
                "options": self.options.as_dict(), "redirect_hits": list(self.redirect_hits)}


class Oid4vpStore:
    """Transactions of one reference instance, by id and by state (bounded, thread-safe)."""

    def __init__(self, capacity: int = 10_000) -> None:
        self._by_id: dict[str, PresentationTransaction] = {}
        self._by_state: dict[str, PresentationTransaction] = {}
        self._lock = threading.Lock()
        self._capacity = capacity

    def create(self, base_url: str, prefix: str | RequestOptions = "redirect_uri",
               request_uri_method: str | None = None) -> PresentationTransaction:
        """A new transaction made as ``options`` say (a bare prefix: the plain request under it)."""
        options = (prefix if isinstance(prefix, RequestOptions)
                   else RequestOptions.parse({"client_id_prefix": prefix, "request_uri_method": request_uri_method}))
        named = options.client_id_prefix == "x509_san_dns" and not options.foreign_response_uri
        response_uri = f"{_named_base(base_url) if named else base_url}/oid4vp/responses"
        client_id = _client_id(options, response_uri)
        outer = _mismatched(client_id) if options.client_id_mismatch else client_id
        key = None
        if options.response_mode == "direct_post.jwt":
            from joserfc.jwk import ECKey

            # from a drawn seed: a replayed reference can open the wallet's recorded encrypted answer
            jwk: dict[str, str | list[str]] = {**generate("P-256").to_jwk(), "kid": "enc-" + entropy.token_urlsafe(6),
                                               "use": "enc", "alg": "ECDH-ES"}
            key = ECKey.import_key(jwk)
        txn = PresentationTransaction(entropy.token_urlsafe(12), entropy.token_urlsafe(24), entropy.token_urlsafe(24), client_id,
                          response_uri, options.request_uri_method, options.signed, options, outer, key)
        with self._lock:
            if len(self._by_id) >= self._capacity:
                oldest = min(self._by_id.values(), key=lambda t: t.created)
                self._by_id.pop(oldest.id, None)
                self._by_state.pop(oldest.state, None)
            self._by_id[txn.id] = txn
            self._by_state[txn.state] = txn
        return txn

    def by_id(self, txn_id: str) -> PresentationTransaction | None:
        with self._lock:
            return self._by_id.get(txn_id)

    def by_state(self, state: str) -> PresentationTransaction | None:
        with self._lock:
            return self._by_state.get(state)

    def nonces(self) -> set[str]:
        with self._lock:
            return {t.nonce for t in self._by_id.values()}

    def begin(self, txn: PresentationTransaction) -> bool:
        """Claim a pending transaction for its one response; False if it already had one."""
        with self._lock:
            if txn.status != "pending":
                return False
            txn.status = "answering"
            return True

    def finish(self, txn: PresentationTransaction, verified: bool, errors: list[str]) -> None:
        with self._lock:
            txn.status, txn.verified, txn.errors = "done", verified, list(errors)

    def wallet_error(self, txn: PresentationTransaction, error: str) -> None:
        """A wallet's error response ends the transaction unverified (VP §8.5)."""
        self.finish(txn, False, [f"the wallet answered with error {error!r}"])

    def by_kid(self, kid: str) -> PresentationTransaction | None:
        """The transaction whose response encryption key has this ``kid`` (direct_post.jwt)."""
        with self._lock:
            return next((t for t in self._by_id.values() if t.encryption_key is not None
                         and t.encryption_key.kid == kid), None)

    # The two policy points below are methods so that a test bed can break one of them.
    def accepts_plain(self, txn: PresentationTransaction) -> bool:
        """Whether a transaction that asked for direct_post.jwt takes an unencrypted response: never."""
        return False

    def binding_problems(self, txn: PresentationTransaction, nonce: Any, audience: Any) -> list[str]:
        """Why a VP JWT's ``nonce``/``aud`` do not bind it to ``txn`` (VP App. B.1.3.1.5, §14.2.2)."""
        problems = []
        if nonce != txn.nonce:
            problems.append("the VP JWT's nonce is not the request's nonce")
        auds = audience if isinstance(audience, list) else [audience]
        if txn.client_id not in auds:
            problems.append(f"the VP JWT's aud {audience!r} is not the request's client_id")
        return problems

    def redirect_hit(self, txn: PresentationTransaction, method: str) -> None:
        with self._lock:
            txn.redirect_hits.append({"method": method, "at": entropy.unix_time()})


def _named_base(base_url: str) -> str:
    """``base_url`` under the DNS name of the verifier's certificate (``localhost`` for the loopback
    address): under ``x509_san_dns:`` the response_uri's host is the client identifier (VP §5.9.3)."""
    parts = urlsplit(base_url)
    if parts.hostname not in ("127.0.0.1", "::1"):
        return base_url  # a public base URL: its own name (a certificate for it is the deployer's)
    return urlunsplit(parts._replace(netloc=f"{SAN_DNS}:{parts.port}" if parts.port else SAN_DNS))


def _client_id(options: RequestOptions, response_uri: str) -> str:
    prefix = options.client_id_prefix
    if prefix == "redirect_uri":
        value = f"redirect_uri:{response_uri}"
    elif prefix == "decentralized_identifier":
        value = f"decentralized_identifier:{verifier_signer().controller}"
    else:
        value = verifier_certificates().client_id(prefix)
    if options.draft:  # drafts name the scheme in client_id_scheme and carry the bare identifier
        return value.split(":", 1)[1]
    return value


def _mismatched(client_id: str) -> str:
    """Another verifier's client_id under the same prefix."""
    prefix, sep, _ = client_id.partition(":")
    if prefix == "decentralized_identifier":
        return f"decentralized_identifier:{Signer.did_key(deterministic_key('refimpl-oid4vp-other', 'Ed25519')).controller}"
    if prefix in ("x509_san_dns", "x509_hash") and sep:
        return f"{prefix}:other-verifier.example" if prefix == "x509_san_dns" else f"{prefix}:{'A' * 43}"
    return "redirect_uri:https://other-verifier.example/oid4vp/responses"


_STORE_LOCK = threading.Lock()


def store_of(state: ReferenceState) -> Oid4vpStore:
    """The instance's OID4VP transactions (kept on the instance, created on first use)."""
    with _STORE_LOCK:
        store = getattr(state, "_oid4vp_store", None)
        if store is None:
            store = Oid4vpStore()
            state._oid4vp_store = store  # type: ignore[attr-defined]
        return store
