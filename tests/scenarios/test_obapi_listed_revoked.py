"""OBAPI-06 (getCredentials returns verifiable credentials): a listed badge its issuer revoked is the
issuer's act, not the host's defect. It is a warning in the evidence; a badge that does not verify
still fails the host. (Found in a five-vendor run: the lifecycle through a host had revoked a stored
badge before the listing scenario ran, so the host's verdict depended on scenario order.)"""
from __future__ import annotations

import dataclasses

from lerconf.checks.status import Entry, credential_status_is_clear
from lerconf.crypto.status_list import BITSTRING
from lerconf.results import Category, CheckResult, Severity, Status
from lerconf.scenarios.obapi_provider_resources import _held_as_revoked


def _revoked() -> CheckResult:
    entry = Entry(BITSTRING, "revocation", 3, "https://127.0.0.1:1/status-lists/revocation")
    return credential_status_is_clear(bytes([0b00010000]), entry, subject="credential 1")


def test_a_revoked_listed_badge_is_a_warning_not_the_hosts_failure() -> None:
    revoked = _revoked()
    assert revoked.requirement == "BSL-18" and revoked.status is Status.FAILED, revoked
    held = _held_as_revoked(revoked)
    assert held.status is Status.WARNING and "revoked by its issuer; a host may keep it" in held.message


def test_a_listed_badge_that_does_not_verify_still_fails_the_host() -> None:
    tampered = CheckResult("DI-15", Status.FAILED, Severity.MUST, Category.PROOF, "signature does not verify", "https://w3c.github.io/vc-data-integrity/")
    assert _held_as_revoked(tampered) is tampered
    clear = dataclasses.replace(_revoked(), status=Status.PASSED)
    assert _held_as_revoked(clear) is clear
