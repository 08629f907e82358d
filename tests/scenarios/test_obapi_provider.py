"""The ob_provider scenarios against the embedded reference host: every scenario passes there, and
each fault of the host (its ``Rules`` relaxed one at a time) fails exactly the scenario that exists
for it. The verdict rule: no usable answer is broken, a refusal without an accepted control cannot
be judged, a check of another requirement is a feature/library mismatch."""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from lerconf.documents.loader import LoaderSettings
from lerconf.evidence import Evidence
from lerconf.exchange import Exchange
from lerconf.outcome import Outcome
from lerconf.protocol.oid4vci import Answer
from lerconf.refimpl.obhost import Rules
from lerconf.results import Category, CheckResult, Severity, Status
from lerconf.scenarios import obapi_provider as provider
from lerconf.scenarios import obapi_provider_resources as resources
from lerconf.scenarios.harness import Harness, build_vendor, engine_for
from lerconf.scenarios.obapi_provider_flow import ObSession, open_session
from lerconf.verdicts import Broken, CannotJudge

Scenario = Callable[[ObSession], provider.Attempt]


@pytest.fixture(scope="module")
def run(ref: Any, offline_settings: LoaderSettings) -> Harness:
    """A run's harness with the reference as the vendor under test (as `lerconf run` builds it)."""
    profile = ref.profile()
    vendor = build_vendor(profile, allow_private=True)
    return Harness(vendors=[vendor], own=vendor, engine=engine_for(ref, [profile], offline_settings), reference=ref)


@pytest.fixture
def rules(ref: Any, run: Harness) -> Iterator[Callable[..., None]]:
    """Relax the reference host's rules for one test (both APIs), restored afterwards."""
    session = open_session(run, run.vendors[0], Evidence(), "ob")
    session.client().discovery()  # the host's stores exist once it has been called
    open_session(run, run.vendors[0], Evidence(), "clr").client().discovery()
    stores = ref.server.config.app.state.obhost
    held = {key: {user: list(items) for user, items in store.credentials.items()} for key, store in stores.items()}

    def relax(**changes: Any) -> None:
        for store in stores.values():
            store.rules = dataclasses.replace(Rules(), **changes)
    yield relax
    for key, store in stores.items():
        store.rules = Rules()
        store.credentials = held[key]  # a fault may have stored what a correct host never would


def _session(run: Harness, api: str = "ob") -> tuple[ObSession, Evidence]:
    evidence = Evidence()
    return open_session(run, run.vendors[0], evidence, api), evidence


PASSING: list[tuple[str, str, Scenario]] = [
    ("OBAPI-01", "ob", provider.service_description),
    ("OBAPI-02", "clr", provider.registration),
    ("OBAPI-02", "ob", lambda s: provider.registration_defect(s, "no software_id")),
    ("OBAPI-03", "ob", provider.authorization),
    ("OBAPI-03", "ob", provider.without_pkce),
    ("OBAPI-03", "clr", provider.code_reuse),
    ("OBAPI-04", "ob", provider.token),
    ("OBAPI-04", "ob", provider.wrong_verifier),
    ("OBAPI-05", "ob", lambda s: provider.without_token(s, "upsertCredential", "no access token")),
    ("OBAPI-05", "ob", lambda s: provider.without_scope(s, "putProfile")),
    ("OBAPI-06", "clr", resources.listed_credentials),
    ("OBAPI-07", "ob", resources.paging),
    ("OBAPI-08", "ob", lambda s: resources.upsert(s, "jwt")),
    ("OBAPI-09", "ob", resources.read_back),
    ("OBAPI-10", "ob", resources.profile_update),
    ("OBAPI-11", "ob", lambda s: resources.upsert_defect(s, "a JSON credential sent as text/plain")),
    ("OBAPI-12", "ob", resources.refresh),
    ("OBAPI-12", "ob", resources.revoked_token),
]


@pytest.mark.parametrize("requirement,api,scenario", PASSING, ids=[f"{r}-{a}-{n}" for n, (r, a, _) in enumerate(PASSING)])
def test_the_reference_host_passes(run: Harness, requirement: str, api: str, scenario: Scenario) -> None:
    session, evidence = _session(run, api)
    provider.judge(scenario(session), evidence, requirement)
    assert any(r.requirement == requirement and r.status is Status.PASSED for r in evidence.checks)


def test_listed_credentials_go_through_the_engine(run: Harness) -> None:
    session, evidence = _session(run)
    attempt = resources.listed_credentials(session)
    provider.judge(attempt, evidence, "OBAPI-06")
    proofs = [r for r in attempt.results if r.requirement != "OBAPI-06" and r.subject.startswith("credential ")]
    assert {r.subject for r in proofs} >= {"credential 1", "credential 5"}  # 4 Data Integrity + 1 VC-JWT seeded


FAULTS: list[tuple[dict[str, Any], str, Scenario]] = [
    ({"require_pkce": False}, "OBAPI-03", provider.without_pkce),
    ({"codes_single_use": False}, "OBAPI-03", provider.code_reuse),
    ({"require_software_id": False}, "OBAPI-02", lambda s: provider.registration_defect(s, "no software_id")),
    ({"same_host_urls": False}, "OBAPI-02",
     lambda s: provider.registration_defect(s, "its terms and policy on another host")),
    ({"check_scopes": False}, "OBAPI-05", lambda s: provider.without_scope(s, "upsertCredential")),
    ({"verify_upserts": False}, "OBAPI-11", lambda s: resources.upsert_defect(s, "a tampered credential")),
    ({"revocation": False}, "OBAPI-12", resources.revoked_token),
    # the faults the faulty-host bed (tests/faulty_obhost) runs end to end
    ({"discovery_public": False}, "OBAPI-01", provider.service_description),
    ({"check_upsert_scope": False}, "OBAPI-05", lambda s: provider.without_scope(s, "upsertCredential")),
    ({"link_last": False}, "OBAPI-07", resources.paging),
    ({"link_next": False}, "OBAPI-07", resources.paging),
    ({"next_ends": False}, "OBAPI-07", resources.paging),
    ({"total_count_skew": 3}, "OBAPI-07", resources.paging),
    ({"created_status": 200}, "OBAPI-08", lambda s: resources.upsert(s, "ldp_vc")),
    ({"dropped_member": "credentialSchema"}, "OBAPI-09", resources.read_back),
]


@pytest.mark.parametrize("change,requirement,scenario", FAULTS, ids=[next(iter(c)) for c, _, _ in FAULTS])
def test_each_fault_of_the_host_fails_its_scenario(run: Harness, rules: Callable[..., None], change: dict[str, Any],
                                                   requirement: str, scenario: Scenario) -> None:
    rules(**change)
    session, evidence = _session(run)
    with pytest.raises(AssertionError, match=requirement):
        provider.judge(scenario(session), evidence, requirement)


def _failure(run: Harness, scenario: Scenario, requirement: str) -> str:
    session, evidence = _session(run)
    with pytest.raises(AssertionError, match=requirement) as caught:
        provider.judge(scenario(session), evidence, requirement)
    return str(caught.value)


def test_a_wrong_total_count_is_blamed_on_the_count_not_on_the_links(run: Harness, rules: Callable[..., None]) -> None:
    """X-Total-Count 3 too high, Link right: the page past the walk's end is empty, so the links are
    judged against what the host holds (the faulty-host bed found "no Link next" blamed here)."""
    rules(total_count_skew=3)
    reason = _failure(run, resources.paging, "OBAPI-07")
    assert "X-Total-Count says" in reason and "no Link next" not in reason, reason


def test_a_missing_next_link_is_blamed_on_the_links_not_on_the_count(run: Harness, rules: Callable[..., None]) -> None:
    """No Link next, X-Total-Count right: a credential lies past the first page, so the count stands."""
    rules(link_next=False)
    reason = _failure(run, resources.paging, "OBAPI-07")
    assert "no Link next at offset 0" in reason and "X-Total-Count" not in reason, reason


def test_a_refused_discovery_is_not_judged_as_a_service_description(run: Harness, rules: Callable[..., None]) -> None:
    """A 401 from discovery is the defect; its error body is not also "a description lacking openapi"."""
    rules(discovery_public=False)
    reason = _failure(run, provider.service_description, "OBAPI-01")
    assert "asks for credentials" in reason and "lacks" not in reason and "securitySchemes" not in reason, reason


def test_relaxed_rules_leave_the_other_scenarios_passing(run: Harness, rules: Callable[..., None]) -> None:
    rules(require_pkce=False, codes_single_use=False)
    session, evidence = _session(run)
    provider.judge(provider.token(session), evidence, "OBAPI-04")


# -- the verdict rule ---------------------------------------------------------------------------------
def _answer(status: int, outcome: Outcome) -> Answer:
    return Answer(Exchange("GET", "http://127.0.0.1/x", {}, None, outcome, f"HTTP {status}", status))


def _result(requirement: str, status: Status = Status.PASSED) -> CheckResult:
    return CheckResult(requirement, status, Severity.MUST, Category.PROTOCOL, "observed", "https://example.org/spec")


def test_a_server_error_is_broken_never_a_refusal() -> None:
    attempt = provider.Attempt("x", _answer(500, Outcome.SERVER_ERROR), [_result("OBAPI-05")])
    with pytest.raises(Broken, match="server_error"):
        provider.judge(attempt, Evidence(), "OBAPI-05")


def test_a_refusal_whose_control_is_refused_cannot_be_judged() -> None:
    def refused() -> None:
        raise AssertionError("HTTP 401: credentials refused")
    attempt = provider.Attempt("x", _answer(401, Outcome.AUTH_ERROR), [_result("OBAPI-05")], refused, "the valid call")
    with pytest.raises(CannotJudge, match="positive control"):
        provider.judge(attempt, Evidence(), "OBAPI-05")


def test_a_scenario_judged_for_another_requirement_is_a_mismatch() -> None:
    attempt = provider.Attempt("x", _answer(200, Outcome.ACCEPTED), [_result("OBAPI-06")])
    with pytest.raises(KeyError, match="OBAPI-07"):
        provider.judge(attempt, Evidence(), "OBAPI-07")
