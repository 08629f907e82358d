"""The result model shared by every check, the verify command and the reports."""
from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class Status(str, enum.Enum):
    """What a check concluded."""

    PASSED = "passed"
    FAILED = "failed"
    WARNING = "warning"
    NOT_APPLICABLE = "not_applicable"


class Severity(str, enum.Enum):
    """Normative strength of the requirement a check tests."""

    MUST = "MUST"
    SHOULD = "SHOULD"
    MAY = "MAY"


class Category(str, enum.Enum):
    """Which part of verification a check belongs to (used for verdicts and failure classes)."""

    PARSE = "parse"
    STRUCTURE = "structure"
    CONTEXT = "context"
    PROOF = "proof"
    ISSUER_BINDING = "issuer-binding"
    DATES = "dates"
    STATUS = "status"
    SCHEMA = "schema"
    JOSE_CLAIMS = "jose-claims"
    PROTOCOL = "protocol"  # how a vendor's API behaved (status codes, echoed options)


#: Categories whose failure means the credential is not *verified* (authentic and valid now).
#: Failures elsewhere (schema, SHOULD-level structure) only make it not *conformant*.
VERIFICATION_CATEGORIES = frozenset(
    {
        Category.PARSE,
        Category.CONTEXT,
        Category.PROOF,
        Category.ISSUER_BINDING,
        Category.DATES,
        Category.STATUS,
        Category.JOSE_CLAIMS,
        Category.STRUCTURE,
    }
)


@dataclass(slots=True)
class CheckResult:
    """One requirement tested once, with what was observed. A value: nothing changes one after it
    is made (a changed copy is a new CheckResult); not ``frozen`` only because a frozen dataclass
    is built four times slower, and a verification builds about sixty (issue 19)."""

    requirement: str
    status: Status
    severity: Severity
    category: Category
    message: str
    spec_url: str
    error_type: str | None = None
    subject: str = ""
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def is_failure(self) -> bool:
        return self.status is Status.FAILED

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.requirement,
            "category": self.category.value,
            "status": self.status.value,
            "severity": self.severity.value,
            "message": self.message,
            "spec_url": self.spec_url,
        }
        if self.error_type:
            out["error_type"] = self.error_type
        if self.subject:
            out["subject"] = self.subject
        if self.details:
            out["details"] = {k: _jsonable(v) for k, v in self.details.items()}
        return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    return repr(value)
