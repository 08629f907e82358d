"""Hashing for the BBS ciphersuites over BLS12-381 (RFC 9380): expand_message_xmd (SHA-256) and
expand_message_xof (SHAKE-256), hash_to_curve onto G1 built on the library's map_to_curve, and the
draft's hash_to_scalar. bbs-2023 signs with the SHA-256 suite; the SHAKE-256 suite is kept and
tested against the CFRG draft's vectors."""
from __future__ import annotations

import hashlib
from collections.abc import Callable

from lerconf.crypto.bbs.curve import G1Point, P, R, map_to_g1

__all__ = ["EXPAND_LEN", "Expander", "expand_message_xmd", "expand_message_xof", "hash_to_curve_g1", "hash_to_scalar"]

#: bytes drawn per scalar: ceil((ceil(log2(r)) + k) / 8) with k = 128
EXPAND_LEN = 48
_FIELD_LEN = 64  # L for a BLS12-381 base-field element, k = 128

Expander = Callable[[bytes, bytes, int], bytes]


def expand_message_xof(msg: bytes, dst: bytes, length: int) -> bytes:
    """RFC 9380 §5.3.2 with SHAKE-256: SHAKE256(msg || I2OSP(len, 2) || DST || I2OSP(len(DST), 1))."""
    if length > 0xFFFF:
        raise ValueError("expand_message_xof: requested length too large")
    if len(dst) > 255:  # §5.3.3 oversize DST
        dst = hashlib.shake_256(b"H2C-OVERSIZE-DST-" + dst).digest(64)
    return hashlib.shake_256(msg + length.to_bytes(2, "big") + dst + len(dst).to_bytes(1, "big")).digest(length)


def expand_message_xmd(msg: bytes, dst: bytes, length: int) -> bytes:
    """RFC 9380 §5.3.1 with SHA-256 (b_in_bytes 64, b_in_bytes 32)."""
    blocks = -(-length // 32)
    if blocks > 255 or length > 0xFFFF:
        raise ValueError("expand_message_xmd: requested length too large")
    if len(dst) > 255:
        dst = hashlib.sha256(b"H2C-OVERSIZE-DST-" + dst).digest()
    dst_prime = dst + len(dst).to_bytes(1, "big")
    b0 = hashlib.sha256(bytes(64) + msg + length.to_bytes(2, "big") + b"\x00" + dst_prime).digest()
    out = [hashlib.sha256(b0 + b"\x01" + dst_prime).digest()]
    for i in range(2, blocks + 1):
        mixed = bytes(x ^ y for x, y in zip(b0, out[-1], strict=True))
        out.append(hashlib.sha256(mixed + i.to_bytes(1, "big") + dst_prime).digest())
    return b"".join(out)[:length]


def hash_to_curve_g1(expand: Expander, msg: bytes, dst: bytes) -> G1Point:
    """RFC 9380 hash_to_curve (random oracle) onto G1: two field elements from ``expand``, each
    mapped (and cofactor-cleared: clearing is a homomorphism, so the sum is the same) and added."""
    uniform = expand(msg, dst, 2 * _FIELD_LEN)
    u0 = int.from_bytes(uniform[:_FIELD_LEN], "big") % P
    u1 = int.from_bytes(uniform[_FIELD_LEN:], "big") % P
    return map_to_g1(u0) + map_to_g1(u1)


def hash_to_scalar(expand: Expander, msg: bytes, dst: bytes) -> int:
    """The draft's hash_to_scalar: 48 expanded bytes, read big-endian, mod r."""
    return int.from_bytes(expand(msg, dst, EXPAND_LEN), "big") % R
