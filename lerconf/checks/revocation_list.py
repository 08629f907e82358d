"""OB-26: a badge whose ``credentialStatus`` is a 1EdTech Revocation List (1EdTech Revocation List
Status Method 1.0, named by Open Badges 3.0 verification step 4).

The entry is ``{"id": <the list's URL>, "type": "1EdTechRevocationList"}``; the list, fetched from
that URL, is ``{"id", "issuer", "revokedCredentials": [{"id": <a revoked credential's id>,
"revocationReason"?}]}``. A credential whose ``id`` is listed is revoked. The list should be issued
by the badge's issuer: one that names another issuer (a profile URL for a DID, a typo) is a warning,
and the badge is still looked up in it — the entry the issuer put in its own badge points there,
so a listed badge is revoked whoever the list says it is from. Fetching is done by the caller (the
document loader, its address guard and limits); these checks judge what came back.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lerconf.checks.base import Verdict, check, failed, passed, warning
from lerconf.checks.binding import party_id
from lerconf.results import Category, Severity

__all__ = ["REVOCATION_LIST_TYPE", "credential_is_not_on_revocation_list", "revocation_list_entry_is_wellformed",
           "revocation_list_is_issued_by_the_issuer", "revocation_list_retrieved"]

REVOCATION_LIST_TYPE = "1EdTechRevocationList"


@check("OB-26", Category.STATUS)
def revocation_list_entry_is_wellformed(entry: Any, *, subject: str = "") -> Verdict:
    """A 1EdTechRevocationList entry names the list by an http(s) ``id``."""
    url = entry.get("id") if isinstance(entry, Mapping) else None
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        return failed(f"the {REVOCATION_LIST_TYPE} entry's id {url!r} is not the URL of a revocation list",
                      subject=subject)
    return passed(f"the {REVOCATION_LIST_TYPE} entry names its list ({url})", subject=subject)


@check("OB-26", Category.STATUS)
def revocation_list_retrieved(url: str, document: Any, error: str | None, *, subject: str = "", unreached: bool = False,
                              fix: str = "") -> Verdict:
    """The list can be fetched and is a RevocationList: an object with a ``revokedCredentials`` array."""
    if error is not None:
        extra: dict[str, Any] = {"could_not_check": True, "fix": fix} if unreached else {}
        return failed(f"the revocation list {url} could not be fetched: {error}", subject=subject, **extra)
    if not isinstance(document, Mapping) or not isinstance(document.get("revokedCredentials"), list):
        return failed(f"{url} is not a 1EdTech revocation list (no revokedCredentials array)", subject=subject)
    issuer = document.get("issuer")
    if not isinstance(issuer.get("id") if isinstance(issuer, Mapping) else issuer, str):
        return failed(f"the revocation list {url} names no issuer", subject=subject)
    return passed(f"revocation list {url} fetched ({len(document['revokedCredentials'])} revoked)", subject=subject)


@check("OB-26", Category.STATUS, severity=Severity.SHOULD)
def revocation_list_is_issued_by_the_issuer(credential: Mapping[str, Any], revocation_list: Mapping[str, Any], *,
                                            subject: str = "") -> Verdict:
    """The list's ``issuer`` is the badge's issuer: a list published under another name (a profile
    URL for a DID, a typo) is worth a warning; the badge is still looked up in it."""
    listed_id, own = party_id(revocation_list.get("issuer")), party_id(credential.get("issuer"))
    if listed_id != own:
        return warning(f"the revocation list's issuer {listed_id!r} is not the badge's issuer {own!r}", subject=subject)
    return passed("the revocation list is the badge issuer's", subject=subject)


@check("OB-26", Category.STATUS)
def credential_is_not_on_revocation_list(credential: Mapping[str, Any], revocation_list: Mapping[str, Any], url: str, *,
                                         subject: str = "") -> Verdict:
    """A credential whose ``id`` is in the list's ``revokedCredentials`` is revoked."""
    own = credential.get("id")
    if not isinstance(own, str):
        return failed(f"the badge has no id, so its {REVOCATION_LIST_TYPE} status cannot be looked up", subject=subject)
    for entry in revocation_list.get("revokedCredentials") or []:
        if isinstance(entry, Mapping) and entry.get("id") == own:
            reason = entry.get("revocationReason")
            return failed(f"revoked: {own} is listed in {url}" + (f" ({reason})" if isinstance(reason, str) and reason else ""),
                          subject=subject, error="REVOKED")
    return passed(f"{own} is not on the revocation list", subject=subject)
