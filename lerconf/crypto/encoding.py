"""Binary encodings used by credentials: base58btc, multibase, base64url, varint multicodec.

Written here because py-multibase drops leading zero bytes in base58btc.
"""
from __future__ import annotations

import base64

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58)}


def b58encode(data: bytes) -> str:
    zeros = len(data) - len(data.lstrip(b"\0"))
    num = int.from_bytes(data, "big")
    out = []
    while num:
        num, rem = divmod(num, 58)
        out.append(_B58[rem])
    return "1" * zeros + "".join(reversed(out))


def b58decode(text: str) -> bytes:
    zeros = len(text) - len(text.lstrip("1"))
    num = 0
    for ch in text:
        try:
            num = num * 58 + _B58_INDEX[ch]
        except KeyError:
            raise ValueError(f"invalid base58btc character {ch!r}") from None
    body = num.to_bytes((num.bit_length() + 7) // 8, "big") if num else b""
    return b"\0" * zeros + body


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    if any(c in text for c in "+/="):
        raise ValueError("not base64url without padding")
    pad = "=" * (-len(text) % 4)
    try:
        return base64.b64decode(text + pad, altchars=b"-_", validate=True)
    except Exception as exc:  # binascii.Error
        raise ValueError(f"invalid base64url: {exc}") from None


def multibase_decode(value: str) -> bytes:
    """Decode base58btc ('z') or base64url-no-pad ('u') multibase strings."""
    if not value:
        raise ValueError("empty multibase value")
    prefix, body = value[0], value[1:]
    if prefix == "z":
        return b58decode(body)
    if prefix == "u":
        return b64url_decode(body)
    raise ValueError(f"unsupported multibase prefix {prefix!r}")


def multibase_encode(data: bytes, base: str = "z") -> str:
    if base == "z":
        return "z" + b58encode(data)
    if base == "u":
        return "u" + b64url_encode(data)
    raise ValueError(f"unsupported multibase prefix {base!r}")


def varint_decode(data: bytes) -> tuple[int, int]:
    """Return (value, bytes consumed) of an unsigned LEB128 varint prefix."""
    value = shift = 0
    for i, byte in enumerate(data[:9]):
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, i + 1
        shift += 7
    raise ValueError("truncated or oversized varint")


def varint_encode(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)
