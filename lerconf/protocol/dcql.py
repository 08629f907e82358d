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

__all__ = ["OB3_TYPE_IRIS", "CredentialQuery", "credential_queries", "ob3_query"]

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
                                   entry.get("multiple") is True))
    return out


def ob3_query(dcql: Any, formats: tuple[str, ...] = ("ldp_vc",)) -> CredentialQuery | None:
    """The first credential query an OB 3.0 badge in one of ``formats`` answers, or None."""
    for query in credential_queries(dcql):
        if query.format in formats and query.asks_for_ob3:
            return query
    return None
