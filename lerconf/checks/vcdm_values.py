"""Value tests shared by the data-model checks: URLs, types, base contexts, data model version.

Kept apart from the checks so each check reads as the sentence it tests, and so the context,
structure, proof-structure and date checks agree on what "a URL" or "a VCDM 1.1 document" is.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from typing import Any

from lerconf.results import CheckResult

V1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
UNDEFINED_TERMS_CONTEXT = "https://www.w3.org/ns/credentials/undefined-terms/v2"
#: Namespaces that undefined terms land in: the undefined-terms context's @vocab, and the
#: @vocab that drafts of the v2 base context carried.
UNDEFINED_TERM_VOCABS = (
    "https://www.w3.org/ns/credentials/undefined-term#",
    "https://www.w3.org/ns/credentials/issuer-dependent#",
)

MALFORMED = "MALFORMED_VALUE_ERROR"
PARSING = "PARSING_ERROR"

#: scheme ":" rest, with no whitespace or control characters anywhere (RFC 3986 scheme syntax).
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s\x00-\x1f\x7f]+")
_DATA_URL = re.compile(r"data:(?P<media>[^,;]*)(?P<params>(;[^,;]+)*),(?P<data>.*)", re.DOTALL)


def is_url(value: Any) -> bool:
    """An absolute URL (https:, did:, urn:, ...) as VCDM means it: a scheme and no whitespace."""
    return isinstance(value, str) and _URL.fullmatch(value) is not None


def is_data_url(value: Any) -> bool:
    """A ``data:`` URL (RFC 2397), the carrier of an enveloped credential."""
    return isinstance(value, str) and _DATA_URL.fullmatch(value) is not None


def as_list(value: Any) -> list[Any]:
    """JSON-LD's "one value or an array of values", as a list (``None`` becomes [])."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def types_of(node: Mapping[str, Any]) -> list[Any]:
    """The ``type`` values of a node, in order."""
    return as_list(node.get("type"))


def has_type(node: Any, name: str) -> bool:
    return isinstance(node, Mapping) and name in types_of(node)


def type_value_problem(value: Any) -> str | None:
    """Why a ``type`` value is not a term or an absolute URL (None when it is one)."""
    if not isinstance(value, str):
        return f"type value {value!r} is not a string"
    if not value or any(c.isspace() for c in value):
        return f"type value {value!r} is empty or contains whitespace"
    if ":" in value and not is_url(value):
        return f"type value {value!r} is neither a term nor an absolute URL"
    return None


def node_type_problem(node: Mapping[str, Any]) -> str | None:
    """Why a node's ``type`` property is missing or unusable (None when present and valid)."""
    if "type" not in node:
        return "has no type"
    values = types_of(node)
    if not values:
        return "has an empty type"
    for value in values:
        problem = type_value_problem(value)
        if problem:
            return problem
    return None


def contexts_of(document: Mapping[str, Any]) -> list[Any]:
    return as_list(document.get("@context"))


def data_model_version(document: Mapping[str, Any]) -> str | None:
    """"1.1" or "2.0" from the first ``@context`` item; None when it is neither base context."""
    contexts = contexts_of(document)
    first = contexts[0] if contexts else None
    if first == V2_CONTEXT:
        return "2.0"
    if first == V1_CONTEXT:
        return "1.1"
    return None


def node_id(value: Any) -> Any:
    """The id of a value that is either a URL or an object with an ``id``."""
    return value.get("id") if isinstance(value, Mapping) else value


def under(result: CheckResult, prefix: str) -> CheckResult:
    """The same result, with its JSON path placed under ``prefix`` (an embedded credential)."""
    subject = f"{prefix}.{result.subject}" if result.subject else prefix
    return dataclasses.replace(result, subject=subject)


def objects_of(value: Any) -> Iterable[tuple[int, Any]]:
    """(index, item) over a one-or-many value."""
    return enumerate(as_list(value))
