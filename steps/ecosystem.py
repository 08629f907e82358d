"""Ecosystem profile steps (features/ecosystems/): one line each into lerconf.scenarios.ecosystem_lmc and
ecosystem_lmc_oid4 (the VCALM rows' verdict is lerconf.scenarios.vcalm.judge's, the OID4VCI rows' the
scenario module's, through lerconf.scenarios.expect)."""
from __future__ import annotations

from pytest_bdd import parsers, then, when

from lerconf.checks.ecosystem import TlsFacts
from lerconf.evidence import Evidence
from lerconf.scenarios import ecosystem_lmc, ecosystem_lmc_oid4, vcalm
from lerconf.scenarios.artefacts import Judged
from lerconf.scenarios.harness import Harness, VendorUnderTest
from lerconf.scenarios.oid4vci_flow import VciSession
from lerconf.scenarios.vcalm_flow import VcalmSession


@when("lerconf receives a badge through the exchange", target_fixture="ecosystem_attempt")
def _(exchange_under_test: VcalmSession) -> vcalm.Attempt:
    return ecosystem_lmc.issued_badge_rules(exchange_under_test)


@when("lerconf connects to every endpoint the vendor's profile names for the exchanges", target_fixture="ecosystem_attempt")
def _(exchange_under_test: VcalmSession) -> vcalm.Attempt:
    return ecosystem_lmc.endpoints_tls(exchange_under_test)


@when("lerconf presents the same valid badge twice, its status list served without caching",
      target_fixture="ecosystem_attempt")
def _(exchange_under_test: VcalmSession) -> vcalm.Attempt:
    return ecosystem_lmc.status_each_verification(exchange_under_test)


@then(parsers.parse('the vendor satisfies "{requirement}" of its ecosystem profile'))
def _(ecosystem_attempt: vcalm.Attempt, evidence: Evidence, requirement: str) -> None:
    vcalm.judge(ecosystem_attempt, evidence, requirement)


# -- OB 3.0 Direct Delivery: the delivered artefacts (the Background step is features/artefacts') -----------------
@then(parsers.parse('every delivered badge JSON satisfies "{requirement}" of the issuer\'s ecosystem profile'))
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, delivered: list[Judged], requirement: str) -> None:
    ecosystem_lmc.direct_delivery_rule(harness, vendor, evidence, requirement)


@then("the issuer delivered its badges as JSON files")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, delivered: list[Judged]) -> None:
    ecosystem_lmc.delivered_as_json_files(harness, vendor, evidence)


# -- OID4 ECDSA: the vendor's OID4VCI issuer (the Background step is steps/oid4vci.py's) ---------------------------
@then(parsers.parse('the OID4VCI issuer satisfies "{requirement}" of its ecosystem profile'))
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, vci: VciSession, requirement: str) -> None:
    ecosystem_lmc_oid4.issuer_rules(harness, vendor, evidence, vci, requirement)


@when("lerconf connects to every OID4VCI endpoint the profile and the issuer's metadata name",
      target_fixture="tls_facts")
def _(vendor: VendorUnderTest, evidence: Evidence, vci: VciSession) -> list[TlsFacts]:
    return ecosystem_lmc_oid4.oid4vci_tls(vendor, evidence, vci)


@then(parsers.parse('the OID4VCI endpoints satisfy "{requirement}" of its ecosystem profile'))
def _(evidence: Evidence, tls_facts: list[TlsFacts], requirement: str) -> None:
    ecosystem_lmc_oid4.tls_rule(evidence, tls_facts, requirement)
