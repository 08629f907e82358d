"""Resolve verification methods: did:key, did:jwk, did:web and HTTPS key URLs.

Implements the Controlled Identifiers "retrieve verification method" rules (CID §3.3): the
controller document's id equals the URL without its fragment, the method's id equals the
requested URL, its controller is the document, and the requested relationship lists it.
Errors carry the CID error codes so checks can report them.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin

from lerconf.crypto.encoding import b58decode, b64url_decode
from lerconf.crypto.keys import (
    KeyDecodeError,
    PublicKey,
    decode_multikey,
    public_key_from_jwk,
    public_key_from_raw,
)
from lerconf.documents.loader import DocumentLoader
from lerconf.errors import ResolutionError

RELATIONSHIPS = ("assertionMethod", "authentication", "capabilityInvocation", "capabilityDelegation", "keyAgreement")
MULTIKEY_TYPES = {"Multikey", "Ed25519VerificationKey2020"}
JWK_TYPES = {"JsonWebKey", "JsonWebKey2020"}


class VerificationMethodError(Exception):
    """A verification method could not be retrieved or is invalid; ``code`` is the CID code."""

    def __init__(self, code: str, message: str, *, unreached: bool = False, fix: str = "") -> None:
        super().__init__(message)
        self.code = code
        #: lerconf got no answer for the controller document (see ResolutionError.unreached): the
        #: method *could not be checked*; ``fix`` says how to let lerconf reach it
        self.unreached = unreached
        self.fix = fix


@dataclass(frozen=True)
class VerificationMethod:
    id: str
    type: str
    controller: str
    public_key: PublicKey
    document: Mapping[str, Any] = field(repr=False)


@dataclass(frozen=True)
class ResolvedMethod:
    method: VerificationMethod
    controller_document: Mapping[str, Any] = field(repr=False)
    relationships: frozenset[str] = frozenset()

    def authorised_for(self, purpose: str) -> bool:
        return purpose in self.relationships


class DidResolver:
    """Dereferences verification method URLs through a DocumentLoader (URL map, then network)."""

    def __init__(self, loader: DocumentLoader) -> None:
        self.loader = loader
        #: did:key and did:jwk method URLs already dereferenced: their documents are computed from the
        #: identifier alone (no network, no state), so the answer for a URL never changes
        self._computed: dict[str, ResolvedMethod] = {}

    # -- documents ------------------------------------------------------------------------
    def resolve(self, identifier: str) -> dict[str, Any]:
        """Return the controller (DID) document for a DID or an HTTPS controller URL."""
        if identifier.startswith("did:key:"):
            return did_key_document(identifier)
        if identifier.startswith("did:jwk:"):
            return did_jwk_document(identifier)
        if identifier.startswith("did:web:"):
            url = did_web_url(identifier)
            doc = self._fetch(url, identifier)
            if doc.get("id") != identifier:
                raise VerificationMethodError(
                    "INVALID_CONTROLLED_IDENTIFIER_DOCUMENT_ID",
                    f"did:web document at {url} has id {doc.get('id')!r}, expected {identifier}",
                )
            return doc
        if identifier.startswith("did:"):
            method = identifier.split(":", 2)[1]
            raise VerificationMethodError("INVALID_VERIFICATION_METHOD_URL", f"unsupported DID method did:{method}")
        if identifier.startswith(("https://", "http://")):
            return self._fetch(identifier, identifier)
        raise VerificationMethodError("INVALID_VERIFICATION_METHOD_URL", f"{identifier!r} is not a DID or an HTTP(S) URL")

    def _fetch(self, url: str, identifier: str) -> dict[str, Any]:
        try:
            doc = self.loader.load_remote_json(url)
        except ResolutionError as exc:
            raise VerificationMethodError("INVALID_CONTROLLED_IDENTIFIER_DOCUMENT", f"cannot retrieve {identifier}: {exc}",
                                          unreached=exc.unreached, fix=exc.fix) from None
        if not isinstance(doc, dict):
            raise VerificationMethodError("INVALID_CONTROLLED_IDENTIFIER_DOCUMENT", f"{url} is not a JSON object")
        return doc

    # -- verification methods -----------------------------------------------------------
    def dereference(self, vm_url: str) -> ResolvedMethod:
        """Retrieve a verification method and the relationships its controller lists it under."""
        known = self._computed.get(vm_url) if isinstance(vm_url, str) else None
        if known is not None:
            return known
        resolved = self._dereference(vm_url)
        if vm_url.startswith(("did:key:", "did:jwk:")):
            if len(self._computed) > 4096:
                self._computed.clear()
            self._computed[vm_url] = resolved
        return resolved

    def _dereference(self, vm_url: str) -> ResolvedMethod:
        if not isinstance(vm_url, str) or not vm_url:
            raise VerificationMethodError("INVALID_VERIFICATION_METHOD_URL", "verificationMethod is not a URL string")
        base, fragment = urldefrag(vm_url)
        if ":" not in base:
            raise VerificationMethodError("INVALID_VERIFICATION_METHOD_URL", f"{vm_url!r} is not an absolute URL")
        doc = self.resolve(base)
        if doc.get("id") != base:
            raise VerificationMethodError(
                "INVALID_CONTROLLED_IDENTIFIER_DOCUMENT_ID",
                f"document retrieved for {vm_url} has id {doc.get('id')!r}, expected {base}",
            )
        if not fragment and doc.get("type") in MULTIKEY_TYPES | JWK_TYPES:
            # The URL names a method document directly; relationships live in its controller.
            method = _method_from(doc, base, vm_url)
            controller_doc = self.resolve(method.controller) if method.controller != base else doc
            return ResolvedMethod(method, controller_doc, _relationships(controller_doc, vm_url))
        entry = _find_method(doc, vm_url)
        if entry is None and not fragment:
            raise VerificationMethodError("INVALID_VERIFICATION_METHOD", _not_a_key_url(doc, vm_url))
        if entry is None:
            raise VerificationMethodError("INVALID_VERIFICATION_METHOD", f"{base} does not contain {vm_url}")
        method = _method_from(entry, base, vm_url)
        if method.controller != base:
            raise VerificationMethodError(
                "INVALID_VERIFICATION_METHOD",
                f"verification method {vm_url} names controller {method.controller}, not its document {base}",
            )
        return ResolvedMethod(method, doc, _relationships(doc, vm_url))


def _not_a_key_url(doc: Mapping[str, Any], vm_url: str) -> str:
    """Why a bare identifier is not a verification method URL, and which URL would be."""
    ids = list(dict.fromkeys(_absolute(str(e["id"]), vm_url) for e in _all_methods(doc) if isinstance(e.get("id"), str)))
    if len(ids) == 1:
        hint = f"; the key URL is {ids[0]}"
    elif ids:
        hint = f"; name one of its methods: {', '.join(ids)}"
    else:
        hint = "; the document lists no verification method"
    return (f"verificationMethod {vm_url} is the identifier itself, not a key URL: it dereferences to the "
            f"controller document, not to a verification method (a key URL needs the method's fragment){hint}")


def _absolute(ref: str, base: str) -> str:
    if ref.startswith("#"):
        return base + ref
    return ref if ":" in ref else urljoin(base, ref)


def _all_methods(doc: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    out: list[Mapping[str, Any]] = []
    for key in ("verificationMethod", *RELATIONSHIPS, "publicKey"):
        value = doc.get(key)
        for item in value if isinstance(value, list) else ([value] if value else []):
            if isinstance(item, Mapping):
                out.append(item)
    return out


def _find_method(doc: Mapping[str, Any], vm_url: str) -> Mapping[str, Any] | None:
    base = urldefrag(vm_url)[0]
    for entry in _all_methods(doc):
        if isinstance(entry.get("id"), str) and _absolute(entry["id"], base) == vm_url:
            return entry
    return None


def _relationships(doc: Mapping[str, Any], vm_url: str) -> frozenset[str]:
    base = doc.get("id") if isinstance(doc.get("id"), str) else urldefrag(vm_url)[0]
    found = set()
    for rel in RELATIONSHIPS:
        value = doc.get(rel)
        for item in value if isinstance(value, list) else ([value] if value else []):
            ref = item.get("id") if isinstance(item, Mapping) else item
            if isinstance(ref, str) and _absolute(ref, str(base)) == vm_url:
                found.add(rel)
    return frozenset(found)


def _method_from(entry: Mapping[str, Any], base: str, vm_url: str) -> VerificationMethod:
    vm_type = entry.get("type")
    controller = entry.get("controller")
    if not isinstance(controller, str):
        raise VerificationMethodError("INVALID_VERIFICATION_METHOD", f"{vm_url} has no controller")
    try:
        if "publicKeyMultibase" in entry and vm_type in MULTIKEY_TYPES:
            key = decode_multikey(entry["publicKeyMultibase"])
            if vm_type == "Ed25519VerificationKey2020" and key.curve != "Ed25519":
                raise KeyDecodeError("Ed25519VerificationKey2020 holds a non-Ed25519 key")
        elif "publicKeyJwk" in entry and vm_type in JWK_TYPES:
            key = public_key_from_jwk(entry["publicKeyJwk"])
        elif "publicKeyBase58" in entry and vm_type == "Ed25519VerificationKey2018":
            key = public_key_from_raw("Ed25519", b58decode(entry["publicKeyBase58"]))
        else:
            raise KeyDecodeError(f"unsupported verification method type {vm_type!r} or missing key material")
    except (KeyDecodeError, ValueError) as exc:
        raise VerificationMethodError("INVALID_VERIFICATION_METHOD", f"{vm_url}: {exc}") from None
    return VerificationMethod(_absolute(str(entry.get("id")), base), str(vm_type), _absolute(controller, base), key, entry)


# -- DID methods that resolve locally ---------------------------------------------------------
def did_key_document(did: str) -> dict[str, Any]:
    """did:key: the document is derived from the key itself (no network)."""
    multibase = did[len("did:key:"):].split("#", 1)[0]
    try:
        decode_multikey(multibase)
    except KeyDecodeError as exc:
        raise VerificationMethodError("INVALID_CONTROLLED_IDENTIFIER_DOCUMENT", f"invalid did:key {did}: {exc}") from None
    vm = {"id": f"{did}#{multibase}", "type": "Multikey", "controller": did, "publicKeyMultibase": multibase}
    return _single_key_document(did, vm, "https://w3id.org/security/multikey/v1")


def did_jwk_document(did: str) -> dict[str, Any]:
    encoded = did[len("did:jwk:"):].split("#", 1)[0]
    try:
        jwk = json.loads(b64url_decode(encoded))
        public_key_from_jwk(jwk)
    except (ValueError, KeyDecodeError) as exc:
        raise VerificationMethodError("INVALID_CONTROLLED_IDENTIFIER_DOCUMENT", f"invalid did:jwk {did}: {exc}") from None
    vm = {"id": f"{did}#0", "type": "JsonWebKey", "controller": did, "publicKeyJwk": jwk}
    return _single_key_document(did, vm, "https://w3id.org/security/jwk/v1")


def _single_key_document(did: str, vm: dict[str, Any], key_context: str) -> dict[str, Any]:
    """A DID document with one key, authorised for every relationship (did:key, did:jwk)."""
    refs = [vm["id"]]
    return {
        "@context": ["https://www.w3.org/ns/did/v1", key_context],
        "id": did,
        "verificationMethod": [vm],
        **{rel: list(refs) for rel in ("assertionMethod", "authentication", "capabilityInvocation", "capabilityDelegation")},
    }


def did_web_url(did: str) -> str:
    """did:web:host%3Aport:path -> https://host:port/path/did.json (or /.well-known/did.json)."""
    specific = did[len("did:web:"):]
    if not specific or "/" in specific:
        raise VerificationMethodError("INVALID_VERIFICATION_METHOD_URL", f"invalid did:web identifier {did}")
    parts = specific.split(":")
    host = unquote(parts[0])
    path = "/".join(unquote(p) for p in parts[1:])
    return f"https://{host}/{path}/did.json" if path else f"https://{host}/.well-known/did.json"
