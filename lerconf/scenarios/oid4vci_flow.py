"""The OID4VCI flow lerconf runs as the wallet against an issuer under test: a fresh session, an
offer, a token, a nonce, a key proof, a credential request. Scenarios (oid4vci_issuer,
oid4vci_issuance) compose these; every flow starts fresh, so scenarios never share protocol state.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lerconf import entropy
from lerconf.clients.oid4vci import Oid4vciClient
from lerconf.crypto.jose.compact import JwsParseError, parse_compact
from lerconf.crypto.keys import generate
from lerconf.evidence import Evidence
from lerconf.outcome import Outcome
from lerconf.profile.oid4vci import Oid4vciIssuer
from lerconf.protocol.key_proof import HolderKey, make_key_proof
from lerconf.protocol.oid4vci import PRE_AUTHORIZED_GRANT, Answer, Metadata, Offer
from lerconf.redact import redact_text
from lerconf.scenarios.oid4vci_draft13 import (
    DRAFT_LABEL,
    draft13_request,
    mark_draft_only,
    remember_nonce,
)
from lerconf.scenarios.person_login import person_login
from lerconf.verdicts import Broken

if TYPE_CHECKING:
    from lerconf.scenarios.harness import Harness, VendorUnderTest

__all__ = [
    "PROOF_ALGS",
    "PROOF_DEFECTS",
    "SENT_TX_CODE",
    "UNKNOWN_CONFIGURATION",
    "WRONG_AUDIENCE",
    "Attempt",
    "Issuance",
    "VciSession",
    "authorized",
    "credential_document",
    "credential_request",
    "first_credential",
    "fresh_nonce",
    "holder_for",
    "issue",
    "open_session",
    "proof_for",
    "received",
    "redeem",
    "request_offer",
    "token_for_offer",
]


UNKNOWN_CONFIGURATION = "lerconf-unknown-configuration"


WRONG_AUDIENCE = "https://wrong-audience.lerconf.invalid/issuer"


#: key-proof faults (VCI-16): name -> make_key_proof keyword overrides
PROOF_DEFECTS: dict[str, dict[str, Any]] = {
    "the wrong audience": {"claims": {"aud": WRONG_AUDIENCE}},
    "a signature that does not verify": {"corrupt_signature": True},
    "a typ other than openid4vci-proof+jwt": {"header": {"typ": "JWT"}},
    "alg none": {"alg": "none"},
    "an iat an hour old": {"iat_offset": -3600},
    "a private key in its jwk": {"private_jwk": True},
}


@dataclass
class VciSession:
    """One wallet run against the issuer under test."""

    client: Oid4vciClient = field(repr=False)
    section: Oid4vciIssuer
    metadata: Metadata
    holder: HolderKey = field(default_factory=lambda: HolderKey(generate("P-256")), repr=False)
    offer: Offer | None = None
    token_endpoint: str | None = None
    access_token: str | None = field(default=None, repr=False)
    configuration_id: str | None = None
    c_nonce: str | None = field(default=None, repr=False)   # draft 13: from the token/credential responses
    processor: Any = field(default=None, repr=False)        # JSON-LD processor for di_vp proofs
    #: format -> the configuration a scenario asks for instead of the profile's (an ecosystem profile's badge)
    preferred: dict[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:  # allure-pytest-bdd records repr() of step arguments: not the issuer's metadata
        return f"VciSession({redact_text(self.section.credential_issuer)!r}, {self.mode})"

    @property
    def mode(self) -> str:
        return self.section.mode

    def require_metadata(self) -> Mapping[str, Any]:
        if self.metadata.document is None:
            raise Broken(f"prerequisite: no credential issuer metadata for {self.metadata.identifier}")
        return self.metadata.document

    def configuration(self, fmt: str) -> str:
        self.require_metadata()
        chosen = self.preferred.get(fmt) or self.section.configuration_for(fmt) or self.metadata.configuration_for(fmt)
        if chosen is None:
            raise Broken(f"prerequisite: the metadata advertises no {fmt} configuration")
        return chosen

    def endpoint(self, name: str) -> str:
        url = self.metadata.endpoint(name)
        if url is None:
            raise Broken(f"prerequisite: the metadata has no {name}")
        return url


@dataclass(frozen=True)
class Attempt:
    """One request lerconf sent to the issuer under test, and the issuer's answer.

    ``request`` names it for a broken answer's reason ("the token request"); ``variant`` is what
    the feature varies (a defect, a kind of access token, a grant, what was sent); ``flow`` names
    the valid issuance that is the positive control of a refusal ("pre-authorized", "authorization
    code", "di_vp"); ``wrong_tx_codes`` counts the wrong tx_codes sent before it (VCI-10).
    """

    session: VciSession = field(repr=False)
    answer: Answer
    request: str
    variant: str = ""
    flow: str = "pre-authorized"
    wrong_tx_codes: int = 0


def open_session(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, node: Any = None) -> VciSession:
    """The vendor's issuer metadata, fetched as a wallet would (the mode's path, then the other).
    A draft-only issuer's scenario is labelled draft-only on ``node`` (the pytest request/item)."""
    section = vendor.profile.oid4vci_issuer
    if section is None:
        raise LookupError(f"{vendor.name} has no oid4vci_issuer section")
    if section.mode == "draft13":
        evidence.notes.append(f"draft-only ({DRAFT_LABEL}): {vendor.name} claims only draft 13; this scenario ran in draft-13 mode "
                              "and says nothing about OID4VCI 1.0 conformance")
        if node is not None:
            mark_draft_only(node, DRAFT_LABEL)
    client = Oid4vciClient(vendor.http, section, **person_login(harness, vendor, section.authorization))
    metadata = client.metadata()
    if metadata.document is not None:
        evidence.keep("credential issuer metadata", metadata.document)
    if metadata.placement != section.mode and metadata.placement is not None:
        evidence.notes.append(f"metadata found only at the {metadata.placement} path: later steps used it")
    return VciSession(client, section, metadata, holder=holder_for(metadata), processor=harness.engine.processor)


#: proof algorithms lerconf can sign with, in preference order, and the curve of each
PROOF_ALGS = {"ES256": "P-256", "EdDSA": "Ed25519", "Ed25519": "Ed25519", "ES384": "P-384"}


def holder_for(metadata: Metadata) -> HolderKey:
    """A wallet key of an algorithm the issuer advertises for jwt proofs (an issuer supporting
    only EdDSA must not see ES256 proofs: refusing them would pass every negative proof scenario)."""
    configurations = (metadata.document or {}).get("credential_configurations_supported")
    advertised: list[str] = []
    for config in configurations.values() if isinstance(configurations, Mapping) else []:
        jwt = ((config or {}).get("proof_types_supported") or {}).get("jwt") if isinstance(config, Mapping) else None
        algs = jwt.get("proof_signing_alg_values_supported") if isinstance(jwt, Mapping) else None
        advertised += [a for a in algs if isinstance(a, str)] if isinstance(algs, list) else []
    curve = next((PROOF_ALGS[a] for a in PROOF_ALGS if a in advertised), "P-256")
    return HolderKey(generate(curve))


def request_offer(session: VciSession, evidence: Evidence, fmt: str = "ldp_vc", *, tx_code: bool = False,
                  by_reference: bool = False, grant: str = "pre-authorized_code", deferred: bool = False) -> Offer:
    offer = session.client.request_offer(session.configuration(fmt), tx_code=tx_code, by_reference=by_reference,
                                         grant=grant, deferred=deferred)
    if offer.problem is not None or offer.document is None:
        raise Broken(f"prerequisite: no credential offer: {offer.problem}")
    evidence.keep("credential offer", offer.document)
    session.offer = offer
    return offer


def token_for_offer(session: VciSession, evidence: Evidence, offer_kind: str, sent: str) -> Attempt:
    """A fresh offer (``offer_kind`` "with a tx_code" / "without a tx_code") redeemed sending ``sent``."""
    offer = request_offer(session, evidence, tx_code=offer_kind == "with a tx_code")
    return Attempt(session, redeem(session, offer, SENT_TX_CODE[sent]), "the token request", sent)


#: how a feature says which tx_code lerconf sends -> redeem()'s mode
SENT_TX_CODE = {"the tx_code": "as offered", "no tx_code": "none", "a wrong tx_code": "wrong",
                "an unsolicited tx_code": "unsolicited"}


def redeem(session: VciSession, offer: Offer, tx_code: str = "as offered") -> Answer:
    """A token request for the offer's pre-authorized code; ``tx_code`` is "as offered", "none",
    "wrong" or "unsolicited" (one the offer did not ask for)."""
    code = offer.pre_authorized_code
    if code is None:
        raise Broken("prerequisite: the offer has no pre-authorized code")
    if session.token_endpoint is None:
        session.token_endpoint = session.client.token_endpoint(session.metadata,
                                                               offer.authorization_server(PRE_AUTHORIZED_GRANT))
        if session.token_endpoint is None:
            raise Broken("prerequisite: no token_endpoint in the authorization server metadata")
    if tx_code == "as offered" and offer.tx_code_object is not None and offer.tx_code is None:
        raise Broken("prerequisite: the offer needs a tx_code the offer hook did not return")
    value = {"as offered": offer.tx_code if offer.tx_code_object is not None else None, "none": None,
             "wrong": _wrong_code(offer.tx_code), "unsolicited": "123456"}[tx_code]
    return remember_nonce(session, session.client.token(session.token_endpoint, code, value))


def _wrong_code(right: str | None) -> str:
    wrong = f"{entropy.randbelow(10**6):06d}"
    return wrong if wrong != right else f"{(int(wrong) + 1) % 10**6:06d}"


def authorized(session: VciSession, evidence: Evidence, fmt: str = "ldp_vc", *, deferred: bool = False) -> VciSession:
    """The session, now holding an access token for a fresh offer of ``fmt`` (the prerequisite of
    every credential-endpoint scenario)."""
    offer = request_offer(session, evidence, fmt, tx_code="tx_code" in session.section.features, deferred=deferred)
    answer = redeem(session, offer)
    token = answer.body.get("access_token") if isinstance(answer.body, Mapping) else None
    if answer.outcome is not Outcome.ACCEPTED or not isinstance(token, str):
        raise Broken(f"prerequisite: no access token: {answer.exchange.reason}")
    session.access_token = token
    session.configuration_id = session.configuration(fmt)
    return session


def fresh_nonce(session: VciSession) -> str | None:
    if session.mode == "draft13" and session.metadata.endpoint("nonce_endpoint") is None:
        nonce, session.c_nonce = session.c_nonce, None  # the latest c_nonce; each is good for one proof
        return nonce
    if session.metadata.endpoint("nonce_endpoint") is None:
        return None
    answer = session.client.nonce(session.metadata)
    value = answer.body.get("c_nonce") if answer is not None and isinstance(answer.body, Mapping) else None
    if not isinstance(value, str):
        raise Broken(f"prerequisite: no c_nonce from the nonce endpoint ({answer.exchange.reason if answer else ''})")
    return value


def proof_for(session: VciSession, nonce: str | None, defect: str | None = None) -> str:
    options = dict(PROOF_DEFECTS[defect]) if defect else {}
    iat = int(entropy.unix_time()) + int(options.pop("iat_offset", 0))
    if options.pop("private_jwk", False):
        options["header"] = {"jwk": session.holder.key.to_jwk()}
    return make_key_proof(session.holder, audience=session.metadata.identifier, nonce=nonce, iat=iat, **options)


def credential_request(session: VciSession, proof: Any, configuration_id: str | None = None,
                       proof_type: str = "jwt") -> Answer:
    """A credential request: 1.0 (credential_configuration_id, proofs) or draft 13 (format +
    credential_definition, one proof object)."""
    config = configuration_id or session.configuration_id
    if session.mode == "draft13":
        body = draft13_request(session, config, proof, proof_type)
    else:
        body = {"credential_configuration_id": config}
        if proof is not None:
            body["proofs"] = {proof_type: [proof]}
    answer = session.client.credential(session.endpoint("credential_endpoint"), session.access_token, body)
    return remember_nonce(session, answer)


@dataclass
class Issuance:
    """A credential obtained over OID4VCI, with the key it was requested for."""

    session: VciSession
    fmt: str
    answer: Answer
    credential: Any = field(default=None, repr=False)
    token: Answer | None = None                           # the token response (authorization code flow)
    deferred: list[Answer] = field(default_factory=list)  # the deferred credential endpoint's answers
    holder_key: Any = field(default=None, repr=False)     # the key proven (PublicKey), and its DID
    holder_did: str | None = None

    @property
    def bound_key(self) -> tuple[Any, str]:
        """The key the credential must be bound to, and its DID (the jwt holder unless set)."""
        if self.holder_key is not None and self.holder_did is not None:
            return self.holder_key, self.holder_did
        return self.session.holder.key.public, self.session.holder.did


def issue(session: VciSession, evidence: Evidence, fmt: str) -> Issuance:
    """The whole pre-authorized flow: offer, token, nonce, key proof, credential."""
    authorized(session, evidence, fmt)
    answer = credential_request(session, proof_for(session, fresh_nonce(session)))
    if answer.outcome not in (Outcome.ACCEPTED, Outcome.REJECTED):
        raise Broken(f"the credential request: {answer.outcome.value}: {answer.exchange.reason}")
    return received(session, evidence, fmt, answer)


def received(session: VciSession, evidence: Evidence, fmt: str, answer: Answer, **extra: Any) -> Issuance:
    """The Issuance of a credential response: ``credentials[0].credential`` (draft 13: ``credential``)."""
    first = first_credential(answer.body, session.mode)
    if first is not None:
        evidence.keep("issued credential", first)
    return Issuance(session, fmt, answer, first, **extra)


def first_credential(body: Any, mode: str = "final") -> Any:
    if not isinstance(body, Mapping):
        return None
    if mode == "draft13":
        return body.get("credential")
    items = body.get("credentials")
    return items[0].get("credential") if isinstance(items, list) and items and isinstance(items[0], Mapping) else None


def credential_document(issuance: Issuance) -> Mapping[str, Any] | None:
    """The credential as a JSON object: itself (ldp_vc) or the VC inside a JWT (vc claim or top level)."""
    cred = issuance.credential
    if isinstance(cred, Mapping):
        return cred
    try:
        payload = parse_compact(cred, allow_sd_jwt=False).payload
    except JwsParseError:
        return None
    vc = payload.get("vc")
    if not isinstance(vc, Mapping):
        return payload
    subject = vc.get("credentialSubject")
    if isinstance(payload.get("sub"), str) and isinstance(subject, Mapping) and "id" not in subject:
        # VCDM 1.1 §6.3.1: the JWT's sub carries credentialSubject.id (the holder the badge is bound to)
        return {**vc, "credentialSubject": {**subject, "id": payload["sub"]}}
    return vc
