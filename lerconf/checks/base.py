"""The check decorator and verdict helpers.

A check returns a Verdict (what it saw); the decorator stamps the requirement id, strength,
category and spec URL on it, so a reader of the check sees exactly which requirement it covers.
A failed SHOULD becomes a warning here, in one place.
"""
from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from lerconf.requirements import requirement
from lerconf.results import Category, CheckResult, Severity, Status

F = TypeVar("F", bound=Callable[..., "Verdict"])


@dataclass(slots=True)
class Verdict:
    """What a check saw. A value, never changed once made (not ``frozen``: see CheckResult)."""

    status: Status
    message: str
    error_type: str | None = None
    subject: str = ""
    details: Mapping[str, Any] = field(default_factory=dict)


def passed(message: str, *, subject: str = "", **details: Any) -> Verdict:
    return Verdict(Status.PASSED, message, None, subject, details)


def failed(message: str, *, error: str | None = None, subject: str = "", **details: Any) -> Verdict:
    return Verdict(Status.FAILED, message, error, subject, details)


def warning(message: str, *, error: str | None = None, subject: str = "", **details: Any) -> Verdict:
    return Verdict(Status.WARNING, message, error, subject, details)


def not_applicable(message: str, *, subject: str = "", **details: Any) -> Verdict:
    return Verdict(Status.NOT_APPLICABLE, message, None, subject, details)


def composed(parts: Sequence[CheckResult], what: str) -> Verdict:
    """The verdict of a requirement made of other requirements' results: it holds when each part
    that applies holds (a failed SHOULD part is only a warning); no applicable part at all fails."""
    applicable = [p for p in parts if p.status is not Status.NOT_APPLICABLE]
    if not applicable:
        return failed(f"nothing to judge {what} by: none of its parts applied")
    broken = [p for p in applicable if p.status is Status.FAILED and p.severity is Severity.MUST]
    if broken:
        return failed(f"{what} does not hold: " + "; ".join(f"{p.requirement}: {p.message}" for p in broken),
                      parts=[p.requirement for p in applicable])
    return passed(f"{what} holds ({', '.join(sorted({p.requirement for p in applicable}))})",
                  parts=[p.requirement for p in applicable])


#: requirement id -> check functions registered for it
CHECKS: dict[str, list[Callable[..., CheckResult]]] = {}


def check(
    requirement_id: str, category: Category, *, severity: Severity | None = None
) -> Callable[[F], Callable[..., CheckResult]]:
    """Register a check for a requirement id.

    ``severity`` narrows the registry's strength when the function tests only the SHOULD
    part of a requirement; it can never raise it above what the requirement says.
    """
    req = requirement(requirement_id)
    strength = severity or req.strength
    spec_url = req.spec_url
    if severity is Severity.MUST and req.strength is not Severity.MUST:
        raise ValueError(f"{requirement_id} is {req.strength.value}; a check cannot upgrade it")

    def decorate(func: F) -> Callable[..., CheckResult]:
        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> CheckResult:
            verdict = func(*args, **kwargs)
            if not isinstance(verdict, Verdict):
                raise TypeError(f"check {func.__name__} returned {type(verdict).__name__}, not a Verdict")
            if not verdict.message:
                raise ValueError(f"check {func.__name__} returned an empty message")
            status = verdict.status
            if status is Status.FAILED and strength is not Severity.MUST:
                status = Status.WARNING
            details = verdict.details
            # positional: this runs for every check of every verification (issue 19 measured it)
            return CheckResult(requirement_id, status, strength, category, verdict.message, spec_url,
                               verdict.error_type, verdict.subject, dict(details) if details else {})

        run.requirement_id = requirement_id  # type: ignore[attr-defined]
        run.category = category  # type: ignore[attr-defined]
        CHECKS.setdefault(requirement_id, []).append(run)
        return run

    return decorate


def run_check(requirement_id: str, *args: Any, **kwargs: Any) -> list[CheckResult]:
    """Run the checks registered for an id that take these arguments.

    An id can have checks at different stages (e.g. DI-06 on the whole document and on the
    signed bytes of one proof); each is called only with the inputs it is written for.
    """
    funcs = CHECKS.get(requirement_id)
    if not funcs:
        raise KeyError(f"no check is registered for {requirement_id}")
    fitting = []
    for f in funcs:
        try:
            inspect.signature(f.__wrapped__).bind(*args, **kwargs)  # type: ignore[attr-defined]
        except TypeError:
            continue
        fitting.append(f)
    if not fitting:
        raise TypeError(f"no check for {requirement_id} takes these arguments")
    return [f(*args, **kwargs) for f in fitting]
