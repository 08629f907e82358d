"""`lerconf verify --json` and the reference verifier share one problem detail: a set status bit is
the status result BSL §3.2 returns, never a MALFORMED_VALUE_ERROR."""
from __future__ import annotations

from lerconf.results import Category, CheckResult, Severity, Status
from lerconf.verify.report import STATUS_RESULT, problem_detail


def _result(rid: str, details: dict[str, object], error: str | None = None) -> CheckResult:
    return CheckResult(rid, Status.FAILED, Severity.MUST, Category.STATUS, "status bit set", "https://example.org",
                       error_type=error, details=details)


def test_a_revoked_credential_is_a_status_result() -> None:
    problem = problem_detail(_result("BSL-18", {"status": 1, "purpose": "revocation", "index": 7, "list": "https://s/1"}))
    assert problem["type"] == STATUS_RESULT and problem["title"] == "Credential revoked"
    assert problem["statusResult"] == {"status": 1, "purpose": "revocation", "valid": False,
                                       "statusListIndex": "7", "statusListCredential": "https://s/1"}
    assert "MALFORMED_VALUE_ERROR" not in str(problem)


def test_other_failures_keep_their_error_type() -> None:
    problem = problem_detail(_result("BSL-13", {}, error="STATUS_RETRIEVAL_ERROR"))
    assert problem["code"] == "STATUS_RETRIEVAL_ERROR" and problem["type"].endswith("status-list#STATUS_RETRIEVAL_ERROR")
    assert problem_detail(_result("VCDM-06", {}))["code"] == "MALFORMED_VALUE_ERROR"
