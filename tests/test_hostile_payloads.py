"""The hostile beds' bombs are what they claim: valid streams of the stated size, with the checksums a
strict decoder checks (worked out, not summed: hostile.payloads)."""
from __future__ import annotations

import gzip
import zlib

import pytest
from hostile import payloads
from hostile.images import BOMB_BYTES, _bomb


@pytest.mark.parametrize("fill, length", [(0, 1), (0, 65521 * 3 + 7), (ord("{"), 1_000_003), (255, 5 * 1024 * 1024)])
def test_adler32_of_a_run_is_zlibs(fill: int, length: int) -> None:
    assert payloads.adler32_of_run(fill, length) == zlib.adler32(bytes([fill]) * length)


@pytest.mark.parametrize("megabytes", [1, 2, 3, 5, 8, 13])
def test_crc32_of_zeros_is_zlibs(megabytes: int) -> None:
    assert payloads.crc32_of_zeros(megabytes) == zlib.crc32(bytes(megabytes * payloads.MB))


def test_the_bombs_decode_to_what_they_say() -> None:
    assert gzip.decompress(payloads.gzip_bomb(40)) == bytes(40 * payloads.MB)  # gzip checks CRC-32 and size
    assert zlib.decompress(payloads.deflate_bomb(24)) == bytes(24 * payloads.MB)  # zlib checks Adler-32
    assert zlib.decompress(payloads.zlib_bomb(9, ord("{"))) == b"{" * (9 * payloads.MB)


def test_the_image_bomb_inflates_to_its_stated_size() -> None:
    inflater = zlib.decompressobj()
    inflated = 0
    data = _bomb(b"{")
    while data:
        inflated += len(inflater.decompress(data, 64 * payloads.MB))
        data = inflater.unconsumed_tail
    assert inflater.eof and inflated == BOMB_BYTES
    assert len(_bomb(b"{")) < BOMB_BYTES // 500  # a bomb: a tiny fraction of what it inflates to
