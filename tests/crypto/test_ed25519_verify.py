"""Ed25519 verification: libsodium answers "valid" first, OpenSSL decides everything else.

libsodium is stricter than OpenSSL (it refuses small-order keys and non-canonical encodings that
RFC 8032 verifiers such as OpenSSL accept), so a signature libsodium accepts is one OpenSSL accepts;
every other answer is OpenSSL's, as it was before libsodium was added (issue 19: speed).
"""
from __future__ import annotations

import os
import random

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519

from lerconf.crypto import keys
from lerconf.crypto.keys import public_key_from_raw


def _openssl(raw: bytes, signature: bytes, data: bytes) -> bool:
    try:
        ed25519.Ed25519PublicKey.from_public_bytes(raw).verify(signature, data)
    except InvalidSignature:
        return False
    return True


def test_valid_and_tampered_signatures_get_openssl_s_answer() -> None:
    rng = random.Random(25519)
    for n in range(300):
        private = ed25519.Ed25519PrivateKey.generate()
        raw = private.public_key().public_bytes_raw()
        data = os.urandom(rng.choice([0, 1, 64, 1000]))
        signature = bytearray(private.sign(data))
        if n % 2:  # flip a bit of R, S or (once in a while) the message
            signature[rng.randrange(64)] ^= 1 << rng.randrange(8)
        key = public_key_from_raw("Ed25519", raw)
        assert key.verify(bytes(signature), data) is _openssl(raw, bytes(signature), data)


def test_what_libsodium_refuses_openssl_still_decides() -> None:
    """The identity point as the key, R the identity and S zero: OpenSSL accepts it (RFC 8032 does not
    refuse small-order keys), libsodium does not. The verdict stays OpenSSL's."""
    identity = bytes([1] + [0] * 31)
    signature, data = identity + bytes(32), b"any message"
    assert not keys._sodium_accepts(ed25519.Ed25519PublicKey.from_public_bytes(identity), signature, data)
    assert public_key_from_raw("Ed25519", identity).verify(signature, data) is _openssl(identity, signature, data) is True


def test_libsodium_answers_a_valid_signature_and_refuses_a_tampered_one() -> None:
    private = ed25519.Ed25519PrivateKey.generate()
    data = b"signed bytes"
    signature = private.sign(data)
    assert keys._sodium_accepts(private.public_key(), signature, data)  # the fast path is taken
    assert not keys._sodium_accepts(private.public_key(), signature, data + b"!")
    assert not keys._sodium_accepts(private.public_key(), signature[:63], data)  # not 64 bytes: OpenSSL says why
