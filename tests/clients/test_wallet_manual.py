"""Manual wallet mode, driven by a robot operator: the operator page shows each step (QR code of
exactly the URI, tx_code apart), the wire ends a step, operator answers and screenshots become
evidence, timeouts break, and the page escapes what it shows and refuses what it must."""
from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import segno
from manual_robot import PNG, Robot

from lerconf.clients.manual.driver import ManualWalletDriver
from lerconf.clients.manual.page import (
    MAX_BODY,
    PageServer,
    qr_svg,
    render_page,
    start_page,
)
from lerconf.clients.manual.session import MAX_SCREENSHOT, ManualSession
from lerconf.errors import ProfileError
from lerconf.evidence import CURRENT_EVIDENCE, Evidence
from lerconf.profile.load import parse_profile
from lerconf.refimpl.server import RunningReference, running_reference
from lerconf.verdicts import Broken


@pytest.fixture(scope="module")
def reference() -> Iterator[RunningReference]:
    with running_reference() as ref:
        yield ref


@pytest.fixture
def page() -> Iterator[PageServer]:
    server = start_page(ManualSession())
    yield server
    server.stop()


def _driver(page: PageServer, timeout_s: float = 15.0) -> tuple[ManualWalletDriver, io.StringIO]:
    out = io.StringIO()
    return ManualWalletDriver(page.session, page, timeout_s=timeout_s, out=out), out


@pytest.fixture
def evidence() -> Iterator[Evidence]:
    ev = Evidence()
    token = CURRENT_EVIDENCE.set(ev)
    yield ev
    CURRENT_EVIDENCE.reset(token)


def _offer(reference: RunningReference, **body: Any) -> dict[str, Any]:
    with httpx.Client(base_url=reference.base_url, trust_env=False, timeout=30) as client:
        answer = client.post("/oid4vci/offers", json={"credential_configuration_id": "OpenBadgeCredential_ldp_vc",
                                                      "tx_code": True, "by_reference": True, **body})
    assert answer.status_code == 201
    return dict(answer.json())


def test_the_wire_ends_an_offer_step_the_operator_handed_to_a_wallet(page: PageServer, reference: RunningReference,
                                                                     evidence: Evidence) -> None:
    driver, out = _driver(page)
    made = _offer(reference)
    with Robot(f"http://127.0.0.1:{page.port}/") as robot:
        answer = driver.receive_offer(credential_offer_uri=made["credential_offer_uri"], tx_code=made["tx_code"])
    assert not robot.errors, robot.errors
    step = page.session.steps[-1]
    assert step.ended == "wire" and answer.outcome == "stored"
    seen = robot.handled[-1]
    assert seen["tx_code"] == made["tx_code"] and made["tx_code"] not in seen["uri"]
    assert [(e["method"], e["path"], e["status"]) for e in step.timeline()][-1] == ("POST", "/oid4vci/credential", 200)
    assert driver.may_hold
    # evidence: labelled operator evidence, the QR payload, the timeline; the tx_code value nowhere
    assert any(n.startswith("operator evidence (never decides the verdict)") for n in evidence.notes)
    document = evidence.documents[f"operator evidence: manual step {step.id} (offer)"]
    assert document["qr_payload"] == step.uri and document["ended_by"] == "wire"
    assert document["transaction_code_shown_separately"] is True
    assert made["tx_code"] not in evidence.dumps()
    assert f"transaction code (type it when the wallet asks; it is not in the QR code): {made['tx_code']}" in out.getvalue()


def test_a_presentation_step_names_the_client_id_and_ends_at_the_response_uri(page: PageServer,
                                                                                reference: RunningReference) -> None:
    driver, _ = _driver(page)
    made = _offer(reference)
    with Robot(f"http://127.0.0.1:{page.port}/") as robot:
        driver.receive_offer(credential_offer_uri=made["credential_offer_uri"], tx_code=made["tx_code"])
        with httpx.Client(base_url=reference.base_url, trust_env=False, timeout=30) as client:
            request = client.post("/oid4vp/requests", json={"client_id_prefix": "redirect_uri"}).json()
        answer = driver.present(request_uri=request["request_uri"])
    assert not robot.errors, robot.errors
    step = page.session.steps[-1]
    assert step.kind == "presentation" and step.ended == "wire" and answer.outcome == "submitted"
    assert step.uri == "openid4vp://?" + httpx.QueryParams({"client_id": request["client_id"],
                                                            "request_uri": request["request_uri"]}).__str__()
    assert any(e["path"] == "/oid4vp/responses" for e in step.timeline())


def test_silence_past_the_timeout_breaks_the_scenario(page: PageServer, reference: RunningReference,
                                                      evidence: Evidence) -> None:
    driver, _ = _driver(page, timeout_s=0.3)
    made = _offer(reference)
    with pytest.raises(Broken, match="no finished flow on lerconf's endpoints and no operator answer"):
        driver.receive_offer(credential_offer_uri=made["credential_offer_uri"], tx_code=made["tx_code"])
    assert page.session.steps[-1].ended == "timeout"
    assert any("before the timeout" in n for n in evidence.notes)


def test_an_operator_error_answer_is_evidence_with_message_and_screenshot(page: PageServer, reference: RunningReference,
                                                                          evidence: Evidence) -> None:
    driver, _ = _driver(page)
    made = _offer(reference)
    with Robot(f"http://127.0.0.1:{page.port}/", lambda step: ("error", "Issuer not trusted", PNG)):
        answer = driver.receive_offer(credential_offer_uri=made["credential_offer_uri"], tx_code=made["tx_code"])
    assert answer.outcome == "error" and answer.wallet_error == {"code": "operator_reported", "message": "Issuer not trusted"}
    step = page.session.steps[-1]
    assert step.ended == "error" and len(step.screenshots) == 1 and step.screenshots[0].content_type == "image/png"
    document = evidence.documents[f"operator evidence: manual step {step.id} (offer)"]
    assert document["operator_message"] == "Issuer not trusted"
    assert document["screenshots"][0]["bytes"] == len(PNG) and document["screenshots"][0]["data_base64"]


def test_reset_asks_the_operator_only_when_lerconf_may_have_issued_something(page: PageServer) -> None:
    driver, _ = _driver(page, timeout_s=0.3)
    assert driver.reset().exchange.status == 408  # unknown wallet, nobody answers: not ok, so a prerequisite breaks
    driver.timeout_s = 15
    with Robot(f"http://127.0.0.1:{page.port}/"):
        assert driver.reset().ok
    steps = len(page.session.steps)
    assert driver.reset().ok and len(page.session.steps) == steps  # nothing issued since: no new step
    assert driver.credentials().not_supported
    assert driver.reset(seed=[{"format": "ldp_vc", "credential": {}}]).not_supported


def test_the_session_form_names_wallet_device_and_operator_in_the_evidence(page: PageServer,
                                                                          evidence: Evidence) -> None:
    with httpx.Client(trust_env=False, follow_redirects=True) as client:
        client.post(page.url + "info", data={"wallet": "Acme Wallet 2.1", "device": "Pixel 8, Android 15",
                                             "operator": "A. Tester", "other": "ignored"})
    assert page.session.info == {"wallet": "Acme Wallet 2.1", "device": "Pixel 8, Android 15", "operator": "A. Tester"}
    driver, _ = _driver(page)
    with Robot(f"http://127.0.0.1:{page.port}/"):
        driver.reset()
    assert next(iter(evidence.documents.values()))["session"]["wallet"] == "Acme Wallet 2.1"
    assert driver.capabilities().body["wallet"]["name"] == "Acme Wallet 2.1"


def test_skip_leaves_the_scenario_not_run_and_the_verdict_incomplete(page: PageServer) -> None:
    """An operator's skip is "not tested" (broken: the role's verdict stays incomplete), never "not claimed"."""
    driver, _ = _driver(page)
    with Robot(f"http://127.0.0.1:{page.port}/", lambda step: ("skip", "", None)), \
            pytest.raises(Broken, match="not run: the operator skipped"):
        driver.reset()


def test_the_qr_code_encodes_exactly_the_uri_and_not_the_tx_code(page: PageServer) -> None:
    uri = "openid-credential-offer://?credential_offer_uri=https%3A%2F%2Ftunnel.example%2Foid4vci%2Foffers%2Fabc"
    page.session.begin("offer", "scan", "scan it", uri=uri, tx_code="493817", timeout_s=5)
    html = httpx.get(page.url, trust_env=False).text
    expected = segno.make(uri, error="m")
    assert qr_svg(uri) == expected.svg_inline(scale=4, border=4, dark="#000", light="#fff")
    assert qr_svg(uri) in html
    assert qr_svg(uri + "&tx_code=493817") not in html and "493817" not in uri
    assert expected.matrix != segno.make(uri + "493817", error="m").matrix
    assert '<div class="tx">493817</div>' in html
    driver, out = _driver(page)
    driver._announce(page.session.steps[-1], uri)
    terminal = io.StringIO()
    expected.terminal(out=terminal, compact=True)
    assert terminal.getvalue() in out.getvalue()


HOSTILE = '<script>alert(1)</script>"\'><img src=x onerror=alert(2)>'


def test_the_page_escapes_everything_it_shows(page: PageServer) -> None:
    session = page.session
    session.set_info({"wallet": HOSTILE, "device": HOSTILE, "operator": HOSTILE})
    step = session.begin("offer", HOSTILE, HOSTILE, uri="javascript:alert(3)//" + HOSTILE, tx_code=HOSTILE, timeout_s=5)
    step.message = HOSTILE
    html = render_page(session, problem=HOSTILE)
    assert "<script>alert" not in html and "<img src=x" not in html and 'href="javascript:' not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 5
    assert html.count("<script") == 1 and '<script src="/session/' in html  # only the page's own script
    answer = httpx.get(page.url, trust_env=False)
    csp = answer.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert answer.headers["x-content-type-options"] == "nosniff"
    link = render_page(_session_with("openid-credential-offer://?credential_offer_uri=x"))
    assert 'href="openid-credential-offer://?credential_offer_uri=x"' in link


def _session_with(uri: str) -> ManualSession:
    session = ManualSession()
    session.begin("offer", "t", "i", uri=uri, tx_code=None, timeout_s=5)
    return session


def test_the_page_refuses_bad_uploads_foreign_origins_and_hosts(page: PageServer) -> None:
    step = page.session.begin("offer", "t", "i", uri="openid-credential-offer://?x=1", tx_code=None, timeout_s=30)
    with httpx.Client(trust_env=False, follow_redirects=False) as client:
        def upload(data: bytes) -> httpx.Response:
            return client.post(page.url + "screenshot", data={"step": str(step.id)},
                               files={"screenshot": ("s.png", data, "image/png")})

        assert "not+a+PNG" in upload(b"<svg onload=alert(1)>").headers["location"].replace("%20", "+")
        too_big = upload(PNG + b"\0" * MAX_SCREENSHOT)
        assert too_big.status_code == 303 and "larger" in too_big.headers["location"]
        assert client.post(page.url + "screenshot", content=b"x" * (MAX_BODY + 1),
                           headers={"content-type": "multipart/form-data; boundary=b"}).status_code == 303
        assert not step.screenshots
        assert upload(PNG).status_code == 303 and len(step.screenshots) == 1
        foreign = client.post(page.url + "answer", data={"step": str(step.id), "action": "done"},
                              headers={"origin": "https://evil.example"})
        assert foreign.status_code == 403 and step.ended is None
        wrong = client.post(page.url.replace(page.session.token, "guess") + "answer", data={"step": str(step.id), "action": "done"})
        assert wrong.status_code == 404 and step.ended is None
        rebound = client.get(page.url, headers={"host": "evil.example"})
        assert rebound.status_code == 400
        assert client.post(page.url + "answer", data={"step": str(step.id), "action": "done"}).status_code == 303
    assert step.ended == "done"


def _profile(wallet: Any) -> Any:
    return parse_profile({"name": "w", "wallet": wallet}, "test")


def test_the_wallet_section_takes_manual_mode_without_an_adapter() -> None:
    section = _profile({"mode": "manual", "timeout_s": 30, "page_port": 8799}).wallet
    assert section.manual and section.adapter_url is None and section.timeout_s == 30 and section.page_port == 8799
    assert section.urls == {} and section.public_view()["mode"] == "manual"
    assert not _profile({"adapter_url": "http://127.0.0.1:9/w"}).wallet.manual
    for bad, why in [({"claims": {}}, "adapter_url"), ({"mode": "manual", "adapter_url": "http://x/"}, "no adapter"),
                     ({"mode": "phone"}, "mode"), ({"mode": "manual", "timeout_s": 0}, "timeout_s"),
                     ({"mode": "manual", "page_port": 70000}, "page_port")]:
        with pytest.raises(ProfileError, match=why):
            _profile(bad)
