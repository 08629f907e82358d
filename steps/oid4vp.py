"""OID4VP verifier steps: lerconf plays the wallet. One line each into
lerconf.scenarios.oid4vp_verifier (what a scenario does) or oid4vp_requirements (how an id is judged)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from pytest_bdd import given, parsers, then, when

from lerconf.evidence import Evidence
from lerconf.scenarios import oid4vp_requirements as judged
from lerconf.scenarios import oid4vp_verifier as vp
from lerconf.scenarios.expect import expect_checks
from lerconf.scenarios.harness import Harness, VendorUnderTest
from lerconf.scenarios.oid4vp_verifier import Oid4vpSession, PresentationAnswer
from lerconf.scenarios.subjects import satisfied
from lerconf.scenarios.vcapi import Badge

if TYPE_CHECKING:
    import pytest


# -- given --------------------------------------------------------------------------------------
@given("a presentation request from the verifier under test", target_fixture="oid4vp_session")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence) -> Oid4vpSession:
    return vp.open_session(harness, vendor, evidence)


@given(parsers.parse('a presentation request from the verifier under test with response_mode "{response_mode}"'),
       target_fixture="oid4vp_session")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, response_mode: str) -> Oid4vpSession:
    return vp.open_session(harness, vendor, evidence, response_mode=response_mode)


@given(parsers.parse('a presentation request from the verifier under test for a "{format}" credential'),
       target_fixture="oid4vp_session")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, format: str) -> Oid4vpSession:
    return vp.open_session(harness, vendor, evidence, format=format)


@given(parsers.parse('a presentation request from the verifier under test in the pre-final "{spec_version}" form'),
       target_fixture="oid4vp_session")
def _(request: pytest.FixtureRequest, harness: Harness, vendor: VendorUnderTest, evidence: Evidence,
      spec_version: str) -> Oid4vpSession:
    return vp.open_session(harness, vendor, evidence, spec_version=spec_version, node=request)


@given("a valid Open Badge signed by lerconf as a jwt_vc_json credential", target_fixture="badge")
def _(harness: Harness, evidence: Evidence) -> Badge:
    return vp.jwt_badge(harness, evidence)


@given("a second presentation request from the verifier under test", target_fixture="second_session")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence) -> Oid4vpSession:
    return vp.open_session(harness, vendor, evidence)


@given("the verifier under test accepted that badge presented for an earlier request", target_fixture="earlier_answer")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, badge: Badge) -> PresentationAnswer:
    return vp.earlier_accepted(harness, vendor, evidence, badge)


# -- when: the request --------------------------------------------------------------------------
@when(parsers.parse('lerconf asks the verifier under test for a presentation request with response_mode "{response_mode}"'),
      target_fixture="oid4vp_session")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, response_mode: str) -> Oid4vpSession:
    return vp.open_session(harness, vendor, evidence, response_mode=response_mode)


@when(parsers.parse('lerconf asks the verifier under test for a presentation request for a "{format}" credential'),
      target_fixture="oid4vp_session")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, format: str) -> Oid4vpSession:
    return vp.open_session(harness, vendor, evidence, format=format)


@when(parsers.parse('lerconf asks the verifier under test for a presentation request in the pre-final "{spec_version}" form'),
      target_fixture="oid4vp_session")
def _(request: pytest.FixtureRequest, harness: Harness, vendor: VendorUnderTest, evidence: Evidence,
      spec_version: str) -> Oid4vpSession:
    return vp.open_session(harness, vendor, evidence, spec_version=spec_version, node=request)


@when(parsers.parse('lerconf asks the verifier under test for two presentation requests with the "{client_id_prefix}" '
                    'client_id prefix'), target_fixture="oid4vp_sessions")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, client_id_prefix: str) -> list[Oid4vpSession]:
    return [vp.open_session(harness, vendor, evidence, client_id_prefix=client_id_prefix) for _ in range(2)]


@when(parsers.parse('lerconf asks the verifier under test for a presentation request with the "{client_id_prefix}" '
                    'client_id prefix, fetched by "{request_uri_method}"'), target_fixture="oid4vp_session")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, client_id_prefix: str,
      request_uri_method: str) -> Oid4vpSession:
    return vp.open_session(harness, vendor, evidence, client_id_prefix=client_id_prefix,
                           request_uri_method=request_uri_method)


# -- when: the answer ---------------------------------------------------------------------------
@when(parsers.parse('lerconf answers the request with that badge in a presentation bound to "{binding}"'),
      target_fixture="oid4vp_answer")
def _(harness: Harness, evidence: Evidence, oid4vp_session: Oid4vpSession, badge: Badge, binding: str) -> PresentationAnswer:
    return vp.answer_with_badge(harness, oid4vp_session, evidence, badge, binding=binding)


@when(parsers.parse('lerconf answers the request with that badge as "{form}"'), target_fixture="oid4vp_answer")
def _(harness: Harness, evidence: Evidence, oid4vp_session: Oid4vpSession, badge: Badge, form: str) -> PresentationAnswer:
    return vp.answer_with_badge(harness, oid4vp_session, evidence, badge, form=form)


@when("lerconf answers the request with that badge in a presentation sent unencrypted", target_fixture="oid4vp_answer")
def _(harness: Harness, evidence: Evidence, oid4vp_session: Oid4vpSession, badge: Badge) -> PresentationAnswer:
    return vp.answer_with_badge(harness, oid4vp_session, evidence, badge, encrypt="plain")


@when("lerconf answers the request with that badge in a presentation encrypted to another key",
      target_fixture="oid4vp_answer")
def _(harness: Harness, evidence: Evidence, oid4vp_session: Oid4vpSession, badge: Badge) -> PresentationAnswer:
    return vp.answer_with_badge(harness, oid4vp_session, evidence, badge, encrypt="other-key")


@when(parsers.parse('lerconf answers the request with the wallet error "{error}"'), target_fixture="oid4vp_answer")
def _(evidence: Evidence, oid4vp_session: Oid4vpSession, error: str) -> PresentationAnswer:
    return vp.answer_error(oid4vp_session, evidence, error)


@when("lerconf answers the request with the presentation it sent for the earlier request", target_fixture="oid4vp_answer")
def _(evidence: Evidence, oid4vp_session: Oid4vpSession, earlier_answer: PresentationAnswer) -> PresentationAnswer:
    return vp.replay_earlier(oid4vp_session, evidence, earlier_answer)


@when("lerconf answers the second request with a presentation bound to the first request",
      target_fixture="oid4vp_answer")
def _(harness: Harness, evidence: Evidence, oid4vp_session: Oid4vpSession, second_session: Oid4vpSession,
      badge: Badge) -> PresentationAnswer:
    return vp.answer_bound_to_other_request(harness, evidence, oid4vp_session, second_session, badge)


@when("lerconf answers the request with a valid presentation under a state the verifier never issued",
      target_fixture="oid4vp_answer")
def _(harness: Harness, evidence: Evidence, oid4vp_session: Oid4vpSession, badge: Badge) -> PresentationAnswer:
    return vp.answer_under_unknown_state(harness, evidence, oid4vp_session, badge)


# -- then ---------------------------------------------------------------------------------------
@then(parsers.parse('each request satisfies "{requirement}"'))
def _(evidence: Evidence, oid4vp_sessions: list[Oid4vpSession], requirement: str) -> None:
    expect_checks(evidence, satisfied(judged.REQUEST, requirement, oid4vp_sessions))


@then(parsers.parse('the request satisfies "{requirement}"'))
def _(evidence: Evidence, oid4vp_session: Oid4vpSession, requirement: str) -> None:
    expect_checks(evidence, satisfied(judged.REQUEST, requirement, [oid4vp_session]))


@then(parsers.parse('the direct_post answer satisfies "{requirement}"'))
def _(evidence: Evidence, oid4vp_answer: PresentationAnswer, requirement: str) -> None:
    expect_checks(evidence, satisfied(judged.ANSWER, requirement, oid4vp_answer))


@then(parsers.parse('the verifier reports success, satisfying "{requirement}"'))
def _(evidence: Evidence, oid4vp_answer: PresentationAnswer, requirement: str) -> None:
    expect_checks(evidence, satisfied(judged.SUCCESS, requirement, oid4vp_answer))


@then(parsers.parse('the verifier does not report success, satisfying "{requirement}"'))
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, oid4vp_session: Oid4vpSession,
      oid4vp_answer: PresentationAnswer, requirement: str) -> None:
    judged.expect_no_success(evidence, oid4vp_answer, requirement,
                             vp.valid_presentation(harness, vendor, evidence, oid4vp_session.format))


@then(parsers.parse('the verifier refuses the response and does not report success, satisfying "{requirement}"'))
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, oid4vp_session: Oid4vpSession,
      oid4vp_answer: PresentationAnswer, requirement: str) -> None:
    judged.expect_refused(evidence, oid4vp_answer, requirement,
                          vp.valid_presentation(harness, vendor, evidence, oid4vp_session.format))


@given(parsers.parse('a badge JWT signed by lerconf whose "{claim}" claim contradicts the credential it carries'),
       target_fixture="badge")
def _(harness: Harness, evidence: Evidence, claim: str) -> Badge:
    return vp.jwt_badge_contradicting(harness, evidence, claim)


@given("a badge signed by lerconf with a Data Integrity proof and then wrapped in a JWT", target_fixture="badge")
def _(harness: Harness, evidence: Evidence) -> Badge:
    return vp.dual_proof_jwt_badge(harness, evidence)
