"""Malformed issue requests: named defects a conforming issuer must refuse with 400/422.

Each defect edits an otherwise valid OB 3.0 credential in one way, says concretely what it did
(``describe`` reads the value it put there: "validFrom '2026-01-15T09:00:00' has no time zone"),
and names the VC Data Model 2.0 §7.1 / Data Integrity error types a refusal of it should carry
(``expected_errors``; None where the specs name none). :func:`malformed_issue_request` records the
defect, and the request as a diff against the valid one, in the running scenario's evidence.
"""
from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lerconf.documents.templates import VC_V1, VC_V2, ob3_achievement_credential
from lerconf.evidence import note_defect

__all__ = ["DEFECTS", "IssueDefect", "malformed_issue_request"]

#: VC Data Model 2.0 §7.1: a value that is not what the data model allows, or a document that cannot be processed
MALFORMED = frozenset({"MALFORMED_VALUE_ERROR", "PARSING_ERROR"})


@dataclass(frozen=True)
class IssueDefect:
    edit: Callable[[dict[str, Any]], None]
    describe: Callable[[dict[str, Any]], str]
    expected_errors: frozenset[str] | None = MALFORMED


def _drop(key: str) -> Callable[[dict[str, Any]], None]:
    return lambda c: c.pop(key, None)


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda c: c.__setitem__(key, value)


def _value(c: dict[str, Any], key: str) -> str:
    return repr(c.get(key))


DEFECTS: dict[str, IssueDefect] = {
    "no @context": IssueDefect(_drop("@context"), lambda c: "the credential has no @context"),
    "a @context that is a number": IssueDefect(_set("@context", 42), lambda c: f"@context is the number {c['@context']}"),
    "the OB context before the VC base context": IssueDefect(
        lambda c: c.__setitem__("@context", list(reversed(c["@context"][:2])) + c["@context"][2:]),
        lambda c: f"@context starts with {c['@context'][0]!r}, not the VC base context {VC_V2!r}"),
    "both VC 1.1 and 2.0 base contexts": IssueDefect(
        lambda c: c.__setitem__("@context", [VC_V2, VC_V1, *c["@context"][1:]]),
        lambda c: f"@context holds both base contexts {VC_V2!r} and {VC_V1!r}"),
    "no type": IssueDefect(_drop("type"), lambda c: "the credential has no type"),
    "a type without VerifiableCredential": IssueDefect(_set("type", ["OpenBadgeCredential"]),
                                                       lambda c: f"type {c['type']!r} lacks VerifiableCredential"),
    "a type that is a number": IssueDefect(_set("type", 7), lambda c: f"type is the number {c['type']}"),
    "no issuer": IssueDefect(_drop("issuer"), lambda c: "the credential has no issuer"),
    "an issuer that is not a URL": IssueDefect(_set("issuer", "not a url"), lambda c: f"issuer {_value(c, 'issuer')} is not a URL"),
    "an issuer object without id": IssueDefect(lambda c: c["issuer"].pop("id"),
                                               lambda c: f"the issuer object {c['issuer']!r} has no id"[:160]),
    "no credentialSubject": IssueDefect(_drop("credentialSubject"), lambda c: "the credential has no credentialSubject"),
    "a credentialSubject that is a string": IssueDefect(_set("credentialSubject", "did:example:learner"),
                                                        lambda c: f"credentialSubject is the string {_value(c, 'credentialSubject')}"),
    # VCDM 2.0 §7.1 RANGE_ERROR: a value outside the range the data model allows
    "validUntil before validFrom": IssueDefect(
        _set("validUntil", "2020-01-01T00:00:00Z"),
        lambda c: f"validUntil {_value(c, 'validUntil')} is before validFrom {_value(c, 'validFrom')}",
        MALFORMED | {"RANGE_ERROR"}),
    "a validFrom without time zone": IssueDefect(_set("validFrom", "2026-01-15T09:00:00"),
                                                 lambda c: f"validFrom {_value(c, 'validFrom')} has no time zone"),
    # Data Integrity §2.4 / §4.2: undefined terms are lost in transformation, so no proof can be made
    "a claim no context defines": IssueDefect(
        lambda c: c["credentialSubject"].__setitem__("favouriteColour", "teal"),
        lambda c: "credentialSubject.favouriteColour 'teal' is a term no @context defines",
        frozenset({"DATA_LOSS_DETECTION_ERROR", "PROOF_GENERATION_ERROR", "MALFORMED_VALUE_ERROR"})),
}


def malformed_issue_request(issuer_id: str, defect: str) -> dict[str, Any]:
    """An otherwise valid OB 3.0 credential with exactly one named defect (recorded in the running
    scenario's evidence with the diff against the valid credential)."""
    try:
        entry = DEFECTS[defect]
    except KeyError:
        raise KeyError(f"unknown issue-request defect {defect!r}; known: {', '.join(DEFECTS)}") from None
    valid = ob3_achievement_credential(issuer_id)
    credential = copy.deepcopy(valid)
    entry.edit(credential)
    note_defect(entry.describe(credential), valid, credential, entry.expected_errors, kind="credential in the issue request")
    return credential
