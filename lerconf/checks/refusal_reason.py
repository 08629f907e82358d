"""Did a vendor refuse lerconf's defective request or document for the right reason?

One rule for every protocol: what the vendor said (VC API problem details — ``type``, ``code``,
``title``, ``detail`` —, a verification result's ``problemDetails``/``errors`` entries, an OpenID
``error``/``error_description``) is compared with the reasons the spec names for the defect
lerconf injected (VC Data Model 2.0 §7.1 and Data Integrity error types, OID4VCI §8.3.1.2 error
codes). Matching is lenient where the specs are (a type URL or its bare code; in ``type``,
``code``, ``title`` or any ``errors[]`` entry; case and ``_``/space/``-`` do not matter) and strict
where it counts: an authentication or authorization failure (HTTP 401/403, ``invalid_token``…) and
a complaint about lerconf's request options are never the right reason.

The refusal itself is judged elsewhere (a MUST); the reason only ever adds a SHOULD-level warning
("rejected for another reason: …" or "rejected without saying why") under the scenario's
requirement id, so a refusal for the wrong reason passes the MUST but is visible.
"""
from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from lerconf.requirements import requirement
from lerconf.results import Category, CheckResult, Severity, Status

__all__ = ["AUTH_CODES", "Reason", "ReasonJudgement", "judge_reason", "reason_finding", "stated_reasons"]

#: OpenID / OAuth error codes that say "who are you", never "what you sent is wrong"
AUTH_CODES = frozenset({"invalid_token", "invalid_client", "unauthorized_client", "insufficient_scope", "access_denied",
                        "unauthorized", "forbidden", "unauthenticated"})
#: phrases of a refusal about lerconf's request envelope (its ``options``), not about the defect
_UNRELATED = re.compile(r"\boptions?\b.{0,60}\b(unknown|unrecogni[sz]ed|unsupported|not allowed|not supported|unexpected)\b|"
                        r"\b(unknown|unrecogni[sz]ed|unsupported|unexpected)\b.{0,60}\boptions?\b", re.IGNORECASE)
_AUTH_TEXT = re.compile(r"\b(unauthori[sz]ed|unauthenticated|forbidden|access token|bearer token|api[ -]?key)\b",
                        re.IGNORECASE)
_TEXT_FIELDS = ("type", "code", "title", "error")


class Reason(str, enum.Enum):
    """What a refusal's stated reason is, compared with the defect's."""

    MATCHES = "matches"
    OTHER = "another reason"
    NONE = "no reason"


@dataclass(frozen=True)
class ReasonJudgement:
    reason: Reason
    said: str                       # what the vendor said, short, for the finding
    expected: frozenset[str] | None

    @property
    def message(self) -> str:
        expected = f"; expected {' or '.join(sorted(self.expected))}" if self.expected else ""
        if self.reason is Reason.NONE:
            return f"rejected without saying why ({self.said}){expected}"
        return f"rejected for another reason: {self.said}{expected}"


def _token(value: str) -> str:
    """A type URL or code reduced to its comparable name: the fragment or last path segment, upper
    case, separators as ``_`` (``https://w3id.org/security#PROOF_VERIFICATION_ERROR`` and
    ``Proof verification error`` are both ``PROOF_VERIFICATION_ERROR``)."""
    text = value.strip()
    if "#" in text:
        text = text.rsplit("#", 1)[1]
    elif "://" in text or text.startswith("urn:"):
        text = re.split(r"[/:]", text.rstrip("/"))[-1]
    return re.sub(r"[\s\-_]+", "_", text).strip("_").upper()


def _entries(body: Any) -> list[Mapping[str, Any]]:
    """The problem entries of an answer: the body itself, and each entry of its problemDetails/errors."""
    if not isinstance(body, Mapping):
        return []
    out: list[Mapping[str, Any]] = [body]
    for key in ("problemDetails", "errors", "problems"):
        items = body.get(key)
        for item in items if isinstance(items, list) else [items] if isinstance(items, Mapping) else []:
            if isinstance(item, Mapping):
                out.append(item)
            elif isinstance(item, str) and item:
                out.append({"detail": item})
    return out


def stated_reasons(body: Any) -> tuple[list[str], list[str]]:
    """The codes (type, code, title, error of every entry) and free texts (detail,
    error_description, message) an answer states; ``about:blank`` and empty values are no reason."""
    codes: list[str] = []
    texts: list[str] = []
    for entry in _entries(body):
        for name in _TEXT_FIELDS:
            value = entry.get(name)
            if isinstance(value, str) and value.strip() and value.strip() != "about:blank":
                codes.append(value.strip())
        for name in ("detail", "error_description", "message"):
            value = entry.get(name)
            if isinstance(value, str) and value.strip():
                texts.append(value.strip())
    return codes, texts


def _said(status: int | None, codes: list[str], texts: list[str]) -> str:
    parts = list(dict.fromkeys(codes))[:3] + [repr(t[:120]) for t in list(dict.fromkeys(texts))[:2]]
    head = f"HTTP {status}" if status is not None else "no HTTP status"
    return f"{head}: {', '.join(parts)}" if parts else head


def _only_status_phrase(status: int | None, codes: list[str], texts: list[str]) -> bool:
    """A title that is the HTTP status phrase ("Bad Request") and nothing else says nothing."""
    try:
        phrase = HTTPStatus(status).phrase if status is not None else ""
    except ValueError:
        phrase = ""
    return not texts and bool(codes) and all(_token(c) == _token(phrase) for c in codes)


def judge_reason(status: int | None, body: Any, expected: Iterable[str] | None) -> ReasonJudgement:
    """Compare what a refusal said with the reasons ``expected`` for the defect (type URLs, bare
    codes or OpenID error codes; None: the spec names none, any stated reason will do)."""
    wanted = frozenset(expected) if expected is not None else None
    codes, texts = stated_reasons(body)
    said = _said(status, codes, texts)
    if status in (401, 403, 407) or any(c.lower() in AUTH_CODES for c in codes):
        return ReasonJudgement(Reason.OTHER, f"an authentication or authorization error ({said})", wanted)
    if (not codes or _only_status_phrase(status, codes, texts)) and not texts:
        return ReasonJudgement(Reason.NONE, said, wanted)
    if any(_UNRELATED.search(t) for t in (*codes, *texts)):
        return ReasonJudgement(Reason.OTHER, f"a complaint about the request's options ({said})", wanted)
    if not codes and any(_AUTH_TEXT.search(t) for t in texts):
        return ReasonJudgement(Reason.OTHER, f"an authentication or authorization error ({said})", wanted)
    if not wanted:
        return ReasonJudgement(Reason.MATCHES, said, wanted)
    names = {_token(w) for w in wanted}
    stated = {_token(c) for c in codes}
    if not codes:  # only a free text: one that spells the code out ("PROOF_VERIFICATION_ERROR: ...") names it
        stated |= {_token(m) for t in texts for m in re.findall(r"[A-Za-z]+(?:_[A-Za-z]+)+", t)}
    if stated & names:
        return ReasonJudgement(Reason.MATCHES, said, wanted)
    return ReasonJudgement(Reason.OTHER, said, wanted)


def reason_finding(requirement_id: str, judgement: ReasonJudgement, *, subject: str = "") -> CheckResult | None:
    """The SHOULD-level warning for a refusal whose stated reason is not the defect's (None when it
    is), under the scenario's requirement id so it is one grep away."""
    if judgement.reason is Reason.MATCHES:
        return None
    return CheckResult(requirement=requirement_id, status=Status.WARNING, severity=Severity.SHOULD,
                       category=Category.PROTOCOL, message=judgement.message,
                       spec_url=requirement(requirement_id).spec_url, error_type=None, subject=subject,
                       details={"refusal_reason": judgement.reason.value, "said": judgement.said,
                                "expected": sorted(judgement.expected) if judgement.expected else None})
