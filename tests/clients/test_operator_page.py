"""The operator page as a guided flow for the roles only a person can drive (and manual wallet mode):
step i of n, what to do in one sentence, the badge to open, the questions, ONE screenshot control, a
timeline of what lerconf's endpoints received (fetches of its documents and badges included), and
"clear it first" only when lerconf's records say the displayer may still hold an earlier badge.
Bad operator input gets a clear error."""
from __future__ import annotations

import io
from collections.abc import Iterator

import httpx
import pytest
from manual_robot import PNG

from lerconf.clients.manual.operator import PersonOperator
from lerconf.clients.manual.page import PageServer, render_page, start_page
from lerconf.clients.manual.session import Link, ManualSession, Question
from lerconf.profile.person import PersonSection
from lerconf.refimpl.display import publish
from lerconf.refimpl.server import RunningReference, running_reference
from lerconf.refimpl.wire import wire_of
from lerconf.verdicts import Broken

STATUS = Question("status", "The status it showed", (("valid", "valid"), ("revoked", "revoked")))
NAME = Question("name", "The badge name", (("same", "shown, the same"), ("missing", "not shown")), "Level 2 (badge A)")


@pytest.fixture(scope="module")
def reference() -> Iterator[RunningReference]:
    with running_reference() as ref:
        yield ref


def _session() -> ManualSession:
    session = ManualSession()
    session.plan(3)
    return session


def test_answers_must_answer_every_question_with_one_of_its_choices() -> None:
    session = _session()
    step = session.begin("attest", "Open badge A", "Open badge A, then say what it shows.", timeout_s=5,
                         questions=(NAME, STATUS))
    assert session.answer(step.id, "reported", answers={"name": "same"}) == \
        "answer every question before sending: The status it showed"
    assert session.answer(step.id, "reported", answers={"name": "same", "status": "expired"}) == \
        "The status it showed: 'expired' is not one of the choices"
    assert session.answer(step.id, "reported", answers={"name": "same", "status": "valid", "x": "y"}) == \
        "unknown question(s): x"
    assert session.answer(step.id, "done") == f"step {step.id} asks what the screen showed: answer its questions"
    assert step.ended is None
    assert session.answer(step.id, "reported", answers={"name": "same", "status": "revoked"}) is None
    assert step.ended == "reported" and step.answers == {"name": "same", "status": "revoked"}
    other = session.begin("reset", "clear the wallet", "Clear it.", timeout_s=5)
    assert session.answer(other.id, "reported", answers={}) == f"step {other.id} asks no questions"


def test_the_page_is_a_guided_step_with_one_screenshot_control() -> None:
    session = _session()
    session.begin("attest", "Open badge A", "Open badge A in the displayer, then say what it shows.", timeout_s=5,
                  questions=(NAME, STATUS), links=(Link("the baked PNG", "http://127.0.0.1:1/display/x/badge.png"),))
    html = render_page(session)
    assert "Step 1 of 3" in html and "Open badge A in the displayer, then say what it shows." in html
    assert html.count('type="file"') == 1  # one screenshot control (the separate upload form is gone)
    assert 'name="q.status" value="revoked" required' in html and "lerconf issued: Level 2 (badge A)" in html
    assert "The status it showed" in html and "lerconf issued" not in html.split("The status it showed")[1].split("</fieldset>")[0]
    assert 'href="http://127.0.0.1:1/display/x/badge.png"' in html
    assert "lerconf is not watching its endpoints in this step" in html  # no wire: says so, never an empty list
    assert 'name="viewport"' in html and "attested" in html


def test_a_link_other_than_http_is_not_made_clickable() -> None:
    session = _session()
    session.begin("attest", "t", "i", timeout_s=5, questions=(STATUS,), links=(Link("x", "javascript:alert(1)"),))
    assert "javascript:" not in render_page(session)


def test_the_timeline_shows_what_the_displayer_fetched(reference: RunningReference) -> None:
    session = _session()
    wire = wire_of(reference.state)
    path = publish(reference.state, "badge.json", b"{}", "application/vc+ld+json")
    step = session.begin("attest", "t", "i", timeout_s=5, wire=wire, questions=(STATUS,))
    assert "nothing received yet" in render_page(session)
    with httpx.Client(trust_env=False) as client:
        assert client.get(reference.base_url + path).status_code == 200
        assert client.get(reference.base_url + "/display/nope/badge.json").status_code == 404
    assert [(e["method"], e["path"], e["status"]) for e in step.timeline()][:1] == [("GET", path, 200)]
    assert path in render_page(session)
    session.answer(step.id, "reported", answers={"status": "valid"})
    with httpx.Client(trust_env=False) as client:
        client.get(reference.base_url + path)
    assert len(step.timeline()) == 2  # what came after the operator answered is not the step's


def _operator(holds: bool) -> tuple[PersonOperator, ManualSession]:
    session = ManualSession()
    section = PersonSection("displayer" if holds else "page_verifier", "the robot's screen", timeout_s=5)
    return PersonOperator(session, None, section, out=io.StringIO(), holds=holds), session


@pytest.mark.parametrize("holds", [True, False])
def test_clear_first_only_when_lerconf_says_it_may_hold_an_earlier_badge(holds: bool) -> None:
    import threading
    operator, session = _operator(holds)

    def answer(expected_steps: int, action: str) -> None:
        while len(session.steps) < expected_steps or session.steps[-1].ended is not None:
            threading.Event().wait(0.01)
        session.answer(session.steps[-1].id, action, answers={"status": "valid"} if action == "reported" else None)

    for n, action in ((1, "skip"), (2, "reported"), (3, "reported")):
        worker = threading.Thread(target=answer, args=(n, action))
        worker.start()
        try:
            operator.ask(f"Open badge {n}", "Open it.", (), (STATUS,), None)
        except Broken as exc:
            assert n == 1 and "skipped" in str(exc)
        worker.join()
    first, second, third = session.steps
    assert first.clear_first == "" and second.clear_first == ""  # nothing handed over before, a skip holds nothing
    assert (third.clear_first != "") == holds and ("Open badge 2" in third.clear_first) == holds


def test_silence_breaks_the_step_and_says_so() -> None:
    operator, _ = _operator(True)
    operator.section = PersonSection("displayer", "x", timeout_s=1)
    with pytest.raises(Broken, match="no answer from the operator before the timeout"):
        operator.ask("Open badge A", "Open it.", (), (STATUS,), None)


@pytest.fixture
def page() -> Iterator[PageServer]:
    server = start_page(ManualSession())
    yield server
    server.stop()


def test_bad_answers_over_http_come_back_as_a_clear_problem(page: PageServer) -> None:
    step = page.session.begin("attest", "Open badge A", "Open it.", timeout_s=5, questions=(NAME, STATUS))
    with httpx.Client(trust_env=False, follow_redirects=True) as client:
        said = client.post(page.url + "answer", data={"step": str(step.id), "action": "reported", "q.name": "same"})
        assert "answer every question" in said.text and step.ended is None
        said = client.post(page.url + "answer", data={"step": str(step.id), "action": "reported", "q.name": "same",
                                                      "q.status": "revoked"},
                           files={"screenshot": ("s.png", PNG, "image/png")})
    assert said.status_code == 200 and step.ended == "reported" and len(step.screenshots) == 1
    assert step.answers == {"name": "same", "status": "revoked"}


@pytest.mark.parametrize("kind, done, error", [
    ("consumer", "The consumer says it has finished", "The consumer showed an error"),
    ("login", None, "The login failed (error)"),
    ("offer", "Wallet says it succeeded", "Wallet showed an error"),
])
def test_each_kind_of_step_gets_its_own_buttons(kind: str, done: str | None, error: str) -> None:
    session = ManualSession()
    session.begin(kind, "t", "i", timeout_s=5, uri="https://host.example/ims/ob/v3p0/discovery")
    html = render_page(session)
    assert error in html and ('value="done"' in html) == (done is not None)
    assert done is None or done in html
