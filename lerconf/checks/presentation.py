"""Checks on what a holder service returns."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lerconf.checks.base import Verdict, check, failed, passed
from lerconf.results import Category


@check("VCDM-21", Category.PROTOCOL)
def presented_credential_is_unchanged(presentation: Any, original: Any) -> Verdict:
    """Presented credentials MUST remain secured: the holder embeds the credential exactly as it was issued."""
    if not isinstance(presentation, Mapping):
        return failed("the holder did not return a presentation object")
    creds = presentation.get("verifiableCredential")
    items = creds if isinstance(creds, list) else [creds]
    if original in items:
        return passed("the presentation embeds the credential unchanged")
    return failed("the presented credential differs from the one given to the holder")
