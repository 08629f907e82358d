"""The reference OB 3.0 / CLR 2.0 consumer and the per-scenario hosts it is sent to: what reaches
the host's wire log (and what never does: secrets), paging, the expired-token refusal, and each
behaviour a ConsumerRules field turns off."""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from lerconf.protocol.obapi import parse_links
from lerconf.protocol.wire_record import WireRecord
from lerconf.redact import REDACTED
from lerconf.refimpl.obconsumer import PAGE_SIZE, SEEDED, TRIGGER_PATH, ConsumerRules
from lerconf.refimpl.obhost.redaction import SECRET_FIELDS
from lerconf.refimpl.wire import wire_of


@pytest.fixture
def rules(ref: Any) -> Iterator[Any]:
    """Set the reference consumer's rules for one test (restored after)."""
    app = ref.server.config.app

    def use(given: ConsumerRules) -> None:
        app.state.obconsumer_rules = given

    yield use
    app.state.obconsumer_rules = ConsumerRules()


def _session(client: httpx.Client, api: str = "ob", **options: Any) -> dict[str, Any]:
    answer = client.post("/ob-consumer/sessions", json={"api": api, **options})
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


def _trigger(client: httpx.Client, ref: Any, session: dict[str, Any], operation: str, api: str = "ob",
             fmt: str = "ldp_vc") -> tuple[dict[str, Any], list[WireRecord]]:
    wire = wire_of(ref.state)
    mark = wire.mark()
    answer = client.post(TRIGGER_PATH, json={"discovery_url": session["discovery_url"], "api": api,
                                             "operation": operation, "format": fmt})
    assert answer.status_code == 200, answer.text
    records = [r for r in wire.since(mark) if f"/s/{session['session']}/" in r.path]
    return answer.json(), records


def _named(records: list[WireRecord], suffix: str, method: str) -> list[WireRecord]:
    return [r for r in records if r.path.endswith(suffix) and r.method == method]


def test_a_read_walks_every_page_and_reads_the_profile(client: httpx.Client, ref: Any) -> None:
    session = _session(client)
    assert session["total"] == sum(SEEDED["ob"]) and session["page_size"] == PAGE_SIZE
    done, records = _trigger(client, ref, session, "read")
    assert done["outcome"] == "completed", done
    pages = _named(records, "/credentials", "GET")
    assert len(pages) == done["pages"] == 3 and all(p.status == 200 for p in pages)
    assert done["credentials"] == session["total"]
    assert [r.status for r in _named(records, "/profile", "GET")] == [200]
    authorize = _named(records, "/auth/authorize", "GET")[0].query_params()
    assert authorize["code_challenge_method"] == "S256" and authorize["state"]
    assert set(authorize["scope"].split()) == {"https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.readonly",
                                              "https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.readonly"}


def test_no_secret_value_reaches_the_wire_log(client: httpx.Client, ref: Any) -> None:
    session = _session(client)
    _, records = _trigger(client, ref, session, "read")
    token = _named(records, "/auth/token", "POST")[0]
    assert token.form()["code"] == REDACTED and token.form()["code_verifier"] == REDACTED
    answer = token.response_json()
    assert answer["access_token"] == REDACTED and answer["refresh_token"] == REDACTED
    registration = _named(records, "/auth/register", "POST")[0].response_json()
    assert registration["client_secret"] == REDACTED and registration["client_id"]
    host = ref.server.config.app.state.obconsumer_sessions.items[session["session"]].store
    secrets = [c.secret for c in host.clients.values()] + list(host.access) + list(host.refresh) + list(host.codes)
    assert secrets
    logged = "".join(r.body.decode() + r.response.decode() + r.query for r in records)
    assert not [s for s in secrets if s in logged]
    assert all(name in SECRET_FIELDS for name in ("client_secret", "access_token", "code_verifier"))


@pytest.mark.parametrize(("api", "fmt", "ctype"), [("ob", "ldp_vc", "application/vc+ld+json"), ("ob", "jwt", "text/plain"),
                                                   ("clr", "jwt", "text/plain")])
def test_a_write_upserts_one_signed_credential(client: httpx.Client, ref: Any, api: str, fmt: str, ctype: str) -> None:
    session = _session(client, api)
    done, records = _trigger(client, ref, session, "write", api, fmt)
    assert done["outcome"] == "completed", done
    [posted] = _named(records, "/credentials", "POST")
    assert posted.status == 201 and posted.content_type == ctype
    authorize = _named(records, "/auth/authorize", "GET")[0].query_params()
    assert authorize["scope"] == f"https://purl.imsglobal.org/spec/{'ob/v3p0' if api == 'ob' else 'clr/v2p0'}/scope/credential.upsert"


def test_an_expired_token_is_refreshed_once(client: httpx.Client, ref: Any) -> None:
    session = _session(client, expire_first_token=True)
    done, records = _trigger(client, ref, session, "read")
    assert done["outcome"] == "completed", done
    pages = _named(records, "/credentials", "GET")
    assert pages[0].status == 401 and "expired" in pages[0].response.decode()
    assert {r.token_sha256 for r in pages if r.status == 401} == {pages[0].token_sha256}
    grants = [r.form()["grant_type"] for r in _named(records, "/auth/token", "POST")]
    assert grants == ["authorization_code", "refresh_token"]
    assert [p.status for p in pages[1:]] == [200, 200, 200]


def test_the_host_caps_the_page_size_and_keeps_its_next_links(client: httpx.Client, ref: Any) -> None:
    session = _session(client)
    _trigger(client, ref, session, "read")
    kept = ref.server.config.app.state.obconsumer_sessions.items[session["session"]]
    assert len(kept.served_next) == 2 and all("limit=2" in n for n in kept.served_next)
    assert parse_links(f'<{kept.served_next[0]}>; rel="next"').get("next") == kept.served_next[0]


def test_an_unknown_session_is_an_imsx_404(client: httpx.Client) -> None:
    answer = client.get("/ob-consumer/s/nope/ims/ob/v3p0/discovery")
    assert answer.status_code == 404 and answer.json()["imsx_codeMajor"] == "failure"


def test_a_malformed_trigger_is_400(client: httpx.Client) -> None:
    assert client.post(TRIGGER_PATH, json={"discovery_url": "ftp://x", "operation": "read"}).status_code == 400


def test_the_consumer_calls_only_loopback_hosts(client: httpx.Client) -> None:
    answer = client.post(TRIGGER_PATH, json={"discovery_url": "https://example.org/ims/ob/v3p0/discovery",
                                             "operation": "read"})
    assert answer.json()["outcome"] == "error" and "loopback" in answer.json()["error"]


@pytest.mark.parametrize(("given", "seen"), [
    (ConsumerRules(pkce=False), "no code_challenge"),
    (ConsumerRules(minimal_scopes=False), "four scopes"),
    (ConsumerRules(follow_next=False), "one page"),
    (ConsumerRules(jwt_as_text=False), "jwt as json"),
    (ConsumerRules(refresh_on_401=False), "a loop"),
])
def test_each_rule_turns_one_behaviour_off(client: httpx.Client, ref: Any, rules: Any, given: ConsumerRules,
                                           seen: str) -> None:
    rules(given)
    expire = seen == "a loop"
    session = _session(client, expire_first_token=expire)
    operation, fmt = ("write", "jwt") if seen == "jwt as json" else ("read", "ldp_vc")
    done, records = _trigger(client, ref, session, operation, "ob", fmt)
    authorize = _named(records, "/auth/authorize", "GET")[0].query_params()
    pages = _named(records, "/credentials", "GET")
    if seen == "no code_challenge":
        # lerconf's host gives no code without PKCE: the consumer gets no further
        assert "code_challenge" not in authorize and not _named(records, "/auth/token", "POST")
        assert done["outcome"] == "error" and "PKCE" in done["error"]
    elif seen == "four scopes":
        assert len(authorize["scope"].split()) == 4
    elif seen == "one page":
        assert len(pages) == 1 and done["pages"] == 1
    elif seen == "jwt as json":
        [posted] = _named(records, "/credentials", "POST")
        assert posted.content_type == "application/json" and json.loads(posted.body).count(".") == 2
        assert posted.status == 400 and done["outcome"] == "error"
    else:
        assert len(pages) == 9 and all(p.status == 401 for p in pages) and done["outcome"] == "error"
        assert [r.form()["grant_type"] for r in _named(records, "/auth/token", "POST")] == ["authorization_code"]


def test_the_shared_host_under_ims_is_recorded_scrubbed(client: httpx.Client, ref: Any) -> None:
    """/ims/ traffic (lerconf's own host, any client) reaches the wire log, its secrets by name only."""
    from lerconf.protocol.obapi import basic_authorization, registration_request

    wire = wire_of(ref.state)
    mark = wire.mark()
    request = registration_request(client_uri="https://c.example/", redirect_uris=["https://c.example/cb"],
                                   scopes=["https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.readonly"])
    registered = client.post("/ims/ob/v3p0/auth/register", json=request).json()
    client.post("/ims/ob/v3p0/auth/token?access_token=leaked-in-query",
                data={"grant_type": "authorization_code", "code": "a-code-value", "code_verifier": "a-verifier-value"},
                headers={"Authorization": basic_authorization(registered["client_id"], registered["client_secret"])})
    records = [r for r in wire.since(mark) if r.path.startswith("/ims/")]
    assert [r.path for r in records] == ["/ims/ob/v3p0/auth/register", "/ims/ob/v3p0/auth/token"]
    logged = "".join(r.body.decode() + r.response.decode() + r.query for r in records)
    for secret in (registered["client_secret"], "a-code-value", "a-verifier-value", "leaked-in-query"):
        assert secret not in logged
    assert records[1].form() == {"grant_type": "authorization_code", "code": REDACTED, "code_verifier": REDACTED}
    assert records[1].query_params() == {"access_token": REDACTED}
