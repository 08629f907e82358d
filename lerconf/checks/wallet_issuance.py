"""Wallet checks, OID4VCI side: lerconf plays the issuer and authorization server, the vendor's
wallet is its client.

Each check judges what lerconf's own metadata, offer, authorization, token, nonce and credential
endpoints received from the wallet (:class:`~lerconf.protocol.wire_record.WireRecord` lists,
already narrowed to one scenario's offer) or what the wallet lists as stored. What the wallet or
its adapter reports about itself never reaches a check.

A check never decides "broken" or "not claimed": a prerequisite the wallet did not deliver (no
credential issued, no credential request to observe) is the scenario's to say
(``lerconf.scenarios.wallet_issuance``) before a check sees the facts.
"""
from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lerconf.checks.base import Verdict, check, failed, not_applicable, passed
from lerconf.crypto.jose.compact import JwsParseError, ParsedJws, parse_compact
from lerconf.protocol.key_proof import PROOF_TYP
from lerconf.protocol.oid4vci import PRE_AUTHORIZED_GRANT
from lerconf.protocol.wire_record import WireRecord
from lerconf.results import Category, Severity

# -- reading the wire -------------------------------------------------------------------------------
#: the key proof types a wallet-side check reads (OID4VCI 1.0 Appendix F.1 jwt, F.2 di_vp)
PROOF_TYPES = ("jwt", "di_vp")
DI_VP_PURPOSE = "authentication"


@dataclass(frozen=True)
class KeyProof:
    """The first key proof of a credential request, of whichever advertised type the wallet chose.

    ``nonce`` is the jwt proof's ``nonce`` claim or the di_vp proof's ``challenge``; ``audience``
    its ``aud`` or ``domain``; ``problems`` what App. F.1/F.2 asks of its type and it lacks (the
    signature is lerconf's credential endpoint's to verify: it answers 200 only for a valid one).
    """

    proof_type: str
    nonce: Any
    audience: Any
    problems: tuple[str, ...] = ()


def _key_proof(request: WireRecord, what: str, proof_types: Sequence[str] = PROOF_TYPES) -> tuple[KeyProof | None, str]:
    """The first key proof of an advertised type in a credential request's ``proofs``, or why there is none."""
    body = request.json()
    proofs = body.get("proofs") if isinstance(body, Mapping) else None
    sent = [t for t, v in proofs.items() if isinstance(v, list) and v] if isinstance(proofs, Mapping) else []
    usable = [t for t in sent if t in proof_types and t in PROOF_TYPES]
    advertised = " or ".join(f"proofs.{t}" for t in proof_types)
    if not usable:
        if sent:
            return None, (f"the {what}credential request carries key proofs of type(s) {', '.join(sent)}, "
                          f"none of which the issuer advertises here ({advertised})")
        return None, f"the {what}credential request has no key proof array ({advertised})"
    kind = usable[0]
    first = proofs[kind][0] if isinstance(proofs, Mapping) else None
    if kind == "jwt":
        try:
            jws = parse_compact(first, allow_sd_jwt=False)
        except JwsParseError as exc:
            return None, f"the {what}key proof is not a compact JWS: {exc}"
        return _jwt_proof(jws), ""
    return _di_vp_proof(first, what)


def _jwt_proof(proof: ParsedJws) -> KeyProof:
    """App. F.1: typ openid4vci-proof+jwt, aud, numeric iat, nonce."""
    problems = []
    if proof.header.get("typ") != PROOF_TYP:
        problems.append(f"the key proof typ is {proof.header.get('typ')!r}, not {PROOF_TYP}")
    if not isinstance(proof.payload.get("iat"), int):
        problems.append("the key proof has no numeric iat")
    return KeyProof("jwt", proof.payload.get("nonce"), proof.payload.get("aud"), tuple(problems))


def _di_vp_proof(presentation: Any, what: str) -> tuple[KeyProof | None, str]:
    """App. F.2: a VerifiablePresentation with a Data Integrity proof, proofPurpose authentication,
    domain the Credential Issuer Identifier, challenge the c_nonce (lerconf.verify.di_vp checks the same)."""
    if not isinstance(presentation, Mapping):
        return None, f"the {what}di_vp key proof is not a VerifiablePresentation object"
    raw = presentation.get("proof")
    proof = next((p for p in raw if isinstance(p, Mapping)), None) if isinstance(raw, list) else raw
    if not isinstance(proof, Mapping):
        return None, f"the {what}di_vp key proof carries no Data Integrity proof"
    problems = []
    if proof.get("proofPurpose") != DI_VP_PURPOSE:
        problems.append(f"the di_vp proof's proofPurpose is {proof.get('proofPurpose')!r}, not {DI_VP_PURPOSE}")
    return KeyProof("di_vp", proof.get("challenge"), proof.get("domain"), tuple(problems)), ""


def _addressed_to(audience: Any, issuer: str) -> bool:
    return audience == issuer or (isinstance(audience, list) and issuer in audience)


def _latest_nonce_before(nonce_responses: Sequence[WireRecord], seq: int) -> str | None:
    """The c_nonce of the last successful nonce request lerconf received before record ``seq``."""
    given = [r for r in nonce_responses if r.seq < seq and r.status == 200]
    body = given[-1].response_json() if given else None
    nonce = body.get("c_nonce") if isinstance(body, Mapping) else None
    return nonce if isinstance(nonce, str) else None


def _s256(verifier: str) -> str:
    """RFC 7636 §4.2: BASE64URL(SHA256(ASCII(code_verifier))), without padding."""
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii", "replace")).digest()).decode().rstrip("=")


# -- OID4VCI: the wallet as client of lerconf's issuer -----------------------------------------------
@check("VCI-20", Category.PROTOCOL)
def wallet_fetches_issuer_metadata(metadata_requests: Sequence[WireRecord], metadata_path: str) -> Verdict:
    """The wallet fetches the Credential Issuer Metadata of the offer's credential_issuer from its well-known URL.

    OID4VCI 1.0 §12.2.2. ``metadata_requests``: the GET requests lerconf's metadata endpoint received.
    """
    if not any(r.status == 200 for r in metadata_requests):
        return failed(f"the wallet never fetched the issuer metadata at {metadata_path}", requests=len(metadata_requests))
    return passed(f"the wallet fetched the issuer metadata at {metadata_path}")


@check("VCI-20", Category.PROTOCOL)
def wallet_refuses_mismatched_credential_issuer(token_requests: Sequence[WireRecord],
                                                credential_requests: Sequence[WireRecord]) -> Verdict:
    """The wallet rejects Credential Issuer Metadata whose credential_issuer is not the offer's Credential Issuer
    Identifier, and goes no further with that issuer.

    OID4VCI 1.0 §12.2.4. ``token_requests``: those with the offer's pre-authorized code.
    """
    if token_requests:
        return failed("the wallet redeemed the offer's pre-authorized code although the issuer metadata's "
                      "credential_issuer is not the offer's issuer", token_requests=len(token_requests))
    if credential_requests:
        return failed("the wallet sent a credential request to the mismatching issuer")
    return passed("the wallet went no further than the metadata of the mismatching issuer")


@check("VCI-21", Category.PROTOCOL)
def wallet_dereferences_offer_uri(offer_requests: Sequence[WireRecord], offer_uri: str | None) -> Verdict:
    """The wallet dereferences credential_offer_uri by GET.

    OID4VCI 1.0 §4.1.3. ``offer_requests``: the GETs lerconf's offer endpoint received for the offer.
    """
    if offer_uri is None:
        return not_applicable("the offer was passed by value")
    if not offer_requests:
        return failed("the wallet never dereferenced credential_offer_uri by GET")
    return passed("the wallet dereferenced credential_offer_uri by GET")


@check("VCI-21", Category.PROTOCOL)
def wallet_sends_tx_code_as_offered(token_requests: Sequence[WireRecord], tx_code: str | None) -> Verdict:
    """The wallet sends tx_code in the token request when the offer had a tx_code object (even empty), and only then.

    OID4VCI 1.0 §6.1. ``token_requests``: those with the offer's pre-authorized code; ``tx_code``: the
    code lerconf gave beside an offer with a tx_code object, None for an offer without one.
    """
    if not token_requests:
        return failed("lerconf's token endpoint received no request with the offer's pre-authorized code")
    last = token_requests[-1]
    if tx_code is None:
        if any("tx_code" in r.form() for r in token_requests):
            return failed("the wallet sent a tx_code although the offer has no tx_code object")
        if last.status != 200:
            return failed(f"lerconf's token endpoint refused the wallet's token request (HTTP {last.status})")
        return passed("the wallet redeemed the pre-authorized code without a tx_code")
    if "tx_code" not in last.form():
        return failed("the token request has no tx_code although the offer had a tx_code object")
    accepted = [r for r in token_requests if r.status == 200]  # a mistyped code retried correctly is fine
    if not accepted:
        return failed(f"lerconf's token endpoint refused the wallet's token request (HTTP {last.status})")
    form = accepted[-1].form()
    if form.get("grant_type") != PRE_AUTHORIZED_GRANT:
        return failed(f"grant_type is {form.get('grant_type')!r}")
    if form.get("tx_code") != tx_code:
        return failed("the token request's tx_code is not the one lerconf gave")
    return passed("the wallet redeemed the pre-authorized code with the offer's tx_code")


@check("VCI-22", Category.PROTOCOL)
def key_proof_binds_issuer_and_latest_nonce(credential_requests: Sequence[WireRecord],
                                            nonce_responses: Sequence[WireRecord], issuer: str,
                                            proof_types: Sequence[str] = PROOF_TYPES) -> Verdict:
    """The wallet key proof is bound to the issuer and the latest c_nonce: a jwt proof has typ openid4vci-proof+jwt,
    aud = the Credential Issuer Identifier, iat, and nonce = the latest c_nonce; a di_vp proof has proofPurpose
    authentication, domain = the Credential Issuer Identifier and challenge = the latest c_nonce.

    OID4VCI 1.0 Appendix F.1, F.2. Any proof type the issuer advertises (``proof_types``) is accepted.
    Judges the last credential request against the nonce requests before it.
    """
    if not credential_requests:
        return failed("lerconf's credential endpoint received no credential request")
    request = credential_requests[-1]
    proof, problem = _key_proof(request, "", proof_types)
    if proof is None:
        return failed(problem)
    if proof.problems:
        return failed(proof.problems[0], proof_type=proof.proof_type)
    said = "aud" if proof.proof_type == "jwt" else "domain"
    if not _addressed_to(proof.audience, issuer):
        return failed(f"the key proof {said} is {proof.audience!r}, not the credential issuer {issuer}",
                      proof_type=proof.proof_type)
    latest = _latest_nonce_before(nonce_responses, request.seq)
    if latest is None:
        return failed("the wallet never asked lerconf's nonce endpoint for a c_nonce before the credential request")
    nonce = "nonce" if proof.proof_type == "jwt" else "challenge"
    if proof.nonce is None:
        return failed(f"the key proof carries no {nonce} although lerconf's nonce endpoint gave one", proof_type=proof.proof_type)
    if proof.nonce != latest:
        return failed(f"the key proof's {nonce} is not the latest c_nonce lerconf's nonce endpoint gave", proof_type=proof.proof_type)
    if request.status != 200:
        return failed(f"lerconf's credential endpoint refused the request (HTTP {request.status})")
    if proof.proof_type == "di_vp":
        return passed("the di_vp key proof is for authentication, its domain is the issuer and its challenge the latest "
                      "c_nonce", aud=issuer, proof_type="di_vp")
    return passed("the key proof is typed, addressed to the issuer, dated, and carries the latest c_nonce", aud=issuer,
                  proof_type="jwt")


@check("VCI-22", Category.PROTOCOL, severity=Severity.SHOULD)
def wallet_retries_with_a_fresh_nonce(credential_requests: Sequence[WireRecord],
                                      nonce_responses: Sequence[WireRecord],
                                      proof_types: Sequence[str] = PROOF_TYPES) -> Verdict:
    """After an invalid_nonce error the wallet SHOULD get a fresh c_nonce from the Nonce Endpoint and send a new
    credential request whose key proof carries it.

    OID4VCI 1.0 §8.3.1.2 (the SHOULD part of VCI-22); the fresh c_nonce is the nonce of a jwt proof or the
    challenge of a di_vp proof, whichever advertised type the wallet uses. The first of ``credential_requests`` is the one
    lerconf's credential endpoint answered invalid_nonce.
    """
    if len(credential_requests) < 2:
        return failed("the wallet gave up after invalid_nonce instead of retrying with a fresh c_nonce")
    first, retry = credential_requests[0], credential_requests[1]
    if not any(first.seq < r.seq < retry.seq for r in nonce_responses):
        return failed("the wallet retried without asking lerconf's nonce endpoint for a fresh c_nonce")
    proof, problem = _key_proof(retry, "retried ", proof_types)
    if proof is None:
        return failed(problem)
    if proof.nonce != _latest_nonce_before(nonce_responses, retry.seq):
        return failed("the retried key proof does not carry the fresh c_nonce")
    if retry.status != 200:
        return failed(f"lerconf's credential endpoint refused the retried request (HTTP {retry.status})")
    return passed("after invalid_nonce the wallet fetched a fresh c_nonce and retried with it")


@check("LCW-01", Category.PROTOCOL)
def wallet_stores_credential_unchanged(issued: Sequence[Any], stored: Sequence[Any]) -> Verdict:
    """The wallet stores the credential exactly as the credential endpoint returned it (a JSON object for ldp_vc, the
    JWT string for jwt_vc_json).

    lerconf LCW-01 (OID4VCI 1.0 §8.3; VCDM 2.0 §4.12). ``stored``: the credentials the wallet lists.
    """
    for credential in issued:
        if credential in stored:
            continue
        cid = credential.get("id") if isinstance(credential, Mapping) else None
        if cid is not None and any(isinstance(s, Mapping) and s.get("id") == cid for s in stored):
            return failed(f"the wallet stored the credential {cid} altered: it differs from what lerconf issued")
        return failed("the credential lerconf issued is not among the wallet's stored credentials", stored=len(stored))
    return passed(f"the wallet stores the {len(issued)} credential(s) lerconf issued exactly as issued")


@check("LCW-05", Category.PROTOCOL)
def wallet_adapter_keeps_scenarios_apart(issued: Sequence[Any], before: Sequence[Any], first: Sequence[Any],
                                         second: Sequence[Any]) -> Verdict:
    """A wallet adapter that claims scenario isolation gives each ``X-Lerconf-Scenario`` value a wallet of its own: what
    one scenario's wallet received is not in another's, and resetting one leaves the other as it was.

    lerconf LCW-05 (its wallet adapter contract, docs/wallet-adapter.openapi.yaml). ``issued``: what lerconf's credential
    endpoint sent the first scenario's wallet; ``before``: what the first listed before the second's reset (its badge
    among them: lerconf.scenarios.wallet_isolation); ``first`` and ``second``: what each lists (GET /credentials)
    after it. Whether the first stored its badge unchanged is LCW-01's question, not this one's.
    """
    ids = {c.get("id") for c in issued if isinstance(c, Mapping) and c.get("id") is not None}
    leaked = [c for c in second if c in issued or (isinstance(c, Mapping) and c.get("id") in ids)]
    if leaked:
        return failed("the second scenario's wallet lists the badge lerconf issued to the first scenario's wallet: the "
                      "adapter shares one wallet between X-Lerconf-Scenario values", leaked=len(leaked))
    if second:
        return failed("the second scenario's wallet lists credentials right after its reset: the adapter does not give "
                      "each X-Lerconf-Scenario value a wallet of its own", listed=len(second))
    gone = [c for c in before if c not in first]
    if gone and not first:
        return failed("resetting the second scenario's wallet emptied the first's (the badge it received is gone): the "
                      "adapter resets one wallet for every X-Lerconf-Scenario value")
    if gone:
        return failed(f"resetting the second scenario's wallet took {len(gone)} of the {len(before)} credential(s) the "
                      "first's listed before it: the adapter does not leave the other scenarios' wallets as they were",
                      gone=len(gone))
    return passed("each scenario's wallet is its own: the second lists nothing after its reset, the first still "
                  f"holds the {len(before)} credential(s) it listed before")


@check("LCW-04", Category.PROTOCOL)
def wallet_uses_pkce_s256(authorization_requests: Sequence[WireRecord], token_requests: Sequence[WireRecord],
                          issuer_state: str) -> Verdict:
    """For an authorization_code offer the wallet sends an authorization request with the offer's issuer_state and an
    S256 code_challenge, and redeems the code with the matching code_verifier and the same redirect_uri.

    lerconf LCW-04 (OID4VCI 1.0 §5, RFC 7636). ``authorization_requests``: the GETs lerconf's
    authorization endpoint received; ``token_requests``: the POSTs its token endpoint received.
    """
    ours = [r for r in authorization_requests if r.query_params().get("issuer_state") == issuer_state]
    if not ours:
        return failed("lerconf's authorization endpoint received no authorization request with the offer's issuer_state")
    asked = ours[-1].query_params()
    if asked.get("code_challenge_method") != "S256" or not asked.get("code_challenge"):
        return failed("the authorization request uses no S256 code_challenge "
                      f"(code_challenge_method {asked.get('code_challenge_method')!r})")
    tokens = [r for r in token_requests if r.form().get("grant_type") == "authorization_code" and r.seq > ours[-1].seq]
    if not tokens:
        return failed("lerconf's token endpoint received no authorization_code token request after the authorization")
    form = tokens[-1].form()
    if not form.get("code_verifier"):
        return failed("the token request carries no code_verifier")
    if _s256(form["code_verifier"]) != asked["code_challenge"]:
        return failed("the code_verifier does not hash to the authorization request's code_challenge")
    if form.get("redirect_uri") != asked.get("redirect_uri"):
        return failed("the token request's redirect_uri is not the authorization request's")
    if tokens[-1].status != 200:
        return failed(f"lerconf's token endpoint refused the wallet's token request (HTTP {tokens[-1].status})")
    return passed("the wallet used PKCE S256 and redeemed the code with the matching code_verifier")
