"""The tape of one scenario (lerconf.tape, lerconf.entropy, lerconf.clients.tape_transport): what is
kept, what a replay gives back, and when a replay refuses to go on (Diverged)."""
from __future__ import annotations

import base64
import gzip
import json
from typing import Any

import httpx
import pytest

from lerconf import entropy
from lerconf.clients.http import VendorClient
from lerconf.clients.tape_transport import guard_refusal
from lerconf.crypto.keys import generate
from lerconf.errors import ResolutionError
from lerconf.outcome import Outcome
from lerconf.profile.load import parse_profile
from lerconf.redact import SECRETS
from lerconf.tape import Diverged, Tape, body_digest, keep_body, kept_body, placeholder, request_digest, taped

URL = "https://issuer.example/credentials/issue"


def _client(transport: httpx.BaseTransport) -> VendorClient:
    profile = parse_profile({"name": "Acme", "issuer": {"id": "did:web:issuer.example", "issue_url": URL}}, "acme.yaml")
    return VendorClient(profile, transport=transport)


def test_draws_are_kept_and_given_back_in_order() -> None:
    recording = Tape("record")
    with taped(recording):
        values = [entropy.token_urlsafe(16), entropy.uuid4(), entropy.unix_time(), entropy.alphanumeric(64)]
        key = generate("P-256").public.to_jwk()
    with taped(Tape("replay", recording.to_json())):
        again = [entropy.token_urlsafe(16), entropy.uuid4(), entropy.unix_time(), entropy.alphanumeric(64)]
        assert generate("P-256").public.to_jwk() == key
    assert again == values
    assert entropy.token_urlsafe(16) != entropy.token_urlsafe(16)  # outside a tape: random as ever


def test_a_replay_that_draws_otherwise_diverges() -> None:
    recording = Tape("record")
    with taped(recording):
        entropy.token_hex(4)
    with taped(Tape("replay", recording.to_json())), pytest.raises(Diverged, match=r"now draws uuid4.*token_hex\(4\)"):
        entropy.uuid4()
    with taped(Tape("replay", recording.to_json())):
        entropy.token_hex(4)
        with pytest.raises(Diverged, match="after the last of the 1 recorded steps"):
            entropy.token_hex(4)


def test_requests_compare_by_placeholder() -> None:
    """A secret the recording kept as its placeholder (and a replay sends so) compares equal to the secret
    it stands for, and to no other; any other change does not compare equal; an encrypted (JWE) response
    compares by its form."""
    token = "abc123456-token"
    assert body_digest(json.dumps({"access_token": token}).encode()) == \
        body_digest(json.dumps({"access_token": placeholder(token)}).encode())
    assert body_digest(b'{"access_token": "right-token-1"}') != body_digest(b'{"access_token": "wrong-token-2"}')
    form = "application/x-www-form-urlencoded"
    code = "SplxlOBeZQ-code"
    assert body_digest(f"grant_type=x&pre-authorized_code={code}".encode(), form) == \
        body_digest(b"grant_type=x&pre-authorized_code=" + placeholder(code).encode(), form)
    assert body_digest(b"grant_type=x&tx_code=1", form) != body_digest(b"grant_type=y&tx_code=1", form)
    assert body_digest(b'{"a": 1}') != body_digest(b'{"a": 2}')
    assert body_digest(b"response=aa.bb.cc.dd.ee&state=1", form) == body_digest(b"response=ff.gg.hh.ii.jj&state=1", form)
    assert body_digest(b"response=aa.bb.cc.dd.ee&state=1", form) != body_digest(b"response=aa.bb.cc.dd.ee&state=2", form)
    verifier = "a" * 43 + "-registered-verifier"
    SECRETS.add(verifier)  # a registered secret inside a form value: its own placeholder, not a shared one
    other = "b" * 43 + "-registered-verifier"
    SECRETS.add(other)
    assert body_digest(f"code_verifier={verifier}".encode(), form) != body_digest(f"code_verifier={other}".encode(), form)


def test_requests_compare_by_how_they_authenticate() -> None:
    """No token, a forged token and the right token are three different requests (a negative that starts
    sending the right token is not answered with the recorded refusal)."""
    digests = {request_digest(b"", "", auth) for auth in (None, "Bearer forged-token-1", "Bearer right-token-2")}
    assert len(digests) == 3
    assert request_digest(b"", "", "Bearer right-token-2") == request_digest(b"", "", f"Bearer {placeholder('right-token-2')}")
    assert request_digest(b"{}", "application/json", None) != request_digest(b"{}", "text/plain", None)
    basic = base64.b64encode(b"client-1:s3cret-value").decode()
    kept = base64.b64encode(f"client-1:{placeholder('s3cret-value')}".encode()).decode()
    other = base64.b64encode(b"client-1:another-secret").decode()
    assert request_digest(b"", "", f"Basic {basic}") == request_digest(b"", "", f"Basic {kept}")
    assert request_digest(b"", "", f"Basic {basic}") != request_digest(b"", "", f"Basic {other}")


def test_kept_bodies_are_redacted() -> None:
    secret = "s3cr3t-value-for-tape"
    SECRETS.add(secret)
    kept = kept_body({"body": keep_body(json.dumps({"access_token": "tok-123456", "note": secret}).encode(), "application/json")})
    assert json.loads(kept) == {"access_token": "[REDACTED:877064de]", "note": "[REDACTED]"}
    other = kept_body({"body": keep_body(b'{"access_token": "tok-654321"}', "application/json")})
    assert json.loads(other)["access_token"] != json.loads(kept)["access_token"]  # "a new token" stays judgeable
    assert secret not in kept_body({"body": keep_body(f"text {secret}".encode(), "text/plain")}).decode()


def test_an_exchange_is_kept_decoded_and_replayed_without_the_network() -> None:
    calls: list[str] = []

    def vendor(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        body = gzip.compress(json.dumps({"id": "urn:x", "access_token": "live-token-1"}).encode())
        return httpx.Response(201, headers={"content-type": "application/json", "content-encoding": "gzip",
                                            "set-cookie": "session=abc"}, content=body)

    recording = Tape("record")
    with taped(recording):
        live = _client(httpx.MockTransport(vendor)).post_json(URL, {"credential": {"id": "urn:x"}})
    assert live.outcome is Outcome.ACCEPTED and calls == [URL]
    [entry] = recording.to_json()
    assert dict(entry["headers"])["set-cookie"] == "[REDACTED]" and "content-encoding" not in dict(entry["headers"])
    assert json.loads(kept_body(entry))["access_token"].startswith("[REDACTED:")

    def no_network(request: httpx.Request) -> httpx.Response:
        raise AssertionError("a replay sent a request")

    with taped(Tape("replay", recording.to_json())):
        replayed = _client(httpx.MockTransport(no_network)).post_json(URL, {"credential": {"id": "urn:x"}})
    assert (replayed.outcome, replayed.status) == (Outcome.ACCEPTED, 201)
    with taped(Tape("replay", recording.to_json())), pytest.raises(Diverged, match="another body, media type or authentication"):
        _client(httpx.MockTransport(no_network)).post_json(URL, {"credential": {"id": "urn:y"}})
    with taped(Tape("replay", recording.to_json())), pytest.raises(Diverged, match="lerconf now sends GET"):
        _client(httpx.MockTransport(no_network)).get_json(URL)


def test_a_transport_failure_is_replayed_as_one() -> None:
    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    recording = Tape("record")
    with taped(recording):
        live = _client(httpx.MockTransport(refused)).post_json(URL, {})
    with taped(Tape("replay", recording.to_json())):
        replayed = _client(httpx.MockTransport(refused)).post_json(URL, {})
    assert live.outcome is replayed.outcome is Outcome.TRANSPORT_ERROR
    assert replayed.reason == live.reason and "connection refused" in replayed.reason


def test_an_address_refusal_is_replayed_without_resolving() -> None:
    def refuse() -> None:
        raise ResolutionError("refusing to fetch http://10.0.0.1/: non-public", "http://10.0.0.1/", unreached=True, fix="f")

    recording = Tape("record")
    with taped(recording), pytest.raises(ResolutionError):
        guard_refusal("http://10.0.0.1/", refuse)

    def must_not_run() -> Any:
        raise AssertionError("a replay resolved an address")

    with taped(Tape("replay", recording.to_json())):
        with pytest.raises(ResolutionError, match="non-public") as caught:
            guard_refusal("http://10.0.0.1/", must_not_run)
        assert caught.value.unreached and caught.value.fix == "f"
        guard_refusal("http://127.0.0.1/", must_not_run)  # allowed when recorded: nothing to check again


def test_a_redirect_keeps_no_authorization_code() -> None:
    """The code in an authorization response's Location is kept as a placeholder: the flow reads it
    from there before it can register it as a secret."""
    def authorize(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"location": "https://wallet.example/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz"})

    recording = Tape("record")
    with taped(recording):
        live = _client(httpx.MockTransport(authorize)).request("GET", URL, follow_redirects=False)
    assert "SplxlOBeZQQYbYS6WxSbIA" in str(live.response_headers)  # the flow saw the real code
    [entry] = recording.to_json()
    location = dict(entry["headers"])["location"]
    assert "SplxlOBeZQQYbYS6WxSbIA" not in json.dumps(recording.to_json())
    assert location.startswith("https://wallet.example/cb?code=[REDACTED:") and location.endswith("&state=xyz")


def test_a_login_hooks_answer_keeps_no_code() -> None:
    """A login hook answers {"redirect_url": "<redirect_uri>?code=…"}: the code is a placeholder on the tape."""
    body = json.dumps({"redirect_url": "https://wallet.example/cb?code=Zx9YtqQ-secret-code&state=s1"}).encode()
    kept = json.loads(kept_body({"body": keep_body(body, "application/json")}))
    assert "Zx9YtqQ-secret-code" not in kept["redirect_url"] and kept["redirect_url"].endswith("&state=s1")


def test_a_placeholder_is_never_registered_as_a_secret() -> None:
    """A replay registers what it reads (a code from a Location, a token from an answer): a placeholder
    registered would be scrubbed out of the next replay's answers (the code it reads would become
    [REDACTED] and the request would diverge)."""
    SECRETS.add(placeholder("a-code-from-the-vendor"))
    text = f"https://wallet.example/cb?code={placeholder('a-code-from-the-vendor')}"
    from lerconf.redact import redact_text
    assert redact_text(text) == text


def test_a_recorded_tls_probe_replays_without_connecting(tmp_path: Any) -> None:
    """An ecosystem's TLS probe (LMC-VE-05) is kept on the tape; a replay reads the tape as a lerconf
    tape (the probe entry is a known kind) and answers the probe from it, with no connection made."""
    from dataclasses import asdict

    from lerconf.checks.ecosystem import TlsFacts
    from lerconf.clients.tls_probe import probe_tls
    from lerconf.errors import LerconfError
    from lerconf.run.tapes import read_tape

    url = "https://127.0.0.1:9/workflows/issue-badge"  # nothing listens on port 9: a live probe could not connect
    facts = TlsFacts(url=url, scheme="https", version="TLSv1.3", certificate_error=None, connect_error=None,
                     obsolete_accepted=None, obsolete_probed=True)
    (tmp_path / "0001.json").write_text(json.dumps(
        {"steps": [{"k": "tls", "url": url, "facts": asdict(facts)}], "served": []}), encoding="utf-8")
    tape = Tape("replay", read_tape(tmp_path, "0001.json")["steps"])
    with taped(tape):
        assert probe_tls(url).version == "TLSv1.3"
    (tmp_path / "0002.json").write_text(json.dumps({"steps": [{"k": "tls", "url": url, "facts": "TLSv1.3"}]}),
                                        encoding="utf-8")
    with pytest.raises(LerconfError, match="damaged"):
        read_tape(tmp_path, "0002.json")
