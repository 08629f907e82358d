"""Hostile images for `lerconf verify`: baked-badge look-alikes built to cost time, memory or a fetch.

Each builder returns the file's bytes and is named after what it tries: a decompression bomb in a
credential chunk and in the pixel data, dimensions no reader should allocate for, XML entity
expansion, external entities, parameter entities and an external DTD naming the canary (a loopback
URL), an ``<image>`` and an XInclude pointing at it, and a file far above lerconf's input limit.
The canary URL is always loopback (``HostileServer(canary=True)``): nothing here names another address.
"""
from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from pathlib import Path

from hostile.payloads import MB, zlib_bomb

__all__ = ["HOSTILE_IMAGES", "HUGE_FILE_BYTES", "write_huge_file"]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: a file this large is never read (lerconf refuses inputs above 20 MB)
HUGE_FILE_BYTES = 100 * 1024 * 1024
#: what a bomb inflates to; compressed it is about 0.1 % of that
BOMB_BYTES = 256 * 1024 * 1024
_SVG_HEAD = '<?xml version="1.0"?>'
_SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">'


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def _png(width: int, height: int, *chunks: bytes) -> bytes:
    header = _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
    return PNG_SIGNATURE + header + b"".join(chunks) + _chunk(b"IEND", b"")


def _bomb(fill: bytes = b"\0") -> bytes:
    """BOMB_BYTES of ``fill`` as a zlib stream (one deflated megabyte repeated: hostile.payloads)."""
    return zlib_bomb(BOMB_BYTES // MB, fill[0])


def png_credential_bomb(canary: str) -> bytes:
    """A compressed ``openbadgecredential`` iTXt chunk inflating to 256 MB of ``{``."""
    return _png(1, 1, _chunk(b"iTXt", b"openbadgecredential\0\x01\0\0\0" + _bomb(b"{")))


def png_ztxt_bomb(canary: str) -> bytes:
    """The same bomb as a zTXt chunk under Open Badges 2.0's keyword (read, leniently, by lerconf)."""
    return _png(1, 1, _chunk(b"zTXt", b"openbadges\0\0" + _bomb(b"{")))


def png_huge_dimensions(canary: str) -> bytes:
    """2^31-1 × 2^31-1 pixels whose IDAT is a 256 MB bomb: a reader that decodes pixels allocates for ever."""
    return _png(0x7FFFFFFF, 0x7FFFFFFF, _chunk(b"IDAT", _bomb()))


def png_many_chunks(canary: str) -> bytes:
    """200,000 empty text chunks: a walker that reads them all spends its time there."""
    return _png(1, 1, _chunk(b"tEXt", b"Comment\0x") * 200_000)


def svg_billion_laughs(canary: str) -> bytes:
    """Ten levels of ten references: 10^10 'lol's once expanded."""
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    return (f'{_SVG_HEAD}<!DOCTYPE svg [{"".join(entities)}]>{_SVG_OPEN}'
            "<openbadges:credential>&lol9;</openbadges:credential></svg>").encode()


def svg_external_entity(canary: str) -> bytes:
    """An external entity whose system id is the canary: expanding it is a fetch (XXE)."""
    return (f'{_SVG_HEAD}<!DOCTYPE svg [<!ENTITY xxe SYSTEM "{canary}/xxe">]>{_SVG_OPEN}'
            "<openbadges:credential>&xxe;</openbadges:credential></svg>").encode()


def svg_parameter_entity(canary: str) -> bytes:
    """A parameter entity pulling a DTD from the canary."""
    return (f'{_SVG_HEAD}<!DOCTYPE svg [<!ENTITY % dtd SYSTEM "{canary}/param.dtd"> %dtd;]>{_SVG_OPEN}'
            "<openbadges:credential>{}</openbadges:credential></svg>").encode()


def svg_external_dtd(canary: str) -> bytes:
    """An external DTD subset on the canary, and an entity only that DTD would define."""
    return (f'{_SVG_HEAD}<!DOCTYPE svg SYSTEM "{canary}/external.dtd">{_SVG_OPEN}'
            "<openbadges:credential>&defined_elsewhere;</openbadges:credential></svg>").encode()


def svg_links(canary: str) -> bytes:
    """An XInclude and an <image> naming the canary around a credential that is not JSON."""
    return (f'{_SVG_HEAD}<svg xmlns="http://www.w3.org/2000/svg" xmlns:xi="http://www.w3.org/2001/XInclude" '
            'xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">'
            f'<xi:include href="{canary}/xinclude.xml" parse="text"/><image xlink:href="{canary}/image.png"/>'
            f'<openbadges:credential verify="not.a.jws"/></svg>').encode()


#: name -> builder(canary URL) of each hostile image
HOSTILE_IMAGES: dict[str, Callable[[str], bytes]] = {
    "credential-bomb.png": png_credential_bomb,
    "ztxt-bomb.png": png_ztxt_bomb,
    "huge-dimensions.png": png_huge_dimensions,
    "many-chunks.png": png_many_chunks,
    "billion-laughs.svg": svg_billion_laughs,
    "external-entity.svg": svg_external_entity,
    "parameter-entity.svg": svg_parameter_entity,
    "external-dtd.svg": svg_external_dtd,
    "links.svg": svg_links,
}


def write_huge_file(path: Path) -> Path:
    """A 100 MB PNG (a valid header, then a chunk of zeros): sparse on disk, huge to whoever reads it."""
    head = _png(1, 1)[:-12] + struct.pack(">I", HUGE_FILE_BYTES) + b"tEXt"
    with path.open("wb") as out:
        out.write(head)
        out.truncate(HUGE_FILE_BYTES)
    return path
