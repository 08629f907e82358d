"""What verifying one document found: its check results, nested reports, and what *verified*
and *conformant* mean.

*verified* means authentic and currently valid: no MUST failure in parsing, structure,
contexts, proofs, binding, JOSE claims, dates or status. *conformant* additionally needs the
format's schema and MUST checks (Open Badges 3.0, CLR 2.0) to pass.

A failure can be one lerconf *could not check*: it got no answer for a document the check needs
(a DID document, key URL or status list behind its address guard, offline and not mapped, TLS
trust, connection refused, timeout, DNS). Such a result stays FAILED (verification fails closed:
not verified) and carries ``could_not_check`` and a ``fix`` in its details. When every failure
that blocks verification is of that kind, the :attr:`VerificationReport.outcome` is
``could-not-check`` rather than ``failed``.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lerconf import entropy
from lerconf.checks.status import ListMinimum
from lerconf.results import Category, CheckResult, Severity, Status

__all__ = ["COULD_NOT_CHECK", "FAILED", "STATUS_RESULT", "VERIFIED", "VerificationReport", "VerifyOptions",
           "blocks_verification", "could_not_check", "problem_detail", "status_problem"]

#: the three outcomes of verifying a document (VerificationReport.outcome)
VERIFIED, FAILED, COULD_NOT_CHECK = "verified", "failed", "could-not-check"

#: problem type of a revoked or suspended credential: the status result of BSL §3.2 (see status_problem)
STATUS_RESULT = "https://www.w3.org/TR/vc-bitstring-status-list/#validate-algorithm"

FORMAT_PREFIXES = ("OB-", "CLR-", "OBAPI-")
#: Open Badges requirements that are about authenticity or validity now, not format conformance
FORMAT_VERIFICATION_IDS = frozenset({"OB-23", "OB-24", "OB-26", "OB-27", "OB-29", "CLR-09"})
CONFORMANCE_ONLY = frozenset({Category.SCHEMA})


def blocks_verification(result: CheckResult) -> bool:
    """True when this result makes a document not *verified* (as opposed to not conformant)."""
    if result.status is not Status.FAILED or result.severity is not Severity.MUST:
        return False
    if result.category in CONFORMANCE_ONLY:
        return False
    return not (result.requirement.startswith(FORMAT_PREFIXES) and result.requirement not in FORMAT_VERIFICATION_IDS)


def could_not_check(result: CheckResult) -> bool:
    """True when ``result`` failed because lerconf got no answer for a document it needs (not
    because of what the document said): its details carry ``could_not_check`` and a ``fix``."""
    return result.status is Status.FAILED and bool(result.details.get("could_not_check"))


@dataclass
class VerifyOptions:
    """What the caller expects: time of evaluation, proof purpose, presentation binding."""

    at: datetime = field(default_factory=entropy.utc_now)
    challenge: str | None = None
    domain: str | Sequence[str] | None = None
    check_status: bool = True
    accepted_suites: Sequence[str] | None = None
    #: the fewest entries a status list may hold (BSL-16): the spec's 131,072 unless an ecosystem lowers it
    status_list_minimum: ListMinimum = field(default_factory=ListMinimum)
    #: a recipient the verifier knows (OB-28) and, optionally, its identity type (e.g. emailAddress)
    recipient: str | None = None
    recipient_type: str | None = None
    #: how many endorsements deep this document sits (endorsements of endorsements are bounded)
    endorsement_depth: int = 0
    #: the verifier's own id, against which a bbs-2023 pseudonym is checked (per-verifier linkability)
    verifier_id: str | None = None
    #: follow a ``1EdTechCredentialRefresh`` service after the proof check (OB-25); off for what a refresh
    #: returned, so a credential is refreshed at most once (lerconf.verify.refresh)
    refresh: bool = True


@dataclass
class VerificationReport:
    """All check results for one document, plus reports of the documents nested in it."""

    source: str
    kind: str  # credential | presentation | jwt | unknown
    document: Any = None
    source_secured_by: str = "proof"  # "proof" (embedded) or the envelope: "jwt", "cose", "sd-jwt"
    checks: list[CheckResult] = field(default_factory=list)
    nested: list[VerificationReport] = field(default_factory=list)
    #: when a refresh replaced the original (OB-25): the original's report as far as it went (parsing, proofs,
    #: key binding: refresh comes right after them), shown beside the verdict, never counted in it
    refreshed_from: VerificationReport | None = None

    def _failures(self) -> list[CheckResult]:
        failed = Status.FAILED  # one comparison per result, no call: read for every verification (issue 19)
        return [r for r in self.checks if r.status is failed and r.severity is Severity.MUST]

    @property
    def verified(self) -> bool:
        return not any(blocks_verification(r) for r in self._failures()) and all(n.verified for n in self.nested)

    @property
    def conformant(self) -> bool:
        return not self._failures() and all(n.conformant for n in self.nested)

    def blocking_failures(self) -> list[tuple[str, CheckResult]]:
        """(source, result) of every failure that makes this report, or a nested one, not verified."""
        out = [(self.source, r) for r in self.checks if blocks_verification(r)]
        for n in self.nested:
            out.extend(n.blocking_failures())
        return out

    def unchecked(self) -> list[tuple[str, CheckResult]]:
        """(source, result) of every blocking failure lerconf *could not check* (see :func:`could_not_check`)."""
        return [(source, r) for source, r in self.blocking_failures() if could_not_check(r)]

    @property
    def outcome(self) -> str:
        """``verified``; ``could-not-check`` when every blocking failure is one lerconf could not
        check (the document is still not verified); else ``failed``."""
        blocking = self.blocking_failures()
        if not blocking:
            return VERIFIED
        return COULD_NOT_CHECK if all(could_not_check(r) for _, r in blocking) else FAILED

    def all_checks(self) -> list[CheckResult]:
        out = list(self.checks)
        for n in self.nested:
            out.extend(n.all_checks())
        return out

    def to_json(self) -> dict[str, Any]:
        failures = [r for r in self.checks if r.status is Status.FAILED]
        warnings = [r for r in self.checks if r.status is Status.WARNING]
        return {
            "file": self.source,
            "kind": self.kind,
            "verified": self.verified,
            "outcome": self.outcome,
            "conformant": self.conformant,
            "could_not_check": [{"source": source, "requirement": r.requirement, "message": r.message,
                                 "fix": str(r.details.get("fix") or ""), **({"subject": r.subject} if r.subject else {})}
                                for source, r in self.unchecked()],
            "checks": [r.to_json() for r in self.checks],
            "errors": [problem_detail(r) for r in failures],
            "warnings": [problem_detail(r) for r in warnings],
            "nested": [n.to_json() for n in self.nested],
            **({"refreshed_from": self.refreshed_from.to_json()} if self.refreshed_from is not None else {}),
        }


def problem_detail(result: CheckResult) -> dict[str, Any]:
    """RFC 9457-style problem detail for a failed or warning check (a set status bit is a status result)."""
    status = status_problem(result)
    if status is not None:
        return status
    code = result.error_type or "MALFORMED_VALUE_ERROR"
    base = "https://w3id.org/security#" if code.startswith(("PROOF_", "INVALID_", "DATA_LOSS")) else (
        "https://www.w3.org/ns/credentials/status-list#" if code.startswith("STATUS_") else "https://www.w3.org/TR/vc-data-model#"
    )
    return {"type": base + code, "code": code, "title": result.requirement, "detail": result.message,
            "requirement": result.requirement, **({"subject": result.subject} if result.subject else {})}


def status_problem(result: CheckResult) -> dict[str, Any] | None:
    """A set revocation or suspension bit (BSL-18) as what BSL §3.2 makes of it: a status result.

    Bitstring Status List defines no error for a revoked or suspended credential (its errors
    are STATUS_RETRIEVAL_ERROR, STATUS_VERIFICATION_ERROR, STATUS_LIST_LENGTH_ERROR, RANGE_ERROR,
    MALFORMED_VALUE_ERROR): the validate algorithm succeeds and returns ``status``, ``purpose``
    and ``valid: false``. So the reason ``verified`` is false is that result, typed by the
    algorithm's own section, never a MALFORMED_VALUE_ERROR. ``None`` for any other result."""
    info = result.details
    if result.requirement != "BSL-18" or result.error_type or "status" not in info or "purpose" not in info:
        return None
    word = {"revocation": "revoked", "suspension": "suspended"}.get(str(info["purpose"]), f"{info['purpose']} status set")
    status_result = {"status": info["status"], "purpose": info["purpose"], "valid": False}
    if "index" in info:
        status_result["statusListIndex"] = str(info["index"])
    if "list" in info:
        status_result["statusListCredential"] = info["list"]
    body: dict[str, Any] = {"type": STATUS_RESULT, "title": f"Credential {word}", "detail": result.message,
                            "requirement": result.requirement, "statusResult": status_result}
    if result.subject:
        body["subject"] = result.subject
    return body
