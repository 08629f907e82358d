"""Steps of features/verifier/: lerconf sends its credentials and presentations to the verifier
under test (one line each into lerconf.scenarios.vcapi)."""
from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from lerconf.evidence import Evidence
from lerconf.protocol.vcapi import VerifierAnswer
from lerconf.scenarios import ob_refresh
from lerconf.scenarios import ob_verifier as ob
from lerconf.scenarios import vcapi as flows
from lerconf.scenarios.harness import Harness, VendorUnderTest


@when("the credential is sent to the verifier under test", target_fixture="answer")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, badge: flows.Badge) -> VerifierAnswer:
    return flows.verify_with_vendor(harness, vendor, evidence, badge)


@when(parsers.parse('lerconf presents it to the verifier under test signed for challenge "{signed_for}" and domain "{domain}", '
                    'expecting challenge "{expected}"'), target_fixture="answer")
def _(harness: Harness, vendor: VendorUnderTest, badge: flows.Badge, signed_for: str, domain: str, expected: str) -> VerifierAnswer:
    return flows.present_signed_for(harness, vendor, badge, challenge=signed_for, domain=domain,
                                    expected_challenge=expected, expected_domain=domain)


@when(parsers.parse('lerconf presents it to the verifier under test for domain "{signed_for}", expecting domain "{expected}"'),
      target_fixture="answer")
def _(harness: Harness, vendor: VendorUnderTest, badge: flows.Badge, challenge: str, signed_for: str, expected: str) -> VerifierAnswer:
    return flows.present_signed_for(harness, vendor, badge, challenge=challenge, domain=signed_for,
                                    expected_challenge=challenge, expected_domain=expected)


@when("lerconf presents it to the verifier under test with the presentation altered after signing", target_fixture="answer")
def _(harness: Harness, vendor: VendorUnderTest, badge: flows.Badge, challenge: str) -> VerifierAnswer:
    return flows.present_altered(harness, vendor, badge, challenge, flows.PRESENTATION_DOMAIN)


# -- what a verifier must also do for Open Badges (lerconf.scenarios.ob_verifier) -----------------------
@given(parsers.parse('a valid Open Badge signed by lerconf with "{securing}" and an entry on its issuer\'s 1EdTech '
                     'revocation list'), target_fixture="badge")
def _(harness: Harness, evidence: Evidence, securing: str) -> flows.Badge:
    return ob.revocation_list_badge(harness, evidence, securing)


@given(parsers.parse('an Open Badge signed by lerconf with "{securing}" and revoked on its issuer\'s 1EdTech revocation '
                     'list, whose unrevoked twin the verifier under test accepts'), target_fixture="badge")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, securing: str) -> flows.Badge:
    return ob.revoked_on_revocation_list(harness, vendor, evidence, securing)


@given(parsers.parse('a valid {kind} signed by lerconf with "{securing}" carrying a valid endorsement'),
       target_fixture="badge")
def _(harness: Harness, evidence: Evidence, kind: str, securing: str) -> flows.Badge:
    return ob.endorsed_badge(harness, evidence, securing, KINDS[kind])


@given(parsers.parse('a {kind} signed by lerconf with "{securing}" carrying an endorsement {defect}, whose twin with a '
                     'valid endorsement the verifier under test accepts'), target_fixture="badge")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, kind: str, securing: str, defect: str) -> flows.Badge:
    return ob.endorsed_badge_with_defect(harness, vendor, evidence, securing, defect, KINDS[kind])


@given(parsers.parse('a valid CLR signed by lerconf with "{securing}"'), target_fixture="badge")
def _(harness: Harness, evidence: Evidence, securing: str) -> flows.Badge:
    return ob.valid_clr(harness, evidence, securing)


@given(parsers.parse('a CLR signed by lerconf with "{securing}" {defect}, whose valid twin the verifier under test accepts'),
       target_fixture="badge")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, securing: str, defect: str) -> flows.Badge:
    return ob.clr_with_defect(harness, vendor, evidence, securing, defect)


# -- OB-25: the 1EdTech credential refresh, judged on lerconf's wire (lerconf.scenarios.ob_refresh) -------------
@given(parsers.parse('a valid Open Badge signed by lerconf with "{securing}" and a 1EdTech refresh service'),
       target_fixture="badge")
def _(harness: Harness, evidence: Evidence, securing: str) -> flows.Badge:
    return ob_refresh.refreshable_badge(harness, evidence, securing)


@given(parsers.parse('an Open Badge signed by lerconf with "{securing}" and a 1EdTech refresh service, whose proof no '
                     'longer covers it, whose valid twin the verifier under test accepts'), target_fixture="badge")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, securing: str) -> flows.Badge:
    return ob_refresh.broken_refreshable_badge(harness, vendor, evidence, securing)


@then("the verifier called the badge's refresh service at most once")
def _(harness: Harness, evidence: Evidence, badge: flows.Badge) -> None:
    ob_refresh.called_at_most_once(harness, evidence, badge)


@then("the verifier never called the badge's refresh service")
def _(harness: Harness, evidence: Evidence, badge: flows.Badge) -> None:
    ob_refresh.never_called(harness, evidence, badge)


#: how a step names what carries the endorsement
KINDS = {"Open Badge": "badge", "badge": "badge", "CLR": "clr"}


@then("the verifier refuses it or warns about whom it is for")
def _(evidence: Evidence, answer: VerifierAnswer) -> None:
    ob.flags_another_learner(evidence, answer)
