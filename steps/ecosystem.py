"""Ecosystem profile steps (features/ecosystems/): one line each into lerconf.scenarios.ecosystem_lmc;
the verdict is lerconf.scenarios.vcalm.judge's, as for the VCALM exchange features."""
from __future__ import annotations

from pytest_bdd import parsers, then, when

from lerconf.evidence import Evidence
from lerconf.scenarios import ecosystem_lmc, vcalm
from lerconf.scenarios.artefacts import Judged
from lerconf.scenarios.harness import Harness, VendorUnderTest
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
