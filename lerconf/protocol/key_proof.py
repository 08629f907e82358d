"""OID4VCI key proofs of type ``jwt`` (OID4VCI 1.0 Appendix F.1, F.4): make one, and check one.

The wallet side (lerconf testing an issuer) builds proofs, including one-fault proofs for the
negative scenarios; the reference issuer validates them with :func:`validate_key_proof`. Holder
keys are named as ``did:jwk`` (the key in the proof's ``jwk`` header), so a credential bound to
the proven key carries ``credentialSubject.id = did:jwk:...``.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lerconf import entropy
from lerconf.crypto.encoding import b64url_decode, b64url_encode
from lerconf.crypto.jose.algorithms import (
    default_alg,
    is_forbidden,
    sign,
    verify_signature,
)
from lerconf.crypto.jose.compact import JwsParseError, parse_compact
from lerconf.crypto.keys import (
    KeyDecodeError,
    PrivateKey,
    PublicKey,
    decode_multikey,
    public_key_from_jwk,
)

__all__ = ["PROOF_TYP", "HolderKey", "ProofProblem", "ValidProof", "did_jwk", "key_of_did", "make_key_proof",
           "validate_key_proof"]

PROOF_TYP = "openid4vci-proof+jwt"
#: private JWK members a proof must never carry
PRIVATE_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "k"})


def _b64json(value: Mapping[str, Any]) -> str:
    return b64url_encode(json.dumps(value, separators=(",", ":")).encode("utf-8"))


def did_jwk(jwk: Mapping[str, Any]) -> str:
    """did:jwk of a public JWK (members in a stable order)."""
    public = {k: jwk[k] for k in ("crv", "kty", "x", "y", "e", "n") if k in jwk}
    return "did:jwk:" + _b64json(public)


def key_of_did(did: str) -> PublicKey | None:
    """The public key a did:jwk or did:key names (None for other methods or a malformed DID)."""
    base = did.split("#", 1)[0]
    try:
        if base.startswith("did:jwk:"):
            return public_key_from_jwk(json.loads(b64url_decode(base[len("did:jwk:"):])))
        if base.startswith("did:key:"):
            return decode_multikey(base[len("did:key:"):])
    except (ValueError, KeyDecodeError, TypeError):
        return None
    return None


@dataclass(frozen=True)
class HolderKey:
    """The wallet key a proof is made with, and the DID a bound credential must name."""

    key: PrivateKey = field(repr=False)

    @property
    def jwk(self) -> dict[str, str]:
        return self.key.public.to_jwk()

    @property
    def did(self) -> str:
        return did_jwk(self.jwk)


def make_key_proof(holder: HolderKey, *, audience: str, nonce: str | None, iat: int | None = None,
                   alg: str | None = None, header: Mapping[str, Any] | None = None,
                   claims: Mapping[str, Any] | None = None, corrupt_signature: bool = False) -> str:
    """A compact ``openid4vci-proof+jwt``. ``header``/``claims`` override members (None removes
    one), which is how the negative scenarios make a proof with exactly one fault."""
    alg = alg or default_alg(holder.key.curve)
    protected: dict[str, Any] = {"typ": PROOF_TYP, "alg": alg, "jwk": holder.jwk}
    payload: dict[str, Any] = {"aud": audience, "iat": int(entropy.unix_time()) if iat is None else iat}
    if nonce is not None:
        payload["nonce"] = nonce
    for target, extra in ((protected, header), (payload, claims)):
        for k, v in (extra or {}).items():
            if v is None:
                target.pop(k, None)
            else:
                target[k] = v
    signing_input = f"{_b64json(protected)}.{_b64json(payload)}"
    signer_alg = alg if not is_forbidden(alg) else default_alg(holder.key.curve)
    signature = sign(signer_alg, holder.key, signing_input.encode("ascii")) if not is_forbidden(alg) else b""
    if corrupt_signature and signature:
        signature = bytes([signature[0] ^ 0x01]) + signature[1:]
    return f"{signing_input}.{b64url_encode(signature)}"


@dataclass(frozen=True)
class ValidProof:
    public_key: PublicKey
    holder_did: str
    nonce: str | None


@dataclass(frozen=True)
class ProofProblem:
    """Why a proof is refused: ``error`` is the OID4VCI error code (invalid_proof or invalid_nonce)."""

    error: str
    description: str


def validate_key_proof(token: Any, *, audience: str, algorithms: tuple[str, ...], max_age_s: float = 300.0,
                       skew_s: float = 60.0, now: float | None = None, check_audience: bool = True,
                       check_signature: bool = True) -> ValidProof | ProofProblem:
    """Appendix F.4 without the nonce (the caller owns nonce state): typ, alg, one key, no private
    key material, aud, iat window, signature. ``check_*`` exist for lerconf's faulty test bed."""
    now = entropy.unix_time() if now is None else now
    try:
        parsed = parse_compact(token, allow_sd_jwt=False)
    except JwsParseError as exc:
        return ProofProblem("invalid_proof", f"the proof is not a compact JWS: {exc}")
    h, p = parsed.header, parsed.payload
    if h.get("typ") != PROOF_TYP:
        return ProofProblem("invalid_proof", f"typ is {h.get('typ')!r}, not {PROOF_TYP}")
    alg = h.get("alg")
    if is_forbidden(alg) or alg not in algorithms:
        return ProofProblem("invalid_proof", f"alg {alg!r} is not one of {', '.join(algorithms)}")
    key_headers = [k for k in ("kid", "jwk", "x5c") if k in h]
    if len(key_headers) != 1:
        return ProofProblem("invalid_proof", f"exactly one of kid, jwk, x5c is required, got {key_headers or 'none'}")
    public: PublicKey | None
    if "jwk" in h:
        jwk = h["jwk"]
        if not isinstance(jwk, Mapping) or PRIVATE_MEMBERS & set(jwk):
            return ProofProblem("invalid_proof", "jwk is not a public JWK (private key material or not an object)")
        try:
            public = public_key_from_jwk(jwk)
        except (KeyDecodeError, ValueError, KeyError, TypeError) as exc:
            return ProofProblem("invalid_proof", f"jwk cannot be read: {exc}")
        holder = did_jwk(jwk)
    elif "kid" in h and isinstance(h["kid"], str):
        public = key_of_did(h["kid"])
        holder = h["kid"].split("#", 1)[0]
        if public is None:
            return ProofProblem("invalid_proof", f"kid {h['kid']!r} is not a did:jwk or did:key lerconf resolves")
    else:
        return ProofProblem("invalid_proof", "x5c proofs are not supported")
    if check_audience and p.get("aud") != audience:
        return ProofProblem("invalid_proof", f"aud is {p.get('aud')!r}, not the credential issuer {audience}")
    iat = p.get("iat")
    if not isinstance(iat, (int, float)) or isinstance(iat, bool):
        return ProofProblem("invalid_proof", "iat is missing or not a number")
    if iat > now + skew_s or iat < now - max_age_s:
        return ProofProblem("invalid_proof", f"iat {int(iat)} is outside the accepted window around {int(now)}")
    if check_signature and not verify_signature(str(alg), public, parsed.signing_input, parsed.signature):
        return ProofProblem("invalid_proof", "the proof signature does not verify with its key")
    nonce = p.get("nonce")
    return ValidProof(public, holder, nonce if isinstance(nonce, str) else None)
