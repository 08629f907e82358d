"""Steps of the selective-disclosure features, ecdsa-sd-2023 and bbs-2023 (verifier/vcapi-verify-selective,
verifier/vcapi-verify-presentation-selective, issuer/vcapi-issue-selective, holder/vcapi-derive-selective; the
holder's presentations of a disclosure reuse holder.py's steps): one line each into lerconf.scenarios.selective*."""
from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from lerconf.evidence import Evidence
from lerconf.protocol.vcapi import Issued
from lerconf.scenarios import selective
from lerconf.scenarios import selective_holder as sd_holder
from lerconf.scenarios import selective_issuer as sd_issuer
from lerconf.scenarios import selective_presentation as sd_presentation
from lerconf.scenarios.harness import Harness, VendorUnderTest
from lerconf.scenarios.vcapi import Badge, IssuedBadge


@given(parsers.parse('a badge lerconf issued with "{securing}" and disclosed in part, as "{variant}"'), target_fixture="badge")
def _(harness: Harness, evidence: Evidence, securing: str, variant: str) -> Badge:
    return selective.selective_badge(harness, evidence, variant, securing)


@when(parsers.parse('the issuer under test issues a badge that can be disclosed in part, secured with "{securing}"'),
      target_fixture="disclosable_badge")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, securing: str) -> tuple[IssuedBadge, str]:
    return sd_issuer.issue_disclosable_badge(harness, vendor, evidence, securing), securing


@then("the issued base proof checks out as the learner's wallet checks it before disclosing")
def _(harness: Harness, evidence: Evidence, disclosable_badge: tuple[IssuedBadge, str]) -> None:
    sd_issuer.base_proof_checks_out(harness, evidence, *disclosable_badge)  # (badge, securing)


@then("the issued base proof makes mandatory exactly the statements lerconf named")
def _(harness: Harness, evidence: Evidence, disclosable_badge: tuple[IssuedBadge, str]) -> None:
    sd_issuer.mandatory_pointers_honoured(harness, evidence, *disclosable_badge)  # (badge, securing)


@then("a disclosure lerconf derives from it shows only the chosen statements and verifies")
def _(harness: Harness, evidence: Evidence, disclosable_badge: tuple[IssuedBadge, str]) -> None:
    sd_issuer.disclosure_verifies(harness, evidence, *disclosable_badge)  # (badge, securing)


@when(parsers.parse('the holder under test is asked to disclose part of a badge secured with "{securing}"'),
      target_fixture="derived_by_holder")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, securing: str) -> tuple[Issued, str]:
    return sd_holder.ask_holder_to_disclose(harness, vendor, evidence, securing), securing


@then("the holder's badge shows the mandatory statements and the asked one only, and verifies")
def _(harness: Harness, evidence: Evidence, derived_by_holder: tuple[Issued, str]) -> None:
    sd_holder.holder_disclosed_what_was_asked(harness, evidence, *derived_by_holder)  # (answer, securing)


@given(parsers.parse('the issuer\'s base proof of a badge lerconf issued with "{securing}", whose disclosure in a presentation '
                     'the verifier under test accepts'), target_fixture="badge")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, securing: str) -> Badge:
    return sd_presentation.base_proof_whose_disclosure_is_accepted(harness, vendor, evidence, securing)
