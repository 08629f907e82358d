"""Public and private keys: Multikey and JWK encodings, signing and verifying.

Supported: Ed25519 (multicodec 0xed), P-256 (0x1200), P-384 (0x1201), BLS12-381 G2 (0xeb, the
bbs-2023 key: its public key is the 96-byte compressed point, its secret the scalar; BBS signs
through lerconf.crypto.bbs, not ``sign``), and RSA / secp256k1 through JWK only. Signatures are
raw: Ed25519 64 bytes, ECDSA IEEE P1363 (r||s).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa, utils
from nacl import bindings as sodium
from nacl.exceptions import BadSignatureError

from lerconf.crypto.encoding import (
    b64url_decode,
    b64url_encode,
    multibase_decode,
    multibase_encode,
    varint_decode,
    varint_encode,
)

ED25519_PUB = 0xED
ED25519_PRIV = 0x1300
P256_PUB = 0x1200
P384_PUB = 0x1201
P256_PRIV = 0x1306
P384_PRIV = 0x1307
BLS12381_G2_PUB = 0xEB
BLS12381_G2_PRIV = 0x130A
#: the curve name lerconf gives a bbs-2023 key
BLS_G2 = "BLS12-381-G2"

_CURVES = {"P-256": ec.SECP256R1(), "P-384": ec.SECP384R1(), "secp256k1": ec.SECP256K1()}
_CURVE_SIZE = {"P-256": 32, "P-384": 48, "secp256k1": 32}
_PUB_CODEC = {"Ed25519": ED25519_PUB, "P-256": P256_PUB, "P-384": P384_PUB, BLS_G2: BLS12381_G2_PUB}
_CODEC_PUB = {v: k for k, v in _PUB_CODEC.items()}
_PRIV_CODEC = {"Ed25519": ED25519_PRIV, "P-256": P256_PRIV, "P-384": P384_PRIV, BLS_G2: BLS12381_G2_PRIV}
_CODEC_PRIV = {v: k for k, v in _PRIV_CODEC.items()}


class KeyDecodeError(ValueError):
    """A key could not be decoded (wrong header, length or encoding)."""


def _sodium_accepts(key: ed25519.Ed25519PublicKey, signature: bytes, data: bytes) -> bool:
    """libsodium's Ed25519 verification, about twice as fast as OpenSSL's here (issue 19). It is
    stricter, never looser (it also refuses small-order keys and non-canonical encodings, which
    OpenSSL accepts), so its "valid" is OpenSSL's too; anything it refuses goes to OpenSSL, whose
    answer stays the verdict, as before."""
    if len(signature) != 64 or not isinstance(key, ed25519.Ed25519PublicKey):
        return False
    try:
        sodium.crypto_sign_open(signature + data, key.public_bytes_raw())
    except (BadSignatureError, ValueError, TypeError):
        return False
    return True


@dataclass(frozen=True)
class PublicKey:
    """A public key with its curve name ('Ed25519', 'P-256', 'P-384', 'RSA', 'secp256k1')."""

    curve: str
    key: Any

    def verify(self, signature: bytes, data: bytes, hash_name: str | None = None) -> bool:
        """Verify a raw signature; returns False instead of raising on a bad signature (and for a
        BLS key, whose BBS signatures are over messages and are verified by lerconf.crypto.bbs)."""
        if self.curve == BLS_G2:
            return False
        try:
            if self.curve == "Ed25519":
                if _sodium_accepts(self.key, signature, data):
                    return True
                self.key.verify(signature, data)
            elif self.curve == "RSA":
                self.key.verify(signature, data, padding.PKCS1v15(), _hash(hash_name or "sha256"))
            else:
                size = _CURVE_SIZE[self.curve]
                if len(signature) != 2 * size:
                    return False
                r = int.from_bytes(signature[:size], "big")
                s = int.from_bytes(signature[size:], "big")
                der = utils.encode_dss_signature(r, s)
                self.key.verify(der, data, ec.ECDSA(_hash(hash_name or default_hash(self.curve))))
            return True
        except InvalidSignature:
            return False

    def to_multikey(self) -> str:
        if self.curve == "Ed25519":
            raw = self.key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        elif self.curve in ("P-256", "P-384"):
            raw = self.key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)
        elif self.curve == BLS_G2:
            raw = bytes(self.key)
        else:
            raise KeyDecodeError(f"{self.curve} keys have no Multikey encoding here")
        return multibase_encode(varint_encode(_PUB_CODEC[self.curve]) + raw)

    def to_jwk(self) -> dict[str, str]:
        if self.curve == "Ed25519":
            raw = self.key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            return {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(raw)}
        if self.curve == BLS_G2:
            raise KeyDecodeError("BLS12-381 keys have no JWK encoding here")
        if self.curve == "RSA":
            nums = self.key.public_numbers()
            return {"kty": "RSA", "n": b64url_encode(_int_bytes(nums.n)), "e": b64url_encode(_int_bytes(nums.e))}
        nums = self.key.public_numbers()
        size = _CURVE_SIZE[self.curve]
        return {
            "kty": "EC",
            "crv": self.curve,
            "x": b64url_encode(nums.x.to_bytes(size, "big")),
            "y": b64url_encode(nums.y.to_bytes(size, "big")),
        }


@dataclass(frozen=True)
class PrivateKey:
    curve: str
    key: Any

    @property
    def public(self) -> PublicKey:
        if self.curve == BLS_G2:
            from lerconf.crypto.bbs.signature import public_key

            return PublicKey(self.curve, public_key(int(self.key)))
        return PublicKey(self.curve, self.key.public_key())

    def sign(self, data: bytes, hash_name: str | None = None) -> bytes:
        if self.curve == BLS_G2:
            raise KeyDecodeError("a BLS12-381 key signs BBS messages (lerconf.crypto.bbs.signature.sign), not bytes")
        if self.curve == "Ed25519":
            return self.key.sign(data)  # type: ignore[no-any-return]
        if self.curve == "RSA":
            return self.key.sign(data, padding.PKCS1v15(), _hash(hash_name or "sha256"))  # type: ignore[no-any-return]
        der = self.key.sign(data, ec.ECDSA(_hash(hash_name or default_hash(self.curve)), deterministic_signing=True))
        r, s = utils.decode_dss_signature(der)
        size = _CURVE_SIZE[self.curve]
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")

    def to_multikey(self) -> str:
        if self.curve == "Ed25519":
            raw = self.key.private_bytes(
                serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
            )
        elif self.curve == BLS_G2:
            raw = int(self.key).to_bytes(32, "big")
        else:
            raw = self.key.private_numbers().private_value.to_bytes(_CURVE_SIZE[self.curve], "big")
        return multibase_encode(varint_encode(_PRIV_CODEC[self.curve]) + raw)

    def to_jwk(self) -> dict[str, str]:
        jwk = self.public.to_jwk()
        if self.curve == "Ed25519":
            raw = self.key.private_bytes(
                serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
            )
            jwk["d"] = b64url_encode(raw)
        elif self.curve == "RSA":
            raise KeyDecodeError("RSA private JWK export is not needed")
        else:
            jwk["d"] = b64url_encode(self.key.private_numbers().private_value.to_bytes(_CURVE_SIZE[self.curve], "big"))
        return jwk

    def __repr__(self) -> str:  # never print key material
        return f"PrivateKey({self.curve}, <redacted>)"


def default_hash(curve: str) -> str:
    return "sha384" if curve == "P-384" else "sha256"


def _hash(name: str) -> hashes.HashAlgorithm:
    return {"sha256": hashes.SHA256(), "sha384": hashes.SHA384(), "sha512": hashes.SHA512()}[name]


def _int_bytes(n: int) -> bytes:
    return n.to_bytes((n.bit_length() + 7) // 8 or 1, "big")


def decode_multikey(value: str) -> PublicKey:
    """Decode a publicKeyMultibase value (base58btc, multicodec header) into a PublicKey."""
    if not isinstance(value, str) or not value.startswith("z"):
        raise KeyDecodeError("publicKeyMultibase must be base58btc (start with 'z')")
    try:
        data = multibase_decode(value)
        codec, used = varint_decode(data)
    except ValueError as exc:
        raise KeyDecodeError(f"publicKeyMultibase does not decode: {exc}") from None
    raw = data[used:]
    curve = _CODEC_PUB.get(codec)
    if curve is None:
        raise KeyDecodeError(f"unsupported multicodec header 0x{codec:x}")
    return public_key_from_raw(curve, raw)


def decode_private_multikey(value: str) -> PrivateKey:
    data = multibase_decode(value)
    codec, used = varint_decode(data)
    raw = data[used:]
    curve = _CODEC_PRIV.get(codec)
    if curve is None:
        raise KeyDecodeError(f"unsupported private-key multicodec header 0x{codec:x}")
    if curve == "Ed25519":
        return PrivateKey(curve, ed25519.Ed25519PrivateKey.from_private_bytes(raw[:32]))
    if curve == BLS_G2:
        return _bls_private(int.from_bytes(raw, "big"))
    return PrivateKey(curve, ec.derive_private_key(int.from_bytes(raw, "big"), _CURVES[curve]))


def _bls_private(secret: int) -> PrivateKey:
    from lerconf.crypto.bbs.curve import R

    if not 0 < secret < R:
        raise KeyDecodeError("a BLS12-381 secret key is a non-zero scalar below the group order")
    return PrivateKey(BLS_G2, secret)


def public_key_from_raw(curve: str, raw: bytes) -> PublicKey:
    try:
        if curve == "Ed25519":
            if len(raw) != 32:
                raise KeyDecodeError(f"Ed25519 public key must be 32 bytes, got {len(raw)}")
            return PublicKey(curve, ed25519.Ed25519PublicKey.from_public_bytes(raw))
        if curve == BLS_G2:
            from lerconf.crypto.bbs.curve import g2_from_bytes

            g2_from_bytes(raw)  # on the curve, in the subgroup, not the identity (raises ValueError)
            return PublicKey(curve, bytes(raw))
        expected = _CURVE_SIZE[curve] + 1
        if len(raw) != expected:
            raise KeyDecodeError(f"{curve} compressed public key must be {expected} bytes, got {len(raw)}")
        return PublicKey(curve, ec.EllipticCurvePublicKey.from_encoded_point(_CURVES[curve], raw))
    except KeyDecodeError:
        raise
    except ValueError as exc:
        raise KeyDecodeError(f"invalid {curve} public key: {exc}") from None


def public_key_from_jwk(jwk: Mapping[str, Any]) -> PublicKey:
    """Decode a public JWK; a JWK that carries private material ('d') is refused."""
    if not isinstance(jwk, Mapping):
        raise KeyDecodeError("publicKeyJwk must be an object")
    if "d" in jwk:
        raise KeyDecodeError("publicKeyJwk contains private key material ('d')")
    kty = jwk.get("kty")
    try:
        if kty == "OKP" and jwk.get("crv") == "Ed25519":
            return public_key_from_raw("Ed25519", b64url_decode(jwk["x"]))
        if kty == "EC" and jwk.get("crv") in _CURVES:
            crv = jwk["crv"]
            x = int.from_bytes(b64url_decode(jwk["x"]), "big")
            y = int.from_bytes(b64url_decode(jwk["y"]), "big")
            return PublicKey(crv, ec.EllipticCurvePublicNumbers(x, y, _CURVES[crv]).public_key())
        if kty == "RSA":
            n = int.from_bytes(b64url_decode(jwk["n"]), "big")
            e = int.from_bytes(b64url_decode(jwk["e"]), "big")
            return PublicKey("RSA", rsa.RSAPublicNumbers(e, n).public_key())
    except (KeyError, ValueError) as exc:
        raise KeyDecodeError(f"invalid {kty} JWK: {exc}") from None
    raise KeyDecodeError(f"unsupported JWK kty={kty!r} crv={jwk.get('crv')!r}")


def private_key_from_seed(curve: str, seed: bytes) -> PrivateKey:
    """Deterministic key for tests and vectors: the seed is the raw private scalar/bytes."""
    if curve == "Ed25519":
        return PrivateKey(curve, ed25519.Ed25519PrivateKey.from_private_bytes(seed[:32]))
    if curve == BLS_G2:
        from lerconf.crypto.bbs.curve import R

        return _bls_private(int.from_bytes(seed[:48], "big") % (R - 1) + 1)
    order_bytes = _CURVE_SIZE[curve]
    scalar = int.from_bytes(seed[:order_bytes], "big") or 1
    return PrivateKey(curve, ec.derive_private_key(scalar, _CURVES[curve]))


def generate(curve: str) -> PrivateKey:
    """A fresh key; in a recorded or replayed scenario its seed is drawn through the tape
    (lerconf.entropy), so a replayed holder signs with the key the recording used."""
    if curve in _CURVE_SIZE or curve in ("Ed25519", BLS_G2):
        from lerconf import entropy

        if entropy.active() is not None:
            size = 48 if curve == BLS_G2 else _CURVE_SIZE.get(curve, 32)
            return private_key_from_seed(curve, bytes.fromhex(entropy.token_hex(size)))
    if curve == BLS_G2:
        import secrets

        return private_key_from_seed(curve, secrets.token_bytes(48))
    if curve == "Ed25519":
        return PrivateKey(curve, ed25519.Ed25519PrivateKey.generate())
    if curve == "RSA":
        return PrivateKey(curve, rsa.generate_private_key(65537, 2048))
    return PrivateKey(curve, ec.generate_private_key(_CURVES[curve]))
