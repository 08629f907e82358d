"""Steps of features/artefacts/: the artefacts an issuer delivered, judged form by form (one line
each into lerconf.scenarios.artefacts)."""
from __future__ import annotations

from pytest_bdd import given, parsers, then

from lerconf.evidence import Evidence
from lerconf.scenarios import artefacts as judge
from lerconf.scenarios.harness import Harness, VendorUnderTest


@given("the artefacts the issuer under test delivered", target_fixture="delivered")
def _(harness: Harness, vendor: VendorUnderTest) -> list[judge.Judged]:
    return judge.delivered_artefacts(harness, vendor)


@then(parsers.parse('every delivered "{form}" holds exactly one credential'))
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, delivered: list[judge.Judged], form: str) -> None:
    judge.one_credential_per_file(harness, vendor, evidence, form)


@then(parsers.parse('every "{form}" delivered by link is served with its media type'))
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, delivered: list[judge.Judged], form: str) -> None:
    judge.served_with_media_type(harness, vendor, evidence, form)


@then(parsers.parse('every delivered "{form}" is baked the way Open Badges 3.0 says'))
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, delivered: list[judge.Judged], form: str) -> None:
    judge.baked_as_specified(harness, vendor, evidence, form)


@then(parsers.parse('every delivered "{form}" carries a proof that verifies with lerconf\'s engine'))
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, delivered: list[judge.Judged], form: str) -> None:
    judge.proof_verifies(harness, vendor, evidence, form)


@then(parsers.parse('every delivered "{form}" satisfies "{requirement}"'))
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, delivered: list[judge.Judged], form: str,
      requirement: str) -> None:
    judge.satisfies(harness, vendor, evidence, form, requirement)


@then(parsers.parse('every delivered "{form}" is what the vendor says it is'))
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, delivered: list[judge.Judged], form: str) -> None:
    judge.as_described(harness, vendor, evidence, form)
