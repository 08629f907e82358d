"""lerconf's login callback (``login: person``): a person's browser brings the authorization
response back to ``/login/callback``; the waiting login takes it by state; the page never shows
the code; a login that never comes back ends at its deadline with a reason."""
from __future__ import annotations

import io
import threading
import time
from typing import Any

import httpx

from lerconf.clients.login import log_in
from lerconf.clients.manual.login import PersonAtTerminal
from lerconf.refimpl.logins import MAX_KEPT, LoginCallbacks


def test_the_browser_lands_on_the_callback_and_the_waiting_login_gets_its_answer(ref: Any, client: httpx.Client) -> None:
    got: list[dict[str, str] | None] = []
    waiter = threading.Thread(target=lambda: got.append(ref.state.logins.wait("st-1", 10)))
    waiter.start()
    answer = client.get("/login/callback", params={"code": "c0de-SECRET-1", "state": "st-1", "iss": "https://as.example"})
    waiter.join(10)
    assert answer.status_code == 200 and "text/html" in answer.headers["content-type"]
    assert "c0de-SECRET-1" not in answer.text and "continues" in answer.text
    assert answer.headers["cache-control"] == "no-store"
    assert got == [{"code": "c0de-SECRET-1", "state": "st-1", "iss": "https://as.example"}]


def test_an_answer_without_state_is_refused(client: httpx.Client) -> None:
    answer = client.get("/login/callback", params={"code": "x"})
    assert answer.status_code == 400 and "state" in answer.text


def test_answers_are_bounded_and_an_absent_one_times_out() -> None:
    logins = LoginCallbacks()
    for i in range(MAX_KEPT + 10):
        assert logins.record({"state": f"s{i}", "code": "c"})
    assert logins.wait("s0", 0.05) is None  # forgotten: the oldest go first
    assert logins.wait(f"s{MAX_KEPT + 9}", 0.05) == {"state": f"s{MAX_KEPT + 9}", "code": "c"}
    started = time.monotonic()
    assert logins.wait("never", 0.3) is None
    assert 0.25 <= time.monotonic() - started < 2


def test_a_person_login_prints_the_address_and_returns_what_the_browser_brought_back() -> None:
    logins, out = LoginCallbacks(), io.StringIO()
    person = PersonAtTerminal(logins, timeout_s=10, vendor="Acme", out=out)
    url = "https://as.example/authorize?client_id=c&state=abc123&code_challenge=x"
    threading.Timer(0.2, lambda: logins.record({"code": "k", "state": "abc123"})).start()
    arrived, problem = person(url, "http://127.0.0.1:9/login/callback")
    assert problem is None and arrived == "http://127.0.0.1:9/login/callback?code=k&state=abc123"
    assert url in out.getvalue() and "log in by hand at Acme" in out.getvalue()


def test_a_person_who_never_logs_in_ends_the_login_with_a_reason() -> None:
    person = PersonAtTerminal(LoginCallbacks(), timeout_s=0.2, out=io.StringIO())
    arrived, problem = person("https://as.example/authorize?state=zz", "http://127.0.0.1:9/login/callback")
    assert arrived is None and problem is not None and "within 0.2 s" in problem and "--public-base-url" in problem
    response = log_in(None, "https://as.example/authorize?state=zz", "http://127.0.0.1:9/login/callback",  # type: ignore[arg-type]
                      "person", person=person)
    assert response.problem is not None and "no login came back" in response.problem and not response.params


def test_person_login_without_an_operator_says_so() -> None:
    response = log_in(None, "https://as.example/authorize?state=q", "http://x/cb", "person")  # type: ignore[arg-type]
    assert response.problem is not None and "no operator" in response.problem


def _page_operator(timeout_s: float) -> Any:
    from lerconf.clients.manual.operator import PersonOperator
    from lerconf.clients.manual.session import ManualSession
    from lerconf.profile.person import PersonSection

    return PersonOperator(ManualSession(), None, PersonSection("login", "the AS", timeout_s=timeout_s), out=io.StringIO())


def _open_step(operator: Any) -> Any:
    deadline = time.monotonic() + 5
    while operator.session.current is None:
        assert time.monotonic() < deadline, "no step opened"
        time.sleep(0.01)
    return operator.session.current


def test_a_login_on_the_operator_page_is_a_step_that_ends_when_the_browser_comes_back() -> None:
    logins, operator = LoginCallbacks(), _page_operator(10)
    person = PersonAtTerminal(logins, timeout_s=10, vendor="Acme", out=io.StringIO(), operator=lambda: operator)
    url = "https://as.example/authorize?client_id=c&state=pg1&code_challenge=x"

    def browser() -> None:
        step = _open_step(operator)
        page = step.to_page()
        assert page["kind"] == "login" and page["links"] == [{"label": "log in", "url": url}]
        assert operator.session.answer(step.id, "done") is not None  # a login is not the operator's to call done
        logins.record({"code": "k", "state": "pg1"})

    failures: list[BaseException] = []

    def checked_browser() -> None:
        try:
            browser()
        except BaseException as exc:  # reported to the test below, not lost in the thread
            failures.append(exc)
            logins.record({"code": "k", "state": "pg1"})

    thread = threading.Thread(target=checked_browser)
    thread.start()
    arrived, problem = person(url, "http://127.0.0.1:9/login/callback")
    thread.join(10)
    assert not failures, failures
    assert problem is None and arrived == "http://127.0.0.1:9/login/callback?code=k&state=pg1"
    assert operator.session.current.ended == "came-back" and "at Acme" in operator.session.current.title


def test_a_login_the_operator_reports_as_failed_ends_at_once_with_the_message() -> None:
    logins, operator = LoginCallbacks(), _page_operator(30)
    person = PersonAtTerminal(logins, timeout_s=30, out=io.StringIO(), operator=lambda: operator)
    thread = threading.Thread(target=lambda: operator.session.answer(_open_step(operator).id, "error",
                                                                     "the AS said: invalid redirect_uri"))
    thread.start()
    started = time.monotonic()
    arrived, problem = person("https://as.example/authorize?state=pg2", "http://127.0.0.1:9/login/callback")
    thread.join(10)
    assert arrived is None and problem == "the operator reported that the login failed: the AS said: invalid redirect_uri"
    assert time.monotonic() - started < 5


def test_a_login_on_the_page_that_never_comes_back_times_out_with_the_reason() -> None:
    operator = _page_operator(0.3)
    person = PersonAtTerminal(LoginCallbacks(), timeout_s=0.3, out=io.StringIO(), operator=lambda: operator)
    arrived, problem = person("https://as.example/authorize?state=pg3", "http://127.0.0.1:9/login/callback")
    assert arrived is None and problem is not None and "no login came back" in problem
    assert operator.session.current.ended == "timeout"
