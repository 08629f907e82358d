"""OID4VP verifier steps: lerconf plays the wallet (logic in lerconf.scenarios.oid4vp_verifier)."""
from __future__ import annotations

import pytest
from pytest_bdd import given, parsers, then, when

from lerconf.evidence import Evidence
from lerconf.profile.claims import mark_draft_only
from lerconf.scenarios import oid4vp_verifier as vp
from lerconf.scenarios import vcapi as flows
from lerconf.scenarios.expect import expect_checks
from lerconf.scenarios.harness import Harness, VendorUnderTest
from lerconf.scenarios.oid4vp_verifier import Oid4vpSession, PresentationAnswer


@given("a presentation request from the verifier under test", target_fixture="oid4vp_session")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence) -> Oid4vpSession:
    return vp.open_session(harness, vendor, evidence)


@given(parsers.parse('a presentation request from the verifier under test with response_mode "{response_mode}"'),
       target_fixture="oid4vp_session")
@when(parsers.parse('lerconf asks the verifier under test for a presentation request with response_mode "{response_mode}"'),
      target_fixture="oid4vp_session")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, response_mode: str) -> Oid4vpSession:
    return vp.open_session(harness, vendor, evidence, response_mode=response_mode)


@given(parsers.parse('a presentation request from the verifier under test for a "{format}" credential'),
       target_fixture="oid4vp_session")
@when(parsers.parse('lerconf asks the verifier under test for a presentation request for a "{format}" credential'),
      target_fixture="oid4vp_session")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, format: str) -> Oid4vpSession:
    return vp.open_session(harness, vendor, evidence, format=format)


@given(parsers.parse('a presentation request from the verifier under test in the pre-final "{spec_version}" form'),
       target_fixture="oid4vp_session")
@when(parsers.parse('lerconf asks the verifier under test for a presentation request in the pre-final "{spec_version}" form'),
      target_fixture="oid4vp_session")
def _(request: pytest.FixtureRequest, harness: Harness, vendor: VendorUnderTest, evidence: Evidence,
      spec_version: str) -> Oid4vpSession:
    mark_draft_only(request, "OID4VP pre-final draft")
    return vp.open_session(harness, vendor, evidence, spec_version=spec_version)


@given("a valid Open Badge signed by lerconf as a jwt_vc_json credential", target_fixture="badge")
def _(harness: Harness, evidence: Evidence) -> flows.Badge:
    return vp.jwt_badge(harness, evidence)


@given("a second presentation request from the verifier under test", target_fixture="second_session")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence) -> Oid4vpSession:
    return vp.open_session(harness, vendor, evidence)


@given("the verifier under test accepted that badge presented for an earlier request", target_fixture="earlier_answer")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, badge: flows.Badge) -> PresentationAnswer:
    return vp.accepted_first(harness, vendor, evidence, badge.credential)


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


@when(parsers.parse('lerconf answers the request with that badge in a presentation bound to "{binding}"'),
      target_fixture="oid4vp_answer")
def _(harness: Harness, evidence: Evidence, oid4vp_session: Oid4vpSession, badge: flows.Badge, binding: str) -> PresentationAnswer:
    return vp.answer_with(oid4vp_session, evidence, vp.presentation_for(harness, oid4vp_session, badge.credential,
                                                                          binding=binding))


@when(parsers.parse('lerconf answers the request with that badge as "{form}"'), target_fixture="oid4vp_answer")
def _(harness: Harness, evidence: Evidence, oid4vp_session: Oid4vpSession, badge: flows.Badge, form: str) -> PresentationAnswer:
    return vp.answer_with(oid4vp_session, evidence, vp.presentation_for(harness, oid4vp_session, badge.credential, form=form))


@when("lerconf answers the request with that badge in a presentation sent unencrypted", target_fixture="oid4vp_answer")
def _(harness: Harness, evidence: Evidence, oid4vp_session: Oid4vpSession, badge: flows.Badge) -> PresentationAnswer:
    return vp.answer_with(oid4vp_session, evidence, vp.presentation_for(harness, oid4vp_session, badge.credential),
                          encrypt="plain")


@when("lerconf answers the request with that badge in a presentation encrypted to another key",
      target_fixture="oid4vp_answer")
def _(harness: Harness, evidence: Evidence, oid4vp_session: Oid4vpSession, badge: flows.Badge) -> PresentationAnswer:
    return vp.answer_with(oid4vp_session, evidence, vp.presentation_for(harness, oid4vp_session, badge.credential),
                          encrypt="other-key")


@when(parsers.parse('lerconf answers the request with the wallet error "{error}"'), target_fixture="oid4vp_answer")
def _(evidence: Evidence, oid4vp_session: Oid4vpSession, error: str) -> PresentationAnswer:
    return vp.answer_error(oid4vp_session, evidence, error)


@when("lerconf answers the request with the presentation it sent for the earlier request", target_fixture="oid4vp_answer")
def _(evidence: Evidence, oid4vp_session: Oid4vpSession, earlier_answer: PresentationAnswer) -> PresentationAnswer:
    return vp.answer_with(oid4vp_session, evidence, earlier_answer.vp_token)


@when("lerconf answers the second request with a presentation bound to the first request",
      target_fixture="oid4vp_answer")
def _(harness: Harness, evidence: Evidence, oid4vp_session: Oid4vpSession, second_session: Oid4vpSession,
      badge: flows.Badge) -> PresentationAnswer:
    token = vp.presentation_for(harness, oid4vp_session, badge.credential)
    return vp.answer_with(second_session, evidence, token)


@when("lerconf answers the request with a valid presentation under a state the verifier never issued",
      target_fixture="oid4vp_answer")
def _(harness: Harness, evidence: Evidence, oid4vp_session: Oid4vpSession, badge: flows.Badge) -> PresentationAnswer:
    token = vp.presentation_for(harness, oid4vp_session, badge.credential)
    return vp.answer_with(oid4vp_session, evidence, token, state=vp.unknown_state())


@then(parsers.parse('each request satisfies "{requirement}"'))
def _(evidence: Evidence, oid4vp_sessions: list[Oid4vpSession], requirement: str) -> None:
    expect_checks(evidence, vp.request_results(oid4vp_sessions, requirement))


@then(parsers.parse('the request satisfies "{requirement}"'))
def _(evidence: Evidence, oid4vp_session: Oid4vpSession, requirement: str) -> None:
    expect_checks(evidence, vp.request_results(oid4vp_session, requirement))


@then(parsers.parse('the direct_post answer satisfies "{requirement}"'))
def _(evidence: Evidence, oid4vp_answer: PresentationAnswer, requirement: str) -> None:
    expect_checks(evidence, vp.answer_results(oid4vp_answer, requirement))


@then("the verifier reports success")
def _(oid4vp_answer: PresentationAnswer) -> None:
    vp.expect_success(oid4vp_answer, "a valid presentation")


def _positive_control(request: pytest.FixtureRequest, harness: Harness, vendor: VendorUnderTest, evidence: Evidence) -> None:
    """The refusal only counts if the verifier accepts a valid presentation of a valid badge in the
    scenario's format (the scenario's own badge may be the defective one)."""
    try:
        jwt = isinstance(request.getfixturevalue("badge").credential, str)
    except pytest.FixtureLookupError:
        jwt = False
    vp.positive_control(harness, vendor, evidence, jwt=jwt)


@then("the verifier does not report success")
def _(request: pytest.FixtureRequest, harness: Harness, vendor: VendorUnderTest, evidence: Evidence,
      oid4vp_answer: PresentationAnswer) -> None:
    vp.expect_no_success(oid4vp_answer, "a presentation it must not accept")
    _positive_control(request, harness, vendor, evidence)


@then("the verifier refuses the direct_post")
def _(request: pytest.FixtureRequest, harness: Harness, vendor: VendorUnderTest, evidence: Evidence,
      oid4vp_answer: PresentationAnswer) -> None:
    vp.expect_refused(oid4vp_answer, "a response with a state the verifier never issued")
    _positive_control(request, harness, vendor, evidence)


@then("the verifier refuses the response and does not report success")
def _(request: pytest.FixtureRequest, harness: Harness, vendor: VendorUnderTest, evidence: Evidence,
      oid4vp_answer: PresentationAnswer) -> None:
    vp.expect_refused_without_success(oid4vp_answer, "a response encrypted to a key the verifier did not offer")
    _positive_control(request, harness, vendor, evidence)
