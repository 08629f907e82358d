"""JWS algorithms (RFC 7518, RFC 8037, RFC 8812): which are allowed, and the raw crypto.

Only asymmetric signatures are accepted. ``none`` leaves a claim set without integrity, and
``HS*`` is a MAC: a verifier that accepts HS256 can be fooled by a token "signed" with the
issuer's *public* key as the secret. Each algorithm is pinned to one key type and curve so a
token cannot pick how its own key is interpreted (algorithm confusion).
"""
from __future__ import annotations

from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa, utils

from lerconf.crypto.keys import PrivateKey, PublicKey

#: alg -> (curve name of lerconf.crypto.keys, hash name)
SIGNATURE_ALGORITHMS: dict[str, tuple[str, str | None]] = {
    "EdDSA": ("Ed25519", None),
    "Ed25519": ("Ed25519", None),
    "ES256": ("P-256", "sha256"),
    "ES384": ("P-384", "sha384"),
    "ES512": ("P-521", "sha512"),
    "ES256K": ("secp256k1", "sha256"),
    "RS256": ("RSA", "sha256"),
    "RS384": ("RSA", "sha384"),
    "RS512": ("RSA", "sha512"),
    "PS256": ("RSA", "sha256"),
    "PS384": ("RSA", "sha384"),
    "PS512": ("RSA", "sha512"),
}
MIN_RSA_BITS = 2048
_EC_SIZES = {"P-256": 32, "P-384": 48, "P-521": 66, "secp256k1": 32}
_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


def is_forbidden(alg: object) -> bool:
    """``none`` (any case) and HMAC algorithms are never acceptable for credentials."""
    return not isinstance(alg, str) or alg.lower() == "none" or alg.upper().startswith("HS")


def default_alg(curve: str) -> str:
    """The algorithm lerconf signs with for a key type."""
    return {"Ed25519": "EdDSA", "P-256": "ES256", "P-384": "ES384", "P-521": "ES512",
            "secp256k1": "ES256K", "RSA": "RS256"}[curve]


def curve_of(key: Any) -> str:
    """The lerconf curve name of a cryptography public key object."""
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519"
    if isinstance(key, rsa.RSAPublicKey):
        return "RSA"
    if isinstance(key, ec.EllipticCurvePublicKey):
        return {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521",
                "secp256k1": "secp256k1"}.get(key.curve.name, key.curve.name)
    return type(key).__name__


def key_mismatch(alg: str, public_key: PublicKey) -> str | None:
    """Why ``alg`` cannot be used with this key, or None when it can."""
    spec = SIGNATURE_ALGORITHMS.get(alg)
    if spec is None:
        return f"unsupported alg {alg!r}"
    curve = curve_of(public_key.key)
    if curve != spec[0]:
        return f"alg {alg} needs a {spec[0]} key, the resolved key is {curve}"
    if curve == "RSA" and public_key.key.key_size < MIN_RSA_BITS:
        return f"RSA key is {public_key.key.key_size} bits, below {MIN_RSA_BITS}"
    return None


def verify_signature(alg: str, public_key: PublicKey, signing_input: bytes, signature: bytes) -> bool:
    """True only for a valid signature by ``public_key`` under ``alg``; never raises for bad input."""
    if is_forbidden(alg) or key_mismatch(alg, public_key) is not None:
        return False
    curve, hash_name = SIGNATURE_ALGORITHMS[alg]
    key = public_key.key
    try:
        if curve == "Ed25519":
            key.verify(signature, signing_input)
        elif curve == "RSA":
            digest = _HASHES[str(hash_name)]()
            key.verify(signature, signing_input, _rsa_padding(alg, digest), digest)
        else:
            size = _EC_SIZES[curve]
            if len(signature) != 2 * size:
                return False
            der = utils.encode_dss_signature(
                int.from_bytes(signature[:size], "big"), int.from_bytes(signature[size:], "big")
            )
            key.verify(der, signing_input, ec.ECDSA(_HASHES[str(hash_name)]()))
        return True
    except (InvalidSignature, UnsupportedAlgorithm, ValueError):
        return False


def sign(alg: str, private_key: PrivateKey, signing_input: bytes) -> bytes:
    """Sign with a harness key; a wrong alg for the key is a harness fault (raises)."""
    mismatch = key_mismatch(alg, private_key.public)
    if is_forbidden(alg) or mismatch:
        raise ValueError(mismatch or f"lerconf does not sign with {alg}")
    curve, hash_name = SIGNATURE_ALGORITHMS[alg]
    key = private_key.key
    if curve == "Ed25519":
        return key.sign(signing_input)  # type: ignore[no-any-return]
    if curve == "RSA":
        digest = _HASHES[str(hash_name)]()
        return key.sign(signing_input, _rsa_padding(alg, digest), digest)  # type: ignore[no-any-return]
    der = key.sign(signing_input, ec.ECDSA(_HASHES[str(hash_name)](), deterministic_signing=True))
    r, s = utils.decode_dss_signature(der)
    size = _EC_SIZES[curve]
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def _rsa_padding(alg: str, digest: hashes.HashAlgorithm) -> padding.AsymmetricPadding:
    if alg.startswith("PS"):
        return padding.PSS(mgf=padding.MGF1(digest), salt_length=digest.digest_size)
    return padding.PKCS1v15()
