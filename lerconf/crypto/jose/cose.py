"""COSE_Sign1 (RFC 9052 §4.2) for ``application/vc+cose`` and ``application/vp+cose``.

VC-JOSE-COSE "Securing with COSE": the payload is the JSON credential (or presentation) itself,
secured by a COSE_Sign1 whose protected header carries ``alg`` (1), ``kid`` (4), content type
(3) ``application/vc`` and ``typ`` (16, RFC 9596) ``application/vc+cose``.

The parser turns a COSE_Sign1 into the same ``ParsedJws`` shape the JOSE checks read, with a
JOSE-named header view (``alg`` as ``ES256`` …) and ``signing_input`` set to the Sig_structure.
That way one signature check, with its algorithm-to-key pinning and raw ``r||s`` ECDSA handling,
judges JWS and COSE alike, instead of a second copy that could drift from the first.

Vendor bytes are never trusted: input is size-bounded before decoding, every CBOR error (bad
length, nesting, trailing bytes, wrong types) becomes a ``CoseParseError`` naming what was wrong.
"""
from __future__ import annotations

import base64
import binascii
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import cbor2

from lerconf.crypto.jose.algorithms import default_alg, sign
from lerconf.crypto.jose.compact import MAX_TOKEN_CHARS, ParsedJws
from lerconf.crypto.jose.encodings import document_kind
from lerconf.crypto.keys import PrivateKey

#: Upper bound on a COSE_Sign1 (bytes) and on its base64 text form: the same budget as a JWS.
MAX_COSE_BYTES = MAX_TOKEN_CHARS
COSE_SIGN1_TAG = 18
ALG, CRIT, CONTENT_TYPE, KID, TYP = 1, 2, 3, 4, 16
#: header labels lerconf understands, so a ``crit`` listing only these is acceptable
UNDERSTOOD_LABELS = frozenset({ALG, CRIT, CONTENT_TYPE, KID, TYP})
#: COSE alg -> JOSE name whose crypto lerconf.crypto.jose.algorithms implements (RFC 9053 §2.1, §2.2;
#: RFC 9864 fully-specified ESP256/ESP384/ESP512/Ed25519 map to the same curve-pinned crypto).
COSE_ALGORITHMS: dict[int, str] = {
    -7: "ES256", -35: "ES384", -36: "ES512", -8: "EdDSA",
    -9: "ES256", -51: "ES384", -52: "ES512", -19: "Ed25519",
}
#: HMAC algorithms (RFC 9053 §3.1) are named as their JOSE twins so ``is_forbidden`` refuses them
_COSE_MACS = {4: "HS256", 5: "HS256", 6: "HS384", 7: "HS512"}
JOSE_TO_COSE = {"ES256": -7, "ES384": -35, "ES512": -36, "EdDSA": -8, "Ed25519": -19}
#: media types of typ (16) and content type (3) for each kind (VC-JOSE-COSE §3.3)
COSE_TYPES = {"application/vc+cose": "credential", "application/vp+cose": "presentation"}
CONTENT_TYPES = {"credential": "application/vc", "presentation": "application/vp"}


class CoseParseError(ValueError):
    """The input is not a well-formed COSE_Sign1 carrying a JSON document; the message says why."""


@dataclass(frozen=True)
class ParsedCose:
    """A decoded COSE_Sign1: both header maps as sent, the payload bytes and the signature."""

    protected_bytes: bytes = field(repr=False)
    protected: Mapping[Any, Any]
    unprotected: Mapping[Any, Any]
    payload_bytes: bytes = field(repr=False)
    signature: bytes = field(repr=False)
    document: dict[str, Any] = field(repr=False)
    tagged: bool = True

    def param(self, label: int) -> Any:
        """A header parameter, protected first (RFC 9052 §3: a label is in one bucket only)."""
        return self.protected[label] if label in self.protected else self.unprotected.get(label)

    @property
    def header(self) -> dict[str, Any]:
        """A JOSE-named view (``alg``, ``kid``, ``typ``, ``cty``) for checks shared with JWS."""
        view: dict[str, Any] = {}
        alg = self.protected.get(ALG)  # alg counts only when integrity-protected (RFC 9052 §3.1)
        if alg is not None:
            view["alg"] = cose_alg_name(alg)
        kid = self.param(KID)
        if kid is not None:
            view["kid"] = _text(kid)
        for name, label in (("typ", TYP), ("cty", CONTENT_TYPE)):
            if self.param(label) is not None:
                view[name] = self.param(label)
        return view

    @property
    def signing_input(self) -> bytes:
        return sig_structure(self.protected_bytes, self.payload_bytes)

    def to_jws(self) -> ParsedJws:
        """The ``ParsedJws`` the JOSE checks read: header view, document, Sig_structure, signature."""
        return ParsedJws(self.header, self.document, self.signing_input, self.signature)


def cose_alg_name(alg: object) -> str:
    """The JOSE name of a COSE alg, or a descriptive name no check will accept."""
    if isinstance(alg, int) and not isinstance(alg, bool):
        return COSE_ALGORITHMS.get(alg) or _COSE_MACS.get(alg) or f"COSE alg {alg}"
    return f"COSE alg {alg!r}"  # text algs are private-use; none is registered for signatures


def sig_structure(protected_bytes: bytes, payload: bytes, external_aad: bytes = b"") -> bytes:
    """``Sig_structure`` for COSE_Sign1 (RFC 9052 §4.4): what the signature covers."""
    return bytes(cbor2.dumps(["Signature1", protected_bytes, external_aad, payload]))


def decode_cose_text(text: str) -> bytes:
    """The COSE bytes of a base64 text form (how the W3C suite and data: URLs carry COSE).

    Standard or URL alphabet, padding optional, whitespace ignored. Anything else, including
    the hex the suite's "not-base64" vector uses, is *not* reinterpreted: it either fails here
    or decodes to bytes that then fail as CBOR, as a verifier expecting base64 would see it.
    """
    if len(text) > MAX_COSE_BYTES * 2:
        raise CoseParseError(f"COSE text is {len(text)} characters, above the {MAX_COSE_BYTES * 2} limit")
    data = "".join(text.split())
    padded = data + "=" * (-len(data) % 4)
    for alt in (None, b"-_"):
        try:
            return base64.b64decode(padded, altchars=alt, validate=True)
        except (binascii.Error, ValueError):
            continue
    raise CoseParseError("COSE text is not base64")


def parse_cose_sign1(data: object) -> ParsedCose:
    """Decode a (tagged or untagged) COSE_Sign1 whose payload is a JSON object."""
    if not isinstance(data, (bytes, bytearray)):
        raise CoseParseError(f"COSE input must be bytes, not {type(data).__name__}")
    if len(data) > MAX_COSE_BYTES:
        raise CoseParseError(f"COSE input is {len(data)} bytes, above the {MAX_COSE_BYTES} limit")
    if not data:
        raise CoseParseError("COSE input is empty")
    item = _cbor(bytes(data), "COSE_Sign1")
    tagged = isinstance(item, cbor2.CBORTag)
    if tagged:
        if item.tag != COSE_SIGN1_TAG:
            raise CoseParseError(f"CBOR tag {item.tag} is not COSE_Sign1 ({COSE_SIGN1_TAG})")
        item = item.value
    if not isinstance(item, (list, tuple)) or len(item) != 4:
        raise CoseParseError("COSE_Sign1 is not an array of 4 (protected, unprotected, payload, signature)")
    protected_bytes, unprotected, payload, signature = item
    if not isinstance(protected_bytes, bytes):
        raise CoseParseError("protected header is not a byte string")
    protected = _cbor(protected_bytes, "protected header") if protected_bytes else {}
    if not isinstance(protected, Mapping) or not isinstance(unprotected, Mapping):
        raise CoseParseError("protected or unprotected header is not a map")
    overlap = set(protected) & set(unprotected)
    if overlap:
        raise CoseParseError(f"label(s) {sorted(map(str, overlap))} in both header buckets (RFC 9052 §3)")
    if payload is None:
        raise CoseParseError("detached payload (nil): lerconf verifies attached credentials only")
    if not isinstance(payload, bytes) or not isinstance(signature, bytes):
        raise CoseParseError("payload or signature is not a byte string")
    try:
        document = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise CoseParseError(f"payload is not UTF-8 JSON: {exc}") from None
    if not isinstance(document, dict):
        raise CoseParseError(f"payload is JSON but not an object ({type(document).__name__})")
    return ParsedCose(protected_bytes, protected, unprotected, payload, signature, document, tagged)


def parse_cose_input(data: object) -> ParsedCose:
    """``parse_cose_sign1`` for bytes, after ``decode_cose_text`` for text."""
    if isinstance(data, str):
        data = decode_cose_text(data)
    return parse_cose_sign1(data)


def sign_cose(
    document: Mapping[str, Any],
    private_key: PrivateKey,
    kid: str | bytes | None,
    *,
    alg: str | None = None,
    protected: Mapping[int, Any] | None = None,
    unprotected: Mapping[int, Any] | None = None,
    tagged: bool = True,
) -> bytes:
    """Return a COSE_Sign1 securing ``document`` as VC-JOSE-COSE prescribes (harness keys only).

    ``protected`` / ``unprotected`` are merged last (``None`` removes a label), which is how
    tests make one-fault objects: wrong typ, alg -7 on an Ed25519 key, and so on. The signature
    is computed with the JOSE name of the key's algorithm, so ``alg`` must name the key's own.
    """
    alg = alg or default_alg(private_key.curve)
    kind = document_kind(document)
    short = "vp" if kind == "presentation" else "vc"
    header: dict[int, Any] = {ALG: JOSE_TO_COSE[alg], CONTENT_TYPE: CONTENT_TYPES[kind], TYP: f"application/{short}+cose"}
    if kid is not None:
        header[KID] = kid.encode("utf-8") if isinstance(kid, str) else kid
    header = _merge(header, protected)
    protected_bytes = bytes(cbor2.dumps(header)) if header else b""
    payload = json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    signature = sign(alg, private_key, sig_structure(protected_bytes, payload))
    body = [protected_bytes, _merge({}, unprotected), payload, signature]
    return bytes(cbor2.dumps(cbor2.CBORTag(COSE_SIGN1_TAG, body) if tagged else body))


def _merge(base: dict[int, Any], extra: Mapping[int, Any] | None) -> dict[int, Any]:
    for label, value in (extra or {}).items():
        if value is None:
            base.pop(label, None)
        else:
            base[label] = value
    return base


def _cbor(data: bytes, what: str) -> Any:
    """One CBOR item filling ``data`` exactly; any decoder complaint is vendor data, not a crash."""
    decoder = cbor2.CBORDecoder(io.BytesIO(data))
    try:
        value = decoder.decode()
    except (cbor2.CBORError, ValueError, TypeError, OverflowError, RecursionError, MemoryError) as exc:
        raise CoseParseError(f"{what} is not valid CBOR: {exc}") from None
    if decoder.fp.tell() != len(data):
        raise CoseParseError(f"{what} has {len(data) - decoder.fp.tell()} trailing byte(s) after the CBOR item")
    return value


def _text(kid: Any) -> Any:
    """kid is a bstr (RFC 9052 §3.1); the suite and most issuers put UTF-8 text in it."""
    if isinstance(kid, bytes):
        try:
            return kid.decode("utf-8")
        except UnicodeDecodeError:
            return base64.urlsafe_b64encode(kid).rstrip(b"=").decode("ascii")
    return kid
