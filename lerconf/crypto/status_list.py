"""Bitstring status lists: encode, decode and read entries (W3C Bitstring Status List v1.0).

The codec is shared by the status checks (``lerconf.checks.status``) and by the reference
implementation's status list service, so both agree on one bit order: index 0 is the
left-most bit, i.e. the most significant bit of the first byte (BSL §2.2).

Two list formats are read:

* ``BitstringStatusListEntry`` / ``BitstringStatusListCredential`` (W3C REC, VCDM 2.0):
  ``encodedList`` is multibase base64url-no-pad (``u`` prefix) of the GZIP-compressed bitstring.
* ``StatusList2021Entry`` / ``StatusList2021Credential`` (CCG draft, VCDM 1.1): the same
  bitstring as plain base64url (no multibase prefix).

Decoding never trusts the compressed size: a decompression bomb is stopped at
``MAX_DECOMPRESSED_BYTES`` and reported, not expanded.
"""
from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from lerconf.crypto.encoding import b64url_decode, b64url_encode

__all__ = [
    "FORMATS",
    "MAX_DECOMPRESSED_BYTES",
    "MIN_LIST_ENTRIES",
    "EncodedListError",
    "StatusListFormat",
    "build_status_list_credential",
    "decode_encoded_list",
    "encode_status_list",
    "read_status",
    "set_status",
]

#: Minimum number of entries a verifier accepts (BSL §3.2 step 10: herd privacy).
MIN_LIST_ENTRIES = 131_072
#: Ceiling on the expanded bitstring; 16 MiB = 134 million one-bit entries.
MAX_DECOMPRESSED_BYTES = 16 * 1024 * 1024

STATUS_LIST_CONTEXT_2021 = "https://w3id.org/vc/status-list/2021/v1"
VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
VC_V1_CONTEXT = "https://www.w3.org/2018/credentials/v1"


@dataclass(frozen=True)
class StatusListFormat:
    """The type names and encoding rules of one status list format."""

    entry_type: str
    credential_type: str
    subject_type: str
    multibase: bool  # True: encodedList MUST carry the multibase 'u' prefix


BITSTRING = StatusListFormat(
    "BitstringStatusListEntry", "BitstringStatusListCredential", "BitstringStatusList", True
)
STATUS_LIST_2021 = StatusListFormat("StatusList2021Entry", "StatusList2021Credential", "StatusList2021", False)

#: entry type -> format
FORMATS: dict[str, StatusListFormat] = {f.entry_type: f for f in (BITSTRING, STATUS_LIST_2021)}


class EncodedListError(ValueError):
    """``encodedList`` cannot be turned into a bitstring (a vendor defect, reported by checks).

    ``reason`` is one of ``encoding``, ``gzip`` or ``too_large``.
    """

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def _gzip_bytes(data: bytes) -> bytes:
    # mtime=0 keeps the output deterministic, so republished lists diff cleanly.
    return gzip.compress(data, compresslevel=9, mtime=0)


def encode_status_list(
    statuses: Iterable[int] | Mapping[int, int] = (),
    *,
    length: int = MIN_LIST_ENTRIES,
    status_size: int = 1,
    multibase: bool = True,
) -> str:
    """Build an ``encodedList`` with the given entries set.

    ``statuses`` is either indexes whose status becomes 1, or a mapping index -> status value
    (for ``statusSize`` > 1). ``length`` counts entries, not bits. ``multibase=False`` gives
    the StatusList2021 encoding (plain base64url).
    """
    if status_size < 1 or length < 1:
        raise ValueError("length and status_size must be positive")
    values: Mapping[int, int] = statuses if isinstance(statuses, Mapping) else {i: 1 for i in statuses}
    bits = bytearray((length * status_size + 7) // 8)
    for index, value in values.items():
        if not 0 <= index < length:
            raise ValueError(f"index {index} is outside a list of {length} entries")
        set_status(bits, index, value, status_size)
    encoded = b64url_encode(_gzip_bytes(bytes(bits)))
    return "u" + encoded if multibase else encoded


def set_status(bits: bytearray, index: int, value: int, status_size: int = 1) -> None:
    """Write ``value`` into entry ``index`` in place, most significant bit first."""
    if not 0 <= value < (1 << status_size):
        raise ValueError(f"status {value} does not fit in {status_size} bit(s)")
    start = index * status_size
    for offset in range(status_size):
        bit = start + offset
        byte, mask = bit // 8, 0x80 >> (bit % 8)
        if value >> (status_size - 1 - offset) & 1:
            bits[byte] |= mask
        else:
            bits[byte] &= ~mask & 0xFF


def read_status(bitstring: bytes, index: int, status_size: int = 1) -> int:
    """Read entry ``index`` (left-most bit = index 0). IndexError when outside the bitstring."""
    start = index * status_size
    if index < 0 or start + status_size > len(bitstring) * 8:
        raise IndexError(f"entry {index} (bits {start}..{start + status_size - 1}) is outside the bitstring")
    value = 0
    for bit in range(start, start + status_size):
        value = (value << 1) | (bitstring[bit // 8] >> (7 - bit % 8) & 1)
    return value


def decode_encoded_list(
    encoded: str, *, multibase: bool = True, max_bytes: int = MAX_DECOMPRESSED_BYTES
) -> bytes:
    """Decode and gunzip an ``encodedList`` without ever expanding more than ``max_bytes``.

    With ``multibase=True`` the ``u`` prefix is required (BitstringStatusList). With
    ``multibase=False`` (StatusList2021) plain base64url is expected; a ``u`` prefix or
    base64 padding, both seen in the wild, are tolerated.
    """
    if not isinstance(encoded, str) or not encoded:
        raise EncodedListError("encodedList is not a non-empty string", "encoding")
    if multibase:
        if encoded[0] != "u":
            hint = " (it looks like plain base64url, the StatusList2021 encoding)" if encoded.startswith("H4sI") else ""
            raise EncodedListError(
                f"encodedList does not start with the multibase base64url prefix 'u'{hint}", "encoding"
            )
        body = encoded[1:]
    else:
        body = encoded[1:] if encoded.startswith("uH4sI") else encoded
        body = body.rstrip("=")
    try:
        compressed = b64url_decode(body)
    except ValueError as exc:
        raise EncodedListError(f"encodedList is not base64url without padding: {exc}", "encoding") from None
    return _gunzip_capped(compressed, max_bytes)


def _gunzip_capped(compressed: bytes, max_bytes: int) -> bytes:
    """GZIP-decompress (RFC 1952) at most ``max_bytes``; stop and report anything bigger."""
    if compressed[:2] != b"\x1f\x8b":
        raise EncodedListError("decoded encodedList is not GZIP data (no 1f 8b magic)", "gzip")
    out = bytearray()
    data = compressed
    while data:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out += inflater.decompress(data, max_bytes + 1 - len(out))
        except zlib.error as exc:
            raise EncodedListError(f"encodedList is not valid GZIP: {exc}", "gzip") from None
        if len(out) > max_bytes or (inflater.unconsumed_tail and not inflater.eof):
            raise EncodedListError(
                f"encodedList expands beyond the {max_bytes // (1024 * 1024)} MiB limit "
                "(decompression stopped; possible decompression bomb)",
                "too_large",
            )
        if not inflater.eof:
            raise EncodedListError("encodedList GZIP stream is truncated", "gzip")
        data = inflater.unused_data  # RFC 1952 allows several members back to back
    return bytes(out)


def build_status_list_credential(
    url: str,
    encoded_list: str,
    purpose: str | list[str],
    *,
    issuer: str | Mapping[str, Any],
    valid_from: str | None = None,
    valid_until: str | None = None,
    kind: StatusListFormat = BITSTRING,
    ttl: int | None = None,
) -> dict[str, Any]:
    """An unsigned status list credential; the caller secures it (a list MUST carry a proof)."""
    if kind is BITSTRING:
        doc: dict[str, Any] = {"@context": [VC_V2_CONTEXT]}
        dates = {"validFrom": valid_from, "validUntil": valid_until}
    else:
        doc = {"@context": [VC_V1_CONTEXT, STATUS_LIST_CONTEXT_2021]}
        dates = {"issuanceDate": valid_from, "expirationDate": valid_until}
    subject: dict[str, Any] = {
        "id": f"{url}#list",
        "type": kind.subject_type,
        "statusPurpose": purpose,
        "encodedList": encoded_list,
    }
    if ttl is not None:
        subject["ttl"] = ttl
    doc.update(
        {
            "id": url,
            "type": ["VerifiableCredential", kind.credential_type],
            "issuer": issuer,
            **{k: v for k, v in dates.items() if v is not None},
            "credentialSubject": subject,
        }
    )
    return doc

