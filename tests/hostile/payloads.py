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
def _zero_block() -> tuple[bytes, bytes, bytes]:
    """(first, repeated, final) raw deflate pieces for 1 MB of zeros each."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    zeros = bytes(MB)
    first = c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)
    repeated = c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)
    final = c.flush(zlib.Z_FINISH)
    return first, repeated, final


@functools.cache
def _zero_checks(megabytes: int) -> tuple[int, int]:
    crc, adler, zeros = 0, 1, bytes(MB)
    for _ in range(megabytes):
        crc = zlib.crc32(zeros, crc)
        adler = zlib.adler32(zeros, adler)
    return crc, adler


def _raw_deflate(megabytes: int) -> bytes:
    first, repeated, final = _zero_block()
    return first + repeated * (megabytes - 1) + final


@functools.cache
def gzip_bomb(megabytes: int = BOMB_DECODED_MB) -> bytes:
    """A valid gzip stream of ``megabytes`` MB of zeros (about 1/1000 of that on the wire)."""
    crc, _ = _zero_checks(megabytes)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return header + _raw_deflate(megabytes) + struct.pack("<II", crc, (megabytes * MB) & 0xFFFFFFFF)


@functools.cache
def deflate_bomb(megabytes: int = BOMB_DECODED_MB) -> bytes:
    """A valid zlib ("deflate" Content-Encoding) stream of ``megabytes`` MB of zeros."""
    _, adler = _zero_checks(megabytes)
    return b"\x78\xda" + _raw_deflate(megabytes) + struct.pack(">I", adler)


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
