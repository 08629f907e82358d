"""Sign a credential or presentation in one of the three JWT encodings (harness keys only).

The reference implementation and the mutators use this, and lerconf verifies its own output
(round trip) for every algorithm. Raising here is fine: a bad call is a harness fault.
"""
from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Any

from lerconf.crypto.encoding import b64url_encode
from lerconf.crypto.jose.algorithms import default_alg, sign
from lerconf.crypto.jose.encodings import (
    JwtEncoding,
    document_kind,
    holder_id,
    issuer_id,
    subject_ids,
    to_numeric_date,
)
from lerconf.crypto.keys import PrivateKey


def _b64json(value: Mapping[str, Any]) -> str:
    return b64url_encode(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


def jwt_claims_for(document: Mapping[str, Any], encoding: JwtEncoding) -> dict[str, Any]:
    """The payload an encoding prescribes for ``document`` (before any caller overrides)."""
    doc = copy.deepcopy(dict(document))
    kind = document_kind(doc)
    if encoding is JwtEncoding.JOSE:
        return doc
    claims: dict[str, Any] = {}
    signer = holder_id(doc) if kind == "presentation" else issuer_id(doc)
    if signer:
        claims["iss"] = signer
    if isinstance(doc.get("id"), str):
        claims["jti"] = doc["id"]
    if kind == "credential":
        subjects = subject_ids(doc)
        if subjects:
            claims["sub"] = subjects[0]
        start = doc.get("validFrom", doc.get("issuanceDate"))
        end = doc.get("validUntil", doc.get("expirationDate"))
        if to_numeric_date(start) is not None:
            claims["nbf"] = to_numeric_date(start)
        if to_numeric_date(end) is not None:
            claims["exp"] = to_numeric_date(end)
    if encoding is JwtEncoding.OB30:
        return {**doc, **claims}
    if encoding is JwtEncoding.VCDM11:
        return {**claims, ("vp" if kind == "presentation" else "vc"): doc}
    raise ValueError(f"lerconf does not sign the {encoding.value} encoding")


def sign_jwt(
    document: Mapping[str, Any],
    private_key: PrivateKey,
    kid: str | None,
    encoding: JwtEncoding | str,
    *,
    alg: str | None = None,
    header: Mapping[str, Any] | None = None,
    claims: Mapping[str, Any] | None = None,
) -> str:
    """Return a compact JWS securing ``document`` in ``encoding``.

    ``header`` and ``claims`` are merged last (a value of ``None`` removes the entry), which is
    how mutators make one-fault tokens: wrong ``jti``, a ``vc`` claim in a vc+jwt, and so on.
    """
    encoding = JwtEncoding(encoding)
    alg = alg or default_alg(private_key.curve)
    kind = document_kind(document)
    if encoding is JwtEncoding.JOSE:
        short = "vp" if kind == "presentation" else "vc"
        protected: dict[str, Any] = {"alg": alg, "typ": f"{short}+jwt", "cty": short}
    else:
        protected = {"alg": alg, "typ": "JWT"}
    if kid is not None:
        protected["kid"] = kid
    payload = jwt_claims_for(document, encoding)
    protected = _merge(protected, header)
    payload = _merge(payload, claims)
    signing_input = f"{_b64json(protected)}.{_b64json(payload)}"
    signature = sign(alg, private_key, signing_input.encode("ascii"))
    return f"{signing_input}.{b64url_encode(signature)}"


def _merge(base: dict[str, Any], extra: Mapping[str, Any] | None) -> dict[str, Any]:
    for key, value in (extra or {}).items():
        if value is None:
            base.pop(key, None)
        else:
            base[key] = value
    return base
