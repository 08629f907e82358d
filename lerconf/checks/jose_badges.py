"""JWT checks of the two credential-specific encodings: the Open Badges 3.0 VC-JWT (OB-13, OB-14,
OB-24) and the VCDM 1.1 VC-JWT (JWT11-*). Each takes one JoseEvidence (lerconf.crypto.jose.evidence).
"""
from __future__ import annotations

from typing import Any

from lerconf.checks.base import Verdict, check, failed, not_applicable, passed
from lerconf.checks.jose import NOT_PARSED, validity_window
from lerconf.crypto.jose.algorithms import (
    SIGNATURE_ALGORITHMS,
    is_forbidden,
)
from lerconf.crypto.jose.encodings import (
    JwtEncoding,
    same_instant,
    subject_ids,
)
from lerconf.crypto.jose.evidence import JoseEvidence
from lerconf.results import Category

__all__ = ["ob_jose_header_is_valid", "ob_jwt_claims_mirror_credential", "ob_jwt_claims_verify",
           "v11_jwt_decodes_consistently", "v11_jwt_mirrors_credential"]


# -- Open Badges 3.0 VC-JWT --------------------------------------------------------------------
_OB_HEADERS = {"alg", "kid", "jwk", "typ"}


_OB_TYPES = {"OpenBadgeCredential", "AchievementCredential", "EndorsementCredential", "ClrCredential"}


def _is_badge(ev: JoseEvidence) -> bool:
    types = (ev.credential or {}).get("type")
    return bool(_OB_TYPES & set(types if isinstance(types, list) else [types]))


@check("OB-13", Category.JOSE_CLAIMS)
def ob_jose_header_is_valid(ev: JoseEvidence) -> Verdict:
    """alg at least RS256; kid or jwk (one is required); the JWK never contains d; typ, if present, is JWT; no other headers."""
    if ev.parsed is None:
        return not_applicable(NOT_PARSED)
    if ev.encoding is not JwtEncoding.OB30:
        return not_applicable(f"{ev.encoding.value} is not the OB 3.0 VC-JWT encoding")
    h = ev.header
    problems = []
    if is_forbidden(h.get("alg")) or h.get("alg") not in SIGNATURE_ALGORITHMS:
        problems.append(f"alg {h.get('alg')!r} is not an asymmetric algorithm of at least RS256 strength")
    if "kid" not in h and "jwk" not in h:
        problems.append("neither kid nor jwk is present")
    if isinstance(h.get("jwk"), dict) and "d" in h["jwk"]:
        problems.append("jwk contains the private key ('d')")
    if "typ" in h and h["typ"] != "JWT":
        problems.append(f"typ {h['typ']!r} is not 'JWT'")
    extra = sorted(set(h) - _OB_HEADERS)
    if extra:
        problems.append(f"unexpected header(s) {', '.join(extra)}")
    if problems:
        return failed("; ".join(problems), error="BAD_JOSE_HEADER", header=sorted(h))
    return passed(f"header alg {h['alg']} with {'kid' if 'kid' in h else 'jwk'}")


def _ob_mismatches(p: Any, doc: dict[str, Any]) -> list[str]:
    issuer = doc.get("issuer")
    issuer_value = issuer.get("id") if isinstance(issuer, dict) else issuer
    subjects = subject_ids(doc)
    valid_from = doc.get("validFrom", doc.get("issuanceDate"))
    valid_until = doc.get("validUntil", doc.get("expirationDate"))
    out = []
    if p.get("iss") != issuer_value:
        out.append(f"iss {p.get('iss')!r} != issuer.id {issuer_value!r}")
    if p.get("jti") != doc.get("id"):
        out.append(f"jti {p.get('jti')!r} != id {doc.get('id')!r}")
    if subjects and p.get("sub") not in subjects:
        out.append(f"sub {p.get('sub')!r} != credentialSubject.id {subjects[0]!r}")
    if not same_instant(p.get("nbf"), valid_from):
        out.append(f"nbf {p.get('nbf')!r} != validFrom {valid_from!r}")
    if (valid_until is not None or "exp" in p) and not same_instant(p.get("exp"), valid_until):
        out.append(f"exp {p.get('exp')!r} != validUntil {valid_until!r}")
    return out


@check("OB-14", Category.JOSE_CLAIMS)
def ob_jwt_claims_mirror_credential(ev: JoseEvidence) -> Verdict:
    """The JWT payload is the credential plus iss=issuer.id, jti=id, nbf=validFrom, sub=credentialSubject.id and
    exp=validUntil when present."""
    if ev.parsed is None:
        return not_applicable(NOT_PARSED)
    if ev.encoding is not JwtEncoding.OB30 or ev.kind != "credential":
        return not_applicable(f"{ev.encoding.value} {ev.kind} is not an OB 3.0 VC-JWT credential")
    problems = _ob_mismatches(ev.payload, ev.credential or {})
    if problems:
        return failed("; ".join(problems), error="CLAIM_MISMATCH")
    return passed("iss, jti, nbf, sub and exp mirror the credential")


@check("OB-24", Category.JOSE_CLAIMS)
def ob_jwt_claims_verify(ev: JoseEvidence) -> Verdict:
    """iss=issuer.id, sub=credentialSubject.id, nbf=validFrom and not in the future, jti=id, exp not passed (a 1.1 vc
    claim is converted first)."""
    if ev.parsed is None:
        return not_applicable(NOT_PARSED)
    if ev.kind != "credential" or not (
        ev.encoding is JwtEncoding.OB30 or (ev.encoding is JwtEncoding.VCDM11 and _is_badge(ev))
    ):
        return not_applicable(f"{ev.encoding.value} {ev.kind} is not an Open Badges VC-JWT credential")
    problems = _ob_mismatches(ev.payload, ev.credential or {})
    if problems:
        return failed("; ".join(problems), error="CLAIM_MISMATCH")
    return validity_window(ev.payload, ev)


_V11_PAIRS = (("iss", "issuer"), ("nbf", "issuanceDate"), ("exp", "expirationDate"), ("jti", "id"), ("sub", "subject"))


def _v11_property(vc: dict[str, Any], name: str) -> Any:
    if name == "issuer":
        issuer = vc.get("issuer")
        return issuer.get("id") if isinstance(issuer, dict) else issuer
    if name == "subject":
        ids = subject_ids(vc)
        return ids[0] if ids else None
    return vc.get(name)


def _v11_equal(claim: str, claim_value: Any, prop_value: Any) -> bool:
    if claim in ("nbf", "exp"):
        return same_instant(claim_value, prop_value)
    return bool(claim_value == prop_value)


@check("JWT11-01", Category.JOSE_CLAIMS)
def v11_jwt_mirrors_credential(ev: JoseEvidence) -> Verdict:
    """The vc claim holds the credential; iss=issuer, nbf=issuanceDate, exp=expirationDate, jti=id,
    sub=credentialSubject.id; alg set; typ, if present, is JWT."""
    if ev.parsed is None:
        return not_applicable(NOT_PARSED)
    if ev.encoding is not JwtEncoding.VCDM11 or ev.kind != "credential":
        return not_applicable(f"{ev.encoding.value} {ev.kind} is not a VCDM 1.1 VC-JWT credential")
    vc, p, problems = ev.payload["vc"], ev.payload, []
    if "typ" in ev.header and ev.header["typ"] != "JWT":
        problems.append(f"typ {ev.header['typ']!r} is not 'JWT'")
    for claim, prop in _V11_PAIRS:
        value = _v11_property(vc, prop)
        if value is not None and claim not in p:
            problems.append(f"{prop} is not mirrored into {claim}")
        elif value is not None and not _v11_equal(claim, p[claim], value):
            problems.append(f"{claim} {p[claim]!r} != {prop} {value!r}")
    if problems:
        return failed("; ".join(problems), error="CLAIM_MISMATCH")
    return passed("registered claims mirror the vc claim")


@check("JWT11-03", Category.JOSE_CLAIMS)
def v11_jwt_decodes_consistently(ev: JoseEvidence) -> Verdict:
    """iss/nbf/exp/jti/sub are mapped back into the credential; a mismatch with the vc content, or exp in the past, makes it invalid."""
    if ev.parsed is None:
        return not_applicable(NOT_PARSED)
    if ev.encoding is not JwtEncoding.VCDM11:
        return not_applicable(f"{ev.encoding.value} is not a VCDM 1.1 VC-JWT")
    claim_name = "vp" if ev.kind == "presentation" else "vc"
    inner, p = ev.payload[claim_name], ev.payload
    pairs = (("iss", "holder"), ("jti", "id")) if ev.kind == "presentation" else _V11_PAIRS
    problems = []
    for claim, prop in pairs:
        value = inner.get(prop) if prop == "holder" else _v11_property(inner, prop)
        if claim in p and value is not None and not _v11_equal(claim, p[claim], value):
            problems.append(f"{claim} {p[claim]!r} contradicts {prop} {value!r}")
    if problems:
        return failed("; ".join(problems), error="CLAIM_MISMATCH")
    return validity_window(p, ev)
