"""Parsing the input: what kind of document lerconf was given."""
from __future__ import annotations

from typing import Any, Mapping

from lerconf.checks.base import Verdict, check, failed, passed
from lerconf.results import Category


@check("VCDM-15", Category.PARSE)
def document_is_secured(document: Any, kind: str) -> Verdict:
    """Every issued document MUST be secured by at least one securing mechanism (embedded proof or envelope)."""
    if kind == "jwt":
        return passed("document is secured by a JWS envelope")
    if not isinstance(document, Mapping):
        return failed(f"input is a JSON {type(document).__name__}, not a credential or presentation object",
                      error="PARSING_ERROR")
    if kind == "enveloped":
        return passed("document is an enveloped credential or presentation")
    if not document.get("proof"):
        return failed("document carries no proof: it is unsecured", error="CRYPTOGRAPHIC_SECURITY_ERROR")
    return passed("document carries an embedded proof")


@check("DI-10", Category.PARSE)
def input_is_parseable(reason: str | None) -> Verdict:
    """Input that is not a JSON object (or a compact JWS) MUST be rejected with PARSING_ERROR."""
    if reason:
        return failed(reason, error="PARSING_ERROR")
    return passed("input parsed")
