"""The three JWT credential encodings, told apart and mapped to a credential.

* ``ob30-vc-jwt``  — Open Badges 3.0 §8.2: the payload *is* the credential plus
  ``iss``/``jti``/``nbf``/``sub``(/``exp``); ``typ`` is ``JWT`` (or absent).
* ``vcdm11-jwt``   — VC Data Model 1.1 §6.3.1: the credential sits in a ``vc`` (or ``vp``) claim
  and registered claims stand in for its properties (used by OID4VCI ``jwt_vc_json``).
* ``vc-jose-cose`` — VC-JOSE-COSE for VCDM 2.0: ``typ`` ``vc+jwt``/``vp+jwt``, the payload is the
  document, ``vc``/``vp`` claims are forbidden. ``vc-jose-cose-sd-jwt`` is its SD-JWT variant and
  ``vc-jose-cose-cose`` its COSE_Sign1 variant (not a JWT; see ``lerconf.crypto.jose.cose``).

Detection follows the header first (``typ`` says what the issuer meant), then the payload.
"""
from __future__ import annotations

import copy
import enum
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any


class JwtEncoding(str, enum.Enum):
    OB30 = "ob30-vc-jwt"
    VCDM11 = "vcdm11-jwt"
    JOSE = "vc-jose-cose"
    SD_JWT = "vc-jose-cose-sd-jwt"
    COSE = "vc-jose-cose-cose"
    UNKNOWN = "unknown"


JOSE_TYPES = {"vc+jwt": "credential", "vp+jwt": "presentation",
              "application/vc+jwt": "credential", "application/vp+jwt": "presentation"}
SD_JWT_TYPES = {"vc+sd-jwt": "credential", "vp+sd-jwt": "presentation",
                "application/vc+sd-jwt": "credential", "application/vp+sd-jwt": "presentation"}
PLAIN_TYPES = {"JWT", "jwt", "application/jwt"}
V1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"


def detect_encoding(header: Mapping[str, Any], payload: Mapping[str, Any]) -> tuple[JwtEncoding, str]:
    """(encoding, "credential" | "presentation") of a decoded JWS."""
    typ = header.get("typ")
    if isinstance(typ, str) and typ in JOSE_TYPES:
        return JwtEncoding.JOSE, JOSE_TYPES[typ]
    if isinstance(typ, str) and typ in SD_JWT_TYPES:
        return JwtEncoding.SD_JWT, SD_JWT_TYPES[typ]
    if typ is not None and typ not in PLAIN_TYPES:
        return JwtEncoding.UNKNOWN, document_kind(payload)
    if isinstance(payload.get("vp"), Mapping):
        return JwtEncoding.VCDM11, "presentation"
    if isinstance(payload.get("vc"), Mapping):
        return JwtEncoding.VCDM11, "credential"
    if "@context" in payload or "type" in payload:
        return JwtEncoding.OB30, document_kind(payload)
    return JwtEncoding.UNKNOWN, document_kind(payload)


def document_kind(doc: Mapping[str, Any]) -> str:
    types = doc.get("type")
    types = types if isinstance(types, list) else [types]
    return "presentation" if "VerifiablePresentation" in types else "credential"


# -- values ------------------------------------------------------------------------------------
def issuer_id(doc: Mapping[str, Any]) -> str | None:
    issuer = doc.get("issuer")
    value = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    return value if isinstance(value, str) else None


def holder_id(doc: Mapping[str, Any]) -> str | None:
    holder = doc.get("holder")
    value = holder.get("id") if isinstance(holder, Mapping) else holder
    return value if isinstance(value, str) else None


def subject_ids(doc: Mapping[str, Any]) -> list[str]:
    subjects = doc.get("credentialSubject")
    subjects = subjects if isinstance(subjects, list) else [subjects]
    return [s["id"] for s in subjects if isinstance(s, Mapping) and isinstance(s.get("id"), str)]


def parse_datetime(value: object) -> datetime | None:
    """An XSD dateTime string as an aware datetime (naive values are read as UTC)."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def numeric_date(value: object) -> datetime | None:
    """A JWT NumericDate (RFC 7519 §2) as a datetime; booleans and strings are not dates."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return datetime.fromtimestamp(value, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def to_numeric_date(value: object) -> int | None:
    parsed = parse_datetime(value)
    return int(parsed.timestamp()) if parsed else None


def same_instant(claim: object, date_string: object) -> bool:
    """NumericDate ``claim`` names the same second as the dateTime ``date_string``."""
    left, right = numeric_date(claim), parse_datetime(date_string)
    return left is not None and right is not None and int(left.timestamp()) == int(right.timestamp())


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- VCDM 1.1 decoding (§6.3.1 "JWT Decoding") -------------------------------------------------
def credential_from_v11(payload: Mapping[str, Any], kind: str) -> dict[str, Any]:
    """Map ``iss``/``nbf``/``exp``/``jti``/``sub`` back into the ``vc`` (or ``vp``) object.

    Properties already in the object are kept; a disagreement is reported by JWT11-03, not
    silently resolved here.
    """
    claim = "vp" if kind == "presentation" else "vc"
    doc = copy.deepcopy(dict(payload.get(claim) or {}))
    if isinstance(payload.get("jti"), str):
        doc.setdefault("id", payload["jti"])
    if kind == "presentation":
        if isinstance(payload.get("iss"), str):
            doc.setdefault("holder", payload["iss"])
        return doc
    if isinstance(payload.get("iss"), str) and "issuer" not in doc:
        doc["issuer"] = payload["iss"]
    nbf, exp = numeric_date(payload.get("nbf")), numeric_date(payload.get("exp"))
    if nbf is not None:
        doc.setdefault("issuanceDate", iso(nbf))
    if exp is not None:
        doc.setdefault("expirationDate", iso(exp))
    sub = payload.get("sub")
    subject = doc.get("credentialSubject")
    if isinstance(sub, str) and isinstance(subject, dict):
        subject.setdefault("id", sub)
    return doc


def strip_registered_claims(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The document carried by an OB 3.0 or VC-JOSE-COSE payload, without JWT-only claims."""
    jwt_only = {"iss", "sub", "aud", "exp", "nbf", "iat", "jti", "cnf", "nonce", "_sd", "_sd_alg"}
    return {k: v for k, v in payload.items() if k not in jwt_only}
