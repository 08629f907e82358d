"""OB 3.0 / CLR 2.0 API provider scenarios on the resources: getCredentials (every credential
through lerconf's engine), paging, upsertCredential (Data Integrity as JSON, VC-JWT as text/plain),
read-back equality, the profile, token refresh and revocation. Each returns an
:class:`~lerconf.scenarios.obapi_provider.Attempt` judged by ``obapi_provider.judge``.
"""
from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping
from typing import Any

from lerconf import entropy
from lerconf.checks import obapi as checks
from lerconf.clients.obapi import ObApiClient
from lerconf.outcome import Outcome
from lerconf.protocol.oid4vci import Answer
from lerconf.results import CheckResult, Status
from lerconf.scenarios.obapi_provider import Attempt
from lerconf.scenarios.obapi_provider_flow import (
    ObSession,
    connect,
    credential_for_upsert,
    engine_results,
    expect_usable,
    require,
    scope_for,
)
from lerconf.verdicts import Broken, CannotJudge

__all__ = ["UPSERT_DEFECTS", "listed_credentials", "paging", "profile_read", "profile_update", "read_back", "refresh",
           "revoked_token", "upsert", "upsert_defect"]

#: lerconf's engine verifies at most this many credentials of a page (a hostile host may list thousands)
MAX_VERIFIED = 50
#: the page size lerconf reads back with (a host may page even when no limit is asked for)
READ_BACK_LIMIT = 50
FIRST_VALID_FROM = "2026-01-15T09:00:00Z"
NEWER_VALID_FROM = "2026-03-15T09:00:00Z"


def _reader(session: ObSession) -> ObApiClient:
    return connect(session, [scope_for(session, "getCredentials")]).client


def _writer(session: ObSession) -> ObApiClient:
    return connect(session, [scope_for(session, "getCredentials"), scope_for(session, "upsertCredential")]).client


# -- getCredentials and paging --------------------------------------------------------------------
def listed_credentials(session: ObSession) -> Attempt:
    """getCredentials; every credential and compact JWS returned goes through lerconf's engine."""
    page = _reader(session).get_credentials()
    body = page.answer.body
    results = [checks.credentials_answer_lists_credentials(page.answer.exchange.status, body),
               checks.credentials_answer_matches_schema(body, loader=session.harness.engine.loader, api=session.api)]
    if page.answer.outcome is Outcome.ACCEPTED:
        listed: list[Mapping[str, Any] | str] = [*page.credentials, *page.compact_jws]
        if len(listed) > MAX_VERIFIED:
            session.evidence.notes.append(f"{len(listed)} credentials listed: lerconf verified the first {MAX_VERIFIED}")
        for n, credential in enumerate(listed[:MAX_VERIFIED], 1):
            found = engine_results(session.harness, credential, f"credential {n} of getCredentials")
            results += [_held_as_revoked(dataclasses.replace(r, subject=f"credential {n}")) for r in found]
            results.append(checks.listed_credential_is_of_the_api_type(credential, session.api))
    return Attempt("getCredentials", page.answer, results)


def listed_transcripts(session: ObSession) -> Attempt:
    """CLR-11: getCredentials on the CLR API answers with the learner's ClrCredentials, as the OB API does with
    badges; a refusal fails it too. Whether each one verifies is OBAPI-06's row, not this one's."""
    if session.api_key != "clr":
        raise ValueError("CLR-11 is about the CLR API (the feature row names api 'clr')")
    page = _reader(session).get_credentials()
    listed: list[Mapping[str, Any] | str] = [*page.credentials, *page.compact_jws] \
        if page.answer.outcome is Outcome.ACCEPTED else []
    return Attempt("getCredentials", page.answer, [checks.clr_api_serves_clrs_as_the_ob_api_serves_badges(
        page.answer.exchange.url, page.answer.exchange.status, [checks.credential_types(c) for c in listed])])



#: the status checks that say an issuer revoked or suspended a credential (Bitstring Status List, 1EdTech list)
_REVOKED_BY_ISSUER = frozenset({"BSL-18", "OB-26"})


def _held_as_revoked(result: CheckResult) -> CheckResult:
    """A listed badge its issuer revoked is still the learner's, verifiable, and the host may keep it
    (OBAPI-06 asks for verifiable credentials; revocation is the issuer's act): a warning in the
    evidence, never the host's failure. Seen when a run's lifecycle scenarios had revoked a badge
    stored on the host before the listing scenario ran, so the verdict depended on their order."""
    if result.requirement in _REVOKED_BY_ISSUER and result.status is Status.FAILED:
        return dataclasses.replace(result, status=Status.WARNING,
                                   message=f"{result.message} — revoked by its issuer; a host may keep it")
    return result


def paging(session: ObSession) -> Attempt:
    """Every page, walked from offset 0 by ``Link: rel="next"`` with a small limit."""
    client = _reader(session)
    probe = client.get_credentials(limit=1, offset=0)
    require(probe.answer, "getCredentials")
    total = probe.total_count
    limit = 2 if total is None or total >= 4 else 1
    walk = client.walk_pages(limit)
    if walk.problem is not None and walk.pages and walk.pages[-1].answer.outcome is not Outcome.ACCEPTED:
        expect_usable(walk.pages[-1].answer, f"page {len(walk.pages)} of getCredentials")
    held = _held(session, client, total, walk.walked, walk.problem)
    if walk.problem is None and held <= limit:
        if held <= 1:
            raise CannotJudge(f"the test user holds {held} credential(s): paging shows only one page; give the test "
                              "user more credentials (or let lerconf's write scenarios run first)")
        limit = 1  # X-Total-Count promised more than there is: page again, one credential a page
        walk = client.walk_pages(limit)
        if walk.problem is not None and walk.pages and walk.pages[-1].answer.outcome is not Outcome.ACCEPTED:
            expect_usable(walk.pages[-1].answer, f"page {len(walk.pages)} of getCredentials")
    results: list[CheckResult] = []
    offset = 0
    for page in walk.pages:
        results.append(checks.paging_page_honours_limit(page.size, limit))
        link = page.answer.header("link")
        results += [checks.paging_link_has_first_and_last(link, offset=offset, returned=page.size, total=held),
                    checks.paging_link_has_next_while_incomplete(link, offset=offset, returned=page.size, total=held),
                    checks.paging_link_has_prev_after_offset(link, offset=offset)]
        offset += page.size
    # a walk that broke off says nothing of the count: compared with what it read, as the walk check reports it
    results.append(checks.paging_total_count_matches_walk(probe.total_count_raw, walk.walked if walk.problem else held))
    if walk.problem is not None:
        results.append(checks.paging_walk_ends(walk.problem))
    session.evidence.notes.append(f"walked {len(walk.pages)} page(s) of {limit}: {walk.walked} credential(s)")
    return Attempt("getCredentials paging", walk.pages[0].answer if walk.pages else None, results)


def _held(session: ObSession, client: ObApiClient, total: int | None, walked: int, problem: str | None) -> int:
    """How many credentials the host holds. When X-Total-Count says more than a complete walk by
    ``next`` reached, one page read past the walk's end decides which of the two is wrong. Empty:
    the host holds what the walk read (X-Total-Count is wrong, the links are right); a credential
    there: the links stopped early, and X-Total-Count stands."""
    if total is None:
        return walked
    if problem is not None:  # the walk broke off: the links are not evidence of what the host holds
        return total
    if total <= walked:
        return walked
    beyond = client.get_credentials(limit=1, offset=walked)
    if beyond.answer.outcome is not Outcome.ACCEPTED:
        return total
    if beyond.size == 0:
        session.evidence.notes.append(f"X-Total-Count says {total}, the page at offset {walked} is empty: "
                                      f"the host holds {walked}")
        return walked
    session.evidence.notes.append(f"a credential lies at offset {walked}, past the last page Link next led to")
    return total


# -- upsertCredential -----------------------------------------------------------------------------
def upsert(session: ObSession, fmt: str) -> Attempt:
    """A new credential upserted (201), then the same one re-issued with a newer validFrom (200)."""
    client = _writer(session)
    credential_id = f"urn:uuid:{entropy.uuid4()}"
    first = credential_for_upsert(session, fmt, credential_id=credential_id, valid_from=FIRST_VALID_FROM)
    answer = client.upsert(first)
    results = [checks.upsert_status_says_created_or_replaced(answer.exchange.status, new=True),
               checks.upsert_answer_echoes_credential(first, answer.body, answer.header("content-type"))]
    if answer.outcome is Outcome.ACCEPTED:
        newer = credential_for_upsert(session, fmt, credential_id=credential_id, valid_from=NEWER_VALID_FROM)
        again = client.upsert(newer)
        expect_usable(again, "the upsert of the re-issued credential")
        results += [checks.upsert_status_says_created_or_replaced(again.exchange.status, new=False),
                    checks.upsert_answer_echoes_credential(newer, again.body, again.header("content-type"))]
    return Attempt(f"upsertCredential ({fmt})", answer, results)


def read_back(session: ObSession) -> Attempt:
    """Upsert a credential, read it back (equal, nothing lost); re-issue it newer and read again
    (one credential, the newer validFrom)."""
    client = _writer(session)
    first = credential_for_upsert(session, "ldp_vc", valid_from=FIRST_VALID_FROM)
    assert isinstance(first, dict)
    answer = require(client.upsert(first), "the upsert of a new credential")
    results = [checks.read_back_equals_upserted(first, _every_credential(client, "after the upsert"))]
    newer = credential_for_upsert(session, "ldp_vc", credential_id=first["id"], valid_from=NEWER_VALID_FROM)
    assert isinstance(newer, dict)
    require(client.upsert(newer), "the upsert of the re-issued credential")
    results.append(checks.replacement_keeps_the_newer(_every_credential(client, "after the re-issue"), newer))
    return Attempt("the credentials read back", answer, results)


def _every_credential(client: ObApiClient, when: str) -> list[Mapping[str, Any]]:
    """The Data Integrity credentials of every page (Link next followed); broken if the walk is."""
    walk = client.walk_pages(READ_BACK_LIMIT)
    for page in walk.pages:
        require(page.answer, f"getCredentials {when}")
    if walk.problem is not None:
        raise Broken(f"prerequisite: getCredentials {when}: {walk.problem}")
    return walk.credentials


#: upsert faults, each made from a valid Data Integrity credential
UPSERT_DEFECTS = ("a tampered credential", "an unsigned credential", "a JSON credential sent as text/plain")


def upsert_defect(session: ObSession, defect: str) -> Attempt:
    """An upsert with one fault; the control upserts the valid credential it was made from."""
    client = _writer(session)
    valid = credential_for_upsert(session, "ldp_vc")
    assert isinstance(valid, dict)
    bad = copy.deepcopy(valid)
    content_type = None
    if defect == "a tampered credential":
        bad["name"] = str(bad.get("name", "")) + " (changed after signing)"
    elif defect == "an unsigned credential":
        bad.pop("proof", None)
    elif defect == "a JSON credential sent as text/plain":
        content_type = "text/plain"
    else:
        raise KeyError(f"unknown upsert defect {defect!r}")
    answer = client.upsert(bad, content_type=content_type)

    def control() -> None:
        accepted = client.upsert(valid)
        expect_usable(accepted, "the valid upsert")
        if accepted.outcome is not Outcome.ACCEPTED:
            raise AssertionError(accepted.exchange.reason)

    return Attempt(f"the upsert of {defect}", answer, [
        checks.error_status_is_4xx(answer.exchange.status),
        checks.error_body_is_imsx_status_info(answer.body, loader=session.harness.engine.loader, api=session.api,
                                              status=answer.exchange.status)],
        control, "the valid credential the defective one was made from")


# -- profile --------------------------------------------------------------------------------------
def profile_read(session: ObSession) -> Attempt:
    """getProfile of the test user."""
    client = connect(session, [scope_for(session, "getProfile")]).client
    answer = client.get_profile()
    results = [checks.get_profile_status_is_200_or_404(answer.exchange.status)]
    if answer.exchange.status == 200:
        results.append(checks.profile_matches_schema(answer.body, loader=session.harness.engine.loader, api=session.api))
    return Attempt("getProfile", answer, results)


def profile_update(session: ObSession) -> Attempt:
    """putProfile with the whole Profile (the user's own, read first, with its name changed)."""
    client = connect(session, [scope_for(session, "getProfile"), scope_for(session, "putProfile")]).client
    current = client.get_profile()
    expect_usable(current, "getProfile")
    profile: dict[str, Any] = dict(current.body) if isinstance(current.body, Mapping) else {
        "id": "urn:uuid:6a0e1c55-0b5d-4d2e-9a51-1b1f5e0c7a11", "type": ["Profile"]}
    profile["name"] = "Lerconf Test Learner (updated)"
    answer = client.put_profile(profile)
    return Attempt("putProfile", answer, [checks.put_profile_status_is_200_or_202(answer.exchange.status)])


# -- refresh and revocation -----------------------------------------------------------------------
def refresh(session: ObSession) -> Attempt:
    """A refresh token grant after the authorization code grant."""
    connected = connect(session, [scope_for(session, "getCredentials")])
    previous = connected.client.tokens.access_token or ""
    if connected.client.tokens.refresh_token is None:
        raise Broken("prerequisite: the token response has no refresh_token (the host claims refresh)")
    answer = connected.client.refresh()
    results = [checks.refresh_gives_new_access_token(answer.exchange.status, answer.body, previous)]
    if results[0].status is Status.PASSED:  # a new token is one that works: getCredentials with it
        listed = connected.client.get_credentials()
        if listed.answer.exchange.status not in (200, 401, 403):  # no usable answer says nothing of the token
            expect_usable(listed.answer, "getCredentials with the refreshed token")
        results.append(checks.refreshed_token_works(listed.answer.exchange.status))
    return Attempt("the refresh request", answer, results)


def revoked_token(session: ObSession) -> Attempt:
    """A token that listed credentials, revoked (RFC 7009), then used again."""
    client = _reader(session)
    require(client.get_credentials().answer, "getCredentials before the revocation")
    require(client.revoke(), "the revocation request")
    answer: Answer = client.get_credentials().answer

    def control() -> None:
        fresh = _reader(session).get_credentials().answer
        expect_usable(fresh, "getCredentials with a fresh token")
        if fresh.outcome is not Outcome.ACCEPTED:
            raise AssertionError(fresh.exchange.reason)

    return Attempt("getCredentials with the revoked token", answer,
                   [checks.revoked_token_is_refused(answer.exchange.status)], control,
                   "getCredentials with a fresh token")
