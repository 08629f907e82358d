"""Hostile payloads, built cheaply at test time (a bomb is never decoded here).

A decompression bomb is assembled from one full-flushed deflate block of zeros repeated: after a
full flush the compressor's output for the same input is identical, so gigabytes of decoded
size cost one megabyte-sized compression and a byte string repetition.
"""
from __future__ import annotations

import base64
import functools
import json
import struct
import zlib

MB = 1024 * 1024
BOMB_DECODED_MB = 2048  # 2 GB decoded


@functools.cache
def _blocks(fill: int = 0) -> tuple[bytes, bytes, bytes]:
    """(first, repeated, final) raw deflate pieces for 1 MB of the byte ``fill`` each."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = bytes([fill]) * MB
    first = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    repeated = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    final = c.flush(zlib.Z_FINISH)
    return first, repeated, final


def adler32_of_run(fill: int, length: int) -> int:
    """Adler-32 of ``length`` bytes all equal to ``fill``, worked out instead of summed: after k bytes
    a = 1 + k*fill and b is the sum of those a's (a 2 GB bomb's checksum took most of a second)."""
    a = (1 + length * fill) % 65521
    b = (length + fill * (length * (length + 1) // 2)) % 65521
    return (b << 16) | a


def _affine_compose(outer: tuple[list[int], int], inner: tuple[list[int], int]) -> tuple[list[int], int]:
    """outer(inner(x)) for maps x -> M x ^ k over 32-bit vectors (M as its 32 columns)."""
    def apply(m: list[int], x: int) -> int:
        out = 0
        for bit in range(32):
            if x >> bit & 1:
                out ^= m[bit]
        return out

    (mo, ko), (mi, ki) = outer, inner
    return [apply(mo, column) for column in mi], apply(mo, ki) ^ ko


def crc32_of_zeros(megabytes: int) -> int:
    """CRC-32 of ``megabytes`` MB of zeros, by squaring: CRC-32 over a fixed run of bytes is an affine map
    of the starting value (read off one megabyte's map from 33 CRCs of it), and the map of twice the run
    is that map applied twice (a 2 GB bomb's checksum took half a second)."""
    zeros = bytes(MB)
    constant = zlib.crc32(zeros, 0)
    one_mb = ([zlib.crc32(zeros, 1 << bit) ^ constant for bit in range(32)], constant)
    result: tuple[list[int], int] = ([1 << bit for bit in range(32)], 0)  # the identity
    power, n = one_mb, megabytes
    while n:
        if n & 1:
            result = _affine_compose(power, result)
        power = _affine_compose(power, power)
        n >>= 1
    return result[1]


def _raw_deflate(megabytes: int, fill: int = 0) -> bytes:
    first, repeated, final = _blocks(fill)
    return first + repeated * (megabytes - 1) + final


@functools.cache
def zlib_bomb(megabytes: int, fill: int = 0) -> bytes:
    """A valid zlib stream of ``megabytes`` MB of the byte ``fill``."""
    return b"\x78\xda" + _raw_deflate(megabytes, fill) + struct.pack(">I", adler32_of_run(fill, megabytes * MB))


@functools.cache
def gzip_bomb(megabytes: int = BOMB_DECODED_MB) -> bytes:
    """A valid gzip stream of ``megabytes`` MB of zeros (about 1/1000 of that on the wire)."""
    crc = crc32_of_zeros(megabytes)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return header + _raw_deflate(megabytes) + struct.pack("<II", crc, (megabytes * MB) & 0xFFFFFFFF)


@functools.cache
def deflate_bomb(megabytes: int = BOMB_DECODED_MB) -> bytes:
    """A valid zlib ("deflate" Content-Encoding) stream of ``megabytes`` MB of zeros."""
    return zlib_bomb(megabytes)


def deep_json(levels: int = 100_000) -> bytes:
    return b"[" * levels + b"]" * levels


def huge_number_json(digits: int = 10_000) -> bytes:
    return b'{"verified": true, "verifiableCredential": {"n": ' + b"9" * digits + b"}}"


DUPLICATE_KEYS = b'{"verified": false, "verified": true, "verifiableCredential": {"id": "a", "id": "b"}}'
INVALID_JSON = b'{"verified": true, "verifiableCredential": {"id": '
HTML_ERROR = (b"<!doctype html><html><head><title>502 Bad Gateway</title></head>"
              b"<body><h1>Something went wrong</h1></body></html>")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def jwt(header: dict[str, object], payload: dict[str, object], signature: bytes = b"") -> str:
    return ".".join((b64url(json.dumps(header).encode()), b64url(json.dumps(payload).encode()), b64url(signature)))
