"""Parsing the input: what kind of document lerconf was given."""
from __future__ import annotations

from lerconf.checks.base import Verdict, check, failed, passed
from lerconf.results import Category


@check("DI-10", Category.PARSE)
def input_is_parseable(reason: str | None) -> Verdict:
    """Input that is not a JSON object (or a compact JWS) MUST be rejected with PARSING_ERROR."""
    if reason:
        return failed(reason, error="PARSING_ERROR")
    return passed("input parsed")
