"""OB 3.0 / CLR 2.0 API provider steps (lerconf plays the Service Consumer, the vendor is the
host). One line each into lerconf.scenarios (obapi_provider, obapi_provider_resources: what a
scenario does; obapi_provider.judge: the one verdict on it)."""
from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from lerconf.evidence import Evidence
from lerconf.scenarios import obapi_provider as provider
from lerconf.scenarios import obapi_provider_resources as resources
from lerconf.scenarios.harness import Harness, VendorUnderTest
from lerconf.scenarios.obapi_provider_flow import ObSession, open_session


@given(parsers.parse('the host under test, on its "{api}" API'), target_fixture="ob")
def _(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, api: str) -> ObSession:
    return open_session(harness, vendor, evidence, api)


# -- when: discovery, registration, login, tokens --------------------------------------------------
@when("lerconf reads the service description without credentials", target_fixture="ob_attempt")
def _(ob: ObSession) -> provider.Attempt:
    return provider.service_description(ob)


@when("lerconf registers as a client", target_fixture="ob_attempt")
def _(ob: ObSession) -> provider.Attempt:
    return provider.registration(ob)


@when(parsers.parse("lerconf registers as a client with {defect}"), target_fixture="ob_attempt")
def _(ob: ObSession, defect: str) -> provider.Attempt:
    return provider.registration_defect(ob, defect)


@when("lerconf logs in as the test user with PKCE and a state", target_fixture="ob_attempt")
def _(ob: ObSession) -> provider.Attempt:
    return provider.authorization(ob)


@when("lerconf logs in as the test user without PKCE", target_fixture="ob_attempt")
def _(ob: ObSession) -> provider.Attempt:
    return provider.without_pkce(ob)


@when("lerconf exchanges the code for an access token", target_fixture="ob_attempt")
def _(ob: ObSession) -> provider.Attempt:
    return provider.token(ob)


@when("lerconf exchanges the code with a code verifier that does not match", target_fixture="ob_attempt")
def _(ob: ObSession) -> provider.Attempt:
    return provider.wrong_verifier(ob)


@when("lerconf exchanges the same code a second time", target_fixture="ob_attempt")
def _(ob: ObSession) -> provider.Attempt:
    return provider.code_reuse(ob)


@when(parsers.parse("lerconf calls {endpoint} without a valid access token ({kind})"), target_fixture="ob_attempt")
def _(ob: ObSession, endpoint: str, kind: str) -> provider.Attempt:
    return provider.without_token(ob, endpoint, kind)


@when(parsers.parse("lerconf calls {endpoint} with a token that lacks its scope"), target_fixture="ob_attempt")
def _(ob: ObSession, endpoint: str) -> provider.Attempt:
    return provider.without_scope(ob, endpoint)


# -- when: the resources ---------------------------------------------------------------------------
@when("lerconf lists the test user's credentials", target_fixture="ob_attempt")
def _(ob: ObSession) -> provider.Attempt:
    return resources.listed_credentials(ob)


@when("lerconf lists the test user's transcripts", target_fixture="ob_attempt")
def _(ob: ObSession) -> provider.Attempt:
    return resources.listed_transcripts(ob)


@when("lerconf walks every page of the credentials", target_fixture="ob_attempt")
def _(ob: ObSession) -> provider.Attempt:
    return resources.paging(ob)


@when(parsers.parse('lerconf upserts a new "{fmt}" credential and then re-issues it'), target_fixture="ob_attempt")
def _(ob: ObSession, fmt: str) -> provider.Attempt:
    return resources.upsert(ob, fmt)


@when("lerconf upserts a credential and reads the credentials back", target_fixture="ob_attempt")
def _(ob: ObSession) -> provider.Attempt:
    return resources.read_back(ob)


@when(parsers.parse("lerconf upserts a defective credential: {defect}"), target_fixture="ob_attempt")
def _(ob: ObSession, defect: str) -> provider.Attempt:
    return resources.upsert_defect(ob, defect)


@when("lerconf reads the test user's profile", target_fixture="ob_attempt")
def _(ob: ObSession) -> provider.Attempt:
    return resources.profile_read(ob)


@when("lerconf replaces the test user's profile", target_fixture="ob_attempt")
def _(ob: ObSession) -> provider.Attempt:
    return resources.profile_update(ob)


@when("lerconf refreshes its access token", target_fixture="ob_attempt")
def _(ob: ObSession) -> provider.Attempt:
    return resources.refresh(ob)


@when("lerconf revokes its access token and lists the credentials with it", target_fixture="ob_attempt")
def _(ob: ObSession) -> provider.Attempt:
    return resources.revoked_token(ob)


# -- then: one verdict step ------------------------------------------------------------------------
@then(parsers.parse('the host\'s answer satisfies "{requirement}"'))
def _(ob_attempt: provider.Attempt, evidence: Evidence, requirement: str) -> None:
    provider.judge(ob_attempt, evidence, requirement)
