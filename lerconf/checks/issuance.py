"""Checks on how an issuer's API behaves (VCALM issue), beyond what the credential says."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from lerconf.checks.base import Verdict, check, composed, failed, passed
from lerconf.results import Category, CheckResult

_PRESERVED = ("@context", "type", "credentialSubject", "validFrom", "validUntil", "issuanceDate", "expirationDate", "id")


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def _issuer_id(value: Any) -> Any:
    return value.get("id") if isinstance(value, Mapping) else value


@check("API-01", Category.PROTOCOL)
def issue_answered_201(status: int | None, body: Any) -> Verdict:
    """POST /credentials/issue MUST answer 201 with {verifiableCredential}."""
    if status != 201:
        return failed(f"issue answered HTTP {status}, VCALM requires 201 Created", status=status)
    if not isinstance(body, Mapping) or not isinstance(body.get("verifiableCredential"), (dict, str)):
        return failed("201 answer without a verifiableCredential")
    return passed("201 Created with a verifiableCredential")


@check("API-02", Category.PROTOCOL)
def issued_credential_preserves_input(submitted: Mapping[str, Any], issued: Mapping[str, Any]) -> Verdict:
    """The returned credential MUST keep every submitted property and only add the proof (and status if asked)."""
    changed = [k for k in _PRESERVED if k != "@context" and k in submitted and issued.get(k) != submitted.get(k)]
    # contexts may be appended (DI §2.4.2 injects the data-integrity context), never changed
    sub_ctx, out_ctx = _as_list(submitted.get("@context")), _as_list(issued.get("@context"))
    if out_ctx[: len(sub_ctx)] != sub_ctx:
        changed.insert(0, "@context")
    if _issuer_id(submitted.get("issuer")) != _issuer_id(issued.get("issuer")):
        changed.append("issuer")
    missing = [k for k in submitted if k not in issued]
    if changed or missing:
        return failed(f"issued credential changed {', '.join(changed) or '-'}; dropped {', '.join(missing) or '-'}",
                      changed=changed, dropped=missing)
    return passed("every submitted property is kept")


@check("API-01", Category.PROTOCOL)
def issuer_is_the_configured_issuer(issued: Mapping[str, Any], expected_issuer: str) -> Verdict:
    """The issuer of an issued credential MUST be the issuer the instance is configured for."""
    actual = _issuer_id(issued.get("issuer"))
    if actual != expected_issuer:
        return failed(f"issued by {actual!r}, the vendor profile names {expected_issuer!r}")
    return passed(f"issued by {expected_issuer}")


#: what an issued credential must carry for a requirement's checks to apply
_NEEDS = {
    "BSL": ("credentialStatus", "credentialStatus entry, although one was requested"),
    "DI": ("proof", "embedded Data Integrity proof"),
    "CID": ("proof", "embedded Data Integrity proof naming a verification method"),
}


@check("API-02", Category.PROTOCOL)
def issued_credential_has(issued: Any, requirement: str) -> Verdict:
    """An issued credential MUST carry what was requested, so each requirement can be checked on it.

    Reached only when no check of ``requirement`` applied: it says which part is missing, or that
    verification stopped before the requirement's checks (the earlier results carry the cause, an
    unresolvable key among them: the binding check itself reports "cannot resolve <key>: <cause>")."""
    field, what = _NEEDS.get(requirement.split("-")[0], ("", ""))
    if not isinstance(issued, Mapping):
        return failed(f"{requirement} cannot be checked: the issuer returned no credential object")
    if field and field not in issued:
        return failed(f"{requirement} cannot be checked: the issued credential has no {what}")
    return failed(f"{requirement} cannot be checked: verifying the issued credential stopped before any check of "
                  f"{requirement} applied (see the earlier results for the cause)")


@check("OB-12", Category.PROOF)
def issued_badge_proof_verifies(proof_results: Sequence[CheckResult]) -> Verdict:
    """An issued badge carries a supported proof, and lerconf's engine verifies it (its proof,
    securing-method claims and parsing results)."""
    return composed(proof_results, "the issued badge's proof")
