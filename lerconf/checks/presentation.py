"""Checks on what a holder service returns."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from lerconf.checks.base import Verdict, check, composed, failed, passed
from lerconf.results import Category, CheckResult


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


@check("API-08", Category.PROOF)
def holder_signs_a_verifying_presentation(verification: Sequence[CheckResult]) -> Verdict:
    """Holder service signs a presentation with challenge and domain: lerconf's engine verifies it,
    and the credentials in it, for the challenge and domain the holder was given."""
    return composed(verification, "the holder's presentation verifying for that challenge and domain")


@check("DIVP-01", Category.PROOF)
def presentation_proof_is_for_authentication(parts: Sequence[CheckResult]) -> Verdict:
    """Wallets sign presentations for authentication with the challenge and domain they were given
    (DI-12 proof purpose, DI-13 domain, DI-14 challenge)."""
    return composed(parts, "a presentation proof for authentication with that challenge and domain")
