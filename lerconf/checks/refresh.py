"""OB-25: the 1EdTech credential refresh (Open Badges 3.0 verification, step 3).

A badge (or an EndorsementCredential) whose ``refreshService`` has the type
``1EdTechCredentialRefresh`` is refreshed (1EdTech Verifiable Credential Refresh Service 1.0): its
``id`` is the URL of the issuer's refresh service, and lerconf GETs it for the refreshed
credential. The OB 3.0 text fixes the order and the bounds, not the transport: refresh only after
the proof check ("so that the verifier is not spoofed into receiving a refreshed credential from a
bad actor"), only once (not again for the refreshed credential's own ``refreshService``), then
steps 1 and 2 again on what came back; a refresh that is not successful leaves the original.

What lerconf takes for *successful* is its own reading, said here so it can be argued with: the
answer is a credential (JSON or a compact JWS) whose proof verifies, with the original's ``id``
and issuer, still of the original's Open Badges type. Anything else (no answer, a refused address,
an oversized or unreadable body, a proof that does not verify, another credential) keeps the
original, with the reason in a warning: the spec lets the verifier go on, so a failed refresh never
makes a badge unverified by itself.

The engine does the fetching and verifying (lerconf.verify.refresh); these checks judge what it
found, and what a vendor's verifier did with lerconf's refresh service (features/verifier/).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lerconf.checks.base import Verdict, check, failed, not_applicable, passed, warning
from lerconf.checks.binding import party_id
from lerconf.checks.ob import is_open_badge, types_of
from lerconf.redact import redact_text
from lerconf.results import Category

__all__ = [
    "REFRESH_TYPE",
    "RefreshOutcome",
    "credential_refresh",
    "not_the_same_credential",
    "refresh_called_at_most_once",
    "refresh_never_called",
    "refresh_url_of",
    "refreshable",
]

REFRESH_TYPE = "1EdTechCredentialRefresh"
#: the Open Badges types verified by the OB steps (the refreshed credential must keep the original's)
OB_TYPES = ("OpenBadgeCredential", "AchievementCredential", "EndorsementCredential")


def refreshable(credential: Any) -> bool:
    """An Open Badge or EndorsementCredential with a ``1EdTechCredentialRefresh`` refresh service."""
    if not isinstance(credential, Mapping):
        return False
    if not (is_open_badge(credential) or "EndorsementCredential" in types_of(credential.get("type"))):
        return False
    return any(REFRESH_TYPE in types_of(s.get("type")) for s in _services(credential))


def refresh_url_of(credential: Mapping[str, Any]) -> Any:
    """The ``id`` of the first ``1EdTechCredentialRefresh`` service (as given: not necessarily a URL)."""
    for service in _services(credential):
        if REFRESH_TYPE in types_of(service.get("type")):
            return service.get("id")
    return None


def _services(credential: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    value = credential.get("refreshService")
    return [s for s in (value if isinstance(value, list) else [value]) if isinstance(s, Mapping)]


def not_the_same_credential(original: Mapping[str, Any], refreshed: Any) -> str | None:
    """Why ``refreshed`` cannot stand for ``original`` (another id, issuer or type), or None."""
    if not isinstance(refreshed, Mapping):
        return "the refresh service answered no credential"
    if not isinstance(original.get("id"), str):
        return "the original credential has no id, so no refreshed credential can be shown to be the same one"
    if refreshed.get("id") != original.get("id"):
        return f"the refreshed credential's id {refreshed.get('id')!r} is not the original's {original.get('id')!r}"
    new_issuer, old_issuer = party_id(refreshed.get("issuer")), party_id(original.get("issuer"))
    if new_issuer != old_issuer:
        return f"the refreshed credential's issuer {new_issuer!r} is not the original's {old_issuer!r}"
    kept = [t for t in OB_TYPES if t in types_of(original.get("type"))]
    lost = [t for t in kept if t not in types_of(refreshed.get("type"))]
    if lost:
        return f"the refreshed credential is no longer typed {', '.join(lost)}"
    return None


class RefreshOutcome:
    """What the engine did with a credential's refresh service (the words of the OB-25 result)."""

    REFRESHED = "refreshed"          # fetched, verified, same credential: verification goes on with it
    KEPT = "kept"                    # tried and not successful: verification goes on with the original
    NOT_AFTER_PROOF = "not-after-proof"  # the original's proof did not verify: never refreshed
    OFFLINE = "offline"              # lerconf may not fetch it (offline, not in the URL map)


@check("OB-25", Category.STATUS)
def credential_refresh(url: Any, outcome: str, reason: str = "") -> Verdict:
    """Step 3: refreshed after the proof check, once; a refresh that failed keeps the original (a warning).
    The URL is shown redacted: a vendor's refresh URL may carry a token in its query."""
    url = redact_text(str(url))
    if outcome == RefreshOutcome.REFRESHED:
        return passed(f"refreshed from {url} once, after the proof check; the refreshed credential verified and is "
                      "verified in the original's place", subject="refreshService", url=url)
    if outcome == RefreshOutcome.NOT_AFTER_PROOF:
        return not_applicable(f"not refreshed from {url}: the proof did not verify, and refresh comes only after the "
                              "proof check", subject="refreshService", url=url)
    if outcome == RefreshOutcome.OFFLINE:
        return not_applicable(f"not refreshed from {url}: {reason}", subject="refreshService", url=url)
    return warning(f"refresh from {url} not successful, verification continues with the original: {reason}",
                   subject="refreshService", url=url)


# -- what a vendor's verifier did with lerconf's refresh service (features/verifier/) ------------------------------
@check("OB-25", Category.PROTOCOL)
def refresh_called_at_most_once(url: str, calls: int) -> Verdict:
    """A verifier refreshes a badge at most once, even when the refreshed badge names a refresh service again."""
    if calls > 1:
        return failed(f"the verifier called the refresh service {url} {calls} times for one verification; "
                      "OB 3.0 step 3 refreshes once", calls=calls)
    return passed(f"the verifier called the refresh service {url} {calls} time(s)"
                  + ("" if calls else " (refreshing is its choice when the service is out of reach)"), calls=calls)


@check("OB-25", Category.PROTOCOL)
def refresh_never_called(url: str, calls: int) -> Verdict:
    """A badge whose proof does not verify is never refreshed: refresh comes after the proof check."""
    if calls:
        return failed(f"the verifier called the refresh service {url} {calls} time(s) for a badge whose proof does "
                      "not verify; OB 3.0 step 3 refreshes only after the proof check", calls=calls)
    return passed(f"the verifier did not call the refresh service {url} for a badge whose proof does not verify")
