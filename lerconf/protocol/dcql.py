"""DCQL (VP §6) as far as the wallet side of an Open Badges 3.0 presentation needs it: find the
credential query that asks for an OB 3.0 credential in a format lerconf can present.

W3C formats match on ``meta.type_values``: arrays of *expanded* type IRIs (VP App. B.1.1). In
the OB 3.0 context ``OpenBadgeCredential`` and its alias ``AchievementCredential`` both expand
to the purl IRI below, so a query for the short name matches nothing (a draft-era mistake).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["OB3_TYPE_IRIS", "ClaimPath", "CredentialQuery", "claims_present", "credential_queries", "ob3_query"]

#: a claims path pointer (VP §7): object keys, array indexes, ``None`` for every element of an array
ClaimPath = tuple[str | int | None, ...]

OB_VOCAB = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"
#: expanded IRIs an OB 3.0 badge's types expand to (OpenBadgeCredential = AchievementCredential)
OB3_TYPE_IRIS = frozenset({OB_VOCAB + "OpenBadgeCredential", OB_VOCAB + "AchievementCredential"})
VC_TYPE_IRI = "https://www.w3.org/2018/credentials#VerifiableCredential"
W3C_FORMATS = ("ldp_vc", "jwt_vc_json")


@dataclass(frozen=True)
class CredentialQuery:
    id: str
    format: str
    type_values: tuple[tuple[str, ...], ...]
    require_binding: bool = True
    multiple: bool = False
    claim_paths: tuple[ClaimPath, ...] = ()

    @property
    def asks_for_ob3(self) -> bool:
        """Some alternative of type_values is satisfied by an OB 3.0 badge's expanded types."""
        badge = OB3_TYPE_IRIS | {VC_TYPE_IRI}
        return any(alt and set(alt) <= badge and set(alt) & OB3_TYPE_IRIS for alt in self.type_values)


def credential_queries(dcql: Any) -> list[CredentialQuery]:
    """The well-formed credential queries of a DCQL query (malformed entries are skipped; the
    VP-03 check reports them)."""
    if not isinstance(dcql, Mapping) or not isinstance(dcql.get("credentials"), list):
        return []
    out = []
    for entry in dcql["credentials"]:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("id"), str) or not isinstance(entry.get("format"), str):
            continue
        meta = entry.get("meta") if isinstance(entry.get("meta"), Mapping) else {}
        raw = meta.get("type_values") if isinstance(meta, Mapping) else None
        alts = tuple(tuple(str(t) for t in alt) for alt in raw if isinstance(alt, list)) if isinstance(raw, list) else ()
        out.append(CredentialQuery(entry["id"], entry["format"], alts,
                                   entry.get("require_cryptographic_holder_binding", True) is not False,
                                   entry.get("multiple") is True, _claim_paths(entry.get("claims"))))
    return out


def _claim_paths(claims: Any) -> tuple[ClaimPath, ...]:
    """The well-formed ``path`` of each claims query (VP §6.3); others are skipped (VP-03 reports them)."""
    if not isinstance(claims, list):
        return ()
    paths = []
    for claim in claims:
        path = claim.get("path") if isinstance(claim, Mapping) else None
        if isinstance(path, list) and path and all(p is None or (isinstance(p, (str, int)) and not isinstance(p, bool))
                                                   for p in path):
            paths.append(tuple(path))
    return tuple(paths)


def _select(values: list[Any], step: str | int | None) -> list[Any]:
    """One step of the claims path pointer processing (VP §7.1) over the selected values."""
    out: list[Any] = []
    for value in values:
        if isinstance(step, str) and isinstance(value, Mapping) and step in value:
            out.append(value[step])
        elif step is None and isinstance(value, list):
            out.extend(value)
        elif isinstance(step, int) and isinstance(value, list) and 0 <= step < len(value):
            out.append(value[step])
    return out


def _selects(document: Any, path: ClaimPath) -> bool:
    values = [document]
    for step in path:
        values = _select(values, step)
        if not values:
            return False
    return True


def claims_present(credential: Mapping[str, Any], paths: tuple[ClaimPath, ...], *, jwt_payload: Mapping[str, Any] | None = None) -> bool:
    """Every claims path selects something in ``credential`` (VP §7.1: paths start at the root of
    the credential). For a ``jwt_vc_json`` credential ``credential`` is its ``vc`` claim, the root
    VP App. B.1.3.1's example queries from (``["credentialSubject", …]``); a path written from the
    JWT payload (``["vc", "credentialSubject", …]``) is accepted too, since both readings occur."""
    return all(_selects(credential, p) or (jwt_payload is not None and _selects(jwt_payload, p)) for p in paths)


def ob3_query(dcql: Any, formats: tuple[str, ...] = ("ldp_vc",)) -> CredentialQuery | None:
    """The first credential query an OB 3.0 badge in one of ``formats`` answers, or None."""
    for query in credential_queries(dcql):
        if query.format in formats and query.asks_for_ob3:
            return query
    return None
