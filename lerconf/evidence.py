"""Evidence of one scenario: every HTTP exchange (already redacted), document and check result it
saw, kept for the report. Data only; ``lerconf.scenarios.expect`` decides what it means.

``CURRENT_EVIDENCE`` is the running scenario's evidence, so a client deep in a flow (the manual
wallet's operator page, the harness's exchange hook) can add to it without being handed it.
"""
from __future__ import annotations

import contextvars
import difflib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from lerconf.exchange import Exchange
from lerconf.redact import SECRETS, redact_json, redact_text
from lerconf.results import CheckResult

__all__ = ["CURRENT_EVIDENCE", "Evidence", "InjectedDefect", "json_changes", "json_diff", "note_defect"]

#: the most changes an injected defect lists by JSON pointer (the diff holds them all)
MAX_CHANGES = 12


@dataclass(frozen=True)
class InjectedDefect:
    """The defect lerconf put into a request or document on purpose: what it is (with the concrete
    value), which refusal reasons (problem types, error codes) the spec names for it (None: the spec
    names none), and how the defective version differs from the valid one (redacted)."""

    what: str
    expected_errors: frozenset[str] | None
    changes: tuple[str, ...] = ()
    diff: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"what": self.what, "expected_errors": sorted(self.expected_errors) if self.expected_errors else None,
                "changes": list(self.changes), "diff": self.diff}


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


def _walk(pointer: str, a: Any, b: Any, out: list[str]) -> None:
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        for key in [*a, *(k for k in b if k not in a)]:
            child = f"{pointer}/{str(key).replace('~', '~0').replace('/', '~1')}"
            if key not in b:
                out.append(f"{child}: removed (was {_short(a[key])})")
            elif key not in a:
                out.append(f"{child}: added {_short(b[key])}")
            else:
                _walk(child, a[key], b[key], out)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _walk(f"{pointer}/{i}", x, y, out)
    elif a != b or type(a) is not type(b):
        out.append(f"{pointer or '/'}: {_short(a)} -> {_short(b)}")


def json_changes(valid: Any, defective: Any) -> list[str]:
    """The changes from ``valid`` to ``defective`` as JSON-pointer lines, both redacted first."""
    out: list[str] = []
    _walk("", redact_json(valid), redact_json(defective), out)
    return [redact_text(line) for line in out]


def json_diff(valid: Any, defective: Any, *, names: tuple[str, str] = ("valid", "defective")) -> str:
    """A unified diff of the pretty-printed JSON of ``valid`` and ``defective``, both redacted first."""
    def lines(doc: Any) -> list[str]:
        text = doc if isinstance(doc, str) else json.dumps(redact_json(doc), indent=2, ensure_ascii=False,
                                                              sort_keys=True, default=str)
        return redact_text(text).splitlines()
    return "\n".join(difflib.unified_diff(lines(valid), lines(defective), *names, lineterm=""))


@dataclass
class Evidence:
    """What one scenario saw, in the order it saw it."""

    exchanges: list[Exchange] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)
    documents: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: the defect lerconf injected into this scenario's request or document, when it is a negative
    defect: InjectedDefect | None = None
    #: what an operator reported a person saw, which an @attested scenario's verdict rests on
    #: (never an automated one's: lerconf.run.recording breaks a scenario that mixes them)
    attestations: list[dict[str, Any]] = field(default_factory=list)
    _json: tuple[tuple[int, ...], dict[str, Any]] | None = field(default=None, init=False, repr=False, compare=False)

    def __repr__(self) -> str:  # allure-pytest-bdd records repr() of step arguments
        return f"Evidence({len(self.exchanges)} exchanges, {len(self.checks)} checks)"

    def record(self, exchange: Exchange) -> None:
        self.exchanges.append(exchange)

    def keep(self, name: str, document: Any) -> None:
        self.documents[name] = redact_json(document)

    def inject(self, what: str, valid: Any, defective: Any, expected_errors: Iterable[str] | None, *,
               kind: str = "request") -> InjectedDefect:
        """Record the defect lerconf injected: a note naming it, and the defective ``kind`` as a diff
        against the valid one (a document, redacted), which the reports show with the evidence."""
        what = redact_text(what)  # it quotes the defective value, which may hold a secret seen earlier
        changes = json_changes(valid, defective)
        listed = changes[:MAX_CHANGES] + ([f"... and {len(changes) - MAX_CHANGES} more"] if len(changes) > MAX_CHANGES else [])
        self.defect = InjectedDefect(what, frozenset(expected_errors) if expected_errors is not None else None,
                                     tuple(listed), json_diff(valid, defective, names=(f"valid {kind}", f"defective {kind}")))
        self.notes.append(f"lerconf injected: {what}")
        self.documents[f"defective {kind} (diff against the valid one)"] = {
            "defect": what, "changes": list(listed), "diff": self.defect.diff.splitlines()}
        return self.defect

    def attest(self, attestation: Mapping[str, Any]) -> None:
        """Keep what an operator reported (field by field, with screenshots' digests): the evidence an
        @attested scenario is judged by."""
        self.attestations.append(_scrubbed(redact_json(dict(attestation))))

    def to_json(self) -> dict[str, Any]:
        """The evidence as results.json and Allure show it, redacted. Asked twice as a scenario ends (its
        Allure attachments, then its results.json record): the second time it is the same answer, unless
        something was added to the evidence or a secret registered since (each exchange redacted again
        was ~3% of a run)."""
        key = (SECRETS.generation, len(self.exchanges), len(self.checks), len(self.documents), len(self.notes),
               len(self.attestations))
        if self._json is not None and self._json[0] == key:
            return self._json[1]
        out = {
            "exchanges": [e.to_evidence() for e in self.exchanges],
            # check messages and notes may quote what a vendor or its adapter said: scrubbed like the exchanges
            "checks": redact_json([c.to_json() for c in self.checks]),
            "documents": self.documents,
            "notes": [redact_text(n) for n in self.notes],
        }
        if self.attestations:
            out["attestations"] = self.attestations
        self._json = (key, out)
        return out

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=1, ensure_ascii=False, default=str)


def _scrubbed(value: Any) -> Any:
    """Every string inside ``value`` scrubbed of secrets (an operator may paste a token into a message)."""
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, Mapping):
        return {k: _scrubbed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrubbed(v) for v in value]
    return value


CURRENT_EVIDENCE: contextvars.ContextVar[Evidence | None] = contextvars.ContextVar("lerconf_evidence", default=None)


def note_defect(what: str, valid: Any, defective: Any, expected_errors: Iterable[str] | None, *,
                kind: str = "request") -> InjectedDefect | None:
    """Record an injected defect in the running scenario's evidence (:meth:`Evidence.inject`); outside
    a scenario (vector generation, unit tests) nothing is recorded."""
    evidence = CURRENT_EVIDENCE.get()
    return evidence.inject(what, valid, defective, expected_errors, kind=kind) if evidence is not None else None
