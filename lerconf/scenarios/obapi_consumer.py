"""OB 3.0 / CLR 2.0 API consumer scenarios (the vendor is the Service Consumer; lerconf plays the
host and its authorization server). Steps call these in one line.

A scenario makes a fresh host on lerconf's embedded reference (lerconf.refimpl.obconsumer.host:
its own store, several pages of credentials, optionally an access token it refuses as expired),
tells the consumer where it is through the profile's ``trigger_url`` (or an operator does, by hand,
on the operator page), and judges the consumer by
what that host received ("the wire decides", lerconf.refimpl.wire): the trigger's answer is
evidence only. Requirement ids map to what they are judged by in :data:`CONSUMER_REQUIREMENTS`;
:func:`satisfies` hands the results to the one verdict rule (lerconf.scenarios.expect).

A consumer that got no access token cannot be judged on what it does with one: those scenarios
are broken on that prerequisite (its OAuth fault fails the OBAPI-13 scenarios), never failed twice.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette

from lerconf.checks import obapi_consumer as checks
from lerconf.clients.manual.operator import ACTED, person_operator
from lerconf.evidence import Evidence
from lerconf.exchange import Exchange
from lerconf.outcome import Outcome
from lerconf.protocol.obapi import CLR_API, OB_API, ApiSpec, jws_payload
from lerconf.protocol.wire_record import WireRecord
from lerconf.refimpl.obconsumer import sessions_of
from lerconf.refimpl.obconsumer.consumer import NEEDED_SCOPES
from lerconf.refimpl.obhost import CLR, OB
from lerconf.refimpl.wire import WireLog, wire_of
from lerconf.results import CheckResult
from lerconf.scenarios.expect import expect_checkable, expect_requirement_met
from lerconf.scenarios.obapi_provider_flow import engine_results
from lerconf.scenarios.subjects import satisfied
from lerconf.scenarios.wallet_driver import own_json
from lerconf.verdicts import Broken, NotClaimed

if TYPE_CHECKING:
    from lerconf.profile.obconsumer import ObConsumer
    from lerconf.scenarios.harness import Harness, VendorUnderTest

__all__ = ["CONSUMER_REQUIREMENTS", "ConsumerHost", "ConsumerRun", "open_host", "satisfies", "tell"]

SESSIONS_PATH = "/ob-consumer/sessions"


@dataclass
class ConsumerHost:
    """The host lerconf made for one scenario, and for which consumer."""

    harness: Harness = field(repr=False)
    vendor: VendorUnderTest = field(repr=False)
    evidence: Evidence = field(repr=False)
    section: ObConsumer
    api: str
    session: str
    discovery_url: str
    expire_first_token: bool = False

    @property
    def spec(self) -> ApiSpec:
        return CLR_API if self.api == "clr" else OB_API

    @property
    def prefix(self) -> str:
        """Where this host's paths start (how its wire records are told from the others)."""
        return f"/ob-consumer/s/{self.session}/"


@dataclass
class ConsumerRun:
    """One trigger: what lerconf asked, the trigger's answer (evidence only), what the host received."""

    host: ConsumerHost
    operation: str
    format: str
    answer: Exchange | None = field(repr=False)   # the trigger's answer (None: driven by hand)
    wire: list[WireRecord] = field(repr=False)
    served_next: list[str] = field(default_factory=list)
    expired: frozenset[str] = frozenset()

    def received(self, endpoint: str, method: str) -> list[WireRecord]:
        """What this host's ``endpoint`` (a path below the API base, e.g. ``/auth/token``) received."""
        suffix = self.host.spec.base_path + endpoint
        return [r for r in self.wire if r.method == method and r.path.endswith(suffix)]

    def resource_requests(self) -> list[WireRecord]:
        return [r for r in self.wire if r.path.endswith((self.host.spec.base_path + "/credentials",
                                                         self.host.spec.base_path + "/profile"))]

    def issued_a_token(self) -> bool:
        return any(r.status == 200 for r in self.received("/auth/token", "POST"))


def open_host(harness: Harness, vendor: VendorUnderTest, evidence: Evidence, api: str, *,
              expire_first_token: bool = False) -> ConsumerHost:
    """A fresh host on lerconf's reference for the vendor's consumer, on ``api`` (ob / clr)."""
    section = vendor.profile.ob_consumer
    if section is None:
        raise NotClaimed(f"{vendor.name} has no ob_consumer section")
    if api not in section.apis:
        raise NotClaimed(f"ob_consumer does not claim apis={api}")
    made = own_json(harness, SESSIONS_PATH, {"api": api, "expire_first_token": expire_first_token})
    evidence.notes.append(f"lerconf's host for the consumer: {made.get('discovery_url')} ({made.get('total')} credentials, "
                          f"at most {made.get('page_size')} a page"
                          + ("; it refuses the first access token used at a resource as expired)" if expire_first_token else ")"))
    return ConsumerHost(harness, vendor, evidence, section, api, str(made["session"]), str(made["discovery_url"]),
                        expire_first_token)


def _format_for(host: ConsumerHost, operation: str, fmt: str | None) -> str:
    if fmt is not None or operation != "write":
        return fmt or "ldp_vc"
    if not host.section.formats:
        raise NotClaimed("ob_consumer claims no format to write")
    return "ldp_vc" if "ldp_vc" in host.section.formats else host.section.formats[0]


#: what the operator is asked to have the consumer do, per operation
JOBS = {"write": "store (upsert) one {format} credential of the test user on it",
        "read": "read every credential of the test user from it (all pages) and the user's profile"}
FORMAT_WORDS = {"ldp_vc": "Data Integrity (JSON)", "jwt": "VC-JWT"}


def _by_hand(host: ConsumerHost, operation: str, fmt: str, wire: WireLog) -> None:
    """An operator points the consumer at the host and does the job (a step of the operator page); how the
    step ended is evidence, what the host received is judged. Broken when the operator never finished."""
    assert host.section.by_hand is not None
    operator = person_operator(host.vendor, host.section.by_hand)
    api = host.spec.name
    job = JOBS[operation].format(format=FORMAT_WORDS.get(fmt, fmt))
    step = operator.act("consumer", f"Connect the consumer to lerconf's {api} host, then {job.split(' ', 1)[0]}",
                        f"In the consumer ({host.section.by_hand.open}), add a host by the service description "
                        f"address below ({api} API), log in as the host's test user (approved at once), then {job}. "
                        "Press the button when the consumer says it has finished.",
                        uri=host.discovery_url, wire=wire)
    how = operator.wait(step)
    host.evidence.notes.append(f"operator step {step.id}: {ACTED.get(how, how)}"
                               + (f" ({step.message})" if step.message else ""))
    host.evidence.keep(f"operator step {step.id}: {step.title}",
                       {"step": step.id, "ended_by": how, "shown": host.discovery_url, "instructions": step.instructions,
                        "received_by_lerconf": step.timeline()})
    if how == "timeout":
        raise Broken(f"ob_consumer by hand: no answer from the operator within {host.section.by_hand.timeout_s:g} s "
                     f"(step {step.id})")
    if how == "skip":
        raise Broken(f"not run: the operator skipped step {step.id}")


def tell(host: ConsumerHost, operation: str, fmt: str | None = None) -> ConsumerRun:
    """POST the trigger (where the host is, which API, which job), or have an operator do it by hand, and
    collect what the host received."""
    fmt = _format_for(host, operation, fmt)
    wire = wire_of(host.harness.reference.state)
    mark = wire.mark()
    answer: Exchange | None = None
    if host.section.by_hand is not None:
        _by_hand(host, operation, fmt, wire)
    else:
        assert host.section.trigger_url is not None
        body: dict[str, Any] = {"discovery_url": host.discovery_url, "api": host.api, "operation": operation}
        if operation == "write":
            body["format"] = fmt
        answer = host.vendor.http.request("POST", host.section.trigger_url, json_body=body, accept_text=True)
    records = [r for r in wire.since(mark) if r.path.startswith(host.prefix)]
    host.evidence.keep("received by lerconf's host", [r.to_evidence() for r in records])
    if answer is not None:
        host.evidence.notes.append(f"the consumer's trigger answered {answer.outcome.value} (evidence only)")
        if answer.outcome is not Outcome.ACCEPTED and not records:
            raise Broken(f"the consumer's trigger gave no usable answer ({answer.reason}) and lerconf's host received "
                         "nothing")
    elif not records:
        raise Broken("the operator's step ended and lerconf's host received nothing from the consumer")
    session = _session(host)
    served = list(session.served_next) if session is not None else []
    expired = frozenset(session.expired) if session is not None else frozenset()
    return ConsumerRun(host, operation, fmt, answer, records, served, expired)


def _session(host: ConsumerHost) -> Any:
    app = host.harness.reference.server.config.app
    if not isinstance(app, Starlette):
        return None
    return sessions_of(app.state).items.get(host.session)


def _with_token(run: ConsumerRun, what: str) -> None:
    if not run.issued_a_token():
        raise Broken(f"prerequisite: the consumer obtained no access token from lerconf's host, so {what} cannot be "
                     "judged (its OAuth flow is judged by OBAPI-13)")


# -- what each requirement is judged by ------------------------------------------------------------
def oauth_flow(run: ConsumerRun) -> list[CheckResult]:
    """OBAPI-13: discovery, registration, PKCE S256 + state, the scopes its operation needs, the token request."""
    authorizations = run.received("/auth/authorize", "GET")
    needed = [run.host.spec.scope(s) for s in NEEDED_SCOPES[run.operation]]
    return [checks.consumer_reads_the_service_description(run.received("/discovery", "GET")),
            checks.consumer_registers_with_required_members(run.received("/auth/register", "POST")),
            checks.consumer_authorizes_with_pkce_s256_and_state(authorizations),
            checks.consumer_asks_only_the_scopes_it_needs(authorizations, needed, run.operation),
            checks.consumer_redeems_the_code_with_its_verifier(run.received("/auth/token", "POST"))]


def _posted(record: WireRecord) -> tuple[Mapping[str, Any] | str | None, Mapping[str, Any] | None]:
    """(what to verify, the credential document) of an upsert body: a JSON credential or a compact JWS."""
    text = record.body.decode("utf-8", "replace").strip()
    value = record.json()
    if isinstance(value, str):
        text = value.strip()
    if checks.compact_jws(text):
        return text, jws_payload(text)
    return (value, value) if isinstance(value, Mapping) else (None, None)


def upserted(run: ConsumerRun) -> list[CheckResult]:
    """LCO-01: the consumer upserted a credential that lerconf's engine verifies, of the API's type,
    with the content type of its format."""
    _with_token(run, "its upsert")
    upserts = run.received("/credentials", "POST")
    results = [checks.consumer_upserts_a_credential(upserts)]
    if not upserts:
        return results
    record = next((r for r in upserts if r.status in (200, 201)), upserts[-1])
    results.append(checks.upsert_content_type_fits_the_credential(record, run.format))
    credential, document = _posted(record)
    types = (CLR if run.host.api == "clr" else OB).credential_types
    results.append(checks.upserted_credential_is_of_the_api_type(document, types))
    if credential is not None:
        run.host.evidence.keep("the credential the consumer upserted", credential)
        results += engine_results(run.host.harness, credential, "the credential the consumer upserted")
    return results


def read_every_page(run: ConsumerRun) -> list[CheckResult]:
    """LCO-02: every next link lerconf's host served was followed; getProfile was called."""
    _with_token(run, "its reading")
    return [checks.consumer_follows_every_next_link(run.served_next, run.received("/credentials", "GET")),
            checks.consumer_reads_the_profile(run.received("/profile", "GET"))]


def refreshed_once(run: ConsumerRun) -> list[CheckResult]:
    """LCO-03: after the host refused its (expired) token, a new token and no retry loop."""
    _with_token(run, "what it does with a refused token")
    resources = run.resource_requests()
    refusal = next((r for r in resources if r.status == 401 and r.token_sha256 in run.expired), None)
    if refusal is None:
        raise Broken("prerequisite: the consumer never used its access token at lerconf's host, so the refusal "
                     "could not be made")
    tokens = run.received("/auth/token", "POST")
    return [checks.consumer_gets_a_new_token_after_401(refusal, tokens, resources),
            checks.consumer_does_not_retry_in_a_loop(refusal, tokens, resources)]


#: requirement id -> what the consumer's run is judged by
CONSUMER_REQUIREMENTS: dict[str, Callable[[ConsumerRun], list[CheckResult]]] = {
    "OBAPI-13": oauth_flow,
    "LCO-01": upserted,
    "LCO-02": read_every_page,
    "LCO-03": refreshed_once,
}


def satisfies(run: ConsumerRun, evidence: Evidence, requirement: str) -> None:
    """The one verdict on ``requirement``: lerconf's engine could not check a key or status list ->
    cannot be judged; otherwise every MUST check must pass."""
    results = satisfied(CONSUMER_REQUIREMENTS, requirement, run)
    expect_checkable(results, evidence=evidence)
    expect_requirement_met(evidence, results, requirement)
