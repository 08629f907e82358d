"""OB 3.0 / CLR 2.0 API consumer steps (the vendor is the Service Consumer; lerconf plays the host).
One line each into lerconf.scenarios.obapi_consumer (what a scenario does, and the one verdict on it)."""
from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from lerconf.evidence import Evidence
from lerconf.scenarios import obapi_consumer as consumer
from lerconf.scenarios.harness import Harness, VendorUnderTest


@given(parsers.parse('lerconf\'s host for the consumer under test, on its "{api}" API'), target_fixture="ob_host")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, api: str) -> consumer.ConsumerHost:
    return consumer.open_host(harness, vendor, evidence, api)


@given(parsers.parse('lerconf\'s host for the consumer under test, on its "{api}" API, refusing the first access '
                     'token as expired'), target_fixture="ob_host")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, api: str) -> consumer.ConsumerHost:
    return consumer.open_host(harness, vendor, evidence, api, expire_first_token=True)


@when(parsers.parse('the consumer under test is told to "{operation}" there'), target_fixture="ob_run")
def _(ob_host: consumer.ConsumerHost, operation: str) -> consumer.ConsumerRun:
    return consumer.tell(ob_host, operation)


@when(parsers.parse('the consumer under test is told to "{operation}" a "{fmt}" credential there'),
      target_fixture="ob_run")
def _(ob_host: consumer.ConsumerHost, operation: str, fmt: str) -> consumer.ConsumerRun:
    return consumer.tell(ob_host, operation, fmt)


@then(parsers.parse('what lerconf\'s host received satisfies "{requirement}"'))
def _(ob_run: consumer.ConsumerRun, evidence: Evidence, requirement: str) -> None:
    consumer.satisfies(ob_run, evidence, requirement)
