"""Find the key a JWS names: ``kid`` through the DidResolver, an embedded ``jwk``, or ``iss``.

Order: ``kid`` (absolute URL, or a fragment / bare key id relative to ``iss``), then ``jwk``,
then a self-certifying ``iss`` (did:key, did:jwk) with a single key. A ``kid`` that is neither
a URL nor a fragment (often an RFC 7638 thumbprint, as in the W3C test suite) is looked up in
the issuer's controller document by fragment, ``publicKeyJwk.kid`` or thumbprint.

Failures are data (``KeyResolution.error``), never exceptions: a vendor's unresolvable key is
a failed check, not a harness fault.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urldefrag

from cryptography.hazmat.primitives.asymmetric import ec

from lerconf.crypto.did import (
    DidResolver,
    ResolvedMethod,
    VerificationMethod,
    VerificationMethodError,
    _all_methods,
    _relationships,
)
from lerconf.crypto.encoding import b64url_decode, b64url_encode
from lerconf.crypto.keys import KeyDecodeError, PublicKey, decode_multikey, public_key_from_jwk


@dataclass(frozen=True)
class KeyResolution:
    """Where the verification key came from, or why none was found."""

    method: ResolvedMethod | None
    source: str  # "kid" | "jwk" | "iss" | "none"
    error: str | None = None
    error_code: str | None = None
    #: the key itself when it came from an embedded ``jwk`` (no controller document)
    embedded_key: PublicKey | None = None
    #: lerconf got no answer for a controller document it needed (VerificationMethodError.unreached):
    #: the key or its binding *could not be checked*; ``fix`` says how to let lerconf reach it
    unreached: bool = False
    fix: str = ""

    @property
    def public_key(self) -> PublicKey | None:
        if self.method is not None:
            return self.method.method.public_key
        return self.embedded_key


def jwk_thumbprint(jwk: Mapping[str, Any]) -> str:
    """RFC 7638 SHA-256 thumbprint of a public JWK."""
    members = {"EC": ("crv", "kty", "x", "y"), "OKP": ("crv", "kty", "x"), "RSA": ("e", "kty", "n")}
    names = members.get(str(jwk.get("kty")), ())
    canonical = json.dumps({k: jwk.get(k) for k in names}, separators=(",", ":"), sort_keys=True)
    return b64url_encode(hashlib.sha256(canonical.encode("utf-8")).digest())


def public_key_from_any_jwk(jwk: Mapping[str, Any]) -> PublicKey:
    """lerconf.crypto.keys.public_key_from_jwk plus P-521, which lerconf.crypto.keys does not know yet."""
    if isinstance(jwk, Mapping) and jwk.get("kty") == "EC" and jwk.get("crv") == "P-521" and "d" not in jwk:
        try:
            x = int.from_bytes(b64url_decode(str(jwk["x"])), "big")
            y = int.from_bytes(b64url_decode(str(jwk["y"])), "big")
            return PublicKey("P-521", ec.EllipticCurvePublicNumbers(x, y, ec.SECP521R1()).public_key())
        except (KeyError, ValueError) as exc:
            raise KeyDecodeError(f"invalid P-521 JWK: {exc}") from None
    return public_key_from_jwk(jwk)


def resolve_signing_key(header: Mapping[str, Any], issuer: str | None, resolver: DidResolver) -> KeyResolution:
    """Resolve the key that should have signed a JWS with this header and issuer."""
    kid = header.get("kid")
    if kid is not None:
        if not isinstance(kid, str) or not kid:
            return KeyResolution(None, "kid", "kid is not a non-empty string")
        return _from_kid(kid, issuer, resolver)
    if "jwk" in header:
        jwk = header["jwk"]
        if not isinstance(jwk, Mapping):
            return KeyResolution(None, "jwk", "jwk header is not an object")
        if "d" in jwk:
            return KeyResolution(None, "jwk", "jwk header contains private key material ('d'); refused")
        try:
            embedded = public_key_from_any_jwk(jwk)
        except KeyDecodeError as exc:
            return KeyResolution(None, "jwk", f"jwk header does not decode: {exc}")
        return _bind_embedded(embedded, jwk, issuer, resolver)
    if issuer and (issuer.startswith(("did:key:", "did:jwk:"))):
        try:
            doc = resolver.resolve(issuer)
        except VerificationMethodError as exc:
            return KeyResolution(None, "iss", str(exc), exc.code)
        methods = [m for m in _all_methods(doc) if isinstance(m.get("id"), str)]
        if len(methods) == 1:
            return _dereference(_absolute(methods[0]["id"], issuer), resolver, "iss")
    return KeyResolution(None, "none", "the header has neither kid nor jwk, and iss names no single key")


def _bind_embedded(key: PublicKey, jwk: Mapping[str, Any], issuer: str | None, resolver: DidResolver) -> KeyResolution:
    """Find the verification method an embedded ``jwk`` is, so JC-04 can bind it to the issuer.

    OB 3.0 (JSON Web Token Proof Format, Create the JOSE Header) lets a VC-JWT carry its public
    key as ``jwk`` instead of naming it by ``kid``; the key is still the issuer's only if the
    issuer's controller document lists it. Tried in order: the key URL the JWK names itself
    (``jwk.kid``, when it is an absolute URL), then every verification method of the issuer's
    DID document (or HTTPS controller document) whose public key is the same, preferring one
    listed under assertionMethod. No match leaves ``method`` unset, with the reason in ``error``.
    """
    own = key.to_jwk()
    reasons: list[str] = []
    key_url = jwk.get("kid")
    if isinstance(key_url, str) and ":" in key_url:
        try:
            named = resolver.dereference(key_url)
        except VerificationMethodError as exc:
            reasons.append(f"jwk kid {key_url} does not resolve: {exc}")
        else:
            if named.method.public_key.to_jwk() == own:
                return KeyResolution(named, "jwk", embedded_key=key)
            reasons.append(f"jwk kid {key_url} names a different key")
    if not issuer or not issuer.startswith(("did:", "https://", "http://")):
        reasons.append("the issuer is not a DID or controller document URL")
        return KeyResolution(None, "jwk", "; ".join(reasons), "KEY_NOT_BOUND", embedded_key=key)
    base = urldefrag(issuer)[0]
    try:
        doc = resolver.resolve(base)
    except VerificationMethodError as exc:
        reasons.append(f"cannot resolve {base}: {exc}")
        return KeyResolution(None, "jwk", "; ".join(reasons), exc.code, embedded_key=key, unreached=exc.unreached,
                             fix=exc.fix)
    matches: list[ResolvedMethod] = []
    for entry in _all_methods(doc):
        entry_id = entry.get("id")
        if not isinstance(entry_id, str):
            continue
        if _entry_key(entry) != own:
            continue
        resolved = _dereference(_absolute(entry_id, base), resolver, "jwk")
        if resolved.method is not None:
            matches.append(resolved.method)
        elif resolved.error:
            reasons.append(resolved.error)
    if matches:
        matches.sort(key=lambda m: "assertionMethod" not in m.relationships)
        return KeyResolution(matches[0], "jwk", embedded_key=key)
    reasons.append(f"no verification method of {base} has this public key")
    return KeyResolution(None, "jwk", "; ".join(reasons), "KEY_NOT_BOUND", embedded_key=key)


def _entry_key(entry: Mapping[str, Any]) -> dict[str, str] | None:
    """The public key a verification method entry carries, as a JWK (None if it carries none lerconf reads)."""
    try:
        if isinstance(entry.get("publicKeyJwk"), Mapping):
            return public_key_from_any_jwk(entry["publicKeyJwk"]).to_jwk()
        if isinstance(entry.get("publicKeyMultibase"), str):
            return decode_multikey(entry["publicKeyMultibase"]).to_jwk()
    except (KeyDecodeError, ValueError):
        return None
    return None


def _absolute(ref: str, base: str) -> str:
    return base + ref if ref.startswith("#") else ref


def _from_kid(kid: str, issuer: str | None, resolver: DidResolver) -> KeyResolution:
    if kid.startswith("#"):
        if not issuer:
            return KeyResolution(None, "kid", f"kid {kid!r} is relative but there is no iss to resolve it against")
        return _dereference(issuer + kid, resolver, "kid")
    if ":" in kid:
        return _dereference(kid, resolver, "kid")
    if not issuer:
        return KeyResolution(None, "kid", f"kid {kid!r} is not a URL and there is no iss to look it up in")
    try:
        doc = resolver.resolve(urldefrag(issuer)[0])
    except VerificationMethodError as exc:
        return KeyResolution(None, "kid", f"cannot resolve issuer {issuer} to find kid {kid!r}: {exc}", exc.code,
                             unreached=exc.unreached, fix=exc.fix)
    for entry in _all_methods(doc):
        entry_id = entry.get("id")
        if not isinstance(entry_id, str):
            continue
        jwk = entry.get("publicKeyJwk")
        if entry_id.endswith("#" + kid) or (
            isinstance(jwk, Mapping) and (jwk.get("kid") == kid or jwk_thumbprint(jwk) == kid)
        ):
            return _dereference(_absolute(entry_id, str(doc.get("id", issuer))), resolver, "kid")
    return KeyResolution(None, "kid", f"no verification method of {issuer} matches kid {kid!r}", "INVALID_VERIFICATION_METHOD")


def _dereference(vm_url: str, resolver: DidResolver, source: str) -> KeyResolution:
    try:
        return KeyResolution(resolver.dereference(vm_url), source)
    except VerificationMethodError as exc:
        fallback = _p521_method(vm_url, resolver)
        if fallback is not None:
            return KeyResolution(fallback, source)
        return KeyResolution(None, source, str(exc), exc.code, unreached=exc.unreached, fix=exc.fix)


def _p521_method(vm_url: str, resolver: DidResolver) -> ResolvedMethod | None:
    """Same CID rules as DidResolver.dereference, for a P-521 JsonWebKey it cannot decode."""
    base = urldefrag(vm_url)[0]
    try:
        doc = resolver.resolve(base)
    except VerificationMethodError:
        return None
    if doc.get("id") != base:
        return None
    for entry in _all_methods(doc):
        jwk = entry.get("publicKeyJwk")
        if (
            isinstance(entry.get("id"), str)
            and _absolute(entry["id"], base) == vm_url
            and isinstance(jwk, Mapping)
            and jwk.get("crv") == "P-521"
            and entry.get("type") in ("JsonWebKey", "JsonWebKey2020")
            and isinstance(entry.get("controller"), str)
            and _absolute(entry["controller"], base) == base
        ):
            try:
                key = public_key_from_any_jwk(jwk)
            except KeyDecodeError:
                return None
            method = VerificationMethod(vm_url, str(entry["type"]), base, key, entry)
            return ResolvedMethod(method, doc, _relationships(doc, vm_url))
    return None
