"""The status list codec: bit order, multi-bit values, encodings and the decompression cap."""
from __future__ import annotations

import gzip

import pytest

from lerconf.crypto.encoding import b64url_encode
from lerconf.crypto.status_list import (
    MIN_LIST_ENTRIES,
    STATUS_LIST_2021,
    EncodedListError,
    build_status_list_credential,
    decode_encoded_list,
    encode_status_list,
    read_status,
)


def test_bsl_07_index_zero_is_the_left_most_bit() -> None:
    bits = decode_encoded_list(encode_status_list([0, 9]))
    assert bits[0] == 0x80 and bits[1] == 0x40
    assert read_status(bits, 0) == 1 and read_status(bits, 7) == 0 and read_status(bits, 9) == 1


def test_bsl_07_reads_a_hand_made_bitstring_msb_first() -> None:
    raw = bytes([0b0010_0000]) + bytes(16383)
    encoded = "u" + b64url_encode(gzip.compress(raw))
    bits = decode_encoded_list(encoded)
    assert [read_status(bits, i) for i in range(8)] == [0, 0, 1, 0, 0, 0, 0, 0]


def test_default_list_has_the_minimum_length() -> None:
    assert len(decode_encoded_list(encode_status_list())) * 8 == MIN_LIST_ENTRIES


def test_multi_bit_values_round_trip() -> None:
    values = {0: 3, 1: 1, 5: 2}
    bits = decode_encoded_list(encode_status_list(values, status_size=2))
    assert [read_status(bits, i, 2) for i in range(6)] == [3, 1, 0, 0, 0, 2]


def test_read_status_outside_raises_index_error() -> None:
    with pytest.raises(IndexError):
        read_status(bytes(2), 16)


def test_encode_rejects_values_that_do_not_fit() -> None:
    with pytest.raises(ValueError):
        encode_status_list({0: 4}, status_size=2)
    with pytest.raises(ValueError):
        encode_status_list([MIN_LIST_ENTRIES])


def test_bsl_05_bitstring_requires_multibase_prefix() -> None:
    plain = encode_status_list([1], multibase=False)
    with pytest.raises(EncodedListError, match="prefix 'u'") as info:
        decode_encoded_list(plain)
    assert info.value.reason == "encoding"


def test_status_list_2021_accepts_plain_and_padded_base64url() -> None:
    plain = encode_status_list([3], multibase=False)
    assert read_status(decode_encoded_list(plain, multibase=False), 3) == 1
    padded = plain + "=" * (-len(plain) % 4)
    assert read_status(decode_encoded_list(padded, multibase=False), 3) == 1


def test_not_gzip_is_reported() -> None:
    with pytest.raises(EncodedListError) as info:
        decode_encoded_list("u" + b64url_encode(b"plain bytes"))
    assert info.value.reason == "gzip"


def test_truncated_gzip_is_reported() -> None:
    data = gzip.compress(bytes(16384))[:-12]
    with pytest.raises(EncodedListError) as info:
        decode_encoded_list("u" + b64url_encode(data))
    assert info.value.reason == "gzip"


def test_gzip_bomb_is_stopped_at_the_cap() -> None:
    bomb = "u" + b64url_encode(gzip.compress(bytes(4 * 1024 * 1024)))
    with pytest.raises(EncodedListError, match="limit") as info:
        decode_encoded_list(bomb, max_bytes=1024 * 1024)
    assert info.value.reason == "too_large"


def test_multi_member_gzip_is_expanded() -> None:
    data = gzip.compress(b"\x80" + bytes(9)) + gzip.compress(bytes(10))
    bits = decode_encoded_list("u" + b64url_encode(data))
    assert len(bits) == 20 and read_status(bits, 0) == 1


def test_build_status_list_credential_shapes() -> None:
    v2 = build_status_list_credential("https://x.test/s/1", "uH4sI", "revocation", issuer="did:example:1",
                                      valid_from="2024-01-01T00:00:00Z")
    assert v2["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert v2["credentialSubject"]["type"] == "BitstringStatusList" and v2["validFrom"]
    old = build_status_list_credential("https://x.test/s/2", "H4sI", "revocation", issuer="did:example:1",
                                       valid_from="2024-01-01T00:00:00Z", kind=STATUS_LIST_2021)
    assert old["credentialSubject"]["type"] == "StatusList2021" and old["issuanceDate"]
