"""Steps of features/artefacts/: the artefacts an issuer delivered, judged form by form (one line
each into lerconf.scenarios.artefacts)."""
from __future__ import annotations

from pytest_bdd import given, parsers, then

from lerconf.evidence import Evidence
from lerconf.protocol.vcapi import VerifierVerdict
from lerconf.scenarios import artefacts as judge
from lerconf.scenarios.harness import Harness, VendorUnderTest
from lerconf.scenarios.vcapi import InteropParties


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


# -- interop: another vendor's verifier judges the delivered badges (features/interop, @artefacts) ---------------
@given("the badges the interop issuer delivered that lerconf verified", target_fixture="chosen_artefacts")
def _(harness: Harness, interop: InteropParties, evidence: Evidence) -> list[judge.Judged]:
    return judge.interop_artefacts(harness, interop.delivering, interop.verifier, evidence, revoked=False)


@given("the badges the interop issuer delivered that their status lists say are revoked", target_fixture="chosen_artefacts")
def _(harness: Harness, interop: InteropParties, evidence: Evidence) -> list[judge.Judged]:
    return judge.interop_artefacts(harness, interop.delivering, interop.verifier, evidence, revoked=True)


@then("the interop verifier accepts each of them")
def _(interop: InteropParties, evidence: Evidence, chosen_artefacts: list[judge.Judged],
      requirement_ids: tuple[str, ...]) -> None:
    judge.interop_verdicts(evidence, interop.verifier, chosen_artefacts, VerifierVerdict.ACCEPTED, requirement_ids)


@then("the interop verifier rejects each of them")
def _(interop: InteropParties, evidence: Evidence, chosen_artefacts: list[judge.Judged],
      requirement_ids: tuple[str, ...]) -> None:
    judge.interop_verdicts(evidence, interop.verifier, chosen_artefacts, VerifierVerdict.REJECTED, requirement_ids)
