"""Open Badges 3.0 verification step 3 in the engine: the 1EdTech credential refresh (OB-25).

Called right after the proof stage (embedded proof or JWT), before status, dates and format, as the
spec orders it. When the credential names a ``1EdTechCredentialRefresh`` service and its proof
verified, the service is fetched once through the document loader, so a refresh URL meets every rule
any other fetch does: the URL map, ``--offline``, the address guard (private addresses refused
before any connection unless allowed), the size and time limits, and no redirect to another origin.
What came back is verified from the start with refreshing switched off (steps 1 and 2 again, never
a second refresh) and, when it verifies and is the same credential, its report is the verdict; else
the original goes on and the OB-25 result says why (lerconf.checks.refresh).

A refreshed credential replaces the original because refreshing exists for the original's being out
of date (expired, superseded): the original's report is kept beside it (``refreshed_from``), never
nested, so its staleness does not count against the credential that replaced it.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from lerconf.checks.refresh import RefreshOutcome, credential_refresh, not_the_same_credential, refresh_url_of, refreshable
from lerconf.errors import ResolutionError
from lerconf.redact import redact_text
from lerconf.results import Category, Severity, Status
from lerconf.verify.report import VerificationReport, VerifyOptions

if TYPE_CHECKING:
    from lerconf.verify.stages import Verifying

__all__ = ["proof_verified", "refresh"]

#: the results that make "the proof method is satisfied" (OB 3.0 step 2) for the refresh decision: the document
#: parsed, a signature verified by a key bound to the issuer. A VC-JWT's claims (an ``exp`` passed, a ``jti`` that
#: is not the id: OB-24) are judged on whichever credential verification goes on with, never a reason not to
#: refresh: an expired badge is what refreshing is for
PROOF_CATEGORIES = frozenset({Category.PARSE, Category.PROOF, Category.ISSUER_BINDING})
#: results of those categories that are not about the proof: OB-25 itself, and OB-16 (where the key is published:
#: an issuer's conformance, never a verification step)
NOT_PROOF = frozenset({"OB-25", "OB-16"})


def proof_verified(report: VerificationReport) -> bool:
    """At least one proof check passed and nothing about parsing, proofs or key binding failed."""
    results = [r for r in report.checks if r.category in PROOF_CATEGORIES and r.requirement not in NOT_PROOF]
    if any(r.status is Status.FAILED and r.severity is Severity.MUST for r in results):
        return False
    return any(r.category is Category.PROOF and r.status is Status.PASSED for r in results)


def refresh(v: Verifying, doc: Mapping[str, Any], opts: VerifyOptions, report: VerificationReport) -> VerificationReport | None:
    """The refreshed credential's report (to stand for ``report``), or None: go on with the original
    (``report`` then carries the OB-25 result, when the credential has a refresh service)."""
    if not opts.refresh or not v.refreshes or report.kind != "credential" or not refreshable(doc):
        return None
    url = refresh_url_of(doc)
    if not proof_verified(report):  # never before the proof check: a forged badge must not choose what replaces it
        report.checks.append(credential_refresh(url, RefreshOutcome.NOT_AFTER_PROOF))
        return None
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        report.checks.append(credential_refresh(url, RefreshOutcome.KEPT, "the refresh service's id is not an http(s) URL"))
        return None
    try:
        data = v.loader.load_remote_bytes(url)
    except ResolutionError as exc:
        offline = exc.unreached and v.loader.settings.offline
        report.checks.append(credential_refresh(url, RefreshOutcome.OFFLINE if offline else RefreshOutcome.KEPT, str(exc)))
        return None
    except ValueError as exc:  # a URL the standard library cannot even parse (a port out of range, a broken [host])
        report.checks.append(credential_refresh(url, RefreshOutcome.KEPT, f"the refresh service's id is not a usable "
                                                f"URL ({exc})"))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        report.checks.append(credential_refresh(url, RefreshOutcome.KEPT, "the refresh service answered a body that is "
                                                "not UTF-8 text (neither a JSON credential nor a compact JWS)"))
        return None
    # steps 1 and 2 again, from the start, and never a second refresh (whatever the refreshed one names)
    refreshed = v.verify_text(text, f"{report.source} (refreshed from {redact_text(url)})",
                              dataclasses.replace(opts, refresh=False))
    reason = _not_usable(doc, refreshed)
    if reason:
        report.checks.append(credential_refresh(url, RefreshOutcome.KEPT, reason))
        return None
    refreshed.source = report.source
    refreshed.checks.insert(0, credential_refresh(url, RefreshOutcome.REFRESHED))
    refreshed.refreshed_from = report
    return refreshed


def _not_usable(original: Mapping[str, Any], refreshed: VerificationReport) -> str | None:
    """Why the refreshed credential cannot replace the original, or None."""
    if refreshed.kind != "credential" or not isinstance(refreshed.document, Mapping):
        first = next((r.message for r in refreshed.checks if r.status is Status.FAILED), "")
        return f"the refresh service answered no credential ({refreshed.kind}{': ' + first if first else ''})"
    if not proof_verified(refreshed):
        failures = [f"{r.requirement}: {r.message}" for r in refreshed.checks
                    if r.category in PROOF_CATEGORIES and r.status is Status.FAILED and r.severity is Severity.MUST]
        return "the refreshed credential's proof does not verify" + (f" ({'; '.join(failures[:3])})" if failures
                                                                     else " (it has none)")
    return not_the_same_credential(original, refreshed.document)
