"""VCALM exchange steps (lerconf plays the wallet, the vendor runs an issuing or verifying
workflow). One line each into lerconf.scenarios.vcalm (what a scenario does, and its one verdict)."""
from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from lerconf.evidence import Evidence
from lerconf.scenarios import vcalm
from lerconf.scenarios.harness import Harness, VendorUnderTest
from lerconf.scenarios.vcalm_flow import VcalmSession, open_session


@given("the vendor's issuing exchange", target_fixture="exchange_under_test")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence) -> VcalmSession:
    return open_session(harness, vendor, evidence, "vcalm_issuer")


@given("the vendor's verifying exchange", target_fixture="exchange_under_test")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence) -> VcalmSession:
    return open_session(harness, vendor, evidence, "vcalm_verifier")


@when("lerconf creates an exchange and starts it", target_fixture="exchange_attempt")
def _(exchange_under_test: VcalmSession) -> vcalm.Attempt:
    return vcalm.create_and_start(exchange_under_test)


@when("lerconf reads what the exchange asks the wallet for", target_fixture="exchange_attempt")
def _(exchange_under_test: VcalmSession) -> vcalm.Attempt:
    return vcalm.vendor_request(exchange_under_test)


@when("lerconf answers with a presentation made for the request", target_fixture="exchange_attempt")
def _(exchange_under_test: VcalmSession) -> vcalm.Attempt:
    return vcalm.complete(exchange_under_test)


@when(parsers.parse("lerconf answers with a presentation signed with {defect}"), target_fixture="exchange_attempt")
def _(exchange_under_test: VcalmSession, defect: str) -> vcalm.Attempt:
    return vcalm.defective(exchange_under_test, defect)


@when("lerconf sends its last step again after the exchange completed", target_fixture="exchange_attempt")
def _(exchange_under_test: VcalmSession) -> vcalm.Attempt:
    return vcalm.replay(exchange_under_test)


@when(parsers.parse("lerconf presents {badge} to the exchange"), target_fixture="exchange_attempt")
def _(exchange_under_test: VcalmSession, badge: str) -> vcalm.Attempt:
    return vcalm.present_badge(exchange_under_test, badge)


@when("lerconf asks which protocols the exchange speaks", target_fixture="exchange_attempt")
def _(exchange_under_test: VcalmSession) -> vcalm.Attempt:
    return vcalm.protocols(exchange_under_test)


@when("lerconf opens the interaction URL as an app and as a browser", target_fixture="exchange_attempt")
def _(exchange_under_test: VcalmSession) -> vcalm.Attempt:
    return vcalm.interaction(exchange_under_test)


@when("lerconf reads the current request twice and then answers it", target_fixture="exchange_attempt")
def _(exchange_under_test: VcalmSession) -> vcalm.Attempt:
    return vcalm.request_read(exchange_under_test)


@when("lerconf sends the exchange a step it must refuse", target_fixture="exchange_attempt")
def _(exchange_under_test: VcalmSession) -> vcalm.Attempt:
    return vcalm.error_answer(exchange_under_test)


@then(parsers.parse('the exchange\'s answer satisfies "{requirement}"'))
def _(exchange_attempt: vcalm.Attempt, evidence: Evidence, requirement: str) -> None:
    vcalm.judge(exchange_attempt, evidence, requirement)
